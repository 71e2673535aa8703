"""Why the project reads XLSX itself: openpyxl's read-only reader against ``read_xlsx``.

Generated workbooks of N rows by 12 columns, shaped as Excel writes them (shared strings, a
styles part with date, date-time and ``[h]:mm:ss`` formats, an ``r`` on every row and cell):
an id, a day, a start, a duration, a sport, an event (a string of its own on every row), a
venue, a phase, a status, a medal flag, a capacity and notes on every other row. Then two
bombs, each a small table of 10 rows plus:

- ``XFD1048576``: one empty, formatted cell at the sheet's last cell, so that the used range
  (the ``<dimension>`` Excel writes) is the whole sheet;
- ``padded``: ``--pad-mib`` MiB of empty, formatted cells under the table (a whole block of
  rows formatted, 12 columns wide), under the 16 MiB a part may inflate to;
- ``styles``: a styles part of ``--styles-mib`` MiB (cell formats no cell uses, as workbooks
  copied between many others collect them).

Two readers: ``openpyxl``, ``load_workbook(read_only=True, data_only=True)`` and every row
of ``iter_rows(values_only=True)`` (the values only, not yet text: a lower bound for a
reader built on it), and ``ours``, ``ceremony.io.tables.read_xlsx`` (the table of text).

30,000 rows make a 12.8 MB sheet part; 40,000 would pass the 16 MiB a part may inflate to.

Every measurement runs in a fresh process (``subprocess``): ``--runs`` reads timed there,
median taken, and memory as the growth of that process's peak RSS over the reads: the peak
(``VmHWM`` in ``/proc/self/status``, reset through ``/proc/self/clear_refs`` just before the
first read) minus the RSS then, after the imports and the file's bytes are loaded (Linux;
``nan`` elsewhere). RSS, not tracemalloc, because tracing slows the reads it would measure
and misses what the XML parsers allocate in C; ``ru_maxrss`` is no use here, as a process
started from a big one inherits its peak. openpyxl's reads of the bombs are stopped after
``--timeout`` seconds (printed ``> 20 s``). Run: ``python benchmarks/bench_xlsx_read.py``
(about a minute); for a quick look (what CI runs, in about 9 seconds):
``--sizes 1000 --runs 1 --timeout 5 --pad-mib 2 --styles-mib 0.5``.
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"
HEADINGS: tuple[str, ...] = ("id", "day", "start", "duration", "sport", "event", "venue")
HEADINGS += ("phase", "status", "medal", "capacity", "notes")
SPORTS = [f"Sport {i}" for i in range(40)]
VENUES = [f"Venue {i}" for i in range(60)]
PHASES = ["Heats", "Repechage", "Quarterfinal", "Semifinal", "Final"]
STATUSES = ["scheduled", "finished", "delayed"]
DAY_ONE = (date(2024, 7, 24) - date(1899, 12, 30)).days


def workbook(sheet: str, strings: list[str], more_styles: int = 0) -> bytes:
    """A minimal workbook as Excel writes it around one sheet's XML and its shared strings
    (and ``more_styles`` cell formats no cell uses)."""
    extra = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' * more_styles
    styles = (
        f'<styleSheet xmlns="{MAIN}"><numFmts count="1">'
        '<numFmt numFmtId="164" formatCode="[h]:mm:ss"/></numFmts>'
        '<fonts count="1"><font/></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
        '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
        '<xf numFmtId="22" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"/>'
        f"{extra}"
        '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
        "</cellStyles></styleSheet>"
    )
    shared = "".join(f"<si><t>{text}</t></si>" for text in strings)
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{TYPES}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{TYPES}.worksheet+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{TYPES}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{TYPES}.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" Target="xl/workbook.xml"'
            ' Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>'
            '<sheet name="Schedule" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{PACKAGE}">'
            f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{RELS}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId3" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": styles,
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}">{shared}</sst>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def table_rows(count: int, strings: list[str]) -> list[str]:
    """The ``<row>`` elements of the headings and ``count`` data rows; strings are added."""
    index: dict[str, int] = {}

    def shared(text: str) -> str:
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return f'<c t="s"><v>{index[text]}</v></c>'

    def row(line: int, cells: list[str]) -> str:
        placed = (
            cell.replace("<c", f'<c r="{"ABCDEFGHIJKL"[i]}{line}"', 1)
            for i, cell in enumerate(cells)
            if cell
        )
        return f'<row r="{line}">{"".join(placed)}</row>'

    rows = [row(1, [shared(heading) for heading in HEADINGS])]
    for n in range(count):
        rows.append(
            row(
                n + 2,
                [
                    f"<c><v>{n + 1}</v></c>",
                    f'<c s="1"><v>{DAY_ONE + n % 17}</v></c>',
                    f'<c s="2"><v>{DAY_ONE + n % 17 + (8 * 60 + n % 700) / 1440}</v></c>',
                    f'<c s="3"><v>{(30 + n % 150) / 1440}</v></c>',
                    shared(SPORTS[n % 40]),
                    shared(f"{SPORTS[n % 40]} event {n} – {PHASES[n % 5]} {n % 9 + 1}"),
                    shared(VENUES[n % 60]),
                    shared(PHASES[n % 5]),
                    shared(STATUSES[n % 3]),
                    f'<c t="b"><v>{int(n % 5 == 4)}</v></c>',
                    f"<c><v>{1000 + n % 80000}</v></c>",
                    shared(f"Notes for session {n}: gates open an hour before.") if n % 2 else "",
                ],
            )
        )
    return rows


def sheet_xml(rows: list[str], dimension: str) -> str:
    return (
        f'<worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/>'
        f"<sheetData>{''.join(rows)}</sheetData></worksheet>"
    )


def generated(count: int) -> bytes:
    strings: list[str] = []
    rows = table_rows(count, strings)
    return workbook(sheet_xml(rows, f"A1:L{count + 1}"), strings)


def far_cell_bomb() -> bytes:
    strings: list[str] = []
    rows = table_rows(10, strings)
    rows.append('<row r="1048576"><c r="XFD1048576" s="1"/></row>')
    return workbook(sheet_xml(rows, "A1:XFD1048576"), strings)


def padded_bomb(mib: float) -> bytes:
    strings: list[str] = []
    rows = table_rows(10, strings)
    size, line = 0, 12
    while size < mib * 2**20:
        row = f'<row r="{line}">' + "".join(f'<c r="{c}{line}" s="1"/>' for c in "ABCDEFGHIJKL")
        rows.append(row + "</row>")
        size += len(row) + 6
        line += 1
    return workbook(sheet_xml(rows, f"A1:L{line - 1}"), strings)


def styles_bomb(mib: float) -> bytes:
    strings: list[str] = []
    rows = table_rows(10, strings)
    count = int(mib * 2**20 / 63)  # 63 bytes an <xf>
    return workbook(sheet_xml(rows, "A1:L11"), strings, more_styles=count)


# --- one measurement, in a process of its own ------------------------------------------------


def child(reader: str, path: str, runs: int) -> None:
    """Read the workbook ``runs`` times with ``reader``; print times, memory and cells."""
    import openpyxl  # noqa: PLC0415

    from ceremony.io.tables import read_xlsx  # noqa: PLC0415

    data = Path(path).read_bytes()

    def read() -> int:
        if reader == "ours":
            table = read_xlsx(data, path)
            return len(table.headings) + sum(len(row.cells) for row in table.rows)
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = list(book.worksheets[0].iter_rows(values_only=True))  # kept, as a table is
        book.close()
        return sum(sum(value is not None for value in row) for row in rows)

    before = rss("VmRSS")
    if before is not None:
        Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) starts again here
    times = []
    cells = 0
    for _ in range(runs):
        began = time.perf_counter()
        cells = read()
        times.append(time.perf_counter() - began)
    peak = rss("VmHWM")
    mib = (peak - before) / 1024 if peak is not None and before is not None else float("nan")
    print(json.dumps({"times": times, "mib": mib, "cells": cells}))


def rss(field: str) -> int | None:
    """``VmRSS`` (now) or ``VmHWM`` (the peak) of this process in KiB; ``None`` off Linux."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return None


