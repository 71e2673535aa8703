"""What a programme puts in a calendar: one :class:`CalendarEvent` per ceremony, segment, session.

An entry is everything a VEVENT says (summary, times, place, description, categories,
status) plus the facets a feed is chosen by (sport, venue, delegations, athletes, day ...).
Entries are plain values: they are hashed to tell whether an event changed between two
builds, kept in the publish state for tombstones, and serialized by :mod:`ceremony.export.ics`.
A session the source gives no end gets one of :data:`DEFAULT_LENGTHS` (its description says
the end is estimated); a session with results lists them (:func:`result_text`).
A session's title leads with who takes part (:mod:`ceremony.export.titles`).
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, timedelta

import attrs

from ceremony.durations import format_duration
from ceremony.errors import CeremonyError
from ceremony.export.titles import session_title
from ceremony.model import (
    Actuals,
    Ceremony,
    CompetitionSession,
    Medal,
    Parade,
    Programme,
    ResultLine,
    ScheduleStatus,
    Segment,
    Visibility,
)
from ceremony.model.directory import Directory
from ceremony.model.wording import kind_label, role_label
from ceremony.timing import Rundown, Timeline
from ceremony.zones import utc, zone

DEFAULT_LENGTHS: Mapping[str, timedelta] = {
    "HATH": timedelta(hours=1),
    "HCOUP": timedelta(hours=1),
    "ATH": timedelta(hours=1),
    "COUP": timedelta(hours=1),
    "HTEAM": timedelta(hours=2),
    "TEAM": timedelta(hours=2),
    "session": timedelta(hours=3),
    "other": timedelta(hours=2),
}
"""How long a session's calendar event lasts when the source gives no end (nor a length).

Keyed by the session's ODF ``unit_type``: one hour for a unit of athletes or pairs (``ATH``,
``COUP``, and head to head ``HATH``, ``HCOUP``: a bout, a singles match, a heat), two for
one of teams (``TEAM``, ``HTEAM``: a match, a team round). A session with units or an ODF
``session_type`` (a morning, afternoon or evening session) and no unit type is ``session``,
three hours; anything else is ``other``, two hours. The event's description then says
``End estimated: about 2h``. Only the calendar event is lengthened: the timeline keeps the
session as the source gives it.
"""

MEDAL_WORDS: Mapping[Medal, str] = {
    Medal.GOLD: "Gold",
    Medal.SILVER: "Silver",
    Medal.BRONZE: "Bronze",
}
"""How a result line names a medal."""

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def day_label(day: date) -> str:
    """A day as a fan reads it, in English whatever the locale: ``Saturday 27 July 2024``."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


class CalendarStatus(enum.Enum):
    """The iCalendar STATUS of an event."""

    CONFIRMED = "CONFIRMED"
    TENTATIVE = "TENTATIVE"
    """A ranged time (an item whose length is only known within bounds), or postponed."""
    CANCELLED = "CANCELLED"


def _whole_second(instant: datetime) -> datetime:
    """In UTC, to the nearest whole second: what a calendar holds (a midpoint can be .5s)."""
    instant = utc(instant)
    if not instant.microsecond:  # already whole (nearly always): no arithmetic
        return instant
    return (instant + timedelta(microseconds=500_000)).replace(microsecond=0)


@attrs.frozen(kw_only=True)
class CalendarEvent:
    """One calendar event, and what feeds it belongs in.

    ``start`` and ``end`` are in UTC; ``zone`` is the IANA zone the event is written in
    (its venue's), so a subscriber's calendar shows it at the venue's wall-clock time and
    converts it to their own zone.
    """

    id: str
    """The item's id: the UID is ``id@domain``."""
    kind: str
    """``ceremony``, ``session``, or the segment's kind (``parade``, ``anthem`` ...)."""
    summary: str
    start: datetime = attrs.field(converter=_whole_second)
    end: datetime = attrs.field(converter=_whole_second)
    zone: str
    status: CalendarStatus = CalendarStatus.CONFIRMED
    location: str | None = None
    geo: tuple[float, float] | None = None
    description: str | None = None
    categories: tuple[str, ...] = ()
    url: str | None = None
    ceremony: str | None = None
    """The ceremony a ceremony or segment event belongs to."""
    sport: str | None = None
    discipline: str | None = None
    event: str | None = None
    classification: str | None = None
    phase: str | None = None
    gender: str | None = None
    medal: bool = False
    venue: str | None = None
    delegations: tuple[str, ...] = ()
    athletes: tuple[str, ...] = ()

    @property
    def day(self) -> date:
        """The day the event starts on, at its venue."""
        return self.start.astimezone(zone(self.zone)).date()

    def facet(self, name: str) -> tuple[str, ...]:
        """The values of one facet (``sport``, ``delegation``, ``day`` ...) as text."""
        if name == "delegation":
            return self.delegations
        if name == "athlete":
            return self.athletes
        if name == "day":
            return (self.day.isoformat(),)
        if name == "status":
            return (self.status.value,)
        if name == "medal":
            return ("yes" if self.medal else "no",)
        value = getattr(self, name, None) if name in FACETS else None
        return () if value is None else (str(value),)


