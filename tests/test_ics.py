"""iCalendar output, checked with real parsers: icalendar and the strict ``ical`` package."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import icalendar
import pytest
from hypothesis import given, settings
from ical.calendar_stream import IcsCalendarStream

import ceremony
from ceremony.export.events import CalendarStatus, calendar_events
from ceremony.export.feeds import FeedFilter, feed_set, select
from ceremony.export.ics import FeedSettings, to_ical
from ceremony.io.icsfile import loads_ics
from ceremony.slugs import slug
from ceremony.zones import utc
from tests.conftest import EXAMPLES, SHOW_FILES
from tests.strategies import programmes

Show = Callable[[str], ceremony.Programme]


def parse_both(data: bytes) -> tuple[icalendar.Calendar, object]:
    """Parse with icalendar (no component errors allowed) and with the strict ical parser."""
    calendar: Any = icalendar.Calendar.from_ical(data)
    for component in calendar.walk():
        assert not component.errors, (component.name, component.errors)
    strict = IcsCalendarStream.calendar_from_ics(data.decode())
    return calendar, strict


def events_of(calendar: icalendar.Calendar) -> list[Any]:
    """The events, typed loosely: icalendar types each property as a union of 30."""
    return [e for e in calendar.walk("VEVENT") if isinstance(e, icalendar.Event)]


@pytest.mark.parametrize("path", SHOW_FILES, ids=lambda p: p.name)
def test_every_example_feed_parses_strictly(path: Path) -> None:
    programme = ceremony.load(path)
    data = to_ical(programme, segments=True, crew=True)
    calendar, strict = parse_both(data)
    found = events_of(calendar)
    assert len(found) == len(calendar_events(programme, segments=True, crew=True))
    assert len(strict.events) == len(found)  # type: ignore[attr-defined]
    assert data == to_ical(ceremony.load(path), segments=True, crew=True)  # deterministic
    assert b"\r\nMETHOD" not in data
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))


@pytest.mark.parametrize("path", SHOW_FILES, ids=lambda p: p.name)
def test_every_tzid_has_its_vtimezone_and_no_offset_is_a_tzid(path: Path) -> None:
    data = to_ical(ceremony.load(path), segments=True).decode()
    used = set(re.findall(r";TZID=([^:;]+)[:;]", data))
    defined = set(re.findall(r"\r\nTZID:([^\r]+)\r\n", data))
    assert used == defined
    assert not any(name.startswith(("+", "-")) for name in used)


def test_calendar_properties(show: Show) -> None:
    programme = show("sessions: []\n")
    data = to_ical(programme, settings=FeedSettings(refresh=timedelta(minutes=30)))
    text = data.decode()
    assert "\r\nREFRESH-INTERVAL;VALUE=DURATION:PT30M\r\n" in text
    assert "\r\nX-PUBLISHED-TTL:PT30M\r\n" in text
    assert "\r\nNAME:Test Games\r\n" in text
    assert "\r\nX-WR-CALNAME:Test Games\r\n" in text
    calendar, strict = parse_both(data)  # an empty feed is still a valid calendar
    assert events_of(calendar) == []
    assert strict.events == []  # type: ignore[attr-defined]


def test_uid_stamp_and_status(show: Show) -> None:
    programme = show(
        """\
published: 2024-08-20T12:00:00+02:00
sessions:
  - {id: heat-1, sport: Para Swimming, venue: concorde, start: 2024-08-29T10:00, duration: 10m}
  - {id: heat-2, sport: Para Swimming, venue: concorde, start: 2024-08-29T11:00, duration: 10m,
     status: CANCELLED}
  - {id: heat-3, sport: Para Swimming, venue: concorde, start: 2024-08-29T12:00, duration: 10m,
     status: POSTPONED}
