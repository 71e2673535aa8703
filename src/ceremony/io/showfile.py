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

from ceremony.errors import ModelError, Path, ShowFileError, format_path
from ceremony.io.atomic import write_atomically
from ceremony.io.converter import (
    CONVERTER,
    NO_ZONE,
    RENAMED,
    KindError,
    MappingValueError,
    file_keys,
    suggest,
)
from ceremony.io.icsfile import load_ics
from ceremony.io.syntax import Document, Format, format_for, read_document, write_document
from ceremony.model import Programme, SourceMap
from ceremony.model.references import known_ids, references

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
    """A programme from parsed show-file data; errors are located by ``document.lines``.

    Every problem found is reported at once, in line order (see
    :meth:`ShowFileError.of`): values the model refuses, ids used twice, and references
    to ids that name nothing.
    """
    data = document.data
    if not isinstance(data, dict):
        raise ShowFileError(
            "a show file is a mapping with at least a programme key", file=file, line=1
        )
    source = SourceMap(file=file, lines=document.lines)
    try:
        programme = CONVERTER.structure(data, Programme)
    except Exception as exc:  # every problem is reported below
        raise ShowFileError.of(_in_line_order(_every_problem(exc, data, source))) from None
    programme = _with_source(programme, source)
    unknown = _unknown_references(programme, source)
    if unknown:
        raise ShowFileError.of(_in_line_order(unknown))
    return programme


def _every_problem(exc: Exception, data: dict[str, Any], source: SourceMap) -> list[ShowFileError]:
    """What the converter found, ids used twice, and unknown ids in what could be read."""
    written = _written_ids(data)
    problems = [*_problems_of(exc, source), *_duplicate_ids(written, source)]
    readable = _readable_part(data, problems)
    if readable is not None:
        part, where = readable
        known = {
            "venue": {item_id for _, item_id in written["venues"]},
            "person": {item_id for _, item_id in written["people"]},
            "delegation": {item_id for _, item_id in written["delegations"]},
            "session": {item_id for _, item_id in written["sessions"]},
            "item": {item_id for _, item_id in written["items"]},
        }
        problems += _unknown_references(part, source, known, where)
    return problems


def _unknown_references(
    programme: Programme,
    source: SourceMap,
    written: dict[str, set[str]] | None = None,
    where: dict[Path, list[int]] | None = None,
) -> list[ShowFileError]:
    """A problem for each reference to an id that names nothing (nor is ``written``)."""
    known = known_ids(programme)
    for target, ids in (written or {}).items():
        known[target] |= ids
    problems = []
    for reference in references(programme):
        if reference.id in known[reference.target]:
            continue
        path = _renumbered(reference.path, where or {})
        problems.append(
            ShowFileError(
                f"unknown {_TARGET_WORDS[reference.target]} {reference.id!r}"
                f"{suggest(reference.id, sorted(known[reference.target]))}",
                file=source.file,
                line=source.line(path),
                path=path,
            )
        )
    return problems


def _with_source(programme: Programme, source: SourceMap) -> Programme:
    # The source map is not part of the programme's value; set it without re-validating.
    object.__setattr__(programme, "source", source)
    return programme


def to_data(programme: Programme) -> dict[str, Any]:
    """A programme as plain data (what a show file holds), for JSON stores.

    The zone is always named (``UTC`` too), so times added to the data without an offset
    (an imported sheet's ``22:10``) read in it.
    """
    data: dict[str, Any] = CONVERTER.unstructure(programme)
    return {"programme": data.pop("programme"), "timezone": programme.timezone, **data}


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
    return every_problem(exc, document, file, cls).problems[0]


def every_problem(
    exc: BaseException, document: Document, file: str | None, cls: type[Any] = Programme
) -> ShowFileError:
    """Every problem the converter found reading ``cls``, located, as one error in line order."""
    source = SourceMap(file=file, lines=document.lines)
    return ShowFileError.of(_in_line_order(_problems_of(exc, source, cls)))


def _problems_of(
    exc: BaseException, source: SourceMap, cls: type[Any] = Programme
) -> list[ShowFileError]:
    """Each problem the converter found, located and in words."""
    located = [
        ShowFileError(_one_line(message), file=source.file, line=source.line(path), path=path)
        for path, message in _problems(exc, (), cls)
    ]
    return located or [ShowFileError(str(exc), file=source.file)]


def _in_line_order(problems: list[ShowFileError]) -> list[ShowFileError]:
    """The problems by line, each once; the first time without a zone stands for all.

    On one line a misspelt key comes first, and it explains the "missing" key it
    suggests, which is left out.
    """
    suggested = {
        (error.path[:-1], found[1])
        for error in problems
        if (found := _SUGGESTED.search(error.message)) is not None
    }
    seen: set[tuple[int | None, Path, str]] = set()
    kept: list[ShowFileError] = []
    no_zone = False
    ordered = sorted(problems, key=lambda e: (e.line or 0, "unknown key" not in e.message))
    for error in ordered:
        missing = _MISSING.fullmatch(error.message)
        if missing is not None and (error.path[:-1], missing[1]) in suggested:
            continue
        if (error.line, error.path, error.message) in seen or (
            no_zone and NO_ZONE in error.message
        ):
            continue
        seen.add((error.line, error.path, error.message))
        no_zone = no_zone or NO_ZONE in error.message
        kept.append(error)
    return kept


