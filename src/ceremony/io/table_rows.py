"""Rows of text cells, as both table readers (CSV, XLSX) make them, and the checks they share.

A sheet's first row holds its headings; every other row keeps only its non-empty cells, by
heading. The checks here are those of :mod:`ceremony.io.tables` for either kind of file: the
file's size, the headings, control characters, the rows and cells holding data
(:mod:`ceremony.limits`, read when a file is read). Text that a spreadsheet would run as a
formula is guarded (:func:`guard_text`) and unguarded (:func:`unguard_text`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

import attrs

from ceremony import limits
from ceremony.errors import ShowFileError
from ceremony.io.importing import size_text

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


def _check_size(data: bytes, file: str) -> None:
    if len(data) > limits.MAX_TABLE_BYTES:
        raise ShowFileError(f"more than {size_text(limits.MAX_TABLE_BYTES)}, the limit", file=file)


def _past_rows() -> str:
    return f"a sheet may hold data in its first {limits.MAX_TABLE_ROWS:,} rows"


def _headings(cells: Sequence[str], file: str, *, unguard: bool = False) -> tuple[str, ...]:
    headings = [(unguard_text(cell) if unguard else cell).strip() for cell in cells]
    while headings and not headings[-1]:
        headings.pop()
    if not headings:
        raise ShowFileError("no headings in the first row", file=file, line=1)
    if len(headings) > limits.MAX_TABLE_COLUMNS:
        raise ShowFileError(
            f"{len(headings)} columns; a sheet may have at most {limits.MAX_TABLE_COLUMNS}",
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
        if self.cells > limits.MAX_TABLE_CELLS:
            raise ShowFileError(
                f"more than {limits.MAX_TABLE_CELLS:,} cells hold data; that is the limit",
                file=self.file,
                line=line,
            )
        self.rows.append(Row(line=line, cells=kept))

    def table(self) -> Table:
        return Table(file=self.file, headings=self.headings, rows=tuple(self.rows))
