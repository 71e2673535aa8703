"""Feeds that follow changes: SEQUENCE, LAST-MODIFIED and CANCELLED over successive builds."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import hypothesis
import icalendar
import pytest
from hypothesis import strategies as st

import ceremony
from ceremony.export.events import CalendarEvent, CalendarStatus, calendar_events
from ceremony.export.ics import EPOCH
from ceremony.model.fingerprints import canonical, value_digest
from ceremony.publishing import (
    PublishStateError,
    digest,
    dumps_state,
    loads_state,
    publish,
    publish_over,
)
from ceremony.site import build_site, state_path
from ceremony.site.changes import fingerprint
from ceremony.zones import zone

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


def test_publishing_over_stored_rows_is_publishing_over_a_state(show: Show) -> None:
    """publish_over from digests and stamps alone gives what publish gives."""
    listed = calendar_events(show(BODY))
    one = publish(listed, at=DAY)
    before = one.state.records
    for kept in (listed[:2], listed[1:], listed):
        later = DAY + timedelta(days=40 if kept is listed else 1)
        expected = publish(kept, one.state, at=later)
        found = publish_over(kept, before, lambda item_id: before[item_id].entry, at=later)
        assert found.events == expected.events
        assert found.state.records == expected.state.records
        assert (found.added, found.changed, found.cancelled, found.dropped) == (
            expected.added,
            expected.changed,
            expected.cancelled,
            expected.dropped,
        )


# --- Digests: everything an event says, stable across processes --------------------------

TEXT = st.text(max_size=8)
FIELD_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "id": TEXT,
    "kind": TEXT,
    "summary": TEXT,
    "start": st.datetimes(timezones=st.just(UTC)),
    "end": st.datetimes(timezones=st.just(UTC)),
    "zone": TEXT,
    "status": st.sampled_from(CalendarStatus),
    "location": st.none() | TEXT,
    "geo": st.none() | st.tuples(st.floats(-90, 90), st.floats(-180, 180)),
    "description": st.none() | TEXT,
    "categories": st.lists(TEXT, max_size=3).map(tuple),
    "url": st.none() | TEXT,
    "ceremony": st.none() | TEXT,
    "sport": st.none() | TEXT,
    "discipline": st.none() | TEXT,
    "event": st.none() | TEXT,
    "classification": st.none() | TEXT,
    "phase": st.none() | TEXT,
    "gender": st.none() | TEXT,
    "medal": st.booleans(),
    "venue": st.none() | TEXT,
    "delegations": st.lists(TEXT, max_size=3).map(tuple),
    "athletes": st.lists(TEXT, max_size=3).map(tuple),
}
"""A strategy for each field of a calendar event."""

ENTRIES = st.fixed_dictionaries(FIELD_VALUES).map(lambda fields: CalendarEvent(**fields))


def test_the_digest_strategies_cover_every_field() -> None:
    """A field added to CalendarEvent must be added here too (and so to the digest's tests)."""
    assert set(FIELD_VALUES) == {field.name for field in attrs.fields(CalendarEvent)}


@hypothesis.given(ENTRIES, st.sampled_from(sorted(FIELD_VALUES)), st.data())
@hypothesis.settings(max_examples=300, deadline=None)
def test_any_field_changed_alone_changes_the_digest(
    entry: CalendarEvent, name: str, data: st.DataObject
) -> None:
    """Equal entries, equal digests; an entry with one field changed, another digest."""
    assert digest(attrs.evolve(entry)) == digest(entry)
    changed = attrs.evolve(entry, **{name: data.draw(FIELD_VALUES[name])})
    if changed == entry:
        assert digest(changed) == digest(entry)
    else:
        assert digest(changed) != digest(entry)


def test_an_instant_given_in_another_zone_is_the_same_entry() -> None:
    """Start and end are kept in UTC: the same instants from Paris give the same digest."""
    paris = zone("Europe/Paris")
    fields: dict[str, Any] = {"id": "a", "kind": "session", "summary": "A", "zone": "Europe/Paris"}
    start = datetime(2024, 7, 26, 18, tzinfo=UTC)
    one = CalendarEvent(start=start, end=start + timedelta(hours=1), **fields)
    other = CalendarEvent(
        start=start.astimezone(paris), end=(start + timedelta(hours=1)).astimezone(paris), **fields
    )
    assert digest(one) == digest(other)


def test_a_sessions_fingerprint_sees_its_zone_and_every_part() -> None:
    """The same instant in another zone, a unit's change, a result: each another fingerprint."""
    start = datetime(2024, 7, 26, 18, tzinfo=UTC)
    unit = ceremony.CompetitionSession(id="u", sport="Judo", start=start)
    base = ceremony.CompetitionSession(id="s", sport="Judo", start=start, units=[unit])
    variants = [
        attrs.evolve(base, start=start.astimezone(zone("Europe/Paris"))),
        attrs.evolve(base, units=[attrs.evolve(unit, phase="final")]),
        attrs.evolve(base, results=[ceremony.ResultLine(delegation="FRA", rank=1)]),
        attrs.evolve(base, names={"fr": "Judo"}),
        attrs.evolve(base, duration=timedelta(minutes=5)),
        attrs.evolve(base, duration=timedelta(0)),
        attrs.evolve(base, status="FINISHED"),
    ]
    prints = {fingerprint(session) for session in [base, *variants]}
    assert len(prints) == len(variants) + 1
    assert fingerprint(attrs.evolve(base)) == fingerprint(base)


DIGESTS = """\
import sys
from datetime import UTC, datetime
from ceremony.export.events import CalendarEvent
from ceremony.model import CompetitionSession
from ceremony.publishing import digest
from ceremony.site.changes import fingerprint
start = datetime(2024, 7, 26, 18, tzinfo=UTC)
entry = CalendarEvent(id="a", kind="session", summary="AZE Saleh · Final", start=start,
                      end=start, zone="Europe/Paris", categories=("Judo",), geo=(48.8, 2.3))
session = CompetitionSession(id="s", sport="Judo", start=start, names={"fr": "a", "de": "b"})
print(digest(entry), fingerprint(session))
"""


def test_digests_are_the_same_in_every_process() -> None:
    """No hash(): two processes with other hash seeds give this process's digests."""
    here = subprocess.run(
        [sys.executable, "-c", DIGESTS], check=True, capture_output=True, text=True
    ).stdout
    for seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-c", DIGESTS],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert done.stdout == here
    namespace: dict[str, Any] = {}
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        exec(DIGESTS, namespace)  # noqa: S102 - the script above, in this process
    assert printed.getvalue() == here


def test_a_value_without_a_canonical_form_is_refused() -> None:
    """A digest never quietly leaves out a value it cannot read."""

    @attrs.frozen
    class Odd:
        thing: object

    with pytest.raises(TypeError, match="no canonical form for object"):
        value_digest(Odd(thing=object()))
    with pytest.raises(TypeError, match="no canonical form for set"):
        canonical({1, 2})
