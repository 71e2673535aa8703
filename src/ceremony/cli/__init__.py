"""The ``ceremony`` command: check show files and print their timelines.

Exit codes: 0 all good; 1 findings at error level; 2 input that cannot be read
(the located error is printed, never a traceback), or an optional part whose extra
is not installed.

Each command parses its options, calls the library and prints; the commands live in one
module per group (:mod:`~ceremony.cli.shows`, :mod:`~ceremony.cli.publishing`,
:mod:`~ceremony.cli.sheets`, :mod:`~ceremony.cli.imports`, :mod:`~ceremony.cli.live`),
what they share in :mod:`~ceremony.cli.output`. A command's module is imported only when
the command runs (:data:`COMMANDS`), so ``ceremony --version`` and ``ceremony --help``
start fast and load no optional dependency.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import NamedTuple

import click

from ceremony.errors import MissingExtraError

__all__ = ["COMMANDS", "LazyCommand", "LazyGroup", "main"]


class LazyCommand(NamedTuple):
    """Where a command is defined (``module:attribute``) and its one line of help."""

    target: str
    short_help: str

    @property
    def module(self) -> str:
        """The module that defines the command."""
        return self.target.partition(":")[0]

    def available(self) -> bool:
        """Whether the command's module is there (``live`` arrives in its own change)."""
        return importlib.util.find_spec(self.module) is not None

    def load(self) -> click.Command:
        """The command itself, its module imported now."""
        module, _, attribute = self.target.partition(":")
        command = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{self.target} is not a click command")
        return command


COMMANDS: dict[str, LazyCommand] = {
    "check": LazyCommand(
        "ceremony.cli.shows:check_command", "Report the findings of each show file FILE."
    ),
    "timeline": LazyCommand(
        "ceremony.cli.shows:timeline_command",
        "Print the resolved run-of-show of FILE.",
    ),
    "record": LazyCommand(
        "ceremony.cli.shows:record_command",
        "Record that ITEM of show FILE started or ended.",
    ),
    "diff": LazyCommand(
        "ceremony.cli.shows:diff_command",
        "What changed from show file OLD to NEW.",
    ),
    "ics": LazyCommand(
        "ceremony.cli.publishing:ics_command",
        "One iCalendar feed of FILE's ceremonies and sessions.",
    ),
    "site": LazyCommand(
        "ceremony.cli.publishing:site_command",
        "A static feed site from FILE, with an index page and a manifest.",
    ),
    "serve": LazyCommand(
        "ceremony.cli.publishing:serve_command",
        "Serve a feed site over HTTP (the serve extra).",
    ),
    "sheet": LazyCommand(
        "ceremony.cli.sheets:sheet_command",
        "Print FILE's run-of-show as HTML, PDF, Markdown, text or XLSX.",
    ),
    "import": LazyCommand(
        "ceremony.cli.imports:import_group",
        "Import schedules from ODF messages or spreadsheets.",
    ),
    "live": LazyCommand(
        "ceremony.cli.live:live",
        "Run a show live: clock, marks and screens (the live extra).",
    ),
}
"""Every command, by name: where it is defined and the line ``ceremony --help`` shows."""


class LazyGroup(click.Group):
    """A group whose commands are imported from :data:`COMMANDS` when they are used."""

    def __init__(self, *args: object, lazy: dict[str, LazyCommand], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        """The commands there are, sorted by name."""
        names = {*super().list_commands(ctx)}
        names.update(name for name, entry in self.lazy.items() if entry.available())
        return sorted(names)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command called ``cmd_name``, its module imported on first use."""
        if cmd_name in self.commands or cmd_name not in self.lazy:
            return super().get_command(ctx, cmd_name)
        entry = self.lazy[cmd_name]
        if not entry.available():
            return None
        try:
            command = entry.load()
        except MissingExtraError as error:  # a command module that needs its extra to import
            from ceremony.cli.output import fail  # noqa: PLC0415 - only on this error

            fail(error)
            raise  # pragma: no cover - fail exits
        self.add_command(command, cmd_name)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The list of commands with their short help, read from the registry (no imports)."""
        rows: list[tuple[str, str]] = []
        for name in self.list_commands(ctx):
            if name in self.lazy:
                rows.append((name, self.lazy[name].short_help))
                continue
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(formatter.width)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(package_name="ceremony-timeline", prog_name="ceremony")
def main() -> None:
    """Event timelines: check show files and see their run-of-show."""
