"""mypy --strict rejects wrong calls to the model in user code (tests/typing/wrong_calls.py)."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
WRONG_CALLS = Path(__file__).parent / "typing" / "wrong_calls.py"
_IGNORE = "# mypy: ignore-errors"


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy is not installed")
def test_mypy_reports_each_wrong_call_and_nothing_else(tmp_path: Path) -> None:
    """Every line marked expect-error is reported by mypy --strict; no other line is."""
    text = WRONG_CALLS.read_text(encoding="utf-8")
    assert text.startswith(_IGNORE)  # kept out of the project's own mypy run
    checked = tmp_path / "wrong_calls.py"
    checked.write_text(text.replace(_IGNORE, "#", 1), encoding="utf-8")
    expected = {
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if line.endswith("# expect-error")
    }
    assert len(expected) >= 10
    run = subprocess.run(
        [
            *(sys.executable, "-m", "mypy", "--strict", "--no-error-summary"),
            *("--cache-dir", str(tmp_path / "cache"), str(checked)),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    reported = {
        int(found)
        for found in re.findall(rf"^{re.escape(str(checked))}:(\d+): error:", run.stdout, re.M)
    }
    assert expected - reported == set(), run.stdout
    assert reported - expected == set(), run.stdout
