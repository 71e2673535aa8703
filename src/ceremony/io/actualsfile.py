"""Actuals files: the marks recorded during a live show, kept beside its show file.

``paralympic-opening.yaml`` keeps its actuals in ``paralympic-opening.actuals.yaml``::

    ceremony: paralympic-opening
    marks:
      - {item: overture, edge: start, at: "20:00:40"}
      - {item: overture, edge: end, at: "20:09:10"}
    extensions:
      - {item: parade, by: "+2m", recorded: "2024-08-28T20:40:00+02:00"}

``extensions`` (optional) say an item will run longer (``+2m``) or shorter (``-1m``) than
projected. Times are read as the ceremony's own are: a bare clock time on the ceremony's day, in its
venue's zone. Errors are located like a show file's.

:func:`record_mark` adds one mark to the file, :func:`record_extension` one extension and
:func:`undo_mark` takes the last mark out: each safely with several recorders at once,
durably, and keeping the file's comments where the layout allows.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path as FilePath
from typing import Any

import attrs
import tomli_w
import yaml

from ceremony.durations import format_duration, parse_duration
from ceremony.errors import (
    AmbiguousTimeError,
    CeremonyError,
    ModelError,
    ShowFileError,
    TimingError,
    UnknownIdError,
)
from ceremony.io.atomic import exclusive_lock, write_atomically
from ceremony.io.converter import CONVERTER, ceremony_scope, read_datetime
from ceremony.io.showfile import first_problem
from ceremony.io.syntax import Format, format_for, read_document, write_document
from ceremony.model import ActualMark, Actuals, MarkEdge, Programme
from ceremony.model.actuals import ActualExtension
from ceremony.model.programme import Ceremony
from ceremony.zones import zone


def actuals_path(show_file: str | os.PathLike[str]) -> FilePath:
    """Where a show file's actuals live: ``show.yaml`` -> ``show.actuals.yaml``."""
    path = FilePath(show_file)
    return path.with_name(f"{path.stem}.actuals{path.suffix}")


def load_actuals(path: str | os.PathLike[str], programme: Programme) -> Actuals:
    """Read an actuals file for a ceremony of ``programme`` (syntax by suffix)."""
    name = os.fspath(path)
    text = _existing_text(name)
    if text is None:
        raise ShowFileError("no such file", file=name)
    return loads_actuals(text, format_for(name), programme, file=name)


def loads_actuals(
    text: str,
    format: Format,  # noqa: A002 - the same name as loads()
    programme: Programme,
    *,
    file: str | None = None,
) -> Actuals:
    """Read actuals from ``text``; ``programme`` says what their clock times mean."""
    document = read_document(text, format, file)
    data = document.data
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ShowFileError("an actuals file is a mapping with a marks key", file=file, line=1)
    data = dict(data)
    raw_extensions = data.pop("extensions", None)
    chosen = data.get("ceremony")
    try:
        ceremony = programme.ceremony(chosen if isinstance(chosen, str) else None)
    except (UnknownIdError, TimingError) as exc:
        raise ShowFileError(
            exc.message, file=file, line=document.lines.get(("ceremony",), 1)
        ) from None
    zone_name = programme.zone_name(ceremony.venue)
    day = ceremony.start.astimezone(zone(zone_name))
    try:
        with ceremony_scope(zone_name, day):
            actuals = CONVERTER.structure(data, Actuals)
    except Exception as exc:
        raise first_problem(exc, document, file, Actuals) from None

    def problem(message: str, *path: str | int) -> ShowFileError:
        return ShowFileError(message, file=file, line=document.lines.get(path), path=path)

    extensions = _read_extensions(raw_extensions, zone_name, day, problem)
    known = {segment.id for _, segment in ceremony.walk()}
    items: list[tuple[str, list[str]]] = [
        ("marks", [mark.item for mark in actuals.marks]),
        ("extensions", [extension.item for extension in extensions]),
    ]
    for key, named in items:
        for index, item in enumerate(named):
            if item not in known:
                raise problem(f"no item {item!r} in {ceremony.id!r}", key, index, "item")
    return attrs.evolve(actuals, ceremony=actuals.ceremony or ceremony.id, extensions=extensions)


_EXTENSION_KEYS = ("item", "by", "recorded")


