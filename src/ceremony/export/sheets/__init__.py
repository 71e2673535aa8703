"""Printable run-of-show sheets and per-department cue sheets.

:func:`build_sheet` works out what a sheet says (:class:`Sheet`, the template context);
:func:`cue_sheet` cuts one department's cues from it, :func:`cue_sheets` every department's;
:func:`render_sheet` lays either out as HTML, PDF, Markdown, plain text or CSV. :func:`sheet`
does all of it in one call, as ``ceremony sheet`` does.
"""

from __future__ import annotations

from ceremony.export.sheets.cuesheet import CueRow, CueSheet, cue_sheet, cue_sheets, departments
from ceremony.export.sheets.document import (
    SHEET_FORMATS,
    BinaryFormat,
    SheetFormat,
    TextFormat,
    prepare_sheet,
    render_sheet,
    sheet,
)
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

__all__ = [
    "SHEET_FORMATS",
    "BinaryFormat",
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
    "TextFormat",
    "build_sheet",
    "cue_sheet",
    "cue_sheets",
    "departments",
    "prepare_sheet",
    "render_csv",
    "render_html",
    "render_markdown",
    "render_pdf",
    "render_sheet",
    "render_text",
    "sheet",
]
