"""PDF typeset by Typst: every example prints, legibly, literally, the same bytes every time."""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import attrs
import pdfplumber
import pypdf
import pytest

import ceremony
from ceremony.errors import CeremonyError
from ceremony.export.sheets import Sheet, build_sheet, cue_sheet, cue_sheets, departments
from ceremony.export.sheets.cuesheet import CueSheet
from ceremony.export.sheets.html import render_html
from ceremony.export.sheets.pdf import TYPST_TEMPLATES, printed_columns, sheet_data, typeset
from ceremony.export.sheets.plain import render_markdown, render_text
from ceremony.export.sheets.table import render_csv

from .conftest import EXAMPLES, SHOW_FILES

OPENING = EXAMPLES / "paralympic-opening.yaml"
REVISION_2 = EXAMPLES / "paralympic-opening-r2.yaml"
ACTUALS = EXAMPLES / "paralympic-opening.actuals.yaml"
PRINTED = datetime(2024, 8, 27, 12, 0, tzinfo=UTC)
OPENING_PAGES_WITH_WEASYPRINT = 2
"""The opening's run-of-show took two A4 landscape pages before Typst set it."""


def sheet_of(path: Path, *, printed_at: datetime = PRINTED, **options: object) -> Sheet:
    programme = ceremony.load(path)
    if programme.ceremonies:
        timeline = ceremony.resolve(programme, ceremony=programme.ceremonies[0].id)
    else:
        timeline = ceremony.resolve_schedule(programme)
    return build_sheet(programme, timeline, printed_at=printed_at, **options)  # type: ignore[arg-type]


def change_bars(pdf: bytes) -> list[dict[str, object]]:
    """The filled strokes, 3 pt wide, down the left edge of the rows."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [
            shape
            for page in document.pages
            for shape in page.objects.get("curve", []) + page.objects.get("rect", [])
            if shape["fill"]
            and 2.5 <= float(shape["width"]) <= 3.5
            and float(shape["height"]) > 5
            and float(shape["x0"]) < 30
        ]


def live_sheet() -> Sheet:
    programme = ceremony.load(OPENING)
    actuals = ceremony.load_actuals(ACTUALS, programme)
    now = datetime(2024, 8, 28, 19, 0, tzinfo=UTC)
    [timeline] = ceremony.resolve_all(programme, actuals=actuals, now=now)
    return build_sheet(programme, timeline, printed_at=PRINTED)


def text_of(pdf: bytes) -> str:
    """The PDF's text in the order it was set: each cell's lines together."""
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def chars_of(pdf: bytes) -> list[dict[str, object]]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [char for page in document.pages for char in page.chars]


def points(item: dict[str, object]) -> float:
    """A character's or word's size, rounded: PDF sizes come back as 10.9999."""
    return round(float(item["size"]), 2)  # type: ignore[arg-type]


def words_of(pdf: bytes, *, body: bool = False) -> list[dict[str, object]]:
    """Every word with the size and font of its characters (``body``: not the page's
    header or footer, which are in the top 23 mm and the bottom 13 mm)."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [
            word
            for page in document.pages
            for word in page.extract_words(extra_attrs=["size", "fontname"])
            if not body or 65 < float(word["top"]) < float(page.height) - 37
        ]


class TestEveryExample:
    @pytest.mark.parametrize("path", SHOW_FILES, ids=lambda path: path.name)
    def test_run_of_show(self, path: Path) -> None:
        """Every example's sheet typesets to a PDF whose text has its title."""
        sheet = sheet_of(path)
        pdf = typeset(sheet)
        assert pdf.startswith(b"%PDF-")
        assert squeezed(sheet.header.title) in squeezed(text_of(pdf))

    @pytest.mark.parametrize(
        "path",
        [path for path in SHOW_FILES if departments(sheet_of(path))],
        ids=lambda path: path.name,
    )
    def test_every_cue_sheet(self, path: Path) -> None:
        """Every department's cue sheet typesets, with each of its cues' labels."""
        for cues in cue_sheets(sheet_of(path, orientation="portrait")):
            text = squeezed(text_of(typeset(cues)))
            for row in cues.rows:
                assert squeezed(row.cue.wording) in text, row.cue.wording


