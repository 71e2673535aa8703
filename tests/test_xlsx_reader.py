"""Our streaming XLSX reader (``ceremony.io.tables.read_xlsx``) against openpyxl's.

The project reads XLSX itself because openpyxl's reader cannot be bounded (see
``benchmarks/bench_xlsx_read.py``); the house rule then asks that the hand-written reader be
tested against the library's. Every workbook here is read twice: by ``read_xlsx``, and by
openpyxl (``read_only=True, data_only=True``, ``iter_rows(values_only=True)``) with each value
made text by the module's own ``_text`` and empty cells and blank rows dropped, as
``read_xlsx`` does. Both must give the same headings, cells and line numbers.

Deliberate differences, each pinned by a test below:

- ``_xHHHH_`` escapes in cell text are decoded (Excel writes a carriage return as
  ``_x000D_`` and shows it decoded); openpyxl 3.1 leaves them as stored.
- A ``t="d"`` (ISO 8601) cell keeps its UTC offset; openpyxl drops it, which shifts the time.
- Broken workbooks (a shared string or style that does not exist, a date out of range) are
  refused with a located error; openpyxl reads them as something else or warns.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import attrs
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from openpyxl.utils.escape import unescape

import ceremony
from ceremony.errors import ShowFileError
from ceremony.export.xlsx import run_of_show_xlsx
from ceremony.io import tables
from ceremony.io.tables import read_xlsx

from .conftest import EXAMPLES

PARIS_CSV = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "paris2024-olympics" / "schedules.csv"
)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHARED_STRINGS_TYPE = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
)
SHARED_STRINGS_CONTENT = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)

Expected = tuple[tuple[str, ...], list[tuple[int, dict[str, str]]]] | None
"""Headings and (line, cells) rows, or ``None`` when the sheet must be refused."""


# --- the reference: openpyxl's reading ------------------------------------------------------


def openpyxl_values(data: bytes, sheet: str | None) -> list[tuple[Any, ...]]:
    """The sheet's rows of values as openpyxl's read-only reader gives them."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about parts it does not read
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
            worksheet.reset_dimensions()  # rows as stored, unpadded
            return list(worksheet.iter_rows(values_only=True))
        finally:
            workbook.close()


def expected_table(values: list[tuple[Any, ...]]) -> Expected:
    """What ``read_xlsx`` must give for openpyxl's values (``None``: it must refuse them)."""
    texts = [[tables._text(value) for value in row] for row in values]
    headings = [text.strip() for text in (texts[0] if texts else [])]
    while headings and not headings[-1]:
        headings.pop()
    if not headings or not all(headings) or len(set(headings)) < len(headings):
        return None
    rows = []
    for line, cells in enumerate(texts[1:], start=2):
        kept = {headings[i]: text for i, text in enumerate(cells[: len(headings)]) if text}
        if any(text.strip() for text in kept.values()):
            rows.append((line, kept))
    return tuple(headings), rows


def assert_same(data: bytes, sheet: str | None = None) -> tables.Table | None:
    """Both readers agree on the sheet; ours is returned (``None`` when both refuse it)."""
    expected = expected_table(openpyxl_values(data, sheet))
    if expected is None:
        with pytest.raises(ShowFileError):
            read_xlsx(data, "x.xlsx", sheet=sheet)
        return None
    table = read_xlsx(data, "x.xlsx", sheet=sheet)
    headings, rows = expected
    assert table.headings == headings
    assert [(row.line, row.cells) for row in table.rows] == rows
    return table


# --- workbooks: written by openpyxl, then some cells stored other ways by hand --------------

_INLINE = re.compile(
    r'<c r="([A-Z]+\d+)"((?: s="\d+")?) t="inlineStr"><is><t(?: xml:space="preserve")?>'
    r"(.*?)</t></is></c>",
    re.DOTALL,
)


