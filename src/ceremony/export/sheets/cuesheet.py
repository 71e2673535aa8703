"""Per-department cue sheets: one department's cues, in the order they are called.

A :class:`CueSheet` is cut from a :class:`~ceremony.export.sheets.Sheet`, so it shares its
header, its clock readings and its change marks: a lighting desk's sheet and the stage
manager's run-of-show can never disagree. Its clock column has seconds only when one of its
own cues needs them (``20:10``, where the run-of-show, with a cue at ``22:03:30``, reads
``20:10:00``). :func:`named_cues` gives a sheet's cues their departments' display names
and each unlabelled standby the label of the GO it warns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

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
from ceremony.model.cues import Call, Department, department_key, department_name, pair_standbys

_READING = re.compile(r"^(?P<minutes>\d\d:\d\d)(?::(?P<seconds>\d\d))?(?= |$)")
"""A clock reading: ``20:10``, ``20:10:30``, ``00:10:00 +1d``."""


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
    """The department's id, as the show file writes it (``lighting``)."""
    rows: tuple[CueRow, ...]
    summary: Summary
    marked: bool
    department_name: str = ""
    """What the sheet calls the department: ``LX`` (see ``departments:``)."""
    go_count: int = 0
    """How many cues the department has: its GOs (a standby is not a cue of its own)."""
    standby_count: int = 0

    @property
    def count_text(self) -> str:
        """The sheet's foot, counting GOs: ``2 Pyro cues (and 1 standby).``."""
        name = self.department_name or self.department
        text = f"{self.go_count} {name} cue{'' if self.go_count == 1 else 's'}"
        if self.standby_count:
            text += f" (and {self.standby_count} standby{'' if self.standby_count == 1 else 's'})"
        return text + "."


def departments(sheet: Sheet) -> tuple[str, ...]:
    """The departments with cues on ``sheet``, in the order they first come up."""
    return tuple(dict.fromkeys(cue.department for row in sheet.rows for cue in row.cues))


def named_cues(
    rows: tuple[SheetRow, ...],
    departments: Mapping[str, Department] = {},
) -> tuple[SheetRow, ...]:
    """``rows`` with each cue's department named as ``departments`` name it.

    Each standby without a label gets the label of the GO it warns (``Standby LX 90``),
    paired as :func:`~ceremony.model.cues.pair_standbys` pairs them.
    """
    lines = [cue for row in rows for cue in row.cues]
    if not lines:
        return rows
    calls = [
        Call(department=cue.department, label=cue.label, standby=cue.call == "Standby", at=cue.at)
        for cue in lines
    ]
    warns = {standby: go for go, standby in pair_standbys(calls).items()}
    named = iter(
        attrs.evolve(
            cue,
            department_name=department_name(cue.department, departments),
            standby_for=lines[warns[index]].label if index in warns else None,
        )
        for index, cue in enumerate(lines)
    )
    return tuple(
        attrs.evolve(row, cues=tuple(next(named) for _ in row.cues)) if row.cues else row
        for row in rows
    )


def cue_sheet(sheet: Sheet, department: str) -> CueSheet:
    """``department``'s cues, by id or by name.

    ``Stage management`` matches ``stage-management``; ``LX`` matches ``lighting`` when
    that is its name.

    Raises :class:`~ceremony.CeremonyError` naming the departments there are when
    ``department`` has no cue.
    """
    wanted = department_key(department)
    names = {cue.department: cue.department_name for row in sheet.rows for cue in row.cues}
    found = [
        name
        for name in departments(sheet)
        if wanted in (department_key(name), department_key(names[name]))
    ]
    if not found:
        known = ", ".join(departments(sheet)) or "none"
        raise CeremonyError(f"no cues for department {department!r}; departments: {known}")
    ids = {department_key(name) for name in found}
    pairs: list[tuple[CueLine, SheetRow]] = [
        (cue, row)
        for row in sheet.rows
        for cue in row.cues
        if department_key(cue.department) in ids
    ]
    pairs.sort(key=lambda pair: pair[0].at)  # stable: items' own order for cues at one instant
    cue_seconds = _needs_seconds(
        reading for cue, _ in pairs for reading in (cue.clock, *cue.clocks, cue.was)
    )
    start_seconds = _needs_seconds(row.start for _, row in pairs)
    rows = tuple(
        CueRow(
            number=str(index),
            cue=attrs.evolve(
                cue,
                clock=_reading(cue.clock, seconds=cue_seconds),
                clocks=tuple(_reading(other, seconds=cue_seconds) for other in cue.clocks),
                was=None if cue.was is None else _reading(cue.was, seconds=cue_seconds),
            ),
            running=format_clock_duration(cue.at - sheet.start_at),
            item_number=row.number,
            item_title=row.title,
            item_id=row.id,
            item_start=_reading(row.start, seconds=start_seconds),
            change=_change(cue, row),
        )
        for index, (cue, row) in enumerate(pairs, start=1)
    )
    name = names[found[0]]
    header = attrs.evolve(sheet.header, document=f"{name} cue sheet")
    standbys = sum(row.cue.call == "Standby" for row in rows)
    return CueSheet(
        header=header,
        department=found[0],
        rows=rows,
        summary=sheet.summary,
        marked=sheet.marked,
        department_name=name,
        go_count=len(rows) - standbys,
        standby_count=standbys,
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


def _needs_seconds(readings: Iterable[str | None]) -> bool:
    """Whether one of ``readings`` falls on a second other than ``:00``."""
    for reading in readings:
        found = _READING.match(reading or "")
        if found is not None and found["seconds"] not in (None, "00"):
            return True
    return False


def _reading(text: str, *, seconds: bool) -> str:
    """A clock reading of the run-of-show written as the cue sheet's column writes it.

    The run-of-show's cue column has seconds when any cue of the show needs them; a cue
    sheet's has them only when one of its own cues does: ``20:10:00`` reads ``20:10``.
    """
    found = _READING.match(text)
    if found is None:
        return text
    minutes = found["minutes"]
    head = f"{minutes}:{found['seconds'] or '00'}" if seconds else minutes
    return head + text[found.end() :]
