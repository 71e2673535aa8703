"""The spreadsheet importer: each trap of the real export in a small excerpt, bad sheets,
the whole Paris 2024 CSV, and the run-of-show XLSX round trip."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import ceremony
from ceremony.cli import main
from ceremony.errors import ShowFileError
from ceremony.io.importing import ImportSummary
from ceremony.io.mapping import load_mapping, loads_mapping
from ceremony.io.run_of_show_table import import_run_of_show
from ceremony.io.schedule_table import import_sessions
from ceremony.io.tables import read_csv, read_table, read_xlsx
from ceremony.model import Medal, ScheduleStatus

from .conftest import EXAMPLES, SHARED, SHOW_FILES

CSV = SHARED / "data" / "paris2024-olympics" / "schedules.csv"
real_data = pytest.mark.skipif(not CSV.exists(), reason="../shared/data is not here")

HEADINGS = (
    "start_date,end_date,day,status,discipline,discipline_code,event,event_medal,phase,gender,"
    "event_type,venue,venue_code,location_description,location_code,url\n"
)
# Rows of the real schedules.csv, one per trap.
FOOTBALL = (
    "2024-07-24T15:00:00+02:00,2024-07-24T16:45:00+02:00,2024-07-24,FINISHED,Football,FBL,Men,0,"
    "Men's Group B,M,HTEAM,Geoffroy-Guichard Stadium,STE,\"Geoffroy-Guichard Stadium, "
    'Saint-Etienne",STE,/en/paris-2024/results/football/men/gpb-000100--\n'
)
SURF_PAST_MIDNIGHT = (
    "2024-07-28T00:24:00+02:00,2024-07-28T00:54:00+02:00,2024-07-27,FINISHED,Surfing,SRF,Men,0,"
    'Men\'s Round 1,M,ATH,"Teahupo\'o, Tahiti",TAH,"Teahupo\'o, Tahiti",TAH,'
    "/en/paris-2024/results/surfing/men/prel--------\n"
)
OPENING = (
    "2024-07-26T20:00:00+02:00,,2024-07-26,FINISHED,Opening Ceremony,CER,,0,,,,,,,,"
    "/en/paris-2024/the-games/ceremonies/opening-ceremony\n"
)
CLOSING = "2024-08-11T21:00:00+02:00,,2024-08-11,,Closing Ceremony,CER,,0,,,,,,,,\n"
GOLD = (
    "2024-08-10T11:00:00+02:00,2024-08-10T12:00:00+02:00,2024-08-10,FINISHED,Wrestling,WRE,"
    "Men's Freestyle 65kg,1,Men's Freestyle 65kg Final,M,HATH,Champ de Mars Arena,CDM,"
    "Champ de Mars Arena Mat A,CDM,/en/x\n"
)
BRONZE = GOLD.replace(",1,Men's Freestyle 65kg Final", ",3,Men's Freestyle 65kg Bronze")
PARALLEL = (
    "2024-07-27T10:30:00+02:00,2024-07-27T10:50:00+02:00,2024-07-27,FINISHED,Shooting,SHO,"
    "10m Air Rifle Mixed Team,0,10m Air Rifle Mixed Team Final,X,TEAM,Chateauroux Shooting Ctr,"
    "CTX,Chateauroux - Final Range,SH1,/en/y\n"
)
CANCELLED = FOOTBALL.replace("FINISHED", "CANCELLED")


def sheet(tmp_path: Path, *rows: str, name: str = "schedule.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADINGS + "".join(rows), encoding="utf-8")
    return path


def imported(tmp_path: Path, *rows: str, **options: object) -> ceremony.io.importing.Imported:
    table = read_table(sheet(tmp_path, *rows))
    return import_sessions(table, load_mapping("olympics-com"), **options)  # type: ignore[arg-type]


class TestTraps:
    def test_a_row_becomes_a_session(self, tmp_path: Path) -> None:
        [session] = imported(tmp_path, FOOTBALL).programme.sessions
        assert session.id == "football-men-gpb-000100"  # the result URL's unit
        assert (session.sport, session.event, session.phase) == ("Football", "Men", "Men's Group B")
        assert (session.gender, session.unit_type, session.venue) == ("men", "HTEAM", "ste")
        assert session.status is ScheduleStatus.FINISHED and not session.medal
        assert session.url == "https://olympics.com/en/paris-2024/results/football/men/gpb-000100--"

    def test_offsets_become_the_venue_zone_when_they_agree(self, tmp_path: Path) -> None:
        [session] = imported(tmp_path, FOOTBALL).programme.sessions
        assert session.start is not None and str(session.start.tzinfo) == "Europe/Paris"

    def test_tahiti_in_paris_time_keeps_its_offset_past_midnight(self, tmp_path: Path) -> None:
        """Teahupo'o is Pacific/Tahiti; the export gives Paris time, past Paris midnight."""
        result = imported(tmp_path, SURF_PAST_MIDNIGHT)
        [session] = result.programme.sessions
        assert session.start is not None
        assert session.start.isoformat() == "2024-07-28T00:24:00+02:00"
        assert result.programme.venues[0].timezone == "Pacific/Tahiti"
        codes = Counter(f.code for f in result.findings)
        assert codes["offset-not-venue-zone"] == 1 and codes["day-mismatch"] == 0

    def test_the_day_column_catches_a_wrong_venue_zone(self, tmp_path: Path) -> None:
        result = imported(tmp_path, SURF_PAST_MIDNIGHT, venue_zones={"TAH": "Europe/Paris"})
        [mismatch] = [f for f in result.findings if f.code == "day-mismatch"]
        assert mismatch.location is not None and mismatch.location.endswith("schedule.csv:2")
        assert "the day column says 2024-07-27, but the start is on 2024-07-28" in mismatch.message

    def test_empty_end_dates_get_the_default_duration_and_say_so(self, tmp_path: Path) -> None:
        result = imported(tmp_path, OPENING, CLOSING)
        opening, closing = result.programme.sessions
        assert opening.duration is not None and opening.duration.total_seconds() == 3 * 3600
        assert closing.duration == opening.duration
        assert opening.notes == "The end is not known; 3h is assumed."
        assert [f.code for f in result.findings].count("assumed-duration") == 2
        other = imported(tmp_path, OPENING, default_duration=timedelta(hours=4))
        assert other.programme.sessions[0].notes == "The end is not known; 4h is assumed."

    def test_blank_status_is_scheduled_and_reported(self, tmp_path: Path) -> None:
        result = imported(tmp_path, CLOSING)
        assert result.programme.sessions[0].status is ScheduleStatus.SCHEDULED
        [note] = [f for f in result.findings if f.code == "blank-status"]
        assert "line 2" in note.message

    def test_medal_codes_0_1_3(self, tmp_path: Path) -> None:
        sessions = imported(tmp_path, FOOTBALL, GOLD, BRONZE).programme.sessions
        assert [s.medal_unit for s in sessions] == [None, Medal.GOLD, Medal.BRONZE]
        assert [s.medal for s in sessions] == [False, True, True]

    def test_parallel_units_are_all_kept(self, tmp_path: Path) -> None:
        result = imported(tmp_path, PARALLEL, PARALLEL, PARALLEL)
        ids = [s.id for s in result.programme.sessions]
        base = "sho-10m-air-rifle-mixed-team-10m-air-rifle-mixed-team-final-sh1"
        assert ids == [base, f"{base}-2", f"{base}-3"]
        assert "2 row(s) share their id" in result.findings[0].message

    def test_ids_fold_accents(self, tmp_path: Path) -> None:
        """``Épée`` makes ``epee`` in an id, not a dropped letter."""
        row = FOOTBALL.replace("Men's Group B", "Women's Épée Individual Table of 64")
        row = row.replace("/en/paris-2024/results/football/men/gpb-000100--", "")
        [session] = imported(tmp_path, row).programme.sessions
        assert session.id == "fbl-men-women-s-epee-individual-table-of-64-ste"

    def test_cancelled_rows_stay_cancelled(self, tmp_path: Path) -> None:
        [session] = imported(tmp_path, CANCELLED).programme.sessions
        assert session.status is ScheduleStatus.CANCELLED

    def test_times_with_no_zone_take_the_named_zone_or_are_an_error(self, tmp_path: Path) -> None:
        path = tmp_path / "local.csv"
        path.write_text("when,until,what\n2024-10-27 02:30,2024-10-27 03:30,x\n")
        plain = loads_mapping("columns: {start: when, end: until, title: what}", "m.yaml")
        with pytest.raises(
            ShowFileError, match=r"local\.csv:2: column 'when' \(start\): .* no UTC"
        ):
            import_sessions(read_table(path), plain)
        with pytest.raises(ShowFileError, match="happens twice in Europe/Paris"):
            import_sessions(read_table(path), plain, timezone="Europe/Paris")
        path.write_text("when,until,what\n2024-07-27 23:30,2024-07-28 00:30,x\n")
        session = import_sessions(
            read_table(path), plain, timezone="Europe/Paris"
        ).programme.sessions[0]
        assert (
            session.start is not None and session.start.isoformat() == "2024-07-27T23:30:00+02:00"
        )

    def test_clock_only_ends_cross_midnight(self, tmp_path: Path) -> None:
        path = tmp_path / "clock.csv"
        path.write_text("date,from,to,what\n2024-07-27,23:30,00:30,Late heat\n")
        mapping = loads_mapping(
            "timezone: Europe/Paris\ncolumns: {date: date, start: from, end: to, title: what}",
            "m.yaml",
        )
        [session] = import_sessions(read_table(path), mapping).programme.sessions
        assert session.end is not None and session.end.isoformat() == "2024-07-28T00:30:00+02:00"

    def test_the_summary_counts_rows_statuses_medals_and_findings(self, tmp_path: Path) -> None:
        """What `ceremony import table` reports: a flat schedule, so nothing inside."""
        summary = imported(tmp_path, GOLD, BRONZE, CANCELLED, PARALLEL, OPENING).summary()
        assert summary == ImportSummary(
            ceremonies=(),
            sessions=5,
            inside=0,
            timeless=0,
            cancelled=1,
            medal_units=2,
            venues=3,
            errors=0,
            warnings=0,
            notes=1,  # the opening has no end: assumed-duration
        )


