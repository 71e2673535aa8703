"""Sheets as HTML (the master, from Jinja2 templates) and as PDF (that HTML through WeasyPrint).

The shipped templates live in ``ceremony/templates/sheets``: ``run-of-show.html.j2`` and
``cues.html.j2`` extend ``base.html.j2`` (the page header and footer), include
``sheet.css.j2`` (print styles), ``strip.svg.j2`` (the timeline strip) and
``summary.html.j2``. A folder passed as ``templates`` is searched first, so a file of the
same name there replaces the shipped one. Templates are autoescaped.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from ceremony.errors import CeremonyError
from ceremony.export.sheets.cuesheet import CueSheet
from ceremony.export.sheets.view import Sheet
from ceremony.extras import needs_extra

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


def render_pdf(sheet: Sheet | CueSheet, *, templates: Path | str | None = None) -> bytes:
    """The sheet as PDF, rendered from its HTML by WeasyPrint (the ``pdf`` extra).

    Raises :class:`~ceremony.errors.MissingExtraError` (a :class:`ModuleNotFoundError`)
    saying how to install the extra when WeasyPrint is missing.
    """
    with needs_extra("pdf", "PDF output"):
        import weasyprint  # noqa: PLC0415 - an optional extra, imported only when asked for
    html = render_html(sheet, templates=templates)
    document = weasyprint.HTML(string=html, base_url=str(templates or ".")).render()
    pdf: bytes = document.write_pdf()
    return pdf
