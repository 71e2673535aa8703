"""The ODF DT_SCHEDULE importer: every real message, each trap in a small excerpt, bad XML."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

import ceremony
from ceremony.cli import main
from ceremony.errors import ShowFileError
from ceremony.io.importing import ImportSummary
from ceremony.io.odf import import_odf, merge_messages, parse_message
from ceremony.model import Medal, ScheduleStatus

from .conftest import SHARED

ODF = SHARED / "data" / "odf-dt-schedule-og2024-draft"
ODF_FILES = sorted(path for path in ODF.glob("*.xml") if path.name != "statuses-example.xml")
real_data = pytest.mark.skipif(not ODF.is_dir(), reason="../shared/data is not here")

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<OdfBody CompetitionCode="OG2024" DocumentCode="{code}-------------------------------"
 DocumentType="DT_SCHEDULE" Version="3" FeedFlag="P" Date="{date}" Time="{time}"
 LogicalDate="{date}" Source="OMS">
<Competition>
"""
TAIL = "</Competition>\n</OdfBody>\n"

# Excerpts of the real SWM.xml and CLB.xml (one session, a timed unit, an unscheduled one),
# with the traps the full files have: a unit outside its session, an end before its start.
SWIMMING = """\
<Session SessionCode="SWM02" StartDate="2024-07-27T20:30:00+02:00"
 EndDate="2024-07-27T22:30:00+02:00" Medal="2" Venue="DEF" VenueName="La Défense Arena"
 SessionStatus="SCHEDULED" SessionType="EVE">
<SessionName Value="SWM02" Language="ENG" />
</Session>
<Unit Code="SWMW400MFR------------FNL-000100--" PhaseType="3" ScheduleStatus="SCHEDULED"
 StartDate="2024-07-27T21:10:00+02:00" Order="2" EndDate="2024-07-27T21:20:00+02:00"
 Medal="1" Venue="DEF" Location="DEF" SessionCode="SWM02">
<ItemName Language="ENG" Value="Women's 400m Freestyle - Final" />
<ItemName Language="FRA" Value="400 m nage libre - femmes, finale" />
<VenueDescription VenueName="La Défense Arena" LocationName="La Défense Arena" />
</Unit>
<Unit Code="SWMM400MFR------------FNL-000100--" PhaseType="3" ScheduleStatus="SCHEDULED"
 StartDate="2024-07-27T20:30:00+02:00" Order="1" EndDate="2024-07-27T20:40:00+02:00"
 Medal="1" Venue="DEF" Location="DEF" SessionCode="SWM02">
<ItemName Language="ENG" Value="Men's 400m Freestyle - Final" />
<ItemName Language="FRA" Value="400 m nage libre - hommes, finale" />
<VenueDescription VenueName="La Défense Arena" LocationName="La Défense Arena" />
</Unit>
<Unit Code="SWMW4X100MFR----------FNL-000100--" PhaseType="3" ScheduleStatus="SCHEDULED"
 StartDate="2024-07-27T22:40:00+02:00" EndDate="2024-07-27T22:50:00+02:00" Medal="3"
 Venue="DEF" Location="DEF" SessionCode="SWM02">
<ItemName Language="ENG" Value="Women's 4 x 100m Freestyle Relay - Final" />
<VenueDescription VenueName="La Défense Arena" LocationName="La Défense Arena" />
</Unit>
<Unit Code="SWMM100MBK------------FNL-000100--" PhaseType="3" ScheduleStatus="CANCELLED"
 StartDate="2024-07-27T21:40:00+02:00" EndDate="2024-07-27T21:30:00+02:00"
 Venue="DEF" Location="DEF" SessionCode="SWM02">
<ItemName Language="ENG" Value="Men's 100m Backstroke - Final" />
<VenueDescription VenueName="La Défense Arena" LocationName="La Défense Arena" />
</Unit>
<Unit Code="SWMMSPEED-------------QUAL0001SD--" PhaseType="3" ScheduleStatus="UNSCHEDULED"
 Venue="TBD" Location="TBD">
<ItemName Language="ENG" Value="Men's Speed, Qualification Seeding" />
<VenueDescription VenueName="TBD" LocationName="TBD" />
</Unit>
<Unit Code="SWMW200MIM------------HEAT--------" PhaseType="3" ScheduleStatus="SCHEDULED"
 StartDate="2024-07-28T11:00:00+02:00" EndDate="2024-07-28T11:00:00+02:00" Venue="TBD"
 Location="TBD">
<ItemName Language="ENG" Value="Women's 200m Individual Medley - Heats" />
<VenueDescription VenueName="TBD" LocationName="TBD" />
</Unit>
"""

