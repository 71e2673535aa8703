"""The ``import`` commands: ODF messages and spreadsheets into a show file."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click
from rich.markup import escape

from ceremony.cli.output import (
    check_zones,
    counted,
    err_console,
    fail,
    options,
    out_console,
    print_finding,
)
from ceremony.durations import parse_duration
from ceremony.errors import CeremonyError
from ceremony.extras import needs_extra
from ceremony.io import dump, load
from ceremony.io.importing import Imported
from ceremony.io.mapping import SHIPPED, TableKind, load_mapping
from ceremony.io.run_of_show_table import import_run_of_show
from ceremony.io.schedule_table import import_sessions
from ceremony.io.tables import read_table

_SHOWN_PER_CODE = 5


@click.group("import")
def import_group() -> None:
    """Import schedules from ODF messages or spreadsheets into a show file."""


_IMPORT_OPTIONS = (
    click.option(
        "-o",
        "--output",
        required=True,
        type=click.Path(dir_okay=False),
        help="The show file to write (.yaml, .toml or .json); written whole or not at all.",
    ),
    click.option(
        "--venue-zone",
        "venue_zones",
        multiple=True,
        metavar="CODE=ZONE",
        help="A venue's IANA zone, when it is not the default (repeatable).",
    ),
    click.option(
        "-v",
        "--verbose",
        is_flag=True,
        help=f"List every finding (otherwise the first {_SHOWN_PER_CODE} of each kind).",
    ),
)
"""The options every importer has: where to write, venues' zones, how much to report."""


def _venue_zone_pairs(pairs: tuple[str, ...]) -> dict[str, str]:
    named: dict[str, str] = {}
    for pair in pairs:
        code, sep, name = pair.partition("=")
        if not sep or not code.strip():
            raise click.BadParameter(f"{pair!r} is not CODE=ZONE", param_hint="--venue-zone")
        check_zones((name.strip(),), "--venue-zone")
        named[code.strip()] = name.strip()
    return named


def _report_import(imported: Imported, output: str, sources: str, *, verbose: bool) -> None:
    """Print the findings (the first few of each kind unless verbose) and what was written."""
    err = err_console()
    shown: Counter[str] = Counter()
    for item in imported.findings:
        shown[item.code] += 1
        if verbose or shown[item.code] <= _SHOWN_PER_CODE:
            print_finding(err, item)
    for code, count in sorted(shown.items()):
        if not verbose and count > _SHOWN_PER_CODE:
            more = count - _SHOWN_PER_CODE
            err.print(f"[dim]... and {more} more \\[{code}] (--verbose lists them all)[/]")
    summary = imported.summary()
    if not summary.sessions and summary.ceremonies:
        shows = ", ".join(f"{ceremony} ({items} items)" for ceremony, items in summary.ceremonies)
        out_console().print(f"{escape(output)}: {escape(shows)} from {escape(sources)}")
        return
    out_console().print(
        f"{escape(output)}: {summary.sessions} sessions and units ({summary.inside} inside "
        f"sessions) from {escape(sources)}: {summary.timeless} without times, "
        f"{summary.cancelled} cancelled, {summary.medal_units} medal units; "
        f"{summary.venues} venues; {counted(summary.warnings, 'warning')}, "
        f"{counted(summary.notes, 'note')}"
    )


@import_group.command("odf")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@options(_IMPORT_OPTIONS)
@click.option(
    "--timezone",
    required=True,
    metavar="ZONE",
    help="The IANA zone of the venues (those not given by --venue-zone).",
)
@click.option("--name", metavar="TEXT", help="The programme's name (default: the competition).")
def import_odf_command(  # noqa: PLR0917 - one parameter per option
    files: tuple[str, ...],
    output: str,
    venue_zones: tuple[str, ...],
    verbose: bool,
    timezone: str,
    name: str | None,
) -> None:
    """Import ODF DT_SCHEDULE messages FILES (one per discipline) into one show file.

    A later message for a discipline replaces an earlier one. Inconsistencies in the
    messages are reported as findings; the import goes on. Exits 2, writing nothing, when a
    file cannot be read.
    """
    named = _venue_zone_pairs(venue_zones)
    check_zones((timezone,), "--timezone")
    try:
        with needs_extra("odf", "ceremony import odf"):
            from ceremony.io.odf import import_odf  # noqa: PLC0415 - the odf extra

        imported = import_odf(files, timezone=timezone, venue_zones=named, name=name)
        dump(imported.programme, output)
    except CeremonyError as error:
        fail(error)
        return
    count = f"{len(files)} file" + ("" if len(files) == 1 else "s")
    _report_import(imported, output, count, verbose=verbose)


@import_group.command("table")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--map",
    "mapping_name",
    required=True,
    metavar="MAPPING",
    help=f"A mapping file, or a shipped mapping: {', '.join(SHIPPED)}.",
)
@options(_IMPORT_OPTIONS)
@click.option("--timezone", metavar="ZONE", help="The venues' zone (overrides the mapping's).")
@click.option(
    "--default-duration",
    metavar="DURATION",
    help="The length of a row with no end (overrides the mapping's), e.g. 2h.",
)
@click.option("--name", metavar="TEXT", help="The programme's name (overrides the mapping's).")
@click.option("--sheet", metavar="NAME", help="The XLSX sheet to read (default: the first).")
@click.option(
    "--into",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Run-of-show: put the ceremony into this programme (its people, venues ...).",
)
@click.option(
    "--ceremony",
    "ceremony_id",
    metavar="ID",
    help="Run-of-show: the ceremony the sheet is (default: the programme's only one).",
)
def import_table_command(  # noqa: PLR0917 - one parameter per option
    file: str,
    mapping_name: str,
    output: str,
    venue_zones: tuple[str, ...],
    verbose: bool,
    timezone: str | None,
    default_duration: str | None,
    name: str | None,
    sheet: str | None,
    into: str | None,
    ceremony_id: str | None,
) -> None:
    """Import a spreadsheet FILE (.csv or .xlsx) read with the column mapping MAPPING.

    A sessions mapping makes a programme of competition sessions; a run-of-show mapping
    makes a ceremony. Exits 2, writing nothing, when a cell cannot be read.
    """
    named = _venue_zone_pairs(venue_zones)
    check_zones((timezone,) if timezone else (), "--timezone")
    length = None
    if default_duration is not None:
        try:
            length = parse_duration(default_duration)
        except CeremonyError as error:
            raise click.BadParameter(str(error), param_hint="--default-duration") from None
    try:
        mapping = load_mapping(mapping_name)
        table = read_table(file, sheet=sheet)
        if mapping.table is TableKind.SESSIONS:
            imported = import_sessions(
                table,
                mapping,
                timezone=timezone,
                venue_zones=named,
                default_duration=length,
                name=name,
            )
        else:
            base = load(into) if into else None
            imported = import_run_of_show(
                table, mapping, programme=base, ceremony=ceremony_id, timezone=timezone, name=name
            )
        dump(imported.programme, output)
    except CeremonyError as error:
        fail(error)
        return
    _report_import(imported, output, Path(file).name, verbose=verbose)
