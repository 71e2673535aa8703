"""DTSTAMP and LAST-MODIFIED never come from the clock on a fresh build: two builds of one
file are byte-identical, and SOURCE_DATE_EPOCH sets the stamps when given."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import icalendar
import pytest
from click.testing import CliRunner

import ceremony
from ceremony.cli import main
from ceremony.errors import ModelError
from ceremony.export.ics import EPOCH
from ceremony.publishing import publication_time, publish, source_date_epoch
from ceremony.site import build_site

from .conftest import HEAD

Show = Callable[[str], ceremony.Programme]

BODY = """\
sessions:
  - {id: heat, sport: Para Swimming, venue: concorde, start: 2024-08-29T10:00, duration: 10m}
  - {id: final, sport: Para Swimming, venue: concorde, start: 2024-08-29T18:00, duration: 10m,
     medal: true}
"""
COMMIT = datetime(2024, 8, 1, 9, 30, tzinfo=UTC)
"""The instant SOURCE_DATE_EPOCH names below (a commit's time, say)."""


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def stamps(path: Path, name: str = "DTSTAMP") -> set[datetime]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    events: list[Any] = calendar.walk("VEVENT")
    return {event[name].dt for event in events}


def show_file(tmp_path: Path) -> str:
    """A show file with no ``published`` time."""
    path = tmp_path / "show.yaml"
    path.write_text(HEAD + BODY, encoding="utf-8")
    return str(path)


def run(*args: str) -> bytes:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


@pytest.fixture
def no_source_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.mark.usefixtures("no_source_date")
class TestFreshBuilds:
    def test_two_site_builds_are_byte_identical(self, tmp_path: Path) -> None:
        example = show_file(tmp_path)
        run("site", example, "-o", str(tmp_path / "a"))
        run("site", example, "-o", str(tmp_path / "b"))
        first, second = tree(tmp_path / "a"), tree(tmp_path / "b")
        assert len(first) > 3 and first == second  # the state and the index page too
        assert stamps(tmp_path / "a" / "all.ics") == {EPOCH}
        assert stamps(tmp_path / "a" / "all.ics", "LAST-MODIFIED") == {EPOCH}

    def test_two_ics_runs_give_the_same_bytes(self, tmp_path: Path) -> None:
        example = show_file(tmp_path)
        assert run("ics", example) == run("ics", example)
        run("ics", example, "-o", str(tmp_path / "a.ics"))
        run("ics", example, "-o", str(tmp_path / "b.ics"))
        assert (tmp_path / "a.ics").read_bytes() == (tmp_path / "b.ics").read_bytes()
        assert stamps(tmp_path / "a.ics") == {EPOCH}

    def test_a_rebuild_over_the_state_stamps_what_changed_now(
        self, show: Show, tmp_path: Path
    ) -> None:
        first = show(BODY)
        build_site(first, tmp_path, now=datetime(2030, 1, 1, tzinfo=UTC))
        moved = attrs.evolve(first.sessions[1], duration=timedelta(minutes=20))
        now = datetime(2030, 1, 2, tzinfo=UTC)
        build_site(attrs.evolve(first, sessions=[first.sessions[0], moved]), tmp_path, now=now)
        assert stamps(tmp_path / "all.ics", "LAST-MODIFIED") == {EPOCH, now}
        assert stamps(tmp_path / "medals.ics", "LAST-MODIFIED") == {now}


class TestSourceDateEpoch:
    def test_it_stamps_fresh_builds(
        self, show: Show, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(COMMIT.timestamp())))
        programme = show(BODY)
        build_site(programme, tmp_path / "a", now=datetime(2030, 1, 1, tzinfo=UTC))
        build_site(programme, tmp_path / "b", now=datetime(2031, 1, 1, tzinfo=UTC))
        assert tree(tmp_path / "a") == tree(tmp_path / "b")
        assert stamps(tmp_path / "a" / "all.ics") == {COMMIT}
        assert stamps(tmp_path / "a" / "all.ics", "LAST-MODIFIED") == {COMMIT}

    def test_it_stamps_what_a_rebuild_changed(
        self, show: Show, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        first = show(BODY)
        build_site(first, tmp_path, now=datetime(2030, 1, 1, tzinfo=UTC))
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(COMMIT.timestamp())))
        moved = attrs.evolve(first.sessions[1], duration=timedelta(minutes=20))
        built = build_site(
            attrs.evolve(first, sessions=[first.sessions[0], moved]),
            tmp_path,
            now=datetime(2030, 1, 2, tzinfo=UTC),
        )
        assert built.publication.changed == ("final",)
        assert stamps(tmp_path / "all.ics", "LAST-MODIFIED") == {EPOCH, COMMIT}

    def test_the_programmes_published_time_comes_first(
        self, show: Show, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(COMMIT.timestamp())))
        published = datetime(2024, 8, 20, 12, tzinfo=UTC)
        build_site(attrs.evolve(show(BODY), published=published), tmp_path, now=COMMIT)
        assert stamps(tmp_path / "all.ics") == {published}

    def test_it_stamps_a_feed_written_with_o(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(COMMIT.timestamp())))
        run("ics", show_file(tmp_path), "-o", str(tmp_path / "a.ics"))
        assert stamps(tmp_path / "a.ics") == {COMMIT}

    def test_it_stamps_a_feed_printed_to_the_terminal(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(COMMIT.timestamp())))
        printed = tmp_path / "printed.ics"
        printed.write_bytes(run("ics", show_file(tmp_path)))
        assert stamps(printed) == {COMMIT}

    @pytest.mark.parametrize(
        "value", ["soon", "-5", "1.5e9", "\uff11\uff12", "99999999999999999999"]
    )
    def test_a_malformed_value_stops_the_build(
        self, show: Show, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
    ) -> None:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
        with pytest.raises(ModelError, match=r"SOURCE_DATE_EPOCH=.* is not a whole number"):
            build_site(show(BODY), tmp_path / "site", now=COMMIT)
        assert not (tmp_path / "site").exists()

    def test_the_cli_says_so_in_one_line(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
        result = CliRunner().invoke(main, ["site", show_file(tmp_path), "-o", str(tmp_path / "s")])
        assert result.exit_code != 0
        assert "SOURCE_DATE_EPOCH='yesterday'" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


class TestPublicationTime:
    def test_the_order_of_sources(self) -> None:
        state = publish([], at=COMMIT).state
        later = COMMIT + timedelta(days=1)
        published = COMMIT - timedelta(days=1)
        assert publication_time(published, state, now=later, source_date=COMMIT) == published
        assert publication_time(None, state, now=later, source_date=COMMIT) == COMMIT
        assert publication_time(None, None, now=later, source_date=COMMIT) == COMMIT
        assert publication_time(None, state, now=later, source_date=None) == later
        assert publication_time(None, None, now=later, source_date=None) == EPOCH

    def test_reading_the_variable(self) -> None:
        assert source_date_epoch({}) is None
        assert source_date_epoch({"SOURCE_DATE_EPOCH": " "}) is None
        assert source_date_epoch({"SOURCE_DATE_EPOCH": "0"}) == EPOCH
        assert source_date_epoch({"SOURCE_DATE_EPOCH": str(int(COMMIT.timestamp()))}) == COMMIT