def _read_extensions(
    raw: Any, zone_name: str, day: datetime, problem: Callable[..., ShowFileError]
) -> tuple[ActualExtension, ...]:
    """The ``extensions`` list (``by`` is signed, which show-file durations are not)."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise problem("extensions is a list of {item, by} mappings", "extensions")
    extensions = []
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict):
            raise problem("an extension is a mapping {item, by}", "extensions", index)
        for key in entry:
            if key not in _EXTENSION_KEYS:
                raise problem(f"unknown key {key!r}", "extensions", index, key)
        for key in ("item", "by"):
            if key not in entry:
                raise problem(f"missing required key {key!r}", "extensions", index)
        try:
            by = read_extension(entry["by"])
        except ModelError as exc:
            raise problem(exc.message, "extensions", index, "by") from None
        recorded = None
        if entry.get("recorded") is not None:
            try:
                recorded = read_datetime(entry["recorded"], zone_name, day)
            except (TypeError, ValueError) as exc:
                raise problem(str(exc), "extensions", index, "recorded") from None
        try:
            extensions.append(ActualExtension(item=entry["item"], by=by, recorded=recorded))
        except ModelError as exc:
            raise problem(exc.message, "extensions", index, *exc.path) from None
    return tuple(extensions)


def read_extension(text: Any) -> timedelta:
    """A signed duration such as ``+2m`` or ``-30s``; :class:`ModelError` when it is not one."""
    if isinstance(text, bool) or not isinstance(text, str):
        raise ModelError(f"{text!r} is not a duration (write +2m or -1m30s)")
    try:
        return parse_duration(text, signed=True)
    except CeremonyError as exc:
        raise ModelError(str(exc)) from None


def dumps_actuals(actuals: Actuals, format: Format) -> str:  # noqa: A002
    """Actuals as text in ``format``."""
    data: dict[str, Any] = CONVERTER.unstructure(attrs.evolve(actuals, extensions=()))
    if actuals.extensions:
        data["extensions"] = [_extension_data(e) for e in actuals.extensions]
    return write_document(data, format)


def _extension_data(extension: ActualExtension) -> dict[str, Any]:
    data: dict[str, Any] = {
        "item": extension.item,
        "by": format_duration(extension.by, signed=True),
    }
    if extension.recorded is not None:
        data["recorded"] = extension.recorded.isoformat()
    return data


def dump_actuals(actuals: Actuals, path: str | os.PathLike[str]) -> None:
    """Write actuals to ``path`` (syntax by suffix), all or nothing."""
    write_atomically(path, dumps_actuals(actuals, format_for(os.fspath(path))))


def parse_time(
    text: str,
    programme: Programme,
    ceremony_id: str | None = None,
    *,
    lead: timedelta = timedelta(0),
) -> datetime:
    """A time as a person types it during a show, read as the ceremony reads its own.

    ``22:10`` and ``22:10:30`` fall on the ceremony's day (the next day when earlier than
    its start less ``lead``: a rehearsal clock set a few minutes before the start is read
    with a ``lead``), in its venue's zone; ISO dates and times with or without an offset
    work too.
    A time that happens twice is an :class:`~ceremony.errors.AmbiguousTimeError` asking for
    an offset (``01:30-04:00``). :class:`~ceremony.errors.ModelError` (a
    :class:`ValueError`) says what is wrong; :class:`~ceremony.errors.UnknownIdError` or
    :class:`~ceremony.errors.TimingError` that the ceremony is unknown, or not given when
    there are several.
    """
    ceremony = programme.ceremony(ceremony_id)
    zone_name = programme.zone_name(ceremony.venue)
    try:
        day_start = (ceremony.start - lead).astimezone(zone(zone_name))
        return read_datetime(text, zone_name, day_start)
    except AmbiguousTimeError as exc:  # typed, so only an offset can say which
        raise exc.typed() from None
    except ModelError:
        raise
    except (TypeError, ValueError) as exc:
        raise ModelError(str(exc)) from None


def record_mark(
    path: str | os.PathLike[str],
    programme: Programme,
    item: str,
    edge: MarkEdge | str,
    at: datetime | str,
    *,
    ceremony_id: str | None = None,
    recorded: datetime | None = None,
) -> Actuals:
    """Add one mark to the actuals file at ``path`` (made if missing); the actuals written.

    ``at`` is an aware datetime, or text as a person types it (read by :func:`parse_time`
    for the ceremony); either way the mark is written on the show's own clock. The
    ceremony is ``ceremony_id``, else the file's, else the programme's only one.

    Several recorders may write one file at once: an exclusive lock on ``.NAME.lock``
    beside it is held from the read to the write, so no mark is lost. The write is all or
    nothing and synced to disk. The new mark is appended to the text when the layout
    allows (comments stay); otherwise, and always for JSON, the file is written afresh.

    Errors are :class:`~ceremony.errors.CeremonyError`: an unknown item or ceremony, a
    time that cannot be read, a damaged file, and :class:`~ceremony.io.atomic.WriteError`
    naming the file when it cannot be written; the file is then left as it was.
    """
    return record_marks(
        path, programme, [(item, edge, at)], ceremony_id=ceremony_id, recorded=recorded
    )


def record_marks(
    path: str | os.PathLike[str],
    programme: Programme,
    marks: Sequence[tuple[str, MarkEdge | str, datetime | str]],
    *,
    ceremony_id: str | None = None,
    recorded: datetime | None = None,
) -> Actuals:
    """Add several marks ``(item, edge, at)`` to the file in one write: all or none of them.

    As :func:`record_mark` (which records one), under the same lock.
    """
    with _locked(path) as (name, syntax, text):
        before = None if text is None else loads_actuals(text, syntax, programme, file=name)
        ceremony = _ceremony_of(programme, ceremony_id, before, name)
        after = before or Actuals(ceremony=ceremony.id)
        added: list[dict[str, Any]] = []
        for item, edge, at in marks:
            _check_item(programme, ceremony, item)
            mark = ActualMark(
                item=item,
                edge=MarkEdge(edge),
                at=_on_show_clock(at, programme, ceremony),
                recorded=recorded,
            )
            after = after.record(mark.item, mark.edge, mark.at, recorded=mark.recorded)
            added.append(CONVERTER.unstructure(mark))
        write_atomically(path, _text_with(text, syntax, after, "marks", added, programme))
    return after


def record_extension(
    path: str | os.PathLike[str],
    programme: Programme,
    item: str,
    by: timedelta | str,
    *,
    ceremony_id: str | None = None,
    recorded: datetime | None = None,
) -> Actuals:
    """Add one extension to the actuals file at ``path`` (made if missing); the actuals written.

    ``by`` is a duration or signed text (``+2m``, ``-1m``): ``item`` will run that much
    longer (shorter). Locked, synced and all or nothing as :func:`record_mark` is.
    """
    with _locked(path) as (name, syntax, text):
        before = None if text is None else loads_actuals(text, syntax, programme, file=name)
        ceremony = _ceremony_of(programme, ceremony_id, before, name)
        _check_item(programme, ceremony, item)
        amount = read_extension(by) if isinstance(by, str) else by
        if recorded is not None and recorded.utcoffset() is None:
            raise ModelError(f"{recorded.isoformat()} has no time zone")
        on_clock = None if recorded is None else _on_show_clock(recorded, programme, ceremony)
        after = (before or Actuals(ceremony=ceremony.id)).extend(item, amount, recorded=on_clock)
        data = [_extension_data(after.extensions[-1])]
        write_atomically(path, _text_with(text, syntax, after, "extensions", data, programme))
    return after


def undo_mark(
    path: str | os.PathLike[str], programme: Programme, *, ceremony_id: str | None = None
) -> tuple[Actuals, ActualMark]:
    """Take the last mark out of the actuals file at ``path``: the actuals written, the mark.

    Locked, synced and all or nothing as :func:`record_mark` is; the rest of the text (its
    comments) is kept when the mark is the file's last line of marks. A file without
    marks is a :class:`~ceremony.errors.TimingError` ("nothing to undo"), left as it was.
    """
    with _locked(path) as (name, syntax, text):
        before = None if text is None else loads_actuals(text, syntax, programme, file=name)
        _ceremony_of(programme, ceremony_id, before, name)
        if before is None or not before.marks:
            raise TimingError("nothing to undo: no mark is recorded")
        after = before.without_last_mark()
        candidate = _yaml_without_last_mark(text) if syntax == "yaml" and text else None
        if candidate is None or not _reads_as(candidate, syntax, after, programme):
            candidate = dumps_actuals(after, syntax)
        write_atomically(path, candidate)
    return after, before.marks[-1]


@contextmanager
def _locked(path: str | os.PathLike[str]) -> Iterator[tuple[str, Format, str | None]]:
    """Hold the file's lock: its name, syntax and text (None when there is no file yet)."""
    name = os.fspath(path)
    syntax = format_for(name)
    real = FilePath(path).resolve()  # the file itself is replaced: lock a file beside it
    with exclusive_lock(real.with_name(f".{real.name}.lock")):
        yield name, syntax, _existing_text(name)


