"""The ``ceremony`` command: check show files and print their timelines.

Exit codes: 0 all good; 1 findings at error level; 2 input that cannot be read
(the located error is printed, never a traceback).

Each command parses its options, calls the library and prints; the commands live in one
module per group (:mod:`~ceremony.cli.shows`, :mod:`~ceremony.cli.publishing`,
:mod:`~ceremony.cli.sheets`, :mod:`~ceremony.cli.imports`), what they share in
:mod:`~ceremony.cli.output`.
"""

from __future__ import annotations

from importlib.metadata import version

import click

from ceremony.cli.imports import import_group
from ceremony.cli.publishing import ics_command, serve_command, site_command
from ceremony.cli.sheets import sheet_command
from ceremony.cli.shows import check_command, diff_command, record_command, timeline_command

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version("ceremony"), prog_name="ceremony")
def main() -> None:
    """Event timelines: check show files and see their run-of-show."""


for _command in (
    check_command,
    timeline_command,
    record_command,
    diff_command,
    ics_command,
    site_command,
    serve_command,
    sheet_command,
    import_group,
):
    main.add_command(_command)
