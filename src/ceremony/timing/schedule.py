"""A programme's competition sessions as a timeline, in time order."""

from __future__ import annotations

from datetime import datetime

from ceremony.errors import Path
from ceremony.model import CompetitionSession, Programme
from ceremony.timing.timeline import Slot, Timeline
from ceremony.timing.windows import TimeWindow, latest_of
from ceremony.zones import UTC, utc


def resolve_schedule(programme: Programme) -> Timeline:
    """The programme's competition sessions (units indented under them), in time order."""
    placed: list[tuple[datetime, str, Path, CompetitionSession, int]] = []
    unscheduled: list[str] = []
    for path, session in programme.all_sessions():
        depth = path.count("units")
        if session.start is None:
            unscheduled.append(session.id)
            continue
        placed.append((utc(session.start), session.id, path, session, depth))
    placed.sort(key=lambda entry: (entry[0], entry[2]))
    names = programme.person_names()
    slots = (
        tuple(
            _session_slot(session, path, depth, names, placed[0][0])
            for _, _, path, session, depth in placed
        )
        if placed
        else ()
    )
    start = placed[0][0] if placed else datetime.fromtimestamp(0, UTC)
    end = latest_of(slot.end for slot in slots) if slots else TimeWindow.exactly(start)
    return Timeline(
        id=programme.name,
        title=f"{programme.name}: competition schedule",
        kind="schedule",
        zone=programme.timezone,
        start=start,
        end=end,
        slots=slots,
        unscheduled=tuple(unscheduled),
        planned_end=end.expected,
    )


def _session_slot(
    session: CompetitionSession,
    path: Path,
    depth: int,
    names: dict[str, str],
    first: datetime,
) -> Slot:
    assert session.start is not None  # noqa: S101 - unscheduled sessions are set aside
    start = utc(session.start)
    end = utc(session.ends or session.start)
    who = tuple(("athletes", names.get(person, person)) for person in session.athletes)
    return Slot(
        id=session.id,
        kind="session",
        title=session.label,
        start=TimeWindow.exactly(start),
        end=TimeWindow.exactly(end),
        depth=depth,
        floats=False,
        running=start - first,
        who=who,
        path=path,
        planned_start=start,
        planned_end=end,
    )
