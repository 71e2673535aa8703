"""Live re-timing: actuals recorded during the show, and the projection of the rest."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

import ceremony
from ceremony import MarkEdge
from ceremony.cli import main
from ceremony.io.actualsfile import actuals_path, record_extension
from ceremony.zones import zone

from .conftest import EXAMPLES, HEAD
from .test_timing import ceremony_with

Show = Callable[[str], ceremony.Programme]
PARIS = zone("Europe/Paris")

BODY = ceremony_with(
    "      - {id: a, kind: performance, duration: 10m}\n"
    "      - {id: b, kind: parade, duration: 30m}\n"
    "      - {id: fly, kind: custom, what: flypast, track: air, start: {with: b, offset: 5m},"
    " duration: 2m}\n"
    "      - {id: c, kind: declaration, start: '21:00', duration: 5m}\n"
    "      - {id: d, kind: speech, duration: 10m}\n",
    extra="    hard_out: 2024-08-28T21:20\n",
)


def at(clock: str) -> datetime:
    hours, minutes = clock.split(":")[:2]
    seconds = clock.split(":")[2] if clock.count(":") == 2 else "0"
    return datetime(2024, 8, 28, int(hours), int(minutes), int(seconds), tzinfo=PARIS)


def local(instant: datetime | None) -> str:
    assert instant is not None
    return instant.astimezone(PARIS).strftime("%H:%M:%S")


class TestProjection:
    def test_done_running_and_upcoming(self, show: Show) -> None:
        """Recorded items show their actual times; the rest is projected from now."""
        actuals = (
            ceremony.Actuals()
            .record("a", MarkEdge.START, at("20:02"))
            .record("a", MarkEdge.END, at("20:15"))
            .record("b", MarkEdge.START, at("20:15"))
        )
        timeline = ceremony.resolve(show(BODY), actuals=actuals, now=at("20:30"))
        a, b, fly, c, d = (timeline.slot(i) for i in ("a", "b", "fly", "c", "d"))
        assert (a.state, b.state, c.state) == ("done", "running", "upcoming")
        assert a.actual_start == at("20:02") and a.actual_end == at("20:15")
        assert a.overrun == timedelta(minutes=3)
        assert a.late == timedelta(minutes=2)
        assert b.elapsed == timedelta(minutes=15) and b.remaining == timedelta(minutes=15)
        assert local(b.end.expected) == "20:45:00"
        assert local(fly.start.expected) == "20:30:00"  # anchored: follows b's actual start
        assert local(c.start.expected) == "21:00:00"  # hard: holds
        assert c.gap_before == timedelta(minutes=15)  # and absorbs the delay
        assert local(d.start.expected) == "21:05:00"
        assert timeline.over_under == timedelta(minutes=-5)
        assert timeline.live and timeline.now == at("20:30")

    def test_overrun_pushes_soft_items_and_the_hard_one_exposes_it(self, show: Show) -> None:
        """A parade running long: soft items slide, the hard start holds and overlaps."""
        actuals = ceremony.Actuals().record("a", MarkEdge.START, at("20:00"))
        actuals = actuals.record("a", MarkEdge.END, at("20:10")).record(
            "b", MarkEdge.START, at("20:40")
        )
        timeline = ceremony.resolve(show(BODY), actuals=actuals, now=at("21:05"))
        b, c, d = (timeline.slot(i) for i in "bcd")
        assert b.state == "running"
        assert local(b.end.expected) == "21:10:00"  # 30m from 20:40
        # c is hard at 21:00 and holds: not started by 21:05, it can only start now,
        # which exposes an overlap with the parade
        assert local(c.start.expected) == "21:05:00"
        assert c.late == timedelta(minutes=5)
        assert c.gap_before == timedelta(minutes=-5)
        assert local(d.start.expected) == "21:10:00"
        assert local(timeline.end.expected) == "21:20:00"
        assert timeline.over_under == timedelta(0)
        assert timeline.late == timedelta(minutes=5)
        assert d.slack == timedelta(0)  # back-timing: nothing more may slip

    def test_item_running_past_its_length_ends_no_earlier_than_now(self, show: Show) -> None:
        """An overrunning item's end is at least now, and what follows waits for it."""
        actuals = ceremony.Actuals().record("a", MarkEdge.START, at("20:00"))
        timeline = ceremony.resolve(show(BODY), actuals=actuals, now=at("20:25"))
        a = timeline.slot("a")
        assert local(a.end.expected) == "20:25:00"
        assert a.remaining == timedelta(0)
        assert local(timeline.slot("b").start.expected) == "20:25:00"

    def test_marks_recorded_after_now_are_ignored(self, show: Show) -> None:
        """Replaying the log as it stood at an earlier moment."""
        actuals = ceremony.Actuals().record("a", MarkEdge.START, at("20:00"))
        actuals = actuals.record("a", MarkEdge.END, at("20:20"))
        timeline = ceremony.resolve(show(BODY), actuals=actuals, now=at("20:05"))
        assert timeline.slot("a").state == "running"

    def test_a_later_mark_corrects_an_earlier_one(self, show: Show) -> None:
        """The last mark for an item and edge wins."""
        actuals = ceremony.Actuals().record("a", MarkEdge.START, at("20:00"))
        actuals = actuals.record("a", MarkEdge.START, at("20:01"))
        timeline = ceremony.resolve(show(BODY), actuals=actuals, now=at("20:05"))
        assert timeline.slot("a").actual_start == at("20:01")

    def test_acts_are_under_way_when_a_child_is(self, show: Show) -> None:
        """An act's state follows its children's."""
        body = ceremony_with(
            "      - id: act\n"
            "        kind: act\n"
            "        segments:\n"
            "          - {id: a, kind: performance, duration: 10m}\n"
            "          - {id: b, kind: performance, duration: 10m}\n"
            "      - {id: c, kind: speech, duration: 5m}\n"
        )
        actuals = ceremony.Actuals().record("a", MarkEdge.START, at("20:00"))
        timeline = ceremony.resolve(show(body), actuals=actuals, now=at("20:05"))
        assert timeline.slot("act").state == "running"
        assert local(timeline.slot("act").start.expected) == "20:00:00"
        actuals = actuals.record("a", MarkEdge.END, at("20:10")).record(
            "b", MarkEdge.START, at("20:10")
        )
        actuals = actuals.record("b", MarkEdge.END, at("20:22"))
        timeline = ceremony.resolve(show(body), actuals=actuals, now=at("20:23"))
        assert timeline.slot("act").state == "done"
        assert local(timeline.slot("c").start.expected) == "20:23:00"

    def test_now_alone_projects_a_show_that_has_not_started(self, show: Show) -> None:
        """Nothing recorded at 20:10: the whole show slides to start now."""
        timeline = ceremony.resolve(show(BODY), now=at("20:10"))
        assert local(timeline.slot("a").start.expected) == "20:10:00"
        assert timeline.slot("a").state == "upcoming"

    def test_rundown_resolves_again_without_recompiling(self, show: Show) -> None:
        """A Rundown keeps the plan; resolving it again gives what resolve() gives."""
        programme = show(BODY)
        rundown = ceremony.Rundown(programme)
        assert rundown.plan == ceremony.resolve(programme)
        assert rundown.resolve() is rundown.plan
        actuals = ceremony.Actuals().record("a", MarkEdge.START, at("20:03"))
        assert rundown.resolve(actuals, at("20:04")) == ceremony.resolve(
            programme, actuals=actuals, now=at("20:04")
        )

    def test_rundown_mark_by_mark_equals_a_fresh_resolve(self) -> None:
        """Re-resolving as each mark of a real log comes in (reusing what is done) gives
        exactly what resolving from scratch gives, at every step."""
        programme = ceremony.load(EXAMPLES / "paralympic-opening.yaml")
        log = ceremony.load_actuals(EXAMPLES / "paralympic-opening.actuals.yaml", programme)
        rundown = ceremony.Rundown(programme)
        actuals = ceremony.Actuals(ceremony=log.ceremony)
        for mark in log.marks:
            actuals = actuals.record(mark.item, mark.edge, mark.at)
            now = mark.at + timedelta(seconds=30)
            fresh = ceremony.resolve(programme, actuals=actuals, now=now)
            assert rundown.resolve(actuals, now) == fresh
        # going back in time works too (nothing reused that no longer holds)
        early = log.marks[2].at
        assert rundown.resolve(log, early) == ceremony.resolve(programme, actuals=log, now=early)

    def test_through_the_repeated_hour(self, show: Show) -> None:
        """Marks in the repeated hour of the night the clocks go back are exact instants."""
        programme = show(
            ceremony_with(
                "      - {id: a, kind: performance, duration: 2h}\n"
                "      - {id: b, kind: speech, duration: 1h}\n",
                start="2024-10-27T00:30",
            )
        )
        second_0230 = datetime.fromisoformat("2024-10-27T02:30+01:00")
        actuals = ceremony.Actuals().record(
            "a", MarkEdge.START, datetime.fromisoformat("2024-10-27T00:30+02:00")
        )
        actuals = actuals.record("a", MarkEdge.END, second_0230)
        timeline = ceremony.resolve(programme, actuals=actuals, now=second_0230)
        assert timeline.slot("a").overrun == timedelta(hours=1)
        end = timeline.slot("b").end.expected.astimezone(PARIS)
        assert end.isoformat() == "2024-10-27T03:30:00+01:00"

    @pytest.mark.parametrize(
        ("actuals", "message"),
        [
            (ceremony.Actuals(ceremony="other"), "the actuals are for 'other', not 'show'"),
            (
                ceremony.Actuals().record("nope", MarkEdge.START, at("20:00")),
                "the actuals name 'nope', which is not in 'show'",
            ),
        ],
    )
    def test_actuals_that_do_not_fit_are_errors(
        self, show: Show, actuals: ceremony.Actuals, message: str
    ) -> None:
        """Actuals for another show, or naming an item the show lacks."""
        with pytest.raises(ceremony.TimingError, match=message):
            ceremony.resolve(show(BODY), actuals=actuals, now=at("20:00"))

    def test_naive_marks_are_refused(self) -> None:
        """A mark needs an aware time."""
        with pytest.raises(ValueError, match="aware"):
            ceremony.ActualMark(item="a", edge=MarkEdge.START, at=datetime(2024, 8, 28, 20, 0))