class TestOpening:
    def test_no_more_pages_than_before(self) -> None:
        """The opening's run-of-show fits in as many pages as WeasyPrint's, or fewer."""
        pdf = typeset(sheet_of(OPENING))
        pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
        assert pages <= OPENING_PAGES_WITH_WEASYPRINT

    def test_every_title_cue_and_the_header(self) -> None:
        """Every item's title, every cue's label and the header (on every page) are printed."""
        sheet = sheet_of(OPENING)
        pdf = typeset(sheet)
        text = text_of(pdf)
        flat = squeezed(text)
        for row in sheet.rows:
            assert squeezed(row.title) in flat or squeezed(row.title.upper()) in flat, row.title
            for cue in row.cues:
                assert squeezed(cue.wording) in flat, cue.wording
        pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
        assert text.count(sheet.header.title) >= 2 * pages  # the header and the footer
        assert "RUN OF SHOW" in text
        assert f"Revision {sheet.header.revision}" in text
        assert f"Printed {sheet.header.printed_at}" in text
        assert f"Page 1 of {pages}" in text
        assert f"Page {pages} of {pages}" in text

    def test_legible_sizes(self) -> None:
        """Nothing under 8 pt, titles at 9 pt or more, start times bold at 11 pt, GO cues
        bold, cue times as large as the text beside them."""
        sheet = sheet_of(OPENING)
        pdf = typeset(sheet)
        chars = chars_of(pdf)
        assert min(points(char) for char in chars) >= 8
        words = words_of(pdf)
        starts = {row.start for row in sheet.rows if not row.heading}
        start_words = [word for word in words if word["text"] in starts]
        assert start_words
        for word in start_words:
            if points(word) >= 11:
                assert "Bold" in str(word["fontname"])
        assert {row.start for row in sheet.rows if not row.heading} <= {
            word["text"] for word in start_words if points(word) >= 11
        }
        stripless = typeset(attrs.evolve(sheet, strip=None))  # the strip's lettering is 8 pt
        sizes: dict[str, set[float]] = {}
        for word in words_of(stripless, body=True):
            sizes.setdefault(str(word["text"]), set()).add(points(word))
        for row in sheet.rows:
            if not row.heading:
                for part in row.title.split():
                    assert max(sizes[part]) >= 9, (row.title, part)
        cues = [cue for row in sheet.rows for cue in row.cues]
        for cue in cues:
            if cue.call == "GO":
                for part in cue.wording.split():
                    fonts = {str(word["fontname"]) for word in words if word["text"] == part}
                    assert any("Bold" in font for font in fonts), cue.wording
            clocks = [word for word in words if word["text"] == cue.clock]
            assert clocks
            assert min(points(word) for word in clocks) >= 9.5  # as large as the cue's text

    def test_cue_sheet_at_twelve_points(self) -> None:
        """A cue sheet's text, labels and times are 12 pt, its GO labels and clock bold."""
        cues = cue_sheet(sheet_of(OPENING, orientation="portrait"), "pyro")
        words = words_of(typeset(cues))
        for row in cues.rows:
            for part in row.cue.wording.split():
                found = [word for word in words if word["text"] == part]
                assert any(points(word) >= 12 for word in found), part
                if row.cue.call == "GO":
                    assert any("Bold" in str(word["fontname"]) for word in found), part
            clocks = [word for word in words if word["text"] == row.cue.clock]
            assert clocks
            assert any("Bold" in str(word["fontname"]) for word in clocks)
            assert all(points(word) >= 12 for word in clocks)
        text_words = [word for word in words if word["text"] == "fireworks:"]
        assert text_words
        assert all(points(word) == 12 for word in text_words)


