"""Field converters: what a model constructor accepts, in the spellings a show file accepts.

Each converter takes the value given for one field and returns what the model holds
(``"10m"`` becomes ``timedelta(minutes=10)``, ``["a", "b"]`` a tuple), or raises a
:class:`~ceremony.errors.ModelError` worded as the loader words the same mistake. Every
model class is built with ``field_transformer=named_errors``, which prefixes those errors'
paths with the field's name: ``speakers: expected a list, got "president"``.

The converters are plain named functions so that mypy's attrs plugin types each
constructor parameter from the converter's argument (``Sequence[str]``, ``str | timedelta``).
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

import attrs

from ceremony.durations import parse_duration
from ceremony.errors import ModelError
from ceremony.model.checks import control_character, line_break

_Model = TypeVar("_Model")
_Member = TypeVar("_Member", bound=enum.Enum)


def describe(value: Any) -> str:
    """A value as an error message quotes it: ``"text"``, ``a list``, ``a mapping``, ``5``."""
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)


def suggest(word: str, choices: list[str]) -> str:
    """`` (did you mean 'x'?)`` when a choice is close to ``word``, else nothing."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def named_errors(_cls: type[Any], fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """An attrs ``field_transformer``: a converter's :class:`ModelError` names its field."""
    return [_naming(field) for field in fields]


def _naming(field: attrs.Attribute[Any]) -> attrs.Attribute[Any]:
    convert = field.converter
    if convert is None or isinstance(convert, attrs.Converter):
        return field  # no converter, or named already (a field inherited from a base)

    def converted(value: Any, field: attrs.Attribute[Any]) -> Any:
        try:
            return convert(value)
        except ModelError as exc:
            raise type(exc)(exc.message, path=(field.name, *exc.path)) from None

    converted.__name__ = getattr(convert, "__name__", "converted")
    return field.evolve(converter=attrs.Converter(converted, takes_field=True))


# --- scalars ----------------------------------------------------------------------------


def text(value: str) -> str:
    """Text, without control characters."""
    if not isinstance(value, str):
        raise ModelError(f"expected text, got {describe(value)}")
    if (problem := control_character(value)) is not None:
        raise ModelError(problem)
    return value


def optional_text(value: str | None) -> str | None:
    """Text, or None."""
    return None if value is None else text(value)


def line(value: str) -> str:
    """Text on one line (a name, a title): no line breaks, no control characters."""
    checked = text(value)
    if (problem := line_break(checked)) is not None:
        raise ModelError(problem)
    return checked


def optional_line(value: str | None) -> str | None:
    """Text on one line, or None."""
    return None if value is None else line(value)


def flag(value: bool) -> bool:
    """True or false (not 0, 1 or "yes")."""
    if not isinstance(value, bool):
        raise ModelError(f"expected true or false, got {describe(value)}")
    return value


def optional_whole(value: int | None) -> int | None:
    """A whole number, or None."""
    return None if value is None else whole(value)


def whole(value: int) -> int:
    """A whole number (not a bool, not a float)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ModelError(f"expected a whole number, got {describe(value)}")
    return value


def number(value: float) -> float:
    """A number, as a float."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ModelError(f"expected a number, got {describe(value)}")
    return float(value)


def duration(value: str | timedelta) -> timedelta:
    """A length: a :class:`timedelta`, or text such as ``10m``, ``1h15m`` or ``PT10M``.

    A negative :class:`timedelta` is left to the field's validator, which says so.
    """
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool | int | float):
        raise ModelError(f"{value} has no unit (write {value}m for minutes, {value}s for seconds)")
    return parse_duration(value)


def optional_duration(value: str | timedelta | None) -> timedelta | None:
    """A length, or None."""
    return None if value is None else duration(value)


def instant(value: datetime | str) -> datetime:
    """A date and time: a :class:`datetime`, or ISO text with its offset.

    Whether it is aware and exists is the field's validator's to say.
    """
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        if _is_clock_time(value):
            raise ModelError(
                f"{describe(value)} is a clock time without a day; "
                "write the date too (2024-08-28T20:00)"
            )
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            if parsed.tzinfo is None:
                raise ModelError(
                    f"{describe(value)} has no time zone: write its offset "
                    "(2024-08-28T20:00+02:00) or pass an aware datetime"
                )
            return parsed
    if isinstance(value, str | date):
        raise ModelError(f"{describe(value)} is not a date and time (write 2024-08-28T20:00+02:00)")
    raise ModelError(f"expected a date and time, got {describe(value)}")


