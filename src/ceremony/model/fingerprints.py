"""A fingerprint of a model value: equal values, equal fingerprints; any change, another.

:func:`value_digest` hashes a canonical form of the value (:func:`canonical`: plain text,
numbers and tuples) with SHA-256. It is what the publish state compares to tell whether a
calendar event (:func:`ceremony.publishing.digest`) or a session (the site's changelog)
changed between two builds, so it must be stable across processes and machines: no
``hash()``, no ``id()``, no ``repr`` of objects whose ``repr`` is not their value.
"""

from __future__ import annotations

import enum
import hashlib
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

import attrs


def value_digest(value: object) -> str:
    """A fingerprint of a model value (attrs classes, text, numbers, times, enums, nested).

    SHA-256 of a canonical form (:func:`canonical`): stable across processes and machines
    (no ``hash()``), and any field changed changes it.

    Earlier versions hashed the value's ``repr``, which is slow for times (the zone's
    ``repr``) and tied to how Python writes it. This form came in with the release that
    changed every session's title, which raises every SEQUENCE once on upgrade anyway: the
    new digests cost subscribers nothing extra.
    """
    form = canonical(value)
    text = form if isinstance(form, str) and attrs.has(type(value)) else repr(form)
    return hashlib.sha256(text.encode()).hexdigest()  # a record's form is its own text


_PLAIN = frozenset({str, int, float, bool, type(None)})

_Converter = Callable[[Any], object]


def canonical(value: object) -> object:
    """``value`` as plain values (text, numbers, None, tuples) whose ``repr`` says it all.

    An attrs instance is text: its class's name and its fields in order (:func:`_record`);
    a time its wall clock (day, second, microsecond), ``fold`` and zone name; a duration
    its days, seconds and microseconds; an enum its class and value; a sequence a tuple; a
    mapping its items, sorted. :class:`TypeError` for anything else (a digest must not
    quietly leave something out).
    """
    kind = type(value)
    if kind in _PLAIN:
        return value
    convert = _CONVERTERS.get(kind) or _converter_of(kind)
    return convert(value)


def _time(value: datetime) -> object:
    # The wall clock, which side of a repeated hour, and the zone's name: the instant and
    # its zone, read from attributes (a pendulum zone computes offsets, and so ISO text
    # and ``repr``, in slow Python code).
    zone_info = value.tzinfo
    zone_name = getattr(zone_info, "name", None) or getattr(zone_info, "key", None)
    clock = value.hour * 3600 + value.minute * 60 + value.second
    return (value.toordinal(), clock, value.microsecond, value.fold, zone_name or value.tzname())


def _member(value: enum.Enum) -> object:
    return (type(value).__name__, canonical(value.value))


def _duration(value: timedelta) -> object:
    return ("timedelta", value.days, value.seconds, value.microseconds)


def _sequence(value: Sequence[object]) -> object:
    return tuple([canonical(item) for item in value])


def _mapping(value: Mapping[object, object]) -> object:
    return tuple(sorted((repr(canonical(key)), canonical(item)) for key, item in value.items()))


_CONVERTERS: dict[type, _Converter] = {tuple: _sequence, list: _sequence}
"""How :func:`canonical` converts a value of each type met so far."""


def _converter_of(kind: type) -> _Converter:
    """How :func:`canonical` converts values of ``kind`` (kept in :data:`_CONVERTERS`)."""
    convert: _Converter
    if issubclass(kind, datetime):
        convert = _time
    elif issubclass(kind, enum.Enum):
        convert = _member
    elif issubclass(kind, timedelta):
        convert = _duration
    elif issubclass(kind, Mapping):
        convert = _mapping
    elif issubclass(kind, (tuple, list)):
        convert = _sequence
    elif attrs.has(kind):
        convert = _record(kind)
    else:
        raise TypeError(f"no canonical form for {kind.__name__}")
    _CONVERTERS[kind] = convert
    return convert


