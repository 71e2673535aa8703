"""Actuals files: the marks recorded during a live show, kept beside its show file.

``paralympic-opening.yaml`` keeps its actuals in ``paralympic-opening.actuals.yaml``::

    ceremony: paralympic-opening
    marks:
      - {item: overture, edge: start, at: "20:00:40"}
      - {item: overture, edge: end, at: "20:09:10"}

Times are read as the ceremony's own are: a bare clock time on the ceremony's day, in its
venue's zone. Errors are located like a show file's.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path as FilePath

from ceremony.errors import ShowFileError
from ceremony.io.atomic import write_atomically
from ceremony.io.converter import ceremony_scope, make_converter, structure_datetime
from ceremony.io.showfile import first_problem
from ceremony.io.syntax import Format, format_for, read_document, write_document
from ceremony.model import Actuals, Programme
from ceremony.timing.engine import pick_ceremony
from ceremony.zones import zone

_converter = make_converter()


def actuals_path(show_file: str | os.PathLike[str]) -> FilePath:
    """Where a show file's actuals live: ``show.yaml`` -> ``show.actuals.yaml``."""
    path = FilePath(show_file)
    return path.with_name(f"{path.stem}.actuals{path.suffix}")


def load_actuals(path: str | os.PathLike[str], programme: Programme) -> Actuals:
    """Read an actuals file for a ceremony of ``programme`` (syntax by suffix)."""
    name = os.fspath(path)
    try:
        text = FilePath(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ShowFileError("no such file", file=name) from None
    except (UnicodeDecodeError, OSError) as exc:
        raise ShowFileError(f"cannot read: {exc}", file=name) from None
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
        ceremony = pick_ceremony(programme, chosen if isinstance(chosen, str) else None)
    except (KeyError, ValueError) as exc:
        message = exc.args[0] if exc.args else str(exc)
        raise ShowFileError(
            str(message), file=file, line=document.lines.get(("ceremony",), 1)
        ) from None
    zone_name = programme.zone_name(ceremony.venue)
    try:
        with ceremony_scope(zone_name, ceremony.start.astimezone(zone(zone_name))):
            actuals = _converter.structure(data, Actuals)
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
    return write_document(_converter.unstructure(actuals), format)


def dump_actuals(actuals: Actuals, path: str | os.PathLike[str]) -> None:
    """Write actuals to ``path`` (syntax by suffix), all or nothing."""
    write_atomically(path, dumps_actuals(actuals, format_for(os.fspath(path))))


def parse_time(text: str, programme: Programme, ceremony_id: str | None = None) -> datetime:
    """A time as a person types it during a show, read as the ceremony reads its own.

    ``22:10`` and ``22:10:30`` fall on the ceremony's day (the next day when earlier than
    its start), in its venue's zone; ISO dates and times with or without an offset work too.
    :class:`ValueError` says what is wrong.
    """
    ceremony = pick_ceremony(programme, ceremony_id)
    zone_name = programme.zone_name(ceremony.venue)
    with ceremony_scope(zone_name, ceremony.start.astimezone(zone(zone_name))):
        try:
            return structure_datetime(text)
        except TypeError as exc:
            raise ValueError(str(exc)) from None
