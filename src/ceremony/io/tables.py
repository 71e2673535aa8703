"""Read a spreadsheet (CSV or XLSX) as rows of text cells, each row with its line number.

Every cell becomes text the way a person reads it: XLSX dates and times in ISO 8601, whole
numbers without ``.0``. Importers then parse the text, so a CSV and an XLSX of the same
sheet import the same way. Errors name the file and the line (or the sheet's cell).

Hostile or broken files are refused cheaply, before they can exhaust memory or time: the
file's size, each workbook part's inflated size (as the zip declares it, and counted again
as it is read), the rows, columns and cells holding data (:mod:`ceremony.limits`). A workbook
is read as a stream of XML events, never as a tree, with DTDs and entities refused; empty
cells far away (a stray formatted cell at ``XFD1048576``) cost nothing and are ignored.
Cell text has its OOXML escapes decoded as a spreadsheet shows it (``_x000D_`` is a carriage
return, ``_x005F_`` an underscore). ``tests/test_xlsx_reader.py`` checks this reader against
openpyxl's; ``benchmarks/bench_xlsx_read.py`` shows why the project does not read with openpyxl.

Text that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR first)
is written guarded (:func:`guard_text`) and read back unguarded (:func:`unguard_text`).
"""

from __future__ import annotations

import csv
import io
import lzma
import math
import os
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, time, timedelta
from functools import partial
from pathlib import Path as FilePath
from typing import Any, NoReturn
from xml.parsers import expat

import attrs
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import (
    CALENDAR_MAC_1904,
    CALENDAR_WINDOWS_1900,
    ISO_DURATION,
    from_excel,
    from_ISO8601,
)
from openpyxl.utils.escape import unescape

from ceremony.durations import format_duration
from ceremony.errors import ShowFileError
from ceremony.io.importing import read_source, size_text
from ceremony.limits import (
    MAX_TABLE_BYTES,
    MAX_TABLE_CELLS,
    MAX_TABLE_COLUMNS,
    MAX_TABLE_ROWS,
    MAX_WORKBOOK_BYTES,
    MAX_WORKBOOK_PART_BYTES,
    MAX_WORKBOOK_PARTS,
)

TABLE_SUFFIXES = (".csv", ".xlsx")

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet reads as the start of a formula when a text cell begins with it."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters other than tab, line feed and carriage return."""


def guard_text(text: str) -> str:
    """User text as a CSV cell: ``'`` first when a spreadsheet would read a formula.

    Text made of quotes and then a formula start (``'=x``) gets one more quote too, so that
    :func:`unguard_text` gives back exactly the text, whatever it is.
    """
    return "'" + text if text.lstrip("'").startswith(FORMULA_STARTS) else text


