"""Delays reach subscribers: feeds and sites that carry a live show's projection."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
from click.testing import CliRunner
from ical.calendar_stream import IcsCalendarStream

import ceremony
from ceremony.cli import main
from ceremony.io.actualsfile import parse_time
from ceremony.site import build_site, publish_feed
from ceremony.timing import Timeline
from tests.conftest import EXAMPLES, HEAD

Show = Callable[[str], ceremony.Programme]

GALA = """\
ceremonies:
  - id: gala
    title: Gala
    venue: concorde
    start: 2024-08-28T20:00
    hard_out: 2024-08-28T22:00
    segments:
      - {id: overture, kind: performance, title: Overture, duration: 10m, performers: [chilly]}
      - {id: welcome, kind: speech, title: Welcome, duration: 5m, speakers: [macron]}
      - {id: fireworks, kind: fireworks, title: Fireworks, start: "21:00", duration: 10m}
      - {id: finale, kind: performance, title: Finale, duration: 20m}
sessions:
  - {id: heat, sport: Para Swimming, venue: concorde, start: 2024-08-29T10:00, duration: 10m}
"""
"""Two soft items, then a hard one (fireworks at 21:00) and one that follows it."""

LATE = """\
ceremony: gala
marks:
  - {item: overture, edge: start, at: "20:03"}
  - {item: overture, edge: end, at: "20:14"}
  - {item: welcome, edge: start, at: "20:14"}
"""
"""The overture started 3 minutes late and ran 1 minute long: the welcome slid 4 minutes."""

LIVE_NOW = datetime.fromisoformat("2024-08-28T20:15:00+02:00")
BUILT = datetime(2024, 8, 20, tzinfo=UTC)
OPENING = EXAMPLES / "paralympic-opening.yaml"
OPENING_ACTUALS = EXAMPLES / "paralympic-opening.actuals.yaml"


@pytest.fixture
def gala(show: Show) -> ceremony.Programme:
    return show(GALA)


@pytest.fixture
def late(gala: ceremony.Programme) -> ceremony.Actuals:
    return ceremony.loads_actuals(LATE, "yaml", gala)


def paris(text: str) -> datetime:
    return datetime.fromisoformat(f"2024-08-28T{text}+02:00")


def times_by_uid(data: bytes) -> dict[str, tuple[datetime, datetime, int]]:
    """Each event's start, end (its start when it has none) and SEQUENCE, read by icalendar."""
    found: dict[str, tuple[datetime, datetime, int]] = {}
    calendar: Any = icalendar.Calendar.from_ical(data)
    for event in calendar.walk("VEVENT"):
        start = event.decoded("DTSTART")
        end = event.decoded("DTEND") if "DTEND" in event else start
        found[str(event["UID"])] = (start, end, int(event.get("SEQUENCE", 0)))
    return found


def whole_second(instant: datetime) -> datetime:
    return (instant.astimezone(UTC) + timedelta(microseconds=500_000)).replace(microsecond=0)


def expected_times(timeline: Timeline) -> dict[str, tuple[datetime, datetime]]:
    """What a live feed should say of the ceremony and each segment, from the timeline."""
    expected = {
        f"{slot.id}@ceremony.invalid": (
            whole_second(slot.start.expected),
            whole_second(slot.end.expected),
        )
        for slot in timeline.slots
    }
    first = min(slot.start.expected for slot in timeline.slots)
    expected[f"{timeline.id}@ceremony.invalid"] = (
        whole_second(first),
        whole_second(timeline.end.expected),
    )
    return expected


