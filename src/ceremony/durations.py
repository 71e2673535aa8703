"""Durations as people write them: ``75m``, ``1h15m``, ``4m30s``, ``PT1H15M``, ``01:15:00``.

Durations are elapsed time (:class:`datetime.timedelta`), never wall-clock arithmetic.
"""

from __future__ import annotations

import re
from datetime import time, timedelta

import pendulum

_COMPACT = re.compile(
    r"""^\s*(?:(?P<d>\d+)\s*d)?\s*(?:(?P<h>\d+)\s*h)?\s*(?:(?P<m>\d+)\s*m(?:in)?)?\s*
        (?:(?P<s>\d+(?:\.\d+)?)\s*s)?\s*$""",
    re.VERBOSE,
)
_CLOCK = re.compile(r"^\s*(?P<h>\d+):(?P<m>[0-5]\d):(?P<s>[0-5]\d(?:\.\d+)?)\s*$")


def parse_duration(value: str | time | timedelta, *, signed: bool = False) -> timedelta:
    """Read a duration, raising :class:`ValueError` with a short reason when it is not one.

    ``signed=True`` accepts a leading ``+`` or ``-`` (cue offsets); otherwise a negative
    duration is refused.
    """
    if isinstance(value, timedelta):
        if value < timedelta(0) and not signed:
            raise ValueError(f"{format_duration(value)!r} is negative")
        return value
    if isinstance(value, time):
        # TOML reads ``01:15:00`` as a local time; as a duration it means 1h15m.
        return timedelta(
            hours=value.hour,
            minutes=value.minute,
            seconds=value.second,
            microseconds=value.microsecond,
        )
    if not isinstance(value, str):
        raise TypeError(f'"{value}" is not a duration (write it like 75m, 1h15m or 01:15:00)')
    text = value.strip()
    sign = 1
    if text[:1] in "+-":
        if not signed:
            raise ValueError(f'"{value}" is not a duration')
        sign = -1 if text[0] == "-" else 1
        text = text[1:]
    if not text:
        raise ValueError(f'"{value}" is not a duration')
    result = _parse_unsigned(text)
    if result is None:
        raise ValueError(f'"{value}" is not a duration (write it like 75m, 1h15m or 01:15:00)')
    return sign * result


def _parse_unsigned(text: str) -> timedelta | None:
    if text[:1] in "Pp":
        try:
            parsed = pendulum.parse(text.upper())
        except (ValueError, pendulum.parsing.exceptions.ParserError):
            return None
        if not isinstance(parsed, pendulum.Duration) or parsed.years or parsed.months:
            return None  # months and years are not a fixed elapsed time
        return timedelta(seconds=parsed.total_seconds())
    if match := _CLOCK.match(text):
        return timedelta(hours=int(match["h"]), minutes=int(match["m"]), seconds=float(match["s"]))
    match = _COMPACT.match(text)
    if match is None or not any(match.groupdict().values()):
        return None
    return timedelta(
        days=int(match["d"] or 0),
        hours=int(match["h"] or 0),
        minutes=int(match["m"] or 0),
        seconds=float(match["s"] or 0),
    )


def format_duration(value: timedelta, *, signed: bool = False) -> str:
    """Write a duration in the compact form: ``1h15m``, ``4m30s``, ``0s``, ``-2m``.

    ``parse_duration(format_duration(d)) == d`` for every non-negative duration with whole
    microseconds (and for negative ones with ``signed=True``).
    """
    sign = ""
    if value < timedelta(0):
        sign, value = "-", -value
    elif signed:
        sign = "+"
    micro = value.microseconds
    seconds = value.days * 86400 + value.seconds
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = ""
    if hours:
        text += f"{hours}h"
    if minutes:
        text += f"{minutes}m"
    if secs or micro:
        text += f"{secs}.{micro:06d}".rstrip("0") + "s" if micro else f"{secs}s"
    return sign + (text or "0s")


def format_clock_duration(value: timedelta) -> str:
    """Write a duration as a clock reading, ``1:15:00`` (``-0:05:00`` when negative)."""
    sign = "-" if value < timedelta(0) else ""
    seconds = int(abs(value).total_seconds())
    hours, rest = divmod(seconds, 3600)
    return f"{sign}{hours}:{rest // 60:02d}:{rest % 60:02d}"
