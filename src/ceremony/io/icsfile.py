"""Reading an iCalendar file back into competition sessions.

A published feed (ours or anybody's) becomes a :class:`~ceremony.Programme` of sessions,
so it can be checked, diffed against another revision and published again. Each VEVENT
gives a session: the UID's part before ``@`` is its id (the UIDs ``ceremony`` writes are
``id@domain``), SUMMARY its title, DTSTART/DTEND (or DURATION) its times in their own
zone, LOCATION, the first CATEGORY as its sport, STATUS, URL and DESCRIPTION as notes.

What a show file may not hold, a feed may not either: a property read here written twice in
one event, a time outside the supported dates, a duration longer than the longest, a control
character in text. Each is an error naming the file, the event's line and the property.
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

from ceremony.durations import too_long
from ceremony.errors import CeremonyError, ShowFileError
from ceremony.limits import MAX_DURATION, date_in_range
from ceremony.model import CompetitionSession, Programme, Status
from ceremony.model.checks import control_character, outside_dates
from ceremony.zones import UTC, zone

_ID_CHARS = re.compile(r"[^A-Za-z0-9_.:+-]+")
_VALID_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:+-]*$")
_STATUSES = {"CANCELLED": Status.CANCELLED, "TENTATIVE": Status.SCHEDULED}
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
    try:
        calendar = icalendar.Calendar.from_ical(raw)
    except ValueError as exc:
        raise ShowFileError(f"not an iCalendar file ({exc})", file=file) from exc
    located = _event_lines(raw.decode("utf-8", errors="replace"))  # one pass, for all events
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
    status = _STATUSES.get(str(event.get("STATUS", "")).upper(), Status.SCHEDULED)
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


def _event_lines(text: str) -> list[EventLines]:
    """Each VEVENT's lines, in the order they are written, from one pass over the text.

    Properties of components inside an event (a VALARM's DURATION) are not the event's;
    folded continuation lines are skipped.
    """
    events: list[EventLines] = []
    depth = 0  # components open inside the current VEVENT (it included); 0: outside one
    for number, line in enumerate(text.split("\n"), 1):
        if line[:1] in (" ", "\t"):
            continue
        name = line.split(":", 1)[0].split(";", 1)[0].strip().upper()
        if name == "BEGIN":
            component = line.partition(":")[2].strip().upper()
            if depth:
                depth += 1
            elif component == "VEVENT":
                depth = 1
                events.append(EventLines(begin=number))
        elif name == "END" and depth:
            depth -= 1
        elif depth == 1:
            events[-1].properties.setdefault(name, []).append(number)
    return events
