"""iCalendar output (RFC 5545 and RFC 7986): the calendar around the events, and each event.

Each event is serialized once (:func:`event_bytes`, by :mod:`ceremony.export.vevent`, the
bytes icalendar would write at a twentieth of the cost) and a calendar is put together
from those bytes (:func:`assemble`): a site of hundreds of feeds serializes each event
once, not once per feed. The ``icalendar`` package writes the calendar's own properties
(:func:`head_bytes`) and the VTIMEZONEs. What a subscriber's calendar needs to follow a
feed is here too:

- UID ``id@domain``, stable from one build to the next;
- the same bytes for the same input: events in a stable order, DTSTAMP from the revision's
  publication time (never the clock), SEQUENCE and LAST-MODIFIED from the publish state;
- times with the venue's TZID, and a VTIMEZONE for every TZID, narrowed to the programme's
  dates; a time given with a bare offset (``+02:00``) is written in the venue's zone;
- NAME and X-WR-CALNAME, REFRESH-INTERVAL;VALUE=DURATION and X-PUBLISHED-TTL.

No METHOD is written: a feed is a published calendar, not an iTIP message.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import attrs
from icalendar import Calendar, Timezone, vDuration, vText
from icalendar.timezone.tzid import tzid_from_tzinfo

from ceremony.errors import ModelError
from ceremony.export.events import CalendarEvent
from ceremony.export.feeds import FilterLike, chosen_events
from ceremony.export.vevent import plain, uri, vevent
from ceremony.model import Actuals, Programme

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
"""The DTSTAMP of a programme with no ``published`` time and no publish state."""

PRODID = "-//ceremony//ceremony//EN"


@attrs.frozen(kw_only=True)
class FeedSettings:
    """How feeds are published: the UID domain and how often clients should refresh."""

    domain: str = "ceremony.invalid"
    """UIDs are ``id@domain``: use a domain you control, and never change it."""
    refresh: timedelta = timedelta(hours=1)
    """REFRESH-INTERVAL and X-PUBLISHED-TTL: how often a client should fetch the feed."""
    keep_cancelled: timedelta = timedelta(days=30)
    """How long a removed event stays in the feed as CANCELLED before it goes."""

    def __attrs_post_init__(self) -> None:
        if self.refresh <= timedelta(0):
            raise ModelError("the refresh interval must be positive")
        if not self.domain or any(c.isspace() or c in "@/" for c in self.domain):
            raise ModelError(f"{self.domain!r} is not a domain name")


@attrs.frozen(kw_only=True)
class Stamped:
    """An entry with what its publication says of it: SEQUENCE, LAST-MODIFIED, DTSTAMP."""

    entry: CalendarEvent
    sequence: int = 0
    modified: datetime | None = None
    stamp: datetime = EPOCH

    def __attrs_post_init__(self) -> None:
        if self.sequence < 0:
            raise ModelError(f"SEQUENCE must be 0 or more, not {self.sequence}")


def uid(item_id: str, domain: str) -> str:
    """The UID of an item's event."""
    return f"{item_id}@{domain}"


def _text(text: str) -> vText:
    r"""A TEXT value, escaped whatever the property (icalendar writes NAME and X- raw).

    The model refuses line breaks in names and control characters everywhere; a value
    that got past it (set behind attrs' back) has its line breaks written as ``\n`` and
    its control characters as U+FFFD (:func:`~ceremony.export.vevent.plain`), so that it
    never ends its content line.
    """
    return vText(plain(text))


def _local(instant: datetime, zone_name: str) -> datetime:
    """The instant in its zone, or in UTC where the zone's wall clock would mislead.

    A wall-clock time of the repeated hour at the end of summer time names two instants;
    RFC 5545 reads it as the first. The second one is therefore written in UTC.
    """
    if zone_name == "UTC":
        return instant.astimezone(UTC)
    local = instant.astimezone(ZoneInfo(zone_name))
    if local.fold and local.replace(fold=0).utcoffset() != local.utcoffset():
        return instant.astimezone(UTC)
    return local


@cache
def _tzid(zone_name: str) -> str | None:
    """The TZID of a zone's times, as icalendar names it; None where it writes them in UTC.

    icalendar takes ``Etc/UTC``, ``GMT`` and the zones it holds equivalent to UTC
    (``Africa/Abidjan`` ...) for UTC: their times are written with ``Z``.
    """
    found = tzid_from_tzinfo(ZoneInfo(zone_name))
    return None if found in {None, "UTC"} else found


def _written(instant: datetime, zone_name: str) -> tuple[datetime, str | None]:
    """The instant as a DATE-TIME property writes it: its zone's wall clock and TZID, or UTC."""
    local = _local(instant, zone_name)
    if local.tzinfo is UTC:
        return local, None
    return local, _tzid(zone_name)


