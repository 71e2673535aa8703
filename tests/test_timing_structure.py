"""Skip, locked ends, tracks, back-timing, the night the clocks go back, long shows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

import ceremony
from ceremony.timing import Timeline
from ceremony.zones import zone

from .test_timing import ceremony_with

Show = Callable[[str], ceremony.Programme]
PARIS = zone("Europe/Paris")


def local(timeline: Timeline, item: str, edge: str = "start") -> str:
    slot = timeline.slot(item)
    window = slot.start if edge == "start" else slot.end
    return window.expected.astimezone(PARIS).strftime("%H:%M")


class TestSkip:
    def test_skipped_segment_takes_no_time(self, show: Show) -> None:
        """A cut segment leaves the timeline; the next follows the one before it."""
        timeline = ceremony.resolve(
            show(
                ceremony_with(
                    "      - {id: a, kind: performance, duration: 8m}\n"
                    "      - {id: b, kind: speech, duration: 10m, skip: true}\n"
                    "      - {id: c, kind: speech, duration: 5m}\n"
                )
            )
        )
        assert [slot.id for slot in timeline.slots] == ["a", "c"]
        assert timeline.skipped == ("b",)
        assert local(timeline, "c") == "20:08"
        assert timeline.slot("c").previous == "a"
        assert timeline.slot("c").gap_before == timedelta(0)

    def test_anchor_to_a_skipped_segment_holds_where_it_would_start(self, show: Show) -> None:
        """Anchors to a cut segment still resolve, at the point it would have started."""
        timeline = ceremony.resolve(
            show(
                ceremony_with(
                    "      - {id: a, kind: performance, duration: 8m}\n"
                    "      - {id: b, kind: speech, duration: 10m, skip: true}\n"
                    "      - {id: c, kind: fireworks, track: sky, start: {after: b, offset: 2m},"
                    " duration: 1m}\n"
                )
            )
        )
        assert local(timeline, "c") == "20:10"

    def test_skipped_act_cuts_its_children(self, show: Show) -> None:
        """Skipping an act skips everything in it."""
        timeline = ceremony.resolve(
            show(
                ceremony_with(
                    "      - id: act\n"
                    "        kind: act\n"
                    "        skip: true\n"
                    "        segments:\n"
                    "          - {id: a, kind: performance, duration: 8m}\n"
                    "      - {id: c, kind: speech, duration: 5m}\n"
                )
            )
        )
        assert [slot.id for slot in timeline.slots] == ["c"]
        assert timeline.skipped == ("act",)
        assert local(timeline, "c") == "20:00"


class TestLockedEnd:
    BODY = (
        "      - {id: a, kind: performance, duration: 8m}\n"
        "      - {id: b, kind: parade, end: '21:00'}\n"
        "      - {id: c, kind: speech, duration: 5m}\n"
    )

    def test_the_length_is_derived(self, show: Show) -> None:
        """An end instead of a duration: the segment lasts until then."""
        timeline = ceremony.resolve(show(ceremony_with(self.BODY)))
        assert timeline.slot("b").duration == timedelta(minutes=52)
        assert local(timeline, "c") == "21:00"

    def test_a_later_start_keeps_the_end(self, show: Show) -> None:
        """Moving the start keeps the end: the segment gets shorter, the rest holds."""
        programme = show(ceremony_with(self.BODY.replace("duration: 8m", "duration: 20m")))
        timeline = ceremony.resolve(programme)
        assert local(timeline, "b") == "20:20"
        assert local(timeline, "b", "end") == "21:00"
        assert local(timeline, "c") == "21:00"
        assert timeline.slot("b").floats  # its start follows a ...
        assert not timeline.slot("c").floats  # ... but what follows its end does not

    def test_squeezed_to_nothing_is_a_finding(self, show: Show) -> None:
        """A start past the locked end: zero length, and check says so."""
        programme = show(ceremony_with(self.BODY.replace("duration: 8m", "duration: 1h10m")))
        timeline = ceremony.resolve(programme)
        assert timeline.slot("b").duration == timedelta(0)
        assert local(timeline, "c") == "21:10"
        squeezed = [f for f in ceremony.check(programme) if f.code == "squeezed"]
        assert [str(f) for f in squeezed] == [
            "show.yaml:17: ceremonies[0].segments[1].end: error: 'b' must end at its locked "
            "end, 10m before it can start [squeezed]"
        ]


class TestTracks:
    def test_each_track_runs_in_sequence_with_anchors_across(self, show: Show) -> None:
        """The boat parade and the shows along the river: two tracks, tied by an anchor."""
        timeline = ceremony.resolve(
            show(
                ceremony_with(
                    "      - {id: boats-1, kind: parade, duration: 30m, track: river}\n"
                    "      - {id: show-1, kind: performance, duration: 10m, track: banks,"
                    " start: {with: boats-1, offset: 5m}}\n"
                    "      - {id: boats-2, kind: parade, duration: 20m, track: river}\n"
                    "      - {id: show-2, kind: performance, duration: 10m, track: banks}\n"
                    "      - {id: finale, kind: fireworks, duration: 5m,"
                    " start: {after: boats-2}}\n"
                )
            )
        )
        assert local(timeline, "show-1") == "20:05"
        assert local(timeline, "boats-2") == "20:30"
        assert local(timeline, "show-2") == "20:15"  # follows show-1 on its own track
        assert timeline.slot("show-2").previous == "show-1"
        assert local(timeline, "finale") == "20:50"
        assert timeline.slot("show-1").gap_before is None  # first on its track

    def test_long_chains_and_forward_anchors_do_not_recurse(self, show: Show) -> None:
        """Thousands of items, the first anchored to the last: resolved without recursion."""
        lines = ["      - {id: s0, kind: custom, what: x, start: {after: s2999}, track: t}\n"]
        lines += [
            f"      - {{id: s{i}, kind: custom, what: x, duration: 1m}}\n" for i in range(1, 3000)
        ]
        timeline = ceremony.resolve(show(ceremony_with("".join(lines))))
        show_start = datetime(2024, 8, 28, 18, 0, tzinfo=UTC)
        assert timeline.slot("s2999").end.expected == show_start + timedelta(minutes=2999)
        assert timeline.slot("s0").start == timeline.slot("s2999").end


class TestBacktime:
    BODY = (
        "      - {id: a, kind: performance, duration: 20m}\n"
        "      - {id: b, kind: parade, duration: {min: 30m, max: 50m}}\n"
        "      - {id: c, kind: declaration, start: '21:40', duration: 5m}\n"
        "      - {id: d, kind: speech, duration: 10m}\n"
    )

    def test_must_start_by_lands_the_show_on_its_hard_out(self, show: Show) -> None:
        """Each item's latest start, if the rest runs its expected length."""
        extra = "    hard_out: 2024-08-28T22:00\n"
        timeline = ceremony.resolve(show(ceremony_with(self.BODY, extra=extra)))
        by = {
            slot.id: slot.must_start_by.astimezone(PARIS).strftime("%H:%M")
            for slot in timeline.slots
            if slot.must_start_by
        }
        # d: 22:00 - 10m; c (hard) must leave d its 10m; b need only end by the hard out
        # (c does not wait for it), and a must leave b its expected 40m
        assert by == {"a": "21:00", "b": "21:20", "c": "21:45", "d": "21:50"}
        assert timeline.slot("d").slack == timedelta(minutes=5)
        assert timeline.over_under == timedelta(minutes=-5)

    def test_negative_slack_when_the_plan_cannot_land(self, show: Show) -> None:
        """A plan that cannot end on time shows how much must be cut, item by item."""
        extra = "    hard_out: 2024-08-28T21:50\n"
        timeline = ceremony.resolve(show(ceremony_with(self.BODY, extra=extra)))
        assert timeline.slot("d").slack == timedelta(minutes=-5)
        assert timeline.slot("c").slack == timedelta(minutes=-5)
        assert timeline.over_under == timedelta(minutes=5)

    def test_act_children_must_end_before_what_follows_the_act(self, show: Show) -> None:
        """An act's children inherit the deadline of whatever follows the act."""
        body = (
            "      - id: act\n"
            "        kind: act\n"
            "        segments:\n"
            "          - {id: a, kind: performance, duration: 20m}\n"
            "          - {id: fly, kind: custom, what: flypast, track: air,"
            " start: {with: a}, duration: 2m}\n"
            "      - {id: d, kind: speech, duration: 10m}\n"
        )
        extra = "    hard_out: 2024-08-28T21:00\n"
        timeline = ceremony.resolve(show(ceremony_with(body, extra=extra)))
        assert timeline.slot("d").must_start_by == datetime(2024, 8, 28, 18, 50, tzinfo=UTC)
        assert timeline.slot("fly").must_start_by == datetime(2024, 8, 28, 18, 48, tzinfo=UTC)
        assert timeline.slot("a").must_start_by == datetime(2024, 8, 28, 18, 30, tzinfo=UTC)

    def test_no_hard_out_no_backtime(self, show: Show) -> None:
        """Without a hard out there is nothing to back-time to."""
        timeline = ceremony.resolve(show(ceremony_with(self.BODY)))
        assert all(slot.must_start_by is None and slot.slack is None for slot in timeline.slots)


