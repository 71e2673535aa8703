"""`ceremony timeline` fits the terminal: no word cut, no line too wide, the right layout."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
from datetime import timedelta
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner
from rich.cells import cell_len
from rich.console import Console

import ceremony
from ceremony.cli import main
from ceremony.cli.output import PIPED_WIDTH, counted, output_width
from ceremony.export.table import (
    STACKED_FROM,
    WIDE_FROM,
    Layout,
    choose_layout,
    over_under,
    timeline_table,
)
from ceremony.export.timeline import delegation_names, segments_of
from ceremony.io.actualsfile import load_actuals, parse_time
from ceremony.model import Custom

from .conftest import EXAMPLES, SHOW_FILES

OPENING = EXAMPLES / "paralympic-opening.yaml"
ACTUALS = EXAMPLES / "paralympic-opening.actuals.yaml"
LIVE = ("--actuals", str(ACTUALS), "--now", "20:30")
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")
_RULES = re.compile(r"[│┃┏┓┗┛┡┩┠┨┣┫┳┻╇╋━─┼┬┴└┘┌┐├┤]")
_PUNCTUATION = ",.;:·()\"'"


def in_terminal(width: int, *args: str) -> str:
    """What ``ceremony ARGS`` shows in a pseudo-terminal ``width`` columns wide (no COLUMNS).

    The command runs in a forked child whose standard streams are the terminal (faster than
    a new interpreter; :func:`in_a_new_process` runs one too).
    """
    pid, leader = pty.fork()
    if pid == 0:  # pragma: no cover - the child: coverage does not follow it
        status = 1
        try:
            fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", 50, width, 0, 0))
            for name in ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR"):
                os.environ.pop(name, None)
            os.environ["TERM"] = "xterm-256color"
            sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8")
            sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8")
            main([*args], prog_name="ceremony")
        except SystemExit as exit_:
            status = exit_.code if isinstance(exit_.code, int) else 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)
    text = _read_all(leader)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, text
    return text


def in_a_new_process(width: int, *args: str) -> str:
    """As :func:`in_terminal`, run as ``python -m ceremony`` in a new process."""
    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, width, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in {"COLUMNS", "LINES", "NO_COLOR"}}
    env["TERM"] = "xterm-256color"
    process = subprocess.Popen(
        [sys.executable, "-m", "ceremony", *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        close_fds=True,
    )
    os.close(follower)
    text = _read_all(leader)
    assert process.wait(timeout=60) == 0, text
    return text


def _read_all(leader: int) -> str:
    """Everything written to the terminal until the command exits."""
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes once the command has exited
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return b"".join(chunks).decode().replace("\r\n", "\n")


def piped(columns: str | None, *args: str) -> str:
    """What ``ceremony ARGS`` writes to a pipe, with ``COLUMNS`` set (or not)."""
    env = {k: v for k, v in os.environ.items() if k not in {"COLUMNS", "LINES"}}
    if columns is not None:
        env["COLUMNS"] = columns
    result = subprocess.run(
        [sys.executable, "-m", "ceremony", *args],
        capture_output=True,
        check=True,
        env=env,
        text=True,
    )
    return result.stdout


def plain_lines(output: str) -> list[str]:
    return _ESCAPES.sub("", output).splitlines()


def words_shown(output: str) -> set[str]:
    """Every word printed, the table's rules taken out and wrapped lines run together."""
    text = _RULES.sub(" ", "\n".join(plain_lines(output)))
    return {word.strip(_PUNCTUATION) for word in text.split()} - {""}


def words_to_show(path: Path, *args: str) -> set[str]:
    """Every word of every title, kind ``what``, detail and person or delegation name."""
    programme = ceremony.load(path)
    actuals = load_actuals(args[1], programme) if args else None
    now = parse_time(args[3], programme, None) if args else None
    names = delegation_names(programme)
    texts: list[str] = []
    for timeline in ceremony.resolve_all(programme, actuals=actuals, now=now):
        segments = segments_of(programme, timeline)
        for slot in timeline.slots:
            texts += [slot.title, *(name for _, name in slot.who)]
            segment = segments.get(slot.id)
            if isinstance(segment, Custom) and segment.what:
                texts.append(segment.what)
            if segment is not None and slot.kind != "act":
                texts += segment.details(names=names)
    return {word.strip(_PUNCTUATION) for text in texts for word in text.split()} - {""}


