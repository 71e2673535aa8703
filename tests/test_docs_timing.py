"""The timing explanation's example shows, transcripts and Python are what ceremony does."""

from __future__ import annotations

import io
import re
import shlex
from contextlib import chdir, redirect_stdout
from pathlib import Path

import pytest
from click.testing import CliRunner

import ceremony
from ceremony.cli import main

from .conftest import ROOT

PAGE = (ROOT / "docs" / "timing.md").read_text()


def _shows() -> dict[str, str]:
    """The page's show files: each YAML block whose first line is ``# NAME.yaml``."""
    return dict(re.findall(r"```yaml\n# ([\w.-]+\.yaml)\n(.*?)```", PAGE, re.S))


def _commands() -> list[tuple[list[str], list[str]]]:
    """Each ``$ ceremony ...`` command of the page's console blocks, with its output lines."""
    found: list[tuple[list[str], list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", PAGE, re.S):
        for line in block.splitlines():
            if line.startswith("$ ceremony "):
                found.append((shlex.split(line.removeprefix("$ ceremony ")), []))
            else:
                found[-1][1].append(line.rstrip())
    return found


def _printed(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _write_shows(folder: Path) -> None:
    for name, text in _shows().items():
        (folder / name).write_text(text)


def test_page_has_its_examples() -> None:
    """The extraction finds the shows and every transcript (so the checks below bite)."""
    assert set(_shows()) == {"closing.yaml", "vigil.yaml"}
    assert len(_commands()) == 7


def test_transcripts_are_real(tmp_path: Path) -> None:
    """Every command on the page prints exactly what the page shows, run in order."""
    _write_shows(tmp_path)
    runner = CliRunner()
    with chdir(tmp_path):
        for args, documented in _commands():
            result = runner.invoke(main, args)
            assert result.exit_code == 0, result.output
            assert _printed(result.output) == documented, shlex.join(args)


def test_python_prints_what_it_says(tmp_path: Path) -> None:
    """The Python example runs and prints what its comments say."""
    code = re.search(r"## From Python\n\n.*?```python\n(.*?)```", PAGE, re.S)
    assert code is not None
    _write_shows(tmp_path)
    printed = io.StringIO()
    with chdir(tmp_path), redirect_stdout(printed):
        exec(compile(code.group(1), "timing.md", "exec"), {})  # noqa: S102 - our own docs
    said = re.findall(r"^print\(.*\)  # (.*)$", code.group(1), re.M)
    assert printed.getvalue().splitlines() == said


def test_a_time_that_happens_twice_is_an_error(tmp_path: Path) -> None:
    """As the page says: a hard 02:30 on the night the clocks go back needs a fold."""
    show = _shows()["vigil.yaml"].replace('start: "03:00"', 'start: "02:30"')
    (tmp_path / "vigil.yaml").write_text(show)
    with pytest.raises(ceremony.CeremonyError, match="happens twice"):
        ceremony.load(tmp_path / "vigil.yaml")