class TestActualsFile:
    def test_round_trip_in_every_syntax(self, show: Show, tmp_path: Path) -> None:
        """Actuals dump and load back equal, in YAML, TOML and JSON."""
        programme = show(BODY)
        actuals = ceremony.Actuals(ceremony="show").record("a", MarkEdge.START, at("20:00:30"))
        actuals = actuals.record("a", MarkEdge.END, at("20:11"), recorded=at("20:12"))
        for suffix in ("yaml", "toml", "json"):
            path = tmp_path / f"show.actuals.{suffix}"
            ceremony.dump_actuals(actuals, path)
            assert ceremony.load_actuals(path, programme) == actuals

    def test_clock_times_are_on_the_show_day(self, show: Show) -> None:
        """``20:05`` in an actuals file means 20:05 on the ceremony's day, in its zone."""
        text = (
            "marks:\n  - {item: a, edge: start, at: 20:05}\n  - {item: a, edge: END, at: '00:10'}\n"
        )
        actuals = ceremony.loads_actuals(text, "yaml", show(BODY))
        assert actuals.ceremony == "show"
        assert actuals.marks[0].at == at("20:05")
        assert actuals.marks[1].at.isoformat() == "2024-08-29T00:10:00+02:00"

    @pytest.mark.parametrize(
        ("text", "line", "message"),
        [
            ("marks:\n  - {item: a, edge: begin, at: '20:05'}\n", 2, "marks[0].edge"),
            ("marks:\n  - {item: a, edge: start, at: noon}\n", 2, "marks[0].at"),
            ("marks:\n  - {item: zz, edge: start, at: '20:05'}\n", 2, "no item 'zz' in 'show'"),
            ("ceremony: show\nmarkz: []\n", 2, "unknown key 'markz'"),
            ("ceremony: other\n", 1, "no ceremony 'other'"),
            ("- a\n", 1, "an actuals file is a mapping"),
        ],
    )
    def test_bad_files_are_located(self, show: Show, text: str, line: int, message: str) -> None:
        """Every problem names the file, the line and the field."""
        with pytest.raises(ceremony.ShowFileError) as caught:
            ceremony.loads_actuals(text, "yaml", show(BODY), file="show.actuals.yaml")
        assert caught.value.line == line
        assert message in str(caught.value)
        assert str(caught.value).startswith(f"show.actuals.yaml:{line}:")

    def test_beside_the_show(self) -> None:
        """show.yaml keeps its actuals in show.actuals.yaml."""
        assert actuals_path("shows/opening.yaml") == Path("shows/opening.actuals.yaml")


