"""Sheets as Markdown (GitHub tables) and as plain text (100 columns, for email and terminals).

Both say what the HTML sheet says: header, one row per item (act headings with their
subtotal), the kind's details under the title, who, where, cues and notes, change marks
(``▌`` in the margin, ``NEW``, the old value struck through in Markdown or ``(was ...)`` in
text), removed items, and the foot.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator, Sequence

from ceremony.export.sheets.cuesheet import CueSheet
from ceremony.export.sheets.view import Column, Header, Sheet, SheetRow, Summary

WIDTH = 100
"""Plain text lines never run past this column."""

_MARK = {"changed": "▌", "new": "▌", None: ""}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|<>#~])")


def _header_lines(header: Header) -> list[str]:
    zones = ", ".join((header.zone, *header.extra_zones))
    place = " · ".join(
        part for part in (header.programme, header.venue, header.date, f"times in {zones}") if part
    )
    revision = f"Revision {header.revision or '–'}"
    if header.since_revision:
        revision += f" · changes since revision {header.since_revision} marked ▌"
    if header.live_at:
        revision += f" · live at {header.live_at}"
    revision += f" · printed {header.printed_at}"
    if header.public:
        revision += " · public version"
    return [place, revision]


def _summary_text(sheet: Sheet) -> list[str]:
    s: Summary = sheet.summary
    if sheet.kind == "schedule":
        count = len(sheet.rows)
        lines = [
            f"{count} session{'' if count == 1 else 's'}, from {s.start} to {s.end}."
            if count
            else "No session."
        ]
    else:
        ends = "projected to end" if sheet.live else "ends"
        end = s.end + (f" (was {s.was['end']})" if "end" in s.was else "")
        text = f"Starts {s.start}, {ends} {end}, running {s.running}."
        if sheet.live and s.planned_end:
            text += f" Planned end {s.planned_end} ({s.late} against the plan)."
        if s.hard_out:
            hard_out = s.hard_out + (f" (was {s.was['hard_out']})" if "hard_out" in s.was else "")
            text += f" Hard out {hard_out}: {s.over_under}."
        lines = [text]
    if s.skipped:
        lines.append(f"Cut (not timed): {', '.join(s.skipped)}.")
    if s.unscheduled:
        lines.append(f"Without a time (not shown): {', '.join(s.unscheduled)}.")
    return lines


def _details(row: SheetRow, columns: Sequence[Column], *, was: bool) -> Iterator[str]:
    """The lines under an item's title: kind, details, who, where, cues, notes (and old values).

    Only what ``columns`` has a column for: no kind when every item is of one kind.
    """
    if row.heading:
        return
    first = " · ".join(
        part
        for part in (
            row.kind_label if "kind" in columns else "",
            f"{row.gap_before} before" if row.gap_before else "",
            "crew only" if row.crew else "",
        )
        if part
    )
    if first:
        yield first
    if row.details:
        yield " · ".join(row.details)
    if row.delegations:
        yield f"Delegations: {', '.join(row.delegations)}"
    if row.athletes:
        yield f"Athletes: {', '.join(row.athletes)}"
    for result in row.results:
        yield f"Result: {result}"
    for credit in row.who:
        yield str(credit)
    if row.where:
        yield f"Where: {row.where}"
    if "cues" in columns:
        for cue in row.cues:
            moved = f" (was {cue.was})" if was and cue.was else ""
            yield f"{cue.clock}{moved} {cue.wording} [{cue.department_name}]: {cue.text}"
    if row.notes:
        yield f"Notes: {row.notes}"
    if was and row.was:
        olds = ", ".join(f"{key} {value}" for key, value in row.was.items())
        yield f"Was: {olds}"


def _legend(sheet: Sheet, *, hard: str, marks: str, between: str) -> str:
    """What the marks mean: ■ only when a row has it, the change marks only with them."""
    parts = [hard] if sheet.hard_starts else []
    if sheet.marked:
        parts.append(marks.format(revision=sheet.header.since_revision))
    if sheet.worst_case:
        parts.append("start by: back-timed from the longest durations")
    return between.join(parts)


def _act_title(row: SheetRow) -> str:
    text = row.title.upper()
    if row.target:
        text += f" (target {row.target}, subtotal {row.duration}, {row.over_under})"
    return text


# Markdown ------------------------------------------------------------------------------


def _md(text: str) -> str:
    """Text made safe inside a GitHub table cell."""
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    return escaped.replace("\r\n", "<br>").replace("\n", "<br>")


def _md_was(row: SheetRow, key: str, value: str) -> str:
    if key in row.was:
        return f"~~{_md(row.was[key])}~~ {_md(value)}"
    return _md(value)


def _md_table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines.extend("| " + " | ".join(cells) + " |" for cells in rows)
    return lines


def render_markdown(sheet: Sheet | CueSheet) -> str:
    """The sheet as Markdown: a heading, the header lines and a GitHub table."""
    header = sheet.header
    lines = [f"# {_md(header.document)}: {_md(header.title)}", ""]
    lines.extend(_md(line) + "  " for line in _header_lines(header))
    lines.append("")
    if isinstance(sheet, CueSheet):
        lines.extend(_md_cues(sheet))
        return "\n".join(lines) + "\n"
    # The change-mark column only when a row has a mark: no empty column.
    marked = any(row.change for row in sheet.rows)
    head = [""] if marked else []
    for column in sheet.columns:
        if column == "clocks":
            head += header.extra_zones
        else:
            head.append("Start" if column == "start" and not sheet.live else _MD_HEADS[column])
    for day, rows in _by_day(sheet.rows):
        if day:
            lines += [f"## {_md(day)}", ""]
        lines.extend(_md_table(head, [_md_row(row, sheet, marked=marked) for row in rows]))
        lines.append("")
    lines.extend(_md(line) for line in _summary_text(sheet))
    legend = _legend(
        sheet,
        hard="■ hard start",
        marks="▌ changed since revision {revision} · NEW added",
        between=" · ",
    )
    lines += ["", f"*{_md(legend)}*"] if legend else []
    if sheet.removed:
        lines += ["", f"## Removed since revision {_md(header.since_revision or '')}", ""]
        lines.extend(
            _md_table(
                ["Was at", "Kind", "Item", "Id"],
                [
                    [
                        f"~~{_md(item.start or '–')}~~",
                        _md(item.kind),
                        f"~~{_md(item.title)}~~",
                        _md(item.id),
                    ]
                    for item in sheet.removed
                ],
            )
        )
    return "\n".join(lines) + "\n"


_MD_HEADS: dict[Column, str] = {
    "number": "#",
    "planned": "Planned",
    "start": "Actual / projected",
    "late": "Late",
    "duration": "Dur",
    "end": "End",
    "running": "Running",
    "start_by": "Start by",
    "slack": "Slack",
    "kind": "Kind",
    "item": "Item",
    "delegations": "Delegations",
    "athletes": "Athletes",
    "results": "Results",
    "who": "Who",
    "where": "Where",
    "cues": "Cues",
    "notes": "Notes",
}


def _by_day(rows: Sequence[SheetRow]) -> Iterator[tuple[str | None, list[SheetRow]]]:
    """The rows in runs, each under the day heading that opens it (None: no heading)."""
    run: list[SheetRow] = []
    day: str | None = None
    for row in rows:
        if row.day is not None and run:
            yield day, run
            run = []
        if row.day is not None:
            day = row.day
        run.append(row)
    if run:
        yield day, run


def _md_row(row: SheetRow, sheet: Sheet, *, marked: bool) -> list[str]:
    """One item's cells, in the order of :func:`render_markdown`'s head."""
    cells = [_MARK[row.change]] if marked else []
    for column in sheet.columns:
        if column == "clocks":
            cells += [_md(clock) for clock in row.clocks]
        else:
            cells.append(_md_cell(row, column))
    return cells


def _md_cell(row: SheetRow, column: Column) -> str:
    """One cell of an item's row (an act heading fills only the times and the item)."""
    if column == "number":
        return (("**NEW** " if row.change == "new" else "") + row.number).strip()
    if column == "item":
        if row.heading:
            return f"**{_md(_act_title(row))}**"
        title = _md_was(row, "title", row.title)
        if row.details:
            title += "<br>" + _md(" · ".join(row.details))
        if row.gap_before:
            title += f"<br>*{_md(row.gap_before)} before*"
        return title
    if column in ("duration", "end", "where", "notes"):
        value = row.length if column == "duration" else str(getattr(row, column))
        return _md_was(row, column, value)
    if column == "kind":
        return "Act" if row.heading else _md(row.kind_label)
    if column == "start":
        start = ("■ " if row.hard else "") + _md_was(row, "start", row.start)
        return start + (f"<br>({row.start_range})" if row.start_range else "")
    if column in ("planned", "late", "start_by", "slack", "running"):
        return _md(getattr(row, column) or "")
    if column == "who":
        return "<br>".join(_md(str(credit)) for credit in row.who)
    if column == "cues":
        cues = "<br>".join(
            (f"~~{_md(cue.was)}~~ " if cue.was else "") + _md(str(cue)) for cue in row.cues
        )
        return f"~~{_md(row.was['cues'])}~~<br>{cues}" if "cues" in row.was else cues
    # delegations, athletes, results
    values: tuple[str, ...] = getattr(row, column)
    return "<br>".join(_md(value) for value in values)