"""
    )
    calendar, _ = parse_both(to_ical(programme, settings=FeedSettings(domain="games.example")))
    found = {str(e["UID"]): e for e in events_of(calendar)}
    assert set(found) == {f"heat-{n}@games.example" for n in (1, 2, 3)}
    assert {str(e["STATUS"]) for e in found.values()} == {"CONFIRMED", "CANCELLED", "TENTATIVE"}
    assert {e["DTSTAMP"].dt for e in found.values()} == {datetime(2024, 8, 20, 10, tzinfo=UTC)}
    first = found["heat-1@games.example"]
    assert first["DTSTART"].params["TZID"] == "Europe/Paris"
    assert utc(first["DTEND"].dt) == datetime(2024, 8, 29, 8, 10, tzinfo=UTC)
    assert list(first.categories) == ["Para Swimming"]
    assert str(first["LOCATION"]) == "Place de la Concorde"


def test_a_ranged_segment_is_tentative(show: Show) -> None:
    programme = show(
        """\
ceremonies:
  - id: opening
    title: Opening
    venue: concorde
    start: 2024-08-28T20:00
    segments:
      - {id: a, kind: performance, duration: 5m}
      - {id: b, kind: cauldron_lighting, duration: {min: 4m, max: 8m}}
      - {id: c, kind: custom, duration: 5m, visibility: crew}
"""
    )
    public = {e.id: e for e in calendar_events(programme, segments=True)}
    assert set(public) == {"opening", "a", "b"}  # crew-only segments stay out of public feeds
    assert public["a"].status is CalendarStatus.CONFIRMED
    assert public["b"].status is CalendarStatus.TENTATIVE
    assert public["opening"].status is CalendarStatus.TENTATIVE  # its end is a range too
    assert {e.id for e in calendar_events(programme, segments=True, crew=True)} == {
        "opening",
        "a",
        "b",
        "c",
    }
    assert {e.id for e in calendar_events(programme)} == {"opening"}


def test_fixed_offsets_are_written_in_the_venue_zone(show: Show) -> None:
    programme = show(
        """\
sessions:
  - {id: fbl, sport: Football, venue: concorde, start: "2024-07-24T15:00:00+02:00",
     end: "2024-07-24T16:45:00+02:00"}
  - {id: far, sport: Sailing, start: "2024-07-28T11:00:00-10:00", duration: 1h}
"""
    )
    data = to_ical(programme).decode()
    assert "DTSTART;TZID=Europe/Paris:20240724T150000" in data
    assert "DTSTART;TZID=Europe/Paris:20240728T230000" in data  # no venue: the programme's zone
    assert "+02:00" not in data
    assert "-10:00" not in data


def test_utc_programme_writes_utc_times() -> None:
    programme = ceremony.loads(
        "programme: Z\nsessions:\n  - {id: s, sport: X, start: 2024-08-28T20:00Z, duration: 1h}\n",
        "yaml",
    )
    data = to_ical(programme).decode()
    assert "DTSTART:20240828T200000Z" in data
    assert "VTIMEZONE" not in data


def test_daylight_saving_and_midnight(show: Show) -> None:
    programme = show(
        """\
sessions:
  - {id: over-the-change, sport: Sailing, venue: concorde, start: "2024-10-27T01:30:00+02:00",
     duration: 2h}
  - {id: past-midnight, sport: Boxing, venue: concorde, start: 2024-08-10T23:30, duration: 1h}
