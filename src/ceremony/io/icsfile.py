"""Reading an iCalendar file back into competition sessions.

A published feed (ours or anybody's) becomes a :class:`~ceremony.Programme` of sessions,
so it can be checked, diffed against another revision and published again. Each VEVENT
gives a session: the UID's part before ``@`` is its id (the UIDs ``ceremony`` writes are
``id@domain``), SUMMARY its title, DTSTART/DTEND (or DURATION) its times in their own
zone, LOCATION, the first CATEGORY as its sport, STATUS, URL and DESCRIPTION as notes.

What a show file may not hold, a feed may not either: a property read here written twice in
one event, a time outside the supported dates, a duration longer than the longest, a control
character in text. Each is an error naming the file, the event's line and the property.

What would crash icalendar's parser rather than be reported by it is refused before it
parses, at its line: an END that does not close the component open, components nested
past :data:`~ceremony.limits.MAX_NESTING`, a time zone's TZID written twice, a TZID
parameter whose lookup fails with an ``OSError`` (``Europe`` is a folder of the zone
database; a name of 5,000 characters is too long for a file name).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import icalendar
from icalendar.timezone import tzp

from ceremony.durations import too_long
from ceremony.errors import CeremonyError, ShowFileError
from ceremony.limits import MAX_DURATION, MAX_NESTING, date_in_range
from ceremony.model import CompetitionSession, Programme, ScheduleStatus
from ceremony.model.checks import control_character, outside_dates
from ceremony.zones import UTC, zone

_ID_CHARS = re.compile(r"[^A-Za-z0-9_.:+-]+")
_VALID_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:+-]*$")
_STATUSES = {"CANCELLED": ScheduleStatus.CANCELLED, "TENTATIVE": ScheduleStatus.SCHEDULED}
_SINGLE = ("UID", "DTSTART", "DTEND", "DURATION", "SUMMARY", "LOCATION", "DESCRIPTION", "URL")
"""The properties read here that RFC 5545 allows once per event."""
_TEXTS = ("SUMMARY", "LOCATION", "URL", "DESCRIPTION", "CATEGORIES")


def loads_ics(
    text: str | bytes, *, file: str | None = None, sport: str = "Unspecified"
) -> Programme:
    """The sessions of an iCalendar text, as a programme named after the calendar.

    ``sport`` is the sport of events that have no CATEGORIES. Errors are
    :class:`~ceremony.ShowFileError` naming the file, the line of the event and the field.
    """
    raw = text.encode() if isinstance(text, str) else text
    try:  # one pass, for all events, before icalendar parses
        located = _event_lines(raw.decode("utf-8", errors="replace"))
    except _ScanError as exc:
        raise ShowFileError(exc.message, file=file, line=exc.line, path=exc.path) from None
    try:
        calendar = icalendar.Calendar.from_ical(raw)
    except ValueError as exc:
        raise ShowFileError(f"not an iCalendar file ({exc})", file=file) from exc
    sessions: list[CompetitionSession] = []
    seen: set[str] = set()
    zones: Counter[str] = Counter()
    events = [event for event in calendar.walk("VEVENT") if isinstance(event, icalendar.Event)]
    for index, event in enumerate(events):
        where = located[index] if index < len(located) else EventLines(begin=None)
        path: tuple[str | int, ...] = ("VEVENT", index)
        _refuse_repeats(event, where, file, path)
        uid = str(event.get("UID", "")).strip()
        line = where.line
        if not uid:
            raise ShowFileError("an event has no UID", file=file, line=line, path=path)
        if event.get("RECURRENCE-ID") is not None:
            continue  # an override of a recurring event: sessions do not recur
        item_id = _identifier(uid)
        if item_id in seen:
            raise ShowFileError(
                f"UID {uid!r} is used twice", file=file, line=line, path=(*path, "UID")
            )
        seen.add(item_id)
        try:
            session = _session(event, item_id, sport)
        except (CeremonyError, ValueError) as exc:
            field = getattr(exc, "field", None)
            raise ShowFileError(
                str(exc), file=file, line=line, path=(*path, field) if field else path
            ) from exc
        if session.start is not None:
            zones[str(getattr(session.start.tzinfo, "name", "UTC"))] += 1
        sessions.append(session)
    name = calendar.get("X-WR-CALNAME") or calendar.get("NAME") or (file or "Imported calendar")
    zone_name = zones.most_common(1)[0][0] if zones else "UTC"
    return Programme(name=str(name), timezone=_known(zone_name), sessions=tuple(sessions))


def load_ics(path: str | os.PathLike[str], *, sport: str = "Unspecified") -> Programme:
    """Read an .ics file: see :func:`loads_ics`."""
    source = Path(path)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise ShowFileError(f"cannot read: {exc.strerror}", file=str(source)) from exc
    return loads_ics(data, file=str(source), sport=sport)


class _FieldError(ValueError):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def _refuse_repeats(
    event: icalendar.Event, where: EventLines, file: str | None, path: tuple[str | int, ...]
) -> None:
    """A property read here written twice is an error at the line of its second writing."""
    for name in _SINGLE:
        if isinstance(event.get(name), list):
            lines = where.properties.get(name, [])
            raise ShowFileError(
                f"{name} is written twice in this event (it is allowed once)",
                file=file,
                line=lines[1] if len(lines) > 1 else where.line,
                path=(*path, name),
            )


def _session(event: icalendar.Event, item_id: str, sport: str) -> CompetitionSession:
    for field in _TEXTS:
        for prop in _all(event, field):
            for text in prop.cats if field == "CATEGORIES" else [prop]:
                if (problem := control_character(str(text))) is not None:
                    raise _FieldError(problem, field)
    start = _instant(event.get("DTSTART"), "DTSTART")
    end_value = event.get("DTEND")
    end = _instant(end_value, "DTEND") if end_value is not None else None
    duration = event.get("DURATION")
    if end is None and duration is not None:
        if not isinstance(duration.dt, timedelta):
            raise _FieldError(f"{duration.dt} is not a duration", "DURATION")
        if abs(duration.dt) > MAX_DURATION:
            raise _FieldError(too_long(duration.dt), "DURATION")
        end = (start.astimezone(UTC) + duration.dt).astimezone(start.tzinfo)
    # RFC 5545: a DTSTART with a time and no DTEND or DURATION is a moment (no length).
    categories = [str(c) for prop in _all(event, "CATEGORIES") for c in prop.cats]
    status = _STATUSES.get(str(event.get("STATUS", "")).upper(), ScheduleStatus.SCHEDULED)
    url = event.get("URL")
    description = event.get("DESCRIPTION")
    location = event.get("LOCATION")
    summary = event.get("SUMMARY")
    return CompetitionSession(
        id=item_id,
        sport=categories[0] if categories else sport,
        title=str(summary) if summary else None,
        location=str(location) if location else None,
        start=start,
        end=end if end is not None and end > start else None,
        duration=None if end is not None and end > start else timedelta(0),
        status=status,
        url=str(url) if url else None,
        notes=str(description) if description else None,
    )


def _all(event: icalendar.Event, name: str) -> list[Any]:
    value = event.get(name)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _instant(prop: Any, field: str) -> datetime:
    if prop is None:
        raise _FieldError("missing: a session needs a start", field)
    value: date | datetime = prop.dt
    if not isinstance(value, datetime):
        raise _FieldError(f"{value} is a whole day; sessions need a time", field)
    if value.tzinfo is None:
        raise _FieldError(
            f"{value:%Y%m%dT%H%M%S} is a floating time (no TZID, no Z): its zone is unknown",
            field,
        )
    if not date_in_range(value):  # before converting, which would overflow
        raise _FieldError(outside_dates(value), field)
    key = getattr(value.tzinfo, "key", None) or str(prop.params.get("TZID", ""))
    try:
        return value.astimezone(zone(key))
    except ValueError:
        return value.astimezone(UTC) if value.utcoffset() == timedelta(0) else value


def _known(name: str) -> str:
    try:
        zone(name)
    except ValueError:
        return "UTC"
    return name


def _identifier(uid: str) -> str:
    local = uid.split("@", 1)[0] if "@" in uid and not uid.startswith("@") else uid
    if _VALID_ID.match(local):
        return local
    cleaned = _ID_CHARS.sub("-", local).strip("-._:+")
    return cleaned or "event"


@attrs.define
class EventLines:
    """Where one VEVENT is written: its BEGIN line and the lines of its own properties."""

    begin: int | None
    properties: dict[str, list[int]] = attrs.field(factory=dict)

    @property
    def line(self) -> int | None:
        """The line an error about the event points at: its UID's, else its BEGIN's."""
        uid = self.properties.get("UID")
        return uid[0] if uid else self.begin


class _ScanError(Exception):
    """What :func:`_event_lines` refuses: a message, its line and its path."""

    def __init__(self, message: str, line: int, path: tuple[str | int, ...]) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.path = path


@attrs.define
class _Open:
    """A component begun and not yet ended, as the scan sees it."""

    name: str
    begin: int
    path: tuple[str | int, ...]
    event: EventLines | None = None
    once: dict[str, int] = attrs.field(factory=dict)


_ONCE = {"VTIMEZONE": frozenset({"TZID"})}
"""Properties allowed once per component that icalendar crashes on when written twice (it
takes a list of TZIDs for a name); a VEVENT's are refused after parsing (``_SINGLE``)."""
_TZID = re.compile("tzid", re.IGNORECASE)
_HEAD = re.compile(r'(?:[^:"]|"[^"]*")*')
"""A content line's name and parameters: up to the first colon outside double quotes."""
_TZID_PARAMETER = re.compile(r';\s*TZID\s*=\s*("[^"]*"|[^;]*)', re.IGNORECASE)