SURFING = """\
<Session SessionCode="SRF01" StartDate="2024-07-27T19:00:00+02:00"
 EndDate="2024-07-28T04:00:00+02:00" Venue="TAH" VenueName="Teahupo'o, Tahiti"
 SessionStatus="SCHEDULED" SessionType="ALL">
<SessionName Value="SRF01" Language="ENG" />
</Session>
<Unit Code="SRFMSHORTBOARD--------R1--000100--" PhaseType="3" ScheduleStatus="SCHEDULED"
 StartDate="2024-07-27T23:48:00+02:00" EndDate="2024-07-28T00:18:00+02:00" Venue="TAH"
 Location="TAH" SessionCode="SRF01">
<ItemName Language="ENG" Value="Men's Round 1 - Heat 8" />
<VenueDescription VenueName="Teahupo'o, Tahiti" LocationName="Teahupo'o, Tahiti" />
</Unit>
"""


def message(
    body: str, code: str = "SWM", date: str = "2022-12-19", time: str = "160239897"
) -> bytes:
    return (HEAD.format(code=code, date=date, time=time) + body + TAIL).encode()


def imported(*bodies: bytes, **zones: str) -> ceremony.io.importing.Imported:
    messages = [parse_message(body, f"m{index}.xml") for index, body in enumerate(bodies)]
    return merge_messages(messages, timezone="Europe/Paris", venue_zones=zones)


