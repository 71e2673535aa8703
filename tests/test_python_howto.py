"""The "Build a show in Python" how-to runs, and prints what its comments say it prints."""

from __future__ import annotations

import io
import re
from contextlib import redirect_stdout

from .conftest import ROOT

PAGE = ROOT / "docs" / "python.md"


def test_python_howto_runs_and_prints_what_it_says() -> None:
    """Every python block of docs/python.md runs in order; each print matches its comment."""
    blocks = re.findall(r"```python\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 5
    source = "".join(blocks)
    printed = io.StringIO()
    with redirect_stdout(printed):
        exec(compile(source, "python.md", "exec"), {})  # noqa: S102 - our own docs
    said = re.findall(r"^\s*print\(.*\)  # (.*)$", source, re.M)
    assert len(said) >= 8
    assert printed.getvalue().splitlines() == said
