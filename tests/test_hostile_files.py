"""Hostile and broken input: refused cheaply, with a located error, and never a crash.

Nesting deep enough to blow the parsers' stacks, dates and durations at the ends of the
calendar, control characters in text, malformed iCalendar feeds and ODF messages: each is a
:class:`~ceremony.errors.CeremonyError` naming the file (and line), and on the command line
one ``error:`` line with exit status 2.
"""

from __future__ import annotations

import gc
import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TypeVar

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ceremony
from ceremony.cli import main
from ceremony.durations import parse_duration
from ceremony.errors import (
    CeremonyError,
    ModelError,
    ShowFileError,
    TimingError,
    format_path,
)
from ceremony.export.ics import to_ical
from ceremony.export.sheets import build_sheet, render_text
from ceremony.io import icsfile, loads_ics
from ceremony.io.actualsfile import loads_actuals
from ceremony.io.mapping import loads_mapping
from ceremony.io.odf import merge_messages, parse_message
from ceremony.io.syntax import read_document
from ceremony.limits import EARLIEST_DATE, LATEST_DATE, MAX_DURATION, MAX_NESTING
from ceremony.zones import zone

from .conftest import HEAD
from .test_ics_import import THEIRS
from .test_import_odf import SWIMMING, message

DTSTART = "DTSTART:20240811T200000Z\r\n"

CEREMONY = """\
ceremonies:
  - id: opening
    title: Opening
    venue: concorde
    start: 2024-08-28T20:00
    segments:
      - {id: overture, kind: performance, duration: 8m}
      - {id: parade, kind: parade, duration: 1h15m}
"""
SHOW = HEAD + CEREMONY
T = TypeVar("T")
HEAD_ZONE = "timezone: Europe/Paris"
START = "start: 2024-08-28T20:00"
FIRST = "ceremonies[0].segments[0]"


def refused(args: Sequence[str], where: str) -> str:
    """Run the CLI; it must exit 2 with one ``error: where...`` line and no traceback."""
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 2, (result.output, result.exception)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {where}"), lines[0]
    return lines[0]


def nested(depth: int, syntax: str) -> str:
    """A show file whose notes are lists nested ``depth`` deep (under the root mapping)."""
    inner = "[" * depth + "]" * depth
    if syntax == "yaml":
        return f"programme: x\nnotes: {inner}\n"
    if syntax == "toml":
        return f'programme = "x"\nnotes = {inner}\n'
    return f'{{"programme": "x",\n"notes": {inner}}}\n'


# --- a. nesting -------------------------------------------------------------------------


