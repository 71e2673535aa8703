"""Actuals files: the marks recorded during a live show, kept beside its show file.

``paralympic-opening.yaml`` keeps its actuals in ``paralympic-opening.actuals.yaml``::

    ceremony: paralympic-opening
    marks:
      - {item: overture, edge: start, at: "20:00:40"}
      - {item: overture, edge: end, at: "20:09:10"}

Times are read as the ceremony's own are: a bare clock time on the ceremony's day, in its
venue's zone. Errors are located like a show file's.

:func:`record_mark` adds one mark to the file: safely with several recorders at once,
durably, and keeping the file's comments.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path as FilePath
from typing import Any

import tomli_w
import yaml

from ceremony.errors import ModelError, ShowFileError, TimingError, UnknownIdError
from ceremony.io.atomic import exclusive_lock, write_atomically
from ceremony.io.converter import CONVERTER, ceremony_scope, read_datetime
from ceremony.io.showfile import first_problem
from ceremony.io.syntax import Format, format_for, read_document, write_document
from ceremony.model import ActualMark, Actuals, MarkEdge, Programme
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
    chosen = data.get("ceremony")
    try:
        ceremony = programme.ceremony(chosen if isinstance(chosen, str) else None)
    except (UnknownIdError, TimingError) as exc:
        raise ShowFileError(
            exc.message, file=file, line=document.lines.get(("ceremony",), 1)
        ) from None
    zone_name = programme.zone_name(ceremony.venue)
    try:
        with ceremony_scope(zone_name, ceremony.start.astimezone(zone(zone_name))):
            actuals = CONVERTER.structure(data, Actuals)
    except Exception as exc:
        raise first_problem(exc, document, file, Actuals) from None
    known = {segment.id for _, segment in ceremony.walk()}
    for index, mark in enumerate(actuals.marks):
        if mark.item not in known:
            raise ShowFileError(
                f"no item {mark.item!r} in {ceremony.id!r}",
                file=file,
                line=document.lines.get(("marks", index, "item")),
                path=("marks", index, "item"),
            )
    if actuals.ceremony is None:
        actuals = Actuals(ceremony=ceremony.id, marks=actuals.marks)
    return actuals


def dumps_actuals(actuals: Actuals, format: Format) -> str:  # noqa: A002
    """Actuals as text in ``format``."""
    return write_document(CONVERTER.unstructure(actuals), format)


def dump_actuals(actuals: Actuals, path: str | os.PathLike[str]) -> None:
    """Write actuals to ``path`` (syntax by suffix), all or nothing."""
    write_atomically(path, dumps_actuals(actuals, format_for(os.fspath(path))))


def parse_time(text: str, programme: Programme, ceremony_id: str | None = None) -> datetime:
    """A time as a person types it during a show, read as the ceremony reads its own.

    ``22:10`` and ``22:10:30`` fall on the ceremony's day (the next day when earlier than
    its start), in its venue's zone; ISO dates and times with or without an offset work too.
    :class:`~ceremony.errors.ModelError` (a :class:`ValueError`) says what is wrong;
    :class:`~ceremony.errors.UnknownIdError` or :class:`~ceremony.errors.TimingError` that
    the ceremony is unknown, or not given when there are several.
    """
    ceremony = programme.ceremony(ceremony_id)
    zone_name = programme.zone_name(ceremony.venue)
    try:
        return read_datetime(text, zone_name, ceremony.start.astimezone(zone(zone_name)))
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
    name = os.fspath(path)
    syntax = format_for(name)
    real = FilePath(path).resolve()  # the file itself is replaced: lock a file beside it
    with exclusive_lock(real.with_name(f".{real.name}.lock")):
        text = _existing_text(name)
        before = None if text is None else loads_actuals(text, syntax, programme, file=name)
        ceremony = _ceremony_of(programme, ceremony_id, before, name)
        if item not in {segment.id for _, segment in ceremony.walk()}:
            missing = TimingError(f"no item {item!r} in {ceremony.id!r}", item=item)
            raise programme.locate(missing)
        mark = ActualMark(
            item=item,
            edge=MarkEdge(edge),
            at=_on_show_clock(at, programme, ceremony),
            recorded=recorded,
        )
        after = (before or Actuals(ceremony=ceremony.id)).record(
            mark.item, mark.edge, mark.at, recorded=mark.recorded
        )
        write_atomically(path, _text_with(text, syntax, after, mark, programme))
    return after


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


def _text_with(
    text: str | None,
    syntax: Format,
    after: Actuals,
    mark: ActualMark,
    programme: Programme,
) -> str:
    """The file's text with ``mark`` appended, if that reads back as ``after``; else afresh."""
    if text is not None and syntax != "json":
        data: dict[str, Any] = CONVERTER.unstructure(mark)
        candidate = _yaml_with(text, data) if syntax == "yaml" else _toml_with(text, data)
        if candidate is not None:
            try:
                if loads_actuals(candidate, syntax, programme) == after:
                    return candidate
            except ShowFileError:
                pass
    return dumps_actuals(after, syntax)


def _toml_with(text: str, data: dict[str, Any]) -> str:
    return _ended(text) + "\n[[marks]]\n" + tomli_w.dumps(data)


def _yaml_with(text: str, data: dict[str, Any]) -> str | None:
    """The YAML text with one more item in its block list of marks (None: not that layout)."""
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    flow = "{" + ", ".join(f"{key}: {json.dumps(value)}" for key, value in data.items()) + "}"
    if root is None:
        return _ended(text) + f"marks:\n  - {flow}\n"
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        return None
    for index, (key, node) in enumerate(root.value):
        if not (isinstance(key, yaml.ScalarNode) and key.value == "marks"):
            continue
        indent = " " * (key.start_mark.column + 2)
        if isinstance(node, yaml.SequenceNode) and node.flow_style and not node.value:
            head = text[: node.start_mark.index].rstrip(" ")  # marks: [] becomes a block list
            rest = text[node.end_mark.index :]
            return _after_line(head + rest, len(head), f"{indent}- {flow}\n")
        if not isinstance(node, yaml.SequenceNode) or node.flow_style:
            return None
        line = _yaml_item(data, flow, node.value[-1], node.start_mark.column)
        if index == len(root.value) - 1:
            return _ended(text) + line
        return _after_line(text, _last_leaf(node).end_mark.index, line)
    return _ended(text) + f"marks:\n  - {flow}\n"


def _yaml_item(data: dict[str, Any], flow: str, last: yaml.Node, column: int) -> str:
    """The mark as a list item in the style of the ``last`` one: one line, or a block."""
    if isinstance(last, yaml.MappingNode) and not last.flow_style:
        block = write_document({"marks": [data]}, "yaml").split("\n", 1)[1]
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
