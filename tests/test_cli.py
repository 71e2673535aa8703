"""The ceremony command: exit codes, output, and no traceback on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import ceremony
from ceremony.cli import main

from .conftest import EXAMPLES, SHOW_FILES

OPENING = str(EXAMPLES / "paralympic-opening.yaml")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


class TestCheck:
    def test_clean_files_exit_0(self) -> None:
        """Every example has no errors (its GOs without standbys are warnings): exit 0."""
        code, out, _ = run("check", *(str(p) for p in SHOW_FILES))
        assert code == 0
        assert f"{len(SHOW_FILES)} files: no errors, " in out
        assert "[go-without-standby]" in out

    def test_error_findings_exit_1(self, tmp_path: Path) -> None:
        """A plan with error-level findings exits 1 and prints them located."""
        path = tmp_path / "show.yaml"
        path.write_text(
            Path(OPENING)
            .read_text()
            .replace("hard_out: 2024-08-28T23:00", "hard_out: 2024-08-28T22:00")
        )
        code, out, _ = run("check", str(path))
        assert code == 1
        assert f"{path}:" in out and "over-hard-out" in out

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("programme: [", "not valid YAML"),
            ("programme: P\nvenues: {}\n", "venues: expected a list"),
            ("programme: P\ntimezone: Mars/Base\n", "timezone: 'Mars/Base' is not a known"),
            (
                "programme: P\nsessions:\n  - {id: s, sport: X, athletes: [ghost]}\n",
                "unknown person 'ghost'",
            ),
        ],
    )
    def test_unreadable_exits_2_without_traceback(
        self, tmp_path: Path, text: str, message: str
    ) -> None:
        """A file that cannot be read exits 2 with its located error and no traceback."""
        path = tmp_path / "bad.yaml"
        path.write_text(text)
        code, _, err = run("check", str(path))
        assert code == 2
        assert f"{path}:" in err and message in err
        assert "Traceback" not in err

    def test_missing_file_exits_2(self, tmp_path: Path) -> None:
        """A missing file is unreadable input."""
        code, _, err = run("check", str(tmp_path / "nope.yaml"))
        assert code == 2
        assert "no such file" in err


class TestTimeline:
    def test_table(self) -> None:
        """The table shows clock, duration, running time, kind, title and who."""
        code, out, _ = run("timeline", OPENING)
        assert code == 0
        for text in (
            "Clock",
            "Running",
            "20:00",
            "1h25m",
            "Chilly Gonzalez",
            "Izmaganbetov",
            "cauldron lighting",
            "hard out 23:00",
        ):
            assert text in out

    def test_second_zone(self) -> None:
        """--tz adds a column of clock times in another zone (its city, 80 columns wide)."""
        code, out, _ = run("timeline", OPENING, "--tz", "Asia/Almaty")
        assert code == 0
        assert "Almaty" in out and "23:00" in out  # 20:00 in Paris; Almaty is UTC+5

    def test_json(self) -> None:
        """--format json gives every slot with ISO times in the show's zone."""
        code, out, _ = run("timeline", OPENING, "--format", "json")
        assert code == 0
        data = json.loads(out)
        timeline = data["timelines"][0]
        assert timeline["id"] == "paralympic-opening"
        assert timeline["start"] == "2024-08-28T20:00:00+02:00"
        assert timeline["slots"][0]["id"] == "welcome"
        assert len(timeline["slots"]) == 17

    def test_json_in_another_zone(self) -> None:
        """--tz with JSON writes times in that zone."""
        _, out, _ = run("timeline", OPENING, "--format", "json", "--tz", "Asia/Almaty")
        assert (
            json.loads(out)["timelines"][0]["start"] == "2024-08-28T23:00:00+05:00"
        )  # UTC+5 since 2024

    def test_unknown_ceremony_exits_2(self) -> None:
        """Asking for a ceremony that is not there names the ones that are."""
        code, _, err = run("timeline", OPENING, "--ceremony", "closing")
        assert code == 2
        assert "no ceremony 'closing' (ceremonies: paralympic-opening)" in err

    def test_bad_zone_exits_2(self) -> None:
        """An unknown --tz is a usage error."""
        code, _, err = run("timeline", OPENING, "--tz", "Paris")
        assert code == 2
        assert "'Paris' is not a known IANA time zone" in err

    def test_schedule_of_sessions(self) -> None:
        """A sessions-only file prints its schedule, day by day."""
        code, out, _ = run("timeline", str(EXAMPLES / "paralympians-aze-kaz.yaml"))
        assert code == 0
        assert "Thursday 29 August 2024" in out and "Lamiya Valiyeva" in out


def test_version() -> None:
    """--version prints the installed version."""
    code, out, _ = run("--version")
    assert code == 0
    assert out.strip() == f"ceremony, version {ceremony.__version__}"
