"""The ``live`` command: run a show live, with its API and screens (the live extra)."""

from __future__ import annotations

import ipaddress
import logging
import secrets
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.markup import escape

from ceremony.cli.output import check_zones, err_console, fail, load_or_fail
from ceremony.errors import CeremonyError
from ceremony.extras import needs_extra
from ceremony.io.actualsfile import actuals_path, parse_time
from ceremony.zones import zone

if TYPE_CHECKING:  # the live extra is imported when the command runs
    from ceremony.live.show import LiveShow

LIVE_PURPOSE = "ceremony live"

REHEARSAL_LEAD = timedelta(hours=12)
"""A bare ``--clock`` time up to this long before the ceremony's start is on its day
(``--clock 19:58`` for a 20:00 show); later than the start, as ``record --at`` reads it."""
"""How the missing-extra message names this command: ``ceremony live needs the live extra:
pip install 'ceremony-timeline[live]'``."""

_LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "ip6-localhost"})


def is_loopback(host: str) -> bool:
    """True when ``host`` is reachable from this machine only (127.0.0.1, ::1, localhost)."""
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def access_token(host: str, token: str | None) -> str | None:
    """The token every POST must carry: ``token``, else none on loopback, else a new one."""
    if token is not None or is_loopback(host):
        return token
    return secrets.token_urlsafe(24)


def rehearsal_path(show_file: str | Path) -> Path:
    """Where a rehearsal's marks go: ``show.yaml`` -> ``show.rehearsal.actuals.yaml``.

    ``--clock`` without ``--actuals`` marks this file, beside the show, never the show's
    real actuals; the same command again resumes from it.
    """
    path = Path(show_file)
    return path.with_name(f"{path.stem}.rehearsal.actuals{path.suffix}")


def address(host: str, port: int, path: str = "/") -> str:
    """``http://HOST:PORT/path``, with an IPv6 address in brackets."""
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}{path}"


@click.command("live")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--ceremony", "ceremony_id", metavar="ID", help="The ceremony (if several).")
@click.option(
    "--actuals",
    "actuals_file",
    type=click.Path(dir_okay=False),
    metavar="PATH",
    help="The actuals file (default: the one `ceremony record` writes, beside FILE; with "
    "--clock, FILE's rehearsal file, FILE.rehearsal.actuals.SUFFIX).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="The port to listen on.")
@click.option(
    "--token",
    metavar="TOKEN",
    help="The token every POST must carry (default: none on 127.0.0.1, a new one elsewhere).",
)
@click.option(
    "--clock",
    "clock_start",
    metavar="INSTANT",
    help="Start the server's clock at INSTANT (2024-08-28T19:58+02:00, or a clock time on "
    "the ceremony's day: 19:58) and let it run: for rehearsals, whose marks go to "
    "a rehearsal file beside FILE unless --actuals says otherwise. Default: the machine's "
    "clock.",
)
@click.option(
    "--publish",
    "site_dir",
    type=click.Path(file_okay=False),
    metavar="SITE_DIR",
    help="Rebuild this feed site with the live projection after changes (at most every 30 s).",
)
@click.option(
    "--tz", "zones", multiple=True, metavar="ZONE", help="Another zone for the clocks (repeatable)."
)
def live(  # noqa: PLR0917 - one parameter per option
    file: str,
    ceremony_id: str | None,
    actuals_file: str | None,
    host: str,
    port: int,
    token: str | None,
    clock_start: str | None,
    site_dir: str | None,
    zones: tuple[str, ...],
) -> None:
    """Run show FILE live: the API, the event stream and the screens, on one clock.

    Marks (GO, start, end, undo, extensions) are written to the actuals file before they
    are acknowledged, so a server killed at any moment resumes from the file. A rehearsal
    (--clock) marks FILE.rehearsal.actuals.SUFFIX instead of the show's actuals, unless
    --actuals names a file. The screens: /caller, /timer, /cues/DEPARTMENT, /rundown and
    /clock.
    """
    check_zones(zones)
    try:
        with needs_extra("live", LIVE_PURPOSE):
            import uvicorn  # noqa: PLC0415 - the live extra, only for this command

            from ceremony.live.app import create_app  # noqa: PLC0415
            from ceremony.live.clock import Clock, MachineClock, RunningClock  # noqa: PLC0415
            from ceremony.live.publish import SitePublisher, site_builder  # noqa: PLC0415
            from ceremony.live.screens import screen_routes  # noqa: PLC0415
            from ceremony.live.show import LiveShow  # noqa: PLC0415
    except CeremonyError as error:
        fail(error)
        return
    programme = load_or_fail(file)
    if actuals_file is not None:
        target = Path(actuals_file)
    else:
        target = actuals_path(file) if clock_start is None else rehearsal_path(file)
    try:
        show = LiveShow(programme, target, ceremony_id=ceremony_id, zones=zones)
        clock: Clock = (
            MachineClock()
            if clock_start is None
            else RunningClock(
                parse_time(clock_start, programme, show.ceremony.id, lead=REHEARSAL_LEAD)
            )
        )
    except CeremonyError as error:
        fail(error)
        return
    secret = access_token(host, token)
    publisher = None
    if site_dir is not None:
        build = site_builder(programme, site_dir)
        publisher = lambda server: SitePublisher(build, server.snapshot)  # noqa: E731
    app = create_app(show, clock, token=secret, publisher=publisher, screens=screen_routes())
    rehearsal = clock_start is not None and actuals_file is None
    _report(show, clock.now(), target, host, port, secret, token, site_dir, rehearsal=rehearsal)
    logging.getLogger("ceremony.live").addHandler(logging.StreamHandler())
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _report(  # noqa: PLR0917 - what the banner says
    show: LiveShow,
    now: datetime,
    target: Path,
    host: str,
    port: int,
    secret: str | None,
    given: str | None,
    site_dir: str | None,
    *,
    rehearsal: bool = False,
) -> None:
    """The banner: what is served where, the token, and a clock behind the file's marks."""
    err = err_console()
    title = escape(show.ceremony.title or show.ceremony.id)
    kind = "rehearsal marks" if rehearsal else "marks"
    state = "" if target.exists() else " (made at the first mark)"
    err.print(f"{title}: {kind} in {escape(str(target))}{state}")
    err.print(f"Caller: {address(host, port, '/caller')}  (Ctrl+C to stop)")
    if secret is not None and given is None:
        err.print(f"Token (every POST needs Authorization: Bearer TOKEN): {secret}")
    if site_dir is not None:
        err.print(f"Publishing {escape(site_dir)} after changes (at most every 30 s)")
    latest = show.latest_known()
    if latest is not None and latest > now:
        shown = latest.astimezone(zone(show.zone)).isoformat(timespec="seconds")
        err.print(
            f"[yellow]warning:[/] the file has marks entered up to {shown}, after the "
            "clock's start: the show is projected as it stood then, without them"
        )
