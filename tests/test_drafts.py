"""A producer's first draft: kinds with their details missing, Norway as ``NO``.

It loads, `check` says what the outputs will lack, and what the draft does say (the
delegations marching, the anthem) reaches the sheet, the feed and the terminal.
"""

from __future__ import annotations

from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner

import ceremony
from ceremony.cli import main

DRAFT = """\
programme: Nordic Games draft
timezone: Europe/Oslo
delegations:
  - {id: NO, name: Norway}
  - {id: on, name: Ontario}
  - {id: yes, name: Yes Island}
ceremonies:
  - id: opening
    title: Opening
    start: 2026-02-06T20:00
    segments:
      - {id: parade, kind: parade, duration: 20m, delegations: [NO, on, yes]}
      - {id: raise, kind: flag_raising, duration: 3m}
      - {id: anthem, kind: anthem, duration: 2m, anthem: "Ja, vi elsker dette landet"}
      - {id: medals, kind: victory_ceremony, duration: 8m}
"""


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    path = tmp_path / "draft.yaml"
    path.write_text(DRAFT, encoding="utf-8")
    return path


def test_it_loads_with_the_codes_as_written(draft: Path) -> None:
    programme = ceremony.load(draft)
    assert [d.id for d in programme.delegations] == ["NO", "on", "yes"]
    parade = programme.ceremonies[0].segments[0]
    assert isinstance(parade, ceremony.Parade)
    assert parade.delegations == ("NO", "on", "yes")


def test_check_says_what_the_outputs_will_lack(draft: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(draft)])
    assert result.exit_code == 0, result.output
    assert "flag raising 'raise' has no flag" in result.output
    assert "victory ceremony 'medals' has no event" in result.output
    assert "no errors, no warnings" in result.output


def test_sheet_feed_and_terminal_say_what_the_draft_says(draft: Path) -> None:
    runner = CliRunner()
    sheet = runner.invoke(main, ["sheet", str(draft), "--format", "txt"]).output
    table = runner.invoke(main, ["timeline", str(draft)], env={"COLUMNS": "200"}).output
    feed = icalendar.Calendar.from_ical(
        runner.invoke(main, ["ics", str(draft), "--segments"]).output_bytes
    )
    events = {str(event["UID"]).split("@")[0]: event for event in feed.walk("VEVENT")}
    for text in (sheet, table):
        assert "Delegations: Norway, Ontario, Yes Island" in text
        assert "Anthem: Ja, vi elsker dette landet" in text
        assert "Flag raising" in text and "Victory ceremony" in text
    assert "Delegations: Norway, Ontario, Yes Island" in str(events["parade"]["DESCRIPTION"])
    assert str(events["anthem"]["SUMMARY"]) == "Opening: Anthem: Ja, vi elsker dette landet"
    assert str(events["raise"]["SUMMARY"]) == "Opening: Flag raising"
