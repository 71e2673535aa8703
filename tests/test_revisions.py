"""diff(old, new): what changed between two revisions, and `ceremony diff`."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from click.testing import CliRunner

import ceremony
from ceremony.cli import main

from .conftest import HEAD
from .test_timing import ceremony_with

Show = Callable[[str], ceremony.Programme]

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
    assert status is not None and status.fields[0].new == "CANCELLED"
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
