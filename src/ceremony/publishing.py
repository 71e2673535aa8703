"""Feeds that follow changes: SEQUENCE, LAST-MODIFIED and CANCELLED tombstones.

A calendar client that has an event keeps it until the feed says otherwise: it takes a
changed event when its SEQUENCE rises (some clients look at LAST-MODIFIED or DTSTAMP
instead), and an event that simply disappears from a feed is dropped by some clients and
kept forever by others. So each build is compared with the previous one, kept in a
:class:`PublishState` beside the output:

- an event whose content (what the subscriber sees) changed gets SEQUENCE + 1 and a new
  LAST-MODIFIED; an unchanged event keeps both;
- an event that left the programme stays in the feed as STATUS:CANCELLED, with SEQUENCE + 1,
  for ``keep_cancelled``, then goes;
- an event that comes back after being cancelled gets SEQUENCE + 1 again.

The state also keeps the programme that was published, so the next build can say what
changed, item by item, with :func:`ceremony.revisions.diff`.

When a build publishes (:func:`publication_time`, LAST-MODIFIED of what changed and, with no
``published`` time, each event's DTSTAMP): the programme's ``published`` time, else
``SOURCE_DATE_EPOCH``, else, on a first build (no state), :data:`~ceremony.export.ics.EPOCH`,
so that two fresh builds of one file are byte-identical; only a rebuild over a state uses
the clock's ``now``, to mark when an event changed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import attrs
import cattrs

from ceremony.errors import ModelError
from ceremony.errors import PublishStateError as PublishStateError  # noqa: PLC0414 - re-exported
from ceremony.export.events import CalendarEvent, CalendarStatus
from ceremony.export.ics import EPOCH, Stamped, event_bytes
from ceremony.limits import date_in_range, date_range_text
from ceremony.model.fingerprints import value_digest
from ceremony.zones import utc

STATE_FORMAT = 1


@attrs.frozen(kw_only=True)
class Record:
    """What was last published of one event."""

    digest: str
    sequence: int
    modified: datetime
    entry: CalendarEvent
    removed: datetime | None = None
    """When the event left the programme (it is a CANCELLED tombstone since)."""
    rendered: str | None = None
    """The VEVENT as last written, reused while nothing it says changes."""
    rendered_key: str | None = None
    """What ``rendered`` was made from (digest, SEQUENCE, times, domain)."""


@attrs.frozen(kw_only=True)
class PublishState:
    """Every event published so far, by item id, and the programme last published."""

    records: dict[str, Record] = attrs.field(factory=dict)
    show: dict[str, Any] | None = None
    """The programme last published, as show-file data (for the next build's diff)."""
    domain: str | None = None
    """The UID domain the events were published under."""
    refresh_seconds: int | None = None
    """The feeds' REFRESH-INTERVAL, in seconds."""


@attrs.frozen(kw_only=True)
class Publication:
    """The events of one build, with their SEQUENCE, and what changed since the last."""

    events: tuple[Stamped, ...]
    """Current events and tombstones, by start, end and id."""
    state: PublishState
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    cancelled: tuple[str, ...] = ()
    """Ids that left the programme in this build (now tombstones)."""
    dropped: tuple[str, ...] = ()
    """Ids of tombstones kept long enough, now gone from the feed."""


def source_date_epoch(environ: Mapping[str, str]) -> datetime | None:
    """``SOURCE_DATE_EPOCH`` of ``environ`` as an instant (the reproducible-builds convention).

    Unset or empty: None. Not a whole number of seconds since 1970 within the dates ceremony
    reads: a :class:`~ceremony.errors.ModelError` (a build must not quietly use the clock).
    """
    text = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not text:
        return None
    problem = f"SOURCE_DATE_EPOCH={text!r} is not a whole number of seconds since 1970-01-01"
    if not text.isascii() or not text.isdigit():
        raise ModelError(problem)
    try:
        instant = EPOCH + timedelta(seconds=int(text))
    except OverflowError:
        raise ModelError(f"{problem} ({date_range_text()})") from None
    if not date_in_range(instant):
        raise ModelError(f"{problem} ({date_range_text()})")
    return instant.astimezone(UTC)


def publication_time(
    published: datetime | None,
    previous: object | None,
    *,
    now: datetime,
    source_date: datetime | None,
) -> datetime:
    """When a build publishes: LAST-MODIFIED of what it changes (see the module's docstring).

    ``published`` is the programme's, ``source_date`` is :func:`source_date_epoch`'s and
    ``now`` the clock's at the edge, used only over a ``previous`` state (of any kind: only
    whether there is one counts).
    """
    if published is not None:
        return published
    if source_date is not None:
        return source_date
    return now if previous is not None else EPOCH


def digest(entry: CalendarEvent) -> str:
    """A fingerprint of everything an event says: equal entries, equal digests.

    :func:`~ceremony.model.fingerprints.value_digest` of the entry: every field, its times
    in UTC. (Earlier versions hashed ``repr(entry)``; see ``value_digest`` for why changing
    the form in this release costs subscribers nothing.)
    """
    return value_digest(entry)


def render_key(
    digest: str, stamped: Stamped, domain: str, *, text: Callable[[datetime | None], str] = str
) -> str:
    """What an event's VEVENT bytes are made from: equal keys, equal bytes.

    ``text`` writes the times (``str``; a caller may pass one that remembers: many events
    share one LAST-MODIFIED, and a pendulum zone makes ``str`` slow).
    """
    modified, stamp = text(stamped.modified), text(stamped.stamp)
    return f"{digest}|{stamped.sequence}|{modified}|{stamp}|{domain}"


def render(
    publication: Publication, previous: PublishState | None, domain: str
) -> tuple[list[bytes], PublishState]:
    """Each event's VEVENT bytes, and the state that keeps them for the next build.

    An event whose entry, SEQUENCE, LAST-MODIFIED, DTSTAMP and UID domain are all as in
    the previous build takes its bytes from there instead of being serialized again: a
    rebuild after a few changes serializes only those.
    """
    before = previous.records if previous is not None else {}
    records = dict(publication.state.records)
    rendered: list[bytes] = []
    for stamped in publication.events:
        key = render_key(records[stamped.entry.id].digest, stamped, domain)
        old = before.get(stamped.entry.id)
        if old is not None and old.rendered is not None and old.rendered_key == key:
            data = old.rendered.encode()
        else:
            data = event_bytes(stamped, domain)
        rendered.append(data)
        records[stamped.entry.id] = attrs.evolve(
            records[stamped.entry.id], rendered=data.decode(), rendered_key=key
        )
    return rendered, attrs.evolve(publication.state, records=records)


class Published(Protocol):
    """What a rebuild needs of an event's last publication (a :class:`Record` has it)."""

    @property
    def digest(self) -> str:
        """The :func:`digest` of the entry published."""

    @property
    def sequence(self) -> int:
        """Its SEQUENCE."""

    @property
    def modified(self) -> datetime:
        """Its LAST-MODIFIED."""

    @property
    def removed(self) -> datetime | None:
        """When it left the programme (a tombstone since), if it did."""


def check_domain(previous: str | None, domain: str | None) -> None:
    """Refuse a UID ``domain`` other than the one the feeds were ``previous``-ly published at.

    Every UID would change, and each subscriber would see every event twice.
    """
    if domain and previous and previous != domain:
        message = (
            f"these feeds were published with UIDs @{previous}; publishing them "
            f"@{domain} would show every event twice (keep the domain, or start a new state)"
        )
        raise PublishStateError(message)


def publish(
    entries: Sequence[CalendarEvent],
    previous: PublishState | None = None,
    *,
    at: datetime,
    stamp: datetime | None = None,
    keep_cancelled: timedelta = timedelta(days=30),
    show: dict[str, Any] | None = None,
    domain: str | None = None,
    refresh: timedelta | None = None,
) -> Publication:
    """Stamp a build's events and work out the state to keep for the next one.

    ``at`` is when this build publishes (LAST-MODIFIED of what changed): pass the
    revision's ``published`` time, or the clock's at the edge. ``stamp`` is every event's
    DTSTAMP (the revision's publication time); without it, each event's LAST-MODIFIED.
    ``show``, ``domain`` and ``refresh`` are kept in the state as they are given.

    A ``domain`` other than the previous state's is refused (:func:`check_domain`).
    """
    if previous is not None:
        check_domain(previous.domain, domain)
    before = previous.records if previous is not None else {}
    publication = publish_over(
        entries,
        before,
        lambda item_id: before[item_id].entry,
        at=at,
        stamp=stamp,
        keep_cancelled=keep_cancelled,
    )
    state = PublishState(
        records=publication.state.records,
        show=show,
        domain=domain,
        refresh_seconds=None if refresh is None else int(refresh.total_seconds()),
    )
    return attrs.evolve(publication, state=state)


def publish_over(
    entries: Sequence[CalendarEvent],
    before: Mapping[str, Published],
    former: Callable[[str], CalendarEvent],
    *,
    at: datetime,
    stamp: datetime | None = None,
    keep_cancelled: timedelta = timedelta(days=30),
) -> Publication:
    """:func:`publish` over what was published before, as a store keeps it.

    ``before`` maps each id last published to its digest, SEQUENCE, LAST-MODIFIED and
    removal; ``former`` gives the entry last published of an id that is not among
    ``entries`` (only those are asked for: they become or stay tombstones). The
    publication's state holds the records only (no show, domain or refresh).
    """
    at = utc(at)
    records: dict[str, Record] = {}
    added: list[str] = []
    changed: list[str] = []
    for entry in entries:
        fingerprint = digest(entry)
        old = before.get(entry.id)
        if old is None:
            records[entry.id] = Record(digest=fingerprint, sequence=0, modified=at, entry=entry)
            added.append(entry.id)
        elif old.digest == fingerprint and old.removed is None:
            records[entry.id] = Record(
                digest=fingerprint, sequence=old.sequence, modified=old.modified, entry=entry
            )
        else:
            records[entry.id] = Record(
                digest=fingerprint,
                sequence=old.sequence + 1,
                modified=max(at, old.modified),
                entry=entry,
            )
            changed.append(entry.id)
    cancelled: list[str] = []
    dropped: list[str] = []
    for item_id, old in before.items():
        if item_id in records:
            continue
        if old.removed is None:
            tombstone = attrs.evolve(former(item_id), status=CalendarStatus.CANCELLED)
            records[item_id] = Record(
                digest=digest(tombstone),
                sequence=old.sequence + 1,
                modified=max(at, old.modified),
                entry=tombstone,
                removed=at,
            )
            cancelled.append(item_id)
        elif at - old.removed < keep_cancelled:
            records[item_id] = Record(
                digest=old.digest,
                sequence=old.sequence,
                modified=old.modified,
                entry=former(item_id),
                removed=old.removed,
            )
        else:
            dropped.append(item_id)
    events = sorted(
        (
            Stamped(
                entry=record.entry,
                sequence=record.sequence,
                modified=record.modified,
                stamp=stamp or record.modified,
            )
            for record in records.values()
        ),
        key=lambda e: (e.entry.start, e.entry.end, e.entry.id),
    )
    return Publication(
        events=tuple(events),
        state=PublishState(records=records),
        added=tuple(added),
        changed=tuple(changed),
        cancelled=tuple(cancelled),
        dropped=tuple(dropped),
    )


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter()
    converter.register_unstructure_hook(datetime, lambda value: utc(value).isoformat())
    converter.register_structure_hook(datetime, _read_instant)
    return converter


def _read_instant(value: Any, _: Any) -> datetime:
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(f"{value!r} has no UTC offset")
    return utc(parsed)


_converter = _make_converter()


def dumps_entry(entry: CalendarEvent) -> str:
    """One event as the publish state keeps it: compact JSON, fields left empty left out."""
    data = {
        name: value
        for name, value in _converter.unstructure(entry).items()
        if not (value is None or value is False or value == [])
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def loads_entry(text: str) -> CalendarEvent:
    """An event written by :func:`dumps_entry`; :class:`ValueError` if it is not one."""
    try:
        entry: CalendarEvent = _converter.structure(json.loads(text), CalendarEvent)
    except (cattrs.BaseValidationError, TypeError, KeyError) as exc:
        raise ValueError(f"not a calendar event ({exc})") from None
    return entry


def dumps_state(state: PublishState) -> str:
    """The state as JSON."""
    data = {"format": STATE_FORMAT, **_converter.unstructure(state)}
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def loads_state(text: str, *, file: str | None = None) -> PublishState:
    """Read a state written by :func:`dumps_state`; :class:`PublishStateError` if unreadable."""
    where = file or "<publish state>"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PublishStateError(f"{where}:{exc.lineno}: not JSON ({exc.msg})") from exc
    if not isinstance(data, dict) or data.get("format") != STATE_FORMAT:
        message = f"{where}: not a ceremony publish state (format {STATE_FORMAT})"
        raise PublishStateError(message)
    data.pop("format")
    try:
        return _converter.structure(data, PublishState)
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as exc:
        detail = (
            "; ".join(cattrs.transform_error(exc))
            if isinstance(exc, cattrs.BaseValidationError)
            else str(exc)
        )
        raise PublishStateError(f"{where}: damaged publish state ({detail})") from exc
