"""The publishing commands: ``ics``, ``site``, ``serve``."""

from __future__ import annotations

import contextlib
import os
from datetime import datetime

import attrs
import click
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ceremony.cli.output import err_console, fail, live_inputs, load_or_fail, now_utc, options
from ceremony.durations import parse_duration
from ceremony.errors import CeremonyError
from ceremony.export.ics import FeedSettings, to_ical
from ceremony.extras import needs_extra
from ceremony.model import Actuals, Programme
from ceremony.publishing import Publication, source_date_epoch
from ceremony.site import build_site, publish_feed


def _feed_settings(domain: str, refresh: str, keep_cancelled: str) -> FeedSettings:
    try:
        return FeedSettings(
            domain=domain,
            refresh=parse_duration(refresh),
            keep_cancelled=parse_duration(keep_cancelled),
        )
    except CeremonyError as error:
        fail(error)
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
    click.option(
        "--actuals",
        "actuals_file",
        type=click.Path(dir_okay=False),
        metavar="FILE",
        help="Recorded start and end times (live): publish the projection; with --now.",
    ),
    click.option(
        "--now",
        metavar="TIME",
        help="Project the show as at TIME (22:10, or 2024-08-28T22:10+02:00); with --actuals.",
    ),
]


_feed_options = options(_FEED_OPTIONS)


def _live(
    programme: Programme, actuals_file: str | None, now: str | None
) -> tuple[Actuals | None, datetime]:
    """The actuals of ``--actuals`` and the instant of ``--now``; else none, and the clock.

    The instant is also the build's time: what changed was last modified then.
    """
    if actuals_file is None:
        return None, now_utc()
    try:
        actuals, moment = live_inputs(programme, None, actuals_file, now)
    except CeremonyError as error:
        fail(error)
        raise  # pragma: no cover - fail exits
    assert moment is not None  # noqa: S101 - _check_live refused --actuals without --now
    return actuals, moment


def _check_live(actuals_file: str | None, now: str | None) -> None:
    """Refuse ``--now`` without ``--actuals`` and the other way round, as a usage error."""
    if (actuals_file is None) != (now is None):
        given, missing = ("--now", "--actuals") if actuals_file is None else ("--actuals", "--now")
        raise click.UsageError(
            f"{given} needs {missing}: the live projection is of the actuals as known at a moment"
        )


@click.command("ics")
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
    actuals_file: str | None,
    now: str | None,
) -> None:
    """One iCalendar feed of FILE's ceremonies and sessions.

    With -o, the feed follows changes from one run to the next: a publish state kept in
    OUTPUT.state.json raises an event's SEQUENCE when it changes and keeps removed events
    as CANCELLED for --keep-cancelled. Printed to the terminal, every SEQUENCE is 0.

    With --actuals and --now, the ceremony the actuals are for and its segments carry the
    live projection: an item that slid moves (and its SEQUENCE rises), hard ones hold.
    """
    _check_live(actuals_file, now)
    programme = load_or_fail(file)
    settings = _feed_settings(domain, refresh, keep_cancelled)
    actuals, moment = _live(programme, actuals_file, now)
    try:
        if output is None:
            stamp = programme.published or source_date_epoch(os.environ)
            feed = to_ical(
                attrs.evolve(programme, published=stamp),
                where=filters,
                segments=segments,
                crew=crew,
                settings=settings,
                actuals=actuals,
                now=None if actuals is None else moment,
            )
            click.echo(feed.decode().replace("\r\n", "\n"), nl=False)
            return
        data, publication = publish_feed(
            programme,
            output,
            now=moment,
            settings=settings,
            where=filters,
            segments=segments,
            crew=crew,
            actuals=actuals,
        )
    except CeremonyError as error:
        fail(error)
        return
    err_console().print(
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


@click.command("site")
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
    actuals_file: str | None,
    now: str | None,
) -> None:
    """A static feed site from FILE, with an index page and a manifest.

    A feed per ceremony, sport, venue, delegation, athlete and day, and one of medal
    events; the index page lists them with subscribe links. Serve it with any web
    server (see the docs for nginx) or with `ceremony serve`. The publish state (SEQUENCE
    numbers) is kept inside the folder, in .publish-state.sqlite: never serve that file.
    A rebuild rewrites only the feeds that hold a changed event.

    With --actuals and --now, the feeds carry the live projection (as `ics` does):
    rebuild after each mark and subscribers see the delay.
    """
    _check_live(actuals_file, now)
    programme = load_or_fail(file)
    settings = _feed_settings(domain, refresh, keep_cancelled)
    actuals, moment = _live(programme, actuals_file, now)
    err = err_console()
    # Only a terminal gets a progress bar: piped, even a disabled one may print blank
    # lines around the error (Rich 13.7).
    progress = (
        Progress(
            TextColumn("Writing feeds"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        )
        if err.is_terminal
        else None
    )
    with progress or contextlib.nullcontext():
        task = progress.add_task("feeds", total=None) if progress else None

        def advance(done: int, total: int) -> None:
            if progress is not None and task is not None:
                progress.update(task, completed=done, total=total)

        try:
            site = build_site(
                programme,
                output,
                now=moment,
                settings=settings,
                segments=segments,
                crew=crew,
                actuals=actuals,
                base_url=base_url,
                progress=advance,
            )
        except CeremonyError as error:
            if progress is not None:
                progress.stop()
            fail(error)
            return
    feeds = sum(1 for f in site.files if f.path.endswith(".ics"))
    size = sum(f.bytes for f in site.files)
    err.print(
        f"{output}: {feeds} feeds, {len(site.publication.events)} events, {size:,} bytes "
        f"({_publication_summary(site.publication)})"
    )
    for line in site.changes:
        err.print(escape(line))


@click.command("serve")
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
    try:
        with needs_extra("serve", "ceremony serve"):
            import uvicorn  # noqa: PLC0415 - only this command needs the server

            from ceremony.serve import check_site, create_app  # noqa: PLC0415
        check_site(folder)
        app = create_app(folder, max_age=max_age)
    except CeremonyError as error:
        fail(error)
        return
    err_console().print(f"Serving {folder} on http://{host}:{port}/ (Ctrl+C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning")
