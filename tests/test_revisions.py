"""diff(old, new): what changed between two revisions, and `ceremony diff`."""

from __future__ import annotations

import ast
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import ceremony
import ceremony.revisions
from ceremony.cli import main
from ceremony.export.changes import changelog_lines, changes_to_dict

from .conftest import HEAD
from .test_timing import ceremony_with

Show = Callable[[str], ceremony.Programme]
PRINTED = datetime(2024, 8, 27, 12, tzinfo=UTC)

OLD = ceremony_with(
    "      - {id: a, kind: performance, title: Overture, duration: 8m, location: stage}\n"
    "      - {id: b, kind: parade, duration: 1h}\n"
    "      - {id: c, kind: speech, duration: 10m, notes: short}\n"
    "      - {id: gone, kind: film, duration: 4m}\n"
) + (
    "sessions:\n"
    "  - {id: s1, sport: Judo, venue: concorde, start: 2024-09-05T10:00, duration: 1h}\n"
    "  - {id: s2, sport: Judo, venue: concorde, start: 2024-09-05T12:00, duration: 1h}\n"
)

NEW = ceremony_with(
    "      - {id: a, kind: performance, title: Piano overture, duration: 10m,"
    " location: obelisk}\n"
    "      - {id: b, kind: parade, duration: 1h}\n"
    "      - {id: c, kind: speech, duration: 10m, notes: longer}\n"
    "      - {id: new, kind: fireworks, duration: 3m}\n"
) + (
    "sessions:\n"
    "  - {id: s1, sport: Judo, venue: concorde, start: 2024-09-05T10:00+02:00, duration: 1h}\n"
    "  - {id: s2, sport: Judo, venue: concorde, start: 2024-09-05T12:00, duration: 1h,"
    " status: CANCELLED}\n"
)


def test_each_kind_of_change(show: Show) -> None:
    """Added, removed, retimed, moved, renamed, status and edited, keyed by id."""
    changes = ceremony.diff(show(OLD), show(NEW))
    assert [item.id for item in changes.added] == ["new"]
    assert [item.id for item in changes.removed] == ["gone"]
    assert {item.id: item.categories for item in changes.changed} == {
        "show": ("retimed",),  # its end moved
        "a": ("retimed", "moved", "renamed"),
        "b": ("retimed",),  # moved by a's longer overture, not by its own line
        "c": ("retimed", "edited"),
        "s2": ("status",),
    }
    a = changes.get("a")
    assert a is not None
    title, location, end = a.field("title"), a.field("location"), a.field("end")
    assert title is not None and (title.old, title.new) == ("Overture", "Piano overture")
    assert location is not None and (location.old, location.new) == ("stage", "obelisk")
    assert end is not None and end.new - end.old == timedelta(minutes=2)
    assert a.field("start") is None
    status = changes.get("s2")
    assert status is not None and status.fields[0].new is ceremony.ScheduleStatus.CANCELLED
    assert changes.get("s1") is None  # the same instant written with an offset
    assert [item.id for item in changes.in_category("moved")] == ["a"]


def test_no_change_is_empty(show: Show) -> None:
    """A programme compared with itself, or a re-loaded copy, has no changes."""
    programme = show(OLD)
    assert not ceremony.diff(programme, programme)
    assert not ceremony.diff(programme, ceremony.loads(ceremony.dumps(programme, "toml"), "toml"))


def test_skipping_a_segment_retimes_it_away(show: Show) -> None:
    """A segment cut with skip has no time any more; what follows moves up."""
    old = show(OLD)
    new = show(
        OLD.replace("kind: parade, duration: 1h}", "kind: parade, duration: 1h, skip: true}")
    )
    changes = ceremony.diff(old, new)
    b = changes.get("b")
    assert b is not None and b.field("skip") is not None
    start = b.field("start")
    assert start is not None and start.new is None
    c = changes.get("c")
    assert c is not None and "retimed" in c.categories


def test_segments_know_their_ceremony(show: Show) -> None:
    """A segment's change names its ceremony (a removed one its old ceremony)."""
    changes = ceremony.diff(show(OLD), show(NEW))
    assert {item.id: item.ceremony for item in changes} == {
        "show": None,
        "a": "show",
        "b": "show",
        "c": "show",
        "new": "show",
        "s2": None,
        "gone": "show",
    }


