"""A ceremony's run-of-show as an XLSX workbook: the sheet a production team opens in Excel.

One row per item (acts too, shaded, with their segments under them), in show order: number,
id, act, kind, title, start and duration as written (:mod:`ceremony.io.run_of_show_cells`),
the worked-out clock, end and running time, track, who, where, notes, visibility, the kind's
own fields (``Details``, as YAML) and one column per department with its cues. Every
text is a text cell, never a formula, whatever it starts with; text no workbook can hold (a
control character, in a programme built in Python: a loaded one never has any) is a
:class:`~ceremony.errors.ModelError` naming the item and the field. Imported
back with the shipped ``run-of-show`` mapping (and ``--into`` the programme), it gives the
same ceremony: the worked-out columns are ignored.
"""

from __future__ import annotations

import io
from typing import Any

import attrs
import openpyxl
import yaml
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ceremony.durations import format_duration
from ceremony.errors import ModelError, Path
from ceremony.export.timeline import clock
from ceremony.io.converter import CONVERTER
from ceremony.io.run_of_show_cells import cue_line, duration_cell, start_cell
from ceremony.model import Act, Ceremony, Programme, Segment, Visibility
from ceremony.model.checks import control_character
from ceremony.timing import Timeline
from ceremony.zones import zone

BASE_FIELDS = frozenset(field.name for field in attrs.fields(Segment))
"""What every segment has; the rest of a kind's fields go in the Details column."""

HEADINGS = (
    "#",
    "ID",
    "Act",
    "Kind",
    "Title",
    "Start",
    "Duration",
    "Clock",
    "Ends",
    "Running",
    "Track",
    "Who",
    "Where",
    "Notes",
    "Visibility",
    "Details",
)
_WIDTHS = {
    "#": 5,
    "ID": 18,
    "Act": 12,
    "Kind": 14,
    "Title": 36,
    "Start": 16,
    "Duration": 10,
    "Clock": 8,
    "Ends": 8,
    "Running": 9,
    "Track": 8,
    "Who": 24,
    "Where": 18,
    "Notes": 36,
    "Visibility": 10,
    "Details": 30,
}
_FIELDS = {
    "Title": "title",
    "Track": "track",
    "Who": "roles",
    "Where": "location",
    "Notes": "notes",
}
"""The field a text column shows (the department columns show ``cues``)."""
_ACT_FILL = PatternFill("solid", fgColor="DDDDDD")


def run_of_show_xlsx(programme: Programme, ceremony: Ceremony, timeline: Timeline) -> bytes:
    """The workbook's bytes: one sheet, ``Run of show``, headed by the ceremony."""
    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "Run of show"
    position = next((n for n, c in enumerate(programme.ceremonies) if c is ceremony), None)
    prefix: Path = ("ceremonies", position) if position is not None else ()
    departments: dict[str, None] = {}
    for path, segment in ceremony.walk():
        for number, cue in enumerate(segment.cues):
            if cue.department not in departments:
                where = (*prefix, *path, "cues", number, "department")
                _refuse_control(cue.department, where, "a department (a column of the workbook)")
                departments[cue.department] = None
    headings = [*HEADINGS, *departments]
    sheet.append(headings)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        _as_text(cell)
    names = programme.person_names()
    zone_name = programme.zone_name(ceremony.venue)
    tz = zone(zone_name)
    acts = {
        child.id: segment.id
        for _, segment in ceremony.walk()
        if isinstance(segment, Act)
        for child in segment.segments
    }
    for number, (path, segment) in enumerate(ceremony.walk(), start=1):
        slot = timeline.slot(segment.id)
        by_department: dict[str, list[str]] = {}
        for cue in segment.cues:
            by_department.setdefault(cue.department, []).append(cue_line(cue))
        values = [
            number,
            segment.id,
            acts.get(segment.id, ""),
            segment.kind,
            segment.title or "",
            start_cell(segment.start, ceremony, zone_name),
            duration_cell(segment.duration),
            clock(slot.start.expected, tz),
            clock(slot.end.expected, tz),
            format_duration(slot.running),
            segment.track or "",
            "; ".join(names.get(person, person) for _, person in segment.roles()),
            segment.location or "",
            segment.notes or "",
            "" if segment.visibility is Visibility.PUBLIC else segment.visibility.value,
            _details(segment),
            *("\n".join(by_department.get(department, [])) for department in departments),
        ]
        for column, value in enumerate(values):
            if isinstance(value, str):
                heading = headings[column]
                field = _FIELDS.get(heading, heading) if column < len(HEADINGS) else "cues"
                item = f"item {segment.id!r}, column {heading!r}"
                _refuse_control(value, (*prefix, *path, field), item)
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            _as_text(cell)
            if isinstance(segment, Act):
                cell.fill = _ACT_FILL
                cell.font = Font(bold=True)
    for index, heading in enumerate(headings, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(heading, 28)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "F2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _refuse_control(text: str, path: Path, what: str) -> None:
    """Refuse text no workbook can hold (openpyxl would raise its IllegalCharacterError)."""
    if (problem := control_character(text)) is not None:
        raise ModelError(f"{what}: {problem}", path=path)


def _as_text(cell: Cell | MergedCell) -> None:
    """Keep a text cell text: openpyxl makes any string starting with ``=`` a formula."""
    if isinstance(cell.value, str):
        cell.data_type = "s"


def _details(segment: Segment) -> str:
    """The kind's own fields (and a fixed end, or a cut), as one line of YAML."""
    data: dict[str, Any] = CONVERTER.unstructure(segment, Segment)
    kept = {
        key: value
        for key, value in data.items()
        if key not in BASE_FIELDS and key not in ("kind", "segments")
    }
    for key in ("end", "skip"):
        if key in data:
            kept[key] = data[key]
    if not kept:
        return ""
    return yaml.safe_dump(
        kept, default_flow_style=True, sort_keys=False, width=10_000, allow_unicode=True
    ).strip()
