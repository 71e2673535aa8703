"""The show-file reference lists every key of every part of the model."""

from __future__ import annotations

import io
import re
import shlex
import shutil
from contextlib import chdir, redirect_stdout
from datetime import timedelta
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

import ceremony
from ceremony import limits
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
    "Departments": ceremony.Department,
    "Session": ceremony.CompetitionSession,
    "Result": ceremony.ResultLine,
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


DOCS = ROOT / "docs"


def _normalised(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


def test_live_howto_record_transcript_is_real(tmp_path: Path) -> None:
    """The `ceremony record` transcript of the live how-to is what the commands print, and
    the timeline excerpt is part of what `timeline --actuals --now` prints."""
    page = (DOCS / "live.md").read_text()
    block = re.search(r"```console\n(\$ ceremony record .*?)```", page, re.S)
    assert block is not None
    (tmp_path / "show.yaml").write_text((ROOT / "examples" / "paralympic-opening.yaml").read_text())
    runner = CliRunner()
    expected: list[str] = []
    actual: list[str] = []
    with chdir(tmp_path):
        for line in block.group(1).splitlines():
            if line.startswith("$ ceremony "):
                result = runner.invoke(main, line.removeprefix("$ ceremony ").split())
                assert result.exit_code == 0, result.output
                actual += _normalised(result.output)
            else:
                expected.append(line)
        recorded = (tmp_path / "show.actuals.yaml").read_text()
        table = runner.invoke(
            main, ["timeline", "show.yaml", "--actuals", "show.actuals.yaml", "--now", "20:14"]
        ).output
    assert actual == expected
    yaml_block = re.search(r"```yaml\n(ceremony: paralympic-opening\n.*?)```", page, re.S)
    assert yaml_block is not None and yaml_block.group(1) == recorded
    excerpt = re.search(r"--now 20:14\n```\n\n```text\n(.*?)```", page, re.S)
    assert excerpt is not None
    for line in excerpt.group(1).splitlines():
        assert line in _normalised(table)


def test_backtime_howto_excerpt_is_real() -> None:
    """Every row shown in the back-timing how-to is in the real output."""
    page = (DOCS / "backtime.md").read_text()
    excerpt = re.search(r"--backtime\n```\n\n.*?```text\n(.*?)```", page, re.S)
    assert excerpt is not None
    output = (
        CliRunner()
        .invoke(
            main, ["timeline", str(ROOT / "examples" / "paralympic-opening.yaml"), "--backtime"]
        )
        .output
    )
    for line in excerpt.group(1).splitlines():
        assert line in _normalised(output)


def _documented(block: str) -> list[str]:
    """The output lines of a console transcript (the commands and their continuations left out)."""
    lines = []
    for line in block.splitlines():
        if line.startswith("$ ") or line.startswith("    --") or not line.strip():
            continue
        lines.append(line.rstrip())
    return lines


def _matches(documented: list[str], printed: list[str]) -> None:
    """Each documented line is printed, in order; one ending in "..." is a prefix, and a
    line that is only "..." stands for any lines."""
    position = 0
    for line in documented:
        if line.strip() == "...":
            continue
        prefix = line.removesuffix(" ...")
        while position < len(printed) and not (
            printed[position] == line
            or (line.endswith(" ...") and printed[position].startswith(prefix))
        ):
            position += 1
        assert position < len(printed), f"not printed: {line!r}\nprinted: {printed}"
        position += 1


def test_publish_howto_transcripts_are_real(tmp_path: Path) -> None:
    """The site builds of the publishing how-to print what the page says."""
    page = (DOCS / "publish.md").read_text()
    blocks = re.findall(r"```console\n(\$ ceremony site .*?)```", page, re.S)
    assert len(blocks) == 2
    (tmp_path / "examples").mkdir()
    example = ROOT / "examples" / "paralympians-aze-kaz.yaml"
    (tmp_path / "examples" / example.name).write_text(example.read_text())
    runner = CliRunner()
    with chdir(tmp_path):
        first = runner.invoke(
            main,
            [
                "site",
                "examples/paralympians-aze-kaz.yaml",
                "-o",
                "site",
                "--domain",
                "feeds.example.org",
                "--base-url",
                "https://feeds.example.org/paris2024/",
            ],
        )
        assert first.exit_code == 0, first.output
        _matches(_documented(blocks[0]), first.stderr.splitlines())
        programme = ceremony.load("examples/paralympians-aze-kaz.yaml")
        sessions = []
        for session in programme.sessions:
            if session.id == "tkd-w-k44-52kg":
                continue
            if session.id == "swm-m-100bk-s12" and session.start is not None:
                session = attrs.evolve(session, start=session.start + timedelta(hours=1))  # noqa: PLW2901
            sessions.append(session)
        ceremony.dump(attrs.evolve(programme, revision="2", sessions=sessions), "show-r2.yaml")
        second = runner.invoke(
            main, ["site", "show-r2.yaml", "-o", "site", "--domain", "feeds.example.org"]
        )
        assert second.exit_code == 0, second.output
        _matches(_documented(blocks[1]), second.stderr.splitlines())


def test_publish_howto_python_runs(tmp_path: Path) -> None:
    """The Python example of the publishing how-to runs."""
    page = (DOCS / "publish.md").read_text()
    code = re.search(r"## From Python\n\n```python\n(.*?)```", page, re.S)
    assert code is not None
    source = code.group(1).replace('"examples/', f'"{ROOT}/examples/')
    with chdir(tmp_path):
        exec(compile(source, "publish.md", "exec"), {})  # noqa: S102 - our own docs
    assert (tmp_path / "site" / "all.ics").exists()


def _commands(page: str) -> list[tuple[list[str], list[str]]]:
    """Each ``$ ceremony ...`` command of a page's console blocks, with its documented output."""
    found: list[tuple[list[str], list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", page, re.S):
        for line in block.splitlines():
            if line.startswith("$ ceremony "):
                found.append((shlex.split(line.removeprefix("$ ceremony ")), []))
            elif line.strip():
                found[-1][1].append(line.rstrip())
    return found


def test_sheets_howto_transcripts_are_real(tmp_path: Path) -> None:
    """Every command of the sheets how-to prints what the page says it prints."""
    commands = _commands((DOCS / "sheets.md").read_text())
    assert len(commands) == 5
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    runner = CliRunner()
    with chdir(tmp_path):
        for args, documented in commands:
            result = runner.invoke(main, args)
            assert result.exit_code == 0, result.output
            printed = (result.stdout + result.stderr).splitlines()
            _matches(documented, [line.rstrip() for line in printed])
    assert len(list((tmp_path / "cues").iterdir())) == 6
    assert (tmp_path / "r2.pdf").read_bytes().startswith(b"%PDF")


def test_sheets_howto_python_prints_what_it_says() -> None:
    """The Python example of the sheets how-to runs and prints what its comments say."""
    page = (DOCS / "sheets.md").read_text()
    code = re.search(r"## From Python\n\n```python\n(.*?)```", page, re.S)
    assert code is not None
    source = code.group(1).replace('"examples/', f'"{ROOT}/examples/')
    printed = io.StringIO()
    with redirect_stdout(printed):
        exec(compile(source, "sheets.md", "exec"), {})  # noqa: S102 - our own docs
    said = re.findall(r"^print\(.*\)  # (.*)$", source, re.M)
    assert printed.getvalue().splitlines() == said


@pytest.mark.skipif(not (ROOT.parent / "shared" / "data").is_dir(), reason="no ../shared/data")
def test_import_howto_transcripts_are_real(tmp_path: Path) -> None:
    """Every command of the import how-to prints what the page says it prints."""
    commands = _commands((DOCS / "import.md").read_text())
    assert len(commands) == 5
    project = tmp_path / "project"
    shutil.copytree(ROOT / "examples", project / "examples")
    (tmp_path / "shared").symlink_to(ROOT.parent / "shared")
    runner = CliRunner()
    with chdir(project):
        for args, documented in commands:
            result = runner.invoke(main, args)
            assert result.exit_code == 0, result.output
            printed = (result.stderr + result.stdout).splitlines()  # findings, then the summary
            _matches(documented, [line.rstrip() for line in printed])
    assert ceremony.load(project / "opening-back.yaml") == ceremony.load(
        ROOT / "examples" / "paralympic-opening.yaml"
    )


def test_limits_section_states_the_limits() -> None:
    """The show-file reference's limits are the ones ceremony.limits enforces."""
    text = " ".join(section("Limits").split())
    mib = 1024 * 1024
    stated = [
        f"{limits.MAX_NESTING} levels",
        f"{limits.EARLIEST_DATE.isoformat()} to {limits.LATEST_DATE.isoformat()}",
        f"at most {limits.MAX_DURATION.days} days",
        f"{limits.MAX_TABLE_BYTES // mib} MiB (`.csv` or `.xlsx`)",
        f"at most {limits.MAX_WORKBOOK_PART_BYTES // mib} MiB",
        f"{limits.MAX_WORKBOOK_BYTES // mib} MiB in all, at most {limits.MAX_WORKBOOK_PARTS:,} parts",
        f"first {limits.MAX_TABLE_ROWS:,} rows",
        f"first {limits.MAX_TABLE_COLUMNS} columns",
        f"{limits.MAX_TABLE_CELLS:,} non-empty cells",
    ]
    for phrase in stated:
        assert phrase in text, f"docs/file-format.md does not say {phrase!r}"