def restore(data: bytes, storage: dict[tuple[str, str], str]) -> bytes:
    """The workbook with the text cells named in ``storage`` ((sheet part, ref) → how) stored
    as shared strings (``"shared"``) or a formula's cached text (``"str"``) instead of the
    inline strings openpyxl writes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    strings: list[str] = []

    def cell(part: str, found: re.Match[str]) -> str:
        ref, style, text = found.groups()
        how = storage.get((part, ref), "inline")
        space = ' xml:space="preserve"'
        if how == "shared":
            strings.append(f"<si><t{space}>{text}</t></si>")
            return f'<c r="{ref}"{style} t="s"><v>{len(strings) - 1}</v></c>'
        if how == "str":
            return f'<c r="{ref}"{style} t="str"><f>T("x")</f><v>{text}</v></c>'
        return found.group()

    parts = {}
    for info in source.infolist():
        content = source.read(info.filename)
        if info.filename.startswith("xl/worksheets/sheet"):
            content = _INLINE.sub(partial(cell, info.filename), content.decode()).encode()
        parts[info.filename] = content
    if strings:
        parts["xl/sharedStrings.xml"] = (
            f'<sst xmlns="{MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">'
            + "".join(strings)
            + "</sst>"
        ).encode()
        rels = parts["xl/_rels/workbook.xml.rels"].decode()
        rel = f'<Relationship Id="rIdSST" Type="{SHARED_STRINGS_TYPE}" Target="sharedStrings.xml"/>'
        parts["xl/_rels/workbook.xml.rels"] = rels.replace(
            "</Relationships>", rel + "</Relationships>"
        ).encode()
        types = parts["[Content_Types].xml"].decode()
        override = (
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED_STRINGS_CONTENT}"/>'
        )
        parts["[Content_Types].xml"] = types.replace("</Types>", override + "</Types>").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            target.writestr(name, content)
    return out.getvalue()


TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cn"))
    | st.sampled_from(" \t\n\r"),
    max_size=12,
).filter(lambda text: "_x" not in text)  # escapes: a deliberate difference, tested below
# fmt: off
LOOKALIKES = st.sampled_from((
    " padded ", "1", "1.0", "0042", "1e3", "-2", "+1", "TRUE", "2024-07-26", "12:30", "PT1H",
    "=1+1", '=HYPERLINK("http://x","y")', "@SUM(A1)", "'quoted", "''=x", "#N/A", "  ",
))
FORMATS = st.sampled_from((
    "General", "0.00", "#,##0", "@", "[Red]0.00", '0.0" days"', '"h"0', "yyyy-mm-dd",
    "d/m/yy h:mm", "h:mm AM/PM", "mm:ss", "[h]:mm:ss", "[mm]:ss", "yyyy-mm-dd;@",
    "[$-409]dddd, mmmm d, yyyy", "dd/mm/yyyy hh:mm:ss.000", "[hh]:mm:ss.000",
))
# fmt: on
DATETIMES = st.datetimes(min_value=datetime(1800, 1, 1), max_value=datetime(9999, 12, 30))
VALUES: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    TEXT,
    LOOKALIKES,
    st.integers(-(2**63), 2**63),
    st.floats(-1e307, 1e307),  # a float openpyxl writes past 1.8e308 reads as inf: refused
    st.booleans(),
    DATETIMES,
    st.dates(min_value=date(1800, 1, 1)),
    st.times(),
    st.timedeltas(min_value=timedelta(days=-10), max_value=timedelta(days=1000)),
)
NUMBERS_AS_DATES = st.integers(-600_000, 2_957_000) | st.floats(0, 100_000)
"""Numbers that a date or duration format shows as one a spreadsheet can hold."""


def put(cell: Any, value: Any) -> None:
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, not a formula


@attrs.frozen
class Cell:
    """A cell to write: its value, number format (``None``: openpyxl's) and how text is kept."""

    value: Any
    number_format: str | None = None
    stored: str = "inline"


@attrs.frozen
class Book:
    """A workbook to write: its date system, whether dates are ISO text, and its sheets."""

    mac_1904: bool
    iso_dates: bool
    sheets: tuple[tuple[str, dict[tuple[int, int], Cell]], ...]

    def save(self) -> bytes:
        book = openpyxl.Workbook(iso_dates=self.iso_dates)
        if self.mac_1904:
            book.epoch = CALENDAR_MAC_1904
        storage: dict[tuple[str, str], str] = {}
        for index, (title, cells) in enumerate(self.sheets):
            sheet = book.active if index == 0 else book.create_sheet()
            assert sheet is not None
            sheet.title = title
            for (row, column), spec in cells.items():
                cell = sheet.cell(row, column)
                put(cell, spec.value)
                if spec.number_format is not None:
                    cell.number_format = spec.number_format
                storage[f"xl/worksheets/sheet{index + 1}.xml", cell.coordinate] = spec.stored
        out = io.BytesIO()
        book.save(out)
        return restore(out.getvalue(), storage)


STORED = st.sampled_from(["inline", "shared", "str"])


@st.composite
def cells(draw: st.DrawFn) -> Cell:
    value = draw(VALUES)
    if value is None:  # now and then an empty, formatted cell
        return Cell(None, draw(st.none() | FORMATS))
    if isinstance(value, int | float) and not isinstance(value, bool) and draw(st.booleans()):
        return Cell(draw(NUMBERS_AS_DATES), draw(FORMATS))  # a number shown as a date or not
    if isinstance(value, str):
        return Cell(value, draw(st.none() | FORMATS), draw(STORED))
    if draw(st.integers(0, 3)) == 0 and not isinstance(value, int | float):
        return Cell(value, draw(FORMATS))  # a date shown as a number, and so on
    return Cell(value)


@st.composite
def sheets(draw: st.DrawFn, title: str) -> tuple[str, dict[tuple[int, int], Cell]]:
    width = draw(st.integers(1, 6))
    headings: list[str] = draw(
        st.lists(TEXT.map(str.strip).filter(bool), min_size=width, max_size=width)
    )
    if draw(st.integers(0, 9)) == 0:  # now and then headings to refuse
        headings[draw(st.integers(0, width - 1))] = draw(st.sampled_from(["", " ", headings[0]]))
    found = {(1, column): Cell(h, None, draw(STORED)) for column, h in enumerate(headings, 1)}
    line = 1
    for _ in range(draw(st.integers(0, 8))):
        line += draw(st.sampled_from([1, 1, 1, 2, 5]))  # now and then rows left out
        for column in range(1, width + draw(st.integers(0, 1)) + 1):  # one past the headings
            found[line, column] = draw(cells())
    return title, found


@st.composite
def books(draw: st.DrawFn) -> tuple[Book, str | None]:
    """A workbook of one to three sheets, and the sheet to read (``None``: the first)."""
    titles = draw(
        st.lists(
            st.text(st.sampled_from("Sheet ÉtéΩ12-_"), min_size=1, max_size=8).filter(
                lambda t: t.strip() == t
            ),
            min_size=1,
            max_size=3,
            unique_by=str.lower,
        )
    )
    book = Book(
        mac_1904=draw(st.booleans()),
        iso_dates=draw(st.booleans()),
        sheets=tuple(draw(sheets(title)) for title in titles),
    )
    return book, draw(st.sampled_from([None, *titles]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(books())
def test_generated_workbooks_read_as_openpyxl_reads_them(case: tuple[Book, str | None]) -> None:
    book, sheet = case
    assert_same(book.save(), sheet)


# --- real workbooks -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "example", ["paralympic-opening.yaml", "olympic-closing.toml", "paralympic-closing.json"]
)
def test_run_of_show_workbooks_read_as_openpyxl_reads_them(example: str) -> None:
    """The workbooks ``ceremony sheet SHOW -o x.xlsx`` writes, every sheet of them."""
    programme = ceremony.load(EXAMPLES / example)
    show = programme.ceremony()
    data = run_of_show_xlsx(programme, show, ceremony.resolve(programme, ceremony=show.id))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        names = openpyxl.load_workbook(io.BytesIO(data), read_only=True).sheetnames
    read = [assert_same(data, name) for name in names]
    assert read[0] is not None
    assert len(read[0].rows) >= 10


def test_paris_schedule_workbook_reads_as_openpyxl_reads_it() -> None:
    """The first 300 rows of the real Paris 2024 schedule, typed as a person would keep it."""
    if not PARIS_CSV.exists():
        pytest.skip(f"the real Paris 2024 data is not in {PARIS_CSV.parent}")
    with PARIS_CSV.open(encoding="utf-8-sig", newline="") as file:
        rows = [row for _, row in zip(range(301), csv.reader(file), strict=False)]
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for line, row in enumerate(rows, start=1):
        for column, text in enumerate(row, start=1):
            put(sheet.cell(line, column), typed(text) if line > 1 else text)
    out = io.BytesIO()
    book.save(out)
    table = assert_same(out.getvalue())
    assert table is not None
    assert len(table.rows) == len(rows) - 1


def typed(text: str) -> Any:
    """A CSV cell as the value a spreadsheet would make of it: a number, a date, or text."""
    for parse in (int, float):
        try:
            return parse(text)
        except ValueError:
            pass
    try:
        return datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        return text


# --- deliberate differences -----------------------------------------------------------------


def one_sheet(cells: str, strings: tuple[str, ...] = ()) -> bytes:
    """A workbook whose sheet data is ``cells`` (row XML) and shared strings ``strings``."""
    book = openpyxl.Workbook()
    out = io.BytesIO()
    book.save(out)
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData>{cells}</sheetData></worksheet>'
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    parts = {info.filename: source.read(info.filename) for info in source.infolist()}
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    if strings:
        parts["xl/sharedStrings.xml"] = (
            f'<sst xmlns="{MAIN}">' + "".join(f"<si>{s}</si>" for s in strings) + "</sst>"
        ).encode()
        parts["xl/_rels/workbook.xml.rels"] = (
            parts["xl/_rels/workbook.xml.rels"]
            .decode()
            .replace(
                "</Relationships>",
                f'<Relationship Id="rIdSST" Type="{SHARED_STRINGS_TYPE}" '
                'Target="sharedStrings.xml"/></Relationships>',
            )
            .encode()
        )
        parts["[Content_Types].xml"] = (
            parts["[Content_Types].xml"]
            .decode()
            .replace(
                "</Types>",
                f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED_STRINGS_CONTENT}"/></Types>',
            )
            .encode()
        )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, content in parts.items():
            target.writestr(name, content)
    return out.getvalue()


HEAD = '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="B1" t="inlineStr"><is><t>b</t></is></c></row>'


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("line_x000D_break", "line\rbreak"),
        ("line_x000d_break", "line\rbreak"),
        ("line_x000A_feed", "line\nfeed"),
        ("tab_x0009_bed", "tab\tbed"),
        ("_x0041_", "A"),
        ("_x005F_x000D_", "_x000D_"),  # an escaped escape: the text _x000D_ itself
        ("_x00_ _xZZZZ_ _X000D_", "_x00_ _xZZZZ_ _X000D_"),  # not escapes
    ],
)
def test_escapes_are_decoded_in_every_kind_of_text_cell(stored: str, shown: str) -> None:
    """Shared strings, inline strings and formula text: decoded as Excel shows them.

    openpyxl 3.1 leaves them as stored (it only drops ``x005F_`` in shared strings); we
    decode them with openpyxl's own ``unescape``.
    """
    cells = (
        HEAD
        + f'<row r="2"><c r="A2" t="s"><v>0</v></c>{inline("B2", stored)}</row>'
        + f'<row r="3"><c r="A3" t="str"><f>T("x")</f><v>{escape(stored)}</v></c>'
        + '<c r="B3" t="s"><v>1</v></c></row>'
    )
    split = stored[:3], stored[3:]  # one escape spread over two runs is not an escape
    runs = "".join(f'<r><t xml:space="preserve">{escape(s)}</t></r>' for s in split)
    data = one_sheet(cells, (f'<t xml:space="preserve">{escape(stored)}</t>', runs))
    table = read_xlsx(data, "x.xlsx")
    assert [row.cells for row in table.rows] == [
        {"a": shown.strip(), "b": shown.strip()},
        {"a": shown.strip(), "b": "".join(unescape(s) for s in split).strip()},
    ]
    values = openpyxl_values(data, None)
    assert (values[1][1], values[2][0]) == (stored, stored)  # inline and formula text
    assert tables._text(unescape(stored)) == shown.strip()