def unguard_text(text: str) -> str:
    """A CSV cell's text with the guard :func:`guard_text` puts on taken off again."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS):
        return text[1:]
    return text


@attrs.frozen(kw_only=True)
class Row:
    """One data row: its line (the spreadsheet's row number) and its non-empty cells."""

    line: int
    cells: dict[str, str]

    def get(self, column: str | None) -> str:
        """The cell under ``column``, stripped; ``""`` when empty or not mapped."""
        if column is None:
            return ""
        return self.cells.get(column, "").strip()


@attrs.frozen(kw_only=True)
class Table:
    """A sheet's headings (in order) and its rows (blank rows left out)."""

    file: str
    headings: tuple[str, ...]
    rows: tuple[Row, ...]

    def require(self, columns: Iterable[tuple[str, str]]) -> None:
        """Refuse a mapping naming a column the sheet does not have (``(field, column)``)."""
        for field, column in columns:
            if column not in self.headings:
                raise ShowFileError(
                    f"no column {column!r} (mapped to {field}); the columns are "
                    + ", ".join(repr(heading) for heading in self.headings),
                    file=self.file,
                    line=1,
                )


def read_table(path: str | os.PathLike[str], *, sheet: str | None = None) -> Table:
    """Read a ``.csv`` (UTF-8, a BOM allowed) or ``.xlsx`` file (``sheet``, else the first)."""
    name = os.fspath(path)
    suffix = FilePath(name).suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise ShowFileError("not a .csv or .xlsx file", file=name)
    data = read_source(name, limit=MAX_TABLE_BYTES)
    if suffix == ".csv":
        return read_csv(data, name)
    return read_xlsx(data, name, sheet=sheet)


def read_csv(data: bytes, file: str) -> Table:
    """A CSV file's rows; the first row holds the headings.

    Blank rows at the end (a spreadsheet's export of its whole used range) are dropped
    before reading; any other row past :data:`~ceremony.limits.MAX_TABLE_ROWS` is refused.
    """
    _check_size(data, file)
    text = io.TextIOWrapper(io.BytesIO(data.rstrip(b", \t\r\n")), "utf-8-sig", newline="")
    reader = csv.reader(_lines(text, file))
    try:
        builder = _Builder(file, _headings(next(reader, []), file, unguard=True))
        first_line = reader.line_num + 1  # a quoted cell may run over several lines
        for number, cells in enumerate(reader, start=2):
            line, first_line = first_line, reader.line_num + 1
            if number > MAX_TABLE_ROWS:
                raise ShowFileError(f"row {number:,}: {_past_rows()}", file=file, line=line)
            if not any(cells) or not any(cell.strip() for cell in cells):
                continue
            width = len(builder.headings)
            if len(cells) > width and any(cell.strip() for cell in cells[width:]):
                raise ShowFileError(
                    f"{len(cells)} cells, but only {width} headings", file=file, line=line
                )
            builder.add(line, enumerate(cells), unguard=True)
    except csv.Error as exc:
        raise ShowFileError(f"not CSV: {exc}", file=file, line=reader.line_num) from None
    except UnicodeDecodeError as exc:
        raise ShowFileError(
            f"not UTF-8 text ({exc.reason})", file=file, line=reader.line_num + 1
        ) from None
    return builder.table()


_LONGEST_LINE = 1024 * 1024
"""The longest line a CSV file may have: 200 columns of 5,000 characters each, and short
enough that a line of nothing but commas stays a small row in memory."""


def _lines(text: Iterable[str], file: str) -> Iterator[str]:
    for number, line in enumerate(text, start=1):
        if len(line) > _LONGEST_LINE:
            raise ShowFileError(
                f"a line of more than {_LONGEST_LINE:,} characters; that is the limit",
                file=file,
                line=number,
            )
        yield line


_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    OSError,
)
"""What :mod:`zipfile` raises on a broken archive, opening it or inflating a part: a bad
header (``BadZipFile``; a version or a compression it does not know,
``NotImplementedError``; a negative offset, ``ValueError``), a corrupt deflate, bzip2 or
LZMA stream (``zlib.error``, ``OSError``, ``LZMAError``), an encrypted part
(``RuntimeError``), data cut short (``EOFError``)."""


def read_xlsx(data: bytes, file: str, *, sheet: str | None = None) -> Table:
    """An XLSX workbook's sheet; its first row holds the headings, one cell each."""
    _check_size(data, file)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as exc:
        raise ShowFileError(f"not an XLSX workbook ({exc})", file=file) from None
    with archive:
        return _Workbook(archive, file).table(sheet)


def _check_size(data: bytes, file: str) -> None:
    if len(data) > MAX_TABLE_BYTES:
        raise ShowFileError(f"more than {size_text(MAX_TABLE_BYTES)}, the limit", file=file)


def _past_rows() -> str:
    return f"a sheet may hold data in its first {MAX_TABLE_ROWS:,} rows"


