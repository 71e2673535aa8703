"""Shared fixtures: the examples folder and a helper to load a show from text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import ceremony

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
SHOW_FILES = sorted(
    path for path in EXAMPLES.iterdir() if path.is_file() and ".actuals." not in path.name
)
"""The example show files (the actuals logs beside them left out)."""

HEAD = """\
programme: Test Games
timezone: Europe/Paris
venues:
  - {id: concorde, name: Place de la Concorde}
people:
  - {id: chilly, name: Chilly Gonzalez}
  - {id: macron, name: Emmanuel Macron}
delegations:
  - {id: KAZ, name: Kazakhstan}
"""


@pytest.fixture
def show() -> Callable[[str], ceremony.Programme]:
    """Load a YAML show: the standard head (venue, two people, a delegation) plus ``body``."""

    def load(body: str) -> ceremony.Programme:
        return ceremony.loads(HEAD + body, "yaml", file="show.yaml")

    return load