@pytest.mark.parametrize("kind", ["shared", "inline", "str"])
def test_an_escaped_control_character_is_refused_where_it_is(kind: str) -> None:
    stored = "bell_x0007_"
    cell = {
        "shared": '<c r="B3" t="s"><v>0</v></c>',
        "inline": inline("B3", stored),
        "str": f'<c r="B3" t="str"><v>{stored}</v></c>',
    }[kind]
    data = one_sheet(HEAD + f'<row r="3"><c r="A3"><v>1</v></c>{cell}</row>', (f"<t>{stored}</t>",))
    with pytest.raises(ShowFileError, match=r"cell B3: control character U\+0007") as caught:
        read_xlsx(data, "x.xlsx")
    assert caught.value.line == 3


def test_an_escaped_control_character_in_a_heading_is_refused() -> None:
    data = one_sheet(f'<row r="1">{inline("A1", "a_x001B_")}</row>')
    with pytest.raises(ShowFileError, match=r"cell A1: control character U\+001B") as caught:
        read_xlsx(data, "x.xlsx")
    assert caught.value.line == 1


@pytest.mark.parametrize(
    ("stored", "ours", "openpyxls"),
    [
        ("2024-07-26", "2024-07-26", "2024-07-26"),
        ("2024-07-26T20:30:00", "2024-07-26T20:30:00", "2024-07-26T20:30:00"),
        ("2024-07-26T20:30:00.250", "2024-07-26T20:30:00.250000", "2024-07-26T20:30:00.250000"),
        ("20:30:00", "20:30", "20:30"),
        ("PT1H30M", "1h30m", "1h30m"),
        # openpyxl drops the offset, which would move the time by it; we keep it
        ("2024-07-26T20:30:00+02:00", "2024-07-26T20:30:00+02:00", "2024-07-26T20:30:00"),
        ("2024-07-26T20:30:00Z", "2024-07-26T20:30:00+00:00", "2024-07-26T20:30:00"),
    ],
)
def test_iso_date_cells(stored: str, ours: str, openpyxls: str) -> None:
    data = one_sheet(HEAD + f'<row r="2"><c r="A2" t="d"><v>{stored}</v></c></row>')
    assert read_xlsx(data, "x.xlsx").rows[0].cells == {"a": ours}
    assert tables._text(openpyxl_values(data, None)[1][0]) == openpyxls


