"""The limits ceremony puts on what it reads, and why each is where it is.

Every limit is far beyond what a real show, schedule or workbook needs, and close enough
that hostile or broken input (a file nested 40,000 deep, a "no end" date of 9999-12-31, a
workbook with a cell at XFD1048576) is refused cheaply, with a located error, before it can
exhaust memory, overflow the calendar or crash the interpreter.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

MAX_NESTING = 64
"""How deep lists and mappings may nest in a show, actuals or mapping file (and components,
BEGIN to END, in an ``.ics`` file).

A real show file nests about ten levels (programme, ceremonies, acts, segments, cues); 64
leaves room for deeply nested acts and stays far below the depth at which the YAML and JSON
parsers or the interpreter's stack give out. A feed nests three (calendar, event, alarm).
"""

EARLIEST_DATE = date(1000, 1, 1)
"""The first day a date or time may fall on."""

LATEST_DATE = date(2999, 12, 31)
"""The last day a date or time may fall on.

Placeholders such as ``9999-12-31`` ("no end") are refused: they sit at the edge of what
Python's calendar holds, so adding an hour or converting to UTC would overflow.
"""

MAX_DURATION = timedelta(days=366)
"""The longest duration or offset an item, session, cue or anchor may have.

A year, longer than any single item or session; with dates bounded as above, every sum
of a time and a duration stays far inside the calendar.
"""


def date_in_range(day: date) -> bool:
    """Whether ``day`` (or a datetime's day) lies between the earliest and latest dates."""
    if isinstance(day, datetime):
        day = day.date()
    return EARLIEST_DATE <= day <= LATEST_DATE


def date_range_text() -> str:
    """The supported range as a person reads it in an error message."""
    return f"{EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}"


MAX_TABLE_BYTES = 20 * 1024 * 1024
"""The largest spreadsheet file (``.csv`` or ``.xlsx``) an importer reads, in bytes.

The whole Paris 2024 schedule (3,860 rows) is a 1 MB CSV; 20 MiB is twenty times that, and
small enough to read whole into memory.
"""

MAX_WORKBOOK_PART_BYTES = 16 * 1024 * 1024
"""The most bytes one part of an ``.xlsx`` workbook (a sheet, the shared strings) may inflate to.

A workbook is a zip of XML parts; a 1 MB file can inflate to gigabytes. A sheet holding a
whole Games schedule is two or three megabytes of XML; 16 MiB of the emptiest XML (three
million empty cells) still reads in a few seconds. The size the zip declares is checked
before anything is read, and the bytes are counted again as they are read, since it can lie.
"""

MAX_WORKBOOK_BYTES = 64 * 1024 * 1024
"""The most bytes all the parts of an ``.xlsx`` workbook together may inflate to."""

MAX_WORKBOOK_PARTS = 1000
"""The most parts (files in the zip) an ``.xlsx`` workbook may have; a real one has a dozen."""

MAX_TABLE_ROWS = 100_000
"""The last row of a sheet that may hold data (the heading row is row 1).

A run-of-show has hundreds of rows, a whole Games schedule a few thousand. Empty rows past
the limit (a stray formatted cell at row 1,048,576) are ignored; data there is refused.
"""

MAX_TABLE_COLUMNS = 200
"""The last column of a sheet that may hold data (column ``GR``).

A schedule has a score of columns, a run-of-show one per department on top; empty cells
further right are ignored, data there is refused.
"""

MAX_TABLE_CELLS = 500_000
"""The most non-empty cells a sheet may hold (the headings included), and the most shared
strings a workbook may have: eight times a whole Games schedule's 62,000 cells.

It bounds the memory and the time an import takes whatever the sheet's shape.
"""
