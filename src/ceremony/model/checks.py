"""Field validators shared by the model classes (attrs validators, one rule each)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import attrs

from ceremony.durations import format_duration, too_long
from ceremony.errors import ModelError, ZoneError
from ceremony.limits import MAX_DURATION, date_in_range, date_range_text
from ceremony.zones import is_aware, zone

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:+-]*$")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def as_tuple(items: Iterable[Any]) -> tuple[Any, ...]:
    """Freeze a list (or any iterable) given to a model field into a tuple.

    Typed loosely on purpose: a generic converter would make mypy reject ``[...]`` arguments.
    """
    return tuple(items)


def identifier(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Ids are non-empty slugs without spaces: they become UIDs, diff keys and anchors."""
    if not isinstance(value, str) or not _ID.match(value):
        raise ModelError(
            f"{value!r} is not an id (letters, digits and - _ . : + only, no spaces)",
            path=(attribute.name,),
        )


def identifiers(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Every element is an id."""
    for index, item in enumerate(value):
        if not isinstance(item, str) or not _ID.match(item):
            raise ModelError(f"{item!r} is not an id", path=(attribute.name, index))


def time_zone(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A known IANA zone name (or None where the field is optional)."""
    if value is None:
        return
    try:
        zone(value)
    except ValueError as exc:
        raise ModelError(str(exc), path=(attribute.name,)) from None


def aware(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """An aware datetime (or None) on a supported date.

    Naive times are ambiguous across zones; times at the ends of the calendar overflow.
    """
    if value is None:
        return
    if not isinstance(value, datetime) or not is_aware(value):
        raise ModelError(
            f"{value!r} is not an aware datetime (attach a time zone)", path=(attribute.name,)
        )
    if not date_in_range(value):
        raise ModelError(outside_dates(value), path=(attribute.name,))
    if (problem := _missing_wall_time(value)) is not None:
        raise ZoneError(problem, path=(attribute.name,))


def _missing_wall_time(value: datetime) -> str | None:
    """Why ``value``'s wall-clock time does not exist in its zone, if it does not.

    A time in the spring-forward gap does not survive the round trip through UTC; one in
    the repeated autumn hour does, whichever ``fold`` says which.
    """
    back = value.astimezone(UTC).astimezone(value.tzinfo)
    if back.replace(tzinfo=None) == value.replace(tzinfo=None):
        return None
    name = getattr(value.tzinfo, "key", None) or getattr(value.tzinfo, "name", None)
    return (
        f"{value:%Y-%m-%d %H:%M} does not exist in {name or value.tzinfo} (the clocks go forward)"
    )


def in_calendar(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A date (or None) within the supported dates."""
    if isinstance(value, date) and not date_in_range(value):
        raise ModelError(outside_dates(value), path=(attribute.name,))


def outside_dates(value: date) -> str:
    """Why a date or time at the ends of the calendar is refused."""
    return f"{value.isoformat()} is outside the supported dates ({date_range_text()})"


def not_negative(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A duration that is zero or more, and at most :data:`~ceremony.limits.MAX_DURATION`."""
    if isinstance(value, timedelta):
        if value < timedelta(0):
            raise ModelError(f"{format_duration(value)} is negative", path=(attribute.name,))
        if value > MAX_DURATION:
            raise ModelError(too_long(value), path=(attribute.name,))


def offset(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A signed offset (or anything else) no longer than :data:`~ceremony.limits.MAX_DURATION`."""
    if isinstance(value, timedelta) and abs(value) > MAX_DURATION:
        raise ModelError(too_long(value), path=(attribute.name,))


def control_character(text: str) -> str | None:
    """Why ``text`` cannot be shown or stored, if it cannot; None when it is fine.

    Text may hold tab and line breaks, not the other C0 and C1 control characters nor DEL
    (spreadsheets, terminals and XML refuse or misread them), nor lone surrogates (which
    are not characters and cannot be written as UTF-8).
    """
    if text.isprintable():  # the usual case, and quicker to tell than a search
        return None
    found = _CONTROL.search(text)
    if found is None:
        return None
    code = ord(found.group())
    if 0xD800 <= code <= 0xDFFF:
        return f"text may not hold the lone surrogate U+{code:04X} (it is not a character)"
    return f"text may not hold the control character U+{code:04X} (only tab and line breaks)"


def line_break(text: str) -> str | None:
    """Why ``text`` cannot be a one-line name, if it cannot; None when it is fine.

    A name becomes a calendar's name, an event's title or a heading: a line break there
    would end the line it is written on (in a feed, it could start a property of its own).
    """
    if "\n" in text or "\r" in text:
        return "a name is one line: it may not hold a line break"
    return None


def unique_ids(items: Iterable[Any], field: str) -> None:
    """Ids within ``items`` (each with an ``id``) appear once."""
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item.id in seen:
            raise ModelError(f"id {item.id!r} is used twice", path=(field, index, "id"))
        seen.add(item.id)


def at_least(bound: float) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """A validator: the number (or None) is ``bound`` or more."""

    def check(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None and value < bound:
            raise ModelError(f"must be {bound} or more, got {value}", path=(attribute.name,))

    return check


def at_most(bound: float) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """A validator: the number (or None) is ``bound`` or less."""

    def check(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None and value > bound:
            raise ModelError(f"must be {bound} or less, got {value}", path=(attribute.name,))

    return check


def not_empty(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Text that is not empty."""
    if not value:
        raise ModelError("may not be empty", path=(attribute.name,))
