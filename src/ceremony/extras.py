"""The optional parts of ceremony and the extras that install them.

The core (show files, timelines, checks, feeds, sheets as HTML, text, Markdown and CSV)
needs no extra. The rest is imported only where it is used, inside :func:`needs_extra`,
so ``import ceremony`` and ``ceremony --version`` load none of it, and a missing extra
is a :class:`~ceremony.errors.MissingExtraError` that says what to install::

    with needs_extra("xlsx", "XLSX output"):
        from ceremony.export.xlsx import run_of_show_xlsx
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ceremony.errors import MissingExtraError

__all__ = ["DISTRIBUTION", "EXTRAS", "needs_extra"]

DISTRIBUTION = "ceremony-timeline"
"""The name ceremony is installed under (``pip install ceremony-timeline``)."""

EXTRAS: dict[str, tuple[str, ...]] = {
    "serve": ("starlette", "uvicorn"),
    "live": ("starlette", "uvicorn"),
    "xlsx": ("openpyxl",),
    "odf": ("defusedxml",),
    "pdf": ("typst",),
}
"""Each extra and the top-level modules it installs (as ``pyproject.toml`` declares)."""


@contextmanager
def needs_extra(extra: str, purpose: str) -> Iterator[None]:
    """Run the imports of the block; one of ``extra``'s modules missing is a clear error.

    ``purpose`` starts the message: ``"XLSX output"`` gives ``XLSX output needs the xlsx
    extra: pip install 'ceremony-timeline[xlsx]'``. Any other import error (a module of
    ceremony itself, a dependency every install has) is raised as it is.
    """
    modules = EXTRAS[extra]
    try:
        yield
    except ImportError as error:
        missing = (error.name or "").partition(".")[0]
        if missing not in modules:
            raise
        raise MissingExtraError(
            f"{purpose} needs the {extra} extra: pip install '{DISTRIBUTION}[{extra}]'",
            extra=extra,
            name=missing,
        ) from error