class TestTheNightTheClocksGoBack:
    def test_a_show_from_0030_to_0400_lasts_four_and_a_half_hours(self, show: Show) -> None:
        """27 Oct 2024 in Paris: 00:30 CEST to 04:00 CET is 4h30m of elapsed time."""
        programme = show(
            ceremony_with(
                "      - {id: a, kind: performance, duration: 2h}\n"
                "      - {id: b, kind: speech, start: {at: '02:30', fold: 1}, duration: 30m}\n"
                "      - {id: c, kind: performance, duration: 1h}\n",
                start="2024-10-27T00:30",
                extra="    hard_out: 2024-10-27T04:00\n",
            )
        )
        timeline = ceremony.resolve(programme)
        a, b, c = (timeline.slot(i) for i in "abc")
        assert a.end.expected.astimezone(PARIS).isoformat() == "2024-10-27T02:30:00+02:00"
        assert b.start.expected.astimezone(PARIS).isoformat() == "2024-10-27T02:30:00+01:00"
        assert b.gap_before == timedelta(hours=1)  # the repeated hour is a real hour
        assert c.end.expected.astimezone(PARIS).isoformat() == "2024-10-27T04:00:00+01:00"
        assert timeline.hard_out is not None
        assert timeline.hard_out - timeline.start == timedelta(hours=4, minutes=30)
        assert timeline.over_under == timedelta(0)

    @pytest.mark.parametrize(
        ("start", "message"),
        [
            ("'02:30'", "2024-10-27 02:30 happens twice in Europe/Paris"),
            ("2024-03-31T02:30", "2024-03-31 02:30 does not exist in Europe/Paris"),
        ],
    )
    def test_ambiguous_and_missing_hard_times_are_errors(
        self, show: Show, start: str, message: str
    ) -> None:
        """A hard time the clocks repeat or skip must say which instant it means."""
        body = ceremony_with(
            f"      - {{id: b, kind: speech, start: {start}, duration: 30m}}\n",
            start="2024-10-27T00:30",
        )
        with pytest.raises(ceremony.ShowFileError, match=message) as caught:
            show(body)
        assert caught.value.path == ("ceremonies", 0, "segments", 0, "start")

    def test_offset_disambiguates(self, show: Show) -> None:
        """An explicit offset names the instant."""
        programme = show(
            ceremony_with(
                "      - {id: b, kind: speech, start: '2024-10-27T02:30+02:00', duration: 30m}\n",
                start="2024-10-27T00:30",
            )
        )
        slot = ceremony.resolve(programme).slot("b")
        assert slot.start.expected == datetime(2024, 10, 27, 0, 30, tzinfo=UTC)
