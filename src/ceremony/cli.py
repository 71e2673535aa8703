"""The ``ceremony`` command: check show files and print their timelines.

Exit codes: 0 all good; 1 findings at error level; 2 input that cannot be read
(the located error is printed, never a traceback).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any, Literal

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ceremony.checks import check
from ceremony.durations import format_duration, parse_duration
from ceremony.errors import CeremonyError, TimingError, format_path
from ceremony.export.changes import changelog_lines, changes_to_dict
from ceremony.export.events import entries
from ceremony.export.feeds import Where, select
from ceremony.export.ics import FeedSettings, to_ical
from ceremony.export.sheets import (
    SHEET_FORMATS,
    CueSheet,
    Sheet,
    SheetFormat,
    build_sheet,
    cue_sheet,
    departments,
    render_sheet,
)
from ceremony.export.sheets.context import Orientation, Paper
from ceremony.export.table import timeline_table
from ceremony.export.timeline import clock, timeline_to_dict
from ceremony.export.xlsx import run_of_show_xlsx
from ceremony.findings import Finding, Severity
from ceremony.io import dump, load
from ceremony.io.actualsfile import actuals_path, load_actuals, parse_time, record_mark
from ceremony.io.atomic import write_atomically
from ceremony.io.importing import Imported
from ceremony.io.mapping import SHIPPED, TableKind, load_mapping
from ceremony.io.odf import import_odf
from ceremony.io.run_of_show_table import import_run_of_show
from ceremony.io.schedule_table import import_sessions
from ceremony.io.tables import read_table
from ceremony.model import Edge, Programme, Status
from ceremony.publishing import Publication
from ceremony.revisions import diff
from ceremony.serve import check_site, create_app
from ceremony.site import build_site, publish_feed
from ceremony.slugs import slug
from ceremony.timing import Timeline, resolve, resolve_schedule
from ceremony.zones import UTC, zone

EXIT_FINDINGS = 1
EXIT_UNREADABLE = 2
_SHOWN_PER_CODE = 5

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _out() -> Console:
    console = Console(highlight=False)
    if not console.is_terminal:  # piped or redirected: do not squeeze into 80 columns
        console = Console(highlight=False, width=max(console.width, 160))
    return console


def _err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _located(error: CeremonyError, programme: Programme | None = None) -> str:
    """The one-line message of ``error``; a timing error located at its item's start."""
    message = str(error)
    if isinstance(error, TimingError) and error.item and programme and programme.source:
        path = programme.path_of(error.item)
        if path is not None:
            where = programme.source.where((*path, "start"))
            message = f"{where}: {format_path((*path, 'start'))}: {error.message}"
    return message.translate(_SHOWN_CONTROLS)


_SHOWN_CONTROLS = {
    code: f"\\x{code:02x}" for code in [*range(0x20), *range(0x7F, 0xA0)] if code != 0x09
}
"""Control characters as ``\\x1b``: a key or a typed value quoted in a message must not
drive the terminal (an escape sequence) or break the message's one line."""


def _fail(error: CeremonyError, programme: Programme | None = None) -> None:
    """Print a located error and exit 2 (never a traceback)."""
    _err().print(f"[bold red]error:[/] {escape(_located(error, programme))}")
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
            err.print(f"[bold red]error:[/] {escape(_located(error))}")
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


def _zones(names: tuple[str, ...], option: str = "--tz") -> None:
    """Refuse a name that is not an IANA zone, as a usage error of ``option``."""
    for name in names:
        try:
            zone(name)
        except CeremonyError as error:
            raise click.BadParameter(str(error), param_hint=option) from None


_CLOCK_OPTIONS = (
    click.option(
        "--tz",
        "zones",
        multiple=True,
        metavar="ZONE",
        help="Also show clock times in this IANA zone (repeatable).",
    ),
    click.option(
        "--backtime",
        is_flag=True,
        help="Show when each item must start by to land the show on its hard out.",
    ),
    click.option(
        "--actuals",
        "actuals_file",
        type=click.Path(dir_okay=False),
        metavar="FILE",
        help="Recorded start and end times (live): show the plan beside the projection.",
    ),
    click.option(
        "--now",
        metavar="TIME",
        help="Project the show as at TIME (22:10, or 2024-08-28T22:10+02:00); with --actuals.",
    ),
)
"""The options ``timeline`` and ``sheet`` share: extra zones, back-timing, the live view."""


