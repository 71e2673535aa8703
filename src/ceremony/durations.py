"""Durations as people write them: ``75m``, ``1h15m``, ``4m30s``, ``PT1H15M``, ``01:15:00``.

Durations are elapsed time (:class:`datetime.timedelta`), never wall-clock arithmetic, and
none is longer than :data:`~ceremony.limits.MAX_DURATION`.
"""

from __future__ import annotations

import re
from datetime import time, timedelta

import pendulum

from ceremony.errors import DurationError
from ceremony.limits import MAX_DURATION

_LONGEST = MAX_DURATION.total_seconds()
_LONGEST_TEXT = 40  # no real duration is spelt longer; longer text is not parsed at all
_COMPACT = re.compile(
    r"""^\s*(?:(?P<d>\d+)\s*d)?\s*(?:(?P<h>\d+)\s*h)?\s*(?:(?P<m>\d+)\s*m(?:in)?)?\s*
        (?:(?P<s>\d+(?:\.\d+)?)\s*s)?\s*$""",
    re.VERBOSE,
)
_CLOCK = re.compile(r"^\s*(?P<h>\d+):(?P<m>[0-5]\d):(?P<s>[0-5]\d(?:\.\d+)?)\s*$")


def parse_duration(value: str | time | timedelta, *, signed: bool = False) -> timedelta:
    """Read a duration, raising :class:`~ceremony.errors.DurationError` when it is not one.

    ``signed=True`` accepts a leading ``+`` or ``-`` (cue offsets); otherwise a negative
    duration is refused. Either way, a duration longer than
    :data:`~ceremony.limits.MAX_DURATION` is refused.

    >>> parse_duration("1h15m") == parse_duration("PT1H15M") == parse_duration("01:15:00")
    True
    >>> parse_duration("-2m", signed=True)
    datetime.timedelta(days=-1, seconds=86280)
    """
    if isinstance(value, timedelta):
        if value < timedelta(0) and not signed:
            raise DurationError(f"{format_duration(value)!r} is negative")
        if abs(value) > MAX_DURATION:
            raise DurationError(too_long(value))
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
        raise DurationError(f'"{value}" is not a duration (write it like 75m, 1h15m or 01:15:00)')
    text = value.strip()
    sign = 1
    if text[:1] in "+-":
        if not signed:
            raise DurationError(f'"{_shown(value)}" is not a duration')
        sign = -1 if text[0] == "-" else 1
        text = text[1:]
    if not text:
        raise DurationError(f'"{value}" is not a duration')
    result = _parse_unsigned(text) if len(text) <= _LONGEST_TEXT else None
    if result is None:
        raise DurationError(
            f'"{_shown(value)}" is not a duration (write it like 75m, 1h15m or 01:15:00)'
        )
    return sign * result


def too_long(value: timedelta | str) -> str:
    """The reason a duration (or the text of one) is refused for its length."""
    shown = format_duration(value) if isinstance(value, timedelta) else _shown(value)
    return f'"{shown}" is longer than {MAX_DURATION.days} days, the longest duration'


def _shown(text: str) -> str:
    """``text`` cut short enough to quote in a one-line message."""
    return text if len(text) <= _LONGEST_TEXT else text[: _LONGEST_TEXT - 1] + "…"


def _parse_unsigned(text: str) -> timedelta | None:
    """The duration ``text`` spells, None if it spells none; too long is a DurationError.

    The length is checked on the numbers, before a :class:`timedelta` is made of them
    (which would overflow, or take a float's rounding, for absurd values).
    """
    if text[:1] in "Pp":
        try:
            parsed = pendulum.parse(text.upper())
        except OverflowError:
            raise DurationError(too_long(text)) from None
        except (ValueError, pendulum.parsing.exceptions.ParserError):
            return None
        if not isinstance(parsed, pendulum.Duration) or parsed.years or parsed.months:
            return None  # months and years are not a fixed elapsed time
        return _bounded(text, parsed.total_seconds(), 0)
    if match := _CLOCK.match(text):
        whole = int(match["h"]) * 3600 + int(match["m"]) * 60
        return _bounded(text, whole, float(match["s"]))
    match = _COMPACT.match(text)
    if match is None or not any(match.groupdict().values()):
        return None
    whole = int(match["d"] or 0) * 86400 + int(match["h"] or 0) * 3600 + int(match["m"] or 0) * 60
    return _bounded(text, whole, float(match["s"] or 0))


def _bounded(text: str, whole: float, seconds: float) -> timedelta:
    if whole + seconds > _LONGEST:
        raise DurationError(too_long(text))
    return timedelta(seconds=whole) + timedelta(seconds=seconds)


def format_duration(value: timedelta, *, signed: bool = False) -> str:
    """Write a duration in the compact form: ``1h15m``, ``4m30s``, ``0s``, ``-2m``.

    >>> from datetime import timedelta
    >>> format_duration(timedelta(minutes=75)), format_duration(timedelta(minutes=2), signed=True)
    ('1h15m', '+2m')

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


class SignedDuration(timedelta):
    """A :class:`timedelta` that prints as a show file writes it: ``-20m``, ``1h15m``, ``0s``.

    What the timing gives back (lengths, over/unders, slack, lateness) is of this type, so
    that ``print(slot.over_under)`` reads ``-20m``, not ``-1 day, 23:40:00``. It is a
    :class:`timedelta` in every other way (arithmetic on it gives plain timedeltas).

    >>> from datetime import timedelta
    >>> print(SignedDuration.of(timedelta(minutes=-20)))
    -20m
    >>> SignedDuration.of(timedelta(hours=1, minutes=15))
    SignedDuration('1h15m')
    """

    __slots__ = ()

    @classmethod
    def of(cls, value: timedelta) -> SignedDuration:
        """``value`` as a :class:`SignedDuration` (itself when it is one already)."""
        if isinstance(value, cls):
            return value
        return cls(value.days, value.seconds, value.microseconds)

    def __str__(self) -> str:
        return format_duration(self)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({format_duration(self)!r})"


def format_clock_duration(value: timedelta) -> str:
    """Write a duration as a clock reading, ``1:15:00`` (``-0:05:00`` when negative)."""
    sign = "-" if value < timedelta(0) else ""
    seconds = int(abs(value).total_seconds())
    hours, rest = divmod(seconds, 3600)
    return f"{sign}{hours}:{rest // 60:02d}:{rest % 60:02d}"
