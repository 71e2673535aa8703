"""The one cattrs converter that turns plain data into the model and back.

Times written without a zone take the zone of where they happen (the venue's, else the
programme's); a bare clock time (``22:54``) takes the day of its ceremony, or the next day
if it would otherwise go backwards (:func:`ceremony.zones.clock_time_on`, the one rule,
which :func:`read_datetime` applies). The converter keeps that context in a
:class:`contextvars.ContextVar` while it structures a programme, a ceremony or a session.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from datetime import date, datetime, timedelta
from typing import Any, get_args, get_origin

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from ceremony.durations import format_duration, parse_duration
from ceremony.errors import ModelError
from ceremony.limits import date_in_range
from ceremony.model import (
    SEGMENT_KINDS,
    Anchor,
    Ceremony,
    CompetitionSession,
    CueEdge,
    DurationRange,
    Programme,
    Relation,
    Segment,
)
from ceremony.model import fields as model_fields
from ceremony.model.checks import control_character, outside_dates
from ceremony.zones import clock_time_on, is_clock_time, localize, zone

RENAMED: dict[type[Any], dict[str, str]] = {Programme: {"name": "programme"}}
"""Model attributes whose file key differs: ``Programme.name`` is written ``programme``."""


@attrs.frozen
class _Scope:
    """What a time written without a zone or a day means where it is read."""

    zone_name: str | None = "UTC"
    """``None``: the file names no zone, so a time without an offset cannot be read."""
    venue_zones: dict[str, str | None] = attrs.field(factory=dict)
    day_start: datetime | None = None


_OUTSIDE = _Scope()
# The default is frozen and never mutated, so sharing it is safe.
_scope: ContextVar[_Scope] = ContextVar("ceremony_time_scope", default=_OUTSIDE)


@contextmanager
def _within(scope: _Scope) -> Iterator[None]:
    token = _scope.set(scope)
    try:
        yield
    finally:
        _scope.reset(token)


@contextmanager
def ceremony_scope(zone_name: str, start: datetime) -> Iterator[None]:
    """Read times as a ceremony does.

    Naive times are in ``zone_name``; clock times fall on the day of ``start`` (the next
    day when earlier than ``start``).
    """
    with _within(_Scope(zone_name=zone_name, day_start=start)):
        yield


def file_keys(cls: type[Any]) -> list[str]:
    """The keys a show file may use for an attrs class (``kind`` included for segments)."""
    renamed = RENAMED.get(cls, {})
    keys = [renamed.get(field.name, field.name) for field in attrs.fields(cls)]
    keys = [key for key in keys if key != "source"]
    return ["kind", *keys] if issubclass(cls, Segment) else keys


suggest = model_fields.suggest
"""`` (did you mean 'x'?)`` when a choice is close to a word (the model's wording too)."""

_describe = model_fields.describe  # one wording of a value, the loader's and the model's


# --- scalars ----------------------------------------------------------------------------


def _structure_str(value: Any, _: Any) -> str:
    """Text as written (numbers as text); control characters are refused here, once for all."""
    if isinstance(value, str):
        if (problem := control_character(value)) is not None:
            raise ValueError(problem)
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected text, got {_describe(value)}")
    return str(value)


def _structure_bool(value: Any, _: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, got {_describe(value)}")
    return value


def _structure_int(value: Any, _: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected a whole number, got {_describe(value)}")
    return value


def _structure_float(value: Any, _: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected a number, got {_describe(value)}")
    return float(value)


def _structure_any_enum(value: Any, cls: type[enum.Enum]) -> enum.Enum:
    return _structure_enum(cls)(value, cls)


@functools.cache
def _structure_enum(cls: type[enum.Enum]) -> Callable[[Any, Any], enum.Enum]:
    by_text = {str(member.value).lower(): member for member in cls}

    def structure(value: Any, _: Any) -> enum.Enum:
        if isinstance(value, str) and value.strip().lower() in by_text:
            return by_text[value.strip().lower()]
        choices = [str(member.value) for member in cls]
        hint = suggest(str(value), choices) if isinstance(value, str) else ""
        raise ValueError(f"{_describe(value)} is not one of {', '.join(choices)}{hint}")

    return structure


def _structure_timedelta(value: Any, _: Any) -> timedelta:
    if isinstance(value, (bool, int, float)):
        raise TypeError(f"{value} has no unit (write {value}m for minutes, {value}s for seconds)")
    return parse_duration(value)


def _structure_date(value: Any, _: Any) -> date:
    day: date | None = None
    if isinstance(value, date) and not isinstance(value, datetime):
        day = value
    elif isinstance(value, str):
        with suppress(ValueError):
            day = date.fromisoformat(value.strip())
    if day is None:
        raise ValueError(f"{_describe(value)} is not a date (write 2024-08-28)")
    if not date_in_range(day):
        raise ValueError(outside_dates(day))
    return day


def structure_datetime(value: Any, _: Any = None) -> datetime:
    """Read a time in the current scope: ISO (offset optional), a clock time, ``{at, fold}``."""
    scope = _scope.get()
    return read_datetime(value, scope.zone_name, scope.day_start)


def read_datetime(value: Any, zone_name: str | None, day_start: datetime | None) -> datetime:
    """Read a time as written in ``zone_name``: ISO (offset optional), a clock time, ``{at, fold}``.

    A clock time falls on the day of ``day_start`` (see :func:`ceremony.zones.clock_time_on`);
    without a ``day_start`` it is refused. Without a ``zone_name`` (a file that names no
    zone) only a time with its offset can be read: :class:`NoZoneError` otherwise.
    """
    fold: int | None = None
    if isinstance(value, dict):
        unknown = set(value) - {"at", "fold"}
        if unknown or "at" not in value:
            raise ValueError("a time given as a mapping takes the keys at and fold")
        fold = value.get("fold")
        if fold not in (0, 1, None) or isinstance(fold, bool):
            raise ValueError(f"fold must be 0 or 1, got {_describe(fold)}")
        value = value["at"]
    try:
        tz = zone(zone_name if zone_name is not None else "UTC")
    except ValueError:
        tz = zone("UTC")  # the zone's own field reports the problem
    if is_clock_time(value):
        written = value if isinstance(value, str) else str(value)
        if zone_name is None:
            raise NoZoneError(written)
        if day_start is None:
            raise ValueError(
                f"{_describe(written)} is a clock time without a day; write the date too "
                "(2024-08-28T20:00)"
            )
        return clock_time_on(value, day_start, tz, fold=fold)
    parsed: datetime
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(
                f"{_describe(value)} is not a date and time (write 2024-08-28T20:00 or 20:00)"
            ) from None
    else:
        raise TypeError(f"expected a date and time, got {_describe(value)}")
    if not date_in_range(parsed):  # before any arithmetic, which would overflow
        raise ValueError(outside_dates(parsed))
    if parsed.tzinfo is not None:
        return parsed.astimezone(tz)  # an explicit offset says which instant; see it locally
    if zone_name is None:
        raise NoZoneError(value if isinstance(value, str) else parsed.isoformat())
    return localize(parsed, tz, fold=fold)


class NoZoneError(ValueError):
    """A time without an offset in a file that names no time zone."""

    def __init__(self, written: str) -> None:
        super().__init__(f"{_describe(written)} {NO_ZONE}")


NO_ZONE = "has no time zone: say which, e.g. timezone: Europe/Paris (or write its offset)"
"""What :class:`NoZoneError` says after the time; a file's first such time is reported."""


# --- timing specs -----------------------------------------------------------------------


def _structure_start(value: Any, _: Any) -> datetime | Anchor | None:
    if value is None:
        return None
    if isinstance(value, dict) and "at" not in value:
        relations = [relation for relation in Relation if relation.value in value]
        if len(relations) != 1:
            raise ValueError("an anchored start takes one of after, before or with (and an offset)")
        relation = relations[0]
        unknown = set(value) - {relation.value, "offset"}
        if unknown:
            key = sorted(unknown)[0]
            raise ValueError(f"unknown key {key!r} in an anchored start{suggest(key, ['offset'])}")
        offset = parse_duration(value.get("offset", "0s"))
        return Anchor(
            relation=relation, ref=_structure_str(value[relation.value], None), offset=offset
        )
    return structure_datetime(value)


def _structure_duration(value: Any, _: Any) -> timedelta | DurationRange | None:
    if value is None:
        return None
    if isinstance(value, dict):
        unknown = set(value) - {"min", "expected", "max"}
        if unknown or not {"min", "max"} <= set(value):
            raise ValueError("a duration range takes min and max (and expected)")
        parts = {key: _structure_timedelta(text, None) for key, text in value.items()}
        return DurationRange(**parts)
    return _structure_timedelta(value, None)


def _structure_cue_when(value: Any, _: Any) -> CueEdge | timedelta:
    if isinstance(value, str) and value.strip().lower() in ("start", "end"):
        return CueEdge(value.strip().lower())
    if isinstance(value, (int, float)):
        raise TypeError(f"{value} has no unit (write start, end, or an offset like +2m)")
    return parse_duration(value, signed=True)


def _unstructure_cue_when(value: CueEdge | timedelta) -> str:
    if isinstance(value, CueEdge):
        return value.value
    return format_duration(value, signed=True)


def _unstructure_start(value: datetime | Anchor | None) -> Any:
    if value is None or isinstance(value, datetime):
        return None if value is None else value.isoformat()
    data: dict[str, str] = {value.relation.value: value.ref}
    if value.offset:
        data["offset"] = format_duration(value.offset)
    return data


def _unstructure_duration(value: timedelta | DurationRange | None) -> Any:
    if value is None or isinstance(value, timedelta):
        return None if value is None else format_duration(value)
    return {
        "min": format_duration(value.min),
        "expected": format_duration(value.expected),
        "max": format_duration(value.max),
    }


def _origin(tp: Any) -> object:
    """The unsubscripted form of a generic type (``tuple`` for ``tuple[str, ...]``)."""
    return get_origin(tp)


def _is_union_of(*members: type[Any]) -> Callable[[Any], bool]:
    wanted = set(members)
    return lambda tp: set(get_args(tp)) == wanted and get_origin(tp) is not None


# --- the converter ----------------------------------------------------------------------


def make_converter() -> cattrs.Converter:
    """Build the converter used by every show-file syntax."""
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True, omit_if_default=True)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(float, _structure_float)
    conv.register_structure_hook(timedelta, _structure_timedelta)
    conv.register_structure_hook(datetime, structure_datetime)
    conv.register_structure_hook(date, _structure_date)
    conv.register_unstructure_hook(timedelta, format_duration)
    conv.register_unstructure_hook(datetime, datetime.isoformat)
    conv.register_unstructure_hook(date, date.isoformat)
    # On the Enum class, not by predicate: cattrs before 26 dispatches enums by class first,
    # so a predicate's hook would never be asked (and its own message would be shown).
    conv.register_structure_hook(enum.Enum, _structure_any_enum)
    conv.register_structure_hook_func(_is_union_of(datetime, Anchor, type(None)), _structure_start)
    conv.register_unstructure_hook_func(
        _is_union_of(datetime, Anchor, type(None)), _unstructure_start
    )
    conv.register_structure_hook_func(
        _is_union_of(timedelta, DurationRange, type(None)), _structure_duration
    )
    conv.register_unstructure_hook_func(
        _is_union_of(timedelta, DurationRange, type(None)), _unstructure_duration
    )
    conv.register_structure_hook_func(_is_union_of(CueEdge, timedelta), _structure_cue_when)
    conv.register_unstructure_hook_func(_is_union_of(CueEdge, timedelta), _unstructure_cue_when)
    conv.register_structure_hook_factory(
        lambda tp: _origin(tp) is tuple, lambda tp: _tuple_hook(conv, tp)
    )
    conv.register_structure_hook_factory(
        lambda tp: _origin(tp) is dict, lambda tp: _dict_hook(conv, tp)
    )
    conv.register_structure_hook_func(lambda tp: tp is Segment, _segment_hook(conv))
    conv.register_unstructure_hook_func(
        lambda tp: isinstance(tp, type) and issubclass(tp, Segment), _segment_unhook(conv)
    )
    conv.register_structure_hook_factory(
        lambda tp: attrs.has(tp) and tp is not Segment, lambda tp: _class_hook(conv, tp)
    )
    conv.register_unstructure_hook_factory(
        lambda tp: attrs.has(tp) and not issubclass(tp, Segment),
        lambda tp: _class_unhook(conv, tp),
    )
    return conv


def _tuple_hook(conv: cattrs.Converter, tp: Any) -> Callable[[Any, Any], tuple[Any, ...]]:
    """Homogeneous tuples (``tuple[X, ...]``) from lists; a string is not a list of letters."""
    item_type = get_args(tp)[0]
    structure_list = conv.get_structure_hook(list[item_type])  # type: ignore[valid-type]

    def structure(value: Any, _: Any) -> tuple[Any, ...]:
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"expected a list, got {_describe(value)}")
        return tuple(structure_list(value, list))

    return structure


def _dict_hook(conv: cattrs.Converter, tp: Any) -> Callable[[Any, Any], dict[Any, Any]]:
    key_type, value_type = get_args(tp)
    structure_key = conv.get_structure_hook(key_type)
    structure_value = conv.get_structure_hook(value_type)

    def structure(value: Any, _: Any) -> dict[Any, Any]:
        if not isinstance(value, dict):
            raise TypeError(f"expected a mapping, got {_describe(value)}")
        result: dict[Any, Any] = {}
        for key, item in value.items():
            try:
                result[structure_key(key, key_type)] = structure_value(item, value_type)
            except Exception as exc:
                raise MappingValueError(key, exc) from exc
        return result

    return structure


class MappingValueError(ValueError):
    """A bad value under ``key`` of a mapping field (keeps the key for the error's path)."""

    def __init__(self, key: Any, error: Exception) -> None:
        super().__init__(str(error))
        self.key = key
        self.error = error


def _overrides(cls: type[Any]) -> dict[str, Any]:
    """File-key renames, and the source map left out of the file."""
    overrides: dict[str, Any] = {
        name: override(rename=key) for name, key in RENAMED.get(cls, {}).items()
    }
    if cls is Programme:
        overrides["source"] = override(omit=True)
    return overrides


def _class_hook(conv: cattrs.Converter, cls: type[Any]) -> Callable[[Any, Any], Any]:
    base = make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=True, **_overrides(cls))
    scoped = {
        Programme: _programme_scope,
        Ceremony: _item_scope,
        CompetitionSession: _item_scope,
    }.get(cls)

    def structure(value: Any, _: Any) -> Any:
        if not isinstance(value, dict):
            raise TypeError(f"expected a mapping, got {_describe(value)}")
        if scoped is None:
            return base(value, cls)
        with _within(scoped(value)):
            return base(value, cls)

    return structure


def _programme_scope(raw: dict[str, Any]) -> _Scope:
    """A programme's zone (``None`` when it names none) and each venue's."""
    default = str(raw["timezone"]) if isinstance(raw.get("timezone"), str) else None
    zones: dict[str, str | None] = {}
    for venue in raw.get("venues") or []:
        if isinstance(venue, dict) and isinstance(venue.get("id"), str):
            tz = venue.get("timezone")
            zones[venue["id"]] = tz if isinstance(tz, str) else default
    return _Scope(zone_name=default, venue_zones=zones)


def _item_scope(raw: dict[str, Any]) -> _Scope:
    """A ceremony's or session's scope: its venue's zone, its start's day for clock times."""
    outer = _scope.get()
    venue = raw.get("venue")
    zone_name = (
        outer.venue_zones.get(venue, outer.zone_name) if isinstance(venue, str) else outer.zone_name
    )
    scope = attrs.evolve(outer, zone_name=zone_name, day_start=None)
    with _within(scope):
        try:
            start = structure_datetime(raw["start"]) if raw.get("start") is not None else None
        except (ValueError, TypeError):
            start = None  # the start field reports its own error
    return attrs.evolve(scope, day_start=start)


def _segment_hook(conv: cattrs.Converter) -> Callable[[Any, Any], Segment]:
    def structure(value: Any, _: Any) -> Segment:
        if not isinstance(value, dict):
            raise TypeError(
                f"expected a segment (a mapping with id and kind), got {_describe(value)}"
            )
        kind = value.get("kind")
        if kind is None:
            raise KindError("missing required key 'kind' (performance, parade, speech ...)")
        cls = SEGMENT_KINDS.get(kind) if isinstance(kind, str) else None
        if cls is None:
            raise KindError(_not_a_kind(kind))
        fields = {key: item for key, item in value.items() if key != "kind"}
        return conv.structure(fields, cls)

    return structure


def _not_a_kind(kind: Any) -> str:
    """Why ``kind`` names no segment class: the closest kind, else every kind there is."""
    hint = suggest(str(kind), list(SEGMENT_KINDS))
    if not hint:
        hint = f"; the kinds are: {', '.join(sorted(SEGMENT_KINDS))}"
    return f"{_describe(kind)} is not a segment kind{hint}"


class KindError(ValueError):
    """A segment whose ``kind`` is missing or unknown (located at its ``kind`` key)."""


def _segment_unhook(conv: cattrs.Converter) -> Callable[[Segment], dict[str, Any]]:
    # One generated function per kind, made on first use (not while the converter is still
    # being set up, so an act's children find this hook) and kept: generating costs ms.
    by_kind: dict[type[Segment], Callable[[Any], dict[str, Any]]] = {}

    def unstructure(segment: Segment) -> dict[str, Any]:
        cls = type(segment)
        if SEGMENT_KINDS.get(segment.kind) is not cls:
            raise ModelError(
                f"{cls.__name__} is not a segment kind a show file can hold "
                f"(kinds: {', '.join(SEGMENT_KINDS)})"
            )
        if cls not in by_kind:
            by_kind[cls] = _class_unhook(conv, cls)
        fields = by_kind[cls](segment)
        return {"id": fields.pop("id"), "kind": segment.kind, **fields}

    return unstructure


def _class_unhook(conv: cattrs.Converter, cls: type[Any]) -> Callable[[Any], dict[str, Any]]:
    return make_dict_unstructure_fn(cls, conv, _cattrs_omit_if_default=True, **_overrides(cls))


CONVERTER = make_converter()
"""The package's one show-file converter, shared by every module that reads or writes
show-file data (show files, actuals, table mappings, revisions, spreadsheets). Its hooks are
fixed when it is built: don't register more on it; build your own with
:func:`make_converter` instead."""
