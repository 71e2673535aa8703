"""The old home of the sheet's template context, kept so its import paths still work.

The view classes now live in :mod:`ceremony.export.sheets.view`, :func:`build_sheet` in
:mod:`ceremony.export.sheets.rows`, the change marks in :mod:`ceremony.export.sheets.marks`
and the strip in :mod:`ceremony.export.sheets.strip`.
"""

from __future__ import annotations

from ceremony.export.sheets.rows import build_sheet
from ceremony.export.sheets.strip import strip_of
from ceremony.export.sheets.view import (
    ChangeMark,
    Credit,
    CueLine,
    Header,
    Orientation,
    Paper,
    RemovedItem,
    Sheet,
    SheetRow,
    Strip,
    StripBand,
    StripBar,
    StripTick,
    Summary,
)

__all__ = [
    "ChangeMark",
    "Credit",
    "CueLine",
    "Header",
    "Orientation",
    "Paper",
    "RemovedItem",
    "Sheet",
    "SheetRow",
    "Strip",
    "StripBand",
    "StripBar",
    "StripTick",
    "Summary",
    "build_sheet",
    "strip_of",
]
