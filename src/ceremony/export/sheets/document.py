"""One call from a programme to a finished sheet: what ``ceremony sheet`` does, in Python."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Literal, overload

from ceremony.errors import ModelError
from ceremony.export.feeds import FilterLike
from ceremony.export.sheets.cuesheet import CueSheet, cue_sheet
from ceremony.export.sheets.html import render_html, render_pdf
from ceremony.export.sheets.plain import render_markdown, render_text
from ceremony.export.sheets.rows import Backtime, build_sheet
from ceremony.export.sheets.table import render_csv
from ceremony.export.sheets.view import Orientation, Paper, Sheet
from ceremony.extras import needs_extra
from ceremony.model import Actuals, Programme
from ceremony.revisions import Changes
from ceremony.timing import resolve, resolve_all, resolve_schedule

SheetFormat = Literal["html", "pdf", "md", "txt", "csv"]
SHEET_FORMATS: tuple[SheetFormat, ...] = ("html", "pdf", "md", "txt", "csv")
"""The formats :func:`render_sheet` writes (also the file extensions)."""
TextFormat = Literal["html", "md", "txt", "csv"]
"""The sheet formats that are text."""
BinaryFormat = Literal["pdf", "xlsx"]
"""The sheet formats that are bytes."""


def prepare_sheet(
    programme: Programme,
    *,
    printed_at: datetime,
    ceremony: str | None = None,
    schedule: bool = False,
    since: Programme | None = None,
    changes: Changes | None = None,
    tz: Iterable[str] = (),
    backtime: bool | Backtime = False,
    actuals: Actuals | None = None,
    now: datetime | None = None,
    public: bool = False,
    paper: Paper = "A4",
    orientation: Orientation = "landscape",
    where: FilterLike | None = None,
) -> Sheet:
    """The run-of-show :class:`Sheet` that ``ceremony sheet`` lays out, before any cutting.

    The competition schedule with ``schedule`` (or when the programme has no ceremony and
    none is named); else the ceremony's, live when ``actuals`` or ``now`` is given. Changes
    are marked against ``since`` (the previous revision) or as ``changes`` (a diff the
    caller has), as :func:`build_sheet` does, which also says what ``backtime``
    (``"expected"`` or ``"worst"``) and ``where`` (a schedule's ``delegation=AZE``) do.
    """
    schedule = schedule or (not programme.ceremonies and ceremony is None)
    if schedule and (actuals is not None or now is not None):
        raise ModelError("actuals and now are for a ceremony, not the schedule")
    if schedule:
        timeline = resolve_schedule(programme)
    elif actuals is not None or now is not None:
        [timeline] = resolve_all(programme, ceremony=ceremony, actuals=actuals, now=now)
    else:
        timeline = resolve(programme, ceremony=programme.ceremony(ceremony).id)
    return build_sheet(
        programme,
        timeline,
        printed_at=printed_at,
        extra_zones=tz,
        backtime=backtime,
        public=public,
        since=since,
        changes=changes,
        paper=paper,
        orientation=orientation,
        where=where,
    )


@overload
def sheet(
    programme: Programme,
    *,
    format: TextFormat = "txt",
    printed_at: datetime,
    ceremony: str | None = None,
    schedule: bool = False,
    department: str | None = None,
    since: Programme | None = None,
    changes: Changes | None = None,
    tz: Iterable[str] = (),
    backtime: bool = False,
    actuals: Actuals | None = None,
    now: datetime | None = None,
    public: bool = False,
    paper: Paper = "A4",
    orientation: Orientation | None = None,
    templates: Path | str | None = None,
) -> str: ...


@overload
def sheet(
    programme: Programme,
    *,
    format: BinaryFormat,
    printed_at: datetime,
    ceremony: str | None = None,
    schedule: bool = False,
    department: str | None = None,
    since: Programme | None = None,
    changes: Changes | None = None,
    tz: Iterable[str] = (),
    backtime: bool = False,
    actuals: Actuals | None = None,
    now: datetime | None = None,
    public: bool = False,
    paper: Paper = "A4",
    orientation: Orientation | None = None,
    templates: Path | str | None = None,
) -> bytes: ...


@overload
def sheet(
    programme: Programme,
    *,
    format: TextFormat | BinaryFormat,
    printed_at: datetime,
    ceremony: str | None = None,
    schedule: bool = False,
    department: str | None = None,
    since: Programme | None = None,
    changes: Changes | None = None,
    tz: Iterable[str] = (),
    backtime: bool = False,
    actuals: Actuals | None = None,
    now: datetime | None = None,
    public: bool = False,
    paper: Paper = "A4",
    orientation: Orientation | None = None,
    templates: Path | str | None = None,
) -> str | bytes: ...


def sheet(
    programme: Programme,
    *,
    format: TextFormat | BinaryFormat = "txt",  # noqa: A002 - named as the --format option
    printed_at: datetime,
    ceremony: str | None = None,
    schedule: bool = False,
    department: str | None = None,
    since: Programme | None = None,
    changes: Changes | None = None,
    tz: Iterable[str] = (),
    backtime: bool = False,
    actuals: Actuals | None = None,
    now: datetime | None = None,
    public: bool = False,
    paper: Paper = "A4",
    orientation: Orientation | None = None,
    templates: Path | str | None = None,
) -> str | bytes:
    """The run-of-show (or, with ``department``, that department's cue sheet) as a document.

    What ``ceremony sheet`` writes with the same options: text for ``html``, ``md``,
    ``txt`` and ``csv``, bytes for ``pdf`` and ``xlsx``. ``printed_at`` is the time in
    the header (nothing here reads the clock). ``ceremony`` names the ceremony when there
    are several; ``schedule`` asks for the competition schedule instead. ``since`` is the
    previous revision, whose changes are marked (or ``changes``, the diff when the caller
    has it already); ``tz`` adds clock columns; ``actuals`` and
    ``now`` make it the live sheet. ``orientation`` defaults to landscape for the
    run-of-show, portrait for a cue sheet; ``templates`` (HTML and PDF) is a folder whose
    files replace the shipped templates.

    ``xlsx`` is the ceremony's run-of-show to edit in a spreadsheet (and import back): of
    the other options only ``ceremony`` applies to it.
    """
    if format == "xlsx":
        with needs_extra("xlsx", "XLSX output"):
            from ceremony.export.xlsx import run_of_show_xlsx  # noqa: PLC0415 - the xlsx extra

        chosen = programme.ceremony(ceremony)
        return run_of_show_xlsx(programme, chosen, resolve(programme, ceremony=chosen.id))
    made = prepare_sheet(
        programme,
        printed_at=printed_at,
        ceremony=ceremony,
        schedule=schedule,
        since=since,
        changes=changes,
        tz=tz,
        backtime=backtime,
        actuals=actuals,
        now=now,
        public=public,
        paper=paper,
        orientation=orientation or ("landscape" if department is None else "portrait"),
    )
    document: Sheet | CueSheet = made if department is None else cue_sheet(made, department)
    return render_sheet(document, format, templates=templates)


def render_sheet(
    sheet: Sheet | CueSheet, fmt: SheetFormat, *, templates: Path | str | None = None
) -> str | bytes:
    """The sheet in format ``fmt``: bytes for ``pdf``, text for the others.

    ``templates`` (HTML and PDF only) is a folder whose files replace the shipped templates.
    """
    if fmt == "html":
        return render_html(sheet, templates=templates)
    if fmt == "pdf":
        return render_pdf(sheet, templates=templates)
    if fmt == "md":
        return render_markdown(sheet)
    if fmt == "txt":
        return render_text(sheet)
    if fmt == "csv":
        return render_csv(sheet)
    raise ModelError(f"unknown sheet format {fmt!r}; one of {', '.join(SHEET_FORMATS)}")
