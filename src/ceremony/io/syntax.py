"""Reading YAML, TOML and JSON into plain data, keeping the line of every path.

Each syntax gives a :class:`Document`: the data (dicts, lists, scalars) and a map from
each path to the line it was written on, so later errors can say ``show.yaml:41``.

YAML is read through PyYAML's safe composer and turned into data here, so that:

- no object is ever constructed from a tag (only the standard scalar tags are known);
- times stay as the person wrote them: ``22:54`` is the text "22:54", not the
  sexagesimal number 1374, and ``2024-08-28 20:00`` is text, not a naive datetime;
- only ``true`` and ``false`` (``True``, ``TRUE`` ...) are booleans, as in YAML 1.2:
  ``NO`` (Norway), ``no``, ``on``, ``off``, ``yes``, ``y`` are the text written;
- a tab that indents a line is named as the mistake (YAML indents with spaces);
- an alias bomb (billion laughs) is refused after a bounded amount of work;
- a key written twice in one mapping is an error, not a silent overwrite.

In every syntax, lists and mappings nested deeper than :data:`~ceremony.limits.MAX_NESTING`
are refused before the parser recurses into them (a YAML or JSON file nested 40,000 deep
would otherwise exhaust the interpreter's stack), with the line where the limit is passed.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

import tomli_w
import yaml

from ceremony.errors import ModelError, ShowFileError
from ceremony.io.document import Document, too_deep
from ceremony.io.syntax_json import _read_json
from ceremony.io.syntax_toml import _read_toml
from ceremony.io.syntax_yaml import _read_yaml

__all__ = [
    "FORMATS",
    "Document",
    "Format",
    "format_for",
    "read_document",
    "too_deep",
    "write_document",
]

Format = Literal["yaml", "toml", "json"]
FORMATS: tuple[Format, ...] = ("yaml", "toml", "json")
_SUFFIXES: dict[str, Format] = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".toml": "toml",
    ".json": "json",
}


def format_for(filename: str) -> Format:
    """The syntax of a file, by its suffix."""
    for suffix, syntax in _SUFFIXES.items():
        if filename.lower().endswith(suffix):
            return syntax
    raise ShowFileError("unknown file type (use .yaml, .yml, .toml or .json)", file=filename)


def read_document(text: str, syntax: Format, file: str | None = None) -> Document:
    """Parse ``text`` in ``syntax``; :class:`ShowFileError` (with the line) when it is broken."""
    readers = {"yaml": _read_yaml, "toml": _read_toml, "json": _read_json}
    if syntax not in readers:
        raise ShowFileError(f"unknown syntax {syntax!r} (use yaml, toml or json)", file=file)
    with _no_collection():
        return readers[syntax](text, file)


@contextmanager
def _no_collection() -> Iterator[None]:
    """The cyclic garbage collector paused while a document's objects are made.

    Reading a big file makes hundreds of thousands of objects (nodes, events, dicts, the
    line map) and no cycles; the collector would scan them again and again as they pile
    up, which was half the time of reading a Games' schedule. It is switched back on only
    if it was on (another thread may have paused it too).
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def write_document(data: dict[str, Any], syntax: Format) -> str:
    """Plain data (as a converter unstructures it) as text in ``syntax``."""
    if syntax == "yaml":
        text: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
        return text
    if syntax == "toml":
        return tomli_w.dumps(data)
    if syntax == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    raise ModelError(f"unknown format {syntax!r} (use yaml, toml or json)")
