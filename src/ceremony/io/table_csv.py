"""Read a CSV file (UTF-8, a BOM allowed) as a :class:`~ceremony.io.table_rows.Table`."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from ceremony import limits
from ceremony.errors import ShowFileError
from ceremony.io.table_rows import Table, _Builder, _check_size, _headings, _past_rows


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
            if number > limits.MAX_TABLE_ROWS:
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
