"""Printed sheets: every format, change marks, cue sheets, escaping, PDF pages and text.

The text, Markdown and CSV outputs are compared with the files in ``tests/snapshots``
(reviewed by eye once). After a deliberate change, rewrite them with
``CEREMONY_UPDATE_SNAPSHOTS=1 pytest tests/test_sheets.py`` and read the diff.
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import attrs
import pypdf
import pytest
from click.testing import CliRunner

import ceremony
from ceremony.cli import main
from ceremony.export.sheets import (
    Sheet,
    build_sheet,
    cue_sheet,
    cue_sheets,
    departments,
    render_csv,
    render_html,
    render_markdown,
    render_pdf,
    render_text,
)
from ceremony.export.sheets.plain import WIDTH

from .conftest import EXAMPLES, SHOW_FILES

SNAPSHOTS = Path(__file__).parent / "snapshots"
OPENING = EXAMPLES / "paralympic-opening.yaml"
REVISION_2 = EXAMPLES / "paralympic-opening-r2.yaml"
SCHEDULE = EXAMPLES / "paralympians-aze-kaz.yaml"
PRINTED = datetime(2024, 8, 27, 12, 0, tzinfo=UTC)


def sheet_of(path: Path, **options: object) -> Sheet:
    programme = ceremony.load(path)
    if programme.ceremonies:
        timeline = ceremony.resolve(programme, ceremony=programme.ceremonies[0].id)
    else:
        timeline = ceremony.resolve_schedule(programme)
    return build_sheet(programme, timeline, printed_at=PRINTED, **options)  # type: ignore[arg-type]


def revised() -> Sheet:
    return sheet_of(REVISION_2, since=ceremony.load(OPENING))


def matches_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("CEREMONY_UPDATE_SNAPSHOTS"):
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(text.encode())
    assert text == path.read_bytes().decode(), f"{name} differs"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


class TestSnapshots:
    @pytest.mark.parametrize(
        ("name", "make", "render"),
        [
            ("opening.txt", lambda: sheet_of(OPENING, extra_zones=["Asia/Almaty"]), render_text),
            ("opening.md", lambda: sheet_of(OPENING), render_markdown),
            ("opening.csv", lambda: sheet_of(OPENING, extra_zones=["Asia/Almaty"]), render_csv),
            ("opening-r2-since-r1.txt", revised, render_text),
            ("opening-r2-since-r1.md", revised, render_markdown),
            ("opening-r2-since-r1.csv", revised, render_csv),
            (
                "opening-backtime-public.txt",
                lambda: sheet_of(OPENING, backtime=True, public=True),
                render_text,
            ),
            ("opening-pyro.txt", lambda: cue_sheet(sheet_of(OPENING), "pyro"), render_text),
            ("opening-pyro.md", lambda: cue_sheet(sheet_of(OPENING), "pyro"), render_markdown),
            ("opening-pyro.csv", lambda: cue_sheet(sheet_of(OPENING), "pyro"), render_csv),
            ("paralympians.md", lambda: sheet_of(SCHEDULE), render_markdown),
            (
                "paralympians.txt",
                lambda: sheet_of(SCHEDULE, extra_zones=["Asia/Baku"]),
                render_text,
            ),
        ],
    )
    def test_output_matches_snapshot(
        self, name: str, make: Callable[[], Sheet], render: Callable[[object], str]
    ) -> None:
        """Each text format of the examples reads as reviewed."""
        matches_snapshot(name, render(make()))


class TestText:
    @pytest.mark.parametrize("path", SHOW_FILES, ids=lambda path: path.name)
    def test_fits_100_columns(self, path: Path) -> None:
        """Plain text never runs past 100 columns, even with two extra zones and back-timing."""
        sheet = sheet_of(path, extra_zones=["Asia/Almaty", "America/New_York"], backtime=True)
        lines = render_text(sheet).splitlines()
        assert max(len(line) for line in lines) <= WIDTH
        for name in departments(sheet):
            assert (
                max(len(line) for line in render_text(cue_sheet(sheet, name)).splitlines()) <= WIDTH
            )

    def test_markdown_escapes_table_syntax(self, show: Callable[[str], ceremony.Programme]) -> None:
        """A pipe or an asterisk in a title cannot break the GitHub table."""
        programme = show(
            """
ceremonies:
  - id: c
    title: C
    start: 2024-08-28T20:00+02:00
    segments:
      - {id: a, kind: custom, title: "A | B *bold*", duration: 1m}
