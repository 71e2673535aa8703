"""Time zones: IANA names checked through pendulum, wall-clock times made exact.

A wall-clock time that does not exist in a zone (the spring-forward gap) or exists twice
(the autumn fold) is refused unless the caller says which one is meant with ``fold``.
"""

from __future__ import annotations

import re
from datetime import UTC as UTC_OFFSET
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import cache

import pendulum
from pendulum.tz.exceptions import AmbiguousTime, InvalidTimezone, NonExistingTime

from ceremony.errors import AmbiguousTimeError, ZoneError

_CLOCK = re.compile(r"^\s*(\d{1,2}):([0-5]\d)(?::([0-5]\d))?\s*(Z|[+-]\d{2}:?\d{2})?\s*$")


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
            raise _twice(wall, tz) from exc
        converted = tz.convert(wall.replace(fold=fold))
    return datetime.fromtimestamp(converted.timestamp(), tz)


def _twice(wall: datetime, tz: pendulum.Timezone) -> AmbiguousTimeError:
    """The error for ``wall``, which happens twice in ``tz``."""
    first, second = (_offset(tz.convert(wall.replace(fold=fold))) for fold in (0, 1))
    return AmbiguousTimeError(
        f"{wall:%Y-%m-%d %H:%M} happens twice in {tz.name} (the clocks go back); "
        "say which with fold: 0 (first) or fold: 1 (second), or give an offset",
        clock=f"{wall:%H:%M}",
        offsets=(first, second),
    )


