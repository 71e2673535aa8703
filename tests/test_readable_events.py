"""Events a fan can read: every event has an end, results in the description, days by name."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest

import ceremony
from ceremony.export.events import DEFAULT_LENGTHS, calendar_events, day_label
from ceremony.export.feeds import feed_set
from ceremony.site import build_site

Show = Callable[[str], ceremony.Programme]
NOW = datetime(2024, 8, 20, tzinfo=UTC)

SESSIONS = """\
programme: Test Games
timezone: Europe/Paris
venues:
  - {id: concorde, name: Place de la Concorde}
delegations:
  - {id: KAZ, name: Kazakhstan}
  - {id: KAZ-team, name: Kazakhstan}
  - {id: AZE, name: Azerbaijan}
people:
  - {id: saleh, name: Roman Saleh, delegation: AZE}
  - {id: degtyarev, name: David Degtyarev, delegation: KAZ}
sessions:
  - {id: bout, sport: Judo, unit_type: HATH, venue: concorde, start: 2024-07-27T10:00}
  - {id: match, sport: Handball, unit_type: HTEAM, venue: concorde, start: 2024-07-27T12:00}
  - {id: morning, sport: Rowing, session_type: MOR, venue: concorde, start: 2024-07-28T09:00}
  - {id: plain, sport: Sailing, venue: concorde, start: 2024-07-28T11:00}
  - {id: instant, sport: Sailing, venue: concorde, start: 2024-07-28T12:00, duration: 0s}
  - {id: timed, sport: Rowing, venue: concorde, start: 2024-07-28T13:00, duration: 40m}
  - id: swim
    sport: Para Swimming
    event: 100 m Backstroke
    classification: S12
    phase: final
    venue: concorde
    start: 2024-07-29T18:00
    duration: 10m
    status: FINISHED
    results:
      - {rank: 1, medal: gold, athlete: degtyarev, mark: "1:05.01"}
      - {rank: 2, medal: silver, athlete: saleh, mark: "1:05.32", notes: "season's best"}
      - {rank: 3, medal: bronze, delegation: KAZ-team}
      - {athlete: saleh, delegation: KAZ, mark: DSQ}
"""


@pytest.fixture
def games() -> ceremony.Programme:
    """Sessions with and without ends, and one finished with results."""
    return ceremony.loads(SESSIONS, "yaml", file="games.yaml")


def events_by_uid(data: bytes) -> dict[str, icalendar.cal.Component]:
    calendar = icalendar.Calendar.from_ical(data)
    return {str(event["UID"]).split("@")[0]: event for event in calendar.walk("VEVENT")}


def length(event: icalendar.cal.Component) -> timedelta:
    end: datetime = event.decoded("DTEND")
    start: datetime = event.decoded("DTSTART")
    return end - start


def description(event: icalendar.cal.Component) -> list[str]:
    return str(event.get("DESCRIPTION", "")).split("\n")


def test_a_session_without_an_end_gets_its_kinds_default_and_says_so(
    games: ceremony.Programme,
) -> None:
    events = events_by_uid(ceremony.to_ical(games))
    expected = {
        "bout": DEFAULT_LENGTHS["HATH"],
        "match": DEFAULT_LENGTHS["HTEAM"],
        "morning": DEFAULT_LENGTHS["session"],
        "plain": DEFAULT_LENGTHS["other"],
        "instant": DEFAULT_LENGTHS["other"],
    }
    assert expected == {
        "bout": timedelta(hours=1),
        "match": timedelta(hours=2),
        "morning": timedelta(hours=3),
        "plain": timedelta(hours=2),
        "instant": timedelta(hours=2),
    }
    for uid, expected_length in expected.items():
        event = events[uid]
        assert "DTEND" in event, uid
        assert length(event) == expected_length, uid
        hours = expected_length // timedelta(hours=1)
        assert f"End estimated: about {hours}h" in description(event), uid


def test_a_session_with_an_end_keeps_it_and_says_nothing_of_estimates(
    games: ceremony.Programme,
) -> None:
    events = events_by_uid(ceremony.to_ical(games))
    for uid, given in (("timed", timedelta(minutes=40)), ("swim", timedelta(minutes=10))):
        event = events[uid]
        assert length(event) == given
        assert not any(line.startswith("End estimated") for line in description(event))


def test_the_estimated_end_is_the_calendar_events_only(games: ceremony.Programme) -> None:
    session = next(s for _, s in games.all_sessions() if s.id == "bout")
    assert session.ends is None
    (event,) = [e for e in calendar_events(games) if e.id == "bout"]
    assert event.end - event.start == timedelta(hours=1)


def test_a_finished_sessions_results_are_in_its_description_in_order(
    games: ceremony.Programme,
) -> None:
    lines = description(events_by_uid(ceremony.to_ical(games))["swim"])
    assert "Status: FINISHED" in lines
    start = lines.index("Results:")
    assert lines[start + 1 : start + 5] == [
        "1. Gold · David Degtyarev (KAZ) · 1:05.01",
        "2. Silver · Roman Saleh (AZE) · 1:05.32 · season's best",
        "3. Bronze · Kazakhstan (KAZ-team)",
        "Roman Saleh (KAZ) · DSQ",
    ]


def test_a_session_without_results_has_no_results_heading(games: ceremony.Programme) -> None:
    for uid, event in events_by_uid(ceremony.to_ical(games)).items():
        if uid != "swim":
            assert "Results:" not in description(event), uid


def test_a_results_notes_stay_on_its_line(show: Show) -> None:
    programme = show(
        """\