FACETS = (
    "kind",
    "ceremony",
    "sport",
    "discipline",
    "event",
    "classification",
    "phase",
    "gender",
    "medal",
    "venue",
    "delegation",
    "athlete",
    "day",
    "status",
)
"""The names a feed filter (``--where``) can test."""


def calendar_events(
    programme: Programme,
    *,
    segments: bool = False,
    crew: bool = False,
    timelines: dict[str, Timeline] | None = None,
    actuals: Actuals | None = None,
    now: datetime | None = None,
) -> list[CalendarEvent]:
    """Every event of the programme, sorted by start, end and id.

    One per ceremony and per scheduled session (sessions without a time are left out);
    with ``segments``, one per public segment too, and with ``crew`` also the crew-only
    ones. ``timelines`` gives a ceremony's timeline by id (a live one, say); any ceremony
    not in it is resolved from its plan.

    ``actuals`` and ``now`` (given together) put the live projection of the ceremony the
    actuals are for in its events, as :func:`ceremony.resolve` works it out: a soft item
    that slid moves, a hard one holds, a finished one shows its recorded times, and the
    ceremony's own event moves as its first item did and ends at the projected end.
    Sessions and other ceremonies keep their plan.
    """
    live = live_timelines(programme, actuals=actuals, now=now)
    if live:
        timelines = {**(timelines or {}), **live}
    found: list[CalendarEvent] = []
    directory = Directory.of(programme)
    for ceremony in programme.ceremonies:
        timeline = (timelines or {}).get(ceremony.id) or Rundown(
            programme, ceremony=ceremony.id
        ).plan
        found.extend(_ceremony_entries(directory, ceremony, timeline, segments=segments, crew=crew))
    found.extend(
        _session_entry(directory, session)
        for _, session in programme.all_sessions()
        if session.start is not None
    )
    found.sort(key=lambda entry: (entry.start, entry.end, entry.id))
    return found


def live_timelines(
    programme: Programme, *, actuals: Actuals | None, now: datetime | None
) -> dict[str, Timeline]:
    """The live timeline of the ceremony ``actuals`` are for, by id (empty without actuals).

    ``actuals`` and ``now`` go together: a :class:`~ceremony.errors.CeremonyError` when
    only one is given (a calendar shows the show as known at one moment).
    """
    if actuals is None and now is None:
        return {}
    if actuals is None or now is None:
        given, missing = ("now", "actuals") if actuals is None else ("actuals", "now")
        message = (
            f"{given} without {missing}: a live calendar needs the actuals and the moment "
            "they are known at (give both, or neither for the plan)"
        )
        raise CeremonyError(message)
    ceremony = programme.ceremony(actuals.ceremony).id
    return {ceremony: Rundown(programme, ceremony=ceremony).resolve(actuals, now)}


