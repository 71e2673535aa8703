"""The ``sheet`` command: the run-of-show, or a department's cues, as a document."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Literal

import click
from rich.markup import escape

from ceremony.cli.output import (
    CLOCK_OPTIONS,
    EXIT_UNREADABLE,
    check_zones,
    err_console,
    fail,
    live_inputs,
    load_or_fail,
    now_utc,
    options,
    print_error,
)
from ceremony.errors import CeremonyError
from ceremony.export.sheets import (
    SHEET_FORMATS,
    CueSheet,
    Sheet,
    SheetFormat,
    cue_sheet,
    cue_sheets,
    prepare_sheet,
    render_sheet,
)
from ceremony.export.sheets.rows import Backtime
from ceremony.export.sheets.view import Orientation, Paper
from ceremony.extras import needs_extra
from ceremony.io.atomic import write_atomically
from ceremony.slugs import slug
from ceremony.timing import resolve

_BACKTIME = click.option(
    "--backtime",
    type=click.Choice(["expected", "worst"]),
    is_flag=False,
    flag_value="expected",
    default=None,
    help="Show when each item must start by to land the show on its hard out: if what "
    "follows runs its expected length (bare --backtime), or its longest (worst).",
)
"""``--backtime [expected|worst]``: the sheet's back-timing, bare as the timeline's flag."""


@click.command("sheet")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--ceremony", "ceremony_id", metavar="ID", help="The ceremony (if several).")
@click.option(
    "--schedule",
    is_flag=True,
    help="The competition schedule instead of a ceremony (the default with no ceremony).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice([*SHEET_FORMATS, "xlsx"]),
    help="html, pdf, md, txt, csv, or xlsx to edit in a spreadsheet "
    "(default: from -o's extension, else txt).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(),
    metavar="PATH",
    help="Write here (written all or nothing); a folder with --all-departments.",
)
@options([*CLOCK_OPTIONS[:1], _BACKTIME, *CLOCK_OPTIONS[2:]])  # --backtime takes a choice here
@click.option(
    "--where",
    "where",
    multiple=True,
    metavar="FACET=VALUE",
    help="Only the schedule's sessions that match, as for feeds: delegation=AZE, "
    "sport=Para Swimming (repeatable: all must match).",
)
@click.option("--public", is_flag=True, help="Leave out crew-only items and department cues.")
@click.option("--department", metavar="NAME", help="Only this department's cues (a cue sheet).")
@click.option(
    "--all-departments", is_flag=True, help="One cue sheet per department, into the -o folder."
)
@click.option(
    "--since",
    "since_file",
    type=click.Path(dir_okay=False),
    metavar="OLD_FILE",
    help="Mark what changed since this previous revision.",
)
@click.option(
    "--template",
    "template_dir",
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Templates in DIR replace the shipped ones of the same name (HTML and PDF).",
)
@click.option("--paper", type=click.Choice(["A4", "Letter"]), default="A4", show_default=True)
@click.option(
    "--orientation",
    type=click.Choice(["landscape", "portrait"]),
    help="Default: landscape for the run-of-show, portrait for cue sheets.",
)
@click.option(
    "--printed-at",
    metavar="TIME",
    help="The 'printed at' time in the header (ISO 8601 with offset; default: now).",
)
def sheet_command(
    *,
    file: str,
    ceremony_id: str | None,
    schedule: bool,
    output_format: SheetFormat | Literal["xlsx"] | None,
    output: str | None,
    zones: tuple[str, ...],
    backtime: Backtime | None,
    where: tuple[str, ...],
    actuals_file: str | None,
    now: str | None,
    public: bool,
    department: str | None,
    all_departments: bool,
    since_file: str | None,
    template_dir: str | None,
    paper: Paper,
    orientation: Orientation | None,
    printed_at: str | None,
) -> None:
    """Print the run-of-show of FILE as HTML, PDF, Markdown, text or CSV.

    With --department, one department's cue sheet; with --since, what changed since the
    previous revision is marked in the margin.
    """
    check_zones(zones)
    fmt = output_format or _format_of(output)
    if fmt == "xlsx":
        _write_xlsx(file, ceremony_id, output)
        return
    if all_departments and (output is None or department is not None):
        raise click.UsageError("--all-departments writes a folder of files: give -o DIR")
    if fmt == "pdf" and output is None:
        raise click.UsageError("PDF is binary: give -o FILE.pdf")
    printed = _printed_at(printed_at)
    programme = load_or_fail(file)
    previous = load_or_fail(since_file) if since_file is not None else None
    schedule = schedule or (not programme.ceremonies and ceremony_id is None)
    if schedule and (actuals_file or now):
        raise click.UsageError("--actuals and --now are for a ceremony, not the schedule")
    if where and not schedule:
        raise click.UsageError("--where narrows the competition schedule: add --schedule")
    try:
        actuals, moment = (
            live_inputs(programme, ceremony_id, actuals_file, now)
            if actuals_file is not None or now is not None
            else (None, None)
        )
        cue_only = department is not None or all_departments
        sheet = prepare_sheet(
            programme,
            printed_at=printed,
            ceremony=ceremony_id,
            schedule=schedule,
            since=previous,
            tz=zones,
            backtime=backtime or False,
            actuals=actuals,
            now=moment,
            public=public,
            paper=paper,
            orientation=orientation or ("portrait" if cue_only else "landscape"),
            where=where or None,
        )
        documents = _documents(sheet, department, output, fmt, all_departments=all_departments)
        rendered = [
            (render_sheet(doc, fmt, templates=template_dir), path) for doc, path in documents
        ]
    except ModuleNotFoundError as error:
        print_error(str(error))
        sys.exit(EXIT_UNREADABLE)
    except CeremonyError as error:
        fail(error)
        return
    for content, path in rendered:
        if path is None:
            click.echo(content, nl=False)
            continue
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, content)
        err_console().print(f"wrote {escape(path)}")


def _documents(
    sheet: Sheet, department: str | None, output: str | None, fmt: str, *, all_departments: bool
) -> list[tuple[Sheet | CueSheet, str | None]]:
    """What to write where: the sheet, one department's cues, or every department's."""
    if not all_departments:
        return [(sheet if department is None else cue_sheet(sheet, department), output)]
    folder = Path(output or ".")
    return [
        (cues, str(folder / f"{sheet.header.item_id}-{slug(cues.department)}.{fmt}"))
        for cues in cue_sheets(sheet)
    ]


def _write_xlsx(file: str, ceremony_id: str | None, output: str | None) -> None:
    """The run-of-show as an XLSX workbook to edit (and import back with run-of-show)."""
    if output is None:
        raise click.UsageError("XLSX is binary: give -o FILE.xlsx")
    programme = load_or_fail(file)
    try:
        with needs_extra("xlsx", "XLSX output"):
            from ceremony.export.xlsx import run_of_show_xlsx  # noqa: PLC0415 - the xlsx extra

        ceremony = programme.ceremony(ceremony_id)
        timeline = resolve(programme, ceremony=ceremony.id)
        content = run_of_show_xlsx(programme, ceremony, timeline)
    except CeremonyError as error:
        fail(error)
        return
    write_atomically(output, content)
    err_console().print(f"wrote {escape(output)}")


def _format_of(output: str | None) -> SheetFormat | Literal["xlsx"]:
    suffix = Path(output).suffix.lstrip(".").lower() if output else ""
    formats: dict[str, SheetFormat | Literal["xlsx"]] = {fmt: fmt for fmt in SHEET_FORMATS}
    formats["xlsx"] = "xlsx"
    formats.update({"htm": "html", "markdown": "md", "text": "txt"})
    return formats.get(suffix, "txt")


def _printed_at(text: str | None) -> datetime:
    if text is None:
        return now_utc()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is not an ISO 8601 time", param_hint="--printed-at"
        ) from None
    if moment.tzinfo is None:
        raise click.BadParameter(f"{text!r} has no UTC offset", param_hint="--printed-at")
    return moment
