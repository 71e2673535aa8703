"""The worst inputs of issue 13, through the real command line: one located line, exit 2.

Each input runs in a subprocess of the installed ``ceremony`` command (with a time limit
and a memory ceiling, so a bomb fails the test instead of hanging or swapping the
machine). For each: exit code 2, exactly one non-empty line on stderr, starting with
``error:`` and naming the input file, no traceback, and nothing written (no output file,
no temporary file left beside it, nothing on stdout but ``check``'s summary).
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import ceremony
from ceremony.export.xlsx import run_of_show_xlsx

from .conftest import EXAMPLES, SHARED

EXECUTABLE = Path(sys.executable).with_name("ceremony")
COMMAND = [str(EXECUTABLE)] if EXECUTABLE.exists() else [sys.executable, "-m", "ceremony"]
TIMEOUT = 60
MEMORY = 2 * 1024**3
"""The address space a run may take (bytes): far above what any of them needs."""

OPENING = EXAMPLES / "paralympic-opening.yaml"
ODF_MESSAGE = SHARED / "data" / "odf-dt-schedule-og2024-draft" / "OWS.xml"

SHOW = """\
programme: Worst Inputs
timezone: Europe/Paris
dates: {start: 2024-07-26, end: 2024-08-11}
venues:
  - {id: concorde, name: Place de la Concorde}
ceremonies:
  - id: opening
    title: Opening
    venue: concorde
    start: 2024-07-26T19:30
    segments:
      - id: welcome
        kind: custom
        title: Welcome
        duration: 10m
        notes: Hello
"""
"""A small valid show; each worst input changes one value of it."""

SHOW_JSON = """\
{"programme": "Worst Inputs", "timezone": "Europe/Paris",
 "ceremonies": [{"id": "opening", "title": "Opening", "start": "2024-07-26T19:30",
   "segments": [{"id": "welcome", "kind": "custom", "title": "Welcome", "duration": "10m",
     "notes": "Hello"}]}]}
"""

SHOW_TOML = """\
programme = "Worst Inputs"
timezone = "Europe/Paris"

[[ceremonies]]
id = "opening"
title = "Opening"
start = 2024-07-26T19:30:00

