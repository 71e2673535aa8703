"""Hostile and broken spreadsheets (issue 13): bombs, formula injection, broken workbook
XML, control characters, dates at the edge of the calendar. Every one is refused with an
error naming the file (and the row and cell where there is one), never a traceback."""

from __future__ import annotations

import csv
import io
import os
import re
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import attrs
import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ceremony
from ceremony import limits
from ceremony.cli import main
from ceremony.errors import ModelError, ShowFileError
from ceremony.export.sheets import build_sheet, render_csv
from ceremony.export.xlsx import run_of_show_xlsx
from ceremony.io.mapping import load_mapping, loads_mapping
from ceremony.io.run_of_show_table import import_run_of_show
from ceremony.io.schedule_table import import_sessions
from ceremony.io.tables import (
    FORMULA_STARTS,
    guard_text,
    read_csv,
    read_table,
    read_xlsx,
    unguard_text,
)

from .conftest import EXAMPLES

OPENING = EXAMPLES / "paralympic-opening.yaml"
SHEET = "xl/worksheets/sheet1.xml"
HOSTILE = ('=HYPERLINK("http://x","y")', "@SUM(1+1)", "+cmd|calc", "-2+3", "'=1+1", "''@x")
SESSION_HEADINGS = (
    "start_date,end_date,day,status,discipline,discipline_code,event,event_medal,phase,gender,"
    "event_type,venue,venue_code,location_description,location_code,url\n"
)


def opening_xlsx() -> bytes:
    programme = ceremony.load(OPENING)
    show = programme.ceremonies[0]
    return run_of_show_xlsx(programme, show, ceremony.resolve(programme, ceremony=show.id))