class TestDiffCommand:
    def files(self, tmp_path: Path) -> tuple[str, str]:
        old, new = tmp_path / "r1.yaml", tmp_path / "r2.yaml"
        old.write_text(HEAD + 'revision: "1"\n' + OLD, encoding="utf-8")
        new.write_text(HEAD + 'revision: "2"\n' + NEW, encoding="utf-8")
        return str(old), str(new)

    def test_text_changelog_exits_1(self, tmp_path: Path) -> None:
        """A readable changelog; exit 1 when something changed (like diff(1))."""
        old, new = self.files(tmp_path)
        result = CliRunner().invoke(main, ["diff", old, new])
        assert result.exit_code == 1
        lines = result.output.splitlines()
        assert lines[0] == "Revision 1 → 2: 1 added, 1 removed, 5 changed"
        assert "~ changed a (performance) retimed, moved, renamed" in lines
        assert "    title: “Overture” → “Piano overture”" in lines
        assert "    end: 2024-08-28 20:08 +0200 → 2024-08-28 20:10 +0200 (+2m)" in lines
        assert "    status: “SCHEDULED” → “CANCELLED”" in lines
        assert (
            "+ added   new (fireworks) “Fireworks” 2024-08-28 21:20 +0200 to 2024-08-28 21:23 +0200"
            in lines
        )
        assert any(line.startswith("- removed gone (film)") for line in lines)

    def test_json_in_another_zone(self, tmp_path: Path) -> None:
        """JSON for programs, times in the zone asked for."""
        old, new = self.files(tmp_path)
        result = CliRunner().invoke(
            main, ["diff", old, new, "--format", "json", "--tz", "Asia/Almaty"]
        )
        data = json.loads(result.output)
        assert data["summary"] == {
            "added": 1,
            "removed": 1,
            "changed": 5,
            "retimed": 4,
            "moved": 1,
            "renamed": 1,
            "status": 1,
            "edited": 1,
        }
        a = next(item for item in data["items"] if item["id"] == "a")
        end = next(field for field in a["fields"] if field["field"] == "end")
        assert end == {
            "field": "end",
            "category": "retimed",
            "old": "2024-08-28T23:08:00+05:00",
            "new": "2024-08-28T23:10:00+05:00",
        }

    def test_same_file_exits_0(self, tmp_path: Path) -> None:
        """No changes: exit 0."""
        old, _ = self.files(tmp_path)
        result = CliRunner().invoke(main, ["diff", old, old])
        assert result.exit_code == 0
        assert result.output == "Revision 1 → 1: no changes\n"

    def test_unreadable_exits_2(self, tmp_path: Path) -> None:
        """A file that cannot be read: located error, exit 2."""
        old, _ = self.files(tmp_path)
        result = CliRunner().invoke(main, ["diff", old, str(tmp_path / "missing.yaml")])
        assert result.exit_code == 2
        assert "missing.yaml: no such file" in result.output


TYPED_OLD = ceremony_with(
    "      - id: act\n        kind: act\n        target: 20m\n        segments:\n"
    "          - {id: a, kind: performance, duration: 8m, people: [chilly]}\n"
    "      - {id: b, kind: speech, duration: 10m}\n",
    extra="    hard_out: 2024-08-28T23:00\n",
)
TYPED_NEW = ceremony_with(
    "      - id: act\n        kind: act\n        target: 25m\n        segments:\n"
    "          - {id: a, kind: performance, duration: 8m, people: [chilly, macron]}\n"
    "      - id: b\n        kind: speech\n        duration: 10m\n        visibility: crew\n"
    "        cues:\n"
    "          - {department: sound, label: SQ 1, text: 'Mic: lectern', when: -10s}\n",
    extra="    hard_out: 2024-08-28T21:30Z\n",
)


class TestTypedValues:
    """A FieldChange holds the model's values; only the renderers put them into words."""

    def test_cues_ids_durations_enums_and_instants(self, show: Show) -> None:
        """Cues as Cue tuples, ids as tuples, a target as a timedelta, instants in UTC."""
        changes = ceremony.diff(show(TYPED_OLD), show(TYPED_NEW))
        cues = changes.get("b").field("cues")  # type: ignore[union-attr]
        assert cues is not None and cues.old == ()
        assert cues.new == (
            ceremony.Cue(
                department="sound", label="SQ 1", text="Mic: lectern", when=-timedelta(seconds=10)
            ),
        )
        visibility = changes.get("b").field("visibility")  # type: ignore[union-attr]
        assert visibility is not None and visibility.new is ceremony.Visibility.CREW
        people = changes.get("a").field("people")  # type: ignore[union-attr]
        assert people is not None and people.new == ("chilly", "macron")
        target = changes.get("act").field("target")  # type: ignore[union-attr]
        assert target is not None and target.new - target.old == timedelta(minutes=5)
        hard_out = changes.get("show").field("hard_out")  # type: ignore[union-attr]
        assert hard_out is not None and hard_out.new.utcoffset() == timedelta(0)
        assert hard_out.new - hard_out.old == timedelta(minutes=30)

    def test_the_same_instant_in_another_zone_is_no_change(self, show: Show) -> None:
        """A hard out rewritten with another offset, naming the same instant, is no change."""
        same = TYPED_OLD.replace("2024-08-28T23:00", "2024-08-28T21:00Z")
        assert not ceremony.diff(show(TYPED_OLD), show(same))

    def test_changelog_writes_values_as_a_show_file_does(self, show: Show) -> None:
        """Cues and lists read as the file writes them (no Python reprs), durations as 25m."""
        lines = changelog_lines(ceremony.diff(show(TYPED_OLD), show(TYPED_NEW)))
        assert (
            "    cues: [] → [{department: sound, text: 'Mic: lectern', when: -10s, label: SQ 1}]"
            in lines
        )
        assert "    people: [chilly] → [chilly, macron]" in lines
        assert "    target: “20m” → “25m”" in lines
        assert "    visibility: “public” → “crew”" in lines
        assert not any("{'" in line or "['" in line for line in lines)

    def test_json_gives_file_data(self, show: Show) -> None:
        """JSON has the same values as plain data: a cue as its file mapping."""
        data = changes_to_dict(ceremony.diff(show(TYPED_OLD), show(TYPED_NEW)))
        b = next(item for item in data["items"] if item["id"] == "b")
        cues = next(field for field in b["fields"] if field["field"] == "cues")
        assert cues["new"] == [
            {"department": "sound", "text": "Mic: lectern", "when": "-10s", "label": "SQ 1"}
        ]
        assert json.loads(json.dumps(data)) == data

    def test_revisions_does_not_read_show_files(self) -> None:
        """revisions compares model values: it imports nothing from ceremony.io."""
        tree = ast.parse(Path(ceremony.revisions.__file__).read_text(encoding="utf-8"))
        imported = [
            node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
        ] + [
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        ]
        assert not [name for name in imported if name.startswith("ceremony.io")]


