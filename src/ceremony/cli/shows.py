"""The commands on show files: ``check``, ``timeline``, ``record``, ``diff``."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import click
from rich.markup import escape

from ceremony.checks import check
from ceremony.cli.output import (
    EXIT_FINDINGS,
    EXIT_UNREADABLE,
    check_zones,
    clock_options,
    counted,
    err_console,
    fail,
    live_inputs,
    load_or_fail,
    out_console,
    print_finding,
    problem_lines,
)
from ceremony.durations import format_duration
from ceremony.errors import CeremonyError
from ceremony.export.changes import changelog_lines, changes_to_dict
from ceremony.export.table import over_under, timeline_table
from ceremony.export.timeline import clock, timeline_to_dict
from ceremony.findings import Severity
from ceremony.io import load
from ceremony.io.actualsfile import actuals_path, record_mark
from ceremony.model import MarkEdge
from ceremony.revisions import diff
from ceremony.timing import Timeline, resolve, resolve_all
from ceremony.zones import UTC, zone


@click.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def check_command(files: tuple[str, ...]) -> None:
    """Report the findings of each show file FILE.

    A file that cannot be read reports every problem found in it (up to 50), one a line.
    Exits 0 when clean, 1 when there are errors, 2 when a file cannot be read.
    """
    out, err = out_console(), err_console()
    unreadable = errors = warnings = 0
    for path in files:
        try:
            programme = load(path)
        except CeremonyError as error:
            for problem in problem_lines(error):
                err.print(f"[bold red]error:[/] {escape(problem)}")
            unreadable += 1
            continue
        findings = check(programme)
        for finding in findings:
            print_finding(out, finding)
        errors += sum(f.severity is Severity.ERROR for f in findings)
        warnings += sum(f.severity is Severity.WARNING for f in findings)
    files_word = "file" if len(files) == 1 else "files"
    summary = (
        f"{len(files)} {files_word}: {counted(errors, 'error')}, {counted(warnings, 'warning')}"
    )
    if unreadable:
        summary += f", {unreadable} unreadable"
    out.print(summary)
    if unreadable:
        sys.exit(EXIT_UNREADABLE)
    if errors:
        sys.exit(EXIT_FINDINGS)


@click.command("timeline")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--ceremony",
    "ceremony_id",
    metavar="ID",
    help="Only this ceremony (default: every ceremony, then the sessions).",
)
@clock_options
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="A table for people, JSON for programs.",
)
def timeline_command(
    *,
    file: str,
    ceremony_id: str | None,
    zones: tuple[str, ...],
    backtime: bool,
    actuals_file: str | None,
    now: str | None,
    output: str,
) -> None:
    """Print the resolved run-of-show of FILE: clock time, duration, running time, who.

    With --actuals (and --now), the plan is shown beside what really happened and the
    projection of what is still to come.
    """
    check_zones(zones)
    programme = load_or_fail(file)
    try:
        actuals, moment = live_inputs(programme, ceremony_id, actuals_file, now)
        timelines = resolve_all(programme, ceremony=ceremony_id, actuals=actuals, now=moment)
    except CeremonyError as error:
        fail(error)
        return
    if output == "json":
        data = {
            "programme": programme.name,
            "revision": programme.revision,
            "timelines": [
                timeline_to_dict(t, zones[0] if zones else None, programme=programme)
                for t in timelines
            ],
        }
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    out = out_console()
    for timeline in timelines:
        table = timeline_table(
            timeline, zones, width=out.width, backtime=backtime, programme=programme
        )
        out.print(table, soft_wrap=False)  # its title and caption wrap to the width
        out.print()


@click.command("record")
@click.argument("file", type=click.Path(dir_okay=False))
@click.argument("item")
@click.argument("edge", type=click.Choice(["start", "end"]))
@click.option(
    "--at",
    "at",
    metavar="TIME",
    help="When it happened (22:10:30, or a full date and time); default: now.",
)
@click.option(
    "--actuals",
    "actuals_file",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="The actuals file (default: beside FILE, e.g. show.actuals.yaml).",
)
@click.option("--ceremony", "ceremony_id", metavar="ID", help="The ceremony (if several).")
def record_command(
    *,
    file: str,
    item: str,
    edge: str,
    at: str | None,
    actuals_file: str | None,
    ceremony_id: str | None,
) -> None:
    """Record that ITEM of show FILE started or ended (EDGE), and show where that leaves it.

    The mark is added to the actuals file beside FILE (written all or nothing, synced to
    disk, its comments kept); several recorders may write one file at once.
    """
    programme = load_or_fail(file)
    target = Path(actuals_file) if actuals_file else actuals_path(file)
    # The edge of the program: the only place ceremony reads the clock (to the second).
    moment = at if at is not None else datetime.now(UTC).replace(microsecond=0)
    try:
        actuals = record_mark(
            target, programme, item, MarkEdge(edge), moment, ceremony_id=ceremony_id
        )
        when = actuals.marks[-1].at
        timeline = resolve(programme, ceremony=actuals.ceremony, actuals=actuals, now=when)
    except CeremonyError as error:
        fail(error)
        return
    home = zone(timeline.zone)
    out = out_console()
    at_clock = clock(when, home, day_of=timeline.start)
    out.print(f"{escape(item)} {edge} at {at_clock} → {escape(str(target))}")
    out.print(escape(_summary(timeline)))


def _summary(timeline: Timeline) -> str:
    home = zone(timeline.zone)
    text = f"projected end {clock(timeline.end.expected, home, day_of=timeline.start)}"
    if timeline.late:
        text += f" ({format_duration(timeline.late, signed=True)} against the plan)"
    if timeline.over_under is not None:
        verdict = over_under(timeline.over_under)
        text += f"; {verdict} the hard out" if timeline.over_under else "; on time for the hard out"
    return text


@click.command("diff")
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option("--tz", "tz", metavar="ZONE", help="Show times in this IANA zone.")
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="A changelog for people, JSON for programs.",
)
def diff_command(old: str, new: str, tz: str | None, output: str) -> None:
    """What changed from show file OLD to NEW: items added, removed, retimed, moved ...

    Exits 0 when nothing changed, 1 when something did, 2 when a file cannot be read.
    """
    check_zones((tz,) if tz else ())
    before, after = load_or_fail(old), load_or_fail(new)
    try:
        changes = diff(before, after)
    except CeremonyError as error:
        fail(error)
        return
    if output == "json":
        click.echo(json.dumps(changes_to_dict(changes, tz), indent=2, ensure_ascii=False))
    else:
        out = out_console()
        for line in changelog_lines(changes, tz):
            out.print(escape(line))
    if changes:
        sys.exit(EXIT_FINDINGS)
