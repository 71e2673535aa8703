"""The site's publish state in SQLite: copy-on-write, incremental rebuilds, bad states."""

from __future__ import annotations

import copy
import os
import pickle
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

import ceremony
import ceremony.site
from ceremony.cli import main
from ceremony.errors import CeremonyError, PublishStateError, ShowFileError
from ceremony.export.changes import changelog_lines
from ceremony.export.ics import Stamped, event_bytes
from ceremony.io.atomic import exclusive_lock
from ceremony.io.syntax_json import LazyLines
from ceremony.publishing import dumps_state
from ceremony.revisions import diff
from ceremony.site import JSON_STATE_NAME, STATE_NAME, build_site, read_site_state, state_path
from ceremony.site.state import APPLICATION_ID
from tests.test_site import check_site, generated_games

Show = Callable[[str], ceremony.Programme]
NOW = datetime(2024, 8, 20, tzinfo=UTC)
LATER = NOW + timedelta(days=1)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too) but the lock, by relative path."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


def inodes(site: Path) -> dict[str, int]:
    return {str(p.relative_to(site)): p.stat().st_ino for p in site.rglob("*.ics")}


def moved(programme: ceremony.Programme, index: int, minutes: int = 15) -> ceremony.Programme:
    """``programme`` with its ``index``-th session ``minutes`` later."""
    session = programme.sessions[index]
    assert session.start is not None
    later = attrs.evolve(session, start=session.start + timedelta(minutes=minutes))
    sessions = list(programme.sessions)
    sessions[index] = later
    return attrs.evolve(programme, sessions=sessions)


