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
from ceremony.export.sheets.view import Header, Sheet, SheetRow, Summary

WIDTH = 100
"""Plain text lines never run past this column."""

_MARK = {"changed": "▌", "new": "▌", None: ""}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|<>#~])")


def _header_lines(header: Header) -> list[str]:
    place = " · ".join(
        part
        for part in (header.programme, header.venue, header.date, f"times in {header.zone}")
        if part
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
        lines = [f"{len(sheet.rows)} sessions, from {s.start} to {s.end}."]
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


def _details(row: SheetRow, public: bool, *, was: bool) -> Iterator[str]:
    """The lines under an item's title: kind, details, who, where, cues, notes (and old values)."""
    if row.heading:
        return
    first = row.kind_label
    if row.gap_before:
        first += f" · {row.gap_before} before"
    if row.crew:
        first += " · crew only"
    yield first
    if row.details:
        yield " · ".join(row.details)
    for credit in row.who:
        yield str(credit)
    if row.where:
        yield f"Where: {row.where}"
    if not public:
        for cue in row.cues:
            moved = f" (was {cue.was})" if was and cue.was else ""
            yield f"{cue.clock}{moved} {cue.wording} [{cue.department}]: {cue.text}"
    if row.notes:
        yield f"Notes: {row.notes}"
    if was and row.was:
        olds = ", ".join(f"{key} {value}" for key, value in row.was.items())
        yield f"Was: {olds}"


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
    ceremony = sheet.kind == "ceremony"
    head = ["", "#"]
    head += ["Planned", "Actual / projected", "Late"] if sheet.live else ["Start"]
    head += list(header.extra_zones) + ["Dur", "End"] + (["Running"] if ceremony else [])
    head += ["Start by", "Slack"] if sheet.backtime else []
    head += ["Kind", "Item", "Who", "Where"] + ([] if header.public else ["Cues"]) + ["Notes"]
    table = [_md_row(row, sheet) for row in sheet.rows]
    lines.extend(_md_table(head, table))
    lines.append("")
    lines.extend(_md(line) for line in _summary_text(sheet))
    legend = "■ hard start"
    if sheet.marked:
        legend += f" · ▌ changed since revision {header.since_revision} · NEW added"
    lines += ["", f"*{_md(legend)}*"]
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


def _md_row(row: SheetRow, sheet: Sheet) -> list[str]:
    """One item's cells, in the order of :func:`render_markdown`'s head."""
    public = sheet.header.public
    number = ("**NEW** " if row.change == "new" else "") + row.number
    cells = [_MARK[row.change], number.strip()]
    start = ("■ " if row.hard else "") + _md_was(row, "start", row.start)
    if row.start_range:
        start += f"<br>({row.start_range})"
    if sheet.live:
        cells += [_md(row.planned or ""), start, _md(row.late or "")]
    else:
        cells.append(start)
    cells += [_md(clock) for clock in row.clocks]
    cells += [_md_was(row, "duration", row.duration), _md_was(row, "end", row.end)]
    cells += [row.running] if sheet.kind == "ceremony" else []
    cells += [_md(row.start_by or ""), _md(row.slack or "")] if sheet.backtime else []
    if row.heading:
        title = f"**{_md(_act_title(row))}**"
        return [*cells, "Act", title, "", "", *([] if public else [""]), ""]
    title = _md_was(row, "title", row.title)
    if row.details:
        title += "<br>" + _md(" · ".join(row.details))
    if row.gap_before:
        title += f"<br>*{_md(row.gap_before)} before*"
    who = "<br>".join(_md(str(credit)) for credit in row.who)
    cues = "<br>".join(
        (f"~~{_md(cue.was)}~~ " if cue.was else "") + _md(str(cue)) for cue in row.cues
    )
    if "cues" in row.was:
        cues = f"~~{_md(row.was['cues'])}~~<br>{cues}"
    cells += [_md(row.kind_label), title, who, _md_was(row, "where", row.where)]
    cells += [] if public else [cues]
    return [*cells, _md_was(row, "notes", row.notes)]


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
    count = len(sheet.rows)
    foot = f"{count} {sheet.department} cue{'' if count == 1 else 's'}."
    return [*_md_table(head, rows), "", _md(foot)]


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
    ceremony = sheet.kind == "ceremony"
    heads = [" #"]
    heads += ["PLANNED", "ACT/PROJ", "LATE"] if sheet.live else ["START"]
    heads += [name.rsplit("/", 1)[-1].upper() for name in header.extra_zones]
    heads += ["DUR", "END"] + (["RUNNING"] if ceremony else [])
    heads += ["START BY", "SLACK"] if sheet.backtime else []
    table = []
    for row in sheet.rows:
        number = "NEW " + row.number if row.change == "new" else row.number
        start = ("■" if row.hard else "") + row.start
        cells = [number]
        cells += [row.planned or "", start, row.late or ""] if sheet.live else [start]
        cells += [*list(row.clocks), row.duration, row.end]
        cells += [row.running] if ceremony else []
        cells += [row.start_by or "", row.slack or ""] if sheet.backtime else []
        table.append(cells)
    columns = _Columns(heads, table)
    lines += columns.line(heads, "", "ITEM")
    lines.append("-" * WIDTH)
    for row, cells in zip(sheet.rows, table, strict=True):
        if row.heading:
            lines += columns.line(cells, _MARK[row.change], f"== {_act_title(row)} ==")
            continue
        title = "  " * max(row.depth - 1, 0) + row.title
        if "title" in row.was:
            title += f" (was: {row.was['title']})"
        lines += columns.line(cells, _MARK[row.change], title)
        for detail in _details(row, header.public, was=True):
            lines += columns.detail(detail)
    lines.append("-" * WIDTH)
    for line in _summary_text(sheet):
        lines += textwrap.wrap(line, WIDTH)
    legend = "■ = hard start"
    if sheet.marked:
        legend += f"; ▌ = changed since revision {header.since_revision}; NEW = added"
    lines.append(legend)
    if sheet.removed:
        lines += ["", f"REMOVED SINCE REVISION {header.since_revision}"]
        for item in sheet.removed:
            text = f"  was at {item.start or '–'}: {item.title} ({item.kind.lower()}, {item.id})"
            lines += textwrap.wrap(text, WIDTH, subsequent_indent="    ")
    return "\n".join(lines) + "\n"


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
    count = len(sheet.rows)
    lines.append(f"{count} {sheet.department} cue{'' if count == 1 else 's'}.")
    return lines