def _headings(cells: Sequence[str], file: str, *, unguard: bool = False) -> tuple[str, ...]:
    headings = [(unguard_text(cell) if unguard else cell).strip() for cell in cells]
    while headings and not headings[-1]:
        headings.pop()
    if not headings:
        raise ShowFileError("no headings in the first row", file=file, line=1)
    if len(headings) > MAX_TABLE_COLUMNS:
        raise ShowFileError(
            f"{len(headings)} columns; a sheet may have at most {MAX_TABLE_COLUMNS}",
            file=file,
            line=1,
        )
    seen: set[str] = set()
    for index, heading in enumerate(headings):
        if not heading:
            raise ShowFileError(f"column {index + 1} has no heading", file=file, line=1)
        _check_control(heading, file, 1, f"column {index + 1}'s heading")
        if heading in seen:
            raise ShowFileError(f"two columns are headed {heading!r}", file=file, line=1)
        seen.add(heading)
    return tuple(headings)


def _check_control(text: str, file: str, line: int, where: str) -> None:
    found = _CONTROL.search(text)
    if found:
        raise ShowFileError(
            f"{where}: control character U+{ord(found.group()):04X} in the text; "
            "remove it (only tab and line breaks may be in a cell)",
            file=file,
            line=line,
        )


class _Builder:
    """Rows of non-empty cells (by column index, from 0) made into :class:`Row` objects."""

    def __init__(self, file: str, headings: tuple[str, ...]) -> None:
        self.file = file
        self.headings = headings
        self.rows: list[Row] = []
        self.cells = len(headings)

    def add(
        self,
        line: int,
        cells: Iterable[tuple[int, str]],
        where: Callable[[int], str] | None = None,
        *,
        unguard: bool = False,
    ) -> None:
        """Add a row from its (column index, text) pairs; cells under no heading are not read.

        ``unguard`` takes the formula guard off each text (:func:`unguard_text`).
        """
        width = len(self.headings)
        kept = {
            self.headings[index]: unguard_text(text) if unguard and text[0] == "'" else text
            for index, text in cells
            if text and index < width
        }
        if _CONTROL.search("".join(kept.values())):
            for index, heading in enumerate(self.headings):
                text = kept.get(heading, "")
                _check_control(
                    text, self.file, line, where(index) if where else f"column {heading!r}"
                )
        if not any(text.strip() for text in kept.values()):
            return
        self.cells += len(kept)
        if self.cells > MAX_TABLE_CELLS:
            raise ShowFileError(
                f"more than {MAX_TABLE_CELLS:,} cells hold data; that is the limit",
                file=self.file,
                line=line,
            )
        self.rows.append(Row(line=line, cells=kept))

    def table(self) -> Table:
        return Table(file=self.file, headings=self.headings, rows=tuple(self.rows))


# --- XLSX ------------------------------------------------------------------------------------

_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CELL_TAGS = frozenset(("c", "http://schemas.openxmlformats.org/spreadsheetml/2006/main c"))
_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
_UNKNOWN_ENCODING = expat.errors.codes[expat.errors.XML_ERROR_UNKNOWN_ENCODING]
_KINDS = {
    "n": "a number",
    "s": "the number of a shared string",
    "b": "a boolean (0 or 1)",
    "d": "an ISO 8601 date",
}