[[ceremonies.segments]]
id = "welcome"
kind = "custom"
title = "Welcome"
duration = "10m"
notes = "Hello"
"""

ICS_TWO_STARTS = """\
BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Somebody//Else//EN\r
BEGIN:VEVENT\r
UID:final@example.org\r
DTSTAMP:20240801T000000Z\r
DTSTART:20240804T195000Z\r
DTSTART:20240804T205000Z\r
DURATION:PT10M\r
SUMMARY:Final\r
END:VEVENT\r
END:VCALENDAR\r
"""


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    import resource  # noqa: PLC0415 - POSIX only, and only in the child

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = MEMORY if hard == resource.RLIM_INFINITY else min(MEMORY, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``ceremony ARGS`` in ``cwd``; a run past the time limit fails the test."""
    try:
        return subprocess.run(
            [*COMMAND, *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=TIMEOUT,
            check=False,
            preexec_fn=_limit_memory if sys.platform != "win32" else None,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"ceremony {' '.join(args)}: still running after {TIMEOUT} s (killed)")


@dataclass(frozen=True)
class Worst:
    """One worst input: the file to write and the command to give it to."""

    name: str
    content: Callable[[], bytes]
    command: tuple[str, ...]
    """The arguments; ``{}`` stands for the input file's path."""


def _show(old: str, new: str) -> Callable[[], bytes]:
    return lambda: SHOW.replace(old, new, 1).encode()


def _nested(template: str, depth: int) -> Callable[[], bytes]:
    nested = "[" * depth + "]" * depth
    return lambda: template.replace('"Hello"', nested, 1).replace("Hello", nested, 1).encode()


def _odf_unknown_encoding() -> bytes:
    if not ODF_MESSAGE.exists():
        pytest.skip(f"{ODF_MESSAGE} is not here: the ODF messages are shared data")
    data = ODF_MESSAGE.read_bytes()
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return data.replace(b'encoding="UTF-8"', b'encoding="x-foo"', 1)


def _workbook(change: Callable[[bytes], bytes]) -> bytes:
    """The opening's run-of-show workbook (8.7 KB), its sheet passed through ``change``."""
    programme = ceremony.load(OPENING)
    show = programme.ceremonies[0]
    data = run_of_show_xlsx(programme, show, ceremony.resolve(programme, ceremony=show.id))
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = change(content)
            target.writestr(info, content)
    return out.getvalue()


def _far_cell_workbook() -> bytes:
    """The workbook with one more cell, at XFD1048576."""

    def far_cell(content: bytes) -> bytes:
        far = b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>'
        assert b"</sheetData>" in content
        return content.replace(b"</sheetData>", far + b"</sheetData>", 1)

    return _workbook(far_cell)


def _x_foo_workbook() -> bytes:
    """The workbook with its sheet declared in an encoding nobody knows."""
    return _workbook(lambda content: b'<?xml version="1.0" encoding="x-foo"?>' + content)


WORST = [
    Worst("nested-40000.yaml", _nested(SHOW, 40_000), ("check", "{}")),
    Worst("nested-100000.json", _nested(SHOW_JSON, 100_000), ("check", "{}")),
    Worst("nested-100000.toml", _nested(SHOW_TOML, 100_000), ("check", "{}")),
    Worst("no-end.yaml", _show("end: 2024-08-11", "end: 9999-12-31"), ("ics", "{}")),
    Worst(
        "ten-thousand-years.yaml", _show("duration: 10m", "duration: 87600000h"), ("timeline", "{}")
    ),
    Worst(
        "ten-thousand-years.yaml", _show("duration: 10m", "duration: 87600000h"), ("sheet", "{}")
    ),
    Worst("vertical-tab.yaml", _show("title: Welcome", 'title: "Wel\\vcome"'), ("check", "{}")),
    Worst(
        "vertical-tab.json",
        lambda: SHOW_JSON.replace("Welcome", "Wel\\u000bcome").encode(),
        ("check", "{}"),
    ),
    Worst(
        "vertical-tab.yaml",
        _show("title: Welcome", 'title: "Wel\\vcome"'),
        ("sheet", "{}", "-o", "x.xlsx"),
    ),
    Worst(
        "x-foo.xml",
        _odf_unknown_encoding,
        ("import", "odf", "{}", "--timezone", "Europe/Paris", "-o", "out.yaml"),
    ),
    Worst("two-starts.ics", ICS_TWO_STARTS.encode, ("check", "{}")),
    Worst(
        "zone-folder.ics",
        lambda: (
            ICS_TWO_STARTS.replace("DTSTART:20240804T205000Z\r\n", "")
            .replace("DTSTART:20240804T195000Z", "DTSTART;TZID=Europe:20240804T215000")
            .encode()
        ),
        ("check", "{}"),
    ),
    Worst(
        "x-foo.xlsx",
        _x_foo_workbook,
        ("import", "table", "{}", "--map", "run-of-show", "--into", str(OPENING), "-o", "out.yaml"),
    ),
    Worst(
        "far.xlsx",
        _far_cell_workbook,
        ("import", "table", "{}", "--map", "run-of-show", "--into", str(OPENING), "-o", "out.yaml"),
    ),
]


def _id(worst: Worst) -> str:
    return f"{worst.command[0]}-{worst.name}" + ("-o" if "-o" in worst.command else "")


@pytest.mark.parametrize("worst", WORST, ids=_id)
def test_refused_with_one_located_line(tmp_path: Path, worst: Worst) -> None:
    """Exit 2, one ``error:`` line naming the file, no traceback, nothing written."""
    given, out = tmp_path / "in", tmp_path / "out"
    given.mkdir()
    out.mkdir()
    path = given / worst.name
    path.write_bytes(worst.content())
    args = [str(path) if arg == "{}" else arg for arg in worst.command]
    result = run(args, cwd=out)
    shown = f"ceremony {' '.join(args)}\nexit {result.returncode}\nstderr:\n{result.stderr[-3000:]}"
    assert "Traceback" not in result.stderr + result.stdout, shown
    assert result.returncode == 2, shown
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, shown
    assert lines[0].startswith("error:"), shown
    assert path.name in lines[0], shown
    assert not list(out.iterdir()), f"{shown}\nleft behind: {sorted(out.iterdir())}"
    if worst.command[0] != "check":  # check prints its summary; the others nothing at all
        assert not result.stdout.strip(), f"{shown}\nstdout:\n{result.stdout[:1000]}"


def test_output_into_a_missing_folder(tmp_path: Path) -> None:
    """``ics -o missing/dir/out.ics``: the folder is made and the feed written, or exit 2."""
    result = run(["ics", str(OPENING), "-o", "missing/dir/out.ics"], cwd=tmp_path)
    shown = f"exit {result.returncode}\nstderr:\n{result.stderr[-3000:]}"
    assert "Traceback" not in result.stderr + result.stdout, shown
    feed = tmp_path / "missing" / "dir" / "out.ics"
    if result.returncode == 0:
        assert feed.read_bytes().rstrip().endswith(b"END:VCALENDAR"), shown
        return
    assert result.returncode == 2, shown
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, shown
    assert lines[0].startswith("error:"), shown
    assert "out.ics" in lines[0] or "missing" in lines[0], shown
    assert not feed.exists(), shown


@pytest.mark.parametrize(
    ("name", "text", "command"),
    [
        ("show.yaml", SHOW, "check"),
        ("show.json", SHOW_JSON, "check"),
        ("show.toml", SHOW_TOML, "check"),
        ("show.yaml", SHOW, "ics"),
        ("show.yaml", SHOW, "timeline"),
        ("show.yaml", SHOW, "sheet"),
    ],
)
def test_the_inputs_are_fine_without_their_worst_value(
    tmp_path: Path, name: str, text: str, command: str
) -> None:
    """The control: the shows the worst inputs are made from are read and printed (exit 0)."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = run([command, str(path)], cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