def _ceremony_entries(
    directory: Directory,
    ceremony: Ceremony,
    timeline: Timeline,
    *,
    segments: bool,
    crew: bool,
) -> Iterator[CalendarEvent]:
    venue = directory.venue(ceremony.venue)
    delegations, athletes = _marchers(ceremony)
    common = {
        "zone": timeline.zone,
        "ceremony": ceremony.id,
        "venue": ceremony.venue,
        "location": directory.place(ceremony.venue),
        "geo": (venue.geo.lat, venue.geo.lon) if venue and venue.geo else None,
        "url": venue.url if venue else None,
    }
    start = _show_start(timeline)
    yield CalendarEvent(
        id=ceremony.id,
        kind="ceremony",
        summary=ceremony.title,
        start=start,
        end=max(start, timeline.end.expected),
        status=CalendarStatus.CONFIRMED if timeline.end.exact else CalendarStatus.TENTATIVE,
        description=_lines(
            [ceremony.notes, _names("Delegations", delegations, directory.delegation_names)]
        ),
        categories=("Ceremony",),
        delegations=delegations,
        athletes=tuple(a for a in athletes if a in directory.people),
        **common,  # type: ignore[arg-type]
    )
    if not segments:
        return
    public = {
        segment.id
        for _, segment in ceremony.walk()
        if crew or segment.visibility is Visibility.PUBLIC
    }
    by_id = {segment.id: segment for _, segment in ceremony.walk()}
    for slot in timeline.slots:
        if slot.id not in public:
            continue
        who = _who(slot.who)
        exact = slot.start.exact and slot.end.exact
        yield CalendarEvent(
            id=slot.id,
            kind=slot.kind,
            summary=f"{ceremony.title}: {slot.title}",
            start=slot.start.expected,
            end=slot.end.expected,
            status=CalendarStatus.CONFIRMED if exact else CalendarStatus.TENTATIVE,
            description=_lines([*who, *_segment_lines(by_id.get(slot.id), directory)]),
            categories=("Ceremony", kind_label(slot.kind)),
            **common,  # type: ignore[arg-type]
        )


def _show_start(timeline: Timeline) -> datetime:
    """When the ceremony's event starts: the show's start, moved as its first item moved.

    The event spans the whole show, even an item planned (wrongly) before its start. Live,
    a show whose first item started (or is projected to start) late starts that much late;
    in a plan (or with nothing moved) the shift is nothing.
    """
    slots = timeline.slots
    planned = [slot.planned_start or slot.start.expected for slot in slots]
    start = min([timeline.start, *planned])
    if slots:
        start += min(slot.start.expected for slot in slots) - min(planned)
    return start


def _who(pairs: Iterable[tuple[str, str]]) -> list[str]:
    """``Performers: A, B`` lines, one per role, in the order the roles come."""
    by_role: dict[str, list[str]] = {}
    for role, name in pairs:
        by_role.setdefault(role, []).append(name)
    return [f"{role_label(role)}: {', '.join(names)}" for role, names in by_role.items()]


def _segment_lines(segment: Segment | None, directory: Directory) -> list[str | None]:
    """What a segment's event says after who: its kind's details, then its notes."""
    if segment is None:
        return []
    details = segment.details(beside_kind=False, names=directory.delegation_names)
    return [*details, segment.notes]


def _marchers(ceremony: Ceremony) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The delegations a ceremony's parades name, and their flagbearers."""
    delegations: list[str] = []
    bearers: list[str] = []
    for _, segment in ceremony.walk():
        if isinstance(segment, Parade) and not segment.skip:
            delegations.extend(segment.delegations)
            delegations.extend(segment.flagbearers)
            for people in segment.flagbearers.values():
                bearers.extend(people)
    return _unique(delegations), _unique(bearers)


_SESSION_STATUS: Mapping[ScheduleStatus, CalendarStatus] = {
    ScheduleStatus.CANCELLED: CalendarStatus.CANCELLED,
    ScheduleStatus.POSTPONED: CalendarStatus.TENTATIVE,
    ScheduleStatus.UNSCHEDULED: CalendarStatus.TENTATIVE,
}
"""A session's calendar status by its schedule status (any other: CONFIRMED)."""