class TestBadSheets:
    def test_a_missing_mapped_column(self, tmp_path: Path) -> None:
        path = tmp_path / "short.csv"
        path.write_text("start_date,end_date\n2024-07-24T15:00:00+02:00,\n")
        with pytest.raises(ShowFileError, match=r"short\.csv:1: no column 'day' \(mapped to day\)"):
            import_sessions(read_table(path), load_mapping("olympics-com"))

    def test_a_non_date_in_a_date_column(self, tmp_path: Path) -> None:
        row = FOOTBALL.replace("2024-07-24T15:00:00+02:00", "tomorrow at three", 1)
        with pytest.raises(ShowFileError) as caught:
            imported(tmp_path, FOOTBALL, row)
        assert str(caught.value).endswith(
            "schedule.csv:3: column 'start_date' (start): 'tomorrow at three' is not a date and "
            "time (write 2024-07-27T20:30+02:00)"
        )

    def test_an_unknown_medal_code(self, tmp_path: Path) -> None:
        with pytest.raises(ShowFileError, match=r"'event_medal' \(medal\): '2' is not a medal"):
            imported(tmp_path, GOLD.replace(",1,Men", ",2,Men"))

    def test_xlsx_with_merged_header_cells(self, tmp_path: Path) -> None:
        workbook = openpyxl.Workbook()
        worksheet = workbook.worksheets[0]
        worksheet.append(["Times", None, "Title"])
        worksheet.append(["2024-07-24T15:00:00+02:00", "2024-07-24T16:00:00+02:00", "x"])
        worksheet.merge_cells("A1:B1")
        path = tmp_path / "merged.xlsx"
        workbook.save(path)
        with pytest.raises(ShowFileError) as caught:
            read_table(path)
        assert str(caught.value) == (
            f"{path}:1: sheet 'Sheet': the heading cells A1:B1 are merged; unmerge them so "
            "that each column has a heading of its own"
        )

    def test_not_an_xlsx(self) -> None:
        with pytest.raises(ShowFileError, match="not an XLSX workbook"):
            read_xlsx(b"PK not really", "x.xlsx")

    def test_csv_rows_longer_than_the_headings(self) -> None:
        with pytest.raises(ShowFileError, match=r"^x\.csv:2: 3 cells, but only 2 headings"):
            read_csv(b"a,b\n1,2,3\n", "x.csv")

    def test_a_bad_mapping_names_its_line(self, tmp_path: Path) -> None:
        path = tmp_path / "m.yaml"
        path.write_text("table: sessions\ncolumns:\n  start: when\n  begin: x\n")
        with pytest.raises(
            ShowFileError, match=r"m\.yaml:4: columns\.begin: 'begin' is not a field"
        ):
            load_mapping(path)

    @pytest.mark.parametrize(
        ("content", "error"),
        [
            ("start_date,end_date\n2024-07-24T15:00:00+02:00,\n", "no column 'day'"),
            (HEADINGS + FOOTBALL.replace("2024-07-24T15", "24/07/2024 15", 1), "is not a date"),
        ],
    )
    def test_the_cli_writes_nothing(self, tmp_path: Path, content: str, error: str) -> None:
        source = tmp_path / "in.csv"
        source.write_text(content)
        output = tmp_path / "out.yaml"
        output.write_text("previous\n")
        result = CliRunner().invoke(
            main, ["import", "table", str(source), "--map", "olympics-com", "-o", str(output)]
        )
        assert result.exit_code == 2
        assert error in result.stderr and len(result.stderr.strip().splitlines()) == 1
        assert output.read_text() == "previous\n"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.yaml"]


