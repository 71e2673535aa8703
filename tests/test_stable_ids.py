"""Imported ids survive a reschedule: a moved session keeps its UID and its SEQUENCE rises."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest

import ceremony
from ceremony.errors import ShowFileError
from ceremony.io import loads_ics
from ceremony.io.importing import Imported
from ceremony.io.mapping import load_mapping, loads_mapping
from ceremony.io.schedule_table import import_sessions
from ceremony.io.tables import read_table

from .conftest import SHARED

CSV = SHARED / "data" / "paris2024-olympics" / "schedules.csv"
real_data = pytest.mark.skipif(not CSV.exists(), reason="../shared/data is not here")

HEADINGS = (
    "start_date,end_date,day,status,discipline,discipline_code,event,event_medal,phase,gender,"
    "event_type,venue,venue_code,location_description,location_code,url\n"
)
FOOTBALL = (
    "2024-07-24T15:00:00+02:00,2024-07-24T16:45:00+02:00,2024-07-24,FINISHED,Football,FBL,Men,0,"
    "Men's Group B,M,HTEAM,Geoffroy-Guichard Stadium,STE,\"Geoffroy-Guichard Stadium, "
    'Saint-Etienne",STE,/en/paris-2024/results/football/men/gpb-000100--\n'
)
TRAINING = (
    "2024-07-26T09:00:00+02:00,2024-07-26T09:30:00+02:00,2024-07-26,FINISHED,Shooting,SHO,"
    "10m Air Rifle Mixed Team,0,10m Air Rifle Mixed Team Training,X,TEAM,Chateauroux Shooting "
    'Ctr,CTX,"Chateauroux - 10m Qualification",SH2,\n'
)
HEAT = (
    "2024-07-27T19:00:00+02:00,2024-07-27T19:30:00+02:00,2024-07-27,FINISHED,Surfing,SRF,Men,0,"
    'Men\'s Round 1,M,ATH,"Teahupo\'o, Tahiti",TAH,"Teahupo\'o, Tahiti",TAH,'
    "/en/paris-2024/results/surfing/men/prel--------\n"
)
OPENING = (
    "2024-07-26T20:00:00+02:00,,2024-07-26,FINISHED,Opening Ceremony,CER,,0,,,,,,,,"
    "/en/paris-2024/the-games/ceremonies/opening-ceremony\n"
)


def later(row: str, minutes: int = 30) -> str:
    """The row with its start and end moved by ``minutes``."""
    [cells] = csv.reader([row])
    for column in (0, 1):
        if cells[column]:
            moved = datetime.fromisoformat(cells[column]) + timedelta(minutes=minutes)
            cells[column] = moved.isoformat()
    return ",".join(f'"{cell}"' if "," in cell else cell for cell in cells) + "\n"


def imported(tmp_path: Path, *rows: str, name: str = "schedule.csv") -> Imported:
    path = tmp_path / name
    path.write_text(HEADINGS + "".join(rows), encoding="utf-8")
    return import_sessions(read_table(path), load_mapping("olympics-com"))


def ids(result: Imported) -> list[str]:
    return [session.id for session in result.programme.sessions]


class TestOlympicsComIds:
    def test_the_result_url_makes_the_id(self, tmp_path: Path) -> None:
        assert ids(imported(tmp_path, FOOTBALL, OPENING)) == [
            "football-men-gpb-000100",
            "opening-ceremony",
        ]

    def test_no_url_falls_back_to_sport_event_phase_and_location(self, tmp_path: Path) -> None:
        [made] = ids(imported(tmp_path, TRAINING))
        assert made == "sho-10m-air-rifle-mixed-team-10m-air-rifle-mixed-team-training-sh2"

    def test_a_shared_url_is_numbered_in_sheet_order(self, tmp_path: Path) -> None:
        result = imported(tmp_path, HEAT, later(HEAT), later(HEAT, 60))
        assert ids(result) == ["surfing-men-prel", "surfing-men-prel-2", "surfing-men-prel-3"]
        [note] = [f for f in result.findings if f.code == "repeated-id"]
        assert note.message.startswith("2 row(s) share their id with an earlier row")

    @pytest.mark.parametrize(
        "row", [FOOTBALL, TRAINING, HEAT, OPENING], ids=["football", "training", "heat", "opening"]
    )
    def test_a_moved_row_keeps_its_id(self, tmp_path: Path, row: str) -> None:
        before = imported(tmp_path, row, HEAT, name="before.csv")
        after = imported(tmp_path, later(row), HEAT, name="after.csv")
        assert ids(after) == ids(before)
        moved, kept = before.programme.sessions[0], after.programme.sessions[0]
        assert moved.start is not None and kept.start is not None
        assert kept.start - moved.start == timedelta(minutes=30)

    def test_the_start_column_still_counts_when_a_mapping_names_it(self, tmp_path: Path) -> None:
        """A mapping of your own may put the start in the id; then a move changes it."""
        mapping = loads_mapping(
            "timezone: Europe/Paris\nid: [discipline_code, start_date]\n"
            "columns: {start: start_date, end: end_date, sport: discipline}\n",
            "mine.yaml",
        )
        path = tmp_path / "mine.csv"
        path.write_text(HEADINGS + FOOTBALL, encoding="utf-8")
        [session] = import_sessions(read_table(path), mapping).programme.sessions
        assert session.id == "fbl-20240724t1500"


class TestUrlIdMapping:
    def test_a_url_id_that_is_not_a_regular_expression_is_refused(self) -> None:
        text = "url_id: '(unclosed'\ncolumns: {url: url, start: start_date}\n"
        with pytest.raises(ShowFileError, match=r"mine\.yaml:1.*not a regular expression"):
            loads_mapping(text, "mine.yaml")

    def test_a_url_id_needs_the_url_column(self) -> None:
        with pytest.raises(ShowFileError, match="url_id reads the url column"):
            loads_mapping("url_id: '/(\\w+)$'\ncolumns: {start: start_date}\n", "mine.yaml")

    def test_a_match_without_groups_uses_the_whole_match(self, tmp_path: Path) -> None:
        mapping = loads_mapping(
            "timezone: Europe/Paris\nurl_id: 'gp[a-d]-[0-9]+'\n"
            "columns: {start: start_date, end: end_date, url: url}\n",
            "mine.yaml",
        )
        path = tmp_path / "mine.csv"
        path.write_text(HEADINGS + FOOTBALL + TRAINING, encoding="utf-8")
        sessions = import_sessions(read_table(path), mapping).programme.sessions
        assert [s.id for s in sessions] == ["gpb-000100", "row-3"]


def test_an_ics_import_keeps_the_uid_when_an_event_moves() -> None:
    event = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//x//EN\r\nBEGIN:VEVENT\r\n"
        "UID:heat-1@games.example\r\nDTSTAMP:20240801T000000Z\r\n"
        "DTSTART:{start}\r\nDURATION:PT30M\r\nSUMMARY:Heat 1\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    before = loads_ics(event.format(start="20240804T190000Z").encode())
    after = loads_ics(event.format(start="20240804T193000Z").encode())
    assert [s.id for s in before.sessions] == [s.id for s in after.sessions] == ["heat-1"]
    assert before.sessions[0].start != after.sessions[0].start


def feed_events(path: Path) -> dict[str, Any]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in calendar.walk("VEVENT") if isinstance(e, icalendar.Event)}


@real_data
def test_the_paris_csv_keeps_every_id_when_a_session_moves(tmp_path: Path) -> None:
    lines = CSV.read_text(encoding="utf-8").splitlines(keepends=True)
    moved_line = next(i for i, line in enumerate(lines) if "/surfing/men/prel" in line)
    moved_copy = tmp_path / "schedules.csv"
    moved_copy.write_text(
        "".join(later(line) if i == moved_line else line for i, line in enumerate(lines)),
        encoding="utf-8",
    )
    mapping = load_mapping("olympics-com")
    before = import_sessions(read_table(CSV), mapping).programme
    after = import_sessions(read_table(moved_copy), mapping).programme
    assert [s.id for s in after.sessions] == [s.id for s in before.sessions]
    changed = [
        b.id for b, a in zip(before.sessions, after.sessions, strict=True) if b.start != a.start
    ]
    assert changed == ["surfing-men-prel"]

    # Published one after the other into one site: the same UID, its SEQUENCE + 1.
    site = tmp_path / "site"
    first = ceremony.build_site(
        before, site, now=datetime.fromisoformat("2024-07-01T00:00Z"), where="sport=Surfing"
    )
    one = feed_events(site / "all.ics")
    second = ceremony.build_site(
        after, site, now=datetime.fromisoformat("2024-07-02T00:00Z"), where="sport=Surfing"
    )
    two = feed_events(site / "all.ics")
    assert first.publication.added and second.publication.changed == ("surfing-men-prel",)
    assert second.publication.added == () and second.publication.cancelled == ()
    assert set(two) == set(one)
    uid = "surfing-men-prel@ceremony.invalid"
    assert (int(one[uid]["SEQUENCE"]), int(two[uid]["SEQUENCE"])) == (0, 1)
    assert two[uid]["DTSTART"].dt - one[uid]["DTSTART"].dt == timedelta(minutes=30)
    assert {k for k in two if int(two[k]["SEQUENCE"])} == {uid}