class _Workbook:
    """The parts of a workbook that make one sheet's cells: found, checked, read."""

    def __init__(self, archive: zipfile.ZipFile, file: str) -> None:
        self.archive = archive
        self.file = file
        infos = archive.infolist()
        if len(infos) > MAX_WORKBOOK_PARTS:
            self.fail(f"{len(infos):,} parts; a workbook may have {MAX_WORKBOOK_PARTS:,}")
        total = 0
        for info in infos:
            if info.file_size > MAX_WORKBOOK_PART_BYTES:
                self.fail(
                    f"part {info.filename} inflates to {info.file_size:,} bytes; a part may "
                    f"inflate to at most {size_text(MAX_WORKBOOK_PART_BYTES)}"
                )
            total += info.file_size
        if total > MAX_WORKBOOK_BYTES:
            self.fail(
                f"the parts inflate to {total:,} bytes; a workbook's parts may "
                f"inflate to at most {size_text(MAX_WORKBOOK_BYTES)} in all"
            )

    def fail(self, message: str) -> NoReturn:
        raise ShowFileError(message, file=self.file)

    def read(self, name: str) -> bytes:
        """A part's bytes, counted as they inflate (the zip's declared size can lie)."""
        try:
            with self.archive.open(name) as part:
                data = part.read(MAX_WORKBOOK_PART_BYTES + 1)
        except KeyError:
            self.fail(f"no part {name}: the workbook names it but does not hold it")
        except _ZIP_ERRORS as exc:
            self.fail(f"part {name} cannot be read ({exc})")
        if len(data) > MAX_WORKBOOK_PART_BYTES:
            self.fail(f"part {name} inflates past {size_text(MAX_WORKBOOK_PART_BYTES)}, the limit")
        return data

    def parse(self, name: str, handler: _Handler) -> None:
        """Stream a part's XML through ``handler``; DTDs and entities are refused."""
        data = self.read(name)
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartElementHandler = handler.start
        parser.EndElementHandler = handler.end
        parser.CharacterDataHandler = handler.text
        parser.StartDoctypeDeclHandler = self._doctype(name)
        parser.EntityDeclHandler = self._doctype(name)
        try:
            parser.Parse(data, True)
        except expat.ExpatError as exc:
            self.fail(
                f"part {name} is not well-formed XML ({expat.errors.messages[exc.code]}, "
                f"line {exc.lineno}, column {exc.offset})"
            )
        except (LookupError, ValueError) as exc:
            # An encoding expat only reads through Python's codecs: one Python does not know
            # (x-foo), or a multi-byte one (UTF-32). Anything else raised here is a handler's.
            if parser.ErrorCode != _UNKNOWN_ENCODING:
                raise
            self.fail(
                f"part {name} cannot be read in the encoding its XML declaration names ({exc})"
            )

    def _doctype(self, name: str) -> Callable[..., None]:
        def refuse(*_: object) -> None:
            self.fail(f"part {name} declares a DTD or entities; a workbook never does")

        return refuse

    def elements(self, name: str, wanted: set[str]) -> list[tuple[str, str, dict[str, str]]]:
        """The ``wanted`` elements of a small part: (local name, parent's, attributes)."""
        collector = _Collector(wanted)
        self.parse(name, collector)
        return collector.found

    def relationships(self, source: str) -> dict[str, tuple[str, str]]:
        """A part's relationships: id → (type's last word, target part)."""
        folder, base = posixpath.split(source)
        name = posixpath.join(folder, "_rels", base + ".rels")
        if name not in self.archive.NameToInfo:
            return {}
        found = {}
        for _, _, attrib in self.elements(name, {"Relationship"}):
            if attrib.get("TargetMode") == "External" or "Target" not in attrib:
                continue
            target = attrib["Target"]
            path = target[1:] if target.startswith("/") else posixpath.join(folder, target)
            kind = attrib.get("Type", "").rpartition("/")[2]
            found[attrib.get("Id", "")] = (kind, posixpath.normpath(path))
        return found

    def table(self, sheet: str | None) -> Table:
        """The named sheet (else the first) as a table."""
        book = next(
            (t for k, t in self.relationships("").values() if k == "officeDocument"),
            "xl/workbook.xml",
        )
        parts = self.relationships(book)
        sheets: list[tuple[str, str]] = []
        epoch = CALENDAR_WINDOWS_1900
        for local, _, attrib in self.elements(book, {"sheet", "workbookPr"}):
            if local == "workbookPr" and attrib.get("date1904") in ("1", "true"):
                epoch = CALENDAR_MAC_1904
            elif local == "sheet":
                sheets.append((attrib.get("name", ""), attrib.get(f"{_RELATIONSHIPS} id", "")))
        if not sheets:
            self.fail("not an XLSX workbook (it names no sheet)")
        names = [title for title, _ in sheets]
        if sheet is not None and sheet not in names:
            self.fail(f"no sheet {sheet!r}; the sheets are " + ", ".join(map(repr, names)))
        title, rel = sheets[names.index(sheet)] if sheet is not None else sheets[0]
        if rel not in parts:
            self.fail(f"sheet {title!r} has no part (relationship {rel!r} is missing)")
        strings = _SharedStrings(self.file)
        styles = _Styles()
        for kind, target in parts.values():
            if kind == "sharedStrings":
                self.parse(target, strings)
            elif kind == "styles":
                styles.read(self, target)
        reader = _SheetReader(self.file, title, strings.strings, styles.kinds, epoch)
        self.parse(parts[rel][1], reader)
        return reader.table()


