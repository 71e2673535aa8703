"""check(): one test per kind of finding, located in the file."""

from __future__ import annotations

from collections.abc import Callable

import ceremony
from ceremony import Severity

from .conftest import HEAD

Show = Callable[[str], ceremony.Programme]


def codes(programme: ceremony.Programme) -> list[tuple[str, Severity]]:
    return [(f.code, f.severity) for f in ceremony.check(programme)]


CEREMONY = """\
ceremonies:
  - id: show
    title: Show
    venue: concorde
    start: 2024-08-28T20:00
    hard_out: 2024-08-28T21:00
    segments:
"""


class TestCeremonyFindings:
    def test_clean_show_has_no_findings(self, show: Show) -> None:
        """A show that fits has nothing to report."""
        assert (
            ceremony.check(show(CEREMONY + "      - {id: a, kind: speech, duration: 1h}\n")) == []
        )

    def test_overlap_is_located(self, show: Show) -> None:
        """A hard start before the chain ends is an error at the segment's start key."""
        findings = ceremony.check(
            show(
                CEREMONY + "      - {id: a, kind: performance, duration: 40m}\n"
                "      - {id: b, kind: speech, start: '20:30', duration: 1m}\n"
            )
        )
        assert [(f.code, f.severity) for f in findings] == [("overlap", Severity.ERROR)]
        assert findings[0].location == "show.yaml:18"
        assert findings[0].message == "'b' starts 10m before 'a' ends (hard start)"

    def test_gap_is_info(self, show: Show) -> None:
        """A hard start that leaves a hole is reported as information."""
        assert codes(
            show(
                CEREMONY + "      - {id: a, kind: performance, duration: 10m}\n"
                "      - {id: b, kind: speech, start: '20:30', duration: 1m}\n"
            )
        ) == [("gap", Severity.INFO)]

    def test_past_the_hard_out(self, show: Show) -> None:
        """A show expected to end after its hard out is an error."""
        findings = ceremony.check(
            show(CEREMONY + "      - {id: a, kind: parade, duration: 1h5m}\n")
        )
        assert [(f.code, f.severity) for f in findings] == [("over-hard-out", Severity.ERROR)]
        assert "5m past its hard out" in findings[0].message

    def test_may_pass_the_hard_out(self, show: Show) -> None:
        """Only the longest durations passing the hard out is a warning."""
        assert codes(
            show(
                CEREMONY
                + "      - {id: a, kind: parade, duration: {min: 50m, expected: 55m, max: 1h10m}}\n"
            )
        ) == [("may-pass-hard-out", Severity.WARNING)]

    def test_act_over_its_target(self, show: Show) -> None:
        """An act longer than its target is a warning."""
        assert ("over-target", Severity.WARNING) in codes(
            show(
                CEREMONY
                + "      - {id: act, kind: act, target: 5m, segments: [{id: a, kind: speech, duration: 6m}]}\n"
            )
        )

    def test_segment_without_duration(self, show: Show) -> None:
        """A segment with no duration is counted as zero, with a warning."""
        assert codes(show(CEREMONY + "      - {id: a, kind: speech}\n")) == [
            ("no-duration", Severity.WARNING)
        ]

    def test_anchor_cycle(self, show: Show) -> None:
        """A cycle of anchors is an error finding, not a crash."""
        assert codes(
            show(
                CEREMONY + "      - {id: a, kind: speech, start: {after: b}, duration: 1m}\n"
                "      - {id: b, kind: speech, start: {after: a}, duration: 1m}\n"
            )
        ) == [("timing", Severity.ERROR)]

    def test_outside_the_programme_dates(self, show: Show) -> None:
        """A ceremony outside the programme's dates is an error."""
        programme = show(
            "dates: {start: 2024-08-29, end: 2024-09-08}\n"
            + CEREMONY
            + "      - {id: a, kind: speech, duration: 1m}\n"
        )
        assert codes(programme) == [("outside-dates", Severity.ERROR)]


SESSIONS = """\
people:
  - {id: ann, name: Ann}
  - {id: bob, name: Bob}
delegations:
  - {id: KAZ, name: Kazakhstan}
sessions:
"""


def sessions(body: str) -> ceremony.Programme:
    head = HEAD.split("people:")[0]
    return ceremony.loads(head + SESSIONS + body, "yaml", file="show.yaml")


class TestSessionFindings:
    def test_venue_clash(self) -> None:
        """Two sessions in one venue and location at once are an error."""
        programme = sessions(
            """\
  - {id: a, sport: Judo, venue: concorde, start: 2024-09-05T10:00, duration: 1h}
  - {id: b, sport: Judo, venue: concorde, start: 2024-09-05T10:30, duration: 1h}
  - {id: c, sport: Judo, venue: concorde, location: Mat 2, start: 2024-09-05T10:30, duration: 1h}
""",
        )
        findings = ceremony.check(programme)
        assert [(f.code, f.severity) for f in findings] == [("venue-clash", Severity.ERROR)]
        assert "'a' and 'b' at once (30m overlap)" in findings[0].message

    def test_athlete_clash(self) -> None:
        """One athlete in two sessions at once is an error."""
        programme = sessions(
            """\
  - {id: a, sport: Swimming, start: 2024-09-05T10:00, duration: 1h, athletes: [ann]}
  - {id: b, sport: Athletics, start: 2024-09-05T10:59, duration: 1h, athletes: [ann, bob]}
""",
        )
        assert codes(programme) == [("athlete-clash", Severity.ERROR)]

    def test_team_clash_is_a_warning(self) -> None:
        """A delegation taking part as a team in two places at once is a warning."""
        programme = sessions(
            """\
  - {id: a, sport: Volleyball, start: 2024-09-05T10:00, duration: 2h, delegations: [KAZ]}
  - {id: b, sport: Volleyball, start: 2024-09-05T11:00, duration: 2h, delegations: [KAZ]}
""",
        )
        assert codes(programme) == [("delegation-clash", Severity.WARNING)]

    def test_cancelled_sessions_do_not_clash(self) -> None:
        """A cancelled session takes up no time."""
        programme = sessions(
            """\
  - {id: a, sport: Judo, venue: concorde, start: 2024-09-05T10:00, duration: 1h}
  - {id: b, sport: Judo, venue: concorde, start: 2024-09-05T10:00, duration: 1h, status: cancelled}
""",
        )
        assert codes(programme) == []

    def test_scheduled_session_without_time(self) -> None:
        """A SCHEDULED session with no start is a warning; UNSCHEDULED is fine."""
        programme = sessions(
            """\
  - {id: a, sport: Judo}
  - {id: b, sport: Judo, status: UNSCHEDULED}
""",
        )
        assert codes(programme) == [("no-time", Severity.WARNING)]


class TestReferences:
    def test_unknown_references_in_a_built_programme(self) -> None:
        """A programme built in Python with a dangling id gets an error finding."""
        programme = ceremony.Programme(
            name="P",
            sessions=[
                ceremony.CompetitionSession(
                    id="s",
                    sport="Judo",
                    athletes=["ghost"],
                    status=ceremony.ScheduleStatus.UNSCHEDULED,
                )
            ],
        )
        findings = ceremony.check(programme)
        assert [(f.code, f.path) for f in findings] == [
            ("unknown-reference", ("sessions", 0, "athletes", 0))
        ]
        assert str(findings[0]) == (
            "<programme>: sessions[0].athletes[0]: error: unknown person 'ghost' [unknown-reference]"
        )
