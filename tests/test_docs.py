"""The show-file reference lists every key of every part of the model."""

from __future__ import annotations

import io
import re
from contextlib import chdir, redirect_stdout
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

import ceremony
from ceremony.cli import main
from ceremony.io.converter import file_keys

from .conftest import ROOT

REFERENCE = (ROOT / "docs" / "file-format.md").read_text()

SECTIONS = {
    "Programme": ceremony.Programme,
    "Dates": ceremony.DateRange,
    "Venue": ceremony.Venue,
    "Geo": ceremony.Geo,
    "Person": ceremony.Person,
    "Delegation": ceremony.Delegation,
    "Medals": ceremony.MedalTally,
    "Ceremony": ceremony.Ceremony,
    "Segment": ceremony.Segment,
    "Cue": ceremony.Cue,
    "Session": ceremony.CompetitionSession,
    "Result": ceremony.Result,
}


def section(title: str) -> str:
    match = re.search(rf"^##+ {title}\n(.*?)(?=^##+ )", REFERENCE + "\n## ", re.S | re.M)
    assert match, f"no section {title!r} in docs/file-format.md"
    return match.group(1)


@pytest.mark.parametrize("title", SECTIONS)
def test_section_lists_exactly_the_keys(title: str) -> None:
    """Each section's table has one row per key the model accepts, and no other."""
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", section(title), re.M))
    assert documented == set(file_keys(SECTIONS[title]))


@pytest.mark.parametrize("kind", sorted(ceremony.SEGMENT_KINDS))
def test_every_kind_and_its_own_keys(kind: str) -> None:
    """Each segment kind is in the kinds table with every key of its own."""
    cls = ceremony.SEGMENT_KINDS[kind]
    row = re.search(rf"^\| `{kind}` \| (.*) \|$", section("Kinds"), re.M)
    assert row, f"kind {kind!r} is not documented"
    own = {f.name for f in attrs.fields(cls)} - {f.name for f in attrs.fields(ceremony.Segment)}
    assert own <= set(re.findall(r"`([a-z_]+)`", row.group(1)))


TUTORIAL = (ROOT / "docs" / "tutorial.md").read_text()


def _console_blocks() -> list[str]:
    """The ``ceremony check`` transcripts of the tutorial, in order."""
    blocks = re.findall(r"```console\n\$ ceremony check show.yaml\n(.*?)```", TUTORIAL, re.S)
    assert len(blocks) == 3
    return blocks


@pytest.mark.parametrize(
    ("change", "block"), [(None, 0), ("duration: -45m", 1), ("duration: 55m", 2)]
)
def test_tutorial_transcripts_are_real(tmp_path: Path, change: str | None, block: int) -> None:
    """Each `ceremony check` transcript in the tutorial is what the command prints."""
    text = re.search(r"Save this as `show.yaml`:\n\n```yaml\n(.*?)```", TUTORIAL, re.S)
    assert text is not None
    show = text.group(1) if change is None else text.group(1).replace("duration: 45m", change)
    (tmp_path / "show.yaml").write_text(show)
    with chdir(tmp_path):
        result = CliRunner().invoke(main, ["check", "show.yaml"])
    printed = result.stderr + result.stdout
    assert printed.split() == _console_blocks()[block].split()


def test_readme_python_example_runs() -> None:
    """The README's Python example runs against the bundled examples."""
    readme = (ROOT / "README.md").read_text()
    code = re.search(r"```python\n(.*?)```", readme, re.S)
    assert code is not None
    with chdir(ROOT), redirect_stdout(io.StringIO()) as out:
        exec(compile(code.group(1), "README.md", "exec"), {})  # noqa: S102 - our own README
    assert "Parade of 168 delegations" in out.getvalue()