def _record(kind: type) -> _Converter:
    """:func:`canonical` of an attrs class's instances: ``Name(field,...)`` as text.

    Made as attrs makes ``__repr__``: one generated f-string, so that each field costs no
    call. Text is written as its length, ``:`` and itself (None as an empty length), any
    other field by its ``repr``: each field ends where it can be told to end. Fields not
    plain by their type (a time, an enum, a mapping, a nested record) are converted first;
    a falsy one (None, empty, a zero duration) is plain enough as it is.
    """
    names = [field.name for field in attrs.fields(kind)]
    try:
        hints = typing.get_type_hints(kind)
    except (NameError, TypeError):  # a type that cannot be resolved: convert every field
        hints = {}
    namespace: dict[str, object] = {}
    parts: list[str] = []
    for index, name in enumerate(names):
        hint = hints.get(name)
        if hint is str:  # text by its length: no escaping to scan for, unlike repr
            parts.append(f"{{len(value.{name})}}:{{value.{name}}}")
        elif hint == str | None:
            none = f"value.{name} is None"
            parts.append(
                f"{{'' if {none} else len(value.{name})}}:{{'' if {none} else value.{name}}}"
            )
        elif name in hints and _plain(hints[name]):
            parts.append(f"{{value.{name}!r}}")
        elif name in hints and (text := _field_text(hints[name])) is not None:
            namespace[f"_text{index}"] = text  # the converted form's repr, written directly
            parts.append(f"{{_text{index}(value.{name}) if value.{name} else repr(value.{name})}}")
        else:
            namespace[f"_convert{index}"] = (
                _field_converter(hints[name]) if name in hints else canonical
            )
            parts.append(f"{{(_convert{index}(value.{name}) if value.{name} else value.{name})!r}}")
    namespace["_name"] = kind.__qualname__
    source = 'def convert(value):\n    return f"{_name}(' + ",".join(parts) + ')"\n'
    exec(compile(source, f"<canonical {kind.__qualname__}>", "exec"), namespace)  # noqa: S102 - made above from field names
    convert: _Converter = namespace["convert"]  # type: ignore[assignment]
    return convert


def _time_text(value: datetime) -> str:
    """``repr(_time(value))``, written without making the tuple."""
    if not isinstance(value, datetime):
        return repr(canonical(value))
    zone_info = value.tzinfo
    zone_name = getattr(zone_info, "name", None) or getattr(zone_info, "key", None)
    clock = value.hour * 3600 + value.minute * 60 + value.second
    name = zone_name or value.tzname()
    return f"({value.toordinal()}, {clock}, {value.microsecond}, {value.fold}, {name!r})"


def _duration_text(value: timedelta) -> str:
    """``repr(_duration(value))``, written without making the tuple."""
    if not isinstance(value, timedelta):
        return repr(canonical(value))
    return f"('timedelta', {value.days}, {value.seconds}, {value.microseconds})"


def _member_text(kind: type[enum.Enum]) -> Callable[[Any], str]:
    """``repr(_member(value))`` for members of ``kind``, each written once."""
    written: dict[enum.Enum, str] = {}

    def text(value: Any) -> str:
        if type(value) is not kind:  # not a member of the field's type: as canonical does
            return repr(canonical(value))
        found = written.get(value)
        if found is None:
            found = written[value] = repr(_member(value))
        return found

    return text


def _field_text(hint: object) -> Callable[[Any], str] | None:
    """How a record writes a truthy field typed ``hint`` directly, if it can (times, enums).

    The text is ``repr`` of the field's converted form, as the general path writes it.
    """
    if typing.get_origin(hint) in {types.UnionType, typing.Union}:
        given = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        hint = given[0] if len(given) == 1 else hint
    if hint is datetime:
        return _time_text
    if hint is timedelta:
        return _duration_text
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return _member_text(hint)
    return None


def _field_converter(hint: object) -> _Converter:
    """The converter of a field typed ``hint`` (``X | None``: X's; None is plain)."""
    if typing.get_origin(hint) in {types.UnionType, typing.Union}:
        given = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        hint = given[0] if len(given) == 1 else hint
    if hint is datetime:
        return _time
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return _member
    return canonical


def _plain(hint: object) -> bool:
    """Whether values of type ``hint`` are plain (text, numbers, None, tuples of them)."""
    if hint in _PLAIN or hint is None:
        return True
    origin = typing.get_origin(hint)
    if origin is tuple or origin is types.UnionType or origin is typing.Union:
        return all(arg is Ellipsis or _plain(arg) for arg in typing.get_args(hint))
    return False