def test_iso_date_cells_with_text_after_the_value_are_refused() -> None:
    """openpyxl reads ``2024-07-26junk`` as the date; a located error is better."""
    data = one_sheet(HEAD + '<row r="2"><c r="A2" t="d"><v>2024-07-26junk</v></c></row>')
    assert tables._text(openpyxl_values(data, None)[1][0]) == "2024-07-26"
    with pytest.raises(ShowFileError, match="cell A2: '2024-07-26junk' is not an ISO 8601 date"):
        read_xlsx(data, "x.xlsx")


@pytest.mark.parametrize(
    ("cell", "why"),
    [
        ('<c r="A2" t="s"><v>7</v></c>', "shared string 7 does not exist"),
        ('<c r="A2" s="40"><v>1</v></c>', "style 40 does not exist"),
    ],
)
def test_broken_references_are_refused(cell: str, why: str) -> None:
    """openpyxl raises IndexError for the first and ignores the second; we locate both."""
    data = one_sheet(HEAD + f'<row r="2">{cell}</row>', ("<t>x</t>",))
    with pytest.raises(ShowFileError, match=why):
        read_xlsx(data, "x.xlsx")


def test_dates_past_what_a_spreadsheet_holds_are_refused() -> None:
    """openpyxl warns and reads ``#VALUE!``; we refuse the cell."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "a"
    sheet["A2"] = 1e9
    sheet["A2"].number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    book.save(out)
    assert openpyxl_values(out.getvalue(), None)[1] == ("#VALUE!",)
    with pytest.raises(ShowFileError, match="cell A2: '1000000000' is not a date"):
        read_xlsx(out.getvalue(), "x.xlsx")


def test_numbers_past_the_largest_float_are_refused() -> None:
    """openpyxl reads ``inf``; no spreadsheet holds it, so we refuse the cell."""
    data = one_sheet(HEAD + '<row r="2"><c r="A2"><v>1.797693134862316e+308</v></c></row>')
    assert openpyxl_values(data, None)[1] == (float("inf"),)
    with pytest.raises(ShowFileError, match=r"cell A2: '1.797693134862316e\+308' is not a number"):
        read_xlsx(data, "x.xlsx")
