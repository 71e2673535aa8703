"""One worksheet's XML, streamed: its cells with data, as text, in rows under the headings.

Every cell becomes text the way a person reads it, as openpyxl would read its value: dates
and times in ISO 8601, durations as ``1h30m``, whole numbers without ``.0``; shared strings and
styles come from the workbook (:mod:`ceremony.io.workbook`). Empty cells far away (a stray
formatted cell at ``XFD1048576``) cost nothing and are ignored; a cell with data past the
rows or columns of :mod:`ceremony.limits` is refused. Cell text has its OOXML escapes decoded
as a spreadsheet shows it (``_x000D_`` is a carriage return, ``_x005F_`` an underscore).
"""

from __future__ import annotations

import abc
import math
import re
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any, NoReturn

from openpyxl.utils.cell import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import ISO_DURATION, from_excel, from_ISO8601
from openpyxl.utils.escape import unescape

from ceremony import limits
from ceremony.durations import format_duration
from ceremony.errors import ShowFileError
from ceremony.io.table_rows import Table, _Builder, _check_control, _headings, _past_rows

_CELL_TAGS = frozenset(("c", "http://schemas.openxmlformats.org/spreadsheetml/2006/main c"))
_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
_KINDS = {
    "n": "a number",
    "s": "the number of a shared string",
    "b": "a boolean (0 or 1)",
    "d": "an ISO 8601 date",
}


class _Handler(abc.ABC):
    """What a streamed part's XML events go to (local names, namespaces dropped)."""

    @abc.abstractmethod
    def start(self, name: str, attrib: dict[str, str]) -> None:
        """An element opens."""

    @abc.abstractmethod
    def end(self, name: str) -> None:
        """An element closes."""

    def text(self, data: str) -> None:  # noqa: B027 - a default: most handlers ignore text
        """Character data; ignored unless a handler collects it."""


def _local(name: str) -> str:
    return name.rpartition(" ")[2]


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
        if self.row > limits.MAX_TABLE_ROWS:
            self.fail(f"cell {self.ref} holds data; {_past_rows()}")
        if self.column > limits.MAX_TABLE_COLUMNS:
            self.fail(
                f"cell {self.ref} holds data; a sheet may hold data in its first "
                f"{limits.MAX_TABLE_COLUMNS} columns only "
                f"(to {get_column_letter(limits.MAX_TABLE_COLUMNS)}, the limit)"
            )
        self.count += 1
        if self.count > limits.MAX_TABLE_CELLS:
            self.fail(f"more than {limits.MAX_TABLE_CELLS:,} cells hold data; that is the limit")
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