_SUGGESTED = re.compile(r"^unknown key .* \(did you mean '([^']*)'\?\)$")
_MISSING = re.compile(r"missing required key '([^']*)'")


# --- ids in a file that cannot be read whole ---------------------------------------------

_ROUNDS = 4  # pruning may uncover what only a whole programme checks (ids used twice)


def _readable_part(
    data: dict[str, Any], problems: list[ShowFileError]
) -> tuple[Programme, dict[Path, list[int]]] | None:
    """What of a broken file can be read: the file without each list entry at fault.

    Also where each entry kept was in its list: ``{("people",): [0, 2]}`` when
    ``people[1]`` is at fault. ``None`` when nothing readable is left.
    """
    at_fault = [(error.path, error.message.startswith("unknown key")) for error in problems]
    for _ in range(_ROUNDS):
        where: dict[Path, list[int]] = {}
        pruned = _without(data, (), _entries_at_fault(at_fault), where)
        try:
            return CONVERTER.structure(pruned, Programme), where
        except Exception as exc:
            found = [
                (_renumbered(path, where), message.startswith("unknown key"))
                for path, message in _problems(exc, (), Programme)
            ]
            if not found or set(found) <= set(at_fault):
                return None
            at_fault += found
    return None


def _entries_at_fault(paths: list[tuple[Path, bool]]) -> dict[Path, set[str | int]]:
    """For each list or mapping, the entries (or keys) to leave out, so the rest reads.

    ``paths`` are where the problems are, each with whether it is an unknown key.
    """
    leave_out: dict[Path, set[str | int]] = {}
    for path, unknown_key in paths:
        indexes = [at for at, part in enumerate(path) if isinstance(part, int)]
        if unknown_key:  # the entry reads without it
            leave_out.setdefault(path[:-1], set()).add(path[-1])
        elif indexes:
            at = indexes[-1]
            leave_out.setdefault(path[:at], set()).add(path[at])
        elif path and path[0] not in ("programme", "timezone"):
            leave_out.setdefault((), set()).add(path[0])  # an optional key at the top
    return leave_out


def _without(
    value: Any, path: Path, leave_out: dict[Path, set[str | int]], where: dict[Path, list[int]]
) -> Any:
    """``value`` without the entries to leave out, noting where each kept one was."""
    gone = leave_out.get(path, set())
    if isinstance(value, dict):
        return {
            key: _without(item, (*path, key), leave_out, where)
            for key, item in value.items()
            if key not in gone
        }
    if isinstance(value, list):
        kept = [index for index in range(len(value)) if index not in gone]
        where[path] = kept
        return [_without(value[index], (*path, index), leave_out, where) for index in kept]
    return value


def _renumbered(path: Path, where: dict[Path, list[int]]) -> Path:
    """A path in the readable part, as it is in the file."""
    result: list[str | int] = []
    for part in path:
        kept = where.get(tuple(result))
        if isinstance(part, int) and kept is not None and part < len(kept):
            result.append(kept[part])
        else:
            result.append(part)
    return tuple(result)


def _written_ids(data: dict[str, Any]) -> dict[str, list[tuple[Path, str]]]:
    """Each id written in the file's lists, with where (the entry's path), by namespace.

    ``venues``, ``delegations`` and ``people`` each have their own; ``items`` holds
    ceremonies, segments, sessions and units (anchors and UIDs share it), and ``sessions``
    the sessions and units again.
    """
    found: dict[str, list[tuple[Path, str]]] = {
        "venues": [],
        "delegations": [],
        "people": [],
        "items": [],
        "sessions": [],
    }
    for key in ("venues", "delegations", "people"):
        found[key] = list(_ids_in(data.get(key), (key,), None))
    for path, item_id in _ids_in(data.get("ceremonies"), ("ceremonies",), "segments"):
        found["items"].append((path, item_id))
    for path, item_id in _ids_in(data.get("sessions"), ("sessions",), "units"):
        found["items"].append((path, item_id))
        found["sessions"].append((path, item_id))
    return found


def _ids_in(entries: Any, prefix: Path, children: str | None) -> Iterator[tuple[Path, str]]:
    """The ids of a list's mappings, and of their ``children`` lists, in file order."""
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, dict):
            continue
        path = (*prefix, index)
        if isinstance(entry.get("id"), str):
            yield path, entry["id"]
        if children is not None:  # an act's segments, a session's units
            yield from _ids_in(entry.get(children), (*path, children), children)


def _duplicate_ids(
    written: dict[str, list[tuple[Path, str]]], source: SourceMap
) -> Iterator[ShowFileError]:
    """A problem for each id used again where it must be unique (as the model words it)."""
    for key in ("venues", "delegations", "people", "items"):
        first: dict[str, Path] = {}
        for path, item_id in written[key]:
            if item_id not in first:
                first[item_id] = path
                continue
            where = f" (first at {format_path(first[item_id])})" if key == "items" else ""
            yield ShowFileError(
                f"id {item_id!r} is used twice{where}",
                file=source.file,
                line=source.line((*path, "id")),
                path=(*path, "id"),
            )


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
