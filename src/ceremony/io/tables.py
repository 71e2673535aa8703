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
It does borrow openpyxl's cell decoders (dates, number formats, escapes), so reading XLSX,
like writing it, needs the ``xlsx`` extra; CSV needs nothing.

Text that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR first)
is written guarded (:func:`guard_text`) and read back unguarded (:func:`unguard_text`).
"""

from __future__ import annotations

import os
from pathlib import Path as FilePath
from typing import Any

from ceremony import limits
from ceremony.errors import ShowFileError
from ceremony.extras import needs_extra
from ceremony.io.importing import read_source
from ceremony.io.table_csv import read_csv
from ceremony.io.table_rows import FORMULA_STARTS, Row, Table, guard_text, unguard_text

__all__ = [
    "FORMULA_STARTS",
    "TABLE_SUFFIXES",
    "Row",
    "Table",
    "guard_text",
    "read_csv",
    "read_table",
    "read_xlsx",
    "unguard_text",
]

TABLE_SUFFIXES = (".csv", ".xlsx")


def read_xlsx(data: bytes, file: str, *, sheet: str | None = None) -> Table:
    """An XLSX workbook's sheet (``sheet``, else the first); its first row holds the headings."""
    with needs_extra("xlsx", "Reading XLSX"):
        from ceremony.io.workbook import read_xlsx as read_workbook  # noqa: PLC0415 - xlsx extra
    return read_workbook(data, file, sheet=sheet)


def _text(value: Any) -> str:
    """A cell's value as the text a person would type for it (``tests/test_xlsx_reader.py``)."""
    with needs_extra("xlsx", "Reading XLSX"):
        from ceremony.io.worksheet import _text as cell_text  # noqa: PLC0415 - xlsx extra
    return cell_text(value)


def read_table(path: str | os.PathLike[str], *, sheet: str | None = None) -> Table:
    """Read a ``.csv`` (UTF-8, a BOM allowed) or ``.xlsx`` file (``sheet``, else the first)."""
    name = os.fspath(path)
    suffix = FilePath(name).suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise ShowFileError("not a .csv or .xlsx file", file=name)
    data = read_source(name, limit=limits.MAX_TABLE_BYTES)
    if suffix == ".csv":
        return read_csv(data, name)
    return read_xlsx(data, name, sheet=sheet)