def _check_item(programme: Programme, ceremony: Ceremony, item: str) -> None:
    if item not in {segment.id for _, segment in ceremony.walk()}:
        missing = TimingError(f"no item {item!r} in {ceremony.id!r}", item=item)
        raise programme.locate(missing)


def _ceremony_of(
    programme: Programme, chosen: str | None, before: Actuals | None, name: str
) -> Ceremony:
    try:
        ceremony = programme.ceremony(chosen or (before.ceremony if before else None))
    except UnknownIdError as exc:
        raise TimingError(exc.message) from None
    if before is not None and before.ceremony not in {None, ceremony.id}:
        message = f"the actuals are for {before.ceremony!r}, not {ceremony.id!r}"
        raise ShowFileError(message, file=name)
    return ceremony


def _on_show_clock(at: datetime | str, programme: Programme, ceremony: Ceremony) -> datetime:
    if isinstance(at, str):
        return parse_time(at, programme, ceremony.id)
    if at.utcoffset() is None:
        raise ModelError(f"{at.isoformat()} has no time zone (marks need aware times)")
    return at.astimezone(zone(programme.zone_name(ceremony.venue)))


def _existing_text(name: str) -> str | None:
    """The file's text, None when there is no such file yet."""
    try:
        return FilePath(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (UnicodeDecodeError, OSError) as exc:
        raise ShowFileError(f"cannot read: {exc}", file=name) from None


def _text_with(  # noqa: PLR0917 - the text, what it must read as, what to append
    text: str | None,
    syntax: Format,
    after: Actuals,
    key: str,
    entries: list[dict[str, Any]],
    programme: Programme,
) -> str:
    """The file's text with ``entries`` appended to list ``key``, if that reads as ``after``.

    Otherwise (a layout this cannot extend, JSON, no file yet) the file written afresh.
    """
    candidate = text if syntax != "json" else None
    for data in entries:
        if candidate is None:
            break
        if syntax == "yaml":
            candidate = _yaml_with(candidate, data, key)
        else:
            candidate = _ended(candidate) + f"\n[[{key}]]\n" + tomli_w.dumps(data)
    if candidate is not None and _reads_as(candidate, syntax, after, programme):
        return candidate
    return dumps_actuals(after, syntax)


def _reads_as(text: str, syntax: Format, actuals: Actuals, programme: Programme) -> bool:
    try:
        return loads_actuals(text, syntax, programme) == actuals
    except ShowFileError:
        return False


def _yaml_without_last_mark(text: str) -> str | None:
    """The YAML text without the last item of its block list of marks (None: not found)."""
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode):
        return None
    for key, node in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "marks":
            if not isinstance(node, yaml.SequenceNode) or node.flow_style or not node.value:
                return None
            last = node.value[-1]
            begin = text.rfind("\n", 0, last.start_mark.index) + 1  # the line of its dash
            end = text.find("\n", _last_leaf(last).end_mark.index)
            rest = "" if end < 0 else text[end + 1 :]
            if len(node.value) == 1:
                return text[:begin].rstrip("\n") + " []\n" + rest if begin else None
            return text[:begin] + rest
    return None


