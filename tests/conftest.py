"""Shared fixtures: the examples folder and a helper to load a show from text."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Generator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

import ceremony

# CI runs hypothesis derandomized (HYPOTHESIS_PROFILE=ci in .ci/run): a landing must not
# hang on one unlucky draw. Runs elsewhere keep exploring new examples.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

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


OPTIONAL_MODULES = {
    "openpyxl": "xlsx",
    "defusedxml": "odf",
    "typst": "pdf",
    "starlette": "serve",
    "uvicorn": "serve",
    "httpx": "test",
    "ical": "test",
    "pypdf": "test",
    "pdfplumber": "test",
    "selenium": "test",
    "vobject": "test",
}
"""Modules a test file may import that only an extra installs (``pip install -e '.[test]'``
installs them all), with that extra."""


class _ModuleNeedingExtras(pytest.Module):
    """A test module skipped, saying which extra to install, when an import it needs is missing."""

    def _getobj(self) -> Any:
        try:
            return super()._getobj()  # type: ignore[no-untyped-call]
        except self.CollectError as error:
            cause = error.__cause__
            name = (getattr(cause, "name", None) or "").split(".")[0]
            if isinstance(cause, ModuleNotFoundError) and name in OPTIONAL_MODULES:
                extra = OPTIONAL_MODULES[name]
                reason = f"{self.path.name} needs {name}: pip install -e '.[{extra}]'"
                pytest.skip(reason, allow_module_level=True)
            raise


def pytest_pycollect_makemodule(module_path: Path, parent: pytest.Collector) -> pytest.Module:
    """Collect test modules so that one missing an optional dependency is skipped cleanly."""
    return _ModuleNeedingExtras.from_parent(parent, path=module_path)


def _missing_extra(report_text: str) -> str | None:
    """Why a failed test needs an extra that is not installed, or None if that is not why."""
    for module, extra in OPTIONAL_MODULES.items():
        if importlib.util.find_spec(module) is not None:
            continue
        if f"No module named '{module}'" in report_text or (
            f"needs the {extra} extra" in report_text
        ):
            return f"needs {module}: pip install -e '.[{extra}]'"
    return None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A test that fails only because an optional dependency is not installed is skipped."""
    report = yield
    if report.failed and call.when == "call":
        reason = _missing_extra(report.longreprtext)
        if reason is not None:
            report.outcome = "skipped"
            report.longrepr = (str(item.path), item.location[1] or 0, f"Skipped: {reason}")
    return report


@pytest.fixture(autouse=True)
def _no_inherited_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Output width comes from each test, not from the terminal that runs the suite."""
    monkeypatch.delenv("COLUMNS", raising=False)
