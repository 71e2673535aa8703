r"""VEVENT bytes without icalendar: the content lines of the properties a feed writes.

Serializing an event through icalendar (``Event`` + ``to_ical()``) costs about twenty
times what writing its lines does; a site of a Games' feeds writes tens of thousands of
events. :func:`vevent` writes them itself, the bytes icalendar would write (the same
properties in the same order, escaped and folded the same way), with two deliberate
differences: a backslash before ``N`` stays a backslash (icalendar reads ``\N`` in the
text it is given as a line break), and a control character, which RFC 5545 allows in no
TEXT value, is written as U+FFFD. icalendar still writes the calendar around the events,
and their VTIMEZONEs.

What RFC 5545 asks of a content line, and where it is done here:

- TEXT values escaped (section 3.3.11): backslash, ``;``, ``,`` and every line break as
  ``\n`` (:func:`text`), so that no value can end its line;
- lines folded at 75 octets (section 3.1), never inside a UTF-8 sequence nor between a
  backslash and what it escapes (:func:`fold`);
- a parameter value quoted where it holds ``:``, ``;`` or ``,`` (:func:`parameter_value`);
- CRLF at the end of every line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import lru_cache
from urllib.parse import quote

_BREAKS = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
"""Every line break a reader might split a line on: ``str.splitlines``' list."""

_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ud800-\udfff]")
"""The control characters (tab aside) that are no line break, and lone surrogates."""

_FOLD_AT = 74
"""The longest a line's text may be before it is folded (icalendar's limit, one short of
RFC 5545's 75 octets: a continuation line is then 75 with its leading space)."""

_ESCAPES = (0x5C, 0x5E)
"""Backslash and caret: a fold never comes just after one (it would part an escape)."""

REPLACEMENT = "\ufffd"
"""What a control character is written as."""


def plain(value: str) -> str:
    r"""``value`` with every line break as ``\n`` and every other control character as U+FFFD.

    Tab stays (TEXT allows it). A value with neither, the usual case, is returned as is.
    """
    if value.isprintable() or value.replace("\n", "").isprintable():
        return value
    return _CONTROLS.sub(REPLACEMENT, _BREAKS.sub("\n", value))


def text(value: str) -> str:
    r"""A TEXT value: backslash, ``;``, ``,`` escaped, line breaks as ``\n``."""
    if not value.isprintable():
        value = plain(value)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _unmarked(value: str) -> str:
    """A value without a leading U+FEFF (a byte order mark, not text), as icalendar drops it."""
    return value[1:] if value[:1] == "\ufeff" else value


def uri(value: str) -> str:
    """A URI, with its unprintable characters percent-encoded so that it stays on its line."""
    if value.isprintable():
        return value
    return "".join(
        char if char.isprintable() else quote(char, safe="", errors="replace") for char in value
    )


@lru_cache(maxsize=1024)
def parameter_value(value: str) -> str:
    """A parameter value (RFC 6868 caret escapes), in double quotes where it holds ``:;,``."""
    value = plain(value).replace("^", "^^").replace("\n", "^n").replace('"', "^'")
    if any(char in value for char in ",;:\u2019"):
        return f'"{value}"'
    return value


def date_time(instant: datetime) -> str:
    """A DATE-TIME's wall-clock digits, ``20240829T180000`` (no zone)."""
    return (
        f"{instant.year:04}{instant.month:02}{instant.day:02}"
        f"T{instant.hour:02}{instant.minute:02}{instant.second:02}"
    )


def utc_time(instant: datetime) -> str:
    """An aware instant as a UTC DATE-TIME, ``20240829T160000Z``."""
    return date_time(instant.astimezone(UTC)) + "Z"


def timed(name: str, instant: datetime, tzid: str | None) -> str:
    """A DATE-TIME property: the wall-clock time with its TZID, or in UTC without one."""
    if tzid is None:
        return f"{name}:{utc_time(instant)}"
    return f"{name};TZID={parameter_value(tzid)}:{date_time(instant)}"


def fold(line: bytes) -> bytes:
    """A content line (no CRLF) folded so that no line is longer than 75 octets.

    Each line holds as much as fits in 74 octets, as icalendar folds; a continuation line
    starts with a space. A fold never splits a UTF-8 sequence, and never comes just after
    a backslash or a caret (so an escape is never parted), as icalendar does.
    """
    size = len(line)
    if size <= _FOLD_AT:
        return line
    pieces = []
    start = 0
    while size - start > _FOLD_AT:
        cut = start + _FOLD_AT
        while line[cut] & 0xC0 == 0x80:  # inside a UTF-8 sequence: back to its first byte
            cut -= 1
        if line[cut - 1] in _ESCAPES and cut - 1 > start:
            cut -= 1
        pieces.append(line[start:cut])
        start = cut
    pieces.append(line[start:])
    return b"\r\n ".join(pieces)


def vevent(
    *,
    uid: str,
    summary: str,
    start: datetime,
    start_tzid: str | None,
    end: datetime | None,
    end_tzid: str | None,
    stamp: datetime,
    sequence: int,
    categories: Sequence[str],
    status: str,
    description: str | None = None,
    location: str | None = None,
    geo: tuple[float, float] | None = None,
    last_modified: datetime | None = None,
    url: str | None = None,
) -> bytes:
    """One VEVENT, its properties in icalendar's order (CRLF after each line).

    ``start`` and ``end`` are wall-clock times in ``start_tzid`` and ``end_tzid`` (the
    caller puts them there), or any aware instants where the TZID is None: those are
    written in UTC. ``end`` None writes no DTEND; ``stamp`` and ``last_modified`` are
    written in UTC.
    """
    lines = [
        "BEGIN:VEVENT",
        f"SUMMARY:{_unmarked(text(summary))}",
        timed("DTSTART", start, start_tzid),
    ]
    if end is not None:
        lines.append(timed("DTEND", end, end_tzid))
    lines.append(f"DTSTAMP:{utc_time(stamp)}")
    lines.append(f"UID:{_unmarked(text(uid))}")
    lines.append(f"SEQUENCE:{int(sequence)}")
    lines.append("CATEGORIES:" + _unmarked(",".join([text(category) for category in categories])))
    if description is not None:
        lines.append(f"DESCRIPTION:{_unmarked(text(description))}")
    if geo is not None:
        lines.append(f"GEO:{float(geo[0])};{float(geo[1])}")
    if last_modified is not None:
        lines.append(f"LAST-MODIFIED:{utc_time(last_modified)}")
    if location is not None:
        lines.append(f"LOCATION:{_unmarked(text(location))}")
    lines.append(f"STATUS:{text(status)}")
    if url is not None:
        lines.append(f"URL:{uri(url)}")
    lines.append("END:VEVENT\r\n")
    for index, line in enumerate(lines):
        if len(line) > _FOLD_AT // 4 and (len(line) > _FOLD_AT or not line.isascii()):
            lines[index] = fold(line.encode()).decode()
    return "\r\n".join(lines).encode()


__all__ = [
    "REPLACEMENT",
    "date_time",
    "fold",
    "parameter_value",
    "plain",
    "text",
    "timed",
    "uri",
    "utc_time",
    "vevent",
]
