"""The ``ceremony`` command: check show files and print their timelines.

Exit codes: 0 all good; 1 findings at error level; 2 input that cannot be read
(the located error is printed, never a traceback).
"""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from importlib.metadata import version

import click
import pendulum
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from ceremony.checks import Finding, Severity, check
from ceremony.durations import format_clock_duration, format_duration
from ceremony.errors import CeremonyError
from ceremony.export.timeline import clock, timeline_to_dict
from ceremony.io import load
from ceremony.model import Programme
from ceremony.timing import Slot, Timeline, resolve, resolve_schedule
from ceremony.zones import zone

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


def _fail(error: CeremonyError | KeyError | ValueError) -> None:
    message = error.args[0] if isinstance(error, KeyError) else str(error)
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
    "--format",
    "output",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="A table for people, JSON for programs.",
)
def timeline_command(
    file: str, ceremony_id: str | None, zones: tuple[str, ...], output: str
) -> None:
    """Print the resolved run-of-show of FILE: clock time, duration, running time, who."""
    for name in zones:
        try:
            zone(name)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--tz") from None
    programme = _load(file)
    try:
        timelines = _timelines(programme, ceremony_id)
    except (CeremonyError, KeyError) as error:
        _fail(error)
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
        out.print(_table(timeline, zones))
        out.print()


def _timelines(programme: Programme, ceremony_id: str | None) -> list[Timeline]:
    if ceremony_id is not None:
        return [resolve(programme, ceremony=ceremony_id)]
    timelines = [resolve(programme, ceremony=c.id) for c in programme.ceremonies]
    if programme.sessions or not timelines:
        timelines.append(resolve_schedule(programme))
    return timelines


def _table(timeline: Timeline, extra_zones: tuple[str, ...]) -> Table:
    home = zone(timeline.zone)
    shown = [home, *(zone(name) for name in extra_zones if name != timeline.zone)]
    schedule = timeline.kind == "schedule"
    table = Table(
        title=_title(timeline, home),
        title_justify="left",
        caption=_caption(timeline),
        caption_justify="left",
        header_style="bold",
        expand=False,
    )
    for tz in shown:
        table.add_column(tz.name if len(shown) > 1 else "Clock", no_wrap=True)
    table.add_column("Dur", justify="right", no_wrap=True)
    if not schedule:
        table.add_column("Running", justify="right", no_wrap=True)
    table.add_column("Kind", no_wrap=True)
    table.add_column("Title", min_width=24)
    table.add_column("Who", min_width=16)
    blank = [""] * (len(shown) + (1 if schedule else 2) + 1)
    day = None
    for slot in timeline.slots:
        local_day = slot.start.expected.astimezone(home).date()
        if local_day != day and (schedule or day is not None):
            table.add_row(*blank, Text(f"{local_day:%A %d %B %Y}", style="bold underline"), "")
        day = local_day
        if slot.gap_before and not schedule:
            style = "red" if slot.gap_before < timedelta(0) else "dim"
            word = "overlap" if slot.gap_before < timedelta(0) else "gap"
            note = Text(f"{word} of {format_duration(abs(slot.gap_before))}", style=style)
            table.add_row(*blank, note, "")
        cells = [_when(slot, tz, timeline, first=tz is home) for tz in shown]
        cells.append(_duration(slot))
        if not schedule:
            cells.append(format_clock_duration(slot.running))
        title = Text("  " * slot.depth + slot.title, style="bold" if slot.kind == "act" else "")
        if slot.over_under is not None:
            title.append(
                f"  (target {format_duration(slot.target or timedelta(0))}, "
                f"{format_duration(slot.over_under, signed=True)})",
                style="dim",
            )
        table.add_row(*cells, slot.kind.replace("_", " "), title, _who(slot))
    return table


def _when(slot: Slot, tz: pendulum.Timezone, timeline: Timeline, *, first: bool) -> str:
    """The clock in ``tz``; the first (home) zone has day headings, others a day marker."""
    day_of = None if first else timeline.start
    text = clock(slot.start.expected, tz, day_of=day_of, offset_of=timeline.start)
    if not slot.start.exact:
        text += f" ({clock(slot.start.earliest, tz)}–{clock(slot.start.latest, tz)})"
    return ("■ " if slot.hard else "") + text


def _duration(slot: Slot) -> str:
    text = format_duration(slot.duration)
    low, high = slot.end.earliest - slot.start.earliest, slot.end.latest - slot.start.latest
    if low != high:
        text += f" ({format_duration(low)}–{format_duration(high)})"
    return text


def _who(slot: Slot) -> str:
    names = list(dict.fromkeys(name for _, name in slot.who))
    return ", ".join(names)


def _title(timeline: Timeline, home: pendulum.Timezone) -> str:
    start = timeline.start.astimezone(home)
    return f"[bold]{escape(timeline.title)}[/] — {start:%A %d %B %Y}, {home.name}"


def _caption(timeline: Timeline) -> str:
    if timeline.kind == "schedule":
        text = f"{len(timeline.slots)} sessions"
        if timeline.unscheduled:
            text += f"; {len(timeline.unscheduled)} without a time not shown"
        return text
    home = zone(timeline.zone)
    text = (
        f"Starts {clock(timeline.start, home)}, ends "
        f"{clock(timeline.end.expected, home, day_of=timeline.start)}, running "
        f"{format_clock_duration(timeline.end.expected - timeline.start)}"
    )
    if timeline.hard_out is not None and timeline.over_under is not None:
        verdict = "over" if timeline.over_under > timedelta(0) else "under"
        text += (
            f"; hard out {clock(timeline.hard_out, home, day_of=timeline.start)}, "
            f"{format_duration(abs(timeline.over_under))} {verdict}"
        )
    return text + ". ■ = hard start"
