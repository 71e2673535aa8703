"""Reading .ics files back into sessions: ours, somebody else's, and broken ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

import ceremony
from ceremony.cli import main
from ceremony.export.ics import to_ical
from ceremony.io import load_ics, loads_ics
from ceremony.zones import utc
from tests.conftest import EXAMPLES

THEIRS = """\
BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Somebody//Else//EN\r
X-WR-CALNAME:Athletics\r
BEGIN:VEVENT\r
UID:100m-final\r
DTSTAMP:20240801T000000Z\r
DTSTART;TZID=Europe/Paris:20240804T215000\r
DURATION:PT10M\r
SUMMARY:Men's 100m Final\r
CATEGORIES:Athletics,Final\r
LOCATION:Stade de France\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:{{marathon}}@example.org\r
DTSTAMP:20240801T000000Z\r
DTSTART:20240810T060000Z\r
DTEND:20240810T090000Z\r
SUMMARY:Marathon\r
STATUS:CANCELLED\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:moment@example.org\r
DTSTAMP:20240801T000000Z\r
DTSTART:20240811T200000Z\r
SUMMARY:Flame goes out\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_somebody_elses_feed() -> None:
    programme = loads_ics(THEIRS, file="theirs.ics")
    assert programme.name == "Athletics"
    final, marathon, moment = programme.sessions
    assert final.id == "100m-final"
    assert final.sport == "Athletics"
    assert final.title == "Men's 100m Final"
    assert final.location == "Stade de France"
    assert final.start is not None
    assert str(final.start.tzinfo) == "Europe/Paris"
    assert utc(final.start) == datetime(2024, 8, 4, 19, 50, tzinfo=UTC)
    assert final.ends is not None
    assert final.ends - final.start == timedelta(minutes=10)
    assert marathon.id == "marathon"  # the UID made into an id
    assert marathon.sport == "Unspecified"
    assert marathon.status is ceremony.ScheduleStatus.CANCELLED
    assert moment.duration == timedelta(0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not a calendar", "theirs.ics: not an iCalendar file"),
        (
            THEIRS.replace("UID:moment@example.org\r\n", ""),
            "theirs.ics:22: VEVENT[2]: an event has no UID",
        ),
        (
            THEIRS.replace("UID:moment@example.org", "UID:100m-final"),
            "theirs.ics:23: VEVENT[2].UID: UID '100m-final' is used twice",
        ),
        (
            THEIRS.replace("DTSTART:20240811T200000Z", "DTSTART;VALUE=DATE:20240811"),
            "theirs.ics:23: VEVENT[2].DTSTART: 2024-08-11 is a whole day",
        ),
        (
            THEIRS.replace("DTSTART:20240811T200000Z", "DTSTART:20240811T200000"),
            "theirs.ics:23: VEVENT[2].DTSTART: 20240811T200000 is a floating time",
        ),
    ],
)
def test_bad_feeds_name_file_line_and_field(text: str, message: str) -> None:
    with pytest.raises(ceremony.ShowFileError) as caught:
        loads_ics(text, file="theirs.ics")
    assert str(caught.value).startswith(message)


def test_load_diff_and_republish_a_feed(tmp_path: Path) -> None:
    programme = ceremony.load(EXAMPLES / "paralympians-aze-kaz.yaml")
    old = tmp_path / "old.ics"
    old.write_bytes(to_ical(programme))
    loaded = load_ics(old)
    assert len(loaded.sessions) == len(
        [s for _, s in programme.all_sessions() if s.start is not None]
    )
    changed = loaded.sessions[0]
    assert changed.start is not None
    moved = changed.start + timedelta(hours=1)
    new = tmp_path / "new.ics"
    text = old.read_text().replace(
        f"DTSTART;TZID=Europe/Paris:{changed.start:%Y%m%dT%H%M%S}",
        f"DTSTART;TZID=Europe/Paris:{moved:%Y%m%dT%H%M%S}",
        1,
    )
    new.write_text(text)
    result = CliRunner().invoke(main, ["diff", str(old), str(new)])
    assert result.exit_code == 1, result.output
    assert changed.id in result.stdout
    assert "retimed" in result.stdout
    result = CliRunner().invoke(main, ["site", str(new), "-o", str(tmp_path / "site")])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "site" / "all.ics").exists()


def test_a_missing_file() -> None:
    with pytest.raises(ceremony.ShowFileError, match=r"nowhere\.ics: cannot read"):
        load_ics("nowhere.ics")
