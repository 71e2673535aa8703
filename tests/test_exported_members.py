"""The public API lives in ceremony/__init__.py: complete and sorted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import ceremony


def test_all_is_sorted() -> None:
    """__all__ is sorted (constants first, as ruff sorts them)."""
    assert ceremony.__all__ == sorted(ceremony.__all__, key=lambda n: (not n.isupper(), n))


def test_all_is_complete() -> None:
    """Every public name imported into the package is in __all__, and exists."""
    public = {name for name in vars(ceremony) if not name.startswith("_")}
    modules = {
        "checks",
        "cli",
        "durations",
        "errors",
        "export",
        "findings",
        "io",
        "limits",
        "mappings",
        "model",
        "publishing",
        "revisions",
        "serve",
        "site",
        "slugs",
        "timing",
        "zones",
    }
    assert set(ceremony.__all__) - {"__version__"} == public - modules


def test_api_reference_documents_every_export() -> None:
    """docs/api.md has a ``::: ceremony....NAME`` entry for every name in __all__."""
    text = (Path(__file__).parent.parent / "docs" / "api.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^::: ceremony(?:\.\w+)*\.(\w+)$", text, flags=re.MULTILINE))
    assert set(ceremony.__all__) - documented == set()


def test_renamed_names_still_resolve_with_a_warning() -> None:
    """The 0.x names (``Where``, ``Entry``, ``entries`` ...) give the new object and warn."""
    for old, new in ceremony._RENAMED.items():
        with pytest.warns(DeprecationWarning, match=f"ceremony.{old} is now ceremony.{new}"):
            assert getattr(ceremony, old) is getattr(ceremony, new)
    with pytest.raises(AttributeError):
        ceremony.NoSuchName  # type: ignore[attr-defined]  # noqa: B018