class TestCommands:
    def write(self, tmp_path: Path) -> Path:
        path = tmp_path / "show.yaml"
        path.write_text(HEAD + BODY, encoding="utf-8")
        return path

    def test_record_then_timeline(self, tmp_path: Path) -> None:
        """ceremony record writes marks beside the show; timeline --actuals projects them."""
        path = self.write(tmp_path)
        runner = CliRunner()
        first = runner.invoke(main, ["record", str(path), "a", "start", "--at", "20:02"])
        assert first.exit_code == 0, first.output
        assert "a start at 20:02" in first.output
        second = runner.invoke(main, ["record", str(path), "a", "end", "--at", "20:15"])
        assert "projected end 21:15; 5m under the hard out" in second.output
        actuals = tmp_path / "show.actuals.yaml"
        assert [m.edge for m in ceremony.load_actuals(actuals, ceremony.load(path)).marks] == [
            MarkEdge.START,
            MarkEdge.END,
        ]
        table = runner.invoke(
            main,
            ["timeline", str(path), "--actuals", str(actuals), "--now", "20:20", "--backtime"],
            env={"COLUMNS": "200"},  # the wide table: plan and projection side by side
        )
        assert table.exit_code == 0, table.output
        assert "Planned" in table.output and "Actual / projected" in table.output
        assert "live at 20:20" in table.output
        assert "✓ 20:02" in table.output
        data = json.loads(
            runner.invoke(
                main,
                [
                    "timeline",
                    str(path),
                    "--actuals",
                    str(actuals),
                    "--now",
                    "20:20",
                    "--format",
                    "json",
                ],
            ).output
        )
        slots = {slot["id"]: slot for slot in data["timelines"][0]["slots"]}
        assert slots["a"]["state"] == "done"
        assert slots["a"]["overrun"] == "+3m"
        assert slots["b"]["start"] == "2024-08-28T20:20:00+02:00"
        assert slots["b"]["planned_start"] == "2024-08-28T20:10:00+02:00"

    def test_record_without_at_takes_the_clock_to_the_second(self, tmp_path: Path) -> None:
        """No --at: the mark is now, to the second, on the show's own clock."""
        path = self.write(tmp_path)
        before = datetime.now(PARIS).replace(microsecond=0)
        result = CliRunner().invoke(main, ["record", str(path), "a", "start"])
        after = datetime.now(PARIS)
        assert result.exit_code == 0, result.output
        mark = ceremony.load_actuals(tmp_path / "show.actuals.yaml", ceremony.load(path)).marks[0]
        assert before <= mark.at <= after
        assert mark.at.microsecond == 0
        assert mark.at.utcoffset() == mark.at.astimezone(PARIS).utcoffset()

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["record", "{show}", "zz", "start", "--at", "20:00"], "no item 'zz' in 'show'"),
            (["record", "{show}", "a", "start", "--at", "noon"], "is not a date and time"),
            (["timeline", "{show}", "--now", "25:00"], "is not a clock time"),
        ],
    )
    def test_bad_input_exits_2_and_writes_nothing(
        self, tmp_path: Path, args: list[str], message: str
    ) -> None:
        """Located error, exit 2, no traceback, no actuals file left behind."""
        path = self.write(tmp_path)
        result = CliRunner().invoke(main, [a.replace("{show}", str(path)) for a in args])
        assert result.exit_code == 2, result.output
        assert message in result.output
        assert "Traceback" not in result.output
        assert not (tmp_path / "show.actuals.yaml").exists()

    def test_anchor_cycle_is_located(self, tmp_path: Path) -> None:
        """A cycle names the file, line and field of the start that closes it."""
        path = tmp_path / "show.yaml"
        path.write_text(
            HEAD
            + ceremony_with(
                "      - {id: a, kind: speech, start: {after: b}, duration: 1m}\n"
                "      - {id: b, kind: speech, start: {after: a}, duration: 1m}\n"
            ),
            encoding="utf-8",
        )
        result = CliRunner().invoke(main, ["timeline", str(path)])
        assert result.exit_code == 2
        assert f"{path}:16: ceremonies[0].segments[0].start: the starts of a -> b -> a" in " ".join(
            result.output.split()
        )