class TestLiveEvents:
    def test_a_slid_item_moves_and_a_hard_one_holds(
        self, gala: ceremony.Programme, late: ceremony.Actuals
    ) -> None:
        """The welcome slid 4 minutes; the fireworks (hard) and what follows them hold."""
        plan = {e.id: e for e in ceremony.calendar_events(gala, segments=True)}
        live = {
            e.id: e
            for e in ceremony.calendar_events(gala, segments=True, actuals=late, now=LIVE_NOW)
        }
        assert (live["welcome"].start, live["welcome"].end) == (paris("20:14"), paris("20:19"))
        assert live["fireworks"] == plan["fireworks"]
        assert live["finale"] == plan["finale"]
        assert live["heat"] == plan["heat"]  # sessions keep their plan

    def test_a_finished_item_shows_its_actual_times(
        self, gala: ceremony.Programme, late: ceremony.Actuals
    ) -> None:
        live = {
            e.id: e
            for e in ceremony.calendar_events(gala, segments=True, actuals=late, now=LIVE_NOW)
        }
        assert (live["overture"].start, live["overture"].end) == (paris("20:03"), paris("20:14"))

    def test_the_ceremony_starts_when_its_first_item_did(
        self, gala: ceremony.Programme, late: ceremony.Actuals
    ) -> None:
        """A show that started 3 minutes late starts 3 minutes late; its end is projected."""
        live = {e.id: e for e in ceremony.calendar_events(gala, actuals=late, now=LIVE_NOW)}
        assert live["gala"].start == paris("20:03")
        assert live["gala"].end == paris("21:30")  # the finale follows the hard fireworks

    def test_the_ceremony_end_follows_a_late_show(self, show: Show) -> None:
        """Without a hard item to hold it, the whole show (and the ceremony's end) slides."""
        programme = show(GALA.replace('start: "21:00", ', ""))
        actuals = ceremony.loads_actuals(LATE, "yaml", programme)
        plan = {e.id: e for e in ceremony.calendar_events(programme)}
        live = {e.id: e for e in ceremony.calendar_events(programme, actuals=actuals, now=LIVE_NOW)}
        assert live["gala"].end - plan["gala"].end == timedelta(minutes=4)

    def test_marks_recorded_after_now_are_not_published(
        self, gala: ceremony.Programme, late: ceremony.Actuals
    ) -> None:
        """As at 20:05 the welcome is still planned (nothing known after then moves it)."""
        before = paris("20:05")
        live = {
            e.id: e for e in ceremony.calendar_events(gala, segments=True, actuals=late, now=before)
        }
        timeline = ceremony.resolve(gala, actuals=late, now=before)
        assert live["welcome"].start == timeline.slot("welcome").start.expected
        assert live["welcome"].start < paris("20:14")

    @pytest.mark.parametrize("given", ["actuals", "now"])
    def test_one_without_the_other_is_refused(
        self, gala: ceremony.Programme, late: ceremony.Actuals, given: str
    ) -> None:
        live: dict[str, Any] = {"actuals": late} if given == "actuals" else {"now": LIVE_NOW}
        with pytest.raises(ceremony.CeremonyError, match=f"^{given} without"):
            ceremony.calendar_events(gala, **live)
        with pytest.raises(ceremony.CeremonyError, match=f"^{given} without"):
            ceremony.to_ical(gala, **live)

    def test_selected_events_cannot_be_made_live(
        self, gala: ceremony.Programme, late: ceremony.Actuals
    ) -> None:
        chosen = ceremony.calendar_events(gala)
        with pytest.raises(ceremony.CeremonyError, match="already made"):
            ceremony.to_ical(gala, selected=chosen, actuals=late, now=LIVE_NOW)

    def test_actuals_for_an_unknown_ceremony_are_refused(self, gala: ceremony.Programme) -> None:
        stray = ceremony.Actuals(ceremony="closing")
        with pytest.raises(ceremony.UnknownIdError):
            ceremony.calendar_events(gala, actuals=stray, now=LIVE_NOW)


class TestToIcalWhere:
    def test_only_the_matching_events(self, gala: ceremony.Programme) -> None:
        feed = ceremony.to_ical(gala, where="kind=performance", segments=True)
        assert sorted(times_by_uid(feed)) == [
            "finale@ceremony.invalid",
            "overture@ceremony.invalid",
        ]

    def test_where_and_live_together(
        self, gala: ceremony.Programme, late: ceremony.Actuals
    ) -> None:
        feed = ceremony.to_ical(
            gala, where=["kind=speech"], segments=True, actuals=late, now=LIVE_NOW
        )
        found = times_by_uid(feed)
        assert list(found) == ["welcome@ceremony.invalid"]
        assert found["welcome@ceremony.invalid"][:2] == (paris("20:14"), paris("20:19"))


