"""Show files: load and dump programmes as YAML, TOML or JSON.

Every error names the file, the line and the field path::

    show.yaml:41: ceremonies[0].segments[3].duration: "-3m" is not a duration
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path as FilePath
from typing import Any

import cattrs
from cattrs.errors import ForbiddenExtraKeysError

from ceremony.errors import ModelError, Path, ShowFileError
from ceremony.io.atomic import write_atomically
from ceremony.io.converter import (
    CONVERTER,
    RENAMED,
    KindError,
    MappingValueError,
    file_keys,
    suggest,
)
from ceremony.io.icsfile import load_ics
from ceremony.io.syntax import Document, Format, format_for, read_document, write_document
from ceremony.model import Programme, SourceMap
from ceremony.model.references import known_ids, unknown_references

_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")

_TARGET_WORDS = {
    "venue": "venue",
    "person": "person",
    "delegation": "delegation",
    "session": "session",
    "item": "ceremony, segment or session",
}


def load(path: str | os.PathLike[str]) -> Programme:
    """Read a show file (the syntax follows the suffix: .yaml/.yml, .toml, .json).

    An iCalendar file (.ics) is read too, as a programme of sessions (see
    :func:`ceremony.io.icsfile.load_ics`).
    """
    name = os.fspath(path)
    if name.lower().endswith(".ics"):
        return load_ics(name)
    syntax = format_for(name)
    try:
        text = FilePath(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ShowFileError("no such file", file=name) from None
    except UnicodeDecodeError as exc:
        raise ShowFileError(f"not UTF-8 text ({exc.reason})", file=name) from None
    except OSError as exc:
        raise ShowFileError(f"cannot read: {exc.strerror}", file=name) from None
    return loads(text, syntax, file=name)


def loads(text: str, format: Format, *, file: str | None = None) -> Programme:  # noqa: A002
    """Read a programme from ``text`` in ``format`` (``yaml``, ``toml`` or ``json``).

    ``file`` names the source in error messages and in :attr:`Programme.source`.
    """
    return from_document(read_document(text, format, file), file)


def from_document(document: Document, file: str | None) -> Programme:
    """A programme from parsed show-file data; errors are located by ``document.lines``."""
    if not isinstance(document.data, dict):
        raise ShowFileError(
            "a show file is a mapping with at least a programme key", file=file, line=1
        )
    try:
        programme = CONVERTER.structure(document.data, Programme)
    except Exception as exc:
        raise first_problem(exc, document, file) from None
    source = SourceMap(file=file, lines=document.lines)
    programme = _with_source(programme, source)
    for reference in unknown_references(programme):
        known = sorted(known_ids(programme)[reference.target])
        raise ShowFileError(
            f"unknown {_TARGET_WORDS[reference.target]} {reference.id!r}"
            f"{suggest(reference.id, known)}",
            file=file,
            line=source.line(reference.path),
            path=reference.path,
        )
    return programme


def _with_source(programme: Programme, source: SourceMap) -> Programme:
    # The source map is not part of the programme's value; set it without re-validating.
    object.__setattr__(programme, "source", source)
    return programme


def to_data(programme: Programme) -> dict[str, Any]:
    """A programme as plain data (what a show file holds), for JSON stores."""
    data: dict[str, Any] = CONVERTER.unstructure(programme)
    return data


def from_data(data: dict[str, Any]) -> Programme:
    """A programme from :func:`to_data`'s plain data (no line numbers to report)."""
    try:
        programme: Programme = CONVERTER.structure(data, Programme)
    except Exception as exc:
        raise ShowFileError(f"not a programme ({exc})") from None
    return programme


def dumps(programme: Programme, format: Format) -> str:  # noqa: A002
    """Write a programme as text; ``loads(dumps(p, f), f) == p`` for every syntax."""
    return write_document(CONVERTER.unstructure(programme), format)


def dump(programme: Programme, path: str | os.PathLike[str]) -> None:
    """Write a programme to ``path`` (syntax by suffix), atomically: all or nothing."""
    write_atomically(path, dumps(programme, format_for(os.fspath(path))))


# --- errors -----------------------------------------------------------------------------


def first_problem(
    exc: BaseException, document: Document, file: str | None, cls: type[Any] = Programme
) -> ShowFileError:
    """The problem written earliest in the file, located and in words."""
    problems = list(_problems(exc, (), cls))
    if not problems:  # pragma: no cover - cattrs always explains itself
        return ShowFileError(str(exc), file=file)
    source = SourceMap(file=file, lines=document.lines)
    located = [
        ShowFileError(_one_line(message), file=file, line=source.line(path), path=path)
        for path, message in problems
    ]
    # Earliest line first; on one line, a misspelt key explains a "missing" one.
    return min(located, key=lambda error: (error.line or 0, "unknown key" not in error.message))


def _one_line(message: str) -> str:
    """A message that quotes a value as written, with its control characters escaped."""
    return _UNPRINTABLE.sub(lambda found: ascii(found.group())[1:-1], message)


def _problems(exc: BaseException, path: Path, cls: Any) -> Iterator[tuple[Path, str]]:
    if isinstance(exc, cattrs.ClassValidationError | cattrs.IterableValidationError):
        with_notes, without = exc.group_exceptions()
        for inner, note in with_notes:
            if isinstance(note, cattrs.AttributeValidationNote):
                key = RENAMED.get(cls, {}).get(note.name, note.name)
                yield from _problems(inner, (*path, key), note.type)
            elif isinstance(note, cattrs.IterableValidationNote):
                yield from _problems(inner, (*path, note.index), note.type)
            else:  # pragma: no cover - cattrs only makes these two kinds of note
                yield from _problems(inner, path, None)
        for inner in without:
            yield from _problems(inner, path, cls)
    elif isinstance(exc, ForbiddenExtraKeysError):
        keys = file_keys(exc.cl)
        for key in sorted(exc.extra_fields):
            yield (*path, key), f"unknown key {key!r}{suggest(key, keys)}"
    elif isinstance(exc, KeyError):
        key = RENAMED.get(cls, {}).get(str(exc.args[0]), str(exc.args[0])) if exc.args else "?"
        yield path, f"missing required key {key!r}"
    elif isinstance(exc, KindError):
        yield (*path, "kind"), str(exc)
    elif isinstance(exc, MappingValueError):
        yield from _problems(exc.error, (*path, exc.key), None)
    elif isinstance(exc, ModelError):
        yield (*path, *exc.path), exc.message
    else:
        yield path, str(exc)
