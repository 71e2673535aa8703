"""Printable run-of-show sheets and per-department cue sheets.

:func:`build_sheet` works out what a sheet says (:class:`Sheet`, the template context);
:func:`cue_sheet` cuts one department's cues from it; :func:`render_sheet` lays either out as
HTML, PDF, Markdown, plain text or CSV.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from ceremony.errors import ModelError
from ceremony.export.sheets.cuesheet import CueRow, CueSheet, cue_sheet, departments
from ceremony.export.sheets.html import render_html, render_pdf
from ceremony.export.sheets.plain import render_markdown, render_text
from ceremony.export.sheets.rows import build_sheet
from ceremony.export.sheets.table import render_csv
from ceremony.export.sheets.view import (
    Credit,
    CueLine,
    Header,
    RemovedItem,
    Sheet,
    SheetRow,
    Strip,
    Summary,
)

SheetFormat = Literal["html", "pdf", "md", "txt", "csv"]
SHEET_FORMATS: tuple[SheetFormat, ...] = ("html", "pdf", "md", "txt", "csv")
"""The formats :func:`render_sheet` writes (also the file extensions)."""


def render_sheet(
    sheet: Sheet | CueSheet, fmt: SheetFormat, *, templates: Path | str | None = None
) -> str | bytes:
    """The sheet in format ``fmt``: bytes for ``pdf``, text for the others.

    ``templates`` (HTML and PDF only) is a folder whose files replace the shipped templates.
    """
    if fmt == "html":
        return render_html(sheet, templates=templates)
    if fmt == "pdf":
        return render_pdf(sheet, templates=templates)
    if fmt == "md":
        return render_markdown(sheet)
    if fmt == "txt":
        return render_text(sheet)
    if fmt == "csv":
        return render_csv(sheet)
    raise ModelError(f"unknown sheet format {fmt!r}; one of {', '.join(SHEET_FORMATS)}")


__all__ = [
    "SHEET_FORMATS",
    "Credit",
    "CueLine",
    "CueRow",
    "CueSheet",
    "Header",
    "RemovedItem",
    "Sheet",
    "SheetFormat",
    "SheetRow",
    "Strip",
    "Summary",
    "build_sheet",
    "cue_sheet",
    "departments",
    "render_csv",
    "render_html",
    "render_markdown",
    "render_pdf",
    "render_sheet",
    "render_text",
]