class _Handler:
    """What a streamed part's XML events go to (local names, namespaces dropped)."""

    def start(self, name: str, attrib: dict[str, str]) -> None:
        raise NotImplementedError

    def end(self, name: str) -> None:
        raise NotImplementedError

    def text(self, data: str) -> None:
        """Character data; ignored unless a handler collects it."""


def _local(name: str) -> str:
    return name.rpartition(" ")[2]


class _Collector(_Handler):
    def __init__(self, wanted: set[str]) -> None:
        self.wanted = wanted
        self.stack: list[str] = [""]
        self.found: list[tuple[str, str, dict[str, str]]] = []

    def start(self, name: str, attrib: dict[str, str]) -> None:
        local = _local(name)
        if local in self.wanted:
            self.found.append((local, self.stack[-1], attrib))
        self.stack.append(local)

    def end(self, name: str) -> None:
        del name
        self.stack.pop()


class _SharedStrings(_Handler):
    """The shared strings: each ``<si>``'s text runs joined (phonetic runs left out)."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.strings: list[str] = []
        self.parts: list[str] | None = None
        self.phonetic = False
        self.collect: list[str] | None = None

    def start(self, name: str, attrib: dict[str, str]) -> None:
        del attrib
        local = _local(name)
        if local == "si":
            self.parts = []
        elif local == "rPh":
            self.phonetic = True
        elif local == "t" and self.parts is not None and not self.phonetic:
            self.collect = []

    def end(self, name: str) -> None:
        local = _local(name)
        if local == "t" and self.collect is not None and self.parts is not None:
            self.parts.append(_unescaped(self.collect))
            self.collect = None
        elif local == "si" and self.parts is not None:
            if len(self.strings) >= MAX_TABLE_CELLS:
                raise ShowFileError(
                    f"more than {MAX_TABLE_CELLS:,} shared strings; that is the limit",
                    file=self.file,
                )
            self.strings.append("".join(self.parts))
            self.parts = None
        elif local == "rPh":
            self.phonetic = False

    def text(self, data: str) -> None:
        if self.collect is not None:
            self.collect.append(data)


class _Styles:
    """Which cell styles show a date (``"date"``) or a duration (``"duration"``)."""

    def __init__(self) -> None:
        self.kinds: list[str | None] = []

    def read(self, workbook: _Workbook, name: str) -> None:
        codes: dict[str, str] = {}
        for local, parent, attrib in workbook.elements(name, {"numFmt", "xf"}):
            if local == "numFmt":
                codes[attrib.get("numFmtId", "")] = attrib.get("formatCode", "")
            elif parent == "cellXfs":
                number = attrib.get("numFmtId", "0")
                code = codes.get(number)
                if code is None and number.isdigit():
                    code = BUILTIN_FORMATS.get(int(number))
                kind = None
                if code and is_timedelta_format(code):
                    kind = "duration"
                elif code and is_date_format(code):
                    kind = "date"
                self.kinds.append(kind)


class _SheetReader(_Handler):
    """One sheet's cells with data, by row and column; merges over the headings refused."""

    def __init__(
        self,
        file: str,
        title: str,
        strings: list[str],
        styles: list[str | None],
        epoch: datetime,
    ) -> None:
        self.file = file
        self.title = title
        self.strings = strings
        self.styles = styles
        self.epoch = epoch
        self.rows: dict[int, dict[int, str]] = {}
        self.row = 0
        self.column = 0
        self.count = 0
        self.cell: dict[str, str] | None = None
        self.value: list[str] | None = None
        self.inline: list[str] | None = None
        self.run: list[str] | None = None
        self.phonetic = False
        self.collect: list[str] | None = None

    def fail(self, message: str) -> NoReturn:
        line = self.row or None
        raise ShowFileError(f"sheet {self.title!r}: {message}", file=self.file, line=line)

    @property
    def ref(self) -> str:
        """The reference of the cell being read (``B7``)."""
        return f"{get_column_letter(self.column)}{self.row}"

    def start(self, name: str, attrib: dict[str, str]) -> None:
        if name in _CELL_TAGS:  # most elements: first, and without splitting the name
            self.start_cell(attrib)
            return
        local = _local(name)
        if self.cell is not None:
            if local == "v":
                self.value = self.collect = []
            elif local == "is":
                self.inline = []
            elif local == "rPh":
                self.phonetic = True
            elif local == "t" and self.inline is not None and not self.phonetic:
                self.collect = self.run = []
        elif local == "row":
            number = attrib.get("r")
            if number is None:
                self.row += 1
            elif number.isdigit() and int(number) >= 1:
                self.row = int(number)
            else:
                self.fail(f"row number {number!r} is not a number")
            self.column = 0
        elif local == "mergeCell":
            self.merged(attrib.get("ref", ""))

    def start_cell(self, attrib: dict[str, str]) -> None:
        ref = attrib.get("r")
        if ref:
            found = _CELL.match(ref)
            if not found:
                self.fail(f"{ref!r} is not a cell reference")
            self.column = column_index_from_string(found[1].upper())
        else:
            self.column += 1
        self.cell = attrib
        self.value = self.inline = self.run = self.collect = None

    def end(self, name: str) -> None:
        if name in _CELL_TAGS:
            if self.cell is not None and (self.value or self.inline is not None):
                text = self.text_of(self.cell)
                if text:
                    self.keep(text)
            self.cell = None
            return
        local = _local(name)
        if local == "t" and self.run is not None and self.inline is not None:
            self.inline.append(_unescaped(self.run))
            self.run = None
        if local in ("v", "t"):
            self.collect = None
        elif local == "rPh":
            self.phonetic = False

    def text(self, data: str) -> None:
        if self.collect is not None:
            self.collect.append(data)

    def keep(self, text: str) -> None:
        if self.row > MAX_TABLE_ROWS:
            self.fail(f"cell {self.ref} holds data; {_past_rows()}")
        if self.column > MAX_TABLE_COLUMNS:
            self.fail(
                f"cell {self.ref} holds data; a sheet may hold data in its first "
                f"{MAX_TABLE_COLUMNS} columns only (to {get_column_letter(MAX_TABLE_COLUMNS)}, "
                "the limit)"
            )
        self.count += 1
        if self.count > MAX_TABLE_CELLS:
            self.fail(f"more than {MAX_TABLE_CELLS:,} cells hold data; that is the limit")
        _check_control(text, self.file, self.row, f"sheet {self.title!r}: cell {self.ref}")
        self.rows.setdefault(self.row, {})[self.column - 1] = text

    def text_of(self, cell: dict[str, str]) -> str:
        """The cell's value as text (``""`` when it holds none), as openpyxl would read it."""
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            return _text("".join(self.inline)) if self.inline is not None else ""
        raw = "".join(self.value) if self.value is not None else ""
        if not raw:
            return ""
        try:
            value = self.value_of(kind, raw, cell.get("s"))
        except (ValueError, OverflowError):
            what = _KINDS.get(kind, "a value")
            self.fail(f"cell {self.ref}: {raw[:40]!r} is not {what}")
        return _text(value)

    def value_of(self, kind: str, raw: str, style: str | None) -> Any:
        if kind == "s":
            index = int(raw)
            if not 0 <= index < len(self.strings):
                self.fail(
                    f"cell {self.ref}: shared string {index} does not exist "
                    f"(the workbook has {len(self.strings)})"
                )
            return self.strings[index]
        if kind == "b":
            return bool(int(raw))
        if kind == "d":
            return _iso_value(raw)
        if kind == "str":
            return _unescaped([raw])  # a formula's text result
        if kind != "n":
            return raw  # e (an error such as #N/A), or unknown
        number: float = int(raw) if not any(c in raw for c in ".eE") else float(raw)
        if not math.isfinite(number):
            raise ValueError(raw)
        shown = self.style_kind(style)
        if shown is None:
            return number
        try:
            return from_excel(number, self.epoch, timedelta=shown == "duration")
        except (ValueError, OverflowError):
            self.fail(f"cell {self.ref}: {raw[:40]!r} is not a {shown} a spreadsheet can hold")

    def style_kind(self, style: str | None) -> str | None:
        if not style:
            return None
        if not style.isdigit() or int(style) >= max(len(self.styles), 1):
            self.fail(
                f"cell {self.ref}: style {style} does not exist "
                f"(the workbook has {len(self.styles)})"
            )
        return self.styles[int(style)] if self.styles else None

    def merged(self, ref: str) -> None:
        first, _, last = ref.partition(":")
        rows = [_CELL.match(part) for part in (first, last or first)]
        if any(found is None for found in rows):
            self.fail(f"{ref!r} is not a range of cells")
        if min(int(found[2]) for found in rows if found) == 1:
            raise ShowFileError(
                f"sheet {self.title!r}: the heading cells {ref} are merged; "
                "unmerge them so that each column has a heading of its own",
                file=self.file,
                line=1,
            )

    def table(self) -> Table:
        heading_row = self.rows.get(1, {})
        width = max(heading_row, default=-1) + 1
        builder = _Builder(
            self.file, _headings([heading_row.get(i, "") for i in range(width)], self.file)
        )
        for number in sorted(self.rows):
            if number > 1:
                cells = self.rows[number].items()
                builder.add(number, cells, partial(_cell_name, self.title, number))
        return builder.table()