def assert_fits(output: str, width: int, path: Path, *args: str) -> None:
    """No line is wider than ``width``, and every word to show is shown whole."""
    for line in plain_lines(output):
        assert cell_len(line) <= width, line
    missing = words_to_show(path, *args) - words_shown(output)
    assert not missing, f"{path.name} at {width} columns lost {sorted(missing)}"


class TestInATerminal:
    @pytest.mark.parametrize("width", [60, 80, 120])
    @pytest.mark.parametrize("path", SHOW_FILES, ids=lambda path: path.name)
    def test_every_example_fits(self, path: Path, width: int) -> None:
        """Every example fits a terminal of 60, 80 and 120 columns, every word whole."""
        assert_fits(in_terminal(width, "timeline", str(path)), width, path)

    @pytest.mark.parametrize("width", [60, 80, 120])
    def test_live_with_backtime_and_a_zone_fits(self, width: int) -> None:
        """Live, back-timed and with a second zone, the opening still fits every width."""
        args = ("timeline", str(OPENING), *LIVE, "--backtime", "--tz", "Asia/Almaty")
        output = in_terminal(width, *args)
        assert_fits(output, width, OPENING, *LIVE)
        assert "Almaty" in output  # the other zone keeps its column
        assert "plan 20:00" in output or "Planned" in output  # and the plan is beside

    def test_as_a_new_process(self) -> None:
        """`python -m ceremony timeline` in its own process fits its 80-column terminal."""
        assert_fits(in_a_new_process(80, "timeline", str(OPENING)), 80, OPENING)

    def test_the_full_olympic_schedule_fits_80_columns(self) -> None:
        """The Paris 2024 schedule (hundreds of sessions) fits 80 columns, every word whole."""
        path = EXAMPLES / "paris-2024-olympics" / "programme.yaml"
        assert_fits(in_terminal(80, "timeline", str(path)), 80, path)


class TestPiped:
    @pytest.mark.parametrize("path", SHOW_FILES, ids=lambda path: path.name)
    def test_columns_is_honoured(self, path: Path) -> None:
        """Piped with COLUMNS=80, the table fits 80 columns, every word whole."""
        assert_fits(piped("80", "timeline", str(path)), 80, path)

    def test_live_piped_with_columns(self) -> None:
        """Piped live output with COLUMNS=80 fits too."""
        assert_fits(piped("80", "timeline", str(OPENING), *LIVE), 80, OPENING, *LIVE)

    def test_piped_without_columns_is_80_wide(self) -> None:
        """Piped or redirected without COLUMNS, the table is 80 columns wide."""
        output = piped(None, "timeline", str(OPENING))
        assert max(cell_len(line) for line in plain_lines(output)) == PIPED_WIDTH
        assert "Item" in output and "Kind" not in output

    @pytest.mark.parametrize("columns", ["0", "-5", "wide", ""])
    def test_bad_columns_is_ignored(self, columns: str) -> None:
        """A COLUMNS that is not a whole number above zero is ignored: 80 columns."""
        result = CliRunner().invoke(main, ["timeline", str(OPENING)], env={"COLUMNS": columns})
        assert result.exit_code == 0
        assert max(cell_len(line) for line in plain_lines(result.stdout)) == PIPED_WIDTH

    def test_wide_columns_gets_the_wide_table(self) -> None:
        """COLUMNS=200 gets the wide table, with its Kind and Who columns."""
        output = CliRunner().invoke(main, ["timeline", str(OPENING)], env={"COLUMNS": "200"})
        assert "Kind" in output.stdout and "Who" in output.stdout


class TestOutputWidth:
    def test_columns_first(self) -> None:
        """COLUMNS wins over the terminal's width."""
        assert output_width("100", 132) == 100
        assert output_width(" 72 ", None) == 72

    @pytest.mark.parametrize("columns", [None, "", "0", "-1", "80x", "1e3"])
    def test_else_the_terminal(self, columns: str | None) -> None:
        """Without a usable COLUMNS, the terminal's width."""
        assert output_width(columns, 132) == 132

    def test_else_80(self) -> None:
        """Piped without COLUMNS: 80."""
        assert output_width(None, None) == 80 == PIPED_WIDTH


