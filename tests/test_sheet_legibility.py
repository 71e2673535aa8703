"""Sheets read at arm's length: what the printed page shows, read back from the PDF.

The PDF is typeset by Typst from the sheet (``render_pdf``, the pdf extra) and read back
with pdfplumber, word by word with each character's size and font: clock times bold at 11 pt
or more, body text at 9 pt, nothing under 8 pt, no empty column, a heading per day on a
schedule. With ``CEREMONY_UPDATE_SCREENSHOTS=1`` the pictures of the sheets how-to
(``docs/pictures/sheet-*.png``) are made again from the same PDFs.
"""

from __future__ import annotations

import functools
import io
import itertools
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
import pytest

import ceremony
from ceremony.export.sheets import Sheet, build_sheet, cue_sheet, render_pdf
from ceremony.export.sheets.cuesheet import CueSheet

from .conftest import EXAMPLES, SHOW_FILES

pytest.importorskip("typst", reason="PDF sheets need the pdf extra")
pdfplumber = pytest.importorskip("pdfplumber")

OPENING = EXAMPLES / "paralympic-opening.yaml"
REVISION_2 = EXAMPLES / "paralympic-opening-r2.yaml"
SCHEDULE = EXAMPLES / "paralympians-aze-kaz.yaml"
PRINTED = datetime(2024, 8, 27, 12, 0, tzinfo=UTC)
PICTURES = Path(__file__).parent.parent / "docs" / "pictures"
CLOCK = re.compile(r"\d\d:\d\d(:\d\d)?")
HEAD_WORDS = {
    "#", "PLANNED", "START", "ACTUAL", "/", "PROJECTED", "LATE", "DUR", "END", "RUNNING", "BY",
    "(WORST)", "SLACK", "KIND", "ITEM", "DELEGATIONS", "ATHLETES", "RESULTS", "WHO", "WHERE",
    "CUES", "NOTES",
}  # fmt: skip
"""Every word a run-of-show's column heads are made of (zone names aside)."""
WEEKDAY = re.compile(r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d+ \w+ \d{4}")

Word = dict[str, Any]


def sheet_of(path: Path, **options: Any) -> Sheet:
    programme = ceremony.load(path)
    if programme.ceremonies:
        timeline = ceremony.resolve(programme, ceremony=programme.ceremonies[0].id)
    else:
        timeline = ceremony.resolve_schedule(programme)
    return build_sheet(programme, timeline, printed_at=PRINTED, **options)


def pdf_of(sheet: Sheet | CueSheet) -> bytes:
    """The sheet as printed."""
    return render_pdf(sheet)


@functools.cache
def opening_pages(*zones: str) -> list[list[Word]]:
    """The words of the opening ceremony's PDF (laid out once per set of zones)."""
    return pages_of(pdf_of(sheet_of(OPENING, extra_zones=list(zones))))


def pages_of(pdf: bytes) -> list[list[Word]]:
    """Each page's words, with the size and font of their first character."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [
            page.extract_words(extra_attrs=["size", "fontname"], keep_blank_chars=False)
            for page in document.pages
        ]


def sizes_of(pdf: bytes) -> Iterator[tuple[str, float]]:
    """Every character's text and size."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            for char in page.chars:
                yield char["text"], char["size"]


def time_columns(page: list[Word]) -> list[Word]:
    """The words left of the ITEM column (the times), under the table's header."""
    item = next((word for word in page if word["text"] == "ITEM"), None)
    if item is None:  # a page with the summary only
        return []
    foot = next((word["top"] for word in page if word["text"] == "Starts"), float("inf"))
    return [
        word
        for word in page
        if word["x0"] < item["x0"] - 1 and item["bottom"] < word["top"] < foot - 1
    ]


def in_table(page: list[Word]) -> list[Word]:
    """The words under the table's header (not the page header's)."""
    head = next(word for word in page if word["text"] == "ITEM")
    return [word for word in page if word["top"] > head["bottom"]]


def head_words(page: list[Word]) -> list[Word]:
    """The column heads' words: bold, small, on the ITEM head's lines (two at most)."""
    item = next(word for word in page if word["text"] == "ITEM")
    return [
        word
        for word in page
        if bold(word) and word["size"] < 8.5 and item["top"] - 2 < word["top"] < item["top"] + 12
    ]


def bold(word: Word) -> bool:
    return "Bold" in word["fontname"]


def at_least(word: Word, points: float) -> bool:
    """The word is set at ``points`` or more (PDF sizes come back as 10.9995)."""
    return bool(word["size"] >= points - 0.01)


class TestRunOfShow:
    def test_clock_times_bold_and_large(self) -> None:
        """Every clock time in the time columns is bold and at least 11 pt."""
        for zones in ((), ("Asia/Almaty",)):
            sheet = sheet_of(OPENING, extra_zones=list(zones))
            clocks = [
                word
                for page in opening_pages(*zones)
                for word in time_columns(page)
                if CLOCK.fullmatch(word["text"])
            ]
            assert len(clocks) >= 2 * len(sheet.rows)
            assert all(at_least(word, 11) and bold(word) for word in clocks), clocks[:3]

    def test_body_text_at_least_9pt(self) -> None:
        """The items' titles and the cues' times are set at 9 pt or more."""
        words = [word for page in opening_pages() for word in page]
        for title_word in ("Countdown", "Patrouille", "cauldron", "Sportography"):
            found = [word for word in words if title_word in word["text"]]
            assert found, title_word
            assert all(at_least(word, 9) for word in found), found
        cue_times = [word for word in words if word["text"] == "22:03:30"]
        assert cue_times
        assert all(at_least(word, 9) for word in cue_times)

    def test_nothing_under_8pt(self) -> None:
        """No character of the sheet (the strip aside: another picture) is under 8 pt."""
        for sheet in (
            sheet_of(OPENING, extra_zones=["Asia/Almaty"], backtime="worst"),
            sheet_of(REVISION_2, since=ceremony.load(OPENING)),
            sheet_of(SCHEDULE),
        ):
            pdf = pdf_of(attrs.evolve(sheet, strip=None))
            small = {text for text, size in sizes_of(pdf) if size < 7.99}
            assert not small, small

    def test_opening_keeps_its_page_count(self) -> None:
        """The opening ceremony still prints on 2 pages (3 with an Almaty column)."""
        assert len(opening_pages()) <= 2
        assert len(opening_pages("Asia/Almaty")) <= 3

    def test_summary_follows_the_last_rows(self) -> None:
        """The summary is never alone on a page: the last item is on the summary's page."""
        last = opening_pages("Asia/Almaty")[-1]
        texts = [word["text"] for word in last]
        assert "Starts" in texts
        assert 'Alive"' in texts or any("Alive" in text for text in texts)

    @pytest.mark.parametrize(
        ("path", "options", "counts"),
        [
            (OPENING, {"paper": "Letter"}, range(3, 18)),
            (SCHEDULE, {"paper": "Letter", "orientation": "portrait"}, (15, 28, 29)),
        ],
        ids=["opening", "schedule"],
    )
    def test_summary_never_alone_on_a_page(
        self, path: Path, options: dict[str, Any], counts: range | tuple[int, ...]
    ) -> None:
        """However many rows come before it, the summary shares its page with the last two
        rows (Letter pages and these counts once left the summary alone on a page)."""
        sheet = sheet_of(path, **options)
        for count in counts:
            cut = attrs.evolve(sheet, rows=sheet.rows[:count])
            pages = pages_of(pdf_of(cut))
            summary = "Starts" if sheet.kind == "ceremony" else "sessions,"
            [foot] = [page for page in pages if any(w["text"] == summary for w in page)]
            texts = {word["text"] for word in foot}
            for row in cut.rows[-2:]:
                first = row.title.split()[0]
                assert first in texts or first.upper() in texts, (count, row.title)

    def test_uncertain_start_under_the_title(self) -> None:
        """An uncertain start's window prints under the title, not in the time columns."""
        sheet = sheet_of(OPENING)
        [window] = [row.start_range for row in sheet.rows if row.start_range]
        earliest, latest = window.split("–")
        text = " ".join(word["text"] for page in opening_pages() for word in page)
        assert f"Starts between {earliest} and {latest}" in text

    def test_folded_place_under_the_title(self) -> None:
        """No WHERE column on the opening: its three places print under their titles."""
        words = [word["text"] for page in opening_pages() for word in page]
        assert "WHERE" not in words
        assert "Where:" in words


class TestSchedule:
    def test_weekday_headings_and_no_empty_columns(self) -> None:
        """A schedule has a heading per day and no KIND, CUES, WHO or RUNNING column."""
        sheet = sheet_of(SCHEDULE)
        pages = pages_of(pdf_of(sheet))
        text = " ".join(word["text"] for page in pages for word in page)
        days = WEEKDAY.findall(text)
        assert len(days) >= len([row for row in sheet.rows if row.day])
        assert "Thursday 29 August 2024" in text
        assert "Friday 30 August 2024" in text
        heads = {word["text"] for page in pages for word in page if bold(word)}
        assert {"DELEGATIONS", "ATHLETES", "RESULTS"} <= heads
        assert not {"KIND", "CUES", "WHO", "RUNNING"} & heads
        headings = [
            word
            for page in pages
            for word in in_table(page)
            if WEEKDAY.fullmatch(" ".join([word["text"], "1 May 2024"])) and word["x0"] < 40
        ]
        assert len(headings) == len([row for row in sheet.rows if row.day])
        assert all(at_least(word, 11) and bold(word) for word in headings)

    def test_where_sheet_has_only_that_delegation(self) -> None:
        """A --where delegation=KAZ sheet prints Kazakhstan's sessions only."""
        sheet = sheet_of(SCHEDULE, where="delegation=KAZ")
        pages = pages_of(pdf_of(sheet))
        text = " ".join(word["text"] for page in pages for word in page)
        assert "Kazakhstan" in text
        kept = {name for row in sheet.rows for name in row.athletes}
        dropped = {
            name
            for row in sheet_of(SCHEDULE).rows
            if "Kazakhstan" not in row.delegations
            for name in row.athletes
        }
        assert dropped - kept
        for name in dropped - kept:
            assert name.split()[-1] not in text, name
        assert f"{len(sheet.rows)} sessions" in text


class TestColumnHeads:
    @pytest.mark.parametrize("path", SHOW_FILES, ids=lambda path: path.name)
    def test_heads_never_overlap(self, path: Path) -> None:
        """On every example (and with a second zone, back-timing and change marks), each
        column head's words are whole and clear of their neighbours'."""
        variants: list[dict[str, Any]] = [{}, {"extra_zones": ["America/Argentina/Buenos_Aires"]}]
        if ceremony.load(path).ceremonies:
            variants.append({"backtime": "worst", "extra_zones": ["Asia/Almaty"]})
        for options in variants:
            sheet = sheet_of(path, **options)
            [first, *_] = pages_of(pdf_of(sheet))
            heads = head_words(first)
            allowed = HEAD_WORDS | {sheet.header.zone, *sheet.header.extra_zones}
            assert {word["text"] for word in heads} <= allowed, (path.name, options)
            assert "ITEM" in {word["text"] for word in heads}
            lines: dict[int, list[Word]] = {}
            for word in heads:
                lines.setdefault(round(word["top"]), []).append(word)
            for line in lines.values():
                line.sort(key=lambda word: word["x0"])
                for left, right in itertools.pairwise(line):
                    assert left["x1"] + 2 <= right["x0"], (path.name, left["text"], right["text"])


class TestCueSheet:
    def test_readable_at_arms_length(self) -> None:
        """A department's cue sheet sets its text at 12 pt and its clock times bold."""
        sheet = cue_sheet(sheet_of(OPENING, orientation="portrait"), "pyro")
        [page] = pages_of(pdf_of(sheet))
        cue_text = [word for word in page if word["text"] in {"Cauldron", "fireworks:"}]
        assert cue_text
        assert all(at_least(word, 12) for word in cue_text)
        clocks = [word for word in in_table(page) if CLOCK.fullmatch(word["text"])]
        assert clocks
        assert all(at_least(word, 12) and bold(word) for word in clocks)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm (poppler-utils)")
def test_pictures(tmp_path: Path) -> None:
    """The how-to's pictures render; CEREMONY_UPDATE_SCREENSHOTS=1 writes them to the docs."""
    folder = PICTURES if os.environ.get("CEREMONY_UPDATE_SCREENSHOTS") == "1" else tmp_path
    pictures: dict[str, tuple[Sheet | CueSheet, int, tuple[str, ...]]] = {
        "sheet-opening": (sheet_of(OPENING, extra_zones=["Asia/Almaty"]), 1, ()),
        "sheet-stage-management": (
            cue_sheet(sheet_of(OPENING, orientation="portrait"), "stage-management"),
            1,
            ("-y", "0", "-H", "330", "-W", "827"),
        ),
        "sheet-revised": (sheet_of(REVISION_2, since=ceremony.load(OPENING)), 2, ()),
        "sheet-schedule-kaz": (sheet_of(SCHEDULE, where="delegation=KAZ"), 1, ()),
    }
    for name, (sheet, page, crop) in pictures.items():
        pdf = tmp_path / f"{name}.pdf"
        pdf.write_bytes(pdf_of(sheet))
        command = ["pdftoppm", "-r", "100", "-png", "-f", str(page), "-l", str(page)]
        command += ["-singlefile", *crop, str(pdf), str(folder / name)]
        subprocess.run(command, check=True)
        png = (folder / f"{name}.png").read_bytes()
        assert png.startswith(b"\x89PNG\r\n\x1a\n"), name