def _unescaped(chunks: list[str]) -> str:
    """Text with its OOXML escapes (``_x000D_``, ``_x005F_``) decoded by openpyxl's decoder.

    Excel writes a carriage return as ``_x000D_`` and shows it decoded; openpyxl 3.1 leaves
    cell text as stored (it decodes only headers, footers and table names).
    """
    text = "".join(chunks)
    return unescape(text) if "_x" in text else text


def _iso_value(raw: str) -> datetime | date | time | timedelta:
    """A ``t="d"`` cell's value: a date, a date and time (its offset kept), a time, a duration.

    A date alone stays a date and a duration (``PT1H30M``) is one, as openpyxl reads them;
    unlike openpyxl, an offset (``+02:00``, ``Z``) is kept, and text after the value refused.
    """
    if "-" in raw:
        return date.fromisoformat(raw) if len(raw) == 10 else datetime.fromisoformat(raw)
    if raw.startswith("PT") and ISO_DURATION.fullmatch(raw):
        found: timedelta = from_ISO8601(raw)  # type: ignore[no-untyped-call]  # stubs lack it
        return found
    return time.fromisoformat(raw)


def _cell_name(title: str, row: int, index: int) -> str:
    return f"sheet {title!r}: cell {get_column_letter(index + 1)}{row}"


def _text(value: Any) -> str:
    """A cell's value as the text a person would type for it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="minutes" if value.second == 0 else "seconds")
    if isinstance(value, timedelta):
        return format_duration(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()