class TestChooseLayout:
    FITS: ClassVar[dict[Layout, int]] = {"wide": 100, "stacked": 70, "narrow": 40}

    @pytest.mark.parametrize(
        ("width", "layout"),
        [(None, "wide"), (200, "wide"), (WIDE_FROM, "wide"), (WIDE_FROM - 1, "stacked")],
    )
    def test_by_width(self, width: int | None, layout: Layout) -> None:
        """Wide from 120 columns (and unlimited), stacked from 80, narrow below."""
        assert choose_layout(width, self.FITS) == layout

    @pytest.mark.parametrize(
        ("width", "layout"),
        [(STACKED_FROM, "stacked"), (STACKED_FROM - 1, "narrow"), (40, "narrow")],
    )
    def test_stacked_and_narrow(self, width: int, layout: Layout) -> None:
        """80 columns is stacked, 79 narrow."""
        assert choose_layout(width, self.FITS) == layout

    def test_a_layout_that_does_not_fit_gives_way(self) -> None:
        """A wide table that needs 150 columns is stacked at 120; a stacked one that needs
        100 is narrow at 90."""
        assert choose_layout(120, {"wide": 150, "stacked": 90, "narrow": 40}) == "stacked"
        assert choose_layout(90, {"wide": 150, "stacked": 100, "narrow": 40}) == "narrow"
        assert choose_layout(150, {"wide": 150, "stacked": 100, "narrow": 40}) == "wide"

    @pytest.mark.parametrize(
        ("width", "options", "headers"),
        [
            (120, (), {"Clock", "Dur", "Running", "Kind", "Title", "Who"}),
            (100, (), {"Clock", "Dur\nRunning", "Item"}),
            (60, (), {"Clock", "Dur\nRunning", "Item"}),
            (100, ("live",), {"Planned", "Actual /\nprojected", "Dur\nRunning", "Item"}),
            (80, ("live", "backtime", "zone"), {"Actual", "Almaty", "Dur\nRunning", "Item"}),
            (
                100,
                ("backtime", "zone"),
                {"Clock", "Almaty", "Dur\nRunning", "Start by\nSlack", "Item"},
            ),
            (
                300,
                ("live", "backtime", "zone"),
                {
                    "Planned",
                    "Actual / projected Europe/Paris",
                    "Actual / projected Asia/Almaty",
                    "Late",
                    "Dur",
                    "Running",
                    "Start by",
                    "Slack",
                    "Kind",
                    "Title",
                    "Who",
                },
            ),
        ],
    )
    def test_the_columns_of_each_layout(
        self, width: int, options: tuple[str, ...], headers: set[str]
    ) -> None:
        """The columns each layout shows, for the plan, live, back-timed, with a zone."""
        programme = ceremony.load(OPENING)
        actuals = load_actuals(ACTUALS, programme) if "live" in options else None
        now = parse_time("20:30", programme, None) if "live" in options else None
        timeline = ceremony.resolve(programme, actuals=actuals, now=now)
        table = timeline_table(
            timeline,
            ("Asia/Almaty",) if "zone" in options else (),
            width=width,
            backtime="backtime" in options,
            programme=programme,
        )
        assert {str(column.header) for column in table.columns} == headers


def _render(table: object, width: int) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(table)
    text: str = console.file.getvalue()  # type: ignore[attr-defined]
    return text


def _live_opening() -> tuple[ceremony.Programme, ceremony.Timeline]:
    programme = ceremony.load(OPENING)
    actuals = load_actuals(ACTUALS, programme)
    return programme, ceremony.resolve(
        programme, actuals=actuals, now=parse_time("20:30", programme, None)
    )


class TestStacked:
    def test_kind_and_who_under_the_title(self) -> None:
        """Stacked, the kind (a custom segment's own) is on the line under the title, and
        who is on its own line under that, indented."""
        programme = ceremony.load(OPENING)
        table = timeline_table(ceremony.resolve(programme), width=80, programme=programme)
        lines = _render(table, 80).splitlines()
        items = [line.split("│")[3].rstrip() for line in lines if line.count("│") == 4]
        at = next(i for i, item in enumerate(items) if "Patrouille de France flypast" in item)
        assert items[at + 1].strip() == "flypast"
        assert items[at + 2] == "     Patrouille de France"
        assert "custom" not in _render(table, 80)

    def test_a_word_longer_than_its_column_is_folded_not_cut(self) -> None:
        """A 39-letter word in a 40-column table is split over lines, every letter kept."""
        word = "Supercalifragilisticexpialidociouslyyyy"
        programme = ceremony.loads(
            "programme: P\ntimezone: Europe/Paris\nvenues: [{id: v, name: V}]\n"
            "ceremonies:\n  - {id: c, title: C, venue: v, start: 2024-08-28T20:00,\n"
            f"     segments: [{{id: s, kind: speech, title: {word} speech, duration: 5m}}]}}\n",
            "yaml",
        )
        text = _render(timeline_table(ceremony.resolve(programme), width=40), 40)
        lines = text.splitlines()
        assert all(cell_len(line) <= 40 for line in lines)
        items = "".join(line.split("│")[-2].strip() for line in lines if line.count("│") > 2)
        assert word in items

    def test_unlimited_is_the_wide_table(self) -> None:
        """Without a width (the Python API's default) the table is today's wide one."""
        programme = ceremony.load(OPENING)
        table = timeline_table(ceremony.resolve(programme), programme=programme)
        assert [str(column.header) for column in table.columns][-3:] == ["Kind", "Title", "Who"]