def _event_lines(text: str) -> list[EventLines]:
    """Each VEVENT's lines, in the order they are written, from one pass over the text.

    Properties of components inside an event (a VALARM's DURATION) are not the event's;
    folded continuation lines are read with the line they continue. The pass refuses
    (:class:`_ScanError`) what would crash icalendar's parser: an END that does not close the
    component open (a VTIMEZONE's TZID then lands on the calendar), components nested past
    :data:`~ceremony.limits.MAX_NESTING`, a VTIMEZONE's TZID written twice, a TZID parameter
    that cannot be looked up (see :func:`_look_up`).
    """
    events: list[EventLines] = []
    stack: list[_Open] = []
    current: _Open | None = None  # the innermost component open
    begun: Counter[str] = Counter()
    looked_up: set[str] = set()
    lines = text.split("\n")
    last = len(lines) - 1
    for index, physical in enumerate(lines):
        if physical[:1] in (" ", "\t"):
            continue
        number = index + 1
        line = physical
        head = line.split(":", 1)[0]
        if (
            (";" in head or len(head) == len(line))  # parameters, or no value yet: unfold
            and index < last
            and lines[index + 1][:1] in (" ", "\t")
        ):
            line = _unfolded(lines, index)
            head = line.split(":", 1)[0]
        name = head.split(";", 1)[0].strip().upper()
        if name == "BEGIN":
            component = line.partition(":")[2].strip().upper()
            if len(stack) >= MAX_NESTING:
                raise _ScanError(
                    f"components nest deeper than {MAX_NESTING} levels; that is the limit",
                    number,
                    stack[-1].path,
                )
            current = _Open(component, number, (component, begun[component]))
            begun[component] += 1
            if component == "VEVENT":
                current.event = EventLines(begin=number)
                events.append(current.event)
            stack.append(current)
            continue
        if name == "END":
            component = line.partition(":")[2].strip().upper()
            if current is not None and current.name != component:
                raise _ScanError(
                    f"END:{component} does not end the {current.name} begun at line "
                    f"{current.begin}",
                    number,
                    current.path,
                )
            if stack:
                stack.pop()
            current = stack[-1] if stack else None
            continue
        if current is None:
            continue
        if current.event is not None:
            current.event.properties.setdefault(name, []).append(number)
        elif name in _ONCE.get(current.name, ()):
            if name in current.once:
                raise _ScanError(
                    f"{name} is written twice in this {current.name} (it is allowed once)",
                    number,
                    (*current.path, name),
                )
            current.once[name] = number
        if ";" in head and _TZID.search(head) is not None:
            for zone_id in _tzid_parameters(head, line):
                if zone_id not in looked_up:
                    looked_up.add(zone_id)
                    _look_up(zone_id, number, (*current.path, name))
    return events