class TestMarksAndModes:
    def test_changes_struck_and_removed(self) -> None:
        """A revised sheet prints old values beside new ones, and the removed items."""
        sheet = sheet_of(REVISION_2, since=ceremony.load(OPENING))
        assert sheet.removed
        text = text_of(typeset(sheet))
        assert f"Changes since revision {sheet.header.since_revision}" in text
        assert f"Removed since revision {sheet.header.since_revision}" in text
        flat = squeezed(text)
        for item in sheet.removed:
            assert squeezed(item.title) in flat
        moved = [row for row in sheet.rows if "start" in row.was]
        assert moved
        for row in moved:
            assert row.was["start"] in text
        assert "NEW" in text

    def test_change_bars(self) -> None:
        """Each changed row has a bar down its left edge."""
        sheet = sheet_of(REVISION_2, since=ceremony.load(OPENING))
        changed = sum(1 for row in sheet.rows if row.change is not None)
        assert changed
        assert len(change_bars(typeset(sheet))) == changed

    def test_unchanged_sheet_has_no_bars(self) -> None:
        """A sheet without change marks draws no change bar."""
        assert change_bars(typeset(sheet_of(OPENING))) == []

    def test_live_sheet(self) -> None:
        """A live sheet heads its clocks Planned, Actual / projected and Late."""
        sheet = live_sheet()
        assert sheet.live
        text = text_of(typeset(sheet))
        assert "PLANNED" in text
        assert "ACTUAL/PROJECTED" in squeezed(text)
        assert f"Live at {sheet.header.live_at}" in text
        assert "recorded" in text

    def test_zones_and_back_timing(self) -> None:
        """An extra zone and back-timing add their columns, headed with the zone's name."""
        sheet = sheet_of(OPENING, extra_zones=["Asia/Almaty"], backtime=True)
        text = text_of(typeset(sheet))
        assert "Asia/Almaty" in text
        assert "STARTBY" in squeezed(text)
        assert "SLACK" in text
        first = next(row for row in sheet.rows if not row.heading)
        assert first.clocks[0] in text

    def test_public_sheet_leaves_cues_out(self) -> None:
        """A public sheet says so and prints no cue column."""
        sheet = sheet_of(OPENING, public=True)
        text = text_of(typeset(sheet))
        assert "PUBLIC VERSION" in text
        assert "CUES" not in text

    def test_letter_portrait(self) -> None:
        """Letter portrait gives 8.5 x 11 inch pages."""
        pdf = typeset(sheet_of(OPENING, paper="Letter", orientation="portrait"))
        box = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (612, 792)


class TestDeterminism:
    def test_same_bytes_twice(self) -> None:
        """The same sheet, printed at the same time, gives the same bytes."""
        sheet = sheet_of(REVISION_2, since=ceremony.load(OPENING))
        assert typeset(sheet) == typeset(sheet)

    def test_same_bytes_in_another_process(self) -> None:
        """Another process (nothing memoized, another moment) gives the same bytes too."""
        code = (
            "import hashlib, sys\n"
            "from tests.test_pdf_engine import REVISION_2, OPENING, sheet_of, typeset\n"
            "import ceremony\n"
            "sheet = sheet_of(REVISION_2, since=ceremony.load(OPENING))\n"
            "print(hashlib.sha256(typeset(sheet)).hexdigest())\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).parent.parent,
        )
        sheet = sheet_of(REVISION_2, since=ceremony.load(OPENING))
        assert done.stdout.strip() == hashlib.sha256(typeset(sheet)).hexdigest()

    def test_document_date_is_printed_at(self) -> None:
        """The PDF is dated when the sheet was printed, not when it was typeset."""
        pdf = typeset(sheet_of(OPENING))
        info = pypdf.PdfReader(io.BytesIO(pdf)).metadata
        assert info is not None
        assert info.creation_date == PRINTED
        later = sheet_of(OPENING, printed_at=datetime(2024, 8, 28, 9, 30, tzinfo=UTC))
        other = pypdf.PdfReader(io.BytesIO(typeset(later))).metadata
        assert other is not None
        assert other.creation_date == datetime(2024, 8, 28, 9, 30, tzinfo=UTC)


HOSTILE = "#[b] *x* _y_ $z$ <t> @ref \\n `c` // ~"


class TestLiteralText:
    def test_markup_prints_as_written(self, show: Callable[[str], ceremony.Programme]) -> None:
        """Names full of Typst markup print literally, in the sheet and its cue sheet."""
        body = f"""
ceremonies:
  - id: c
    title: 'Show {HOSTILE}'
    venue: concorde
    start: 2024-08-28T20:00
    segments:
      - id: a
        kind: custom
        title: 'Item {HOSTILE}'
        duration: 5m
        notes: 'Notes {HOSTILE}'
        cues:
          - {{department: lighting, label: 'LX #1 [a]', text: 'Go {HOSTILE}'}}
"""
        programme = show(body)
        timeline = ceremony.resolve(programme, ceremony="c")
        sheet = build_sheet(programme, timeline, printed_at=PRINTED)
        text = squeezed(text_of(typeset(sheet)))
        for phrase in ("Show", "Item", "Notes", "Go"):
            assert squeezed(f"{phrase} {HOSTILE}") in text, phrase
        assert squeezed("LX #1 [a] GO") in text
        cues = squeezed(text_of(typeset(cue_sheet(sheet, "lighting"))))
        assert squeezed(f"Go {HOSTILE}") in cues


