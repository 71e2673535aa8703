"""Feeds that follow changes: SEQUENCE, LAST-MODIFIED and CANCELLED over successive builds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import icalendar
import pytest

import ceremony
from ceremony.export.events import calendar_events
from ceremony.export.ics import EPOCH
from ceremony.publishing import PublishStateError, dumps_state, loads_state, publish
from ceremony.site import build_site, state_path

Show = Callable[[str], ceremony.Programme]

BODY = """\
sessions:
  - {id: heat, sport: Para Swimming, venue: concorde, start: 2024-08-29T10:00, duration: 10m}
  - {id: final, sport: Para Swimming, venue: concorde, start: 2024-08-29T18:00, duration: 10m,
     medal: true}
  - {id: relay, sport: Para Swimming, venue: concorde, start: 2024-08-30T18:00, duration: 20m}
"""

DAY = datetime(2024, 8, 20, 12, tzinfo=UTC)


def feed_events(path: Path) -> dict[str, Any]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {
        str(e["UID"]).split("@")[0]: e
        for e in calendar.walk("VEVENT")
        if isinstance(e, icalendar.Event)
    }


def test_three_builds(show: Show, tmp_path: Path) -> None:
    site = tmp_path / "site"
    first = show(BODY)
    build_site(first, site, now=DAY)
    one = feed_events(site / "all.ics")
    assert {uid: int(e["SEQUENCE"]) for uid, e in one.items()} == {
        "heat": 0,
        "final": 0,
        "relay": 0,
    }
    # A first build is stamped at a fixed instant (never the clock); only rebuilds use now.
    assert {e["LAST-MODIFIED"].dt for e in one.values()} == {EPOCH}

    # Build 2: the final is retimed, the relay is dropped, the heat is untouched.
    retimed = first.sessions[1].start
    assert retimed is not None
    final = attrs.evolve(first.sessions[1], start=retimed + timedelta(hours=1))
    second = attrs.evolve(first, sessions=[first.sessions[0], final])
    later = DAY + timedelta(days=1)
    built = build_site(second, site, now=later)
    assert built.publication.changed == ("final",)
    assert built.publication.cancelled == ("relay",)
    two = feed_events(site / "all.ics")
    assert int(two["heat"]["SEQUENCE"]) == 0
    assert two["heat"]["LAST-MODIFIED"].dt == EPOCH
    assert int(two["final"]["SEQUENCE"]) == 1
    assert two["final"]["LAST-MODIFIED"].dt == later
    assert int(two["relay"]["SEQUENCE"]) == 1
    assert str(two["relay"]["STATUS"]) == "CANCELLED"
    # The tombstone stays in the feeds the event was in: its sport's and its day's.
    assert "relay" in feed_events(site / "sport" / "para-swimming.ics")
    assert "relay" in feed_events(site / "day" / "2024-08-30.ics")
    assert any("removed relay" in line for line in built.changes)

    # Build 3: nothing changed; the same feed, byte for byte.
    before = (site / "all.ics").read_bytes()
    third = build_site(second, site, now=later + timedelta(days=1))
    assert third.publication.changed == ()
    assert third.publication.cancelled == ()
    assert (site / "all.ics").read_bytes() == before

    # Past keep_cancelled the tombstone goes; back again, the event's SEQUENCE rises.
    gone = build_site(second, site, now=later + timedelta(days=31))
    assert gone.publication.dropped == ("relay",)
    assert "relay" not in feed_events(site / "all.ics")


def test_a_cancelled_event_that_comes_back_rises_again(show: Show) -> None:
    programme = show(BODY)
    listed = calendar_events(programme)
    one = publish(listed, at=DAY)
    two = publish(listed[:2], one.state, at=DAY + timedelta(hours=1))
    three = publish(listed, two.state, at=DAY + timedelta(hours=2))
    sequences = {s.entry.id: s.sequence for s in three.events}
    assert sequences == {"heat": 0, "final": 0, "relay": 2}
    assert three.changed == ("relay",)


def test_published_time_makes_builds_reproducible(show: Show, tmp_path: Path) -> None:
    programme = attrs.evolve(show(BODY), published=DAY)
    build_site(programme, tmp_path / "a", now=datetime(2030, 1, 1, tzinfo=UTC))
    build_site(programme, tmp_path / "b", now=datetime(2031, 1, 1, tzinfo=UTC))
    for name in ("all.ics", "medals.ics", "manifest.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    stamps = {e["DTSTAMP"].dt for e in feed_events(tmp_path / "a" / "all.ics").values()}
    assert stamps == {DAY}


def test_state_round_trip_and_damage(show: Show) -> None:
    publication = publish(calendar_events(show(BODY)), at=DAY, domain="games.example")
    text = dumps_state(publication.state)
    assert loads_state(text) == publication.state
    with pytest.raises(PublishStateError, match=r"state.json:1: not JSON"):
        loads_state("{", file="state.json")
    with pytest.raises(PublishStateError, match="not a ceremony publish state"):
        loads_state('{"format": 99}', file="state.json")
    with pytest.raises(PublishStateError, match="damaged publish state"):
        loads_state('{"format": 1, "records": {"x": {"digest": 1}}}', file="state.json")


def test_changing_the_domain_is_refused(show: Show) -> None:
    listed = calendar_events(show(BODY))
    one = publish(listed, at=DAY, domain="games.example")
    with pytest.raises(PublishStateError, match="every event twice"):
        publish(listed, one.state, at=DAY, domain="other.example")


def test_a_damaged_state_fails_the_build_and_keeps_the_site(show: Show, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(show(BODY), site, now=DAY)
    before = (site / "all.ics").read_bytes()
    state_path(site).write_text("{ not json")
    with pytest.raises(PublishStateError):
        build_site(show(BODY), site, now=DAY)
    assert (site / "all.ics").read_bytes() == before
