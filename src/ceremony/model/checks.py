"""Field validators shared by the model classes (attrs validators, one rule each)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import attrs

from ceremony.durations import format_duration
from ceremony.errors import ModelError
from ceremony.zones import is_aware, zone

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:+-]*$")


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
    """An aware datetime (or None): naive times are ambiguous across zones."""
    if value is None:
        return
    if not isinstance(value, datetime) or not is_aware(value):
        raise ModelError(
            f"{value!r} is not an aware datetime (attach a time zone)", path=(attribute.name,)
        )


def not_negative(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A duration that is zero or more."""
    if isinstance(value, timedelta) and value < timedelta(0):
        raise ModelError(f"{format_duration(value)} is negative", path=(attribute.name,))


def unique_ids(items: Iterable[Any], field: str) -> None:
    """Ids within ``items`` (each with an ``id``) appear once."""
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item.id in seen:
            raise ModelError(f"id {item.id!r} is used twice", path=(field, index, "id"))
        seen.add(item.id)