class TestExcerpts:
    def test_sessions_hold_their_units_in_order(self) -> None:
        """A Session becomes a session with its code, venue, type, times and medal flag."""
        result = imported(message(SWIMMING))
        session = result.programme.sessions[0]
        assert (session.id, session.code, session.session_type) == ("swm02", "SWM02", "EVE")
        assert session.venue == "def" and session.medal and session.sport == "Swimming"
        assert [unit.title for unit in session.units] == [
            "Men's 400m Freestyle - Final",
            "Women's 400m Freestyle - Final",
            "Men's 100m Backstroke - Final",
            "Women's 4 x 100m Freestyle Relay - Final",
        ]
        assert result.programme.venues[0].name == "La Défense Arena"

    def test_units_keep_code_names_phase_status_medal_location(self) -> None:
        unit = imported(message(SWIMMING)).programme.sessions[0].units[1]
        assert unit.code == "SWMW400MFR------------FNL-000100--"
        assert unit.id == "swmw400mfr-fnl-000100"
        assert unit.names == {"fr": "400 m nage libre - femmes, finale"}
        assert (unit.gender, unit.phase_type, unit.status) == (
            "women",
            "3",
            ScheduleStatus.SCHEDULED,
        )
        assert (unit.medal, unit.medal_unit) == (True, Medal.GOLD)
        assert unit.location == "La Défense Arena"
        relay = imported(message(SWIMMING)).programme.sessions[0].units[3]
        assert relay.medal_unit is Medal.BRONZE

    def test_unscheduled_units_are_kept_and_reported(self) -> None:
        result = imported(message(SWIMMING))
        loose = {session.code: session for session in result.programme.sessions[1:]}
        seeding = loose["SWMMSPEED-------------QUAL0001SD--"]
        assert seeding.start is None and seeding.status is ScheduleStatus.UNSCHEDULED
        assert seeding.venue is None
        [note] = [f for f in result.findings if f.code == "unscheduled"]
        assert note.message.startswith("1 of 6 SWM unit(s) have no time yet")

    def test_the_summary_counts_sessions_units_and_findings(self) -> None:
        """What `ceremony import odf` reports: units inside sessions, timeless, medals ..."""
        summary = imported(message(SWIMMING)).summary()
        assert summary == ImportSummary(
            ceremonies=(),
            sessions=7,  # 3 at the top, 4 units inside the session
            inside=4,
            timeless=1,  # the seeding, not scheduled yet
            cancelled=1,
            medal_units=3,
            venues=1,
            errors=0,
            warnings=3,
            notes=1,
        )

    def test_inconsistencies_are_findings_with_file_and_line(self) -> None:
        """Outside its session, end before start, times without a venue: findings, not errors."""
        result = imported(message(SWIMMING))
        by_code = {f.code: f for f in result.findings}
        assert by_code["outside-session"].location == "m0.xml:25"
        assert "SWMW4X100MFR" in by_code["outside-session"].message
        assert by_code["end-before-start"].location == "m0.xml:31"
        backstroke = result.programme.sessions[0].units[2]
        assert backstroke.end is None and backstroke.status is ScheduleStatus.CANCELLED
        assert by_code["unknown-venue"].location == "m0.xml:42"

    def test_a_start_equal_to_the_end_is_a_start_only(self) -> None:
        """ODF's HideEndDate units give the end as the start: no end, no finding."""
        result = imported(message(SWIMMING))
        heats = next(s for s in result.programme.sessions if s.code and "HEAT" in s.code)
        assert heats.start is not None and heats.end is None

    def test_offsets_become_the_venue_zone_when_they_agree(self) -> None:
        result = imported(message(SWIMMING))
        unit = result.programme.sessions[0].units[0]
        assert unit.start is not None and str(unit.start.tzinfo) == "Europe/Paris"

    def test_teahupoo_keeps_the_paris_offset_it_was_given(self) -> None:
        """Surfing in Tahiti given in Paris time keeps its offset; the instant is exact."""
        result = imported(message(SURFING, code="SRF"), TAH="Pacific/Tahiti")
        venue = result.programme.venues[0]
        assert (venue.id, venue.timezone) == ("tah", "Pacific/Tahiti")
        unit = result.programme.sessions[0].units[0]
        assert unit.start is not None and unit.start.isoformat() == "2024-07-27T23:48:00+02:00"
        assert unit.end is not None and unit.end.isoformat() == "2024-07-28T00:18:00+02:00"
        [note] = [f for f in result.findings if f.code == "offset-not-venue-zone"]
        assert "4 time(s) at venue TAH are given at UTC+02:00" in note.message

    def test_several_disciplines_merge(self) -> None:
        result = imported(message(SWIMMING), message(SURFING, code="SRF"))
        codes = [s.code for s in result.programme.sessions if s.session_type]
        assert codes == ["SRF01", "SWM02"]

    def test_a_later_message_replaces_its_discipline_and_diff_shows_it(self) -> None:
        """ODF: a new DT_SCHEDULE message for a discipline replaces that discipline's."""
        later = SWIMMING.replace('StartDate="2024-07-27T21:10', 'StartDate="2024-07-27T21:05')
        before = imported(message(SWIMMING), message(SURFING, code="SRF"))
        after = imported(
            message(later, date="2022-12-20"), message(SWIMMING), message(SURFING, code="SRF")
        )
        assert [f.code for f in after.findings].count("replaced") == 1
        replaced = next(f for f in after.findings if f.code == "replaced")
        assert "replaces m1.xml" in replaced.message and replaced.location == "m0.xml:1"
        changes = ceremony.diff(before.programme, after.programme)
        assert [change.id for change in changes] == ["swmw400mfr-fnl-000100"]

    def test_duplicate_units_keep_the_later(self) -> None:
        unit = SWIMMING[SWIMMING.index("<Unit") : SWIMMING.index("</Unit>") + 8]
        result = imported(message(SWIMMING + unit.replace('"SCHEDULED"', '"DELAYED"')))
        [warning] = [f for f in result.findings if f.code == "duplicate-unit"]
        assert warning.location == "m0.xml:48"
        final = next(
            u for u in result.programme.sessions[0].units if u.id == "swmw400mfr-fnl-000100"
        )
        assert final.status is ScheduleStatus.DELAYED