def _md_cues(sheet: CueSheet) -> list[str]:
    head = [
        "",
        "#",
        "Call",
        "Clock",
        *sheet.header.extra_zones,
        "Running",
        "Cue",
        "Item",
        "Item start",
    ]
    rows = []
    for row in sheet.rows:
        number = ("**NEW** " if row.change == "new" else "") + row.number
        clock = (f"~~{_md(row.cue.was)}~~ " if row.cue.was else "") + _md(row.cue.clock)
        rows.append(
            [
                _MARK[row.change],
                number,
                f"**{_md(row.cue.wording)}**",
                clock,
                *(_md(other) for other in row.cue.clocks),
                row.running,
                _md(row.cue.text),
                _md(f"{row.item_number}. {row.item_title} ({row.cue.when})"),
                _md(row.item_start),
            ]
        )
    return [*_md_table(head, rows), "", _md(sheet.count_text)]


# Plain text ----------------------------------------------------------------------------


class _Columns:
    """Fixed-width columns before a free title column that wraps to fit :data:`WIDTH`."""

    def __init__(self, heads: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        self.widths = [
            max([len(head), *(len(cells[index]) for cells in rows)])
            for index, head in enumerate(heads)
        ]
        self.heads = heads
        prefix = 2 + sum(self.widths) + 2 * len(self.widths)
        # The title column starts after the fixed ones, or on a line of its own when they
        # leave it less than 40 columns.
        self.indent = prefix if WIDTH - prefix >= 40 else 8

    def line(self, cells: Sequence[str], margin: str, title: str) -> list[str]:
        fixed = "".join(
            (cell.rjust(width) if index < 2 else cell.ljust(width)) + "  "
            for index, (cell, width) in enumerate(zip(cells, self.widths, strict=True))
        )
        fixed = (margin or " ") + " " + fixed
        wrapped = textwrap.wrap(title, WIDTH - self.indent) or [""]
        if self.indent == 8:
            return [fixed.rstrip(), *(" " * 8 + part for part in wrapped)]
        first = (fixed + wrapped[0]).rstrip()
        return [first, *(" " * self.indent + part for part in wrapped[1:])]

    def detail(self, text: str) -> list[str]:
        indent = self.indent + 2 if self.indent != 8 else 10
        return [" " * indent + part for part in textwrap.wrap(text, WIDTH - indent)]


def render_text(sheet: Sheet | CueSheet) -> str:
    """The sheet as plain text no wider than :data:`WIDTH` columns."""
    header = sheet.header
    lines = [
        f"{header.document.upper()} · {header.title}"[:WIDTH],
        *(part for line in _header_lines(header) for part in textwrap.wrap(line, WIDTH)),
        "=" * WIDTH,
    ]
    if isinstance(sheet, CueSheet):
        lines.extend(_text_cues(sheet))
        return "\n".join(lines) + "\n"
    fixed = [column for column in sheet.columns if column in _TEXT_HEADS]
    heads: list[str] = []
    for column in fixed:
        if column == "clocks":
            heads += [name.rsplit("/", 1)[-1].upper() for name in header.extra_zones]
        else:
            heads.append(_TEXT_HEADS[column][1] if sheet.live else _TEXT_HEADS[column][0])
    table = [_text_cells(row, fixed) for row in sheet.rows]
    columns = _Columns(heads, table)
    lines += columns.line(heads, "", "ITEM")
    lines.append("-" * WIDTH)
    for row, cells in zip(sheet.rows, table, strict=True):
        if row.day:
            lines.append(f"{'── ' + row.day + ' ':─<{WIDTH}}")
        if row.heading:
            lines += columns.line(cells, _MARK[row.change], f"== {_act_title(row)} ==")
            continue
        title = "  " * max(row.depth - 1, 0) + row.title
        if "title" in row.was:
            title += f" (was: {row.was['title']})"
        lines += columns.line(cells, _MARK[row.change], title)
        for detail in _details(row, sheet.columns, was=True):
            lines += columns.detail(detail)
    lines.append("-" * WIDTH)
    for line in _summary_text(sheet):
        lines += textwrap.wrap(line, WIDTH)
    legend = _legend(
        sheet,
        hard="■ = hard start",
        marks="▌ = changed since revision {revision}; NEW = added",
        between="; ",
    )
    lines += textwrap.wrap(legend, WIDTH) if legend else []
    if sheet.removed:
        lines += ["", f"REMOVED SINCE REVISION {header.since_revision}"]
        for item in sheet.removed:
            text = f"  was at {item.start or '–'}: {item.title} ({item.kind.lower()}, {item.id})"
            lines += textwrap.wrap(text, WIDTH, subsequent_indent="    ")
    return "\n".join(lines) + "\n"


_TEXT_HEADS: dict[Column, tuple[str, str]] = {
    "number": (" #", " #"),
    "planned": ("PLANNED", "PLANNED"),
    "start": ("START", "ACT/PROJ"),
    "late": ("LATE", "LATE"),
    "clocks": ("", ""),
    "duration": ("DUR", "DUR"),
    "end": ("END", "END"),
    "running": ("RUNNING", "RUNNING"),
    "start_by": ("START BY", "START BY"),
    "slack": ("SLACK", "SLACK"),
}
"""The fixed-width columns of the text sheet, before the item: head, and head when live."""


def _text_cells(row: SheetRow, fixed: Sequence[Column]) -> list[str]:
    cells: list[str] = []
    for column in fixed:
        if column == "number":
            cells.append("NEW " + row.number if row.change == "new" else row.number)
        elif column == "start":
            cells.append(("■" if row.hard else "") + row.start)
        elif column == "clocks":
            cells += row.clocks
        elif column == "duration":
            cells.append(row.length)
        else:
            cells.append(getattr(row, column) or "")
    return cells


def _text_cues(sheet: CueSheet) -> list[str]:
    heads = [" #", "CLOCK", *(n.rsplit("/", 1)[-1].upper() for n in sheet.header.extra_zones)]
    heads += ["RUNNING", "CALL"]
    table = [
        [
            ("NEW " if row.change == "new" else "") + row.number,
            row.cue.clock,
            *row.cue.clocks,
            row.running,
            row.cue.wording,
        ]
        for row in sheet.rows
    ]
    columns = _Columns(heads, table)
    lines = columns.line(heads, "", "CUE")
    lines.append("-" * WIDTH)
    for row, cells in zip(sheet.rows, table, strict=True):
        lines += columns.line(cells, _MARK[row.change], row.cue.text)
        item = f"{row.item_number}. {row.item_title} ({row.cue.when}; item starts {row.item_start})"
        if row.cue.was:
            item += f"; was at {row.cue.was}"
        lines += columns.detail(item)
    lines.append("-" * WIDTH)
    lines.append(sheet.count_text)
    return lines