class TestResolvedOnce:
    """diff reuses the timelines a caller has; a sheet's since is diffed once."""

    @pytest.fixture
    def resolved(self, monkeypatch: pytest.MonkeyPatch) -> list[str]:
        calls: list[str] = []

        def counting(programme: ceremony.Programme, **options: Any) -> ceremony.Timeline:
            calls.append(programme.revision or "")
            return ceremony.resolve(programme, **options)

        monkeypatch.setattr("ceremony.revisions.resolve", counting)
        return calls

    def test_given_timelines_are_not_resolved_again(self, show: Show, resolved: list[str]) -> None:
        """With the new revision's plan given, only the old revision is resolved."""
        old, new = show('revision: "1"\n' + OLD), show('revision: "2"\n' + NEW)
        plan = ceremony.resolve(new, ceremony="show")
        assert ceremony.diff(old, new, timelines=[plan]) == ceremony.diff(old, new)
        assert resolved == ["1", "1", "2"]  # the first diff resolved only the old revision

    def test_a_sheet_since_resolves_only_the_previous_revision(
        self, show: Show, resolved: list[str]
    ) -> None:
        """build_sheet(since=...) diffs once, reusing the timeline it prints."""
        old, new = show('revision: "1"\n' + OLD), show('revision: "2"\n' + NEW)
        sheet = ceremony.build_sheet(
            new, ceremony.resolve(new, ceremony="show"), printed_at=PRINTED, since=old
        )
        assert resolved == ["1"]
        assert sheet.marked and [row.id for row in sheet.rows if row.change == "new"] == ["new"]

    def test_a_sheet_with_changes_resolves_nothing(self, show: Show, resolved: list[str]) -> None:
        """A caller that has the diff passes it; the sheet marks the same rows."""
        old, new = show('revision: "1"\n' + OLD), show('revision: "2"\n' + NEW)
        changes = ceremony.diff(old, new)
        resolved.clear()
        text = ceremony.sheet(new, printed_at=PRINTED, changes=changes)
        assert resolved == []
        assert text == ceremony.sheet(new, printed_at=PRINTED, since=old)

    def test_a_live_timeline_is_refused(self, show: Show) -> None:
        """A live timeline's times are not the plan: diff will not compare them."""
        old, new = show(OLD), show(NEW)
        live = ceremony.resolve(new, ceremony="show", now=datetime(2024, 8, 28, 18, 30, tzinfo=UTC))
        with pytest.raises(ceremony.ModelError, match="live"):
            ceremony.diff(old, new, timelines=[live])

    def test_a_timeline_of_another_programme_is_refused(self, show: Show) -> None:
        """A timeline of a ceremony the new revision does not have is a mistake."""
        other = show(OLD.replace("id: show", "id: elsewhere"))
        with pytest.raises(ceremony.ModelError, match="elsewhere"):
            ceremony.diff(
                show(OLD), show(NEW), timelines=[ceremony.resolve(other, ceremony="elsewhere")]
            )

    def test_a_live_sheet_since_diffs_the_plans(self, show: Show) -> None:
        """A live sheet marks what changed in the plan, not what the projection moved."""
        old, new = show(OLD), show(NEW)
        live = ceremony.resolve(new, ceremony="show", now=datetime(2024, 8, 28, 18, 30, tzinfo=UTC))
        sheet = ceremony.build_sheet(new, live, printed_at=PRINTED, since=old)
        marked = {row.id: row.change for row in sheet.rows if row.change}
        assert marked == {"a": "changed", "b": "changed", "c": "changed", "new": "new"}