sessions:
  - id: race
    sport: Rowing
    venue: concorde
    start: 2024-07-28T09:00
    duration: 1h
    results:
      - {athlete: chilly, mark: "6:30.2", notes: "lane 3\\nprotest\\tlodged"}
      - {delegation: KAZ}
"""
    )
    lines = description(events_by_uid(ceremony.to_ical(programme))["race"])
    start = lines.index("Results:")
    assert lines[start + 1 : start + 3] == [
        "Chilly Gonzalez · 6:30.2 · lane 3 protest lodged",
        "Kazakhstan (KAZ)",
    ]


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2024, 7, 27), "Saturday 27 July 2024"),
        (date(2024, 8, 1), "Thursday 1 August 2024"),
        (date(2025, 12, 31), "Wednesday 31 December 2025"),
        (date(2024, 1, 1), "Monday 1 January 2024"),
    ],
)
def test_day_label(day: date, label: str) -> None:
    assert day_label(day) == label


def test_day_feeds_are_named_by_weekday_and_date_in_date_order(
    games: ceremony.Programme,
) -> None:
    days = [feed for feed in feed_set(games, calendar_events(games)) if feed.kind == "day"]
    assert [(feed.key, feed.path, feed.title) for feed in days] == [
        ("2024-07-27", "day/2024-07-27.ics", "Test Games: Saturday 27 July 2024"),
        ("2024-07-28", "day/2024-07-28.ics", "Test Games: Sunday 28 July 2024"),
        ("2024-07-29", "day/2024-07-29.ics", "Test Games: Monday 29 July 2024"),
    ]


def test_the_site_names_days_in_its_feeds_and_index(
    games: ceremony.Programme, tmp_path: Path
) -> None:
    root = tmp_path / "site"
    build_site(games, root, now=NOW)
    calendar = icalendar.Calendar.from_ical((root / "day" / "2024-07-28.ics").read_bytes())
    assert str(calendar["X-WR-CALNAME"]) == "Test Games: Sunday 28 July 2024"
    page = (root / "index.html").read_text()
    assert "Sunday 28 July 2024" in page
    assert ">2024-07-28<" not in page
    assert 'href="day/2024-07-28.ics"' in page