@real_data
class TestTheWholeCsv:
    def test_3860_rows_and_their_counts(self) -> None:
        result = import_sessions(read_table(CSV), load_mapping("olympics-com"))
        sessions = result.programme.sessions
        assert len(sessions) == 3860
        assert Counter(s.status.value for s in sessions) == {
            "FINISHED": 3364,
            "SCHEDULED": 427,  # 426 and the blank one
            "CANCELLED": 64,
            "RESCHEDULED": 5,
        }
        assert Counter(s.medal_unit for s in sessions) == {
            None: 3357,
            Medal.GOLD: 335,
            Medal.BRONZE: 168,
        }
        assert sum(s.venue == "tah" for s in sessions) == 64
        codes = Counter(f.code for f in result.findings)
        assert codes == {
            "zero-length": 14,
            "assumed-duration": 2,
            "blank-status": 1,
            "repeated-id": 1,
            "offset-not-venue-zone": 1,
        }

    def test_the_example_is_what_the_documented_command_makes(self, tmp_path: Path) -> None:
        output = tmp_path / "programme.yaml"
        result = CliRunner().invoke(
            main, ["import", "table", str(CSV), "--map", "olympics-com", "-o", str(output)]
        )
        assert result.exit_code == 0, result.output
        example = EXAMPLES / "paris-2024-olympics" / "programme.yaml"
        assert output.read_bytes() == example.read_bytes()


