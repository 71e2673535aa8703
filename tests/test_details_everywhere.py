"""A kind's own details reach every output: the sheet, the calendar, the timeline JSON, the table."""

from __future__ import annotations

import html
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner
from rich.console import Console

import ceremony
from ceremony.cli import main
from ceremony.export.sheets import TextFormat
from ceremony.export.table import timeline_table
from ceremony.export.timeline import timeline_to_dict

DRAFT = """\
programme: Para athletics evening
timezone: America/New_York
revision: draft
venues:
  - {id: stadium, name: Franklin Field, timezone: America/New_York}
ceremonies:
  - id: evening
    title: Evening session ceremonies
    venue: stadium
    start: 2025-07-04T19:00
    segments:
      - {id: parade, kind: parade, duration: 20m, delegation_count: 42, order: "Alphabetical, host last"}
      - {id: flag, kind: flag_raising, duration: 3m, flag: Paralympic flag}
      - {id: anthem, kind: anthem, duration: 2m, anthem: The Star-Spangled Banner}
      - {id: medals, kind: victory_ceremony, duration: 8m, event: Men's 100m T13}
      - {id: flypast, kind: custom, what: flypast, title: Blue Angels over the stadium, duration: 2m}
"""
FACTS = {
    "parade": ["42 delegations", "Alphabetical, host last"],
    "flag": ["Paralympic flag"],
    "anthem": ["The Star-Spangled Banner"],
    "medals": ["Men's 100m T13"],
    "flypast": ["flypast"],
}
"""What each segment's details must say, wherever the segment is described."""
PRINTED = datetime(2025, 7, 1, 12, tzinfo=UTC)


def assert_every_fact_in(text: str) -> None:
    """Each fact is said somewhere: in its segment's label, kind or details."""
    for segment_id, facts in FACTS.items():
        for fact in facts:
            assert flat(fact).casefold() in flat(text).casefold(), (segment_id, fact)


@pytest.fixture(scope="module")
def draft() -> ceremony.Programme:
    return ceremony.loads(DRAFT, "yaml")


def flat(text: str) -> str:
    """The text with every run of white space made one space (wrapped lines rejoined)."""
    return " ".join(text.split())


def every_detail(programme: ceremony.Programme) -> dict[str, tuple[str, ...]]:
    return {segment.id: segment.details() for _, segment in programme.ceremonies[0].walk()}


def test_each_segment_has_the_details_it_is_described_by(draft: ceremony.Programme) -> None:
    """The draft's segments carry the facts looked for below (so the checks below bite)."""
    details = {segment.id: segment.facts() for _, segment in draft.ceremonies[0].walk()}
    for segment_id, facts in FACTS.items():
        for fact in facts:
            assert any(fact in detail for detail in details[segment_id]), (segment_id, fact)


@pytest.mark.parametrize("fmt", ["html", "txt", "md"])
def test_sheet(draft: ceremony.Programme, fmt: TextFormat) -> None:
    """The run-of-show prints every detail under its item's title."""
    text = ceremony.sheet(draft, format=fmt, printed_at=PRINTED)
    shown = flat(html.unescape(text))
    for details in every_detail(draft).values():
        for detail in details:
            assert flat(detail) in shown
    assert_every_fact_in(shown)


def test_sheet_rows_keep_details_out_of_the_notes(draft: ceremony.Programme) -> None:
    """A row's details are a field of their own; the notes are the notes."""
    timeline = ceremony.resolve(draft)
    sheet = ceremony.build_sheet(draft, timeline, printed_at=PRINTED)
    rows = {row.id: row for row in sheet.rows}
    assert rows["parade"].details == ("42 delegations", "Order: Alphabetical, host last")
    assert rows["parade"].notes == ""
    csv = ceremony.render_sheet(sheet, "csv")
    assert "42 delegations. Order: Alphabetical, host last." in csv  # in the notes cell