def event_bytes(stamped: Stamped, domain: str) -> bytes:
    """One VEVENT (text escaped and lines folded by :func:`ceremony.export.vevent.vevent`)."""
    entry = stamped.entry
    start, start_tzid = _written(entry.start, entry.zone)
    # A moment (no length) has no DTEND: RFC 5545 wants DTEND after DTSTART.
    end, end_tzid = _written(entry.end, entry.zone) if entry.end > entry.start else (None, None)
    return vevent(
        uid=uid(entry.id, domain),
        summary=entry.summary,
        start=start,
        start_tzid=start_tzid,
        end=end,
        end_tzid=end_tzid,
        stamp=stamped.stamp,
        sequence=stamped.sequence,
        categories=entry.categories,
        status=entry.status.value,
        description=entry.description,
        location=entry.location,
        geo=entry.geo,
        last_modified=stamped.modified,
        url=entry.url,
    )


@cache
def timezone_bytes(zone_name: str, first: date, last: date) -> bytes:
    """The VTIMEZONE of an IANA zone, with only the transitions between two dates."""
    data: bytes = Timezone.from_tzid(zone_name, first_date=first, last_date=last).to_ical()
    return data


@attrs.frozen(kw_only=True)
class CalendarHead:
    """What a feed says of itself."""

    id: str
    """The feed's own UID is ``id@domain``."""
    name: str
    description: str | None = None
    url: str | None = None


def head_bytes(head: CalendarHead, settings: FeedSettings) -> bytes:
    r"""The calendar's properties, up to (not including) its first component.

    NAME and X-WR-CALNAME, DESCRIPTION and X-WR-CALDESC (each written once) are escaped
    as TEXT: a line break in a name is ``\n`` there, never a line of its own.
    """
    calendar = Calendar.new(
        prodid=PRODID,
        name=_text(head.name),
        description=None if head.description is None else _text(head.description),
        uid=_text(uid(head.id, settings.domain)),
        url=None if head.url is None else uri(head.url),
        refresh_interval=settings.refresh,
    )
    # icalendar writes REFRESH-INTERVAL:PT1H; RFC 7986 requires VALUE=DURATION.
    calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
    calendar.add("X-PUBLISHED-TTL", vDuration(settings.refresh))
    text: bytes = calendar.to_ical()
    return text.removesuffix(b"END:VCALENDAR\r\n")


def span(events: Iterable[CalendarEvent], programme: Programme | None = None) -> tuple[date, date]:
    """The dates VTIMEZONEs are narrowed to: the programme's, or the events', a day wider."""
    if programme is not None and programme.dates is not None:
        first, last = programme.dates.start, programme.dates.end
    else:
        days = [entry.day for entry in events]
        first, last = (min(days), max(days)) if days else (EPOCH.date(), EPOCH.date())
    return first - timedelta(days=1), last + timedelta(days=2)


def assemble(
    head: bytes,
    zones: Iterable[str],
    events: Sequence[bytes],
    dates: tuple[date, date],
) -> bytes:
    """A whole calendar from its head, the zones its events use, and their bytes."""
    blocks = [head]
    blocks.extend(timezone_bytes(name, *dates) for name in sorted(set(zones)) if name != "UTC")
    blocks.extend(events)
    blocks.append(b"END:VCALENDAR\r\n")
    return b"".join(blocks)


def stamp_of(programme: Programme) -> datetime:
    """The DTSTAMP of a programme's events: its publication time, or :data:`EPOCH`."""
    return programme.published or EPOCH


def to_ical(
    programme: Programme,
    *,
    where: FilterLike | None = None,
    segments: bool | None = None,
    crew: bool | None = None,
    settings: FeedSettings | None = None,
    name: str | None = None,
    selected: Iterable[CalendarEvent] | None = None,
    actuals: Actuals | None = None,
    now: datetime | None = None,
) -> bytes:
    """The programme as one calendar, with no publish state (every SEQUENCE is 0).

    ``where`` keeps only the matching events: the text of ``--where``
    (``"sport=Para Swimming,classification=S12|S13"``), several such texts (each must
    match, like ``--where`` given more than once), or a :class:`~ceremony.export.feeds.FeedFilter`.
    ``segments`` adds one event per public segment, ``crew`` the crew-only ones too.
    ``actuals`` and ``now``, given together, put the live projection of their ceremony in
    its events (see :func:`~ceremony.export.events.calendar_events`).

    ``selected`` gives the entries to start from instead of the programme's (see
    :func:`ceremony.export.events.calendar_events`); ``segments=False`` and ``crew=False``
    then leave out its segment and crew-only events (left unset, it is written as given),
    and ``where`` narrows it. To follow changes from one build to the next, use
    :func:`ceremony.publish_feed` or :func:`ceremony.build_site` instead.
    """
    settings = settings or FeedSettings()
    chosen = chosen_events(
        programme,
        where=where,
        segments=segments,
        crew=crew,
        actuals=actuals,
        now=now,
        selected=selected,
    )
    stamp = stamp_of(programme)
    head = CalendarHead(id="all", name=name or programme.name)
    return assemble(
        head_bytes(head, settings),
        (entry.zone for entry in chosen),
        [event_bytes(Stamped(entry=entry, stamp=stamp), settings.domain) for entry in chosen],
        span(chosen, programme),
    )


__all__ = [
    "EPOCH",
    "CalendarHead",
    "FeedSettings",
    "Stamped",
    "assemble",
    "event_bytes",
    "head_bytes",
    "span",
    "stamp_of",
    "timezone_bytes",
    "to_ical",
    "uid",
]
