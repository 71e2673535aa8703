"""Every mistake at once: all a file's problems in line order, tabs, YAML 1.2 booleans, zones."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import attrs
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import ceremony
from ceremony.checks import check
from ceremony.cli import main
from ceremony.errors import MAX_PROBLEMS, AmbiguousTimeError, ShowFileError, ZoneError
from ceremony.io.actualsfile import loads_actuals
from ceremony.io.converter import read_datetime
from ceremony.io.mapping import loads_mapping
from ceremony.io.run_of_show_table import import_run_of_show
from ceremony.io.tables import read_table
from ceremony.model import SEGMENT_KINDS
from ceremony.zones import clock_time_on, localize, placeless, zone

from .conftest import HEAD, SHOW_FILES

Show = Callable[[str], ceremony.Programme]

THREE_MISTAKES = """\
ceremonies:
  - id: opening
    title: Opening
    venue: concorde
    start: 2024-08-28T20:00
    segments:
      - {id: procession, kind: processional, duration: 5m}
      - {id: welcome, kind: speech, duration: -3m, speakers: [macron]}
      - {id: thanks, kind: speech, duration: 3m, speakers: [nobody]}
      - {id: music, kind: performance, duration: 3m, colour: red, performers: [chilly]}
"""
"""After the 9 lines of HEAD: an unknown kind (line 16), a negative duration (17), an unknown
person (18) and an unknown key (19)."""

YAML_11_BOOLEANS = [
    word
    for base in ("yes", "no", "on", "off", "y", "n")
    for word in {base, base.capitalize(), base.upper()}
]
"""The words YAML 1.1 (PyYAML's default) reads as booleans, in each case it allows."""


def _problems(load: Callable[[], object]) -> ShowFileError:
    with pytest.raises(ShowFileError) as caught:
        load()
    return caught.value


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


class TestEveryProblem:
    def test_several_mistakes_are_reported_together_in_line_order(self, show: Show) -> None:
        """An unknown kind, a bad duration, an unknown person and an unknown key: all four."""
        error = _problems(lambda: show(THREE_MISTAKES))
        assert [(p.line, p.message) for p in error.problems] == [
            (
                16,
                '"processional" is not a segment kind; the kinds are: '
                + ", ".join(sorted(SEGMENT_KINDS)),
            ),
            (17, '"-3m" is not a duration'),
            (18, "unknown person 'nobody'"),
            (19, "unknown key 'colour'"),
        ]
        assert str(error).splitlines()[1] == (
            'show.yaml:17: ceremonies[0].segments[1].duration: "-3m" is not a duration'
        )

    def test_the_error_is_located_at_its_first_problem(self, show: Show) -> None:
        """``line``, ``path`` and ``message`` are the first problem's, for older callers."""
        error = _problems(lambda: show(THREE_MISTAKES))
        first = error.problems[0]
        assert (error.file, error.line, error.path) == ("show.yaml", 16, first.path)
        assert error.message == first.message
        assert isinstance(error, ceremony.CeremonyError)

    def test_one_mistake_reads_as_before(self, show: Show) -> None:
        """A single mistake is one problem, its message unchanged."""
        body = THREE_MISTAKES.split("      - {id: procession", maxsplit=1)[0]
        body += "      - {id: welcome, kind: speach, duration: 3m}\n"
        error = _problems(lambda: show(body))
        assert error.problems == (error,)
        assert str(error) == (
            "show.yaml:16: ceremonies[0].segments[0].kind: "
            "\"speach\" is not a segment kind (did you mean 'speech'?)"
        )

    def test_at_most_fifty_problems_the_earliest(self, show: Show) -> None:
        """Sixty bad durations: the first fifty listed, and how many more there are."""
        body = THREE_MISTAKES.split("      - {id: procession", maxsplit=1)[0]
        body += "".join(f"      - {{id: s{n}, kind: speech, duration: soon}}\n" for n in range(60))
        error = _problems(lambda: show(body))
        assert len(error.problems) == MAX_PROBLEMS == 50
        assert error.left_out == 10
        assert [p.line for p in error.problems] == list(range(16, 66))
        assert str(error).splitlines()[-1] == "... and 10 more (fix these first)"

    def test_a_misspelt_key_explains_the_missing_one(self, show: Show) -> None:
        """``titel`` suggests ``title``; the missing ``title`` is not reported besides."""
        body = THREE_MISTAKES.replace("    title: Opening\n", "    titel: Opening\n")
        body = body.split("    segments:", maxsplit=1)[0]
        error = _problems(lambda: show(body))
        assert [p.message for p in error.problems] == [
            "unknown key 'titel' (did you mean 'title'?)"
        ]

    def test_every_id_used_twice(self) -> None:
        """Each repeated id is reported, where it is repeated, as the model words it."""
        body = THREE_MISTAKES.split("      - {id: procession", maxsplit=1)[0] + (
            "      - {id: a, kind: speech, duration: 1m}\n"
            "      - {id: a, kind: speech, duration: 1m}\n"
            "      - {id: opening, kind: speech, duration: 1m}\n"
        )
        text = HEAD.replace("  - {id: macron,", "  - {id: chilly,") + body
        error = _problems(lambda: ceremony.loads(text, "yaml", file="show.yaml"))
        assert [(p.line, p.message) for p in error.problems] == [
            (7, "id 'chilly' is used twice"),
            (17, "id 'a' is used twice (first at ceremonies[0].segments[0])"),
            (18, "id 'opening' is used twice (first at ceremonies[0])"),
        ]

    def test_unknown_ids_in_a_file_that_reads(self, show: Show) -> None:
        """A file the model accepts reports every unknown id, not the first."""
        body = THREE_MISTAKES.split("      - {id: procession", maxsplit=1)[0] + (
            "      - {id: a, kind: speech, duration: 1m, speakers: [nobody, macron, noone]}\n"
            "      - {id: b, kind: speech, start: {after: nothing}, duration: 1m}\n"
        )
        error = _problems(lambda: show(body))
        assert [(p.line, str(p.path[-2:])) for p in error.problems] == [
            (16, "('speakers', 0)"),
            (16, "('speakers', 2)"),
            (17, "('start', 'after')"),
        ]

    def test_json_reports_every_problem_too(self) -> None:
        """The same mistakes in JSON: all reported, on their lines."""
        data = yaml.safe_load(HEAD + THREE_MISTAKES)
        text = json.dumps(data, indent=1)
        error = _problems(lambda: ceremony.loads(text, "json", file="show.json"))
        assert len(error.problems) == 4
        lines = [p.line or 0 for p in error.problems]
        assert lines == sorted(lines)

    def test_a_broken_syntax_is_one_problem(self) -> None:
        """A parse error stops the parser: one problem, located."""
        error = _problems(lambda: ceremony.loads("programme: [x\n", "yaml", file="show.yaml"))
        assert len(error.problems) == 1
        assert error.line == 2

    def test_of_needs_a_problem(self) -> None:
        """Building an error from no problems is refused."""
        with pytest.raises(ceremony.ModelError):
            ShowFileError.of([])


class TestTabs:
    def test_a_tab_that_indents_is_named(self) -> None:
        """A tab before a key: the line and the rule, not PyYAML's words."""
        text = "programme: P\nvenues:\n\t- {id: a, name: A}\n"
        error = _problems(lambda: ceremony.loads(text, "yaml", file="show.yaml"))
        assert str(error) == "show.yaml:3: a tab indents this line; YAML indents with spaces"

    def test_a_tab_after_spaces_is_named(self) -> None:
        """Spaces then a tab still indent with a tab."""
        text = "programme: P\nvenues:\n  - id: a\n  \tname: A\n"
        error = _problems(lambda: ceremony.loads(text, "yaml", file="show.yaml"))
        assert (error.line, error.message) == (
            4,
            "a tab indents this line; YAML indents with spaces",
        )

    def test_a_tab_inside_a_value_is_text(self) -> None:
        """A tab within a value is part of the value, not a mistake."""
        text = "programme: Opening\tnight\ntimezone: UTC\n"
        assert ceremony.loads(text, "yaml").name == "Opening\tnight"


class TestBooleans:
    def test_norway_as_no_everywhere(self) -> None:
        """NO as a delegation, a person and a person's delegation; on and off as titles."""
        text = (
            "programme: on\ntimezone: Europe/Oslo\n"
            "delegations:\n  - {id: NO, name: Norway, athletes: [No]}\n"
            "people:\n  - {id: No, name: Nora Olsen, delegation: NO}\n"
            "ceremonies:\n  - id: yes\n    title: off\n    start: 2026-02-06T20:00\n"
            "    segments:\n      - {id: y, kind: parade, title: ON, duration: 1h,"
            " delegations: [NO], flagbearers: {NO: [No]}}\n"
        )
        programme = ceremony.loads(text, "yaml")
        assert programme.name == "on"
        assert programme.delegations[0].id == "NO"
        assert programme.people[0].delegation == "NO"
        opening = programme.ceremonies[0]
        assert (opening.id, opening.title, opening.segments[0].title) == ("yes", "off", "ON")
        assert opening.segments[0].flagbearers == {"NO": ("No",)}  # type: ignore[attr-defined]

    @pytest.mark.parametrize("word", ["true", "True", "TRUE", "false", "False", "FALSE"])
    def test_true_and_false_stay_booleans(self, word: str) -> None:
        """YAML 1.2 core booleans, in every case it allows, are still booleans."""
        text = (
            "programme: P\ntimezone: UTC\nsessions:\n"
            f"  - {{id: s, sport: X, event: Y, start: 2024-08-28T10:00, medal: {word}}}\n"
        )
        assert ceremony.loads(text, "yaml").sessions[0].medal is (word.lower() == "true")

    def test_yes_is_not_a_boolean(self) -> None:
        """``medal: yes`` is text, which a true-or-false field refuses by name."""
        text = (
            "programme: P\ntimezone: UTC\nsessions:\n"
            "  - {id: s, sport: X, event: Y, start: 2024-08-28T10:00, medal: yes}\n"
        )
        error = _problems(lambda: ceremony.loads(text, "yaml"))
        assert error.message == 'expected true or false, got "yes"'

    @given(word=st.sampled_from(YAML_11_BOOLEANS))
    def test_any_yaml_11_boolean_word_round_trips_as_an_id(self, word: str) -> None:
        """Each YAML 1.1 boolean word is an id and a title as written, through a dump too."""
        text = f"programme: {word}\ntimezone: UTC\ndelegations:\n  - {{id: {word}, name: {word}}}\n"
        programme = ceremony.loads(text, "yaml")
        assert (programme.name, programme.delegations[0].id) == (word, word)
        assert ceremony.loads(ceremony.dumps(programme, "yaml"), "yaml") == programme

    def test_the_actuals_reader_keeps_them_too(self, show: Show) -> None:
        """An actuals file marks the segment ``on`` (unquoted) as it is named."""
        body = THREE_MISTAKES.split("      - {id: procession", maxsplit=1)[0]
        body += "      - {id: on, kind: speech, duration: 3m}\n"
        programme = show(body)
        actuals = loads_actuals(
            "ceremony: opening\nmarks:\n  - {item: on, edge: start, at: '20:00'}\n",
            "yaml",
            programme,
        )
        assert actuals.marks[0].item == "on"


class TestZones:
    @pytest.mark.parametrize(
        ("name", "region"),
        [
            ("EST", "America/New_York"),
            ("EST5EDT", "America/New_York"),
            ("CET", "Europe/Paris"),
            ("MST", "America/Denver"),
            ("Etc/GMT+5", "America/New_York"),
            ("Etc/GMT-9", "Asia/Tokyo"),
            ("GMT", "Europe/London"),
        ],
    )
    def test_places_for_abbreviations_and_offsets(self, name: str, region: str) -> None:
        """Each is a zone, but not a place's clock: a region zone is named instead."""
        zone(name)  # a zone all the same
        why = placeless(name)
        assert why is not None
        assert why.endswith(f"for example {region}") or f"for example {region}," in why

    def test_the_sign_of_etc_gmt_is_explained(self) -> None:
        """Etc/GMT+5 is five hours behind UTC, which its name does not say."""
        assert "UTC-5 (these names reverse the sign)" in (placeless("Etc/GMT+5") or "")

    @pytest.mark.parametrize("name", ["UTC", "Etc/UTC", "Europe/Paris", "America/New_York"])
    def test_places_and_utc_are_fine(self, name: str) -> None:
        """A region zone, or UTC, which claims no place."""
        assert placeless(name) is None

    def test_check_warns_of_each(self) -> None:
        """The programme's zone and a venue's: one warning each, located."""
        text = (
            "programme: P\ntimezone: EST\n"
            "venues:\n  - {id: a, name: A, timezone: Etc/GMT+5}\n  - {id: b, name: B}\n"
        )
        programme = ceremony.loads(text, "yaml", file="show.yaml")
        found = [(f.severity.value, f.code, f.line) for f in check(programme)]
        assert found == [
            ("warning", "zone-not-a-place", 2),
            ("warning", "zone-not-a-place", 4),
        ]

    def test_naive_times_need_a_zone(self) -> None:
        """No zone anywhere and a time without an offset: one error saying which to add."""
        text = (
            "programme: P\nceremonies:\n  - id: c\n    title: C\n    start: 2025-07-04T20:00\n"
            "    segments:\n      - {id: a, kind: speech, start: '20:10', duration: 3m}\n"
            "sessions:\n  - {id: s, sport: X, event: Y, start: 2025-07-04T10:00}\n"
        )
        error = _problems(lambda: ceremony.loads(text, "yaml", file="show.yaml"))
        assert str(error) == (
            'show.yaml:5: ceremonies[0].start: "2025-07-04T20:00" has no time zone: '
            "say which, e.g. timezone: Europe/Paris (or write its offset)"
        )

    def test_offsets_or_a_venue_zone_are_enough(self) -> None:
        """Times with offsets, or at a venue with a zone, need no programme zone."""
        text = (
            "programme: P\nvenues:\n  - {id: v, name: V, timezone: America/New_York}\n"
            "ceremonies:\n  - {id: c, title: C, venue: v, start: 2025-07-04T20:00}\n"
            "sessions:\n  - {id: s, sport: X, event: Y, start: 2025-07-04T10:00-04:00}\n"
        )
        programme = ceremony.loads(text, "yaml")
        assert programme.ceremonies[0].start.isoformat() == "2025-07-04T20:00:00-04:00"
        session_start = programme.sessions[0].start
        assert session_start == localize(datetime(2025, 7, 4, 10), zone("America/New_York"))

    def test_every_example_names_its_zone(self) -> None:
        """The examples load under the rule (none relied on UTC)."""
        for path in SHOW_FILES:
            assert ceremony.load(path).name


class TestAmbiguousTimes:
    NEW_YORK = zone("America/New_York")
    EVENING = localize(datetime(2025, 11, 1, 20, 0), NEW_YORK)

    def test_an_offset_says_which(self) -> None:
        """01:30-04:00 is the first 01:30 of the night the clocks go back, -05:00 the second."""
        first = clock_time_on("01:30-04:00", self.EVENING, self.NEW_YORK)
        second = clock_time_on("01:30-05:00", self.EVENING, self.NEW_YORK)
        assert second.timestamp() - first.timestamp() == 3600
        assert first.tzinfo is self.NEW_YORK
        assert first.isoformat() == "2025-11-02T01:30:00-04:00"

    def test_a_typed_clock_time_with_an_offset_reads(self) -> None:
        """What ``--at 01:30-05:00`` hands the reader is an exact instant."""
        read = read_datetime("01:30-05:00", "America/New_York", self.EVENING)
        assert read.isoformat() == "2025-11-02T01:30:00-05:00"

    def test_a_bad_offset_is_refused(self) -> None:
        """An offset past 23:59 is not one."""
        with pytest.raises(ValueError, match="an offset that is not one"):
            clock_time_on("01:30-25:00", self.EVENING, self.NEW_YORK)

    def test_files_are_told_fold_or_an_offset(self) -> None:
        """In a file, ``fold`` (or an offset) says which."""
        with pytest.raises(AmbiguousTimeError) as caught:
            clock_time_on("01:30", self.EVENING, self.NEW_YORK)
        assert "fold: 1 (second), or give an offset" in str(caught.value)
        assert caught.value.offsets == ("-04:00", "-05:00")
        assert isinstance(caught.value, ZoneError)

    def test_the_command_line_is_told_an_offset(self) -> None:
        """Typed at ``--at``, the message gives the two offsets and no ``fold``."""
        with pytest.raises(AmbiguousTimeError) as caught:
            clock_time_on("01:30", self.EVENING, self.NEW_YORK)
        typed = str(caught.value.typed("--at"))
        assert typed == (
            "2025-11-02 01:30 happens twice in America/New_York (the clocks go back); type its "
            "offset to say which: --at 01:30-04:00 (the first) or --at 01:30-05:00 (the second)"
        )
        assert "fold" not in typed

    NIGHT_SHOW = (
        "programme: Night\ntimezone: America/New_York\nceremonies:\n"
        "  - id: night\n    title: Night show\n    start: 2025-11-01T23:00\n"
        "    segments:\n      - {id: a, kind: custom, what: vigil, duration: 4h}\n"
    )

    def test_the_command_line_asks_for_an_offset(self, tmp_path: Path) -> None:
        """`record --at 01:30` on the night the clocks go back asks for an offset, never
        ``fold``; `--at 01:30-05:00` records the second 01:30; `--now` is read the same way."""
        show = tmp_path / "night.yaml"
        show.write_text(self.NIGHT_SHOW, encoding="utf-8")
        runner = CliRunner()
        refused = runner.invoke(main, ["record", str(show), "a", "start", "--at", "01:30"])
        assert refused.exit_code == 2
        assert "01:30-04:00 (the first) or 01:30-05:00 (the second)" in refused.output
        assert "fold" not in refused.output
        assert not (tmp_path / "night.actuals.yaml").exists()
        done = runner.invoke(main, ["record", str(show), "a", "start", "--at", "01:30-05:00"])
        assert done.exit_code == 0, done.output
        actuals = ceremony.load_actuals(tmp_path / "night.actuals.yaml", ceremony.load(show))
        assert actuals.marks[0].at.isoformat() == "2025-11-02T01:30:00-05:00"
        now = runner.invoke(
            main,
            [
                "timeline",
                str(show),
                "--actuals",
                str(tmp_path / "night.actuals.yaml"),
                "--now",
                "01:40",
            ],
        )
        assert now.exit_code == 2
        assert "01:40-04:00 (the first)" in now.output and "fold" not in now.output


class TestDrafts:
    def test_a_flag_raising_without_its_flag_is_info(self, show: Show) -> None:
        """What the outputs would show is missing: an info finding naming the segment."""
        body = THREE_MISTAKES.split("      - {id: procession", maxsplit=1)[0]
        body += "      - {id: raise, kind: flag_raising, duration: 3m, flag: Paralympic flag}\n"
        programme = show(body)
        ceremony_ = programme.ceremonies[0]
        draft = attrs.evolve(ceremony_.segments[0], flag=None)  # type: ignore[call-arg]
        programme = attrs.evolve(
            programme, ceremonies=(attrs.evolve(ceremony_, segments=(draft,)),)
        )
        found = [f for f in check(programme) if f.code == "no-detail"]
        assert [(f.severity.value, f.message) for f in found] == [
            (
                "info",
                "flag raising 'raise' has no flag: sheets and feeds will say only 'Flag raising'",
            )
        ]

    def test_a_draft_file_loads_with_a_finding_for_each_missing_detail(self) -> None:
        """Kinds without their details, Norway as NO: it loads, and check says what is missing."""
        text = (
            "programme: Draft\ntimezone: Europe/Oslo\n"
            "delegations:\n  - {id: NO, name: Norway}\n"
            "ceremonies:\n  - id: opening\n    title: Opening\n    start: 2026-02-06T20:00\n"
            "    segments:\n"
            "      - {id: raise, kind: flag_raising, duration: 3m}\n"
            "      - {id: lower, kind: flag_lowering, duration: 3m}\n"
            "      - {id: hand, kind: flag_handover, duration: 3m}\n"
            "      - {id: anthem, kind: anthem, title: on, duration: 2m}\n"
            "      - {id: medals, kind: victory_ceremony, duration: 10m}\n"
            "      - {id: parade, kind: parade, duration: 5m, delegations: [NO]}\n"
        )
        programme = ceremony.loads(text, "yaml", file="draft.yaml")
        found = [(f.line, f.message) for f in check(programme) if f.code == "no-detail"]
        assert found == [
            (10, "flag raising 'raise' has no flag: sheets and feeds will say only 'Flag raising'"),
            (
                11,
                "flag lowering 'lower' has no flag: sheets and feeds will say only 'Flag lowering'",
            ),
            (
                12,
                "flag handover 'hand' has no flag: sheets and feeds will say only 'Flag handover'",
            ),
            (13, "anthem 'anthem' has no anthem: sheets and feeds will say only 'on'"),
            (
                14,
                "victory ceremony 'medals' has no event: sheets and feeds will say only "
                "'Victory ceremony'",
            ),
        ]
        assert all(f.severity.value == "info" for f in check(programme) if f.code == "no-detail")

    def test_a_complete_segment_has_none(self, show: Show) -> None:
        """A flag raising that names its flag: no such finding."""
        body = THREE_MISTAKES.split("      - {id: procession", maxsplit=1)[0]
        body += "      - {id: raise, kind: flag_raising, duration: 3m, flag: Paralympic flag}\n"
        assert not [f for f in check(show(body)) if f.code == "no-detail"]


class TestCheckCommand:
    def test_prints_every_problem_and_exits_2(self, tmp_path: Path) -> None:
        """``ceremony check`` prints each problem on its own located line."""
        path = tmp_path / "show.yaml"
        path.write_text(HEAD + THREE_MISTAKES, encoding="utf-8")
        code, out, err = _run("check", str(path))
        assert code == 2
        lines = [line for line in err.splitlines() if line.startswith("error:")]
        assert [line.split(":")[2] for line in lines] == ["16", "17", "18", "19"]
        assert "1 unreadable" in out

    def test_tells_how_many_were_left_out(self, tmp_path: Path) -> None:
        """Past fifty, one line says how many more there are."""
        body = THREE_MISTAKES.split("      - {id: procession", maxsplit=1)[0]
        body += "".join(f"      - {{id: s{n}, kind: speech, duration: soon}}\n" for n in range(55))
        path = tmp_path / "show.yaml"
        path.write_text(HEAD + body, encoding="utf-8")
        code, _, err = _run("check", str(path))
        assert code == 2
        assert err.count("is not a duration") == 50
        assert "5 more problems not listed" in err


class TestImportIntoAUtcProgramme:
    def test_a_sheets_clock_times_read_in_the_programmes_utc(self, tmp_path: Path) -> None:
        """A programme in UTC (the model's default) still names its zone to an imported sheet."""
        programme = ceremony.loads(
            "programme: P\ntimezone: UTC\nceremonies:\n"
            "  - {id: c, title: C, start: 2024-08-28T20:00}\n",
            "yaml",
        )
        path = tmp_path / "rundown.csv"
        path.write_text("Cue,Start,Duration,Title\n1,20:00,8m,Overture\n2,20:30,5m,Speech\n")
        mapping = loads_mapping(
            "table: run-of-show\n"
            "columns: {number: Cue, start: Start, duration: Duration, title: Title}\n",
            "m.yaml",
        )
        result = import_run_of_show(read_table(path), mapping, programme=programme)
        [show] = result.programme.ceremonies
        assert [s.start.isoformat() for s in show.segments] == [  # type: ignore[union-attr]
            "2024-08-28T20:00:00+00:00",
            "2024-08-28T20:30:00+00:00",
        ]