"""
        )
        text = render_markdown(
            build_sheet(programme, ceremony.resolve(programme), printed_at=PRINTED)
        )
        lines = text.splitlines()
        head = lines[lines.index(next(line for line in lines if line.startswith("|---"))) - 1]
        row = next(line for line in lines if "A \\| B" in line)
        assert "\\*bold\\*" in row
        cells = re.compile(r"(?<!\\)\|")
        assert len(cells.findall(row)) == len(cells.findall(head))  # the escaped pipe is text


class TestChangeMarks:
    def test_marks_are_exactly_the_diff(self) -> None:
        """Rows are marked for exactly the items diff reports, removals listed at the end."""
        old, new = ceremony.load(OPENING), ceremony.load(REVISION_2)
        changes = ceremony.diff(old, new)
        sheet = revised()
        ids = {row.id for row in sheet.rows}
        marked = {row.id: row.change for row in sheet.rows if row.change}
        expected = {
            item.id: "new" if item.change == "added" else "changed"
            for item in changes
            if item.id in ids
        }
        assert marked == expected
        assert marked["stage-reset"] == "new"
        assert {item.id for item in sheet.removed} == {item.id for item in changes.removed}
        assert sheet.header.since_revision == "1"
        assert sheet.summary.was == {"end": "22:56"}

    def test_moved_times_keep_the_old_value(self) -> None:
        """A retimed item carries its old start and end; an edited cue its old wording."""
        rows = {row.id: row for row in revised().rows}
        assert rows["speeches"].was == {
            "title": "Welcome speeches",
            "end": "22:04",
            "duration": "12m",
        }
        assert rows["declaration"].was == {"start": "22:04", "end": "22:05"}
        assert rows["declaration"].cues[0].was == "22:03:30"
        assert rows["paradoxe"].was["cues"] == "LX 90 at start: Full stage wash"
        assert rows["overture"].change is None

    def test_html_marks(self) -> None:
        """The HTML has a bar, NEW, the old value struck through and the removed list."""
        html = render_html(revised())
        assert '<tr class="item depth-0 changed planned" id="item-declaration">' in html
        assert '<del>22:04</del><br><span class="now">22:05</span>' in html
        assert '<span class="new-tag">NEW</span>' in html
        assert "Removed since revision 1" in html
        assert "<del>Stage crew clears the dance floor for the flag party</del>" in html

    def test_changes_passed_in(self) -> None:
        """A caller that has the diff already passes it: the same sheet as with ``since``."""
        changes = ceremony.diff(ceremony.load(OPENING), ceremony.load(REVISION_2))
        assert sheet_of(REVISION_2, changes=changes) == revised()

    def test_since_or_changes_not_both(self) -> None:
        """Both ``since`` and ``changes`` is a mistake."""
        old = ceremony.load(OPENING)
        with pytest.raises(ceremony.ModelError, match="not both"):
            sheet_of(OPENING, since=old, changes=ceremony.diff(old, old))

    def test_removed_only_from_this_ceremony(self) -> None:
        """A segment gone from another ceremony is not listed as removed from this one."""
        changes = ceremony.diff(ceremony.load(OPENING), ceremony.load(REVISION_2))
        elsewhere = attrs.evolve(
            changes,
            items=tuple(
                attrs.evolve(item, ceremony="closing") if item.change == "removed" else item
                for item in changes
            ),
        )
        assert changes.removed and sheet_of(REVISION_2, changes=changes).removed
        assert sheet_of(REVISION_2, changes=elsewhere).removed == ()

    def test_no_change_no_mark(self) -> None:
        """A sheet against its own file has no mark and nothing removed."""
        sheet = sheet_of(OPENING, since=ceremony.load(OPENING))
        assert sheet.marked
        assert not any(row.change for row in sheet.rows)
        assert sheet.removed == ()


class TestCueSheets:
    def test_departments_in_order_of_first_cue(self) -> None:
        """Departments are listed as their first cue comes up in the show."""
        assert departments(sheet_of(OPENING)) == (
            "video",
            "pyro",
            "stage-management",
            "sound",
            "camera",
            "lighting",
        )

    def test_cues_in_calling_order_with_wording(self) -> None:
        """A department's cues are in clock order, with the standby or GO wording."""
        sheet = cue_sheet(sheet_of(OPENING), "Stage Management")
        # No cue of this sheet needs seconds (another department's does).
        assert [row.cue.clock for row in sheet.rows] == ["20:21", "22:24"]
        assert sheet.rows[0].cue.wording == "Standby Stage management"
        assert sheet.rows[0].item_title.startswith("Parade of 168")
        assert sheet.header.document == "Stage management cue sheet"

    def test_unknown_department(self) -> None:
        """A department without cues is an error naming the ones there are."""
        with pytest.raises(ceremony.CeremonyError, match="departments: video, pyro"):
            cue_sheet(sheet_of(OPENING), "catering")

    def test_public_sheet_has_no_crew_items_or_cues(self) -> None:
        """--public drops crew-only items and every department cue."""
        sheet = sheet_of(OPENING, public=True)
        assert "stage-clear" not in {row.id for row in sheet.rows}
        assert not any(row.cues for row in sheet.rows)
        assert "Cues" not in render_html(sheet).split("</thead>")[0]


