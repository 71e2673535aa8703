"""Per-department cue sheets: one department's cues, in the order they are called.

A :class:`CueSheet` is cut from a :class:`~ceremony.export.sheets.Sheet`, so it shares its
header, its clock readings and its change marks: a lighting desk's sheet and the stage
manager's run-of-show can never disagree.
"""

from __future__ import annotations

import attrs

from ceremony.durations import format_clock_duration
from ceremony.errors import CeremonyError
from ceremony.export.sheets.view import (
    ChangeMark,
    CueLine,
    Header,
    Sheet,
    SheetRow,
    Summary,
)


@attrs.frozen(kw_only=True)
class CueRow:
    """One cue on a department's sheet."""

    number: str
    """Its place in the department's calling order (``1``, ``2`` ...)."""
    cue: CueLine
    running: str
    """When it falls, measured from the start of the show."""
    item_number: str
    item_title: str
    item_id: str
    item_start: str
    """The clock start of the item the cue belongs to."""
    change: ChangeMark | None = None
    """With change marks: ``new`` for a new item's cue, ``changed`` for a cue that moved
    on the clock or whose item's cues were edited."""


@attrs.frozen(kw_only=True)
class CueSheet:
    """A department's cue sheet: what a template for ``cues.html.j2`` is given."""

    header: Header
    department: str
    rows: tuple[CueRow, ...]
    summary: Summary
    marked: bool


def departments(sheet: Sheet) -> tuple[str, ...]:
    """The departments with cues on ``sheet``, in the order they first come up."""
    return tuple(dict.fromkeys(cue.department for row in sheet.rows for cue in row.cues))


def _key(department: str) -> str:
    return department.strip().lower().replace("_", "-").replace(" ", "-")


def cue_sheet(sheet: Sheet, department: str) -> CueSheet:
    """``department``'s cues (``Stage management`` matches ``stage-management``).

    Raises :class:`~ceremony.CeremonyError` naming the departments there are when
    ``department`` has no cue.
    """
    wanted = _key(department)
    found = [name for name in departments(sheet) if _key(name) == wanted]
    if not found:
        known = ", ".join(departments(sheet)) or "none"
        raise CeremonyError(f"no cues for department {department!r}; departments: {known}")
    pairs: list[tuple[CueLine, SheetRow]] = [
        (cue, row) for row in sheet.rows for cue in row.cues if _key(cue.department) == wanted
    ]
    pairs.sort(key=lambda pair: pair[0].at)  # stable: items' own order for cues at one instant
    rows = tuple(
        CueRow(
            number=str(index),
            cue=cue,
            running=format_clock_duration(cue.at - sheet.start_at),
            item_number=row.number,
            item_title=row.title,
            item_id=row.id,
            item_start=row.start,
            change=_change(cue, row),
        )
        for index, (cue, row) in enumerate(pairs, start=1)
    )
    header = attrs.evolve(
        sheet.header,
        document=f"{found[0].replace('-', ' ').capitalize()} cue sheet",
    )
    return CueSheet(
        header=header, department=found[0], rows=rows, summary=sheet.summary, marked=sheet.marked
    )


def cue_sheets(sheet: Sheet) -> list[CueSheet]:
    """A cue sheet for every department with cues on ``sheet``, in :func:`departments` order.

    What ``ceremony sheet --all-departments`` writes, one document per department. Raises
    :class:`~ceremony.CeremonyError` when no department has a cue.
    """
    names = departments(sheet)
    if not names:
        raise CeremonyError(f"{sheet.header.item_id}: no department has a cue")
    return [cue_sheet(sheet, name) for name in names]


def _change(cue: CueLine, row: SheetRow) -> ChangeMark | None:
    if row.change == "new":
        return "new"
    if cue.was is not None or "cues" in row.changed:
        return "changed"
    return None
