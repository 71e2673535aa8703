"""The whole document: a programme of venues, people, delegations, ceremonies and sessions."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime

import attrs

from ceremony.errors import ModelError, Path, TimingError, UnknownIdError, format_path
from ceremony.model import fields
from ceremony.model.base_segment import Segment
from ceremony.model.checks import (
    at_least,
    at_most,
    aware,
    identifier,
    identifiers,
    in_calendar,
    time_zone,
    unique_ids,
)
from ceremony.model.cues import Department, department_map
from ceremony.model.segments import Act, segment_list
from ceremony.model.sessions import CompetitionSession, session_list
from ceremony.zones import utc


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class Geo:
    """A point on Earth (WGS 84 degrees)."""

    lat: float = attrs.field(converter=fields.number, validator=[at_least(-90), at_most(90)])
    lon: float = attrs.field(converter=fields.number, validator=[at_least(-180), at_most(180)])


def optional_geo(value: Geo | None) -> Geo | None:
    """A :class:`Geo`, or None."""
    return fields.optional_model(Geo, value)


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class Venue:
    """A place where things happen, with its IANA time zone (default: the programme's)."""

    id: str = attrs.field(converter=fields.text, validator=identifier)
    name: str = attrs.field(converter=fields.line)
    timezone: str | None = attrs.field(
        default=None, converter=fields.optional_text, validator=time_zone
    )
    address: str | None = attrs.field(default=None, converter=fields.optional_text)
    geo: Geo | None = attrs.field(default=None, converter=optional_geo)
    url: str | None = attrs.field(default=None, converter=fields.optional_line)


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class Person:
    """Anyone named in the programme: performer, speaker, athlete, official, or a group."""

    id: str = attrs.field(converter=fields.text, validator=identifier)
    name: str = attrs.field(converter=fields.line)
    roles: tuple[str, ...] = attrs.field(factory=tuple, converter=fields.lines)
    delegation: str | None = attrs.field(
        default=None,
        converter=fields.optional_text,
        validator=attrs.validators.optional(identifier),
    )
    sport: str | None = attrs.field(default=None, converter=fields.optional_line)
    notes: str | None = attrs.field(default=None, converter=fields.optional_text)


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class MedalTally:
    """A delegation's medals at these Games and its place in the medal table."""

    gold: int = attrs.field(default=0, converter=fields.whole, validator=at_least(0))
    silver: int = attrs.field(default=0, converter=fields.whole, validator=at_least(0))
    bronze: int = attrs.field(default=0, converter=fields.whole, validator=at_least(0))
    rank: int | None = attrs.field(
        default=None, converter=fields.optional_whole, validator=at_least(1)
    )

    @property
    def total(self) -> int:
        """Gold, silver and bronze added up."""
        return self.gold + self.silver + self.bronze


def optional_tally(value: MedalTally | None) -> MedalTally | None:
    """A :class:`MedalTally`, or None."""
    return fields.optional_model(MedalTally, value)


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class Delegation:
    """A team of one nation (NOC or NPC code as id): its athletes and, once known, its medals.

    Flagbearers change from one ceremony to the next, so each :class:`~ceremony.Parade`
    names them.
    """

    id: str = attrs.field(converter=fields.text, validator=identifier)
    name: str = attrs.field(converter=fields.line)
    athletes: tuple[str, ...] = attrs.field(
        factory=tuple, converter=fields.ids, validator=identifiers
    )
    athlete_count: int | None = attrs.field(
        default=None, converter=fields.optional_whole, validator=at_least(0)
    )
    """The team's size as announced, when not every athlete is listed."""
    sports: tuple[str, ...] = attrs.field(factory=tuple, converter=fields.lines)
    medals: MedalTally | None = attrs.field(default=None, converter=optional_tally)


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class Ceremony:
    """A ceremony: ordered segments from ``start``, optionally with a hard out (target end)."""

    id: str = attrs.field(converter=fields.text, validator=identifier)
    title: str = attrs.field(converter=fields.line)
    start: datetime = attrs.field(converter=fields.instant, validator=aware)
    venue: str | None = attrs.field(
        default=None,
        converter=fields.optional_text,
        validator=attrs.validators.optional(identifier),
    )
    hard_out: datetime | None = attrs.field(
        default=None, converter=fields.optional_instant, validator=aware
    )
    """When the show must be over (the broadcast's end, the curfew)."""
    segments: tuple[Segment, ...] = attrs.field(factory=tuple, converter=segment_list)
    notes: str | None = attrs.field(default=None, converter=fields.optional_text)

    def __attrs_post_init__(self) -> None:
        if self.hard_out is not None and utc(self.hard_out) <= utc(self.start):
            raise ModelError("hard_out must be after start", path=("hard_out",))

    def walk(self) -> Iterator[tuple[Path, Segment]]:
        """Every segment, acts and their children included, with its path in the ceremony."""
        yield from _walk(self.segments, ("segments",))


def _walk(segments: tuple[Segment, ...], prefix: Path) -> Iterator[tuple[Path, Segment]]:
    for index, segment in enumerate(segments):
        path = (*prefix, index)
        yield path, segment
        if isinstance(segment, Act):
            yield from _walk(segment.segments, (*path, "segments"))


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class DateRange:
    """The first and last day of a programme (inclusive)."""

    start: date = attrs.field(converter=fields.day, validator=in_calendar)
    end: date = attrs.field(converter=fields.day, validator=in_calendar)

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise ModelError("the last day comes before the first", path=("end",))


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class SourceMap:
    """Where each part of a programme was read from: a file and the line of each path."""

    file: str | None
    lines: dict[Path, int] = attrs.field(factory=dict)

    def line(self, path: Path) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            found = self.lines.get(tuple(path[:end]))
            if found is not None:
                return found
        return None

    def where(self, path: Path) -> str:
        """``file:line`` for ``path`` (``file`` alone when the line is unknown)."""
        line = self.line(path)
        name = self.file or "<text>"
        return f"{name}:{line}" if line is not None else name


def optional_dates(value: DateRange | None) -> DateRange | None:
    """A :class:`DateRange`, or None."""
    return fields.optional_model(DateRange, value)


def venue_list(value: Sequence[Venue]) -> tuple[Venue, ...]:
    """The programme's venues, each a :class:`Venue`."""
    return fields.models(Venue, value)


def delegation_list(value: Sequence[Delegation]) -> tuple[Delegation, ...]:
    """The programme's delegations, each a :class:`Delegation`."""
    return fields.models(Delegation, value)


def person_list(value: Sequence[Person]) -> tuple[Person, ...]:
    """The programme's people, each a :class:`Person`."""
    return fields.models(Person, value)


def ceremony_list(value: Sequence[Ceremony]) -> tuple[Ceremony, ...]:
    """The programme's ceremonies, each a :class:`Ceremony`."""
    return fields.models(Ceremony, value)


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class Programme:
    """The whole document: what a show file holds.

    Ids are unique within venues, people and delegations; ceremonies, segments and
    sessions (units included) share one namespace, since anchors and UIDs use them.
    """

    name: str = attrs.field(converter=fields.line)
    timezone: str = attrs.field(default="UTC", converter=fields.text, validator=time_zone)
    """The default zone: for venues that name none, and for times written without one."""
    revision: str | None = attrs.field(default=None, converter=fields.optional_line)
    published: datetime | None = attrs.field(
        default=None, converter=fields.optional_instant, validator=aware
    )
    """When this revision was published: the DTSTAMP of its calendar events."""
    dates: DateRange | None = attrs.field(default=None, converter=optional_dates)
    venues: tuple[Venue, ...] = attrs.field(factory=tuple, converter=venue_list)
    delegations: tuple[Delegation, ...] = attrs.field(factory=tuple, converter=delegation_list)
    people: tuple[Person, ...] = attrs.field(factory=tuple, converter=person_list)
    departments: dict[str, Department] = attrs.field(factory=dict, converter=department_map)
    """Department id to its display name and standby lead (``lighting: {name: LX}``)."""
    ceremonies: tuple[Ceremony, ...] = attrs.field(factory=tuple, converter=ceremony_list)
    sessions: tuple[CompetitionSession, ...] = attrs.field(factory=tuple, converter=session_list)
    source: SourceMap | None = attrs.field(default=None, eq=False, repr=False)
    """Where the programme was loaded from (not part of its value)."""

    def __attrs_post_init__(self) -> None:
        unique_ids(self.venues, "venues")
        unique_ids(self.delegations, "delegations")
        unique_ids(self.people, "people")
        seen: dict[str, Path] = {}
        for path, item in self.items():
            if item.id in seen:
                raise ModelError(
                    f"id {item.id!r} is used twice (first at {format_path(seen[item.id])})",
                    path=(*path, "id"),
                )
            seen[item.id] = path

    def items(self) -> Iterator[tuple[Path, Ceremony | Segment | CompetitionSession]]:
        """Every ceremony, segment, session and unit, with its path."""
        for index, ceremony in enumerate(self.ceremonies):
            yield ("ceremonies", index), ceremony
            for path, segment in ceremony.walk():
                yield ("ceremonies", index, *path), segment
        for index, session in enumerate(self.sessions):
            yield from _walk_sessions(session, ("sessions", index))

    def path_of(self, item_id: str) -> Path | None:
        """Where the ceremony, segment, session or unit ``item_id`` is, if anywhere."""
        return next((path for path, item in self.items() if item.id == item_id), None)

    def locate(self, error: TimingError) -> TimingError:
        """``error`` located at its item's start: its path, and file and line if loaded.

        The same error when it names no item of this programme or is located already.
        """
        if error.item is None or error.path or error.file is not None:
            return error
        at = self.path_of(error.item)
        if at is None:
            return error
        path = (*at, "start")
        source = self.source
        return TimingError(
            error.message,
            item=error.item,
            path=path,
            file=None if source is None else source.file,
            line=None if source is None else source.line(path),
        )

    def all_sessions(self) -> Iterator[tuple[Path, CompetitionSession]]:
        """Every session and unit, with its path."""
        for index, session in enumerate(self.sessions):
            yield from _walk_sessions(session, ("sessions", index))

    def venue(self, venue_id: str | None) -> Venue | None:
        """The venue with this id, if any."""
        return next((venue for venue in self.venues if venue.id == venue_id), None)

    def zone_name(self, venue_id: str | None) -> str:
        """The IANA zone of a venue (the programme's zone when the venue names none)."""
        venue = self.venue(venue_id)
        return venue.timezone if venue and venue.timezone else self.timezone

    def person_names(self) -> dict[str, str]:
        """Person id to name."""
        return {person.id: person.name for person in self.people}

    def ceremony(self, ceremony_id: str | None = None) -> Ceremony:
        """The ceremony with this id; without one, the programme's only ceremony.

        :class:`~ceremony.errors.UnknownIdError` (a :class:`KeyError`) names the ids there
        are when none has this id; :class:`~ceremony.errors.TimingError` names them when no
        id is given and the programme has not exactly one ceremony.
        """
        known = ", ".join(c.id for c in self.ceremonies) or "none"
        if ceremony_id is None:
            if len(self.ceremonies) == 1:
                return self.ceremonies[0]
            raise TimingError(f"the programme has several ceremonies; pick one of: {known}")
        for ceremony in self.ceremonies:
            if ceremony.id == ceremony_id:
                return ceremony
        raise UnknownIdError(f"no ceremony {ceremony_id!r} (ceremonies: {known})", id=ceremony_id)


def _walk_sessions(
    session: CompetitionSession, path: Path
) -> Iterator[tuple[Path, CompetitionSession]]:
    yield path, session
    for index, unit in enumerate(session.units):
        yield from _walk_sessions(unit, (*path, "units", index))