class TestTemplates:
    def test_replacement_layout(self, tmp_path: Path) -> None:
        """A sheet.typ in the template folder lays the sheet out instead of the shipped one."""
        (tmp_path / "sheet.typ").write_text(
            "#let data = json(bytes(sys.inputs.sheet))\nCustom layout: #data.header.title\n"
        )
        sheet = sheet_of(OPENING)
        text = text_of(typeset(sheet, templates=tmp_path))
        assert f"Custom layout: {sheet.header.title}" in text
        cues = cue_sheet(sheet, "pyro")  # no cues.typ there: the shipped one
        assert "Custom layout" not in text_of(typeset(cues, templates=tmp_path))

    def test_broken_template_is_located(self, tmp_path: Path) -> None:
        """A Typst error in a replacement template names the file and the line."""
        (tmp_path / "cues.typ").write_text("#let data = 1\n\n#let broken = (\n")
        cues = cue_sheet(sheet_of(OPENING), "pyro")
        with pytest.raises(CeremonyError, match=r"cues\.typ:3: template error: "):
            typeset(cues, templates=tmp_path)

    def test_runtime_error_is_located(self, tmp_path: Path) -> None:
        """An error while the template runs names the file and the line too."""
        (tmp_path / "sheet.typ").write_text(
            "#let data = json(bytes(sys.inputs.sheet))\n#data.header.no-such-key\n"
        )
        with pytest.raises(CeremonyError, match=r"sheet\.typ:2: template error: .*no-such-key"):
            typeset(sheet_of(OPENING), templates=tmp_path)

    def test_broken_strip_template_is_located(self, tmp_path: Path) -> None:
        """The strip in the PDF comes from strip.svg.j2, so a broken one is reported."""
        (tmp_path / "strip.svg.j2").write_text("<svg>{% if %}</svg>")
        with pytest.raises(CeremonyError, match=r"strip\.svg\.j2:1: template error"):
            typeset(sheet_of(OPENING), templates=tmp_path)

    def test_missing_folder(self, tmp_path: Path) -> None:
        """A template folder that does not exist is an error, not the shipped layout."""
        with pytest.raises(CeremonyError, match="no such template folder"):
            typeset(sheet_of(OPENING), templates=tmp_path / "nowhere")

    def test_every_template_is_shipped(self) -> None:
        """Both Typst templates are in the package."""
        folder = Path(ceremony.__file__).parent / "templates" / "sheets"
        assert {Sheet: "sheet.typ", CueSheet: "cues.typ"} == TYPST_TEMPLATES
        for name in TYPST_TEMPLATES.values():
            assert (folder / name).is_file()