def rezip(
    data: bytes,
    edit: Callable[[str, bytes], bytes | None],
    method: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """The workbook with each part passed through ``edit`` (``None`` leaves it out)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as target:
        for info in source.infolist():
            content = edit(info.filename, source.read(info.filename))
            if content is not None:
                target.writestr(info.filename, content)
    return out.getvalue()


def in_sheet(replace: Callable[[bytes], bytes]) -> Callable[[str, bytes], bytes | None]:
    return lambda name, content: replace(content) if name == SHEET else content


def declared(content: bytes, encoding: bytes) -> bytes:
    """A part with an XML declaration naming ``encoding`` (in place of its own, if any)."""
    body = content.split(b"?>", 1)[1] if content.startswith(b"<?xml") else content
    return b'<?xml version="1.0" encoding="' + encoding + b'"?>' + body


def first_number_cell(content: bytes, cell: bytes) -> bytes:
    """The sheet with its first number cell (A2, the item number 1) replaced by ``cell``."""
    original = b'<c r="A2" s="2" t="n"><v>1</v></c>'
    assert original in content
    return content.replace(original, cell, 1)


def run_import(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ceremony", "import", "table", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def assert_refused(
    tmp_path: Path, source: Path, mapping: str, *expected: str, into: Path | None = None
) -> str:
    """The CLI exits 2 with one ``error:`` line naming the file, and writes nothing."""
    output = tmp_path / "out.yaml"
    args = ["import", "table", str(source), "--map", mapping, "-o", str(output)]
    if into is not None:
        args += ["--into", str(into)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {source}"), lines[0]
    assert "Traceback" not in result.output
    for text in expected:
        assert text in lines[0]
    assert not output.exists()
    return lines[0]


# --- 1. bombs ------------------------------------------------------------------------------


def far_cell_workbook(path: Path, *, data: bool) -> Path:
    """The opening's workbook with one more cell at XFD1048576 (holding data, or styled)."""
    source = path.parent / "show.xlsx"
    source.write_bytes(opening_xlsx())
    workbook = openpyxl.load_workbook(source)
    far = workbook.worksheets[0]["XFD1048576"]
    if data:
        far.value = "x"
    else:
        far.font = openpyxl.styles.Font(bold=True)
    workbook.save(path)
    return path


def whitespace_bomb(path: Path, *, inflated: int = 700 * 2**20) -> Path:
    """The opening's workbook whose sheet XML ends in ``inflated`` bytes of whitespace."""
    source = zipfile.ZipFile(io.BytesIO(opening_xlsx()))
    chunk = b" " * 2**20
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename != SHEET:
                target.writestr(info.filename, content)
                continue
            with target.open(SHEET, "w", force_zip64=True) as part:
                part.write(content)
                for _ in range(inflated // len(chunk)):
                    part.write(chunk)
    return path


# The peak is this process's own (VmHWM, in KiB): ru_maxrss would also count the pytest
# process it was spawned from (Linux keeps the larger across vfork and exec).
BOMB_RUNNER = """
import os, sys
from ceremony.cli import main
try:
    main(sys.argv[1:], prog_name="ceremony")
finally:
    with open("/proc/self/status") as status, open(os.environ["PEAK_FILE"], "w") as peak:
        peak.write(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
"""


class TestBombs:
    @pytest.mark.parametrize("bomb", ["far-cell", "whitespace"])
    def test_refused_quickly_in_little_memory(self, tmp_path: Path, bomb: str) -> None:
        if bomb == "far-cell":
            path = far_cell_workbook(tmp_path / "far.xlsx", data=True)
            expected = "cell XFD1048576 holds data; a sheet may hold data in its first 100,000"
        else:
            path = whitespace_bomb(tmp_path / "bomb.xlsx")
            expected = f"part {SHEET} inflates to 734,"
        assert path.stat().st_size < 1_100_000
        output = tmp_path / "out.yaml"
        began = time.monotonic()
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                BOMB_RUNNER,
                "import",
                "table",
                str(path),
                "--map",
                "run-of-show",
                "--into",
                str(OPENING),
                "-o",
                str(output),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={**os.environ, "PEAK_FILE": str(tmp_path / "peak")},
        )
        elapsed = time.monotonic() - began
        peak_mib = int((tmp_path / "peak").read_text()) / 1024  # VmHWM is in KiB
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith(f"error: {path}") and expected in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
        assert not output.exists()
        assert elapsed < 30, elapsed  # minutes before the fix
        assert peak_mib < 200, peak_mib  # gigabytes before the fix

    def test_a_stray_empty_cell_far_away_is_ignored(self, tmp_path: Path) -> None:
        path = far_cell_workbook(tmp_path / "far.xlsx", data=False)
        assert b"XFD1048576" in zipfile.ZipFile(path).read(SHEET)
        table = read_table(path)
        assert len(table.rows) == 17 and table.headings[-1] == "lighting"

    def test_a_lying_zip_is_refused(self) -> None:
        """The zip declares a small sheet; more inflates: the zip's own check catches it."""
        buffer = io.BytesIO()
        whole = opening_xlsx()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
            for name in zipfile.ZipFile(io.BytesIO(whole)).namelist():
                target.writestr(name, zipfile.ZipFile(io.BytesIO(whole)).read(name))
        data = bytearray(buffer.getvalue())
        central = data.find(b"PK\x01\x02")
        while central != -1:
            name_length = struct.unpack_from("<H", data, central + 28)[0]
            name = bytes(data[central + 46 : central + 46 + name_length]).decode()
            if name == SHEET:
                struct.pack_into("<I", data, central + 24, 100)  # declared: 100 bytes
                local = struct.unpack_from("<I", data, central + 42)[0]
                struct.pack_into("<I", data, local + 22, 100)
            central = data.find(b"PK\x01\x02", central + 4)
        with pytest.raises(ShowFileError, match=rf"^x\.xlsx: part {SHEET} cannot be read"):
            read_xlsx(bytes(data), "x.xlsx")

    def test_a_part_past_the_limit(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(limits, "MAX_WORKBOOK_PART_BYTES", 10_000)
        with pytest.raises(ShowFileError, match=r"^x\.xlsx: part xl/.* inflates to [\d,]+ bytes"):
            read_xlsx(opening_xlsx(), "x.xlsx")

    def test_all_parts_past_the_limit(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(limits, "MAX_WORKBOOK_BYTES", 30_000)
        with pytest.raises(ShowFileError, match=r"the parts inflate to [\d,]+ bytes; a workbook"):
            read_xlsx(opening_xlsx(), "x.xlsx")

    def test_too_many_parts(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(limits, "MAX_WORKBOOK_PARTS", 5)
        with pytest.raises(ShowFileError, match=r"^x\.xlsx: 9 parts; a workbook may have 5"):
            read_xlsx(opening_xlsx(), "x.xlsx")

    def test_a_line_past_the_limit(self) -> None:
        data = b"a,b\n1," + b"," * 1_100_000 + b"2\n"
        with pytest.raises(ShowFileError, match=r"^x\.csv:2: a line of more than 1,048,576"):
            read_csv(data, "x.csv")

    def test_a_file_past_the_limit(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(limits, "MAX_TABLE_BYTES", 1000)
        path = tmp_path / "big.csv"
        path.write_text("a,b\n" + "1,2\n" * 500)
        with pytest.raises(ShowFileError, match=r"big\.csv: more than 1,000 bytes, the limit"):
            read_table(path)

    @pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
    def test_data_past_the_last_row(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
    ) -> None:
        monkeypatch.setattr(limits, "MAX_TABLE_ROWS", 3)
        path = tmp_path / f"rows{suffix}"
        write_sheet(path, [["a", "b"], ["1", "2"], ["", ""], ["", ""], ["", ""], ["5", ""]])
        where = ":4: row 4" if suffix == ".csv" else ":6: sheet 'Sheet': cell A6 holds data"
        with pytest.raises(ShowFileError, match=rf"{where}.*first 3 rows"):
            read_table(path)

    @pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
    def test_blank_rows_past_the_last_row_are_ignored(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
    ) -> None:
        monkeypatch.setattr(limits, "MAX_TABLE_ROWS", 3)
        path = tmp_path / f"rows{suffix}"
        write_sheet(path, [["a", "b"], ["1", "2"], *[["", " "]] * 10])
        assert [row.line for row in read_table(path).rows] == [2]

    @pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
    def test_too_many_columns(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
    ) -> None:
        monkeypatch.setattr(limits, "MAX_TABLE_COLUMNS", 3)
        path = tmp_path / f"wide{suffix}"
        write_sheet(path, [["a", "b", "c", "d"], ["1", "2", "3", "4"]])
        with pytest.raises(ShowFileError, match=r":1: .*(4 columns|cell D1 holds data)"):
            read_table(path)

    @pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
    def test_too_many_cells(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
    ) -> None:
        monkeypatch.setattr(limits, "MAX_TABLE_CELLS", 5)
        path = tmp_path / f"full{suffix}"
        write_sheet(path, [["a", "b"], ["1", "2"], ["3", "4"], ["5", "6"]])
        with pytest.raises(ShowFileError, match=r":3: .*more than 5 cells hold data"):
            read_table(path)


def write_sheet(path: Path, rows: list[list[str]]) -> None:
    if path.suffix == ".csv":
        path.write_text("\n".join(",".join(row) for row in rows) + "\n")
        return
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.worksheets[0].append([cell or None for cell in row])
    workbook.save(path)


# --- 2. formula injection --------------------------------------------------------------------

user_text = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Cn")), min_size=1, max_size=30)
titles = st.builds(
    lambda start, rest: (start + rest).strip(),
    st.sampled_from(["", "=", "+", "-", "@", "'", "'=", "''+", "'''-", "=="]),
    user_text,
).filter(bool)


class TestFormulaInjection:
    @given(st.text())
    def test_the_guard_comes_off_exactly(self, text: str) -> None:
        guarded = guard_text(text)
        assert unguard_text(guarded) == text
        assert not guarded.startswith(FORMULA_STARTS)

    def test_csv_cells_starting_a_formula_get_a_quote(self) -> None:
        assert [guard_text(text) for text in HOSTILE] == ["'" + text for text in HOSTILE[:4]] + [
            "''=1+1",
            "'''@x",
        ]
        assert guard_text("Opening") == "Opening" and guard_text("O'Neil") == "O'Neil"
        assert guard_text("'quoted'") == "'quoted'"

    def test_the_csv_sheet_guards_user_text(self, tmp_path: Path) -> None:
        path = hostile_show(tmp_path, list(HOSTILE))
        result = CliRunner().invoke(main, ["sheet", str(path), "--format", "csv"])
        assert result.exit_code == 0, result.output
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        written = [row["title"] for row in rows]
        assert written == [guard_text(title) for title in HOSTILE]
        assert all(not title.startswith(FORMULA_STARTS) for title in written)
        assert rows[0]["notes"].startswith("'=1+2") and rows[0]["duration"] == "0:05:00"
        back = read_csv(result.stdout.encode(), "sheet.csv")
        assert [row.cells["title"] for row in back.rows] == list(HOSTILE)

    def test_the_xlsx_has_no_formula(self, tmp_path: Path) -> None:
        path = hostile_show(tmp_path, list(HOSTILE))
        workbook = tmp_path / "x.xlsx"
        result = CliRunner().invoke(main, ["sheet", str(path), "-o", str(workbook)])
        assert result.exit_code == 0, result.output
        xml = zipfile.ZipFile(workbook).read(SHEET).decode()
        assert "<f>" not in xml and "<f " not in xml
        assert '<t>=HYPERLINK("http://x","y")</t>' in xml
        back = tmp_path / "back.yaml"
        result = CliRunner().invoke(
            main,
            [
                "import",
                "table",
                str(workbook),
                "--map",
                "run-of-show",
                "--into",
                str(path),
                "-o",
                str(back),
            ],
        )
        assert result.exit_code == 0, result.output
        assert ceremony.load(back) == ceremony.load(path)

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(titles, min_size=1, max_size=4))
    def test_titles_come_back_exactly_through_xlsx_and_csv(self, chosen: list[str]) -> None:
        programme = ceremony.loads(
            "programme: P\ntimezone: Europe/Paris\nceremonies:\n"
            "  - {id: c, title: C, start: 2024-08-28T20:00+02:00, segments: ["
            + ", ".join(f"{{id: s{i}, kind: custom, duration: 5m}}" for i in range(len(chosen)))
            + "]}\n",
            "yaml",
        )
        show = programme.ceremonies[0]
        show = attrs.evolve(
            show,
            segments=[
                attrs.evolve(segment, title=title)
                for segment, title in zip(show.segments, chosen, strict=True)
            ],
        )
        programme = attrs.evolve(programme, ceremonies=[show])
        timeline = ceremony.resolve(programme, ceremony="c")
        table = read_xlsx(run_of_show_xlsx(programme, show, timeline), "x.xlsx")
        back = import_run_of_show(table, load_mapping("run-of-show"), programme=programme)
        assert [s.title for s in back.programme.ceremonies[0].segments] == chosen
        sheet = build_sheet(programme, timeline, printed_at=datetime(2024, 8, 28, tzinfo=UTC))
        rows = read_csv(render_csv(sheet).encode(), "x.csv").rows
        assert [row.get("title") for row in rows] == chosen


def hostile_show(tmp_path: Path, titles: list[str]) -> Path:
    path = tmp_path / "show.yaml"
    segments = "".join(
        f"      - {{id: s{i}, kind: custom, title: {title!r}, duration: 5m"
        + (", notes: '=1+2'" if i == 0 else "")
        + "}\n"
        for i, title in enumerate(titles)
    )
    path.write_text(
        "programme: P\ntimezone: Europe/Paris\nceremonies:\n"
        "  - id: c\n    title: C\n    start: 2024-08-28T20:00+02:00\n    segments:\n" + segments
    )
    return path


# --- 3. broken workbooks ---------------------------------------------------------------------


BROKEN: dict[str, tuple[Callable[[str, bytes], bytes | None], str]] = {
    "entities": (
        in_sheet(lambda c: c.replace(b"<worksheet", b'<!DOCTYPE w [<!ENTITY a "x">]><worksheet')),
        f"part {SHEET} declares a DTD or entities",
    ),
    "billion-laughs": (
        in_sheet(
            lambda c: (
                b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
                + b"".join(b'<!ENTITY a%d "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' % i for i in range(9))
                + b"]>"
                + c.replace(b"<t>welcome</t>", b"<t>&a8;</t>")
            )
        ),
        "declares a DTD or entities",
    ),
    "malformed": (
        in_sheet(lambda c: c[:-30]),
        f"part {SHEET} is not well-formed XML (unclosed token, line 1, column",
    ),
    "not-a-number": (
        in_sheet(lambda c: first_number_cell(c, b'<c r="A2" t="n"><v>abc</v></c>')),
        ":2: sheet 'Run of show': cell A2: 'abc' is not a number",
    ),
    "not-finite": (
        in_sheet(lambda c: first_number_cell(c, b'<c r="A2"><v>1e999</v></c>')),
        "cell A2: '1e999' is not a number",
    ),
    "bad-date": (
        in_sheet(lambda c: first_number_cell(c, b'<c r="A2" t="d"><v>yesterday</v></c>')),
        "cell A2: 'yesterday' is not an ISO 8601 date",
    ),
    "style-out-of-range": (
        in_sheet(lambda c: first_number_cell(c, b'<c r="A2" s="999"><v>1</v></c>')),
        "cell A2: style 999 does not exist (the workbook has 4)",
    ),
    "shared-string-out-of-range": (
        in_sheet(lambda c: first_number_cell(c, b'<c r="A2" t="s"><v>99</v></c>')),
        "cell A2: shared string 99 does not exist (the workbook has 0)",
    ),
    "not-a-boolean": (
        in_sheet(lambda c: first_number_cell(c, b'<c r="A2" t="b"><v>yes</v></c>')),
        "cell A2: 'yes' is not a boolean (0 or 1)",
    ),
    "bad-reference": (
        in_sheet(lambda c: first_number_cell(c, b'<c r="A-2"><v>1</v></c>')),
        "sheet 'Run of show': 'A-2' is not a cell reference",
    ),
    "bad-row-number": (
        in_sheet(lambda c: c.replace(b'<row r="2">', b'<row r="two">', 1)),
        "row number 'two' is not a number",
    ),
    "unknown-encoding": (
        in_sheet(lambda c: declared(c, b"x-foo")),
        f"part {SHEET} cannot be read in the encoding its XML declaration names "
        "(unknown encoding: x-foo)",
    ),
    "multi-byte-encoding": (
        lambda name, content: (
            declared(content, b"utf-32") if name == "xl/_rels/workbook.xml.rels" else content
        ),
        "part xl/_rels/workbook.xml.rels cannot be read in the encoding its XML declaration "
        "names (multi-byte encodings are not supported)",
    ),
    "missing-sheet-part": (
        lambda name, content: None if name == SHEET else content,
        f"no part {SHEET}: the workbook names it but does not hold it",
    ),
    "missing-relationship": (
        lambda name, content: (
            content.replace(b'Id="rId1"', b'Id="rId9"')
            if name == "xl/_rels/workbook.xml.rels"
            else content
        ),
        "sheet 'Run of show' has no part (relationship 'rId1' is missing)",
    ),
    "no-sheets": (
        lambda name, content: (
            re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", content)
            if name == "xl/workbook.xml"
            else content
        ),
        "not an XLSX workbook (it names no sheet)",
    ),
}


class TestBrokenWorkbooks:
    @pytest.mark.parametrize("case", BROKEN, ids=str)
    def test_located_error(self, case: str) -> None:
        edit, expected = BROKEN[case]
        with pytest.raises(ShowFileError) as caught:
            read_xlsx(rezip(opening_xlsx(), edit), "broken.xlsx")
        assert str(caught.value).startswith("broken.xlsx")
        assert expected in str(caught.value)

    @pytest.mark.parametrize("case", BROKEN, ids=str)
    def test_the_cli_exits_2_and_writes_nothing(self, tmp_path: Path, case: str) -> None:
        edit, expected = BROKEN[case]
        path = tmp_path / "broken.xlsx"
        path.write_bytes(rezip(opening_xlsx(), edit))
        assert_refused(tmp_path, path, "run-of-show", expected, into=OPENING)

    def test_not_a_zip(self) -> None:
        with pytest.raises(ShowFileError, match=r"^x\.xlsx: not an XLSX workbook"):
            read_xlsx(b"PK\x03\x04 truncated", "x.xlsx")

    @pytest.mark.parametrize(
        ("case", "expected"),
        [
            ("bzip2", f"part {SHEET} cannot be read (Invalid data stream)"),
            ("lzma", f"part {SHEET} cannot be read (Corrupt input data)"),
            ("version", "not an XLSX workbook (zip file version 9.3)"),
            ("offset", "part _rels/.rels cannot be read (negative seek value"),
        ],
        ids=["bzip2", "lzma", "version", "offset"],
    )
    def test_a_broken_zip(self, case: str, expected: str) -> None:
        """A corrupt bzip2 or LZMA part, a zip version past 6.3, a directory offset past the
        file (parts then start before it): each is zipfile's own error, refused like the rest."""
        data = bytearray(opening_xlsx())
        if case in ("bzip2", "lzma"):
            method = zipfile.ZIP_BZIP2 if case == "bzip2" else zipfile.ZIP_LZMA
            data = bytearray(rezip(bytes(data), lambda _, content: content, method))
            info = zipfile.ZipFile(io.BytesIO(data)).getinfo(SHEET)
            start = info.header_offset + 30 + len(info.filename) + len(info.extra)
            data[start + 8 : start + 24] = b"\xff" * 16
        elif case == "version":
            struct.pack_into("<H", data, data.find(b"PK\x01\x02") + 6, 93)
        else:
            end = data.rfind(b"PK\x05\x06")
            directory = struct.unpack_from("<I", data, end + 16)[0]
            struct.pack_into("<I", data, end + 16, directory + 2**31)
        with pytest.raises(ShowFileError) as caught:
            read_xlsx(bytes(data), "x.xlsx")
        assert str(caught.value).startswith(f"x.xlsx: {expected}")

    def test_a_date_cell_past_the_calendar(self, tmp_path: Path) -> None:
        workbook = openpyxl.Workbook()
        workbook.worksheets[0].append(["when"])
        workbook.worksheets[0]["A2"] = datetime(2024, 8, 28)
        path = tmp_path / "far.xlsx"
        workbook.save(path)
        data = rezip(
            path.read_bytes(), in_sheet(lambda c: re.sub(rb"<v>4\d+</v>", b"<v>99999999</v>", c))
        )
        with pytest.raises(ShowFileError, match=r"^x\.xlsx:2: .*cell A2: '99999999' is not a date"):
            read_xlsx(data, "x.xlsx")

    def test_a_real_workbooks_values(self, tmp_path: Path) -> None:
        """Shared strings, dates, times, durations, booleans and numbers read as before."""
        workbook = openpyxl.Workbook()
        sheet = workbook.worksheets[0]
        sheet.append(["text", "when", "clock", "length", "flag", "count", "ratio"])
        when = datetime(2024, 8, 28, 20, 30)
        sheet.append(["x", when, when.time(), None, True, 3, 2.5])
        sheet["D2"] = 1.5
        sheet["D2"].number_format = "[h]:mm:ss"
        path = tmp_path / "values.xlsx"
        workbook.save(path)
        [row] = read_table(path).rows
        assert row.cells == {
            "text": "x",
            "when": "2024-08-28T20:30:00",
            "clock": "20:30",
            "length": "36h",
            "flag": "true",
            "count": "3",
            "ratio": "2.5",
        }


# --- 4. control characters -----------------------------------------------------------------


class TestControlCharacters:
    @pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
    def test_refused_with_the_column(self, character: str) -> None:
        data = f"a,Title\n1,ok\n2,bad{character}text\n".encode()
        with pytest.raises(ShowFileError) as caught:
            read_csv(data, "x.csv")
        assert str(caught.value) == (
            f"x.csv:3: column 'Title': control character U+{ord(character):04X} in the text; "
            "remove it (only tab and line breaks may be in a cell)"
        )

    def test_in_a_heading(self) -> None:
        with pytest.raises(ShowFileError, match=r"^x\.csv:1: column 2's heading: control"):
            read_csv(b"a,Ti\x00tle\n1,2\n", "x.csv")

    def test_tabs_and_line_breaks_are_text(self) -> None:
        table = read_csv(b'a,b\n1,"two\r\nlines\tand a tab"\n', "x.csv")
        assert table.rows[0].cells["b"] == "two\r\nlines\tand a tab"

    def test_in_an_xlsx_cell(self) -> None:
        edit = in_sheet(lambda c: c.replace(b"<t>welcome</t>", b"<t>wel\xc2\x85come</t>"))
        with pytest.raises(ShowFileError, match=r"broken\.xlsx:2: sheet 'Run of show': cell B2"):
            read_xlsx(rezip(opening_xlsx(), edit), "broken.xlsx")

    @pytest.mark.parametrize(
        ("change", "expected"),
        [
            (lambda s: attrs.evolve(s, title="Count\vdown"), "title: text may not hold U+000B"),
            (lambda s: attrs.evolve(s, notes="a\x85b"), "notes: text may not hold U+0085"),
            (
                lambda s: attrs.evolve(s, cues=(attrs.evolve(s.cues[0], text="GO\x1b"),)),
                "text: text may not hold U+001B",
            ),
            (
                lambda s: attrs.evolve(s, cues=(attrs.evolve(s.cues[0], department="vi\x00deo"),)),
                "department: text may not hold U+0000",
            ),
        ],
        ids=["title", "notes", "cue", "department"],
    )
    def test_a_programme_built_in_python_refuses_them_too(
        self, change: Callable[[ceremony.Segment], ceremony.Segment], expected: str
    ) -> None:
        """Constructors refuse control characters as the loader does, naming the field."""
        overture = ceremony.load(OPENING).ceremonies[0].segments[0].segments[0]  # type: ignore[attr-defined]
        with pytest.raises(ModelError) as caught:
            change(overture)
        field, _, words = expected.partition(": text may not hold ")
        assert str(caught.value).startswith(
            f"{field}: text may not hold the control character {words}"
        )

    def test_the_workbook_export_still_names_the_item_and_field(self) -> None:
        """Past the constructors (a value set behind attrs' back), the export refuses the
        character itself rather than let openpyxl's IllegalCharacterError out."""
        programme = ceremony.load(OPENING)
        show = programme.ceremonies[0]
        welcome = show.segments[0]
        assert isinstance(welcome, ceremony.Act)
        object.__setattr__(welcome.segments[0], "title", "Count\vdown")
        timeline = ceremony.resolve(programme, ceremony=show.id)
        with pytest.raises(ModelError) as caught:
            run_of_show_xlsx(programme, show, timeline)
        assert str(caught.value).startswith(
            "ceremonies[0].segments[0].segments[0].title: item 'overture', column 'Title': "
            "text may not hold the control character U+000B"
        ), str(caught.value)

    def test_the_cli(self, tmp_path: Path) -> None:
        path = tmp_path / "nul.csv"
        path.write_bytes(SESSION_HEADINGS.encode() + b"2024-07-24T15:00:00+02:00,,,,Foot\x00ball")
        assert_refused(tmp_path, path, "olympics-com", ":2: column 'discipline': control")


# --- 5. dates at the edge of the calendar ------------------------------------------------------

RUN_OF_SHOW_MAPPING = (
    "table: run-of-show\ncolumns: {id: ID, kind: Kind, title: Title, start: Start, "
    "duration: Duration}\nceremony: {id: s, start: 2024-08-28T20:00+02:00}\n"
)


class TestCalendarEdges:
    @pytest.mark.parametrize(
        "start", ["0001-01-01T00:00:00+02:00", "9999-12-31T23:00:00-02:00", "9999-12-31T23:00"]
    )
    def test_a_session_start(self, tmp_path: Path, start: str) -> None:
        path = tmp_path / "edge.csv"
        path.write_text(SESSION_HEADINGS + f"{start},,,,Football,FBL,,0,,,,,,,,\n")
        with pytest.raises(ShowFileError) as caught:
            import_sessions(read_table(path), load_mapping("olympics-com"))
        assert str(caught.value) == (
            f"{path}:2: column 'start_date' (start): {start!r} is outside the dates ceremony "
            "reads (1000-01-01 to 2999-12-31)"
        )

    def test_a_session_date_column(self, tmp_path: Path) -> None:
        path = tmp_path / "edge.csv"
        path.write_text("day,from,to\n0001-01-01,10:00,11:00\n")
        mapping = loads_mapping(
            "table: sessions\ntimezone: UTC\ncolumns: {date: day, start: from, end: to}\n",
            "m.yaml",
        )
        with pytest.raises(ShowFileError, match=r"edge\.csv:2: column 'day' \(date\): '0001"):
            import_sessions(read_table(path), mapping)

    def test_a_session_duration(self, tmp_path: Path) -> None:
        path = tmp_path / "edge.csv"
        path.write_text("start,length\n2024-07-24T15:00:00+02:00,87600000h\n")
        mapping = loads_mapping(
            "table: sessions\ncolumns: {start: start, duration: length}\n", "m.yaml"
        )
        with pytest.raises(ShowFileError, match=r"edge\.csv:2: column 'length' \(duration\)"):
            import_sessions(read_table(path), mapping)

    @pytest.mark.parametrize("start", ["0001-01-01T00:00+02:00", "9999-12-31T23:00+00:00"])
    def test_a_run_of_show_start(self, tmp_path: Path, start: str) -> None:
        path = tmp_path / "edge.csv"
        path.write_text(f"ID,Kind,Title,Start,Duration\nx,custom,X,{start},8m\n")
        mapping = tmp_path / "m.yaml"
        mapping.write_text(RUN_OF_SHOW_MAPPING)
        assert_refused(
            tmp_path,
            path,
            str(mapping),
            f":2: column 'Start' (start): {start!r} is outside the dates ceremony reads",
        )

    def test_a_run_of_show_duration(self, tmp_path: Path) -> None:
        path = tmp_path / "edge.csv"
        path.write_text("ID,Kind,Title,Start,Duration\nx,custom,X,,87600000h\n")
        mapping = tmp_path / "m.yaml"
        mapping.write_text(RUN_OF_SHOW_MAPPING)
        assert_refused(tmp_path, path, str(mapping), ":2: ", "is longer than 366 days")

    def test_an_xlsx_date_cell_in_9999(self, tmp_path: Path) -> None:
        workbook = openpyxl.Workbook()
        sheet = workbook.worksheets[0]
        sheet.append(["ID", "Kind", "Title", "Start", "Duration"])
        sheet.append(["x", "custom", "X", None, "8m"])
        sheet["D2"] = 2958465  # 9999-12-31, as a date cell
        sheet["D2"].number_format = "yyyy-mm-dd hh:mm"
        path = tmp_path / "edge.xlsx"
        workbook.save(path)
        mapping = tmp_path / "m.yaml"
        mapping.write_text(RUN_OF_SHOW_MAPPING)
        assert_refused(
            tmp_path, path, str(mapping), ":2: column 'Start' (start): '9999-12-31T00:00:00'"
        )