def optional_instant(value: datetime | str | None) -> datetime | None:
    """A date and time, or None."""
    return None if value is None else instant(value)


def _is_clock_time(value: str) -> bool:
    hours, colon, rest = value.strip().partition(":")
    return bool(colon) and hours.isdigit() and len(hours) <= 2 and rest[:2].isdigit()


def day(value: date | str) -> date:
    """A date: a :class:`date`, or ISO text (``2024-08-28``)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ModelError(f"{describe(value)} is not a date (write 2024-08-28)")


def member(cls: type[_Member], value: object) -> _Member:
    """The member of ``cls`` that ``value`` is or names (case-insensitive)."""
    if isinstance(value, cls):
        return value
    if isinstance(value, str):
        wanted = value.strip().lower()
        for candidate in cls:
            if str(candidate.value).lower() == wanted:
                return candidate
    choices = [str(candidate.value) for candidate in cls]
    hint = suggest(value, choices) if isinstance(value, str) else ""
    raise ModelError(f"{describe(value)} is not one of {', '.join(choices)}{hint}")


# --- collections --------------------------------------------------------------------------


def _sequence(value: object) -> Sequence[Any]:
    """A list or tuple given for a list field; a string is not a list of letters."""
    if isinstance(value, list | tuple):
        return value
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Sequence | set):
        raise ModelError(f"expected a list, got {describe(value)}")
    return tuple(value)


def texts(value: Sequence[str]) -> tuple[str, ...]:
    """A list of texts, as a tuple."""
    items = _sequence(value)
    for index, item in enumerate(items):
        _at(index, text, item)
    return tuple(items)


def lines(value: Sequence[str]) -> tuple[str, ...]:
    """A list of one-line texts (names), as a tuple."""
    items = _sequence(value)
    for index, item in enumerate(items):
        _at(index, line, item)
    return tuple(items)


def ids(value: Sequence[str]) -> tuple[str, ...]:
    """A list of ids, as a tuple (the field's validator checks each is an id)."""
    return texts(value)


def models(cls: type[_Model], value: object) -> tuple[_Model, ...]:
    """A list of ``cls`` instances, as a tuple, each checked."""
    items = _sequence(value)
    for index, item in enumerate(items):
        if not isinstance(item, cls):
            raise ModelError(f"expected a {cls.__name__}, got {describe(item)}", path=(index,))
    return tuple(items)


def model(cls: type[_Model], value: object) -> _Model:
    """A ``cls`` instance."""
    if not isinstance(value, cls):
        raise ModelError(f"expected a {cls.__name__}, got {describe(value)}")
    return value


def optional_model(cls: type[_Model], value: object) -> _Model | None:
    """A ``cls`` instance, or None."""
    return None if value is None else model(cls, value)


def mapping(value: object) -> Mapping[Any, Any]:
    """A mapping given for a mapping field."""
    if not isinstance(value, Mapping):
        raise ModelError(f"expected a mapping, got {describe(value)}")
    return value


def _at(index: int | str, convert: Callable[[Any], Any], value: Any) -> Any:
    """``convert(value)``, its error located at ``index``."""
    try:
        return convert(value)
    except ModelError as exc:
        raise type(exc)(exc.message, path=(index, *exc.path)) from None


def texts_by_key(value: Mapping[str, str]) -> dict[str, str]:
    """A mapping of text to text (a title in other languages)."""
    return {text(key): _at(key, text, item) for key, item in mapping(value).items()}


def lines_by_key(value: Mapping[str, str]) -> dict[str, str]:
    """A mapping of text to one-line text (a name in other languages)."""
    return {line(key): _at(key, line, item) for key, item in mapping(value).items()}


def ids_by_id(value: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
    """A mapping of id to a list of ids (a delegation's flagbearers)."""
    return {text(key): _at(key, ids, item) for key, item in mapping(value).items()}