class TestNesting:
    def test_yaml_forty_thousand_deep_does_not_crash_the_interpreter(self, tmp_path: Path) -> None:
        """80 KB of ``[`` once segfaulted the composer: now exit 2 and one located line."""
        (tmp_path / "deep.yaml").write_text(nested(40_000, "yaml"))
        result = subprocess.run(
            [sys.executable, "-m", "ceremony", "check", "deep.yaml"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        assert result.stderr.splitlines() == [
            f"error: deep.yaml:2: lists and mappings nest more than {MAX_NESTING} deep; refused"
        ]

    @pytest.mark.parametrize("syntax", ["yaml", "json", "toml"])
    @pytest.mark.parametrize("depth", [MAX_NESTING, 900, 20_000, 100_000])
    def test_deep_nesting_is_a_located_error(self, syntax: str, depth: int) -> None:
        with pytest.raises(ShowFileError) as caught:
            ceremony.loads(nested(depth, syntax), syntax, file=f"deep.{syntax}")  # type: ignore[arg-type]
        assert caught.value.line == 2
        assert "nest more than 64 deep" in caught.value.message

    @pytest.mark.parametrize("syntax", ["yaml", "json", "toml"])
    def test_just_deep_enough_is_read(self, syntax: str) -> None:
        """The root mapping and 63 lists: 64 levels, the limit itself, are fine."""
        document = read_document(nested(MAX_NESTING - 1, syntax), syntax)  # type: ignore[arg-type]
        depth, value = 1, document.data["notes"]
        while isinstance(value, list):
            depth, value = depth + 1, value[0] if value else None
        assert depth == MAX_NESTING

    def test_yaml_block_mappings_are_counted_too(self) -> None:
        text = "".join(f"{'  ' * level}a{level}:\n" for level in range(100)) + "  " * 100 + "1\n"
        with pytest.raises(ShowFileError, match=r"^deep\.yaml:65: lists and mappings nest"):
            read_document(text, "yaml", "deep.yaml")

    def test_yaml_aliases_cannot_build_depth_the_text_does_not_have(self) -> None:
        """Each anchor wraps the one before: shallow text, data 500 deep."""
        lines = ["a0: &a0 [x]"] + [f"a{n}: &a{n} [*a{n - 1}]" for n in range(1, 500)]
        with pytest.raises(ShowFileError, match=r"^chain\.yaml:\d+: lists and mappings nest"):
            read_document("\n".join(lines), "yaml", "chain.yaml")

    def test_a_yaml_alias_to_itself_is_refused(self) -> None:
        with pytest.raises(ShowFileError, match=r"^loop\.yaml:1: lists and mappings nest"):
            read_document("a: &a [*a]\n", "yaml", "loop.yaml")

    def test_toml_dotted_keys_and_headers_count(self) -> None:
        dotted = "programme = 'x'\n" + ".".join(["a"] * 100) + " = 1\n"
        with pytest.raises(ShowFileError, match=r"^d\.toml:2: lists and mappings nest"):
            read_document(dotted, "toml", "d.toml")
        header = "programme = 'x'\n[" + ".".join(["a"] * 100) + "]\nb = 1\n"
        with pytest.raises(ShowFileError, match=r"^h\.toml:2: lists and mappings nest"):
            read_document(header, "toml", "h.toml")

    @pytest.mark.parametrize(
        ("text", "syntax"),
        [
            ('{"programme": "' + "[{" * 5000 + '", "x": "\\"[[["}', "json"),
            ("programme = '" + "[{" * 5000 + '\'\nx = """\n[[[[\n"""\n# [[[[\n', "toml"),
            ("programme: '" + "[{" * 5000 + "'\n# [[[[\n", "yaml"),
        ],
    )
    def test_brackets_in_strings_and_comments_do_not_count(self, text: str, syntax: str) -> None:
        assert read_document(text, syntax).data["programme"].startswith("[{[{")  # type: ignore[arg-type]

    def test_actuals_and_mapping_files_are_protected_too(self) -> None:
        programme = ceremony.loads(SHOW, "yaml")
        with pytest.raises(ShowFileError, match=r"^a\.yaml:2: lists and mappings nest"):
            loads_actuals(nested(5000, "yaml"), "yaml", programme, file="a.yaml")
        with pytest.raises(ShowFileError, match=r"^m\.json:2: lists and mappings nest"):
            loads_mapping(nested(100_000, "json"), "m.json")

    def test_reading_leaves_the_garbage_collector_as_it_was(self) -> None:
        """Reading pauses the collector (a refused file included), then restores it."""
        assert gc.isenabled()
        with pytest.raises(ShowFileError):
            read_document(nested(100, "yaml"), "yaml")
        read_document(SHOW, "yaml")
        assert gc.isenabled()
        gc.disable()
        try:
            read_document(SHOW, "yaml")
            assert not gc.isenabled()
        finally:
            gc.enable()

    @pytest.mark.parametrize("syntax", ["yaml", "json", "toml"])
    def test_cli_check_refuses_in_one_line(
        self, syntax: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        Path(f"deep.{syntax}").write_text(nested(100_000, syntax))
        refused(["check", f"deep.{syntax}"], f"deep.{syntax}:2: lists and mappings nest")
        refused(["timeline", f"deep.{syntax}"], f"deep.{syntax}:2: lists and mappings nest")


# --- b. dates and durations at the ends of the calendar -----------------------------------


class TestCalendarEnds:
    @pytest.mark.parametrize(
        ("old", "new", "line", "path"),
        [
            (
                HEAD_ZONE,
                f"{HEAD_ZONE}\ndates: {{start: 2024-07-26, end: 9999-12-31}}",
                3,
                "dates.end",
            ),
            (HEAD_ZONE, f"{HEAD_ZONE}\npublished: 9999-12-31T00:00Z", 3, "published"),
            (START, "start: 0001-01-01T00:00+01:00", 14, "ceremonies[0].start"),
            (START, "start: 9999-12-31T23:00-05:00", 14, "ceremonies[0].start"),
            (START, "start: 3000-01-01T00:00", 14, "ceremonies[0].start"),
            ("duration: 8m", "duration: 87600000h", 16, f"{FIRST}.duration"),
            ("duration: 8m", "duration: 99999999999999d", 16, f"{FIRST}.duration"),
            ("duration: 8m", "duration: P99999999999D", 16, f"{FIRST}.duration"),
            ("duration: 8m", "duration: 8785h", 16, f"{FIRST}.duration"),
            ("duration: 8m", "duration: {min: 1m, max: 400d}", 16, f"{FIRST}.duration"),
            (
                "duration: 1h15m",
                "start: {after: overture, offset: 367d}",
                17,
                "ceremonies[0].segments[1].start",
            ),
            (
                "duration: 8m",
                "duration: 8m, cues: [{department: pyro, text: go, when: +400d}]",
                16,
                f"{FIRST}.cues[0].when",
            ),
        ],
    )
    def test_out_of_range_values_are_located(
        self, old: str, new: str, line: int, path: str
    ) -> None:
        with pytest.raises(ShowFileError) as caught:
            ceremony.loads(SHOW.replace(old, new, 1), "yaml", file="show.yaml")
        error = caught.value
        assert (error.line, format_path(error.path)) == (line, path), str(error)
        assert re.search(r"1000-01-01 to 2999-12-31|longer than 366 days", error.message)

    def test_the_ends_themselves_are_read(self) -> None:
        text = SHOW.replace(
            "timezone: Europe/Paris",
            "timezone: Europe/Paris\ndates: {start: 1000-01-01, end: 2999-12-31}",
        ).replace("duration: 8m", "duration: 8784h")
        programme = ceremony.loads(text, "yaml")
        assert programme.dates is not None
        assert programme.dates.end == LATEST_DATE
        assert programme.ceremonies[0].segments[0].duration == MAX_DURATION

    @pytest.mark.parametrize(
        "text",
        [
            "87600000h",
            "99999999999999d",
            "999999999999999999999999999s",
            "P99999999999D",
            "9999999999:00:00",
            "367d",
        ],
    )
    def test_parse_duration_refuses_what_is_too_long(self, text: str) -> None:
        with pytest.raises(ValueError, match="longer than"):
            parse_duration(text)
        with pytest.raises(ValueError, match="longer than"):
            parse_duration("-" + text, signed=True)

    def test_the_model_refuses_them_too(self) -> None:
        far = datetime(9999, 12, 31, tzinfo=UTC)
        with pytest.raises(ModelError, match="1000-01-01 to 2999-12-31"):
            ceremony.Ceremony(id="x", title="x", start=far)
        with pytest.raises(ModelError, match="1000-01-01 to 2999-12-31"):
            ceremony.DateRange(start=date(2024, 1, 1), end=date(9999, 12, 31))
        with pytest.raises(ModelError, match="longer than"):
            ceremony.CompetitionSession(id="s", sport="x", duration=timedelta(days=400))
        with pytest.raises(ModelError, match="longer than"):
            ceremony.DurationRange(min=timedelta(0), max=timedelta(days=400))
        with pytest.raises(ModelError, match="longer than"):
            ceremony.Cue(department="pyro", text="go", when=timedelta(days=-400))
        with pytest.raises(ModelError, match="longer than"):
            ceremony.Anchor(relation=ceremony.Relation.AFTER, ref="x", offset=timedelta(days=400))
        with pytest.raises(ModelError, match="1000-01-01 to 2999-12-31"):
            ceremony.ActualMark(item="x", edge=ceremony.MarkEdge.START, at=far)

    def test_a_chain_of_long_segments_is_a_timing_error_not_an_overflow(self) -> None:
        segments = "".join(
            f"      - {{id: s{n}, kind: performance, duration: 366d}}\n" for n in range(1200)
        )
        text = HEAD + CEREMONY.split("      - ", maxsplit=1)[0] + segments
        programme = ceremony.loads(text, "yaml")
        with pytest.raises(TimingError, match="supported dates"):
            ceremony.resolve(programme)
        findings = ceremony.check(programme)
        assert any("supported dates" in finding.message for finding in findings)

    def test_back_timing_far_before_the_start_does_not_overflow(self) -> None:
        """A hard out right after a start in year 1000, 1,500 years of segments before it."""
        segments = tuple(
            ceremony.Performance(id=f"s{n}", duration=MAX_DURATION) for n in range(1500)
        )
        start = datetime(1000, 6, 1, tzinfo=UTC)
        show = ceremony.Ceremony(
            id="c", title="c", start=start, hard_out=start + timedelta(hours=1), segments=segments
        )
        timeline = ceremony.resolve(show)
        first = timeline.slots[0].must_start_by
        assert first is not None
        assert first.date() < EARLIEST_DATE

    @pytest.mark.parametrize("command", ["ics", "site", "sheet"])
    def test_cli_placeholder_end_date(
        self, command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        text = SHOW.replace(
            "timezone: Europe/Paris",
            "timezone: Europe/Paris\ndates: {start: 2024-07-26, end: 9999-12-31}",
        )
        Path("show.yaml").write_text(text)
        refused(["check", "show.yaml"], "show.yaml:3: dates.end: ")
        refused([command, "show.yaml", "-o", "out"], "show.yaml:3: dates.end: ")

    @pytest.mark.parametrize("command", ["check", "timeline", "ics", "sheet"])
    def test_cli_huge_duration(
        self, command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        Path("show.yaml").write_text(SHOW.replace("duration: 8m", "duration: 87600000h"))
        refused([command, "show.yaml"], "show.yaml:16: ceremonies[0].segments[0].duration: ")


ZONES = ["UTC", "Europe/Paris", "Pacific/Kiritimati", "Pacific/Pago_Pago", "America/New_York"]
DAYS = (LATEST_DATE - EARLIEST_DATE).days
LAST_INSTANT = datetime.combine(LATEST_DATE, time(23, 59), UTC)


@st.composite
def far_programmes(draw: st.DrawFn) -> ceremony.Programme:
    """Programmes anywhere in the supported dates, with durations up to the longest."""
    tz_name = draw(st.sampled_from(ZONES))
    tz = zone(tz_name)

    def instant() -> datetime:
        day = EARLIEST_DATE + timedelta(days=draw(st.integers(1, DAYS - 1)))
        clock = time(draw(st.integers(0, 23)), draw(st.sampled_from([0, 30])))
        # Through UTC: a wall time in a spring-forward gap is refused at construction.
        return datetime.combine(day, clock, UTC).astimezone(tz)

    lengths = st.one_of(
        st.just(MAX_DURATION),
        st.integers(0, int(MAX_DURATION.total_seconds())).map(lambda s: timedelta(seconds=s)),
    )
    segments: list[ceremony.Segment] = []
    for n in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["none", "hard", "anchor"] if n else ["none", "hard"]))
        start: datetime | ceremony.Anchor | None = None
        if kind == "hard":
            start = instant()
        elif kind == "anchor":
            start = ceremony.Anchor(
                relation=draw(st.sampled_from(list(ceremony.Relation))),
                ref=f"s{n - 1}",
                offset=draw(lengths),
            )
        cue = ceremony.Cue(
            department="pyro",
            text="go",
            when=draw(lengths) * draw(st.sampled_from([1, -1])),
        )
        segments.append(
            ceremony.Performance(id=f"s{n}", start=start, duration=draw(lengths), cues=(cue,))
        )
    opening = instant()
    first = draw(st.integers(0, DAYS))
    last = draw(st.integers(first, DAYS))
    ceremonies = [
        ceremony.Ceremony(
            id="c",
            title="c",
            start=opening,
            hard_out=draw(st.none() | st.just(min(opening + timedelta(hours=1), LAST_INSTANT))),
            segments=segments,
        )
    ]
    sessions = [
        ceremony.CompetitionSession(
            id=f"x{n}", sport="Golf", start=instant(), duration=draw(lengths)
        )
        for n in range(draw(st.integers(0, 2)))
    ]
    return ceremony.Programme(
        name="far",
        timezone=tz_name,
        published=draw(st.none() | st.just(instant())),
        dates=ceremony.DateRange(
            start=EARLIEST_DATE + timedelta(days=first), end=EARLIEST_DATE + timedelta(days=last)
        ),
        ceremonies=draw(st.sampled_from([ceremonies, []])),
        sessions=sessions,
    )


@given(programme=far_programmes())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_anywhere_in_the_calendar_nothing_but_ceremony_errors(
    programme: ceremony.Programme,
) -> None:
    """Resolve, check, .ics and the text sheet: a CeremonyError at worst, never a crash."""
    timeline = at_worst_refused(lambda: ceremony.resolve(programme))
    at_worst_refused(lambda: ceremony.check(programme))
    at_worst_refused(lambda: to_ical(programme, segments=True, crew=True))
    if timeline is not None:
        printed = datetime(2024, 1, 1, tzinfo=UTC)
        at_worst_refused(lambda: render_text(build_sheet(programme, timeline, printed_at=printed)))
    assert ceremony.loads(ceremony.dumps(programme, "yaml"), "yaml") == programme


def at_worst_refused(job: Callable[[], T]) -> T | None:
    """What ``job`` returns, or None when it raises a CeremonyError (and nothing else)."""
    try:
        return job()
    except CeremonyError:
        return None


# --- c. control characters ----------------------------------------------------------------


class TestControlCharacters:
    @pytest.mark.parametrize("char", ["\x00", "\x0b", "\x1b", "\x7f", "\x85", "\x9f"])
    @pytest.mark.parametrize("syntax", ["yaml", "json", "toml"])
    def test_refused_in_any_text_field_with_its_line(self, char: str, syntax: str) -> None:
        text = ceremony.dumps(ceremony.loads(SHOW, "yaml"), syntax)  # type: ignore[arg-type]
        escape = f"\\u{ord(char):04x}"
        if syntax == "yaml":
            bad = text.replace("title: Opening", f'title: "Open{escape}ing"', 1)
        else:
            bad = text.replace("Opening", f"Open{escape}ing", 1)
        with pytest.raises(ShowFileError) as caught:
            ceremony.loads(bad, syntax, file="show")  # type: ignore[arg-type]
        error = caught.value
        assert error.path == ("ceremonies", 0, "title")
        assert error.line == next(n for n, line in enumerate(bad.splitlines(), 1) if "Open" in line)
        assert f"U+{ord(char):04X}" in error.message
        assert char not in str(error)

    @pytest.mark.parametrize(
        "where",
        [
            ("programme: Test Games", 'programme: "Test\\x07 Games"'),
            ("name: Chilly Gonzalez", 'name: "Chilly\\x00Gonzalez"'),
            ("- {id: parade, kind: parade,", '- {id: parade, kind: parade, notes: "a\\eb",'),
            ("venue: concorde\n", 'venue: concorde\n    notes: "a\\x1cb"\n'),
        ],
    )
    def test_every_text_field(self, where: tuple[str, str]) -> None:
        with pytest.raises(ShowFileError, match=r"control character U\+00(07|00|1B|1C)"):
            ceremony.loads(SHOW.replace(*where, 1), "yaml")

    def test_json_lone_surrogates_are_refused(self) -> None:
        text = ceremony.dumps(ceremony.loads(SHOW, "yaml"), "json").replace(
            '"Opening"', '"Open\\udc00ing"'
        )
        with pytest.raises(ShowFileError, match=r"U\+DC00"):
            ceremony.loads(text, "json")

    def test_tab_and_line_breaks_are_text(self) -> None:
        text = SHOW.replace("title: Opening", 'title: "Open\\ting"\n    notes: "a\\r\\nb\\nc"')
        opening = ceremony.loads(text, "yaml").ceremonies[0]
        assert opening.title == "Open\ting"
        assert opening.notes == "a\r\nb\nc"

    def test_a_control_character_in_another_value_stays_on_one_line(self) -> None:
        text = SHOW.replace("duration: 8m", 'duration: "8m\\v\\n\\x85x"')
        with pytest.raises(ShowFileError) as caught:
            ceremony.loads(text, "yaml", file="show.yaml")
        assert len(str(caught.value).splitlines()) == 1

    @pytest.mark.parametrize("command", [["check"], ["sheet", "-o", "x.xlsx"], ["ics"]])
    def test_cli(self, command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.chdir(tmp_path)
        Path("show.yaml").write_text(SHOW.replace("title: Opening", 'title: "Open\\ving"'))
        refused([command[0], "show.yaml", *command[1:]], "show.yaml:12: ceremonies[0].title: ")
        assert not Path("x.xlsx").exists()

    def test_an_escape_sequence_in_a_key_does_not_reach_the_terminal(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An unknown key quoted in the message shows its control characters as \\x1b."""
        monkeypatch.chdir(tmp_path)
        Path("show.yaml").write_text(SHOW + '"k\\e[31mRED": 1\n')
        line = refused(["check", "show.yaml"], "show.yaml:")
        assert "\x1b" not in line
        assert "k\\x1b[31mRED" in line


# --- d. .ics import -----------------------------------------------------------------------


ZONED = THEIRS.replace(
    "X-WR-CALNAME:Athletics\r\n",
    "X-WR-CALNAME:Athletics\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\nBEGIN:STANDARD\r\n"
    "DTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\n"
    "END:VTIMEZONE\r\n",
)
"""Somebody else's feed with a VTIMEZONE (lines 5 to 12; its TZID on line 6)."""


class TestIcsImport:
    @pytest.mark.parametrize(
        ("old", "new", "line"),
        [
            (DTSTART, f"{DTSTART}DTSTART:20240812T200000Z\r\n", 26),
            (DTSTART, f"{DTSTART}DTEND:20240811T210000Z\r\nDTEND:20240811T220000Z\r\n", 27),
            (DTSTART, f"{DTSTART}DURATION:PT1H\r\nDURATION:PT2H\r\n", 27),
            (
                "UID:moment@example.org\r\n",
                "UID:moment@example.org\r\nUID:other@example.org\r\n",
                24,
            ),
            ("SUMMARY:Flame goes out\r\n", "SUMMARY:a\r\nSUMMARY:b\r\n", 27),
        ],
    )
    def test_a_repeated_property_is_located_at_its_second_line(
        self, old: str, new: str, line: int
    ) -> None:
        text = THEIRS.replace(old, new)
        name = new.split("\r\n")[-2].split(":", maxsplit=1)[0]
        with pytest.raises(ShowFileError) as caught:
            loads_ics(text, file="theirs.ics")
        assert str(caught.value).startswith(
            f"theirs.ics:{line}: VEVENT[2].{name}: {name} is written twice"
        ), str(caught.value)

    def test_a_property_of_a_nested_alarm_is_not_a_repeat(self) -> None:
        alarm = "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:soon\r\nTRIGGER:-PT5M\r\n"
        alarm += "DURATION:PT1M\r\nREPEAT:2\r\nEND:VALARM\r\n"
        text = THEIRS.replace("DURATION:PT10M\r\n", "DURATION:PT10M\r\n" + alarm)
        final = loads_ics(text).sessions[0]
        assert final.ends is not None
        assert final.start is not None
        assert final.ends - final.start == timedelta(minutes=10)

    @pytest.mark.parametrize(
        ("old", "new", "message"),
        [
            ("DTSTART:20240811T200000Z", "DTSTART:99991231T230000Z", "1000-01-01 to 2999-12-31"),
            (
                "DTSTART:20240811T200000Z",
                "DTSTART;TZID=Europe/Paris:00010101T000000",
                "1000-01-01 to 2999-12-31",
            ),
            ("SUMMARY:Flame goes out", "DURATION:P100000D\r\nSUMMARY:x", "longer than"),
            ("SUMMARY:Flame goes out", "SUMMARY:Flame\x0bgoes", "U+000B"),
        ],
    )
    def test_bad_values_are_located(self, old: str, new: str, message: str) -> None:
        with pytest.raises(ShowFileError) as caught:
            loads_ics(THEIRS.replace(old, new), file="theirs.ics")
        assert str(caught.value).startswith("theirs.ics:23: VEVENT[2]")
        assert message in str(caught.value)

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            (
                ZONED.replace(
                    "TZID:Europe/Paris\r\n", "TZID:Europe/Paris\r\nTZID:Europe/Berlin\r\n"
                ),
                "theirs.ics:7: VTIMEZONE[0].TZID: TZID is written twice in this VTIMEZONE",
            ),
            (
                ZONED.replace(
                    "TZID:Europe/Paris\r\n", "TZID:Europe/Paris\r\ntzid:Europe/Paris\r\n"
                ),
                "theirs.ics:7: VTIMEZONE[0].TZID: TZID is written twice in this VTIMEZONE",
            ),
            (
                ZONED.replace("BEGIN:VTIMEZONE\r\n", ""),
                "theirs.ics:11: VCALENDAR[0]: END:VTIMEZONE does not end the VCALENDAR begun at "
                "line 1",
            ),
            (
                THEIRS.replace("TZID=Europe/Paris", "TZID=Europe"),
                "theirs.ics:8: VEVENT[0].DTSTART: TZID 'Europe' cannot be looked up as a time "
                "zone (",
            ),
            (
                THEIRS.replace("TZID=Europe/Paris", "TZID=Europe/Par" + "i" * 5000),
                "theirs.ics:8: VEVENT[0].DTSTART: TZID 'Europe/Pariiii",
            ),
            (
                THEIRS.replace("DTSTART;TZID=Europe/Paris:", "DTSTART;TZ\r\n ID=Eur\r\n ope:"),
                "theirs.ics:8: VEVENT[0].DTSTART: TZID 'Europe' cannot be looked up",
            ),
            (
                THEIRS.replace("END:VCALENDAR", "BEGIN:X\r\n" * 100),
                "theirs.ics:91: X[62]: components nest deeper than 64 levels; that is the limit",
            ),
        ],
        ids=[
            "two-tzids",
            "two-tzids-any-case",
            "end-of-another-component",
            "tzid-a-folder",
            "tzid-too-long",
            "tzid-folded",
            "nesting",
        ],
    )
    def test_what_would_crash_the_parser_is_located(self, text: str, expected: str) -> None:
        """icalendar crashes on these (AttributeError, IsADirectoryError, ENAMETOOLONG):
        they are refused before it parses, at their line."""
        with pytest.raises(ShowFileError) as caught:
            loads_ics(text, file="theirs.ics")
        assert str(caught.value).startswith(expected), str(caught.value)

    def test_a_zone_folder_on_the_command_line(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        Path("feed.ics").write_text(THEIRS.replace("TZID=Europe/Paris", "TZID=Europe"))
        refused(["check", "feed.ics"], "feed.ics:8: VEVENT[0].DTSTART: TZID 'Europe' cannot be")

    def test_lines_are_located_in_one_pass(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The locator reads the text once, however many events (it was once per event)."""
        calls: list[int] = []
        locate = icsfile._event_lines

        def counting(text: str) -> list[icsfile.EventLines]:
            calls.append(len(text))
            return locate(text)

        monkeypatch.setattr(icsfile, "_event_lines", counting)
        events = "".join(
            f"BEGIN:VEVENT\r\nUID:e{n}\r\nDTSTART:20240801T{n % 24:02d}0000Z\r\nEND:VEVENT\r\n"
            for n in range(300)
        )
        text = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{events}END:VCALENDAR\r\n"
        assert len(loads_ics(text).sessions) == 300
        bad = text.replace("UID:e299\r\n", "")
        with pytest.raises(ShowFileError, match=r"^x\.ics:1199: VEVENT\[299\]: an event has no"):
            loads_ics(bad, file="x.ics")
        assert len(calls) == 2

    def test_cli(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.chdir(tmp_path)
        Path("feed.ics").write_text(
            THEIRS.replace(DTSTART, f"{DTSTART}DTSTART:20240812T200000Z\r\n")
        )
        refused(["check", "feed.ics"], "feed.ics:26: VEVENT[2].DTSTART: DTSTART is written twice")
        refused(["timeline", "feed.ics"], "feed.ics:26: ")


# --- e. ODF -------------------------------------------------------------------------------


class TestOdf:
    @pytest.mark.parametrize("encoding", ["x-foo", "utf-32", "utf-16", "ebcdic-cp-us"])
    def test_an_unusable_encoding_is_a_located_error(self, encoding: str) -> None:
        data = message(SWIMMING).replace(b'encoding="UTF-8"', f'encoding="{encoding}"'.encode())
        with pytest.raises(ShowFileError, match=r"^SWM\.xml:1: "):
            parse_message(data, "SWM.xml")

    @pytest.mark.parametrize("stamp", ["9999-12-31T23:00:00-05:00", "0001-01-01T00:00:00+01:00"])
    @pytest.mark.parametrize("which", ["2024-07-27T21:10:00+02:00", "2024-07-27T20:30:00+02:00"])
    def test_a_date_at_the_ends_of_the_calendar_is_located(self, stamp: str, which: str) -> None:
        """A unit's time, or a session's (also read when units are set against it)."""
        data = message(SWIMMING.replace(which, stamp, 1))
        with pytest.raises(ShowFileError) as caught:
            merge_messages([parse_message(data, "x.xml")], timezone="Europe/Paris")
        assert re.match(r"x\.xml:\d+: (Unit|Session) SWM", str(caught.value))
        assert "1000-01-01 to 2999-12-31" in str(caught.value)

    def test_a_message_sent_in_year_9999_has_no_publication_time(self) -> None:
        data = message(SWIMMING, date="9999-12-31")
        imported = merge_messages([parse_message(data, "x.xml")], timezone="Europe/Paris")
        assert imported.programme.published is None

    def test_control_characters_are_located(self) -> None:
        data = message(SWIMMING.replace("Women's 400m", "Women&#x85;s 400m"))
        with pytest.raises(ShowFileError, match=r"^x\.xml:\d+: Unit SWMW400MFR.*U\+0085"):
            parse_message(data, "x.xml")

    @pytest.mark.parametrize(
        ("old", "new"),
        [
            (b'encoding="UTF-8"', b'encoding="x-foo"'),
            (b"2024-07-27T21:10:00+02:00", b"9999-12-31T23:00:00-05:00"),
        ],
    )
    def test_cli(
        self, old: bytes, new: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        Path("SWM.xml").write_bytes(message(SWIMMING).replace(old, new, 1))
        refused(
            ["import", "odf", "SWM.xml", "--timezone", "Europe/Paris", "-o", "out.yaml"],
            "SWM.xml:",
        )
        assert not Path("out.yaml").exists()