class TestLiveSite:
    def test_a_rebuild_with_actuals_moves_a_slid_item_and_raises_its_sequence(
        self, gala: ceremony.Programme, late: ceremony.Actuals, tmp_path: Path
    ) -> None:
        root = tmp_path / "site"
        build_site(gala, root, now=BUILT, segments=True)
        before = times_by_uid((root / "all.ics").read_bytes())
        site = build_site(gala, root, now=LIVE_NOW, segments=True, actuals=late)
        after = times_by_uid((root / "all.ics").read_bytes())
        assert sorted(site.publication.changed) == ["gala", "overture", "welcome"]
        assert after["welcome@ceremony.invalid"] == (paris("20:14"), paris("20:19"), 1)
        assert after["overture@ceremony.invalid"] == (paris("20:03"), paris("20:14"), 1)
        for held in ("fireworks", "finale", "heat"):
            uid = f"{held}@ceremony.invalid"
            assert after[uid] == before[uid]
            assert after[uid][2] == 0
        # Every feed of the site says the same of the event.
        ceremony_feed = times_by_uid((root / "ceremony" / "gala.ics").read_bytes())
        assert ceremony_feed["welcome@ceremony.invalid"] == after["welcome@ceremony.invalid"]

    def test_each_later_projection_raises_the_sequence_again(
        self, gala: ceremony.Programme, late: ceremony.Actuals, tmp_path: Path
    ) -> None:
        """The welcome runs on past its planned end: each republish moves it once more."""
        root = tmp_path / "site"
        build_site(gala, root, now=LIVE_NOW, segments=True, actuals=late)
        later = paris("20:25")
        site = build_site(gala, root, now=later, segments=True, actuals=late)
        assert "welcome" in site.publication.changed
        found = times_by_uid((root / "all.ics").read_bytes())
        assert found["welcome@ceremony.invalid"] == (paris("20:14"), later, 1)
        ended = late.record("welcome", ceremony.MarkEdge.END, paris("20:26"))
        build_site(gala, root, now=paris("20:27"), segments=True, actuals=ended)
        found = times_by_uid((root / "all.ics").read_bytes())
        assert found["welcome@ceremony.invalid"] == (paris("20:14"), paris("20:26"), 2)
        assert found["fireworks@ceremony.invalid"][2] == 0

    def test_a_republish_with_the_same_actuals_and_now_changes_nothing(
        self, gala: ceremony.Programme, late: ceremony.Actuals, tmp_path: Path
    ) -> None:
        """Same bytes in every file (the publish state too), and no SEQUENCE rises."""
        root = tmp_path / "site"
        build_site(gala, root, now=BUILT, segments=True)
        build_site(gala, root, now=LIVE_NOW, segments=True, actuals=late)
        first = {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}
        again = build_site(gala, root, now=LIVE_NOW, segments=True, actuals=late)
        second = {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}
        assert second == first
        assert again.publication.changed == again.publication.added == ()

    def test_where_limits_the_site(
        self, gala: ceremony.Programme, late: ceremony.Actuals, tmp_path: Path
    ) -> None:
        root = tmp_path / "site"
        site = build_site(
            gala, root, now=LIVE_NOW, segments=True, actuals=late, where="ceremony=gala"
        )
        everything = times_by_uid((root / "all.ics").read_bytes())
        assert "heat@ceremony.invalid" not in everything
        assert len(everything) == 5
        assert not (root / "sport").exists()  # the swimming heat's feed is not there
        assert {f.path for f in site.files} >= {"all.ics", "ceremony/gala.ics", "index.html"}

    def test_a_filter_it_cannot_read_leaves_the_site_as_it_was(
        self, gala: ceremony.Programme, tmp_path: Path
    ) -> None:
        root = tmp_path / "site"
        build_site(gala, root, now=BUILT)
        before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
        with pytest.raises(ceremony.FilterError):
            build_site(gala, root, now=BUILT, where="spot=x")
        assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


class TestParsersAgree:
    """The live feed of the example, read by three parsers, says what the timeline says."""

    @pytest.fixture
    def live(self, tmp_path: Path) -> tuple[bytes, Timeline]:
        programme = ceremony.load(OPENING)
        actuals = ceremony.load_actuals(OPENING_ACTUALS, programme)
        now = parse_time("21:00", programme)
        root = tmp_path / "site"
        build_site(programme, root, now=BUILT, segments=True, crew=True)
        build_site(programme, root, now=now, segments=True, crew=True, actuals=actuals)
        timeline = ceremony.resolve(programme, actuals=actuals, now=now)
        return (root / "ceremony" / "paralympic-opening.ics").read_bytes(), timeline

    def test_icalendar(self, live: tuple[bytes, Timeline]) -> None:
        data, timeline = live
        found = {uid: (start, end) for uid, (start, end, _) in times_by_uid(data).items()}
        assert found == expected_times(timeline)
        assert max(seq for *_, seq in times_by_uid(data).values()) == 1

    def test_ical(self, live: tuple[bytes, Timeline]) -> None:
        data, timeline = live
        calendar = IcsCalendarStream.calendar_from_ics(data.decode())
        found = {
            event.uid: (event.dtstart, event.dtend or event.dtstart) for event in calendar.events
        }
        assert found == expected_times(timeline)
        moved = {e.uid for e in calendar.events if e.sequence}
        assert "parade@ceremony.invalid" in moved

    def test_vobject(self, live: tuple[bytes, Timeline]) -> None:
        vobject = pytest.importorskip("vobject")
        data, timeline = live
        calendar = vobject.readOne(data.decode())
        found = {}
        for event in calendar.vevent_list:
            start = event.dtstart.value
            end = event.dtend.value if hasattr(event, "dtend") else start
            found[event.uid.value] = (start, end)
        assert found == expected_times(timeline)