class TestRunOfShowRoundTrip:
    @pytest.mark.parametrize(
        "show", [p for p in SHOW_FILES if ceremony.load(p).ceremonies], ids=lambda p: p.name
    )
    def test_xlsx_export_and_import_give_the_same_programme(
        self, tmp_path: Path, show: Path
    ) -> None:
        programme = ceremony.load(show)
        for ceremony_ in programme.ceremonies:
            workbook = tmp_path / f"{ceremony_.id}.xlsx"
            result = CliRunner().invoke(
                main, ["sheet", str(show), "--ceremony", ceremony_.id, "-o", str(workbook)]
            )
            assert result.exit_code == 0, result.output
            table = read_table(workbook)
            back = import_run_of_show(
                table, load_mapping("run-of-show"), programme=programme, ceremony=ceremony_.id
            )
            assert back.programme == programme

    def test_a_production_teams_own_sheet(self, tmp_path: Path) -> None:
        """No programme: the mapping says what the show is; names under Who become people."""
        path = tmp_path / "rundown.csv"
        path.write_text(
            "Cue,Start,Duration,Title,Who,LX,Sound\n"
            "1,20:00,8m,Overture,Chilly Gonzalez,[LX 1] Blackout then piano special,\n"
            '2,,1h15m,Parade,DJ Myd,,"[SQ 20] DJ set\n[SQ 21] @end Fade"\n'
            "3,after 2-parade +2m,4m..8m,Cauldron,,@-30s Standby LX 90,\n"
        )
        mapping = loads_mapping(
            "table: run-of-show\ntimezone: Europe/Paris\n"
            "columns: {number: Cue, start: Start, duration: Duration, title: Title, who: Who}\n"
            "departments: {LX: lighting, Sound: sound}\n"
            "ceremony: {id: opening, title: Opening, venue: concorde, "
            "start: 2024-08-28T20:00, hard_out: 2024-08-28T23:00}\n",
            "m.yaml",
        )
        result = import_run_of_show(read_table(path), mapping)
        [show] = result.programme.ceremonies
        assert [s.id for s in show.segments] == ["1-overture", "2-parade", "3-cauldron"]
        assert [p.name for p in result.programme.people] == ["Chilly Gonzalez", "DJ Myd"]
        overture, parade, cauldron = show.segments
        assert overture.cues[0].label == "LX 1" and overture.cues[0].department == "lighting"
        assert [c.label for c in parade.cues] == ["SQ 20", "SQ 21"]
        assert str(parade.cues[1].when) == "CueEdge.END"
        assert cauldron.cues[0].when.total_seconds() == -30  # type: ignore[union-attr]

    def test_the_summary_counts_each_ceremonys_items(self, tmp_path: Path) -> None:
        """A run-of-show import makes a ceremony: its items are counted, not sessions."""
        path = tmp_path / "rundown.csv"
        path.write_text("ID,Kind,Title,Duration\nintro,performance,Intro,8m\nx,speech,Hi,3m\n")
        mapping = loads_mapping(
            "table: run-of-show\ncolumns: {id: ID, kind: Kind, title: Title, duration: Duration}\n"
            "ceremony: {id: s, start: 2024-08-28T20:00+02:00}\n",
            "m.yaml",
        )
        summary = import_run_of_show(read_table(path), mapping).summary()
        assert summary.ceremonies == (("s", 2),)
        assert (summary.sessions, summary.inside, summary.venues) == (0, 0, 0)

    def test_a_bad_cell_names_the_row(self, tmp_path: Path) -> None:
        path = tmp_path / "rundown.csv"
        path.write_text("ID,Kind,Title,Duration\nintro,performance,Intro,8m\nx,speech,Bad,-3m\n")
        mapping = loads_mapping(
            "table: run-of-show\ncolumns: {id: ID, kind: Kind, title: Title, duration: Duration}\n"
            "ceremony: {id: s, start: 2024-08-28T20:00+02:00}\n",
            "m.yaml",
        )
        with pytest.raises(
            ShowFileError, match=r"rundown\.csv:3: ceremonies\[0\]\.segments\[1\]\.duration"
        ):
            import_run_of_show(read_table(path), mapping)
