"""The limits ceremony puts on what it reads, and why each is where it is.

Every limit is far beyond what a real show, schedule or workbook needs, and close enough
that hostile or broken input (a file nested 40,000 deep, a "no end" date of 9999-12-31, a
workbook with a cell at XFD1048576) is refused cheaply, with a located error, before it can
exhaust memory, overflow the calendar or crash the interpreter.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

MAX_NESTING = 64
"""How deep lists and mappings may nest in a show, actuals or mapping file.

A real show file nests about ten levels (programme, ceremonies, acts, segments, cues); 64
leaves room for deeply nested acts and stays far below the depth at which the YAML and JSON
parsers or the interpreter's stack give out.
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