class TestBadXml:
    def test_truncated_xml_is_a_located_error(self) -> None:
        data = message(SWIMMING)[:900]
        with pytest.raises(ShowFileError) as caught:
            parse_message(data, "SWM.xml")
        assert re.match(r"SWM\.xml:\d+: not well-formed XML: ", str(caught.value))

    def test_entities_are_refused(self) -> None:
        """No entity expansion: the billion laughs never start."""
        bomb = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<OdfBody DocumentType="DT_SCHEDULE" DocumentCode="SWM"><Competition>&lol2;</Competition>
</OdfBody>"""
        with pytest.raises(ShowFileError, match=r"^bomb\.xml: refused unsafe XML"):
            parse_message(bomb, "bomb.xml")

    def test_another_message_type_is_refused(self) -> None:
        data = message("").replace(b"DT_SCHEDULE", b"DT_RESULT")
        with pytest.raises(ShowFileError, match="DT_RESULT message, not DT_SCHEDULE"):
            parse_message(data, "x.xml")

    def test_a_bad_date_names_the_element(self) -> None:
        data = message(SWIMMING.replace("2024-07-27T21:10:00+02:00", "27/07/2024 21:10"))
        with pytest.raises(ShowFileError, match=r"^x\.xml:\d+: Unit SWMW400MFR.*StartDate"):
            merge_messages([parse_message(data, "x.xml")], timezone="Europe/Paris")

    def test_cli_writes_nothing_on_bad_input(self, tmp_path: Path) -> None:
        good, bad = tmp_path / "SWM.xml", tmp_path / "SRF.xml"
        good.write_bytes(message(SWIMMING))
        bad.write_bytes(message(SURFING, code="SRF")[:500])
        output = tmp_path / "out.yaml"
        result = CliRunner().invoke(
            main,
            ["import", "odf", str(good), str(bad), "--timezone", "Europe/Paris", "-o", str(output)],
        )
        assert result.exit_code == 2
        assert result.stderr.startswith("error: SRF.xml:")
        assert len(result.stderr.strip().splitlines()) == 1
        assert sorted(tmp_path.iterdir()) == sorted([good, bad])  # no output, no temporary


def _attribute(tag: str, name: str) -> str:
    found = re.search(rf' {name}="([^"]*)"', tag)
    return found.group(1) if found else ""


@real_data
class TestRealMessages:
    def test_all_46_files_import_and_counts_match(self) -> None:
        assert len(ODF_FILES) == 46
        result = import_odf(
            ODF_FILES, timezone="Europe/Paris", venue_zones={"TAH": "Pacific/Tahiti"}
        )
        text = "".join(path.read_text() for path in ODF_FILES)
        units = re.findall(r"<Unit [^>]*>", text)
        codes = {_attribute(unit, "Code"): unit for unit in units}
        items = [s for _, s in result.programme.all_sessions()]
        sessions = [s for s in items if s.session_type]
        imported_units = [s for s in items if not s.session_type]
        assert len(sessions) == text.count("<Session ") == 758
        assert len(units) == 7100
        assert len(imported_units) == len(codes)  # the 8 repeated codes are kept once
        statuses = Counter(_attribute(u, "ScheduleStatus") for u in codes.values())
        assert Counter(u.status.value for u in imported_units) == statuses
        medals = Counter(_attribute(u, "Medal") for u in codes.values())
        assert sum(u.medal_unit is Medal.GOLD for u in imported_units) == medals["1"]
        assert sum(u.medal_unit is Medal.BRONZE for u in imported_units) == medals["3"]
        assert Counter(f.code for f in result.findings)["duplicate-unit"] == 8

    def test_the_cli_writes_a_programme_that_loads(self, tmp_path: Path) -> None:
        output = tmp_path / "og2024.yaml"
        result = CliRunner().invoke(
            main,
            [
                "import",
                "odf",
                *map(str, ODF_FILES[:3]),
                "--timezone",
                "Europe/Paris",
                "-o",
                str(output),
            ],
        )
        assert result.exit_code == 0, result.output
        assert "sessions and units" in result.stdout
        programme = ceremony.load(output)
        assert {s.code[:3] for s in programme.sessions if s.code} == {"ARC", "ATH", "BDM"}
        assert output.stat().st_mode & 0o777 != 0o600  # a normal file, not mkstemp's private one