def _options(options: Sequence[Any]) -> Callable[[Any], Any]:
    """A decorator adding ``options`` to a command, in the order given."""

    def apply(function: Any) -> Any:
        for option in reversed(options):
            function = option(function)
        return function

    return apply


_clock_options = _options(_CLOCK_OPTIONS)


@main.command("timeline")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--ceremony",
    "ceremony_id",
    metavar="ID",
    help="Only this ceremony (default: every ceremony, then the sessions).",
)
@_clock_options
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
    except CeremonyError as error:
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
    ceremony = programme.ceremony(chosen)
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

    The mark is added to the actuals file beside FILE (written all or nothing, synced to
    disk, its comments kept); several recorders may write one file at once.
    """
    programme = _load(file)
    target = Path(actuals_file) if actuals_file else actuals_path(file)
    # The edge of the program: the only place ceremony reads the clock (to the second).
    moment = at if at is not None else datetime.now(UTC).replace(microsecond=0)
    try:
        actuals = record_mark(target, programme, item, Edge(edge), moment, ceremony_id=ceremony_id)
        when = actuals.marks[-1].at
        timeline = resolve(programme, ceremony=actuals.ceremony, actuals=actuals, now=when)
    except CeremonyError as error:
        _fail(error, programme)
        return
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


def _feed_settings(domain: str, refresh: str, keep_cancelled: str) -> FeedSettings:
    try:
        return FeedSettings(
            domain=domain,
            refresh=parse_duration(refresh),
            keep_cancelled=parse_duration(keep_cancelled),
        )
    except CeremonyError as error:
        _fail(error)
        raise  # pragma: no cover - _fail exits


_FEED_OPTIONS = [
    click.option(
        "--domain",
        default="ceremony.invalid",
        show_default=True,
        help="UIDs are id@DOMAIN: use a domain you own, and keep it.",
    ),
    click.option(
        "--refresh",
        default="1h",
        show_default=True,
        metavar="DURATION",
        help="How often calendar apps should fetch the feed (REFRESH-INTERVAL, X-PUBLISHED-TTL).",
    ),
    click.option(
        "--keep-cancelled",
        default="30d",
        show_default=True,
        metavar="DURATION",
        help="How long a removed event stays in the feed as CANCELLED.",
    ),
    click.option("--segments", is_flag=True, help="One event per segment too (the run-of-show)."),
    click.option("--crew", is_flag=True, help="With --segments: crew-only segments too."),
]


_feed_options = _options(_FEED_OPTIONS)


@main.command("ics")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Write the feed here (and keep its publish state beside it) instead of printing it.",
)
@click.option(
    "--where",
    "filters",
    multiple=True,
    metavar="FACET=VALUE,...",
    help="Only matching events, e.g. 'sport=Para Swimming,classification=S12|S13'.",
)
@_feed_options
def ics_command(  # noqa: PLR0917 - one parameter per option
    file: str,
    output: str | None,
    filters: tuple[str, ...],
    domain: str,
    refresh: str,
    keep_cancelled: str,
    segments: bool,
    crew: bool,
) -> None:
    """One iCalendar feed of FILE's ceremonies and sessions.

    With -o, the feed follows changes from one run to the next: a publish state kept in
    OUTPUT.state.json raises an event's SEQUENCE when it changes and keeps removed events
    as CANCELLED for --keep-cancelled. Printed to the terminal, every SEQUENCE is 0.
    """
    programme = _load(file)
    settings = _feed_settings(domain, refresh, keep_cancelled)
    try:
        where = Where(())
        for text in filters:
            where &= Where.parse(text)
        chosen = select(entries(programme, segments=segments, crew=crew), where)
        if output is None:
            click.echo(
                to_ical(programme, settings=settings, segments=segments, crew=crew, selected=chosen)
                .decode()
                .replace("\r\n", "\n"),
                nl=False,
            )
            return
        data, publication = publish_feed(
            programme, chosen, output, settings=settings, now=_now_utc()
        )
    except CeremonyError as error:
        _fail(error, programme)
        return
    _err().print(
        f"{output}: {len(publication.events)} events, {len(data):,} bytes "
        f"({_publication_summary(publication)})"
    )


def _publication_summary(publication: Publication) -> str:
    parts = [
        f"{len(publication.added)} new",
        f"{len(publication.changed)} changed",
        f"{len(publication.cancelled)} cancelled",
    ]
    if publication.dropped:
        parts.append(f"{len(publication.dropped)} dropped")
    return ", ".join(parts)


def _now_utc() -> datetime:
    """The clock, read here at the edge only."""
    return datetime.now(UTC)


@main.command("site")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(file_okay=False),
    help="The site's folder (replaced whole when the new one is complete).",
)
@click.option(
    "--base-url",
    metavar="URL",
    help="Where the site will be served, e.g. https://feeds.example.org/games/ "
    "(makes the index page's subscribe links absolute).",
)
@_feed_options
def site_command(  # noqa: PLR0917 - one parameter per option
    file: str,
    output: str,
    base_url: str | None,
    domain: str,
    refresh: str,
    keep_cancelled: str,
    segments: bool,
    crew: bool,
) -> None:
    """A static feed site from FILE, with an index page and a manifest.

    A feed per ceremony, sport, venue, delegation, athlete and day, and one of medal
    events; the index page lists them with subscribe links. Serve it with any web
    server (see the docs for nginx) or with `ceremony serve`. The publish state (SEQUENCE
    numbers) is kept inside the folder, in .publish-state.json: never serve that file.
    """
    programme = _load(file)
    settings = _feed_settings(domain, refresh, keep_cancelled)
    err = _err()
    progress = Progress(
        TextColumn("Writing feeds"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    with progress:
        task = progress.add_task("feeds", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        try:
            site = build_site(
                programme,
                output,
                now=_now_utc(),
                settings=settings,
                segments=segments,
                crew=crew,
                base_url=base_url,
                progress=advance,
            )
        except CeremonyError as error:
            progress.stop()
            _fail(error, programme)
            return
    feeds = sum(1 for f in site.files if f.path.endswith(".ics"))
    size = sum(f.bytes for f in site.files)
    err.print(
        f"{output}: {feeds} feeds, {len(site.publication.events)} events, {size:,} bytes "
        f"({_publication_summary(site.publication)})"
    )
    for line in site.changes:
        err.print(escape(line))


@main.command("serve")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="The port to listen on.")
@click.option(
    "--max-age",
    default=300,
    show_default=True,
    type=int,
    help="Cache-Control max-age, in seconds.",
)
def serve_command(folder: str, host: str, port: int, max_age: int) -> None:
    """Serve a feed site built by `ceremony site`, with conditional GET and /feed.ics?FACET=...

    Binds to 127.0.0.1 unless told otherwise; put a real web server in front of it (or
    host the folder as it is) to publish to the world.
    """
    import uvicorn  # noqa: PLC0415 - only this command needs the server

    try:
        check_site(folder)
        app = create_app(folder, max_age=max_age)
    except CeremonyError as error:
        _fail(error)
        return
    _err().print(f"Serving {folder} on http://{host}:{port}/ (Ctrl+C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning")


@main.command("sheet")
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
@_clock_options
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
    backtime: bool,
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
    _zones(zones)
    fmt = output_format or _format_of(output)
    if fmt == "xlsx":
        _write_xlsx(file, ceremony_id, output)
        return
    if all_departments and (output is None or department is not None):
        raise click.UsageError("--all-departments writes a folder of files: give -o DIR")
    if fmt == "pdf" and output is None:
        raise click.UsageError("PDF is binary: give -o FILE.pdf")
    printed = _printed_at(printed_at)
    programme = _load(file)
    previous = _load(since_file) if since_file is not None else None
    schedule = schedule or (not programme.ceremonies and ceremony_id is None)
    if schedule and (actuals_file or now):
        raise click.UsageError("--actuals and --now are for a ceremony, not the schedule")
    try:
        if schedule:
            timeline = resolve_schedule(programme)
        elif actuals_file is not None or now is not None:
            timeline = _live(programme, ceremony_id, actuals_file, now)
        else:
            timeline = resolve(programme, ceremony=programme.ceremony(ceremony_id).id)
        cue_only = department is not None or all_departments
        sheet = build_sheet(
            programme,
            timeline,
            printed_at=printed,
            extra_zones=zones,
            backtime=backtime,
            public=public,
            since=previous,
            paper=paper,
            orientation=orientation or ("portrait" if cue_only else "landscape"),
        )
        documents = _documents(sheet, department, output, fmt, all_departments=all_departments)
        rendered = [
            (render_sheet(doc, fmt, templates=template_dir), path) for doc, path in documents
        ]
    except ModuleNotFoundError as error:
        _err().print(f"[bold red]error:[/] {escape(str(error))}")
        sys.exit(EXIT_UNREADABLE)
    except CeremonyError as error:
        _fail(error, programme)
        return
    for content, path in rendered:
        if path is None:
            click.echo(content, nl=False)
            continue
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, content)
        _err().print(f"wrote {escape(path)}")


def _documents(
    sheet: Sheet, department: str | None, output: str | None, fmt: str, *, all_departments: bool
) -> list[tuple[Sheet | CueSheet, str | None]]:
    """What to write where: the sheet, one department's cues, or every department's."""
    if not all_departments:
        return [(sheet if department is None else cue_sheet(sheet, department), output)]
    names = departments(sheet)
    if not names:
        raise CeremonyError(f"{sheet.header.item_id}: no department has a cue")
    folder = Path(output or ".")
    return [
        (cue_sheet(sheet, name), str(folder / f"{sheet.header.item_id}-{slug(name)}.{fmt}"))
        for name in names
    ]


def _write_xlsx(file: str, ceremony_id: str | None, output: str | None) -> None:
    """The run-of-show as an XLSX workbook to edit (and import back with run-of-show)."""
    if output is None:
        raise click.UsageError("XLSX is binary: give -o FILE.xlsx")
    programme = _load(file)
    try:
        ceremony = programme.ceremony(ceremony_id)
        timeline = resolve(programme, ceremony=ceremony.id)
        content = run_of_show_xlsx(programme, ceremony, timeline)
    except CeremonyError as error:
        _fail(error, programme)
        return
    write_atomically(output, content)
    _err().print(f"wrote {escape(output)}")


def _format_of(output: str | None) -> SheetFormat | Literal["xlsx"]:
    suffix = Path(output).suffix.lstrip(".").lower() if output else ""
    formats: dict[str, SheetFormat | Literal["xlsx"]] = {fmt: fmt for fmt in SHEET_FORMATS}
    formats["xlsx"] = "xlsx"
    formats.update({"htm": "html", "markdown": "md", "text": "txt"})
    return formats.get(suffix, "txt")


def _printed_at(text: str | None) -> datetime:
    if text is None:
        return _now_utc()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is not an ISO 8601 time", param_hint="--printed-at"
        ) from None
    if moment.tzinfo is None:
        raise click.BadParameter(f"{text!r} has no UTC offset", param_hint="--printed-at")
    return moment


# --- import --------------------------------------------------------------------------------


@main.group("import")
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
        _zones((name.strip(),), "--venue-zone")
        named[code.strip()] = name.strip()
    return named


def _report_import(imported: Imported, output: str, sources: str, *, verbose: bool) -> None:
    """Print the findings (the first few of each kind unless verbose) and what was written."""
    err = _err()
    shown: Counter[str] = Counter()
    for item in imported.findings:
        shown[item.code] += 1
        if verbose or shown[item.code] <= _SHOWN_PER_CODE:
            _print_finding(err, item)
    for code, count in sorted(shown.items()):
        if not verbose and count > _SHOWN_PER_CODE:
            more = count - _SHOWN_PER_CODE
            err.print(f"[dim]... and {more} more \\[{code}] (--verbose lists them all)[/]")
    programme = imported.programme
    if not programme.sessions and programme.ceremonies:
        shows = ", ".join(
            f"{c.id} ({sum(1 for _ in c.walk())} items)" for c in programme.ceremonies
        )
        _out().print(f"{escape(output)}: {escape(shows)} from {escape(sources)}")
        return
    items = [session for _, session in programme.all_sessions()]
    inside = len(items) - len(programme.sessions)
    timeless = sum(session.start is None for session in items)
    cancelled = sum(session.status is Status.CANCELLED for session in items)
    medal_units = sum(session.medal_unit is not None for session in items)
    severities = Counter(item.severity for item in imported.findings)
    _out().print(
        f"{escape(output)}: {len(items)} sessions and units ({inside} inside sessions) from "
        f"{escape(sources)}: {timeless} without times, {cancelled} cancelled, "
        f"{medal_units} medal units; {len(programme.venues)} venues; "
        f"{severities[Severity.WARNING]} warnings, {severities[Severity.INFO]} notes"
    )


@import_group.command("odf")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@_options(_IMPORT_OPTIONS)
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
    _zones((timezone,), "--timezone")
    try:
        imported = import_odf(files, timezone=timezone, venue_zones=named, name=name)
        dump(imported.programme, output)
    except CeremonyError as error:
        _fail(error)
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
@_options(_IMPORT_OPTIONS)
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
    _zones((timezone,) if timezone else (), "--timezone")
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
        _fail(error)
        return
    _report_import(imported, output, Path(file).name, verbose=verbose)
