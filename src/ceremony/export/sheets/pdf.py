"""Sheets as PDF, typeset by Typst from the same view model the HTML is rendered from.

:func:`sheet_data` writes a :class:`Sheet` or :class:`CueSheet` as plain JSON values (every
word already formatted here, so a template only lays out); :func:`typeset` hands that JSON
to a Typst template through ``sys.inputs`` and compiles it. The text reaches Typst as data,
never as markup, so a name with ``#``, ``[``, ``$`` or ``*`` prints as it is written.

The shipped templates are ``sheet.typ`` (the run-of-show) and ``cues.typ`` (a cue sheet)
in ``ceremony/templates/sheets``. A folder passed as ``templates`` that holds a file of the
same name replaces it; that file is compiled with the folder as its root, so it can import
other files of the folder. The timeline strip is the SVG that ``strip.svg.j2`` renders (a
replacement ``strip.svg.j2`` in the folder applies to PDF too). Only the fonts bundled
with Typst are used (Libertinus Serif, DejaVu Sans Mono), so a sheet comes out the same,
byte for byte, on every machine.

Typst memoizes layout for the life of the process and the ``typst`` package offers no way
to clear it: a long-running process that typesets many large sheets keeps growing.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from ceremony.errors import CeremonyError
from ceremony.export.sheets.cuesheet import CueRow, CueSheet
from ceremony.export.sheets.html import render_strip
from ceremony.export.sheets.view import CueLine, Header, Sheet, SheetRow, Summary
from ceremony.extras import needs_extra
from ceremony.zones import zone

TYPST_TEMPLATES = {Sheet: "sheet.typ", CueSheet: "cues.typ"}
"""The Typst template each kind of sheet is typeset with."""

_DIAGNOSTIC_AT = re.compile(r"┌─ (?P<file>.+?):(?P<line>\d+):(?P<column>\d+)")
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_FOLDED_LABELS = {"where": "Where", "notes": "Notes"}
"""How a value printed under the title (a folded column) is introduced."""


def typeset(sheet: Sheet | CueSheet, *, templates: Path | str | None = None) -> bytes:
    """The sheet as PDF, typeset by Typst (the ``pdf`` extra).

    The same sheet and ``printed_at`` give the same bytes. Raises
    :class:`~ceremony.errors.MissingExtraError` saying how to install the extra when Typst
    is missing, and :class:`~ceremony.CeremonyError` naming the file and line when a
    replacement template does not compile.
    """
    with needs_extra("pdf", "PDF output"):
        import typst  # noqa: PLC0415 - an optional extra, imported only when asked for
    template = _template(type(sheet), templates)
    inputs = {"sheet": json.dumps(sheet_data(sheet), ensure_ascii=False)}
    if isinstance(sheet, Sheet) and sheet.strip is not None:
        inputs["strip"] = render_strip(sheet, templates=templates)
    try:
        pdf = typst.compile(
            str(template),
            root=str(template.parent),
            ignore_system_fonts=True,
            font_paths=[],
            sys_inputs=inputs,
        )
    except typst.TypstError as error:
        raise _located(error, template) from None
    if not isinstance(pdf, bytes):  # one file per page is only for PNG and SVG output
        raise CeremonyError(f"{template}: Typst made no PDF")
    return pdf


def sheet_data(sheet: Sheet | CueSheet) -> dict[str, Any]:
    """What a Typst template is given: the sheet as JSON values, every word formatted."""
    if isinstance(sheet, CueSheet):
        return {
            "header": _header(sheet.header),
            "department": sheet.department,
            "columns": _cue_columns(sheet.header),
            "rows": [_cue_row(row) for row in sheet.rows],
            "summary": _cue_summary(sheet),
        }
    return {
        "header": _header(sheet.header),
        "kind": sheet.kind,
        "live": sheet.live,
        "worst_case": sheet.worst_case,
        "columns": printed_columns(sheet),
        "rows": [_row(row, sheet) for row in sheet.rows],
        "summary": _summary(sheet),
        "removed": [
            {"start": item.start or "–", "kind": item.kind, "title": item.title, "id": item.id}
            for item in sheet.removed
        ],
        "since_revision": sheet.header.since_revision,
    }


def printed_columns(sheet: Sheet) -> list[str]:
    """The run-of-show's columns as the Typst template gets them, in order.

    :attr:`Sheet.columns` (the columns with something in them) but those of
    :attr:`Sheet.folded` (printed under each title instead), after the change-bar column
    ``mark``, with ``clocks`` spelled ``zone:N``, one per extra zone (N indexes
    ``header.extra_zones``).
    """
    columns = ["mark"]
    for column in sheet.columns:
        if column in sheet.folded:
            continue
        if column == "clocks":
            columns += [f"zone:{index}" for index in range(len(sheet.header.extra_zones))]
        else:
            columns.append(column)
    return columns


def _header(header: Header) -> dict[str, Any]:
    printed = _printed_instant(header)
    place = [header.programme, header.venue, header.date, f"times in {header.zone}"]
    status = []
    if header.since_revision:
        status.append(f"Changes since revision {header.since_revision} marked ▌")
    if header.live_at:
        status.append(f"Live at {header.live_at}")
    status.append(f"Printed {header.printed_at}")
    revision = header.revision or "–"
    return {
        "document": header.document + (" · public version" if header.public else ""),
        "title": header.title,
        "programme": header.programme,
        "place": " · ".join(part for part in place if part),
        "revision": f"Revision {revision}",
        "status": status,
        "footer": f"{header.programme} · {header.title} · {header.document} · revision {revision}",
        "zone": header.zone,
        "extra_zones": list(header.extra_zones),
        "paper": header.paper,
        "orientation": header.orientation,
        "public": header.public,
        "printed": {
            "year": printed.year,
            "month": printed.month,
            "day": printed.day,
            "hour": printed.hour,
            "minute": printed.minute,
            "second": printed.second,
        },
    }


def _cue(cue: CueLine) -> dict[str, Any]:
    return {
        "department": cue.department_name,
        "wording": cue.wording,
        "standby": cue.call == "Standby",
        "clock": cue.clock,
        "clocks": list(cue.clocks),
        "was": cue.was,
        "when": cue.when,
        "text": cue.text,
    }


def _row(row: SheetRow, sheet: Sheet) -> dict[str, Any]:
    target = None
    if row.target:
        target = f"target {row.target}, subtotal {row.duration}, "
    return {
        "heading": row.heading,
        "depth": row.depth,
        "number": row.number,
        "change": row.change,
        "state": row.state,
        "crew": row.crew,
        "hard": row.hard,
        "start": row.start,
        "start_range": row.start_range,
        "recorded": sheet.live and row.actual is not None,
        "planned": row.planned or "",
        "late": row.late or "",
        "clocks": list(row.clocks),
        "duration": row.length or row.duration,
        "end": row.end,
        "running": row.running,
        "start_by": row.start_by or "",
        "slack": row.slack or "",
        "short": row.short,
        "kind": row.kind_label,
        "title": row.title,
        "details": " · ".join(row.details),
        "gap": f"{row.gap_before} before" if row.gap_before else None,
        "who": [[f"{credit.role}:", ", ".join(credit.names)] for credit in row.who],
        "where": row.where,
        "folded": [
            [_FOLDED_LABELS.get(name, name.capitalize()), getattr(row, name), row.was.get(name)]
            for name in sheet.folded
            if getattr(row, name) or name in row.was
        ],
        "day": row.day,
        "delegations": ", ".join(row.delegations),
        "athletes": ", ".join(row.athletes),
        "results": list(row.results),
        "cues": [_cue(cue) for cue in row.cues],
        "notes": row.notes,
        "target": target,
        "over_under": row.over_under,
        "over": row.over,
        "was": dict(row.was),
    }


def _summary(sheet: Sheet) -> dict[str, Any]:
    s: Summary = sheet.summary
    legend = ["■ hard start"] if sheet.hard_starts else []
    if sheet.marked:
        legend.append(
            f"▌ changed since revision {sheet.header.since_revision}, old value struck "
            "through · NEW added"
        )
    if sheet.live:
        legend.append("greyed: done · bold: running")
    if sheet.worst_case:
        legend.append("start by: back-timed from the longest durations")
    count = len(sheet.rows)
    return {
        "sessions": (
            f"{count} session{'' if count == 1 else 's'}, from {s.start} to {s.end}."
            if count
            else "No session."
        ),
        "start": s.start,
        "ends": "projected to end" if sheet.live else "ends",
        "end": s.end,
        "end_was": s.was.get("end"),
        "running": s.running,
        "planned_end": (
            f"Planned end {s.planned_end} ({s.late} against the plan)."
            if sheet.live and s.planned_end
            else None
        ),
        "hard_out": s.hard_out,
        "hard_out_was": s.was.get("hard_out"),
        "over_under": s.over_under,
        "over": s.over,
        "skipped": f"Cut (not timed): {', '.join(s.skipped)}." if s.skipped else None,
        "unscheduled": (
            f"Without a time (not shown): {', '.join(s.unscheduled)}." if s.unscheduled else None
        ),
        "legend": " · ".join(legend),
    }


def _cue_columns(header: Header) -> list[str]:
    zones = [f"zone:{index}" for index in range(len(header.extra_zones))]
    return ["mark", "number", "call", "clock", *zones, "running", "cue", "item", "item_start"]


def _cue_row(row: CueRow) -> dict[str, Any]:
    return {
        "change": row.change,
        "number": row.number,
        "cue": _cue(row.cue),
        "running": row.running,
        "item": f"{row.item_number}. {row.item_title}",
        "item_start": row.item_start,
    }


def _cue_summary(sheet: CueSheet) -> dict[str, Any]:
    s = sheet.summary
    text = (
        f"{sheet.count_text} Show starts {s.start}, ends {s.end}"
        + (f"; hard out {s.hard_out}" if s.hard_out else "")
        + "."
    )
    legend = "Standby: warn the operator · GO: the cue's moment"
    if sheet.marked:
        legend += f" · ▌ changed since revision {sheet.header.since_revision} · NEW added"
    return {"text": text, "legend": legend}


def _template(kind: type[Sheet | CueSheet], templates: Path | str | None) -> Path:
    """The replacement in ``templates`` when it has one, else the shipped template."""
    name = TYPST_TEMPLATES[kind]
    if templates is not None:
        folder = Path(templates).resolve()
        if not folder.is_dir():
            raise CeremonyError(f"{templates}: no such template folder")
        if (folder / name).is_file():
            return folder / name
    shipped = resources.files("ceremony") / "templates" / "sheets" / name
    return Path(str(shipped))


def _printed_instant(header: Header) -> datetime:
    """When the sheet was printed, in UTC, read back from its header (the PDF's date).

    ``printed_at`` reads ``27 Aug 2024 14:00 CEST``: the wall clock in the show's zone.
    A header in any other form dates the PDF 1 January 2000, still the same every time.
    """
    words = header.printed_at.split()
    try:
        wall = datetime.strptime(" ".join(words[:4]), "%d %b %Y %H:%M")
    except ValueError:
        return _EPOCH
    home = zone(header.zone)
    candidates = [wall.replace(tzinfo=home, fold=fold) for fold in (0, 1)]
    named = [moment for moment in candidates if moment.tzname() in words[4:]]
    return (named or candidates)[0].astimezone(UTC)


def _located(error: Any, template: Path) -> CeremonyError:
    """A Typst error as ``file:line: template error: message``, at its first location."""
    found = _DIAGNOSTIC_AT.search(str(error.diagnostic))
    if found is None:
        return CeremonyError(f"{template}: template error: {error.message}")
    # Typst names the file relative to the working folder, or to the root (``/name``).
    named = found["file"]
    path = Path(named).resolve()
    if not path.is_file():
        path = template.parent / named.lstrip("/\\")
    return CeremonyError(f"{path}:{found['line']}: template error: {error.message}")
