"""One call per output: ``ceremony.to_ical`` and ``ceremony.sheet`` write what the CLI writes."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import icalendar
import openpyxl
import pypdf
import pytest
from click.testing import CliRunner

import ceremony
from ceremony.cli import main
from ceremony.export.sheets import TextFormat
from ceremony.io.actualsfile import parse_time

from .conftest import EXAMPLES

AZE_KAZ = EXAMPLES / "paralympians-aze-kaz.yaml"
OPENING = EXAMPLES / "paralympic-opening.yaml"
REVISION_2 = EXAMPLES / "paralympic-opening-r2.yaml"
ACTUALS = EXAMPLES / "paralympic-opening.actuals.yaml"
PRINTED = "2024-08-27T12:00:00+00:00"


def cli(*args: str | Path) -> bytes:
    """What a command prints, as bytes."""
    result = CliRunner().invoke(main, [str(arg) for arg in args])
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


def uids(data: bytes) -> list[str]:
    calendar: Any = icalendar.Calendar.from_ical(data)
    return [str(event["UID"]) for event in calendar.walk("VEVENT")]


def as_printed(feed: bytes) -> bytes:
    """A feed as ``ceremony ics`` prints it (with the terminal's line ends)."""
    return feed.replace(b"\r\n", b"\n")


class TestToIcal:
    def test_where_keeps_only_the_matching_events(self) -> None:
        """The same events, and the same bytes, as ``ceremony ics --where``."""
        programme = ceremony.load(AZE_KAZ)
        feed = ceremony.to_ical(programme, where="sport=Para Swimming")
        swimming = [e.id for e in ceremony.calendar_events(programme) if e.sport == "Para Swimming"]
        assert swimming
        assert uids(feed) == [f"{item}@ceremony.invalid" for item in swimming]
        assert as_printed(feed) == cli("ics", AZE_KAZ, "--where", "sport=Para Swimming")

    def test_several_terms_are_all_required(self) -> None:
        """A sequence of texts is ``--where`` given more than once; a Where works too."""
        programme = ceremony.load(AZE_KAZ)
        terms = ["delegation=KAZ", "medal=yes"]
        feed = ceremony.to_ical(programme, where=terms)
        assert as_printed(feed) == cli("ics", AZE_KAZ, "--where", terms[0], "--where", terms[1])
        where = ceremony.FeedFilter.parse(terms[0]) & ceremony.FeedFilter.parse(terms[1])
        assert ceremony.to_ical(programme, where=where) == feed
        assert ceremony.to_ical(programme, where=",".join(terms)) == feed
        assert uids(feed)
        assert len(uids(feed)) < len(uids(ceremony.to_ical(programme)))

    def test_where_with_segments_and_crew_matches_the_cli(self) -> None:
        programme = ceremony.load(OPENING)
        feed = ceremony.to_ical(programme, where="kind=parade", segments=True, crew=True)
        assert uids(feed)
        printed = cli("ics", OPENING, "--where", "kind=parade", "--segments", "--crew")
        assert as_printed(feed) == printed

    def test_a_filter_it_cannot_read_is_refused(self) -> None:
        programme = ceremony.load(AZE_KAZ)
        with pytest.raises(ceremony.FilterError, match="'spot' is not a facet"):
            ceremony.to_ical(programme, where="spot=x")

    def test_the_calls_of_before_write_the_same(self) -> None:
        """Without ``where``: the programme's entries, or ``selected`` as given."""
        programme = ceremony.load(OPENING)
        for segments, crew in [(False, False), (True, False), (True, True)]:
            chosen = ceremony.calendar_events(programme, segments=segments, crew=crew)
            feed = ceremony.to_ical(programme, segments=segments, crew=crew)
            assert ceremony.to_ical(programme, selected=chosen) == feed
            flags = ["--segments"] * segments + ["--crew"] * crew
            assert as_printed(feed) == cli("ics", OPENING, *flags)

    def test_segments_and_crew_narrow_what_is_selected(self) -> None:
        """``selected`` no longer makes ``segments`` and ``crew`` silently unused."""
        programme = ceremony.load(OPENING)
        everything = ceremony.calendar_events(programme, segments=True, crew=True)
        assert ceremony.to_ical(programme, selected=everything, segments=False) == ceremony.to_ical(
            programme
        )
        assert ceremony.to_ical(
            programme, selected=everything, segments=True, crew=False
        ) == ceremony.to_ical(programme, segments=True)
        assert len(uids(ceremony.to_ical(programme, segments=True))) < len(everything)


OPTIONS: list[tuple[list[str], dict[str, Any]]] = [
    ([], {}),
    (["--tz", "Asia/Almaty", "--backtime"], {"tz": ["Asia/Almaty"], "backtime": True}),
    (["--public", "--paper", "Letter"], {"public": True, "paper": "Letter"}),
    (["--department", "lighting"], {"department": "lighting"}),
    (["--orientation", "portrait"], {"orientation": "portrait"}),
]


class TestSheet:
    @pytest.mark.parametrize("fmt", ["txt", "md", "csv", "html"])
    @pytest.mark.parametrize(("args", "kwargs"), OPTIONS)
    def test_text_formats_are_what_the_cli_prints(
        self, fmt: TextFormat, args: list[str], kwargs: dict[str, Any]
    ) -> None:
        programme = ceremony.load(OPENING)
        made = ceremony.sheet(
            programme, format=fmt, printed_at=datetime.fromisoformat(PRINTED), **kwargs
        )
        assert isinstance(made, str)
        printed = cli("sheet", OPENING, "--format", fmt, "--printed-at", PRINTED, *args)
        assert made.encode() == printed

    def test_the_default_is_text(self) -> None:
        programme = ceremony.load(OPENING)
        made: str = ceremony.sheet(programme, printed_at=datetime.fromisoformat(PRINTED))
        assert made.encode() == cli("sheet", OPENING, "--printed-at", PRINTED)

    def test_since_live_and_schedule_are_what_the_cli_prints(self) -> None:
        printed_at = datetime.fromisoformat(PRINTED)
        revised = ceremony.load(REVISION_2)
        made = ceremony.sheet(revised, since=ceremony.load(OPENING), printed_at=printed_at)
        assert made.encode() == cli(
            "sheet", REVISION_2, "--since", OPENING, "--printed-at", PRINTED
        )
        programme = ceremony.load(OPENING)
        actuals = ceremony.load_actuals(ACTUALS, programme)
        now = parse_time("20:20", programme, None)
        live = ceremony.sheet(programme, actuals=actuals, now=now, printed_at=printed_at)
        assert live.encode() == cli(
            "sheet", OPENING, "--actuals", ACTUALS, "--now", "20:20", "--printed-at", PRINTED
        )
        games = ceremony.load(AZE_KAZ)
        schedule = ceremony.sheet(games, format="md", printed_at=printed_at)
        assert schedule.encode() == cli("sheet", AZE_KAZ, "--format", "md", "--printed-at", PRINTED)

    def test_the_schedule_has_no_actuals(self) -> None:
        games = ceremony.load(AZE_KAZ)
        with pytest.raises(ceremony.ModelError, match="not the schedule"):
            ceremony.sheet(
                games, now=datetime(2024, 9, 1, tzinfo=UTC), printed_at=datetime.now(UTC)
            )

    def test_pdf_is_the_cli_s_document(self, tmp_path: Path) -> None:
        programme = ceremony.load(OPENING)
        made: bytes = ceremony.sheet(
            programme, format="pdf", printed_at=datetime.fromisoformat(PRINTED)
        )
        target = tmp_path / "sheet.pdf"
        cli("sheet", OPENING, "-o", target, "--printed-at", PRINTED)
        assert made.startswith(b"%PDF")
        assert pdf_text(made) == pdf_text(target.read_bytes())

    def test_xlsx_is_the_cli_s_workbook(self, tmp_path: Path) -> None:
        programme = ceremony.load(OPENING)
        made: bytes = ceremony.sheet(
            programme, format="xlsx", printed_at=datetime.fromisoformat(PRINTED)
        )
        target = tmp_path / "sheet.xlsx"
        cli("sheet", OPENING, "-o", target)
        assert cells(made) == cells(target.read_bytes())


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def cells(data: bytes) -> list[tuple[object, ...]]:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return [
        tuple(row) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
    ]