class TestHtml:
    def test_hostile_titles_are_text(self, show: Callable[[str], ceremony.Programme]) -> None:
        """A <script> title shows as text in the table, the strip and the header."""
        programme = show(
            """
ceremonies:
  - id: c
    title: "<script>alert('c')</script>"
    start: 2024-08-28T20:00+02:00
    segments:
      - id: a
        kind: act
        title: "<img src=x onerror=alert(1)>"
        segments:
          - {id: b, kind: custom, title: "<script>alert(1)</script>", duration: 30m,
             notes: "</td></tr><tr><td>", cues: [{department: "<b>", text: "&amp;"}]}
"""
        )
        html = render_html(build_sheet(programme, ceremony.resolve(programme), printed_at=PRINTED))
        assert "<script>" not in html
        assert "<img" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&lt;/td&gt;&lt;/tr&gt;" in html
        assert "&amp;amp;" in html

    def test_replacement_template(self, tmp_path: Path) -> None:
        """A file in --template replaces the shipped one of that name; the rest still load."""
        (tmp_path / "summary.html.j2").write_text("<p>Ends {{ sheet.summary.end }}!</p>")
        html = render_html(sheet_of(OPENING), templates=tmp_path)
        assert "<p>Ends 22:56!</p>" in html
        assert 'class="page-header"' in html

    def test_broken_template_is_located(self, tmp_path: Path) -> None:
        """A template with a syntax error is reported with its file and line."""
        (tmp_path / "summary.html.j2").write_text("ok\n{% if %}\n")
        with pytest.raises(ceremony.CeremonyError, match=r"summary.html.j2:2: template error"):
            render_html(sheet_of(OPENING), templates=tmp_path)

    def test_strip_marks_the_hard_out(self) -> None:
        """The SVG strip has a bar per item, the act shaded and the hard out labelled."""
        sheet = sheet_of(OPENING)
        assert sheet.strip is not None
        assert len(sheet.strip.bars) == sum(not row.heading for row in sheet.rows)
        assert [band.title for band in sheet.strip.bands] == ["Welcome to the Concorde"]
        assert sheet.strip.lane_names == ("main", "air", "crew")
        assert "HARD OUT 23:00" in render_html(sheet)

    def test_strip_of_a_far_hard_out_has_few_ticks(self) -> None:
        """A hard out centuries away gives a strip of at most 16 ticks, not one a day."""
        text = OPENING.read_text().replace(
            "hard_out: 2024-08-28T23:00", "hard_out: 2999-01-01T00:00"
        )
        assert "2999-01-01" in text
        programme = ceremony.loads(text, "yaml")
        timeline = ceremony.resolve(programme, ceremony=programme.ceremonies[0].id)
        sheet = build_sheet(programme, timeline, printed_at=PRINTED)
        assert sheet.strip is not None
        assert 1 <= len(sheet.strip.ticks) <= 16
        assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", tick.label) for tick in sheet.strip.ticks)
        assert len(render_html(sheet)) < 200_000


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