class TestLateStart:
    def test_no_gap_above_the_first_row(self) -> None:
        """A show that started 1m30s late says so in its title, with no gap line above the
        first item; a gap between two items is still shown."""
        programme, timeline = _live_opening()
        for width in (60, 80, 200):
            text = _render(timeline_table(timeline, width=width, programme=programme), width)
            assert "gap of 1m30s" not in text
            assert "started 1m30s late" in " ".join(text.split())
            assert "gap of 20s" in text  # before the parade

    def test_a_plan_has_no_start_state(self) -> None:
        """A plan (not live) says nothing of a late start."""
        programme = ceremony.load(OPENING)
        table = timeline_table(ceremony.resolve(programme), width=80, programme=programme)
        assert "started" not in _render(table, 80)

    def test_a_show_not_started_yet_says_nothing(self) -> None:
        """Live before any mark, the title says nothing of a start."""
        programme = ceremony.load(OPENING)
        timeline = ceremony.resolve(programme, now=parse_time("19:50", programme, None))
        text = _render(timeline_table(timeline, width=80, programme=programme), 80)
        assert "live at 19:50" in text and "started" not in text


SHOW_ON_TIME = """\
programme: P
timezone: Europe/Paris
venues: [{id: v, name: V}]
ceremonies:
  - id: c
    title: C
    venue: v
    start: 2024-08-28T20:00
    hard_out: 2024-08-28T20:10
    segments: [{id: s, kind: speech, title: Welcome, duration: 10m}]
"""


class TestGrammar:
    @pytest.mark.parametrize(
        ("count", "words"), [(0, "no errors"), (1, "1 error"), (2, "2 errors"), (12, "12 errors")]
    )
    def test_counted(self, count: int, words: str) -> None:
        """Counts read as words: no errors, 1 error, 2 errors."""
        assert counted(count, "error") == words

    @pytest.mark.parametrize(
        ("minutes", "words"), [(0, "on time"), (2, "2m over"), (-4, "4m under")]
    )
    def test_over_under(self, minutes: int, words: str) -> None:
        """An end against its hard out: on time, 2m over, 4m under (never 0s under)."""
        assert over_under(timedelta(minutes=minutes)) == words

    def test_check_summary(self, tmp_path: Path) -> None:
        """`ceremony check` says "no errors, no warnings", and "1 warning" for one."""
        path = tmp_path / "show.yaml"
        path.write_text(SHOW_ON_TIME)
        clean = CliRunner().invoke(main, ["check", str(path)])
        assert "1 file: no errors, no warnings" in clean.stdout
        path.write_text(SHOW_ON_TIME.replace("duration: 10m", "duration: 12m"))
        late = CliRunner().invoke(main, ["check", str(path)])
        assert "1 file: 1 error, no warnings" in late.stdout, late.stdout
        assert late.exit_code == 1

    def test_on_time_for_the_hard_out(self, tmp_path: Path) -> None:
        """A show that lands exactly on its hard out is "on time" in the table, the record
        summary and the sheet, never "0s under"."""
        path = tmp_path / "show.yaml"
        path.write_text(SHOW_ON_TIME)
        table = CliRunner().invoke(main, ["timeline", str(path)], env={"COLUMNS": "80"})
        assert "hard out 20:10, on time" in " ".join(table.stdout.split())
        recorded = CliRunner().invoke(main, ["record", str(path), "s", "start", "--at", "20:00"])
        assert "on time for the hard out" in recorded.stdout, recorded.output
        programme = ceremony.load(path)
        sheet = ceremony.build_sheet(
            programme, ceremony.resolve(programme), printed_at=ceremony.resolve(programme).start
        )
        assert sheet.summary.over_under == "on time"
        for output in (table.stdout, recorded.stdout):
            assert "0s under" not in output
