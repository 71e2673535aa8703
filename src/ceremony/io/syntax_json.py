"""Reading JSON with the line of every path, its nesting checked before :mod:`json` reads it."""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from ceremony.errors import Path, ShowFileError
from ceremony.io.document import Document, _check_brackets

if TYPE_CHECKING:
    from _collections_abc import dict_items, dict_keys, dict_values

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_SCALAR_END = re.compile(r"[^,\]}\s]+")


_JSON_STRING = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+"?', re.DOTALL)  # unterminated: to the end
_JSON_TOKEN = re.compile(_JSON_STRING.pattern + r"|[\[\]{}]", re.DOTALL)


def _read_json(text: str, file: str | None) -> Document:
    _check_brackets(_JSON_STRING.sub("", text), text, _JSON_TOKEN, file)
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise ShowFileError(f"not valid JSON: {exc.msg}", file=file, line=exc.lineno) from None
    except _DuplicateKeyError as exc:
        raise ShowFileError(f"key {exc.args[0]!r} is written twice", file=file) from None
    return Document(data, LazyLines(text))


class LazyLines(dict[Path, int]):
    """The line of each path of a JSON text, found the first time one is asked for.

    Walking the text for every path costs many times what :func:`json.loads` does, and a
    file that loads without a mistake never needs a line: so the walk waits for a
    located error (or anything else that reads the mapping).
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text: str | None = text

    def _fill(self) -> None:
        if self._text is not None:
            text, self._text = self._text, None
            _JsonLines(text, self).value(0, ())

    def get(self, key: Path, default: Any = None) -> Any:  # noqa: D102 - as a dict's
        self._fill()
        return super().get(key, default)

    def __getitem__(self, key: Path) -> int:
        self._fill()
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self._fill()
        return super().__contains__(key)

    def __iter__(self) -> Iterator[Path]:
        self._fill()
        return super().__iter__()

    def __len__(self) -> int:
        self._fill()
        return super().__len__()

    def __eq__(self, other: object) -> bool:
        self._fill()
        return super().__eq__(other)

    __hash__ = None  # as a dict's

    def __repr__(self) -> str:
        self._fill()
        return super().__repr__()

    def keys(self) -> dict_keys[Path, int]:  # noqa: D102 - as a dict's
        self._fill()
        return super().keys()

    def values(self) -> dict_values[Path, int]:  # noqa: D102 - as a dict's
        self._fill()
        return super().values()

    def items(self) -> dict_items[Path, int]:  # noqa: D102 - as a dict's
        self._fill()
        return super().items()

    def copy(self) -> dict[Path, int]:  # noqa: D102 - as a dict's
        self._fill()
        return dict(super().items())

    def __reduce__(self) -> tuple[Any, ...]:  # copied or pickled: a plain dict, filled
        return (dict, (list(self.items()),))


class _DuplicateKeyError(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


def _scanstring(text: str, end: int) -> tuple[str, int]:
    """The JSON string that opens just before ``end``, and the index after its quote."""
    scan: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
    return scan(text, end)


class _JsonLines:
    """Walks text already checked by :func:`json.loads`, noting the line of each path."""

    def __init__(self, text: str, lines: dict[Path, int]) -> None:
        self.text = text
        self.lines = lines
        self._newlines = [index for index, char in enumerate(text) if char == "\n"]

    def _line(self, pos: int) -> int:
        # Counting newlines from the start for every value made loading quadratic.
        return bisect.bisect_left(self._newlines, pos) + 1

    def _skip(self, pos: int) -> int:
        match = _WHITESPACE.match(self.text, pos)
        return match.end() if match else pos

    def value(self, pos: int, path: Path) -> int:
        pos = self._skip(pos)
        self.lines.setdefault(path, self._line(pos))
        char = self.text[pos]
        if char == "{":
            pos = self._skip(pos + 1)
            while self.text[pos] != "}":
                key, pos = _scanstring(self.text, pos + 1)
                self.lines[(*path, key)] = self._line(pos)
                pos = self._skip(self.value(self._skip(pos) + 1, (*path, key)))
                if self.text[pos] == ",":
                    pos = self._skip(pos + 1)
            return pos + 1
        if char == "[":
            pos, index = self._skip(pos + 1), 0
            while self.text[pos] != "]":
                pos = self._skip(self.value(pos, (*path, index)))
                index += 1
                if self.text[pos] == ",":
                    pos = self._skip(pos + 1)
            return pos + 1
        if char == '"':
            return _scanstring(self.text, pos + 1)[1]
        match = _SCALAR_END.match(self.text, pos)
        return match.end() if match else pos + 1
