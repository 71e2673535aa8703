"""What every command shares: consoles, located errors, findings, common options."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import click
from rich.console import Console
from rich.markup import escape

from ceremony.errors import CeremonyError, ShowFileError
from ceremony.findings import Finding, Severity
from ceremony.io import load
from ceremony.io.actualsfile import load_actuals, parse_time
from ceremony.model import Actuals, Programme
from ceremony.zones import UTC, zone

EXIT_FINDINGS = 1
EXIT_UNREADABLE = 2

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


PIPED_WIDTH = 80
"""The width of output that is piped or redirected, when ``COLUMNS`` does not say."""


def output_width(columns: str | None, terminal_width: int | None) -> int:
    """The width to print at, in columns.

    ``COLUMNS`` when it is a whole number above zero; else the terminal's width (None when
    standard output is piped or redirected); else :data:`PIPED_WIDTH`.
    """
    text = (columns or "").strip()
    if text.isdigit() and int(text) > 0:
        return int(text)
    return terminal_width or PIPED_WIDTH


def out_console() -> Console:
    """Standard output, as wide as :func:`output_width` says (piped too).

    Piped or redirected, a line of text is never broken (one finding, one summary a line):
    print a table with ``soft_wrap=False`` so that its title and caption wrap to the width.
    """
    terminal = sys.stdout.isatty()
    terminal_width = None
    if terminal:
        try:
            terminal_width = os.get_terminal_size(sys.stdout.fileno()).columns
        except (OSError, ValueError):  # a terminal that does not say its size
            terminal_width = None
    width = output_width(os.environ.get("COLUMNS"), terminal_width)
    return Console(highlight=False, width=width, soft_wrap=not terminal)


def counted(count: int, word: str) -> str:
    """A count in words: ``no errors``, ``1 error``, ``2 errors`` (``word`` is singular)."""
    if count == 0:
        return f"no {word}s"
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def err_console() -> Console:
    """Standard error, for errors and what was written."""
    return Console(stderr=True, highlight=False, soft_wrap=True)


def located(error: CeremonyError) -> str:
    """The one-line message of ``error``, located as the error itself says (file, line, path).

    The library locates its errors (a timing error at its item's start in the file); this
    only keeps control characters from reaching the terminal.
    """
    return str(error).translate(_SHOWN_CONTROLS)


_SHOWN_CONTROLS = {
    code: f"\\x{code:02x}" for code in [*range(0x20), *range(0x7F, 0xA0)] if code != 0x09
}
"""Control characters as ``\\x1b``: a key or a typed value quoted in a message must not
drive the terminal (an escape sequence) or break the message's one line."""


def print_error(message: str) -> None:
    """Print ``error: message`` to standard error (``message`` is not markup)."""
    err_console().print(f"[bold red]error:[/] {escape(message)}")


def problem_lines(error: CeremonyError) -> list[str]:
    """Each problem of an error, located, one a line (a show file may have several)."""
    if not isinstance(error, ShowFileError):
        return [located(error)]
    lines = [located(problem) for problem in error.problems]
    if error.left_out:
        lines.append(f"{error.file or '<text>'}: {error.left_out} more problems not listed")
    return lines


def fail(error: CeremonyError) -> None:
    """Print a located error, each problem on its line, and exit 2, never a traceback."""
    for line in problem_lines(error):
        print_error(line)
    sys.exit(EXIT_UNREADABLE)


def load_or_fail(path: str) -> Programme:
    """The show file at ``path``, or its located error printed and exit 2."""
    try:
        return load(path)
    except CeremonyError as error:
        fail(error)
        raise  # pragma: no cover - fail exits


def print_finding(console: Console, finding: Finding) -> None:
    """One finding on one line: where, severity, message, code."""
    style = _STYLE[finding.severity]
    where = escape(finding.location or "<programme>")
    console.print(
        f"{where}: [{style}]{finding.severity.value}[/]: {escape(finding.message)} "
        f"[dim]\\[{finding.code}][/]"
    )


def check_zones(names: tuple[str, ...], option: str = "--tz") -> None:
    """Refuse a name that is not an IANA zone, as a usage error of ``option``."""
    for name in names:
        try:
            zone(name)
        except CeremonyError as error:
            raise click.BadParameter(str(error), param_hint=option) from None


def now_utc() -> datetime:
    """The clock, read here at the edge only."""
    return datetime.now(UTC)


def options(given: Sequence[Any]) -> Callable[[Any], Any]:
    """A decorator adding the options ``given`` to a command, in the order given."""

    def apply(function: Any) -> Any:
        for option in reversed(given):
            function = option(function)
        return function

    return apply


CLOCK_OPTIONS = (
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

clock_options = options(CLOCK_OPTIONS)


def live_inputs(
    programme: Programme, ceremony_id: str | None, actuals_file: str | None, now: str | None
) -> tuple[Actuals | None, datetime | None]:
    """The actuals of ``--actuals`` and the instant of ``--now``, read for the ceremony.

    ``--now`` is read on the day of the ceremony named, else the one the actuals are for,
    else the programme's only one.
    """
    actuals = None if actuals_file is None else load_actuals(actuals_file, programme)
    chosen = ceremony_id or (actuals.ceremony if actuals else None)
    moment = None if now is None else parse_time(now, programme, chosen)
    return actuals, moment
