"""Sheets as HTML, from Jinja2 templates (PDF is typeset from the same view model by Typst).

The shipped templates live in ``ceremony/templates/sheets``: ``run-of-show.html.j2`` and
``cues.html.j2`` extend ``base.html.j2`` (the page header and footer), include
``sheet.css.j2`` (print styles), ``strip.svg.j2`` (the timeline strip) and
``summary.html.j2``. A folder passed as ``templates`` is searched first, so a file of the
same name there replaces the shipped one. Templates are autoescaped. :func:`render_pdf`
hands the sheet to :mod:`ceremony.export.sheets.pdf`, which lays it out with Typst.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from ceremony.errors import CeremonyError
from ceremony.export.sheets.cuesheet import CueSheet
from ceremony.export.sheets.view import Sheet

TEMPLATES = {Sheet: "run-of-show.html.j2", CueSheet: "cues.html.j2"}
"""The template each kind of sheet is rendered with."""


@lru_cache(maxsize=8)
def _environment(templates: Path | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if templates is not None:
        loaders.append(jinja2.FileSystemLoader(templates))
    loaders.append(jinja2.PackageLoader("ceremony", "templates/sheets"))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(sheet: Sheet | CueSheet, *, templates: Path | str | None = None) -> str:
    """The sheet as a standalone HTML page (styles inline) that prints as the PDF does.

    Raises :class:`~ceremony.CeremonyError` naming the template and line when a
    replacement template is broken.
    """
    folder = None if templates is None else Path(templates).resolve()
    if folder is not None and not folder.is_dir():
        raise CeremonyError(f"{templates}: no such template folder")
    environment = _environment(folder)
    name = TEMPLATES[type(sheet)]
    try:
        template = environment.get_template(name)
        return template.render(sheet=sheet, header=sheet.header)
    except jinja2.TemplateSyntaxError as error:
        raise CeremonyError(
            f"{error.filename or error.name}:{error.lineno}: template error: {error.message}"
        ) from None
    except jinja2.TemplateError as error:
        raise CeremonyError(f"template {name}: {error}") from None


def render_strip(sheet: Sheet, *, templates: Path | str | None = None) -> str:
    """The sheet's timeline strip as a standalone SVG, from ``strip.svg.j2``.

    Raises :class:`~ceremony.CeremonyError` when the sheet has no strip, or naming the
    template and line when a replacement ``strip.svg.j2`` is broken.
    """
    if sheet.strip is None:
        raise CeremonyError(f"{sheet.header.item_id}: the sheet has no timeline strip")
    folder = None if templates is None else Path(templates).resolve()
    try:
        template = _environment(folder).get_template("strip.svg.j2")
        return template.render(strip=sheet.strip, header=sheet.header)
    except jinja2.TemplateSyntaxError as error:
        raise CeremonyError(
            f"{error.filename or error.name}:{error.lineno}: template error: {error.message}"
        ) from None
    except jinja2.TemplateError as error:
        raise CeremonyError(f"template strip.svg.j2: {error}") from None


def render_pdf(sheet: Sheet | CueSheet, *, templates: Path | str | None = None) -> bytes:
    """The sheet as PDF, typeset by Typst (the ``pdf`` extra).

    :func:`ceremony.export.sheets.pdf.typeset` does the work. ``templates`` is a folder
    whose ``sheet.typ`` or ``cues.typ`` replaces the shipped layout (and whose
    ``strip.svg.j2`` the strip). Raises :class:`~ceremony.errors.MissingExtraError` (a
    :class:`ModuleNotFoundError`) saying how to install the extra when Typst is missing.
    """
    # Imported here: the pdf module renders the strip with this module's templates.
    from ceremony.export.sheets.pdf import typeset  # noqa: PLC0415

    return typeset(sheet, templates=templates)
