"""The ``ceremony`` command: check show files and print their timelines.

Exit codes: 0 all good; 1 findings at error level; 2 input that cannot be read
(the located error is printed, never a traceback).
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta
from importlib.metadata import version
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from ceremony.checks import Finding, Severity, check
from ceremony.durations import format_duration
from ceremony.errors import CeremonyError, TimingError, format_path
from ceremony.export.changes import changelog_lines, changes_to_dict
from ceremony.export.table import timeline_table
from ceremony.export.timeline import clock, timeline_to_dict
from ceremony.io import load
from ceremony.io.actualsfile import actuals_path, dump_actuals, load_actuals, parse_time
from ceremony.model import Actuals, Edge, Programme
from ceremony.revisions import diff
from ceremony.timing import Timeline, resolve, resolve_schedule
from ceremony.timing.engine import pick_ceremony
from ceremony.zones import UTC, zone

EXIT_FINDINGS = 1
EXIT_UNREADABLE = 2

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _out() -> Console:
    console = Console(highlight=False)
    if not console.is_terminal:  # piped or redirected: do not squeeze into 80 columns
        console = Console(highlight=False, width=max(console.width, 160))
    return console


def _err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _fail(error: Exception, programme: Programme | None = None) -> None:
    """Print a located error and exit 2 (never a traceback)."""
    message = error.args[0] if isinstance(error, KeyError) else str(error)
    if isinstance(error, TimingError) and error.item and programme and programme.source:
        path = programme.path_of(error.item)
        if path is not None:
            where = programme.source.where((*path, "start"))
            message = f"{where}: {format_path((*path, 'start'))}: {error.message}"
    _err().print(f"[bold red]error:[/] {escape(message)}")
    sys.exit(EXIT_UNREADABLE)


def _load(path: str) -> Programme:
    try:
        return load(path)
    except CeremonyError as error:
        _fail(error)
        raise  # pragma: no cover - _fail exits


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version("ceremony"), prog_name="ceremony")
def main() -> None:
    """Event timelines: check show files and see their run-of-show."""


@main.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def check_command(files: tuple[str, ...]) -> None:
    """Report the findings of each show file FILE.

    Exits 0 when clean, 1 when there are errors, 2 when a file cannot be read.
    """
    out, err = _out(), _err()
    unreadable = errors = warnings = 0
    for path in files:
        try:
            programme = load(path)
        except CeremonyError as error:
            err.print(f"[bold red]error:[/] {escape(str(error))}")
            unreadable += 1
            continue
        findings = check(programme)
        for finding in findings:
            _print_finding(out, finding)
        errors += sum(f.severity is Severity.ERROR for f in findings)
        warnings += sum(f.severity is Severity.WARNING for f in findings)
    files_word = "file" if len(files) == 1 else "files"
    summary = f"{len(files)} {files_word}: {errors} errors, {warnings} warnings"
    if unreadable:
        summary += f", {unreadable} unreadable"
    out.print(summary)
    if unreadable:
        sys.exit(EXIT_UNREADABLE)
    if errors:
        sys.exit(EXIT_FINDINGS)


def _print_finding(out: Console, finding: Finding) -> None:
    style = _STYLE[finding.severity]
    where = escape(finding.location or "<programme>")
    out.print(
        f"{where}: [{style}]{finding.severity.value}[/]: {escape(finding.message)} "
        f"[dim]\\[{finding.code}][/]"
    )


def _zones(names: tuple[str, ...]) -> None:
    for name in names:
        try:
            zone(name)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--tz") from None


@main.command("timeline")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--ceremony",
    "ceremony_id",
    metavar="ID",
    help="Only this ceremony (default: every ceremony, then the sessions).",
)
@click.option(
    "--tz",
    "zones",
    multiple=True,
    metavar="ZONE",
    help="Also show clock times in this IANA zone (repeatable).",
)
@click.option(
    "--backtime",
    is_flag=True,
    help="Show when each item must start by to land the show on its hard out.",
)
@click.option(
    "--actuals",
    "actuals_file",
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Recorded start and end times (live): show the plan beside the projection.",
)
@click.option(
    "--now",
    metavar="TIME",
    help="Project the show as at TIME (22:10, or 2024-08-28T22:10+02:00); with --actuals.",
)
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
    _zones(zones)
    programme = _load(file)
    try:
        if actuals_file is not None or now is not None:
            timelines = [_live(programme, ceremony_id, actuals_file, now)]
        else:
            timelines = _timelines(programme, ceremony_id)
    except (CeremonyError, KeyError, ValueError) as error:
        _fail(error, programme)
        return
    if output == "json":
        data = {
            "programme": programme.name,
            "revision": programme.revision,
            "timelines": [timeline_to_dict(t, zones[0] if zones else None) for t in timelines],
        }
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    out = _out()
    for timeline in timelines:
        out.print(timeline_table(timeline, zones, backtime=backtime))
        out.print()


def _timelines(programme: Programme, ceremony_id: str | None) -> list[Timeline]:
    if ceremony_id is not None:
        return [resolve(programme, ceremony=ceremony_id)]
    timelines = [resolve(programme, ceremony=c.id) for c in programme.ceremonies]
    if programme.sessions or not timelines:
        timelines.append(resolve_schedule(programme))
    return timelines


def _live(
    programme: Programme, ceremony_id: str | None, actuals_file: str | None, now: str | None
) -> Timeline:
    actuals = None if actuals_file is None else load_actuals(actuals_file, programme)
    chosen = ceremony_id or (actuals.ceremony if actuals else None)
    ceremony = pick_ceremony(programme, chosen)
    moment = None if now is None else parse_time(now, programme, ceremony.id)
    return resolve(programme, ceremony=ceremony.id, actuals=actuals, now=moment)


@main.command("record")
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

    The mark is added to the actuals file beside FILE (written all or nothing).
    """
    programme = _load(file)
    target = Path(actuals_file) if actuals_file else actuals_path(file)
    try:
        actuals = load_actuals(target, programme) if target.exists() else None
        ceremony = pick_ceremony(programme, ceremony_id or (actuals.ceremony if actuals else None))
        if actuals is None:
            actuals = Actuals(ceremony=ceremony.id)
        if item not in {segment.id for _, segment in ceremony.walk()}:
            raise TimingError(f"no item {item!r} in {ceremony.id!r}", item=item)
        # The edge of the program: the only place ceremony reads the clock.
        if at is None:  # to the second, on the show's own clock
            show_zone = zone(programme.zone_name(ceremony.venue))
            when = datetime.now(UTC).replace(microsecond=0).astimezone(show_zone)
        else:
            when = parse_time(at, programme, ceremony.id)
        actuals = actuals.record(item, Edge(edge), when)
        timeline = resolve(programme, ceremony=ceremony.id, actuals=actuals, now=when)
    except (CeremonyError, KeyError, ValueError) as error:
        _fail(error, programme)
        return
    dump_actuals(actuals, target)
    home = zone(timeline.zone)
    out = _out()
    at_clock = clock(when, home, day_of=timeline.start)
    out.print(f"{escape(item)} {edge} at {at_clock} → {escape(str(target))}")
    out.print(escape(_summary(timeline)))


def _summary(timeline: Timeline) -> str:
    home = zone(timeline.zone)
    text = f"projected end {clock(timeline.end.expected, home, day_of=timeline.start)}"
    if timeline.late:
        text += f" ({format_duration(timeline.late, signed=True)} against the plan)"
    if timeline.over_under is not None:
        verdict = "over" if timeline.over_under > timedelta(0) else "under"
        text += f"; {format_duration(abs(timeline.over_under))} {verdict} the hard out"
    return text


@main.command("diff")
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
    _zones((tz,) if tz else ())
    before, after = _load(old), _load(new)
    try:
        changes = diff(before, after)
    except CeremonyError as error:
        _fail(error)
        return
    if output == "json":
        click.echo(json.dumps(changes_to_dict(changes, tz), indent=2, ensure_ascii=False))
    else:
        out = _out()
        for line in changelog_lines(changes, tz):
            out.print(escape(line))
    if changes:
        sys.exit(EXIT_FINDINGS)