def test_record_keeps_the_example_log_and_its_comments(tmp_path: Path) -> None:
    """The shipped example log takes one more mark and keeps every line it had."""
    show = tmp_path / "paralympic-opening.yaml"
    show.write_bytes((EXAMPLES / "paralympic-opening.yaml").read_bytes())
    log = tmp_path / "paralympic-opening.actuals.yaml"
    original = (EXAMPLES / "paralympic-opening.actuals.yaml").read_text(encoding="utf-8")
    log.write_text(original, encoding="utf-8")
    result = CliRunner().invoke(main, ["record", str(show), "parade", "end", "--at", "21:40"])
    assert result.exit_code == 0, result.output
    written = log.read_text(encoding="utf-8")
    assert written.startswith(original)
    added = written[len(original) :]
    assert added.count("\n") == 1 and "parade" in added and "end" in added
    marks = ceremony.load_actuals(log, ceremony.load(show)).marks
    assert (marks[-1].item, marks[-1].edge, local(marks[-1].at)) == (
        "parade",
        MarkEdge.END,
        "21:40:00",
    )


class TestExtensions:
    """``extensions``: an item will run longer (or shorter) than projected."""

    def test_a_running_item_extended_pushes_what_follows(self, show: Show) -> None:
        """+5m on the running parade: its end and the soft items after it move, the hard one holds."""
        actuals = (
            ceremony.Actuals()
            .record("a", MarkEdge.START, at("20:00"))
            .record("a", MarkEdge.END, at("20:10"))
            .record("b", MarkEdge.START, at("20:10"))
        )
        plain = ceremony.resolve(show(BODY), actuals=actuals, now=at("20:20"))
        extended = actuals.extend("b", timedelta(minutes=5))
        timeline = ceremony.resolve(show(BODY), actuals=extended, now=at("20:20"))
        assert local(plain.slot("b").end.expected) == "20:40:00"
        assert local(timeline.slot("b").end.expected) == "20:45:00"
        assert timeline.slot("b").remaining == timedelta(minutes=25)
        assert local(timeline.slot("c").start.expected) == "21:00:00"  # hard: holds
        assert timeline.slot("c").gap_before == timedelta(minutes=15)

    def test_extensions_add_up_and_can_shorten(self, show: Show) -> None:
        """+2m, +2m and -1m make +3m; a cut never ends an item before it starts."""
        actuals = ceremony.Actuals().record("a", MarkEdge.START, at("20:00"))
        actuals = actuals.extend("a", timedelta(minutes=2)).extend("a", timedelta(minutes=2))
        actuals = actuals.extend("a", timedelta(minutes=-1))
        assert actuals.extended() == {"a": timedelta(minutes=3)}
        timeline = ceremony.resolve(show(BODY), actuals=actuals, now=at("20:01"))
        assert local(timeline.slot("a").end.expected) == "20:13:00"
        cut = ceremony.Actuals().extend("d", timedelta(minutes=-30))
        timeline = ceremony.resolve(show(BODY), actuals=cut, now=at("20:01"))
        assert timeline.slot("d").end.expected == timeline.slot("d").start.expected

    def test_a_recorded_end_wins_over_an_extension(self, show: Show) -> None:
        """Once the item's end is recorded, its extension no longer matters."""
        actuals = ceremony.Actuals().record("a", MarkEdge.START, at("20:00"))
        actuals = actuals.extend("a", timedelta(minutes=5)).record("a", MarkEdge.END, at("20:09"))
        timeline = ceremony.resolve(show(BODY), actuals=actuals, now=at("20:30"))
        assert local(timeline.slot("a").end.expected) == "20:09:00"

    def test_an_extension_recorded_after_now_is_ignored(self, show: Show) -> None:
        """As marks are: the log as it stood at now."""
        actuals = ceremony.Actuals().record("a", MarkEdge.START, at("20:00"))
        actuals = actuals.extend("a", timedelta(minutes=5), recorded=at("20:05"))
        before = ceremony.resolve(show(BODY), actuals=actuals, now=at("20:04"))
        after = ceremony.resolve(show(BODY), actuals=actuals, now=at("20:05"))
        assert local(before.slot("a").end.expected) == "20:10:00"
        assert local(after.slot("a").end.expected) == "20:15:00"

    def test_an_extension_of_no_item_is_an_error(self, show: Show) -> None:
        """An extension naming no item of the show is a TimingError."""
        with pytest.raises(ceremony.TimingError, match="extend 'zz'"):
            ceremony.resolve(
                show(BODY), actuals=ceremony.Actuals().extend("zz", timedelta(minutes=1))
            )

    def test_rundown_after_an_extension_equals_a_fresh_resolve(self, show: Show) -> None:
        """A Rundown re-resolving after each change gives what a fresh resolve gives."""
        programme = show(BODY)
        rundown = ceremony.Rundown(programme)
        actuals = ceremony.Actuals().record("a", MarkEdge.START, at("20:00"))
        steps = [
            actuals,
            actuals.extend("a", timedelta(minutes=4)),
            actuals.extend("a", timedelta(minutes=4)).record("a", MarkEdge.END, at("20:16")),
        ]
        for step in steps:
            assert rundown.resolve(step, at("20:17")) == ceremony.resolve(
                programme, actuals=step, now=at("20:17")
            )

    def test_round_trip_in_every_syntax(self, show: Show, tmp_path: Path) -> None:
        """Extensions (signed, with or without recorded) dump and load back equal."""
        programme = show(BODY)
        actuals = ceremony.Actuals(ceremony="show").record("a", MarkEdge.START, at("20:00"))
        actuals = actuals.extend("a", timedelta(minutes=2), recorded=at("20:03"))
        actuals = actuals.extend("a", timedelta(seconds=-90))
        for suffix in ("yaml", "toml", "json"):
            path = tmp_path / f"show.actuals.{suffix}"
            ceremony.dump_actuals(actuals, path)
            assert ceremony.load_actuals(path, programme) == actuals
            assert "+2m" in path.read_text(encoding="utf-8")

    @pytest.mark.parametrize(
        ("text", "line", "message"),
        [
            ("extensions:\n  - {item: a, by: 2 minutes}\n", 2, "extensions[0].by"),
            ("extensions:\n  - {item: a, by: 2}\n", 2, "is not a duration"),
            ("extensions:\n  - {item: zz, by: +2m}\n", 2, "no item 'zz' in 'show'"),
            ("extensions:\n  - {item: a, by: +2m, why: late}\n", 2, "unknown key 'why'"),
            ("extensions:\n  - {item: a}\n", 2, "missing required key 'by'"),
            ("extensions:\n  - {item: a, by: +1m, recorded: noon}\n", 2, "recorded"),
            ("extensions: {item: a}\n", 1, "extensions is a list"),
            ("extensions:\n  - a\n", 2, "an extension is a mapping"),
            ("extensions:\n  - {item: 'a b', by: +1m}\n", 2, "is not an id"),
        ],
    )
    def test_bad_extensions_are_located(
        self, show: Show, text: str, line: int, message: str
    ) -> None:
        """Every problem with an extension names the file, the line and the field."""
        with pytest.raises(ceremony.ShowFileError) as caught:
            ceremony.loads_actuals(text, "yaml", show(BODY), file="show.actuals.yaml")
        assert caught.value.line == line
        assert message in str(caught.value)

    def test_record_extension_keeps_the_log_and_its_comments(self, tmp_path: Path) -> None:
        """Adding an extension to the example log appends one line and keeps the rest."""
        programme = ceremony.load(EXAMPLES / "paralympic-opening.yaml")
        log = tmp_path / "opening.actuals.yaml"
        text = (EXAMPLES / "paralympic-opening.actuals.yaml").read_text(encoding="utf-8")
        log.write_text(text, encoding="utf-8")
        after = record_extension(log, programme, "parade", "+4m", recorded=at("20:40"))
        written = log.read_text(encoding="utf-8")
        assert written.startswith(text)
        assert written[len(text) :] == (
            'extensions:\n  - {item: "parade", by: "+4m", recorded: "2024-08-28T20:40:00+02:00"}\n'
        )
        assert ceremony.load_actuals(log, programme) == after
        again = record_extension(log, programme, "parade", timedelta(minutes=-1))
        assert again.extended() == {"parade": timedelta(minutes=3)}
        assert ceremony.load_actuals(log, programme) == again

    def test_record_extension_refuses_what_it_cannot_read(self, tmp_path: Path) -> None:
        """An unknown item or a bad duration: an error, and no file."""
        programme = ceremony.load(EXAMPLES / "paralympic-opening.yaml")
        log = tmp_path / "log.yaml"
        with pytest.raises(ceremony.TimingError):
            record_extension(log, programme, "nobody", "+1m")
        with pytest.raises(ceremony.errors.ModelError):
            record_extension(log, programme, "parade", "soon")
        assert not log.exists()