def _offset(instant: datetime) -> str:
    """``instant``'s offset from UTC as written after a time: ``+02:00``, ``-04:00``."""
    minutes = int((instant.utcoffset() or timedelta(0)).total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


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
    """True for a bare clock time: a :class:`~datetime.time`, or text like ``22:10[:30]``.

    The text may end with an offset (``01:30-04:00``, ``22:10Z``): the way to say which of
    a repeated hour is meant when typing a time.
    """
    return isinstance(value, time) or (isinstance(value, str) and _CLOCK.match(value) is not None)


def clock_time_on(
    value: str | time, day_start: datetime, tz: pendulum.Timezone, *, fold: int | None = None
) -> datetime:
    """A bare clock time read on the day of ``day_start``, in ``tz``.

    The clock time falls on ``day_start``'s day as seen in ``tz``, or on the next day when
    it would otherwise come before ``day_start`` (00:30 after a 20:00 start is the next
    day). With an offset (``01:30-04:00``) it is the instant that names on that day.
    :class:`ValueError` when the text is not a clock time (see :func:`is_clock_time`),
    :class:`~ceremony.errors.ZoneError` when the time is not exact in ``tz`` (see
    :func:`localize`).
    """
    offset: tzinfo | None = None
    if isinstance(value, str):
        match = _CLOCK.match(value)
        if match is None:
            raise ValueError(f'"{value}" is not a clock time (write 22:10 or 22:10:30)')
        if int(match[1]) > 23:
            raise ValueError(f'"{value}" is not a clock time (hours go to 23)')
        value = time(int(match[1]), int(match[2]), int(match[3] or 0))
        offset = _fixed_offset(match[4], f'"{match.string.strip()}"')
    day = day_start.astimezone(tz).date()
    result = _on_day(day, value, tz, fold, offset)
    if result < day_start:
        result = _on_day(day + timedelta(days=1), value, tz, fold, offset)
    return result


def _on_day(
    day: date, clock: time, tz: pendulum.Timezone, fold: int | None, offset: tzinfo | None
) -> datetime:
    """``clock`` on ``day`` in ``tz``; with an ``offset``, the instant it names, seen in ``tz``."""
    if offset is None:
        return localize(datetime.combine(day, clock), tz, fold=fold)
    return datetime.combine(day, clock, tzinfo=offset).astimezone(tz)


def _fixed_offset(text: str | None, written: str) -> tzinfo | None:
    """The offset written after a clock time (``Z``, ``-04:00``, ``+0530``), if any."""
    if text is None:
        return None
    if text == "Z":
        return UTC_OFFSET
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        raise ValueError(f"{written} has an offset that is not one (write -04:00 or +05:30)")
    amount = timedelta(hours=hours, minutes=minutes)
    return timezone(-amount if text[0] == "-" else amount)


# --- zones that name no place -----------------------------------------------------------

_FIXED_NAMES: dict[str, int] = {"EST": -5, "MST": -7, "HST": -10}
"""Abbreviations that are a fixed offset from UTC all year (hours)."""

_REGION_FOR: dict[str, str] = {
    "EST": "America/New_York",
    "EST5EDT": "America/New_York",
    "CST6CDT": "America/Chicago",
    "MST": "America/Denver",
    "MST7MDT": "America/Denver",
    "PST8PDT": "America/Los_Angeles",
    "HST": "Pacific/Honolulu",
    "CET": "Europe/Paris",
    "MET": "Europe/Berlin",
    "EET": "Europe/Athens",
    "WET": "Europe/Lisbon",
}
"""Abbreviations and POSIX-style names, each with one region zone people usually mean."""

_REGION_AT_OFFSET: dict[int, str] = {
    -11: "Pacific/Pago_Pago",
    -10: "Pacific/Honolulu",
    -9: "America/Anchorage",
    -8: "America/Los_Angeles",
    -7: "America/Denver",
    -6: "America/Chicago",
    -5: "America/New_York",
    -4: "America/Halifax",
    -3: "America/Sao_Paulo",
    -2: "America/Noronha",
    -1: "Atlantic/Azores",
    0: "Europe/London",
    1: "Europe/Paris",
    2: "Europe/Athens",
    3: "Europe/Istanbul",
    4: "Asia/Dubai",
    5: "Asia/Karachi",
    6: "Asia/Dhaka",
    7: "Asia/Bangkok",
    8: "Asia/Shanghai",
    9: "Asia/Tokyo",
    10: "Australia/Sydney",
    11: "Pacific/Noumea",
    12: "Pacific/Auckland",
    13: "Pacific/Tongatapu",
    14: "Pacific/Kiritimati",
}
"""A region zone at each whole-hour standard offset from UTC (``Etc/GMT+5`` is UTC-5)."""

_ETC_GMT = re.compile(r"^(?:Etc/)?(?:GMT|Greenwich)(?:([+-])(\d{1,2}))?0?$")


def placeless(name: str) -> str | None:
    """Why ``name`` is a poor zone for a place, and a region zone to use; None when it is fine.

    Abbreviations (``EST``, ``CET``) and fixed offsets (``Etc/GMT+5``) are zones, but not
    the clocks of a place: ``EST`` stays UTC-5 through a New York summer, so a July show
    there would be an hour off. ``UTC`` (and ``Etc/UTC``) is fine: it claims no place.
    """
    if name in _REGION_FOR:
        instead = f"name a region zone, for example {_REGION_FOR[name]}"
        if name in _FIXED_NAMES:
            return (
                f"{name!r} is a fixed offset (UTC{_FIXED_NAMES[name]:+d}), not a place: it "
                f"never changes for summer time; {instead}"
            )
        return (
            f"{name!r} is an abbreviation, not a place: no one place's clock follows it; {instead}"
        )
    found = _ETC_GMT.match(name)
    if found is None:
        return None
    hours = int(found[2] or 0)
    utc_offset = -hours if found[1] == "+" else hours  # POSIX signs: Etc/GMT+5 is UTC-5
    region = _REGION_AT_OFFSET.get(utc_offset)
    example = f", for example {region}" if region else " (such as Europe/Paris)"
    sign = " (these names reverse the sign)" if hours else ""
    return (
        f"{name!r} is a fixed offset of UTC{utc_offset:+d}{sign}, not a place: it never "
        f"changes for summer time; name a region zone{example}, or UTC if you mean no place"
    )