def measure(reader: str, path: Path, runs: int, timeout: float | None) -> dict[str, Any] | None:
    """One fresh process's figures, or ``None`` when it ran past ``timeout`` seconds."""
    command = [sys.executable, __file__, "--child", reader, str(path), str(runs)]
    try:
        done = subprocess.run(  # noqa: S603  # this script, with arguments it built
            command, capture_output=True, text=True, timeout=timeout, check=True
        )
    except subprocess.TimeoutExpired:
        return None
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 30_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=20.0, help="openpyxl on the bombs")
    parser.add_argument("--pad-mib", type=float, default=15.0)
    parser.add_argument("--styles-mib", type=float, default=3.6)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        reader, path, runs = args.child
        child(reader, path, int(runs))
        return 0

    print(
        f"python {platform.python_version()}, {platform.machine()}; median of {args.runs} "
        "run(s), each reader and workbook in a fresh process; MiB: peak RSS growth"
    )
    print(
        f"{'workbook':<16}{'zip KiB':>9}{'cells':>9}{'openpyxl s':>12}{'MiB':>7}"
        f"{'ours s':>9}{'MiB':>7}{'µs/cell':>9}{'ratio':>8}  (range)"
    )
    cases: list[tuple[str, bytes, float | None]] = [
        (f"{n:,} x 12", generated(n), None) for n in args.sizes
    ]
    cases += [
        ("XFD1048576", far_cell_bomb(), args.timeout),
        (f"padded {args.pad_mib:g} MiB", padded_bomb(args.pad_mib), args.timeout),
        (f"styles {args.styles_mib:g} MiB", styles_bomb(args.styles_mib), args.timeout),
    ]
    with tempfile.TemporaryDirectory() as folder:
        for name, data, timeout in cases:
            path = Path(folder) / "book.xlsx"
            path.write_bytes(data)
            theirs = measure("openpyxl", path, args.runs if timeout is None else 1, timeout)
            ours = measure("ours", path, args.runs, None)
            assert ours is not None
            mine = statistics.median(ours["times"])
            per = f"{mine / ours['cells'] * 1e6:.2f}" if timeout is None else "—"
            if theirs is None:
                their_text, their_mib, ratio = f"> {timeout:g} s", "—", f"> {timeout / mine:.0f}"
                spread = ""
            else:
                median = statistics.median(theirs["times"])
                their_text, their_mib = f"{median:.3f}", f"{theirs['mib']:.1f}"
                ratio = f"{median / mine:.1f}"
                ratios = [t / o for t, o in zip(theirs["times"], ours["times"], strict=False)]
                spread = f"  ({min(ratios):.1f} to {max(ratios):.1f})" if len(ratios) > 1 else ""
            print(
                f"{name:<16}{len(data) / 1024:>9.0f}{ours['cells']:>9,}{their_text:>12}"
                f"{their_mib:>7}{mine:>9.3f}{ours['mib']:>7.1f}{per:>9}{ratio:>8}{spread}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