class TestPdf:
    def test_pages_and_every_item(self) -> None:
        """The PDF's pages say "Page N of M" with the right M, and its text has every item."""
        sheet = sheet_of(OPENING)
        pages, text = pdf_text(render_pdf(sheet))
        assert pages == 2
        assert f"Page 1 of {pages}" in text
        assert f"Page {pages} of {pages}" in text
        assert text.count("Paralympic Games Opening Ceremony") >= 2 * pages  # header, footer
        flat = squeezed(text)
        for row in sheet.rows:
            assert squeezed(row.title) in flat or squeezed(row.title.upper()) in flat, row.title

    def test_cue_sheet_is_one_portrait_page(self) -> None:
        """A cue sheet in portrait fits its three pyro cues on one page."""
        data = render_pdf(cue_sheet(sheet_of(OPENING, orientation="portrait"), "pyro"))
        reader = pypdf.PdfReader(io.BytesIO(data))
        assert len(reader.pages) == 1
        box = reader.pages[0].mediabox
        assert float(box.height) > float(box.width)
        assert "Cauldron flame effect" in reader.pages[0].extract_text()

    def test_letter_landscape(self) -> None:
        """--paper Letter gives 11 x 8.5 inch pages."""
        data = render_pdf(sheet_of(OPENING, paper="Letter"))
        box = pypdf.PdfReader(io.BytesIO(data)).pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (792, 612)

    def test_without_typst(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without the pdf extra, the error says how to install it."""
        monkeypatch.setitem(sys.modules, "typst", None)
        with pytest.raises(ModuleNotFoundError, match=r"pip install 'ceremony-timeline\[pdf\]'"):
            render_pdf(sheet_of(OPENING))


class TestCommand:
    def test_format_from_extension(self, tmp_path: Path) -> None:
        """-o x.md writes Markdown; the file is the same as the library's."""
        out = tmp_path / "x.md"
        code, _, err = run(
            "sheet", str(OPENING), "-o", str(out), "--printed-at", "2024-08-27T14:00+02:00"
        )
        assert code == 0, err
        assert out.read_text(encoding="utf-8") == render_markdown(sheet_of(OPENING))

    def test_stdout_text(self) -> None:
        """Without -o, text goes to standard output."""
        code, out, _ = run("sheet", str(OPENING), "--printed-at", "2024-08-27T14:00+02:00")
        assert code == 0
        assert out == render_text(sheet_of(OPENING))

    def test_all_departments(self, tmp_path: Path) -> None:
        """--all-departments writes one file per department with cues."""
        code, _, err = run(
            "sheet",
            str(OPENING),
            "--all-departments",
            "-o",
            str(tmp_path / "cues"),
            "--format",
            "csv",
        )
        assert code == 0, err
        assert sorted(p.name for p in (tmp_path / "cues").iterdir()) == [
            f"paralympic-opening-{name}.csv"
            for name in sorted(["video", "pyro", "stage-management", "sound", "camera", "lighting"])
        ]

    def test_all_departments_is_cue_sheets(self, tmp_path: Path) -> None:
        """--all-departments writes what cue_sheets makes, one file per department."""
        code, _, err = run(
            "sheet",
            str(OPENING),
            "--all-departments",
            "-o",
            str(tmp_path),
            "--format",
            "md",
            "--printed-at",
            PRINTED.isoformat(),
        )
        assert code == 0, err
        made = cue_sheets(sheet_of(OPENING, orientation="portrait"))
        assert [cues.department for cues in made] == list(departments(sheet_of(OPENING)))
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
            f"paralympic-opening-{cues.department}.md" for cues in made
        )
        for cues in made:
            written = tmp_path / f"paralympic-opening-{cues.department}.md"
            assert written.read_text(encoding="utf-8") == render_markdown(cues)

    def test_all_departments_without_cues(self, tmp_path: Path) -> None:
        """A sheet with no cue has no cue sheets: an error, and nothing written."""
        with pytest.raises(ceremony.CeremonyError, match="no department has a cue"):
            cue_sheets(sheet_of(SCHEDULE))
        code, _, err = run(
            "sheet", str(SCHEDULE), "--all-departments", "-o", str(tmp_path / "cues")
        )
        assert code != 0
        assert "no department has a cue" in err
        assert not (tmp_path / "cues").exists()

    def test_pdf_needs_a_file(self) -> None:
        """PDF to a terminal is a usage error, not bytes on the screen."""
        code, _, err = run("sheet", str(OPENING), "--format", "pdf")
        assert code == 2
        assert "give -o FILE.pdf" in err

    def test_unknown_department_exits_2(self, tmp_path: Path) -> None:
        """An unknown department is a one-line error, and nothing is written."""
        out = tmp_path / "x.txt"
        code, _, err = run("sheet", str(OPENING), "--department", "catering", "-o", str(out))
        assert code == 2
        assert "no cues for department 'catering'" in err
        assert "Traceback" not in err
        assert not out.exists()

    def test_failure_keeps_the_old_file(self, tmp_path: Path) -> None:
        """A broken template leaves the previous output as it was."""
        out = tmp_path / "x.html"
        out.write_text("previous")
        (tmp_path / "t").mkdir()
        (tmp_path / "t" / "summary.html.j2").write_text("{% endif %}")
        code, _, err = run("sheet", str(OPENING), "-o", str(out), "--template", str(tmp_path / "t"))
        assert code == 2
        assert "template error" in err
        assert out.read_text() == "previous"
        assert (
            list(tmp_path.iterdir()) == [out, tmp_path / "t"] or len(list(tmp_path.iterdir())) == 2
        )

    def test_missing_typst_message(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without Typst, sheet --format pdf says how to install it and exits 2."""
        monkeypatch.setitem(sys.modules, "typst", None)
        code, _, err = run("sheet", str(OPENING), "-o", str(tmp_path / "x.pdf"))
        assert code == 2
        assert "pip install 'ceremony-timeline[pdf]'" in err
        assert not (tmp_path / "x.pdf").exists()

    def test_live_sheet(self) -> None:
        """With actuals and now, the sheet shows planned, actual or projected, and lateness."""
        code, out, err = run(
            "sheet",
            str(OPENING),
            "--actuals",
            str(EXAMPLES / "paralympic-opening.actuals.yaml"),
            "--now",
            "21:00",
            "--format",
            "md",
        )
        assert code == 0, err
        assert "| Planned | Actual / projected | Late |" in out
        assert "live at 21:00" in out
        assert "projected to end" in out

    def test_since_marks(self) -> None:
        """--since prints the revision label and the marks."""
        code, out, _ = run("sheet", str(REVISION_2), "--since", str(OPENING))
        assert code == 0
        assert "Revision 2 · changes since revision 1 marked ▌" in out
        assert "REMOVED SINCE REVISION 1" in out

    def test_bad_printed_at(self) -> None:
        """--printed-at without an offset is refused (a sheet's times are exact)."""
        code, _, err = run("sheet", str(OPENING), "--printed-at", "2024-08-27T14:00")
        assert code == 2
        assert "has no UTC offset" in err

    def test_schedule_sheet(self) -> None:
        """A programme without ceremonies prints its competition schedule."""
        code, out, _ = run("sheet", str(SCHEDULE), "--format", "md")
        assert code == 0
        assert out.startswith("# Competition schedule:")


class TestColumns:
    def test_empty_columns_left_out(self) -> None:
        """A schedule has no kind, cues, who or running column: nothing to say there."""
        sheet = sheet_of(SCHEDULE)
        assert sheet.columns == (
            "number",
            "start",
            "duration",
            "end",
            "item",
            "delegations",
            "athletes",
            "results",
            "where",
            "notes",
        )
        markdown = render_markdown(sheet)
        assert "| Kind |" not in markdown
        assert "| Cues |" not in markdown
        assert "Session" not in render_text(sheet)

    def test_ceremony_keeps_its_columns(self) -> None:
        """The opening ceremony's items are of many kinds and have cues: both columns stay."""
        sheet = sheet_of(OPENING)
        assert {"kind", "cues", "who", "running"} <= set(sheet.columns)
        assert "start_by" not in sheet.columns
        public = sheet_of(OPENING, public=True)
        assert "cues" not in public.columns

    def test_sparse_columns_fold_under_the_title(self) -> None:
        """Where and notes, on few of the opening's items, print under the title in HTML."""
        sheet = sheet_of(OPENING)
        assert sheet.folded == ("where", "notes")
        html = render_html(sheet)
        assert '<th class="c-where">' not in html
        assert 'class="role">Where:</span> Official stand' in html
        assert sheet_of(SCHEDULE).folded == ()

    def test_one_time_format_per_column(self) -> None:
        """A column with one reading that needs seconds gives seconds to all of them."""
        sheet = sheet_of(OPENING)
        cue_clocks = [cue.clock for row in sheet.rows for cue in row.cues]
        assert "22:03:30" in cue_clocks
        assert all(re.fullmatch(r"\d\d:\d\d:\d\d", clock) for clock in cue_clocks)
        assert all(
            re.fullmatch(r"\d\d:\d\d", row.start) for row in sheet.rows if row.start_range is None
        )


class TestSchedule:
    def test_day_headings(self) -> None:
        """A schedule row opening a day carries its heading; times count from that day."""
        sheet = sheet_of(SCHEDULE)
        days = [row.day for row in sheet.rows if row.day]
        assert days[:2] == ["Thursday 29 August 2024", "Friday 30 August 2024"]
        assert len(days) == len(set(days))
        assert not any("+" in row.start for row in sheet.rows)
        text = render_text(sheet)
        assert "── Friday 30 August 2024 " in text
        assert "## Friday 30 August 2024" in render_markdown(sheet)
        assert '<td class="day" colspan=' in render_html(sheet)

    def test_athletes_delegations_and_results(self) -> None:
        """Sessions name their athletes and delegations in columns, and finished ones' results."""
        rows = {row.id: row for row in sheet_of(SCHEDULE).rows}
        row = next(row for row in rows.values() if "Yerkin Gabbasov" in row.athletes)
        assert row.delegations == ("Kazakhstan",)
        assert row.results == ("2. Silver · Yerkin Gabbasov (KAZ) · 247.7",)
        assert "Kazakhstan" not in row.notes
        assert row.who == ()

    def test_where_keeps_one_delegation(self) -> None:
        """--where delegation=KAZ gives Kazakhstan's sheet, summary included."""
        sheet = sheet_of(SCHEDULE, where="delegation=KAZ")
        assert sheet.rows
        assert all("Kazakhstan" in row.delegations for row in sheet.rows)
        assert "Delegations: Azerbaijan\n" not in render_text(sheet)  # AZE's alone
        assert f"{len(sheet.rows)} sessions" in render_text(sheet)

    def test_where_matching_nothing(self) -> None:
        """A filter that matches no session gives an empty sheet, not an error."""
        sheet = sheet_of(SCHEDULE, where="delegation=FRA")
        assert sheet.rows == ()
        assert "No session." in render_text(sheet)
        assert "No session." in render_html(sheet)

    def test_where_bad_filter_and_ceremony(self) -> None:
        """A facet that does not exist, or a filter on a ceremony, is refused."""
        with pytest.raises(ceremony.CeremonyError, match="is not a facet"):
            sheet_of(SCHEDULE, where="nation=KAZ")
        with pytest.raises(ceremony.CeremonyError, match="not a ceremony"):
            sheet_of(OPENING, where="delegation=KAZ")

    def test_where_command(self) -> None:
        """ceremony sheet --where narrows the schedule; on a ceremony it is a usage error."""
        code, out, err = run("sheet", str(SCHEDULE), "--where", "delegation=AZE")
        assert code == 0, err
        assert "Delegations: Kazakhstan\n" not in out  # KAZ's alone
        assert "Delegations: Azerbaijan\n" in out
        code, _, err = run("sheet", str(OPENING), "--where", "delegation=AZE")
        assert code == 2
        assert "--where narrows the competition schedule" in err


class TestRangesAndBacktime:
    def test_range_in_duration_column(self) -> None:
        """A ranged duration shows its shortest to longest in the duration column."""
        sheet = sheet_of(OPENING)
        assert "4–8m" in [row.length for row in sheet.rows]
        assert "| 4–8m |" in render_markdown(sheet)

    def test_worst_backtime_is_earlier(self) -> None:
        """Back-timing from the longest durations asks for earlier starts than expected."""
        expected = {row.id: row for row in sheet_of(OPENING, backtime="expected").rows}
        worst = sheet_of(OPENING, backtime="worst")
        assert worst.worst_case
        earlier = [
            row.id
            for row in worst.rows
            if row.start_by_at is not None
            and row.start_by_at < (expected[row.id].start_by_at or row.start_by_at)
        ]
        assert earlier  # everything before the ranged item
        assert all(
            row.start_by_at == expected[row.id].start_by_at
            for row in worst.rows
            if row.id not in earlier
        )
        assert "back-timed from the longest durations" in render_text(worst)

    def test_rundown_latest_starts(self) -> None:
        """Rundown.latest_starts: worst is never later than expected; none without a hard out."""
        programme = ceremony.load(OPENING)
        rundown = ceremony.Rundown(programme, ceremony=programme.ceremonies[0].id)
        expected = rundown.latest_starts()
        worst = rundown.latest_starts(worst=True)
        assert expected.keys() == worst.keys()
        assert all(worst[key] <= expected[key] for key in expected)
        assert any(worst[key] < expected[key] for key in expected)
        show = attrs.evolve(programme.ceremonies[0], hard_out=None)
        assert ceremony.Rundown(show).latest_starts(worst=True) == {}

    def test_backtime_option(self) -> None:
        """Bare --backtime is the expected back-timing; --backtime worst the longest; else refused."""
        _, bare, _ = run("sheet", str(OPENING), "--backtime", "--format", "md")
        _, named, _ = run("sheet", str(OPENING), "--backtime", "expected", "--format", "md")
        code, worst, err = run("sheet", str(OPENING), "--backtime", "worst", "--format", "md")
        assert code == 0, err
        assert bare == named != worst
        assert "| Start by | Slack |" in bare
        code, _, err = run("sheet", str(OPENING), "--backtime", "sometimes")
        assert code == 2
        assert "sometimes" in err


class TestSmallerFixes:
    def test_header_names_every_zone(self) -> None:
        """With an extra zone, the header says times are in both."""
        sheet = sheet_of(OPENING, extra_zones=["Asia/Almaty"])
        assert "times in Europe/Paris, Asia/Almaty" in " ".join(render_text(sheet).split())
        assert "times in Europe/Paris, Asia/Almaty" in render_html(sheet)

    def test_hard_start_legend_only_with_a_hard_start(self) -> None:
        """The ■ legend is printed only when some row has a hard start."""
        schedule = sheet_of(SCHEDULE)
        assert not schedule.hard_starts
        assert "hard start" not in render_text(schedule)
        assert "hard start" not in render_html(schedule)
        opening = sheet_of(OPENING)
        assert opening.hard_starts == any(row.hard for row in opening.rows)

    def test_live_summary_sentences_are_spaced(self) -> None:
        """The live summary's sentences have a space between them in HTML."""
        programme = ceremony.load(OPENING)
        actuals = ceremony.load_actuals(EXAMPLES / "paralympic-opening.actuals.yaml", programme)
        [timeline] = ceremony.resolve_all(
            programme,
            actuals=actuals,
            now=datetime(2024, 8, 28, 19, 0, tzinfo=UTC),
        )
        html = render_html(build_sheet(programme, timeline, printed_at=PRINTED))
        text = " ".join(html.split())
        assert "plan).Hard" not in text
        assert "against the plan). Hard out" in text

    def test_hard_start_legend_and_seconds(self, show: Callable[[str], ceremony.Programme]) -> None:
        """A hard start brings the ■ legend; an end with seconds gives the end column seconds."""
        programme = show(
            """
ceremonies:
  - id: c
    title: C
    start: 2024-08-28T20:00+02:00
    segments:
      - {id: a, kind: custom, title: A, duration: 90s}
      - {id: b, kind: custom, title: B, duration: 1m, start: 2024-08-28T20:05+02:00}
"""
        )
        sheet = build_sheet(programme, ceremony.resolve(programme), printed_at=PRINTED)
        assert sheet.hard_starts
        assert [row.start for row in sheet.rows] == ["20:00", "20:05"]
        assert [row.end for row in sheet.rows] == ["20:01:30", "20:06:00"]
        assert "■ = hard start" in render_text(sheet)
        assert "■ hard start" in render_html(sheet)
        assert "*■ hard start*" in render_markdown(sheet)
        assert "kind" not in sheet.columns  # both custom: the kind says nothing


class TestScheduleDays:
    def test_after_midnight_goes_under_its_calendar_day(
        self, show: Callable[[str], ceremony.Programme]
    ) -> None:
        """A session at 00:30 opens the next calendar day; one ending past midnight says +1d."""
        programme = show(
            """
sessions:
  - {id: s1, sport: Judo, start: 2024-08-29T23:00+02:00, duration: 2h}
  - {id: s2, sport: Judo, start: 2024-08-30T00:30+02:00, duration: 30m}
"""
        )
        sheet = build_sheet(programme, ceremony.resolve_schedule(programme), printed_at=PRINTED)
        assert [row.day for row in sheet.rows] == [
            "Thursday 29 August 2024",
            "Friday 30 August 2024",
        ]
        assert [(row.start, row.end) for row in sheet.rows] == [
            ("23:00", "01:00 +1d"),
            ("00:30", "01:00"),
        ]
        assert sheet.summary.start == "Thursday 29 August 2024 23:00"
        assert sheet.summary.end == "Friday 30 August 2024 01:00"
