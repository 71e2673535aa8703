"""Sheets as CSV: one row per item (or cue), ISO 8601 times with offsets, for spreadsheets."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo

from ceremony.export.sheets.cuesheet import CueSheet
from ceremony.export.sheets.view import Sheet, SheetRow
from ceremony.io.tables import guard_text
from ceremony.zones import zone

_Write = Callable[[list[str]], object]


def _iso(instant: datetime | None, tz: tzinfo) -> str:
    return "" if instant is None else instant.astimezone(tz).isoformat()


def render_csv(sheet: Sheet | CueSheet) -> str:
    """The sheet as CSV (RFC 4180, CRLF line ends), a header row first.

    Times are ISO 8601 in the show's zone with their offset; durations are ``H:MM:SS``,
    which spreadsheets read as durations. The header is fixed for each kind of sheet (a
    schedule adds ``delegations``, ``athletes`` and ``results``), whether or not a column
    has anything in it, so that a spreadsheet or script can rely on it: unlike the printed
    formats, CSV does not follow :attr:`Sheet.columns`. Text from the show (titles, names,
    notes, cues) that a spreadsheet would run as a formula gets a ``'`` first
    (:func:`guard_text`).
    """
    buffer = io.StringIO()
    write = csv.writer(buffer).writerow
    if isinstance(sheet, CueSheet):
        _cues(sheet, write)
    else:
        _items(sheet, write)
    return buffer.getvalue()


def _items(sheet: Sheet, write: _Write) -> None:
    header = sheet.header
    home = zone(header.zone)
    extras = [zone(name) for name in header.extra_zones]
    columns = ["number", "id", "kind", "depth", "title", "start", "end", "duration"]
    columns += ["running", "hard"] if sheet.kind == "ceremony" else []
    columns += [f"start {name}" for name in header.extra_zones]
    columns += ["delegations", "athletes", "results"] if sheet.kind == "schedule" else []
    columns += ["who", "where"] + ([] if header.public else ["cues"]) + ["notes"]
    columns += ["target", "over_under"] if sheet.kind == "ceremony" else []
    columns += ["planned_start", "actual_start", "late", "state"] if sheet.live else []
    columns += ["must_start_by", "slack"] if sheet.backtime else []
    columns += ["change", "changed_fields", "was"] if sheet.marked else []
    write(columns)
    for row in sheet.rows:
        write(_item(row, sheet, home, extras))
    for item in sheet.removed:
        cells: dict[str, str] = {
            "id": guard_text(item.id),
            "kind": item.kind.lower(),
            "title": guard_text(item.title),
        }
        cells.update({"change": "removed", "was": f"start {item.start or ''}".strip()})
        write([cells.get(column, "") for column in columns])


def _item(row: SheetRow, sheet: Sheet, home: tzinfo, extras: Sequence[tzinfo]) -> list[str]:
    cells = [
        row.number,
        guard_text(row.id),
        row.kind,
        str(row.depth),
        guard_text(row.title),
        _iso(row.start_at, home),
        _iso(row.end_at, home),
        row.duration,
    ]
    if sheet.kind == "ceremony":
        cells += [row.running, "yes" if row.hard else ""]
    cells += [_iso(row.start_at, tz) for tz in extras]
    if sheet.kind == "schedule":
        cells += [guard_text("; ".join(values)) for values in (row.delegations, row.athletes)]
        cells.append(guard_text("; ".join(row.results)))
    cells += [guard_text("; ".join(str(credit) for credit in row.who)), guard_text(row.where)]
    if not sheet.header.public:
        cells.append(guard_text("; ".join(str(cue) for cue in row.cues)))
    cells.append(guard_text(_notes_and_details(row)))
    if sheet.kind == "ceremony":
        cells += [row.target or "", row.over_under or ""]
    if sheet.live:
        cells += [_iso(row.planned_at, home), _iso(row.actual_at, home), row.late or "", row.state]
    if sheet.backtime:
        cells += [_iso(row.start_by_at, home), row.slack or ""]
    if sheet.marked:
        was = "; ".join(f"{key} {value}" for key, value in row.was.items())
        cells += [row.change or "", " ".join(row.changed), guard_text(was)]
    return cells


def _notes_and_details(row: SheetRow) -> str:
    """The notes cell: the notes, then the kind's details, as sentences."""
    parts = [part.rstrip(".") for part in (row.notes, *row.details) if part]
    return ". ".join(parts) + ("." if parts else "")


def _cues(sheet: CueSheet, write: _Write) -> None:
    home = zone(sheet.header.zone)
    columns = ["number", "department", "label", "call", "wording", "text", "at", "running"]
    columns += ["item_number", "item_id", "item_title", "when"]
    columns += ["change", "was"] if sheet.marked else []
    write(columns)
    for row in sheet.rows:
        cells = [
            row.number,
            guard_text(row.cue.department),
            guard_text(row.cue.label or ""),
            guard_text(row.cue.call),
            guard_text(row.cue.wording),
            guard_text(row.cue.text),
            _iso(row.cue.at, home),
            row.running,
            row.item_number,
            guard_text(row.item_id),
            guard_text(row.item_title),
            row.cue.when,
        ]
        if sheet.marked:
            cells += [row.change or "", guard_text(row.cue.was or "")]
        write(cells)