class TestData:
    def test_columns_follow_the_sheet(self) -> None:
        """The template gets the sheet's own columns, each extra zone as zone:N."""
        sheet = sheet_of(OPENING, extra_zones=["Asia/Almaty", "UTC"])
        columns = printed_columns(sheet)
        assert columns[0] == "mark"
        assert "zone:0" in columns
        assert "zone:1" in columns
        assert "clocks" not in columns
        rest = [column for column in columns[1:] if not column.startswith("zone:")]
        assert rest == [
            column for column in sheet.columns if column != "clocks" and column not in sheet.folded
        ]

    def test_folded_values_under_the_title(self) -> None:
        """A column too sparse for its own is printed under the titles that have a value."""
        sheet = sheet_of(OPENING)
        assert sheet.folded
        data = sheet_data(sheet)
        text = squeezed(text_of(typeset(sheet)))
        for name in sheet.folded:
            assert name not in data["columns"]
            for row, printed in zip(sheet.rows, data["rows"], strict=True):
                value = getattr(row, name)
                if value and not row.heading:
                    assert [name.capitalize(), value, None] in printed["folded"]
                    assert squeezed(f"{name.capitalize()}: {value}") in text

    def test_data_is_json(self) -> None:
        """What the template gets goes through JSON unchanged."""
        data = sheet_data(sheet_of(REVISION_2, since=ceremony.load(OPENING)))
        assert json.loads(json.dumps(data)) == data
        assert data["removed"]

    def test_without_typst(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without the pdf extra, the error says how to install it."""
        monkeypatch.setitem(sys.modules, "typst", None)
        with pytest.raises(ModuleNotFoundError, match=r"pip install 'ceremony-timeline\[pdf\]'"):
            typeset(sheet_of(OPENING))


class TestCueSheetClocks:
    """A cue sheet writes its clocks as its own cues need, not as the whole show's do."""

    def test_minutes_when_no_cue_of_the_sheet_has_seconds(self) -> None:
        """The pyro sheet reads 20:10 in every format, though the show has a cue at 22:03:30."""
        sheet = sheet_of(OPENING, extra_zones=["Asia/Almaty"])
        assert any(cue.clock == "22:03:30" for row in sheet.rows for cue in row.cues)
        pyro = cue_sheet(sheet, "pyro")
        assert [row.cue.clock for row in pyro.rows] == ["20:10", "20:10", "22:51"]
        assert [row.cue.clocks for row in pyro.rows] == [("23:10",), ("23:10",), ("01:51 +1d",)]
        assert [row.item_start for row in pyro.rows] == ["20:00", "20:10", "22:45"]
        for rendered in (render_text(pyro), render_markdown(pyro), render_html(pyro)):
            assert "20:10" in rendered
            assert "20:10:00" not in rendered
        assert "20:10:00" not in text_of(typeset(pyro))
        assert "2024-08-28T20:10:00+02:00" in render_csv(pyro)  # CSV keeps ISO instants

    def test_seconds_for_the_whole_column_when_one_cue_needs_them(self) -> None:
        """The camera sheet has a cue at 22:03:30: every clock of its column has seconds."""
        camera = cue_sheet(sheet_of(OPENING), "camera")
        clocks = [row.cue.clock for row in camera.rows]
        assert "22:03:30" in clocks
        assert all(re.fullmatch(r"\d\d:\d\d:\d\d", clock) for clock in clocks), clocks
        assert all(re.fullmatch(r"\d\d:\d\d", row.item_start) for row in camera.rows)

    def test_old_times_and_days_written_alike(self) -> None:
        """A struck old time is written as the column is; a day or offset suffix is kept,
        and an old time with seconds gives the column its seconds."""
        sheet = sheet_of(REVISION_2, since=ceremony.load(OPENING))
        pyro = cue_sheet(sheet, "pyro")
        assert [row.cue.was for row in pyro.rows if row.cue.was] == ["22:51"]
        late = attrs.evolve(
            sheet,
            rows=tuple(
                attrs.evolve(
                    row,
                    cues=tuple(
                        attrs.evolve(cue, clock="00:53:00 +1d", was="22:51:30")
                        if cue.department == "pyro" and cue.was
                        else cue
                        for cue in row.cues
                    ),
                )
                for row in sheet.rows
            ),
        )
        clocks = [(row.cue.clock, row.cue.was) for row in cue_sheet(late, "pyro").rows]
        assert clocks == [("20:10:00", None), ("20:10:00", None), ("00:53:00 +1d", "22:51:30")]
        midnight = attrs.evolve(
            late,
            rows=tuple(
                attrs.evolve(row, cues=tuple(attrs.evolve(cue, was=None) for cue in row.cues))
                for row in late.rows
            ),
        )
        assert [row.cue.clock for row in cue_sheet(midnight, "pyro").rows][-1] == "00:53 +1d"


class TestCueSheetWords:
    def test_foot_and_title_name_the_department(self) -> None:
        """The PDF's title and foot use the department's display name and count GOs."""
        pyro = cue_sheet(sheet_of(OPENING, orientation="portrait"), "pyro")
        text = text_of(typeset(pyro))
        assert "PYRO CUE SHEET" in text
        assert "Pyro cue sheet" in text  # the footer
        assert "2 Pyro cues (and 1 standby). Show starts 20:00" in text
        assert "3 pyro cues" not in text

    def test_worst_case_back_timing_said(self) -> None:
        """With --backtime worst the head and the legend say so, as the HTML does."""
        sheet = sheet_of(OPENING, backtime="worst")
        data = sheet_data(sheet)
        assert data["worst_case"] is True
        assert "start by: back-timed from the longest durations" in data["summary"]["legend"]
        assert "(WORST)" in text_of(typeset(sheet))
        assert (
            "longest" not in sheet_data(sheet_of(OPENING, backtime="expected"))["summary"]["legend"]
        )

    def test_schedule_counts_its_sessions(self) -> None:
        """One session is counted in the singular; none says so."""
        sheet = sheet_of(EXAMPLES / "paralympians-aze-kaz.yaml")
        one = attrs.evolve(sheet, rows=sheet.rows[:1])
        assert sheet_data(one)["summary"]["sessions"].startswith("1 session, from")
        none = attrs.evolve(sheet, rows=())
        assert sheet_data(none)["summary"]["sessions"] == "No session."