def _tzid_parameters(head: str, line: str) -> list[str]:
    """The TZID parameters of a content line; ``head`` is the line up to its first colon."""
    quoted = _HEAD.match(line) if '"' in head else None  # a quoted value may hold a colon
    return [
        found.group(1).strip().removeprefix('"').removesuffix('"')
        for found in _TZID_PARAMETER.finditer(quoted.group() if quoted else head)
    ]


def _unfolded(lines: list[str], index: int) -> str:
    """The content line starting at ``lines[index]``, its continuation lines joined on."""
    parts = [lines[index].removesuffix("\r")]
    index += 1
    while index < len(lines) and lines[index][:1] in (" ", "\t"):
        parts.append(lines[index][1:].removesuffix("\r"))
        index += 1
    return "".join(parts)


def _look_up(zone_id: str, line: int, path: tuple[str | int, ...]) -> None:
    """Look a TZID up as icalendar will, refusing one whose lookup fails with an OSError.

    icalendar takes a zone it cannot find for "no zone", but lets the zone database's
    ``OSError`` out: ``Europe`` is a folder, a name of 5,000 characters is too long for a
    file name.
    """
    try:
        tzp.timezone(zone_id)
    except OSError as exc:
        shown = (
            repr(zone_id)
            if len(zone_id) <= 60
            else f"{zone_id[:40]!r}… ({len(zone_id):,} characters)"
        )
        raise _ScanError(
            f"TZID {shown} cannot be looked up as a time zone ({exc.strerror or exc})",
            line,
            path,
        ) from None
