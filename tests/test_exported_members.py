"""The public API lives in ceremony/__init__.py: complete and sorted."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

import ceremony


def test_all_is_sorted() -> None:
    """__all__ is sorted (constants first, as ruff sorts them)."""
    assert ceremony.__all__ == sorted(ceremony.__all__, key=lambda n: (not n.isupper(), n))


def test_all_is_complete() -> None:
    """Every public name is in __all__, is imported on first use, and exists."""
    for name in ceremony.__all__:
        assert getattr(ceremony, name) is not None
    public = {name for name in vars(ceremony) if not name.startswith("_")}
    modules = {
        "checks",
        "cli",
        "durations",
        "errors",
        "export",
        "extras",
        "findings",
        "io",
        "limits",
        "live",
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
    assert set(ceremony.__all__) - {"__version__"} == set(ceremony._MODULE_OF), (
        "add the name to ceremony._EXPORTS (imported on first use), not as an import"
    )


def test_type_checkers_see_the_names_that_are_imported_on_first_use() -> None:
    """The ``if TYPE_CHECKING:`` imports of ceremony/__init__.py are exactly ``_EXPORTS``."""
    source = Path(ceremony.__file__).read_text(encoding="utf-8")
    (block,) = [
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "_typing.TYPE_CHECKING"
    ]
    seen: dict[str, set[str]] = {}
    for statement in block.body:
        assert isinstance(statement, ast.ImportFrom)
        assert statement.module is not None
        seen.setdefault(statement.module, set()).update(
            alias.asname or alias.name for alias in statement.names
        )
    assert seen == {module: set(names) for module, names in ceremony._EXPORTS.items()}


def test_import_is_lazy_and_dir_lists_every_export() -> None:
    """``import ceremony`` imports no submodule with a public name; dir() shows them all."""
    code = (
        "import sys, ceremony; print(sorted(m for m in sys.modules if m.startswith('ceremony.')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip() == "[]"
    assert set(ceremony.__all__) <= set(dir(ceremony))


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