def _yaml_with(text: str, data: dict[str, Any], list_key: str = "marks") -> str | None:
    """The YAML text with one more item in its block list ``list_key`` (None: not that layout)."""
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    flow = "{" + ", ".join(f"{key}: {json.dumps(value)}" for key, value in data.items()) + "}"
    if root is None:
        return _ended(text) + f"{list_key}:\n  - {flow}\n"
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        return None
    for index, (key, node) in enumerate(root.value):
        if not (isinstance(key, yaml.ScalarNode) and key.value == list_key):
            continue
        indent = " " * (key.start_mark.column + 2)
        if isinstance(node, yaml.SequenceNode) and node.flow_style and not node.value:
            head = text[: node.start_mark.index].rstrip(" ")  # marks: [] becomes a block list
            rest = text[node.end_mark.index :]
            return _after_line(head + rest, len(head), f"{indent}- {flow}\n")
        if not isinstance(node, yaml.SequenceNode) or node.flow_style:
            return None
        line = _yaml_item(data, flow, node.value[-1], node.start_mark.column, list_key)
        if index == len(root.value) - 1:
            return _ended(text) + line
        return _after_line(text, _last_leaf(node).end_mark.index, line)
    return _ended(text) + f"{list_key}:\n  - {flow}\n"


def _yaml_item(data: dict[str, Any], flow: str, last: yaml.Node, column: int, key: str) -> str:
    """The entry as a list item in the style of the ``last`` one: one line, or a block."""
    if isinstance(last, yaml.MappingNode) and not last.flow_style:
        block = write_document({key: [data]}, "yaml").split("\n", 1)[1]
        return "".join(" " * column + row + "\n" for row in block.splitlines())
    return " " * column + f"- {flow}\n"


def _last_leaf(node: yaml.Node) -> yaml.Node:
    """The last scalar or flow collection inside ``node`` (whose end mark is exact)."""
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style:
        if not node.value:
            break
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return node


def _after_line(text: str, position: int, line: str) -> str:
    """``line`` inserted after the line holding ``position``."""
    end = text.find("\n", position)
    if end < 0:
        return _ended(text) + line
    return text[: end + 1] + line + text[end + 1 :]


def _ended(text: str) -> str:
    return text if not text or text.endswith("\n") else text + "\n"