def test_calendar_description(draft: ceremony.Programme) -> None:
    """Each segment's calendar event says its details in its DESCRIPTION."""
    calendar = icalendar.Calendar.from_ical(ceremony.to_ical(draft, segments=True))
    descriptions = {
        str(event["UID"]).split("@")[0]: str(event.get("DESCRIPTION", ""))
        for event in calendar.walk("VEVENT")
    }
    for _, segment in draft.ceremonies[0].walk():  # no kind beside a calendar's title
        for detail in segment.details(beside_kind=False):
            assert detail in descriptions[segment.id].splitlines()
    summaries = {
        str(event["UID"]).split("@")[0]: str(event["SUMMARY"]) for event in calendar.walk("VEVENT")
    }
    for segment_id, facts in FACTS.items():
        for fact in facts:
            said = f"{summaries[segment_id]}\n{descriptions[segment_id]}".casefold()
            assert fact.casefold() in said, (segment_id, fact)


def test_timeline_json(draft: ceremony.Programme, tmp_path: Path) -> None:
    """`timeline --format json` gives each slot a ``details`` list, as the segment words it."""
    path = tmp_path / "draft.yaml"
    path.write_text(DRAFT, encoding="utf-8")
    result = CliRunner().invoke(main, ["timeline", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    slots = {
        slot["id"]: slot["details"] for slot in json.loads(result.output)["timelines"][0]["slots"]
    }
    assert slots == {key: list(value) for key, value in every_detail(draft).items()}


def test_timeline_json_without_the_programme_has_empty_details(draft: ceremony.Programme) -> None:
    """Without the programme nothing says what a slot's segment is: ``details`` is empty."""
    data = timeline_to_dict(ceremony.resolve(draft))
    assert all(slot["details"] == [] for slot in data["slots"])


def test_timeline_json_of_a_schedule_has_empty_details() -> None:
    """Sessions have no segment details: the key is there, empty."""
    programme = ceremony.loads(
        "programme: P\ntimezone: Europe/Paris\nsessions:\n"
        "  - {id: s1, sport: Judo, start: 2024-09-05T10:00, duration: 1h}\n",
        "yaml",
    )
    data = timeline_to_dict(ceremony.resolve_schedule(programme), programme=programme)
    assert [slot["details"] for slot in data["slots"]] == [[]]


def test_terminal_table(draft: ceremony.Programme, tmp_path: Path) -> None:
    """`ceremony timeline` prints the details, and a custom segment's own kind."""
    path = tmp_path / "draft.yaml"
    path.write_text(DRAFT, encoding="utf-8")
    result = CliRunner().invoke(main, ["timeline", str(path)], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    for details in every_detail(draft).values():
        for detail in details:
            assert detail in result.output
    assert_every_fact_in(result.output)
    flypast = next(line for line in result.output.splitlines() if "Blue Angels" in line)
    cells = [cell.strip() for cell in flypast.split("│")]
    assert "flypast" in cells
    assert "custom" not in cells


def test_terminal_table_without_the_programme(draft: ceremony.Programme) -> None:
    """Without the programme the table shows the kind tag and no details."""
    console = Console(file=io.StringIO(), width=400, color_system=None)
    console.print(timeline_table(ceremony.resolve(draft)))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert "custom" in text
    assert "The Star-Spangled Banner" in text  # in the untitled anthem's label only
    assert "Alphabetical, host last" not in text


def test_no_details_repeat_an_acts_target() -> None:
    """An act's target is in its title (and a sheet column) already; no details repeat it."""
    programme = ceremony.loads(
        DRAFT.replace(
            "    segments:\n",
            "    segments:\n      - id: act\n        kind: act\n        title: Opening\n"
            "        target: 10m\n        segments:\n"
            "          - {id: film, kind: film, duration: 5m}\n",
        ),
        "yaml",
    )
    console = Console(file=io.StringIO(), width=400, color_system=None)
    console.print(timeline_table(ceremony.resolve(programme), programme=programme))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    act_line = next(i for i, line in enumerate(text.splitlines()) if "Opening" in line)
    assert "Target" not in text.splitlines()[act_line + 1]
    sheet = ceremony.build_sheet(programme, ceremony.resolve(programme), printed_at=PRINTED)
    act = next(row for row in sheet.rows if row.id == "act")
    assert act.heading and act.details == ()
    assert "Target" not in ceremony.render_sheet(sheet, "csv")
