"""Read a spreadsheet (CSV or XLSX) as rows of text cells, each row with its line number.

Every cell becomes text the way a person reads it: XLSX dates and times in ISO 8601, whole
numbers without ``.0``. Importers then parse the text, so a CSV and an XLSX of the same
sheet import the same way. Errors name the file and the line (or the sheet's cell range).
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from pathlib import Path as FilePath
from typing import Any

import attrs
import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from ceremony.durations import format_duration
from ceremony.errors import ShowFileError
from ceremony.io.importing import read_source

TABLE_SUFFIXES = (".csv", ".xlsx")


@attrs.frozen(kw_only=True)
class Row:
    """One data row: its line (the spreadsheet's row number) and its cells by heading."""

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
    data = read_source(name)
    if suffix == ".csv":
        return read_csv(data, name)
    return read_xlsx(data, name, sheet=sheet)


def read_csv(data: bytes, file: str) -> Table:
    """A CSV file's rows; the first row holds the headings."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ShowFileError(f"not UTF-8 text ({exc.reason})", file=file) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        headings = _headings(next(reader, []), file)
        rows = []
        first_line = reader.line_num + 1  # a quoted cell may run over several lines
        for cells in reader:
            line, first_line = first_line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(headings):
                raise ShowFileError(
                    f"{len(cells)} cells, but only {len(headings)} headings", file=file, line=line
                )
            rows.append(Row(line=line, cells=dict(zip(headings, cells, strict=False))))
    except csv.Error as exc:
        raise ShowFileError(f"not CSV: {exc}", file=file, line=reader.line_num) from None
    return Table(file=file, headings=headings, rows=tuple(rows))


def read_xlsx(data: bytes, file: str, *, sheet: str | None = None) -> Table:
    """An XLSX workbook's sheet; its first row holds the headings, one cell each."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise ShowFileError(f"not an XLSX workbook ({exc})", file=file) from None
    if sheet is not None and sheet not in workbook.sheetnames:
        raise ShowFileError(
            f"no sheet {sheet!r}; the sheets are " + ", ".join(map(repr, workbook.sheetnames)),
            file=file,
        )
    worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
    for merged in worksheet.merged_cells.ranges:
        if merged.min_row == 1:
            raise ShowFileError(
                f"sheet {worksheet.title!r}: the heading cells {merged.coord} are merged; "
                "unmerge them so that each column has a heading of its own",
                file=file,
                line=1,
            )
    lines = worksheet.iter_rows(values_only=True)
    headings = _headings([_text(value) for value in next(lines, ())], file)
    rows = []
    for number, values in enumerate(lines, start=2):
        cells = [_text(value) for value in values]
        if any(cells):
            rows.append(Row(line=number, cells=dict(zip(headings, cells, strict=False))))
    return Table(file=file, headings=headings, rows=tuple(rows))


def _headings(cells: list[str] | tuple[str, ...], file: str) -> tuple[str, ...]:
    headings = [cell.strip() for cell in cells]
    while headings and not headings[-1]:
        headings.pop()
    if not headings:
        raise ShowFileError("no headings in the first row", file=file, line=1)
    seen: set[str] = set()
    for index, heading in enumerate(headings):
        if not heading:
            raise ShowFileError(f"column {index + 1} has no heading", file=file, line=1)
        if heading in seen:
            raise ShowFileError(f"two columns are headed {heading!r}", file=file, line=1)
        seen.add(heading)
    return tuple(headings)


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
