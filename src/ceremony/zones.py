"""Time zones: IANA names checked through pendulum, wall-clock times made exact.

A wall-clock time that does not exist in a zone (the spring-forward gap) or exists twice
(the autumn fold) is refused unless the caller says which one is meant with ``fold``.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from functools import cache

import pendulum
from pendulum.tz.exceptions import AmbiguousTime, InvalidTimezone, NonExistingTime

from ceremony.errors import ZoneError

_CLOCK = re.compile(r"^\s*(\d{1,2}):([0-5]\d)(?::([0-5]\d))?\s*$")


@cache
def zone(name: str) -> pendulum.Timezone:
    """The IANA zone called ``name``; :class:`~ceremony.errors.ZoneError` when there is none."""
    if not isinstance(name, str) or not name or name.startswith(("+", "-")):
        raise ZoneError(f"{name!r} is not an IANA time zone (write e.g. Europe/Paris)")
    try:
        found = pendulum.timezone(name)
    except (InvalidTimezone, ValueError, OSError) as exc:
        raise ZoneError(f"{name!r} is not a known IANA time zone") from exc
    if not isinstance(found, pendulum.Timezone):  # a fixed offset, not a zone
        message = f"{name!r} is not an IANA time zone (write e.g. Europe/Paris)"
        raise ZoneError(message)
    return found


def is_aware(value: datetime) -> bool:
    """True when ``value`` knows its offset from UTC."""
    return value.tzinfo is not None and value.utcoffset() is not None


def localize(wall: datetime, tz: pendulum.Timezone, *, fold: int | None = None) -> datetime:
    """Attach ``tz`` to the naive wall-clock time ``wall``, refusing times that are not exact.

    ``fold=None`` refuses a time that exists twice; ``fold=0`` picks the first (summer time)
    occurrence and ``fold=1`` the second. A time in the spring-forward gap is always refused.
    """
    if wall.tzinfo is not None:
        raise ZoneError("localize() takes a naive wall-clock time")
    try:
        converted = tz.convert(wall.replace(fold=fold or 0), raise_on_unknown_times=True)
    except NonExistingTime as exc:
        raise ZoneError(
            f"{wall:%Y-%m-%d %H:%M} does not exist in {tz.name} (the clocks go forward)"
        ) from exc
    except AmbiguousTime as exc:
        if fold is None:
            raise ZoneError(
                f"{wall:%Y-%m-%d %H:%M} happens twice in {tz.name} (the clocks go back); "
                "say which with fold: 0 (first) or fold: 1 (second), or give an offset"
            ) from exc
        converted = tz.convert(wall.replace(fold=fold))
    return datetime.fromtimestamp(converted.timestamp(), tz)


UTC = zone("UTC")


def utc(value: datetime) -> datetime:
    """The same instant in UTC.

    Arithmetic and comparison between two datetimes that share a tzinfo are done on the wall
    clock by Python (a minute after 02:30 in the repeated hour would be 02:31 *summer* time);
    in UTC they are exact. Do time arithmetic on ``utc(...)`` values.
    """
    return value.astimezone(UTC)


def add(instant: datetime, elapsed: timedelta) -> datetime:
    """``instant`` plus elapsed time, seen in the instant's own zone."""
    return (utc(instant) + elapsed).astimezone(instant.tzinfo)


def is_clock_time(value: object) -> bool:
    """True for a bare clock time: a :class:`~datetime.time`, or text like ``22:10[:30]``."""
    return isinstance(value, time) or (isinstance(value, str) and _CLOCK.match(value) is not None)


def clock_time_on(
    value: str | time, day_start: datetime, tz: pendulum.Timezone, *, fold: int | None = None
) -> datetime:
    """A bare clock time read on the day of ``day_start``, in ``tz``.

    The clock time falls on ``day_start``'s day as seen in ``tz``, or on the next day when
    it would otherwise come before ``day_start`` (00:30 after a 20:00 start is the next
    day). :class:`ValueError` when the text is not a clock time (see :func:`is_clock_time`),
    :class:`~ceremony.errors.ZoneError` when the time is not exact in ``tz`` (see
    :func:`localize`).
    """
    if isinstance(value, str):
        match = _CLOCK.match(value)
        if match is None:
            raise ValueError(f'"{value}" is not a clock time (write 22:10 or 22:10:30)')
        if int(match[1]) > 23:
            raise ValueError(f'"{value}" is not a clock time (hours go to 23)')
        value = time(int(match[1]), int(match[2]), int(match[3] or 0))
    day = day_start.astimezone(tz).date()
    result = localize(datetime.combine(day, value), tz, fold=fold)
    if result < day_start:
        result = localize(datetime.combine(day + timedelta(days=1), value), tz, fold=fold)
    return result