class TestPublishFeed:
    def test_one_call_with_where_and_actuals(
        self, gala: ceremony.Programme, late: ceremony.Actuals, tmp_path: Path
    ) -> None:
        output = tmp_path / "speeches.ics"
        data, publication = publish_feed(
            gala, output, now=LIVE_NOW, where="kind=speech", segments=True, actuals=late
        )
        assert output.read_bytes() == data
        assert times_by_uid(data) == {
            "welcome@ceremony.invalid": (paris("20:14"), paris("20:19"), 0)
        }
        assert publication.added == ("welcome",)
        again, publication = publish_feed(
            gala, output, now=LIVE_NOW, where="kind=speech", segments=True, actuals=late
        )
        assert again == data
        assert publication.changed == ()

    def test_selected_events_or_a_choice_write_the_same(
        self, gala: ceremony.Programme, tmp_path: Path
    ) -> None:
        """``selected=`` events chosen beforehand, or the same choice made by the call."""
        chosen = ceremony.calendar_events(gala, segments=True)
        given, _ = publish_feed(gala, tmp_path / "given.ics", now=BUILT, selected=chosen)
        plain, _ = publish_feed(gala, tmp_path / "plain.ics", now=BUILT, segments=True)
        assert given == plain


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    show = tmp_path / "show.yaml"
    show.write_text(HEAD + GALA, encoding="utf-8")
    actuals = tmp_path / "show.actuals.yaml"
    actuals.write_text(LATE, encoding="utf-8")
    return show, actuals


def run(*args: object) -> Any:
    return CliRunner().invoke(main, [str(arg) for arg in args])


class TestCommandLine:
    def test_ics_prints_the_live_feed(self, files: tuple[Path, Path]) -> None:
        show, actuals = files
        result = run("ics", show, "--segments", "--actuals", actuals, "--now", "20:15")
        assert result.exit_code == 0, result.output
        programme = ceremony.load(show)
        expected = ceremony.to_ical(
            programme,
            segments=True,
            actuals=ceremony.load_actuals(actuals, programme),
            now=LIVE_NOW,
        )
        assert result.stdout == expected.decode().replace("\r\n", "\n")

    def test_ics_output_follows_the_live_show(
        self, files: tuple[Path, Path], tmp_path: Path
    ) -> None:
        show, actuals = files
        output = tmp_path / "feed.ics"
        assert run("ics", show, "-o", output, "--segments").exit_code == 0
        result = run(
            "ics", show, "-o", output, "--segments", "--actuals", actuals, "--now", "20:15"
        )
        assert result.exit_code == 0, result.output
        assert "0 new, 3 changed, 0 cancelled" in result.output
        found = times_by_uid(output.read_bytes())
        assert found["welcome@ceremony.invalid"] == (paris("20:14"), paris("20:19"), 1)

    def test_site_republished_with_the_same_mark_is_unchanged(
        self, files: tuple[Path, Path], tmp_path: Path
    ) -> None:
        show, actuals = files
        root = tmp_path / "site"
        live = ("--segments", "--actuals", actuals, "--now", "2024-08-28T20:15+02:00")
        assert run("site", show, "-o", root, "--segments").exit_code == 0
        result = run("site", show, "-o", root, *live)
        assert result.exit_code == 0, result.output
        assert "0 new, 3 changed, 0 cancelled" in result.output  # overture, welcome, gala
        first = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
        result = run("site", show, "-o", root, *live)
        assert "0 new, 0 changed, 0 cancelled" in result.output
        assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == first

    @pytest.mark.parametrize("command", ["ics", "site"])
    @pytest.mark.parametrize(
        ("live", "message"),
        [
            (["--now", "20:15"], "--now needs --actuals"),
            (["--actuals", "{actuals}"], "--actuals needs --now"),
            (["--actuals", "{actuals}", "--now", "25:00"], "is not a clock time"),
            (["--actuals", "{missing}", "--now", "20:15"], "no such file"),
        ],
    )
    def test_live_options_it_cannot_use_exit_2(
        self, files: tuple[Path, Path], tmp_path: Path, command: str, live: list[str], message: str
    ) -> None:
        show, actuals = files
        output = tmp_path / ("out" if command == "site" else "out.ics")
        paths = {"actuals": actuals, "missing": tmp_path / "missing.yaml"}
        args = [part.format(**paths) for part in live]
        result = run(command, show, "-o", output, *args)
        assert result.exit_code == 2, result.output
        assert message in " ".join(result.output.split())
        assert "Traceback" not in result.output
        assert not output.exists()