"""
    )
    data = to_ical(programme)
    calendar, _ = parse_both(data)
    zone_block = calendar.walk("VTIMEZONE")[0]
    assert {c.name for c in zone_block.subcomponents} == {"STANDARD", "DAYLIGHT"}
    found = {str(e["UID"]).split("@")[0]: e for e in events_of(calendar)}
    change = found["over-the-change"]
    assert utc(change["DTEND"].dt) - utc(change["DTSTART"].dt) == timedelta(hours=2)
    # 02:30 happens twice that night; the second one is written in UTC, not as 02:30.
    assert "DTEND:20241027T013000Z" in data.decode()
    midnight = found["past-midnight"]
    assert midnight["DTEND"].dt.replace(tzinfo=None) == datetime(2024, 8, 11, 0, 30)


NASTY = [
    "Heat 1\r\nBEGIN:VEVENT\r\nUID:evil@x\r\nEND:VEVENT",
    "commas, semicolons; backslashes \\ and \\n literally",
    "emoji 🏊‍♀️🥇 and accents éàü, RTL العربية",
    "line one\nline two\rline three",
    "x" * 2000,
    "é" * 1000,
]


@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
def test_text_is_escaped_and_folded_never_injected(show: Show, text: str) -> None:
    programme = show(
        "sessions:\n"
        "  - {id: s1, sport: Para Swimming, venue: concorde, start: 2024-08-29T10:00, "
        "duration: 10m}\n"
    )
    session = attrs.evolve(programme.sessions[0], notes=text)
    # A title is one line (the constructor refuses a line break): set behind attrs' back.
    object.__setattr__(session, "title", text)
    evil = attrs.evolve(programme, sessions=[session])
    data = to_ical(evil)
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    lines = data.split(b"\r\n")
    assert lines.count(b"BEGIN:VEVENT") == 1  # the text's own BEGIN:VEVENT stays in a value
    assert lines.count(b"END:VEVENT") == 1
    assert not any(line.startswith(b"UID:evil") for line in lines)
    calendar, strict = parse_both(data)
    (event,) = events_of(calendar)
    assert str(event["UID"]) == "s1@ceremony.invalid"
    normalized = text.replace("\r\n", "\n").replace("\r", "\n")
    assert str(event["SUMMARY"]).replace("\r\n", "\n").replace("\r", "\n") == normalized
    assert normalized in str(event["DESCRIPTION"]).replace("\r\n", "\n").replace("\r", "\n")
    (strict_event,) = strict.events  # type: ignore[attr-defined]
    assert strict_event.uid == "s1@ceremony.invalid"


def _expected_status(entry_status: CalendarStatus) -> ceremony.ScheduleStatus:
    if entry_status is CalendarStatus.CANCELLED:
        return ceremony.ScheduleStatus.CANCELLED
    return ceremony.ScheduleStatus.SCHEDULED


@settings(max_examples=60, deadline=None)
@given(programmes())
def test_round_trip_through_the_feed(programme: ceremony.Programme) -> None:
    expected = calendar_events(programme, segments=True, crew=True)
    data = to_ical(programme, segments=True, crew=True)
    parse_both(data)
    back = {session.id: session for session in loads_ics(data).sessions}
    assert list(back) == [entry.id for entry in expected]
    for entry in expected:
        session = back[entry.id]
        assert session.start is not None
        assert utc(session.start) == entry.start
        ends = session.ends
        assert ends is not None
        assert utc(ends) == entry.end
        assert session.title == entry.summary
        assert session.status is _expected_status(entry.status)


def test_feed_set_and_where() -> None:
    programme = ceremony.load(EXAMPLES / "paralympians-aze-kaz.yaml")
    listed = calendar_events(programme)
    feeds = feed_set(programme, listed)
    kinds = {feed.kind for feed in feeds}
    assert kinds == {"all", "sport", "venue", "delegation", "athlete", "day", "medals"}
    paths = [feed.path for feed in feeds]
    assert len(paths) == len(set(paths))
    by_path = {feed.path: feed for feed in feeds}
    swimming = by_path["sport/para-swimming.ics"]
    assert {listed[i].sport for i in swimming.members} == {"Para Swimming"}
    kaz = by_path["delegation/kaz.ics"]
    assert all("KAZ" in listed[i].delegations for i in kaz.members)
    assert len(by_path["medals.ics"].members) == sum(e.medal for e in listed)
    chosen = select(listed, FeedFilter.parse("sport=para swimming, delegation=AZE|KAZ"))
    assert chosen
    assert [e.id for e in chosen] == [listed[i].id for i in swimming.members]
    assert select(listed, FeedFilter.parse("classification=S12")) == [
        e for e in listed if e.classification == "S12"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("spot=Para Swimming", "'spot' is not a facet"),
        ("sport", "write facet=value"),
        ("sport=", "write facet=value"),
    ],
)
def test_where_refuses_what_it_cannot_read(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FeedFilter.parse(text)


def test_slug() -> None:
    assert slug("Para Swimming") == "para-swimming"
    assert slug("Châteauroux Shooting Centre") == "chateauroux-shooting-centre"
    assert slug("!!!") == "x"