def _session_entry(directory: Directory, session: CompetitionSession) -> CalendarEvent:
    assert session.start is not None  # noqa: S101 - the caller keeps only timed sessions
    venue = directory.venue(session.venue)
    people = directory.people
    delegations = _unique(
        [
            *session.delegations,
            *(
                people[a].delegation or ""
                for a in session.athletes
                if a in people and people[a].delegation
            ),
        ]
    )
    start = utc(session.start)
    # session.ends in UTC, without a round trip through the start's zone (elapsed time)
    if session.end is not None:
        given_end: datetime | None = utc(session.end)
    elif session.duration is not None:
        given_end = start + session.duration
    else:
        given_end = None
    estimated = default_length(session) if given_end is None or given_end <= start else None
    end = start + estimated if estimated is not None else (given_end or start)
    status = _SESSION_STATUS.get(session.status, CalendarStatus.CONFIRMED)
    details = [
        *_session_details(
            session.discipline,
            session.event,
            session.classification,
            session.phase,
            session.medal,
            session.status,
            estimated,
        ),
        *_results(session.results, directory),
        _names("Delegations", delegations, directory.delegation_names),
        _names("Athletes", session.athletes, directory.person_names),
        session.notes,
    ]
    return CalendarEvent(
        id=session.id,
        kind="session",
        summary=session_title(session, directory, delegations),
        start=start,
        end=end,
        zone=venue.timezone if venue and venue.timezone else directory.programme.timezone,
        status=status,
        location=session.location or directory.place(session.venue),
        geo=(venue.geo.lat, venue.geo.lon) if venue and venue.geo else None,
        description=_lines(details),
        categories=_unique(
            part
            for part in (session.sport, session.discipline, session.classification, session.phase)
            if part
        ),
        url=session.url,
        sport=session.sport,
        discipline=session.discipline,
        event=session.event,
        classification=session.classification,
        phase=session.phase,
        gender=session.gender,
        medal=session.medal,
        venue=session.venue,
        delegations=delegations,
        athletes=session.athletes,
    )


@functools.lru_cache(maxsize=4096)
def _session_details(  # noqa: PLR0917 - the session's fields the lines are made of
    discipline: str | None,
    event: str | None,
    classification: str | None,
    phase: str | None,
    medal: bool,
    status: ScheduleStatus,
    estimated: timedelta | None,
) -> tuple[str | None, ...]:
    """A session's first description lines: what, class, phase, medal, status, end.

    Cached: a schedule repeats them, and they are a pure function of these values.
    """
    return (
        " · ".join(part for part in (discipline, event) if part) or None,
        f"Class {classification}" if classification else None,
        f"Phase: {phase}" if phase else None,
        "Medal event" if medal else None,
        None if status is ScheduleStatus.SCHEDULED else f"Status: {status.value}",
        f"End estimated: about {format_duration(estimated)}" if estimated is not None else None,
    )


def default_length(session: CompetitionSession) -> timedelta:
    """How long a session's event lasts when the source gives no end (:data:`DEFAULT_LENGTHS`)."""
    unit_type = session.unit_type or ""
    if unit_type in DEFAULT_LENGTHS:
        return DEFAULT_LENGTHS[unit_type]
    if session.units or session.session_type:
        return DEFAULT_LENGTHS["session"]
    return DEFAULT_LENGTHS["other"]


def _results(results: Iterable[ResultLine], directory: Directory) -> list[str]:
    """``Results:`` and one line per result, in the order the data gives them (none: [])."""
    lines = [result_text(result, directory) for result in results]
    return ["Results:", *lines] if lines else []


def result_text(result: ResultLine, directory: Directory) -> str:
    """One result as a description line: ``1. Gold · Ana Saleh (AZE) · 1:05.32``.

    The rank (``1.``) when given, the medal in words, who (an athlete by name with their
    delegation's code, or a delegation by name and code), the mark and the notes (on one
    line); each part only when the result has it.
    """
    code = result.delegation
    if result.athlete is not None:
        person = directory.people.get(result.athlete)
        code = code or (person.delegation if person else None)
        name = directory.person_names.get(result.athlete, result.athlete)
    else:
        name = directory.delegation_names.get(code or "", code or "")
    who = f"{name} ({code})" if code and code != name else name
    notes = " ".join(result.notes.split()) if result.notes else None
    medal = MEDAL_WORDS[result.medal] if result.medal else None
    text = " · ".join(part for part in (medal, who, result.mark, notes) if part)
    return f"{result.rank}. {text}" if result.rank is not None else text


def _names(heading: str, ids: Iterable[str], names: dict[str, str]) -> str | None:
    listed = [names.get(item, item) for item in ids]
    return f"{heading}: {', '.join(listed)}" if listed else None


def _lines(parts: Iterable[str | None]) -> str | None:
    text = "\n".join(part for part in parts if part)
    return text or None


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))
