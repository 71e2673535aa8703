"""Every id a programme refers to, and which of them name nothing."""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from ceremony.errors import Path
from ceremony.model.programme import Ceremony, Programme
from ceremony.model.segments import Parade, Segment, VictoryCeremony
from ceremony.model.sessions import CompetitionSession
from ceremony.model.timing import Anchor


@attrs.frozen
class Reference:
    """One use of an id: where it is written, what it should name, and the id."""

    path: Path
    target: str
    """``venue``, ``person``, ``delegation``, ``session`` or ``item`` (anything timed)."""
    id: str


def references(programme: Programme) -> Iterator[Reference]:
    """Every reference in the programme, in document order."""
    for index, person in enumerate(programme.people):
        if person.delegation is not None:
            yield Reference(("people", index, "delegation"), "delegation", person.delegation)
    for index, delegation in enumerate(programme.delegations):
        for position, athlete in enumerate(delegation.athletes):
            yield Reference(("delegations", index, "athletes", position), "person", athlete)
    for index, ceremony in enumerate(programme.ceremonies):
        yield from _ceremony_references(ceremony, ("ceremonies", index))
    for path, session in programme.all_sessions():
        yield from _session_references(session, path)


def _ceremony_references(ceremony: Ceremony, prefix: Path) -> Iterator[Reference]:
    if ceremony.venue is not None:
        yield Reference((*prefix, "venue"), "venue", ceremony.venue)
    for path, segment in ceremony.walk():
        yield from _segment_references(segment, (*prefix, *path))


def _segment_references(segment: Segment, path: Path) -> Iterator[Reference]:
    if isinstance(segment.start, Anchor):
        relation = segment.start.relation.value
        yield Reference((*path, "start", relation), "item", segment.start.ref)
    for name in (*segment.role_fields, "people"):
        for position, person in enumerate(getattr(segment, name)):
            yield Reference((*path, name, position), "person", person)
    if isinstance(segment, Parade):
        for position, delegation in enumerate(segment.delegations):
            yield Reference((*path, "delegations", position), "delegation", delegation)
        for delegation, bearers in segment.flagbearers.items():
            yield Reference((*path, "flagbearers", delegation), "delegation", delegation)
            for position, person in enumerate(bearers):
                yield Reference((*path, "flagbearers", delegation, position), "person", person)
    if isinstance(segment, VictoryCeremony) and segment.session is not None:
        yield Reference((*path, "session"), "session", segment.session)


def _session_references(session: CompetitionSession, path: Path) -> Iterator[Reference]:
    if session.venue is not None:
        yield Reference((*path, "venue"), "venue", session.venue)
    for position, delegation in enumerate(session.delegations):
        yield Reference((*path, "delegations", position), "delegation", delegation)
    for position, athlete in enumerate(session.athletes):
        yield Reference((*path, "athletes", position), "person", athlete)
    for position, result in enumerate(session.results):
        if result.athlete is not None:
            yield Reference((*path, "results", position, "athlete"), "person", result.athlete)
        if result.delegation is not None:
            yield Reference(
                (*path, "results", position, "delegation"), "delegation", result.delegation
            )


def known_ids(programme: Programme) -> dict[str, set[str]]:
    """The ids a reference of each target kind may name."""
    return {
        "venue": {venue.id for venue in programme.venues},
        "person": {person.id for person in programme.people},
        "delegation": {delegation.id for delegation in programme.delegations},
        "session": {session.id for _, session in programme.all_sessions()},
        "item": {item.id for _, item in programme.items()},
    }


def unknown_references(programme: Programme) -> Iterator[Reference]:
    """The references whose id names nothing of the kind they should."""
    known = known_ids(programme)
    for reference in references(programme):
        if reference.id not in known[reference.target]:
            yield reference