@pytest.fixture
def serialized(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the events a build serializes."""
    calls: list[str] = []

    def counting(stamped: Stamped, domain: str) -> bytes:
        calls.append(stamped.entry.id)
        return event_bytes(stamped, domain)

    monkeypatch.setattr("ceremony.site.feeds.event_bytes", counting)
    return calls


class TestIncrementalRebuilds:
    def test_nothing_changed_serializes_nothing_and_links_every_feed(
        self, tmp_path: Path, serialized: list[str]
    ) -> None:
        """A rebuild of the same programme: no event serialized, every feed a hard link."""
        site = tmp_path / "site"
        programme = generated_games(200)
        build_site(programme, site, now=NOW)
        before, files, state = inodes(site), snapshot(site), read_site_state(site)
        serialized.clear()
        built = build_site(programme, site, now=LATER)
        assert serialized == []
        assert inodes(site) == before
        files.pop(STATE_NAME)
        assert snapshot(site).items() >= files.items()  # the index and manifest too
        assert read_site_state(site) == state
        assert built.changes == ()
        check_site(site)

    def test_one_move_rewrites_only_the_feeds_that_hold_it(
        self, tmp_path: Path, serialized: list[str]
    ) -> None:
        """One session moved: it alone is serialized; feeds without it stay links."""
        site = tmp_path / "site"
        programme = generated_games(200)
        build_site(programme, site, now=NOW)
        before = inodes(site)
        serialized.clear()
        built = build_site(moved(programme, 3), site, now=LATER)
        assert serialized == ["s3"]
        assert built.publication.changed == ("s3",)
        rewritten = {path for path, inode in inodes(site).items() if before.get(path) != inode}
        holding = {
            file.path
            for file in built.files
            if file.path.endswith(".ics") and "s3@" in (site / file.path).read_text()
        }
        assert "all.ics" in rewritten
        assert holding <= rewritten
        assert len(rewritten) <= len(holding) + 1  # and the day it left, if another
        assert len(rewritten) < len(before) / 4
        check_site(site)

    def test_feeds_are_those_a_fresh_build_writes(self, tmp_path: Path) -> None:
        """Rebuilt over changes (moves, removals, returns), every feed as a fresh build's."""
        site = tmp_path / "site"
        build_site(generated_games(300), site, now=NOW)
        for variant in (1, 2, 3):
            programme = generated_games(300, variant)
            build_site(programme, site, now=NOW)
            state = read_site_state(site)
            assert state is not None
            fresh = tmp_path / f"fresh-{variant}"
            build_site(programme, fresh, now=NOW)
            # A fresh build has every SEQUENCE at 0: compare the feeds' event lists.
            for path in ("all.ics", "sport/sport-1.ics", "venue/v2.ics", "delegation/n05.ics"):
                ids = [line for line in (site / path).read_text().splitlines() if "UID" in line]
                fresh_ids = [
                    line for line in (fresh / path).read_text().splitlines() if "UID" in line
                ]
                gone = {uid for uid, r in state.records.items() if r.removed is not None}
                assert [i for i in ids if i[4:].split("@")[0] not in gone] == fresh_ids

    def test_a_feed_missing_from_the_site_is_written_again(self, tmp_path: Path) -> None:
        """A feed file removed by hand is rebuilt, not linked."""
        site = tmp_path / "site"
        programme = generated_games(50)
        build_site(programme, site, now=NOW)
        (site / "medals.ics").unlink()
        build_site(programme, site, now=NOW)
        check_site(site)

    def test_without_hard_links_the_files_are_copied(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A file system without hard links: unchanged feeds are copied."""
        site = tmp_path / "site"
        programme = generated_games(50)
        build_site(programme, site, now=NOW)
        files = snapshot(site)

        def refuse(*_args: object, **_kwargs: object) -> None:
            raise OSError(1, "Operation not permitted")

        monkeypatch.setattr(os, "link", refuse)
        build_site(programme, site, now=NOW)
        files.pop(STATE_NAME)
        assert snapshot(site).items() >= files.items()
        check_site(site)


BODY = """\
ceremonies:
  - id: victory
    title: Victory ceremony
    venue: concorde
    start: 2024-08-29T18:00
    segments:
      - {id: anthem, kind: anthem, title: Anthem, start: {after: final, offset: 15m},
         duration: 2m}
sessions:
  - {id: heat, sport: Para Swimming, venue: concorde, start: 2024-08-29T10:00, duration: 10m}
  - {id: final, sport: Para Swimming, venue: concorde, start: 2024-08-29T18:00, duration: 10m}
  - {id: relay, sport: Para Swimming, venue: concorde, start: 2024-08-30T18:00, duration: 20m}
  - {id: medley, sport: Para Swimming, venue: concorde, start: 2024-08-31T18:00, duration: 20m}
"""


class TestChangelog:
    def test_the_lines_are_the_whole_diffs(self, show: Show, tmp_path: Path) -> None:
        """Moved, removed, added and anchored items: the lines of the whole diff."""
        site = tmp_path / "site"
        old = attrs.evolve(show(BODY), revision="1")
        build_site(old, site, now=NOW)
        heat, final, _, medley = old.sessions
        assert final.start is not None
        later = attrs.evolve(final, start=final.start + timedelta(hours=1))
        added = attrs.evolve(medley, id="backstroke", title="Backstroke")
        new = attrs.evolve(old, revision="2", sessions=[heat, later, medley, added])
        built = build_site(new, site, now=LATER)
        expected = changelog_lines(diff(old, new))
        assert list(built.changes) == expected
        assert any("victory" in line for line in expected)  # anchored to the final
        assert any("removed relay" in line for line in expected)

    def test_a_changed_ceremony_diffs_the_whole_programme(self, show: Show, tmp_path: Path) -> None:
        """The ceremonies changed: still the whole diff's lines."""
        site = tmp_path / "site"
        old = show(BODY)
        build_site(old, site, now=NOW)
        ceremony_ = attrs.evolve(old.ceremonies[0], title="Medal ceremony")
        new = attrs.evolve(old, ceremonies=[ceremony_], sessions=old.sessions[1:])
        built = build_site(new, site, now=LATER)
        assert list(built.changes) == changelog_lines(diff(old, new))

    def test_only_the_revision_changed(self, show: Show, tmp_path: Path) -> None:
        """A new revision label alone: no changelog, as before."""
        site = tmp_path / "site"
        old = show(BODY)
        build_site(old, site, now=NOW)
        built = build_site(attrs.evolve(old, revision="9"), site, now=LATER)
        assert built.changes == ()


class TestMigration:
    def test_a_json_state_inside_the_site_is_read_once(self, tmp_path: Path) -> None:
        """An earlier version's .publish-state.json: SEQUENCEs go on, then a database."""
        site = tmp_path / "site"
        programme = generated_games(40)
        build_site(programme, site, now=NOW)
        build_site(moved(programme, 2), site, now=NOW)  # s2 at SEQUENCE 1
        state = read_site_state(site)
        assert state is not None
        (site / JSON_STATE_NAME).write_text(dumps_state(state), encoding="utf-8")
        state_path(site).unlink()
        assert read_site_state(site) == state
        built = build_site(moved(programme, 2, 30), site, now=LATER)
        assert built.publication.changed == ("s2",)
        assert any("s2" in line for line in built.changes)  # the show came across
        after = read_site_state(site)
        assert after is not None
        assert after.records["s2"].sequence == 2
        assert after.records["s1"].sequence == 0
        assert not (site / JSON_STATE_NAME).exists()
        assert state_path(site).is_file()

    def test_a_damaged_json_state_names_its_file(self, tmp_path: Path) -> None:
        """A JSON state that is not JSON: the error names it and its line."""
        site = tmp_path / "site"
        build_site(generated_games(10), site, now=NOW)
        state_path(site).unlink()
        (site / JSON_STATE_NAME).write_text("{ not json", encoding="utf-8")
        with pytest.raises(PublishStateError, match=r"\.publish-state\.json:1: not JSON"):
            build_site(generated_games(10), site, now=NOW)


class TestBadStates:
    @pytest.fixture
    def site(self, tmp_path: Path) -> Path:
        site = tmp_path / "site"
        build_site(generated_games(30), site, now=NOW)
        return site

    def test_a_corrupt_database(self, site: Path) -> None:
        """Pages of garbage after a good header: an error naming the file, the site kept."""
        data = bytearray(state_path(site).read_bytes())
        data[100:] = b"\xff" * (len(data) - 100)
        state_path(site).write_bytes(bytes(data))
        before = snapshot(site)
        with pytest.raises(PublishStateError, match=str(state_path(site))) as raised:
            build_site(generated_games(30), site, now=NOW)
        assert "\n" not in str(raised.value)
        assert snapshot(site) == before
        assert sorted(p.name for p in site.parent.iterdir()) == ["site", "site.lock"]

    def test_a_foreign_database(self, site: Path) -> None:
        """Another program's SQLite file is not taken for a state."""
        state_path(site).unlink()
        with sqlite3.connect(state_path(site)) as db:
            db.execute("CREATE TABLE events (id TEXT)")
        db.close()
        with pytest.raises(PublishStateError, match="not a ceremony publish state"):
            build_site(generated_games(30), site, now=NOW)
        with pytest.raises(PublishStateError, match="not a ceremony publish state"):
            read_site_state(site)

    def test_a_locked_database(self, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Another program holds the state's lock: a clean error, the site kept."""
        monkeypatch.setattr(ceremony.site.state, "LOCK_TIMEOUT", 0.05)
        before = snapshot(site)
        holder = sqlite3.connect(state_path(site), isolation_level=None)
        try:
            holder.execute("BEGIN EXCLUSIVE")
            with pytest.raises(PublishStateError, match="locked by another program") as raised:
                build_site(generated_games(30), site, now=NOW)
            assert str(state_path(site)) in str(raised.value)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert snapshot(site) == before
        build_site(generated_games(30), site, now=NOW)

    def test_the_cli_says_it_in_one_line(self, site: Path, tmp_path: Path) -> None:
        """`ceremony site` over a damaged state: exit 2, one line, no traceback."""
        state_path(site).write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
        show = tmp_path / "show.json"
        ceremony.dump(generated_games(30), show)
        result = CliRunner().invoke(main, ["site", str(show), "-o", str(site)])
        assert result.exit_code == 2
        assert "Traceback" not in result.stderr
        assert str(state_path(site)) in result.stderr
        assert result.stderr.count("\n") == 1

    def test_two_builds_at_once(self, site: Path) -> None:
        """While one build holds the site's lock, another is refused."""
        with (
            exclusive_lock(site.with_name("site.lock")),
            pytest.raises(CeremonyError, match="another build of this site is running"),
        ):
            build_site(generated_games(30), site, now=NOW)

    def test_a_build_that_fails_after_writing_the_state(
        self, site: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Failing after the new state was written: the previous state and site stand."""
        before = snapshot(site)

        def fail(*_args: object) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(ceremony.site, "_swap", fail)
        with pytest.raises(OSError, match="No space left"):
            build_site(moved(generated_games(30), 1), site, now=NOW)
        assert snapshot(site) == before
        assert sorted(p.name for p in site.parent.iterdir()) == ["site", "site.lock"]


KILLED = textwrap.dedent(
    """
    import os, signal, sys
    from datetime import UTC, datetime
    import ceremony, ceremony.site, ceremony.site.state
    from tests.test_site import generated_games

    where = sys.argv[2]
    store = ceremony.site.state.StateStore
    if where == "in-transaction":
        real = store.put_feeds
        def put_feeds(self, rows):
            real(self, rows)
            os.kill(os.getpid(), signal.SIGKILL)
        store.put_feeds = put_feeds
    else:
        def swap(new, target):
            os.kill(os.getpid(), signal.SIGKILL)
        ceremony.site._swap = swap
    programme = generated_games(60, 1)
    ceremony.site.build_site(programme, sys.argv[1], now=datetime(2024, 8, 21, tzinfo=UTC))
    """
)


@pytest.mark.parametrize("where", ["in-transaction", "before-swap"])
def test_a_build_killed_leaves_the_previous_site_and_state(tmp_path: Path, where: str) -> None:
    """SIGKILL inside the state's transaction, or with it written: nothing published moves."""
    site = tmp_path / "site"
    build_site(generated_games(60), site, now=NOW)
    before = snapshot(site)
    done = subprocess.run(
        [sys.executable, "-c", KILLED, str(site), where],
        cwd=Path(__file__).parents[1],
        check=False,
    )
    assert done.returncode == -signal.SIGKILL
    assert snapshot(site) == before
    assert any(p.name.startswith(".site.building-") for p in tmp_path.iterdir())
    state = read_site_state(site)
    assert state is not None
    built = build_site(generated_games(60, 1), site, now=LATER)
    assert built.publication.changed  # the killed build's changes were never published
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "site.lock"]
    check_site(site)


def test_the_state_is_one_file_and_not_served(tmp_path: Path) -> None:
    """After a build: no -wal or -shm beside the state; the server does not serve it."""
    from ceremony.serve import create_app  # noqa: PLC0415 - needs the serve extra
    from tests.test_durable_writes import _get  # noqa: PLC0415

    site = tmp_path / "site"
    build_site(generated_games(20), site, now=NOW)
    assert sorted(p.name for p in site.glob(".publish-state*")) == [".publish-state.sqlite"]
    with sqlite3.connect(f"{state_path(site).as_uri()}?mode=ro", uri=True) as db:
        assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    db.close()
    app = create_app(site)
    assert _get(app, "/.publish-state.sqlite") == 404
    assert _get(app, "/feed.ics", "sport=Sport 1") == 200  # made from the state inside


class TestLazyLineMap:
    TEXT = '{"programme": "Games", "timezone": "UTC",\n "sessions": []}\n'

    def test_a_good_file_never_walks_the_text(self) -> None:
        """A JSON file that loads cleanly is walked for lines only when one is asked for."""
        programme = ceremony.loads(self.TEXT, "json", file="show.json")
        assert programme.source is not None
        lines = programme.source.lines
        assert isinstance(lines, LazyLines)
        assert dict.__len__(lines) == 0  # not walked yet
        assert programme.source.line(("sessions",)) == 2
        assert dict.__len__(lines) > 0

    def test_a_mistake_is_located(self) -> None:
        """A mistake in a JSON file still says its file and line."""
        text = '{"programme": "Games",\n "timezone": "UTC",\n "sessions": [{"id": 5}]}\n'
        with pytest.raises(ShowFileError, match=r"^show\.json:3: sessions\[0\]"):
            ceremony.loads(text, "json", file="show.json")

    def test_copied_or_pickled_it_is_a_plain_mapping(self) -> None:
        """Copied, pickled or read as a mapping, the lines are all there."""
        lines = LazyLines(self.TEXT)
        assert copy.deepcopy(lines) == lines == pickle.loads(pickle.dumps(lines))  # noqa: S301
        assert type(copy.copy(lines)) is dict
        assert lines[("sessions",)] == 2
        assert ("timezone",) in lines
        assert len(lines) == len(dict(lines.items()))
