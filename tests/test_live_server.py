"""``ceremony live``: the live show's state, its API (through the app), access and publishing."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest
import uvicorn
from anyio.from_thread import BlockingPortal, start_blocking_portal
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette

import ceremony
from ceremony.cli import main
from ceremony.cli.live import access_token, address, is_loopback, live
from ceremony.io.actualsfile import load_actuals, record_mark, undo_mark
from ceremony.live.app import create_app
from ceremony.live.clock import RunningClock, SetClock
from ceremony.live.publish import SitePublisher, site_builder
from ceremony.live.show import LiveShow
from ceremony.live.stream import HEARTBEAT, Broadcaster, encode_state
from ceremony.model import Actuals
from ceremony.zones import zone

from .conftest import EXAMPLES, HEAD
from .test_timing import ceremony_with

PARIS = zone("Europe/Paris")
OPENING = EXAMPLES / "paralympic-opening.yaml"
CLOSING = EXAMPLES / "olympic-closing.toml"
BEFORE_THE_SHOW = datetime(2024, 8, 28, 19, 58, tzinfo=PARIS)

LIVE_KEYS = {
    "current",
    "current_due",
    "next",
    "message",
    "zones",
    "cues",
    "standby_lead",
    "visibility",
    "programme",
    "revision",
    "venue",
    "now_ms",
    "version",
}
"""The keys the state adds to the timeline's JSON."""

TOKEN = "s3cret-token"  # noqa: S105 - the token of the servers under test


@attrs.define
class Live:
    """A live show on a clock that stands still, its app, and one event loop to call it on."""

    show: LiveShow
    clock: SetClock
    app: Starlette
    portal: BlockingPortal
    file: Path

    def request(
        self, method: str, path: str, content: bytes = b"", headers: dict[str, str] | None = None
    ) -> httpx.Response:
        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://live") as client:
                return await client.request(method, path, content=content, headers=headers)

        return self.portal.call(send)

    def post(self, path: str, body: Any = None, **headers: str) -> httpx.Response:
        content = b"" if body is None else json.dumps(body).encode()
        return self.request("POST", path, content, headers)

    def state(self) -> dict[str, Any]:
        response = self.request("GET", "/api/state")
        assert response.status_code == 200
        data: dict[str, Any] = response.json()
        return data

    def advance(self, **duration: float) -> None:
        self.clock.advance(timedelta(**duration))


@contextmanager
def start_live(
    show_file: Path,
    actuals_file: Path,
    *,
    now: datetime = BEFORE_THE_SHOW,
    token: str | None = None,
    zones: tuple[str, ...] = (),
) -> Iterator[Live]:
    programme = ceremony.load(show_file)
    show = LiveShow(programme, actuals_file, zones=zones)
    clock = SetClock(now)
    with start_blocking_portal() as portal:
        app = create_app(show, clock, token=token)
        yield Live(show=show, clock=clock, app=app, portal=portal, file=actuals_file)


@pytest.fixture
def opening(tmp_path: Path) -> Iterator[Live]:
    """The Paralympic opening, live from 19:58, its actuals in a fresh file."""
    with start_live(OPENING, tmp_path / "opening.actuals.yaml") as live_show:
        yield live_show


def cli_timeline(show_file: Path, actuals_file: Path, now: datetime) -> dict[str, Any]:
    """What ``ceremony timeline FILE --actuals A --now NOW --format json`` prints, for the one ceremony."""
    args = ["timeline", str(show_file), "--now", now.isoformat(), "--format", "json"]
    if actuals_file.exists():
        args += ["--actuals", str(actuals_file)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    timelines: list[dict[str, Any]] = json.loads(result.output)["timelines"]
    assert len(timelines) == 1
    return timelines[0]


def assert_state_is_the_cli_timeline(live_show: Live, show_file: Path) -> None:
    state = live_show.state()
    expected = cli_timeline(show_file, live_show.file, live_show.clock.now())
    assert set(state) - set(expected) == LIVE_KEYS
    assert {key: state[key] for key in expected} == expected
    if state["current"] is not None:  # due to end at its projected end, while that is ahead
        running = next(s for s in state["slots"] if s["id"] == state["current"])
        if running["end"] > state["now"]:
            assert state["current_due"] == running["end"]


def snapshot(path: Path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


# --- the state and the CLI's timeline ---------------------------------------------------


operations = st.lists(
    st.one_of(
        st.tuples(st.just("go"), st.integers(0, 0)),
        st.tuples(st.just("advance"), st.integers(1, 900)),
        st.tuples(st.just("start"), st.integers(0, 40)),
        st.tuples(st.just("end"), st.integers(0, 40)),
        st.tuples(st.just("undo"), st.integers(0, 0)),
        st.tuples(st.just("extend"), st.integers(-3, 5)),
    ),
    max_size=12,
)


@pytest.mark.parametrize("show_file", [OPENING, CLOSING], ids=["opening-yaml", "closing-toml"])
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=operations, pick=st.randoms(use_true_random=False))
def test_state_after_any_marks_is_the_cli_timeline(
    show_file: Path, steps: list[tuple[str, int]], pick: Any
) -> None:
    """After any sequence of changes (refused ones included), the state is the CLI's timeline."""
    programme = ceremony.load(show_file)
    ceremony_start = programme.ceremonies[0].start
    items = [segment.id for _, segment in programme.ceremonies[0].walk()]
    suffix = show_file.suffix
    with (
        tempfile.TemporaryDirectory() as folder,
        start_live(
            show_file,
            Path(folder) / f"show.actuals{suffix}",
            now=ceremony_start - timedelta(minutes=2),
        ) as live_show,
    ):
        for action, amount in steps:
            before = snapshot(live_show.file)
            if action == "go":
                response = live_show.post("/api/go")
            elif action == "advance":
                live_show.advance(seconds=amount)
                continue
            elif action in {"start", "end"}:
                at = live_show.clock.now() - timedelta(seconds=amount)
                body = {"item": pick.choice(items), "edge": action, "at": at.isoformat()}
                response = live_show.post("/api/mark", body)
            elif action == "undo":
                response = live_show.post("/api/undo")
            else:
                body = {"item": pick.choice(items), "by": f"{amount:+d}m"}
                response = live_show.post("/api/extend", body)
            assert response.status_code in {200, 400}, response.text
            if response.status_code == 400:
                assert snapshot(live_show.file) == before  # refused: nothing written
                assert set(response.json()) == {"error"}
        assert_state_is_the_cli_timeline(live_show, show_file)


class TestState:
    def test_before_the_show(self, opening: Live) -> None:
        """Before anything is recorded: the plan at now, nothing running, the first item next."""
        state = opening.state()
        assert state["current"] is None and state["next"] == "overture"
        assert state["now"] == "2024-08-28T19:58:00+02:00"
        assert state["now_ms"] == int(BEFORE_THE_SHOW.timestamp() * 1000)
        assert state["version"] == 0 and state["message"] is None
        assert state["programme"] == "Paris 2024 Paralympic Games"
        assert state["venue"] == "Place de la Concorde"
        assert_state_is_the_cli_timeline(opening, OPENING)

    def test_cues_to_come_with_standby_and_go(self, opening: Live) -> None:
        """Cues still to come, soonest first, each with its GO and its standby a minute before."""
        cues = opening.state()["cues"]
        first = cues[0]
        assert first == {
            "item": "overture",
            "department": "video",
            "department_name": "Video",
            "label": "VID 1",
            "text": "Countdown on the screens",
            "call": "go",
            "at": "2024-08-28T20:00:00+02:00",
            "standby": "2024-08-28T19:59:00+02:00",
        }
        assert [cue["at"] for cue in cues] == sorted(cue["at"] for cue in cues)
        assert cues[1]["call"] == "standby"  # "Standby fireworks ..." is a standby call
        opening.advance(minutes=3)
        opening.post("/api/go")
        fired = opening.state()["cues"]
        assert fired[0]["label"] == "VID 1"  # fired by GO: kept a few seconds, to show "GO"
        assert fired[0]["at"] == "2024-08-28T20:01:00+02:00"
        opening.advance(seconds=5)
        assert opening.state()["cues"][0]["label"] == "VID 1"
        opening.advance(seconds=1)
        later = opening.state()["cues"]
        assert all(cue["at"] >= "2024-08-28T20:01:00+02:00" for cue in later)
        assert later[0]["label"] == "PYRO 1"  # the countdown fired at GO: gone

    def test_a_cue_at_the_end_of_an_item_ended_by_go_is_kept(self, opening: Live) -> None:
        """A cue on an item's end stays a few seconds after the GO that ended it."""
        opening.advance(minutes=2)
        opening.post("/api/go")
        opening.advance(minutes=3)
        after = opening.post("/api/go").json()
        kept = [cue for cue in after["cues"] if cue["item"] == "overture"]
        assert [(cue["label"], cue["at"]) for cue in kept] == [
            ("PYRO 1", "2024-08-28T20:03:00+02:00")  # on the overture's end, ended by this GO
        ]
        opening.advance(seconds=6)
        assert all(cue["item"] != "overture" for cue in opening.state()["cues"])

    def test_whole_seconds_and_milliseconds(self, opening: Live) -> None:
        """With a clock between seconds: resolved in whole seconds, ``now_ms`` exact."""
        opening.advance(minutes=2, seconds=3, milliseconds=444)
        opening.post("/api/go")
        opening.advance(minutes=1, milliseconds=300)
        state = opening.state()
        assert state["now"] == "2024-08-28T20:01:03+02:00"
        assert state["now_ms"] % 1000 == 744
        text = json.dumps({key: value for key, value in state.items() if key != "now_ms"})
        assert not re.search(r'\d\.\d+s"|:\d\d\.\d', text)  # no "-31.556211s", no "20:01:03.7"
        overture = next(s for s in state["slots"] if s["id"] == "overture")
        assert overture["elapsed"] == "1m" and overture["actual_start"].endswith("20:00:03+02:00")
        now = opening.clock.now().replace(microsecond=0)
        expected = cli_timeline(OPENING, opening.file, now)
        assert {key: state[key] for key in expected} == expected

    def test_the_running_item_is_due_at_its_end_extensions_included(self, opening: Live) -> None:
        """``current_due``: the end of the running item, moved by +2m, not stretched to now."""
        assert opening.state()["current_due"] is None
        opening.advance(minutes=2)
        opening.post("/api/go")
        opening.post("/api/extend", {"by": "+2m"})
        opening.advance(minutes=15)  # the overture (10 min, +2m) runs 3 min over
        state = opening.state()
        overture = next(s for s in state["slots"] if s["id"] == "overture")
        assert overture["end"] == state["now"] == "2024-08-28T20:15:00+02:00"
        assert state["current_due"] == "2024-08-28T20:12:00+02:00"

    def test_a_fixed_end_is_due_then(self, tmp_path: Path) -> None:
        """An item with a fixed ``end:`` is due then, even once it runs over."""
        show = tmp_path / "show.yaml"
        show.write_text(
            HEAD
            + ceremony_with(
                "      - {id: speech, kind: speech, end: 2024-08-28T20:30}\n"
                "      - {id: after, kind: speech, duration: 5m}\n"
            ),
            encoding="utf-8",
        )
        began = datetime(2024, 8, 28, 20, 0, tzinfo=PARIS)
        with start_live(show, tmp_path / "a.yaml", now=began) as live_show:
            live_show.post("/api/go")
            live_show.advance(minutes=40)
            state = live_show.state()
            assert state["current"] == "speech"
            assert state["current_due"] == "2024-08-28T20:30:00+02:00"
            live_show.post("/api/extend", {"by": "-5m"})
            assert live_show.state()["current_due"] == "2024-08-28T20:25:00+02:00"

    def test_the_public_state_has_no_crew_title(self, opening: Live) -> None:
        """``?public=1``: no crew-only item, title, cue or message anywhere in the JSON."""
        opening.advance(minutes=2)
        opening.post("/api/go")
        opening.post("/api/message", {"text": "Wrap up"})
        whole = opening.state()
        crew = [s for s in whole["slots"] if whole["visibility"][s["id"]] == "crew"]
        assert crew, "the example has crew-only items"
        response = opening.request("GET", "/api/state?public=1")
        assert response.status_code == 200
        text = response.text
        for slot in crew:
            assert slot["title"] not in text
            assert f'"{slot["id"]}"' not in text
        public = response.json()
        assert public["cues"] == [] and public["message"] is None
        assert set(public["visibility"].values()) == {"public"}
        assert [s["id"] for s in public["slots"]] == [
            s["id"] for s in whole["slots"] if s not in crew
        ]
        assert public["current"] == "overture" and public["current_due"] == whole["current_due"]
        assert {
            k: v for k, v in public.items() if k not in {"slots", "visibility", "cues", "message"}
        } == {k: v for k, v in whole.items() if k not in {"slots", "visibility", "cues", "message"}}

    def test_a_crew_item_running_is_not_named_in_public(self, opening: Live) -> None:
        """While a crew-only item runs, the public state has nothing current."""
        opening.advance(minutes=2)
        opening.post("/api/mark", {"item": "stage-clear", "edge": "start"})
        assert opening.state()["current"] == "stage-clear"
        public = opening.request("GET", "/api/state?public=yes").json()
        assert public["current"] is None and public["current_due"] is None
        assert "stage-clear" not in json.dumps(public)

    @pytest.mark.parametrize("path", ["/api/state?public=maybe", "/api/events?public=2"])
    def test_a_bad_public_is_refused(self, opening: Live, path: str) -> None:
        """``public`` is 1 or absent (or 0): anything else is a 400."""
        response = opening.request("GET", path)
        assert response.status_code == 400
        assert "public" in response.json()["error"]

    def test_crew_items_are_marked_crew(self, opening: Live) -> None:
        """Crew-only items are ``crew`` in ``visibility``; the rest ``public``."""
        visibility = opening.state()["visibility"]
        assert visibility["stage-clear"] == "crew"
        assert visibility["overture"] == "public"
        assert set(visibility) >= {slot["id"] for slot in opening.state()["slots"]}

    def test_more_zones(self, tmp_path: Path) -> None:
        """``--tz`` zones are listed once, the show's own left out."""
        zones = ("Asia/Almaty", "Europe/Paris", "Asia/Almaty", "Asia/Baku")
        with start_live(OPENING, tmp_path / "a.yaml", zones=zones) as live_show:
            assert live_show.state()["zones"] == ["Asia/Almaty", "Asia/Baku"]

    def test_resumes_from_the_file(self, opening: Live) -> None:
        """A new server on the same file starts where the last one stopped."""
        opening.advance(minutes=2)
        opening.post("/api/go")
        opening.advance(minutes=5)
        opening.post("/api/extend", {"by": "+3m"})
        with start_live(OPENING, opening.file, now=opening.clock.now()) as again:
            assert again.show.actuals == opening.show.actuals
            ours, theirs = opening.state(), again.state()
        assert {**ours, "version": 0} == theirs

    def test_marks_from_another_process_are_read_in(self, opening: Live) -> None:
        """``ceremony record`` writing the same file: the next state has its mark."""
        opening.advance(minutes=5)
        opening.post("/api/go", {"at": "20:00"})
        record_mark(opening.file, opening.show.programme, "flypast", "start", "20:01")
        state = opening.state()
        assert state["version"] == 2
        flypast = next(s for s in state["slots"] if s["id"] == "flypast")
        assert flypast["actual_start"] == "2024-08-28T20:01:00+02:00"
        assert_state_is_the_cli_timeline(opening, OPENING)
        assert opening.state()["version"] == 2  # read once, not at every state

    def test_a_file_damaged_by_hand_is_left_aside(
        self, opening: Live, caplog: pytest.LogCaptureFixture
    ) -> None:
        """A file that no longer reads is logged; the show goes on with what it had."""
        opening.advance(minutes=5)
        opening.post("/api/go", {"at": "20:00"})
        opening.file.write_text("marks: [oops\n", encoding="utf-8")
        with caplog.at_level(logging.WARNING, logger="ceremony.live"):
            state = opening.state()
        assert state["current"] == "overture" and state["version"] == 1
        assert "cannot be read" in caplog.text


# --- changes -----------------------------------------------------------------------------


class TestGo:
    def test_go_starts_the_first_item_then_moves_on(self, opening: Live) -> None:
        """GO starts the next item; the next GO ends it and starts the one after, at one instant."""
        opening.advance(minutes=2)
        state = opening.post("/api/go").json()
        assert state["current"] == "overture" and state["next"] == "tricolour-fireworks"
        assert state["version"] == 1
        opening.advance(minutes=10, seconds=30)
        state = opening.post("/api/go").json()
        assert state["current"] == "tricolour-fireworks"
        marks = load_actuals(opening.file, opening.show.programme).marks
        assert [(m.item, m.edge.value) for m in marks] == [
            ("overture", "start"),
            ("overture", "end"),
            ("tricolour-fireworks", "start"),
        ]
        assert marks[1].at == marks[2].at == datetime(2024, 8, 28, 20, 10, 30, tzinfo=PARIS)

    def test_go_resolves_once_after_a_state_in_the_same_second(
        self, opening: Live, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """GO reuses the timeline of a state made in the same second; its answer resolves anew."""
        resolved: list[datetime | None] = []
        resolve = opening.show.rundown.resolve

        def counted(actuals: Actuals | None = None, now: datetime | None = None) -> Any:
            resolved.append(now)
            return resolve(actuals, now)

        monkeypatch.setattr(opening.show.rundown, "resolve", counted)
        opening.advance(minutes=2, milliseconds=250)
        opening.state()
        opening.advance(milliseconds=500)
        assert opening.post("/api/go").json()["current"] == "overture"
        assert len(resolved) == 2  # the state before, the state after; not GO's own
        opening.advance(seconds=1)
        opening.post("/api/go")
        assert len(resolved) == 4  # a new second: GO resolves, then its answer

    def test_go_at_a_past_instant(self, opening: Live) -> None:
        """``at`` dates the GO; entered late, the marks say when they were entered."""
        opening.advance(minutes=5)
        state = opening.post("/api/go", {"at": "20:00:15"}).json()
        slot = next(s for s in state["slots"] if s["id"] == "overture")
        assert slot["actual_start"] == "2024-08-28T20:00:15+02:00"
        mark = load_actuals(opening.file, opening.show.programme).marks[0]
        assert mark.recorded == datetime(2024, 8, 28, 20, 3, tzinfo=PARIS)

    def test_go_after_the_last_item_only_ends_it(self, opening: Live) -> None:
        """With nothing left to start, GO ends what runs; then there is nothing to GO."""
        leaves = [s["id"] for s in opening.state()["slots"] if s["kind"] != "act"]
        for _ in range(40):
            opening.advance(minutes=1)
            if opening.post("/api/go").status_code == 400:
                break
        state = opening.state()
        assert state["current"] is None and state["next"] is None
        main_track = [s for s in state["slots"] if s["track"] is None and s["kind"] != "act"]
        assert all(s["state"] == "done" for s in main_track)
        assert leaves
        refused = opening.post("/api/go")
        assert refused.status_code == 400
        assert "nothing is running" in refused.json()["error"]

    def test_the_marks_are_in_the_file_before_the_answer(self, opening: Live) -> None:
        """Once a POST is answered, its mark is in the file (the file is the record)."""
        opening.post("/api/go")
        assert load_actuals(opening.file, opening.show.programme) == opening.show.actuals
        assert len(opening.show.actuals.marks) == 1


class TestMark:
    def test_mark_one_edge(self, opening: Live) -> None:
        """A mark with ``at`` records that edge at that time."""
        opening.advance(minutes=20)
        response = opening.post(
            "/api/mark", {"item": "flypast", "edge": "start", "at": "2024-08-28T20:12:50+02:00"}
        )
        assert response.status_code == 200
        slot = next(s for s in response.json()["slots"] if s["id"] == "flypast")
        assert slot["state"] == "running"
        assert slot["actual_start"] == "2024-08-28T20:12:50+02:00"

    def test_a_mark_can_correct_an_earlier_one(self, opening: Live) -> None:
        """A second start mark for an item wins over the first."""
        opening.advance(minutes=5)
        opening.post("/api/mark", {"item": "overture", "edge": "start", "at": "20:00"})
        opening.post("/api/mark", {"item": "overture", "edge": "start", "at": "20:01"})
        slot = next(s for s in opening.state()["slots"] if s["id"] == "overture")
        assert slot["actual_start"] == "2024-08-28T20:01:00+02:00"

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({"item": "overture", "edge": "start", "at": "20:30"}, "is in the future"),
            ({"item": "nobody", "edge": "start"}, "no item 'nobody'"),
            ({"item": "overture", "edge": "end", "at": "20:00"}, "cannot end before it started"),
            ({"item": "overture", "edge": "middle"}, "edge must be start or end"),
            ({"item": "overture", "edge": "start", "at": "half past eight"}, "not a date"),
            ({"item": "overture"}, "missing 'edge'"),
            ({"edge": "start"}, "missing 'item'"),
            ({"item": 3, "edge": "start"}, "'item' is text"),
            ([1, 2], "is a JSON object"),
        ],
    )
    def test_refused_marks_write_nothing(self, opening: Live, body: Any, message: str) -> None:
        """Each bad mark is a 400 naming the problem, and the file is left as it was."""
        opening.advance(minutes=5)
        opening.post("/api/mark", {"item": "overture", "edge": "start", "at": "20:01"})
        before = opening.file.read_bytes()
        response = opening.post("/api/mark", body)
        assert response.status_code == 400
        assert message in response.json()["error"]
        assert opening.file.read_bytes() == before
        assert opening.state()["version"] == 1

    def test_a_start_after_its_end_is_refused(self, opening: Live) -> None:
        """A start later than the item's recorded end is a 400."""
        opening.advance(minutes=15)
        opening.post("/api/mark", {"item": "overture", "edge": "end", "at": "20:08"})
        response = opening.post("/api/mark", {"item": "overture", "edge": "start", "at": "20:09"})
        assert response.status_code == 400
        assert "cannot start after it ended" in response.json()["error"]

    def test_bad_json_is_refused(self, opening: Live) -> None:
        """A body that is not JSON is a 400; nothing is written (no file is made)."""
        response = opening.request("POST", "/api/mark", b"{item: overture")
        assert response.status_code == 400
        assert "not JSON" in response.json()["error"]
        assert not opening.file.exists()

    def test_too_large_a_body_is_refused(self, opening: Live) -> None:
        """A body over 16 KiB is a 400."""
        response = opening.post("/api/message", {"text": "x" * 20_000})
        assert response.status_code == 400

    def test_twenty_marks_at_once_are_all_kept(self, opening: Live) -> None:
        """20 marks posted at the same moment are all written and all in the state."""
        opening.advance(minutes=30)
        items = [s["id"] for s in opening.state()["slots"] if s["kind"] != "act"][:20]

        async def post_all() -> list[httpx.Response]:
            transport = httpx.ASGITransport(app=opening.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                body = {"edge": "start", "at": "20:01"}
                posts = [client.post("/api/mark", json={**body, "item": item}) for item in items]
                return await asyncio.gather(*posts)

        responses = opening.portal.call(post_all)
        assert [r.status_code for r in responses] == [200] * len(items)
        assert sorted(r.json()["version"] for r in responses) == list(range(1, len(items) + 1))
        written = load_actuals(opening.file, opening.show.programme)
        assert sorted(m.item for m in written.marks) == sorted(items)
        started = {s["id"] for s in opening.state()["slots"] if s["actual_start"]}
        assert set(items) <= started


class TestUndo:
    def test_undo_takes_the_last_mark_out(self, opening: Live) -> None:
        """Undo after GO takes out the start GO made; the running item is running again."""
        opening.advance(minutes=2)
        opening.post("/api/go")
        opening.advance(minutes=10)
        opening.post("/api/go")
        state = opening.post("/api/undo").json()
        assert state["current"] is None  # overture is over, fireworks not started
        assert state["next"] == "tricolour-fireworks"
        state = opening.post("/api/undo").json()
        assert state["current"] == "overture"
        marks = load_actuals(opening.file, opening.show.programme).marks
        assert [(m.item, m.edge.value) for m in marks] == [("overture", "start")]

    def test_nothing_to_undo(self, opening: Live) -> None:
        """Undo with no mark is a 400, and makes no file."""
        response = opening.post("/api/undo")
        assert response.status_code == 400
        assert "nothing to undo" in response.json()["error"]
        assert not opening.file.exists()

    def test_undo_keeps_the_comments(self, tmp_path: Path) -> None:
        """In the example log, undo takes out the last line and keeps every comment."""
        programme = ceremony.load(OPENING)
        log = tmp_path / "opening.actuals.yaml"
        text = (EXAMPLES / "paralympic-opening.actuals.yaml").read_text(encoding="utf-8")
        log.write_text(text, encoding="utf-8")
        after, removed = undo_mark(log, programme)
        assert removed.item == "parade"
        assert log.read_text(encoding="utf-8") == text.replace(
            '  - {item: parade, edge: start, at: "20:26:20"}\n', ""
        )
        assert load_actuals(log, programme) == after

    @pytest.mark.parametrize("suffix", [".yaml", ".toml", ".json"])
    def test_undo_in_every_syntax(self, tmp_path: Path, suffix: str) -> None:
        """Record two marks, undo one: the file reads back as the first alone."""
        programme = ceremony.load(OPENING)
        log = tmp_path / f"log{suffix}"
        first = record_mark(log, programme, "overture", "start", "20:00")
        record_mark(log, programme, "overture", "end", "20:10")
        after, _ = undo_mark(log, programme)
        assert after == first == load_actuals(log, programme)
        after, _ = undo_mark(log, programme)
        assert load_actuals(log, programme).marks == ()


class TestExtend:
    def test_extend_the_running_item(self, opening: Live) -> None:
        """+2m on the running item moves its end and what follows; kept in the file."""
        opening.advance(minutes=2)
        opening.post("/api/go")
        before = opening.state()
        after = opening.post("/api/extend", {"by": "+2m"}).json()
        overture = [next(s for s in st["slots"] if s["id"] == "overture") for st in (before, after)]
        assert overture[0]["end"] == "2024-08-28T20:10:00+02:00"
        assert overture[1]["end"] == "2024-08-28T20:12:00+02:00"
        assert before["end"] != after["end"] or before["slots"] != after["slots"]
        written = load_actuals(opening.file, opening.show.programme)
        assert [(e.item, e.by) for e in written.extensions] == [("overture", timedelta(minutes=2))]
        assert written == opening.show.actuals
        assert_state_is_the_cli_timeline(opening, OPENING)

    def test_extensions_add_up_and_shorten(self, opening: Live) -> None:
        """+2m then -3m: a minute shorter than planned."""
        opening.advance(minutes=2)
        opening.post("/api/go")
        opening.post("/api/extend", {"item": "overture", "by": "+2m"})
        state = opening.post("/api/extend", {"item": "overture", "by": "-3m"}).json()
        slot = next(s for s in state["slots"] if s["id"] == "overture")
        assert slot["end"] == "2024-08-28T20:09:00+02:00"

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({"by": "+2m"}, "nothing is running"),
            ({"item": "overture", "by": "2 minutes"}, "is not a duration"),
            ({"item": "overture", "by": 2}, "'by' is text"),
            ({"item": "overture"}, "missing 'by'"),
            ({"item": "nobody", "by": "+1m"}, "no item 'nobody'"),
        ],
    )
    def test_refused_extensions(self, opening: Live, body: Any, message: str) -> None:
        """Each bad extension is a 400 naming the problem; nothing is written."""
        response = opening.post("/api/extend", body)
        assert response.status_code == 400
        assert message in response.json()["error"]
        assert not opening.file.exists()

    def test_an_item_that_is_over_cannot_be_extended(self, opening: Live) -> None:
        """Extending an item whose end is recorded is a 400."""
        opening.advance(minutes=12)
        opening.post("/api/go", {"at": "20:00"})
        opening.post("/api/go")
        before = opening.file.read_bytes()
        response = opening.post("/api/extend", {"item": "overture", "by": "+1m"})
        assert response.status_code == 400
        assert "is over" in response.json()["error"]
        assert opening.file.read_bytes() == before


class TestMessage:
    def test_set_and_clear(self, opening: Live) -> None:
        """The presenter's message is set, shown in the state, and cleared; no file written."""
        assert opening.post("/api/message", {"text": "wrap up"}).json()["message"] == "wrap up"
        assert opening.state()["message"] == "wrap up"
        assert opening.post("/api/message", {"text": "  "}).json()["message"] is None
        assert opening.post("/api/message", {"text": "again"}).status_code == 200
        assert opening.post("/api/message", {}).json()["message"] is None
        assert not opening.file.exists()

    def test_refused(self, opening: Live) -> None:
        """A message that is not text, or too long, is a 400."""
        assert opening.post("/api/message", {"text": 5}).status_code == 400
        assert opening.post("/api/message", {"text": "x" * 501}).status_code == 400


# --- access ------------------------------------------------------------------------------


class TestAccess:
    @pytest.mark.parametrize(
        ("host", "loopback"),
        [
            ("127.0.0.1", True),
            ("127.0.1.1", True),
            ("::1", True),
            ("[::1]", True),
            ("localhost", True),
            ("0.0.0.0", False),  # noqa: S104 - the address under test
            ("::", False),
            ("192.168.1.20", False),
            ("stage.example.org", False),
        ],
    )
    def test_loopback_addresses(self, host: str, loopback: bool) -> None:
        """Only loopback addresses go without a token."""
        assert is_loopback(host) is loopback
        token = access_token(host, None)
        assert (token is None) is loopback
        assert access_token(host, "given") == "given"

    def test_generated_tokens_differ(self) -> None:
        """Each server gets its own long random token."""
        first, second = access_token("0.0.0.0", None), access_token("0.0.0.0", None)  # noqa: S104
        assert first and second and first != second and len(first) >= 30

    def test_address(self) -> None:
        """IPv6 addresses are written in brackets."""
        assert address("::", 8000, "/caller") == "http://[::]:8000/caller"
        assert address("0.0.0.0", 80) == "http://0.0.0.0:80/"  # noqa: S104

    def test_every_post_needs_the_token(self, tmp_path: Path) -> None:
        """With a token: POSTs without it or with a wrong one are 401 and write nothing."""
        with start_live(OPENING, tmp_path / "a.yaml", token=TOKEN) as live_show:
            self.check_the_token(live_show)

    def check_the_token(self, live_show: Live) -> None:
        for path, body in [
            ("/api/go", None),
            ("/api/mark", {"item": "overture", "edge": "start"}),
            ("/api/undo", None),
            ("/api/extend", {"item": "overture", "by": "+1m"}),
            ("/api/message", {"text": "hi"}),
        ]:
            for headers in [
                {},
                {"Authorization": "Bearer wrong"},
                {"Authorization": TOKEN},
            ]:
                response = live_show.post(path, body, **headers)
                assert response.status_code == 401, (path, headers)
                assert response.headers["WWW-Authenticate"] == "Bearer"
        assert not live_show.file.exists()
        assert live_show.state()["version"] == 0  # reads are open
        good = live_show.post("/api/go", Authorization=f"Bearer {TOKEN}")
        assert good.status_code == 200
        assert "set-cookie" not in good.headers

    def test_the_token_is_checked_before_the_body(self, tmp_path: Path) -> None:
        """Without the token even bad JSON is a 401, not a 400."""
        with start_live(OPENING, tmp_path / "a.yaml", token=TOKEN) as live_show:
            assert live_show.request("POST", "/api/mark", b"{").status_code == 401


# --- the event stream --------------------------------------------------------------------


class TestBroadcaster:
    def test_first_message_then_each_published(self) -> None:
        """A client gets its first message at once, then what is published."""

        async def scenario() -> list[bytes]:
            clients = Broadcaster(heartbeat=5)
            stream = clients.messages(b"first")
            got = [await anext(stream)]
            assert len(clients) == 1
            clients.publish(b"second")
            got.append(await anext(stream))
            await stream.aclose()
            assert len(clients) == 0
            return got

        assert asyncio.run(scenario()) == [b"first", b"second"]

    def test_a_slow_client_gets_only_the_latest(self) -> None:
        """States published faster than a client reads collapse to the newest."""

        async def scenario() -> list[bytes]:
            clients = Broadcaster(heartbeat=5)
            stream = clients.messages(b"0")
            got = [await anext(stream)]
            for number in range(1, 6):
                clients.publish(str(number).encode())
            got.append(await anext(stream))
            await stream.aclose()
            return got

        assert asyncio.run(scenario()) == [b"0", b"5"]

    def test_heartbeat_when_quiet(self) -> None:
        """A quiet connection gets a heartbeat comment."""

        async def scenario() -> bytes:
            stream = Broadcaster(heartbeat=0.01).messages(b"first")
            await anext(stream)
            message = await anext(stream)
            await stream.aclose()
            return message

        assert asyncio.run(scenario()) == HEARTBEAT

    def test_encoded_as_one_event(self) -> None:
        """A state is one ``event: state`` with its JSON on one data line."""
        message = encode_state({"title": "Line one\nline two", "é": 1})
        assert message.startswith(b"event: state\ndata: {")
        assert message.endswith(b"}\n\n") and message.count(b"\n") == 3


class TestServerStream:
    def test_connected_clients_get_a_fresh_state_now_and_then(self, tmp_path: Path) -> None:
        """While clients are connected, the state is sent again every ``refresh`` seconds."""
        show = LiveShow(ceremony.load(OPENING), tmp_path / "a.yaml")
        clock = SetClock(BEFORE_THE_SHOW)
        app = create_app(show, clock, refresh=0.01)
        server = app.state.live

        async def scenario() -> list[dict[str, Any]]:
            stream = server.clients.messages(await server.first_message())
            refresher = asyncio.create_task(server.refresh_forever())
            first = await anext(stream)
            clock.advance(timedelta(minutes=5))
            second = await anext(stream)
            while second == first:  # the cached state, sent before the clock moved on
                second = await anext(stream)
            refresher.cancel()
            await stream.aclose()
            return [json.loads(m.split(b"data: ", 1)[1]) for m in (first, second)]

        first, second = asyncio.run(scenario())
        assert first["now"] == "2024-08-28T19:58:00+02:00"
        assert second["now"] == "2024-08-28T20:03:00+02:00"
        assert first["version"] == second["version"] == 0

    def test_marks_from_another_process_reach_the_clients(self, tmp_path: Path) -> None:
        """Once the server reads a mark ``ceremony record`` wrote, every client gets it."""
        show = LiveShow(ceremony.load(OPENING), tmp_path / "a.yaml")
        app = create_app(show, SetClock(BEFORE_THE_SHOW + timedelta(minutes=5)))
        server = app.state.live

        async def scenario() -> dict[str, Any]:
            stream = server.clients.messages(await server.first_message())
            await anext(stream)
            record_mark(show.actuals_file, show.programme, "overture", "start", "20:00")
            await server.state()
            message = await anext(stream)
            await stream.aclose()
            state: dict[str, Any] = json.loads(message.split(b"data: ", 1)[1])
            return state

        state = asyncio.run(scenario())
        assert state["version"] == 1 and state["current"] == "overture"

    def test_public_clients_get_the_public_state(self, tmp_path: Path) -> None:
        """``/api/events?public=1``: each new state, without crew titles, cues or message."""
        show = LiveShow(ceremony.load(OPENING), tmp_path / "a.yaml")
        clock = SetClock(BEFORE_THE_SHOW + timedelta(minutes=2))
        server = create_app(show, clock).state.live
        crew_title = "Stage crew clears the dance floor"

        async def scenario() -> list[bytes]:
            public = server.public_clients.messages(await server.first_message(public=True))
            whole = server.clients.messages(await server.first_message())
            first = await anext(public)
            await anext(whole)
            await server.change(lambda now: show.mark("stage-clear", "start", None, now))
            await server.change(lambda _: show.set_message("Crew: reset"))
            messages = [first, await anext(public), await anext(whole)]
            await public.aclose()
            await whole.aclose()
            return messages

        first, public, whole = asyncio.run(scenario())
        assert crew_title.encode() not in first and crew_title.encode() not in public
        assert b"stage-clear" not in public and b"Crew: reset" not in public
        assert crew_title.encode() in whole and b"Crew: reset" in whole
        state = json.loads(public.split(b"data: ", 1)[1])
        assert state["version"] == 2 and state["current"] is None and state["cues"] == []

    def test_home_leads_to_the_state_without_screens(self, opening: Live) -> None:
        """``/`` redirects to the caller's screen, or to the state when no screens are mounted."""
        response = opening.request("GET", "/")
        assert response.status_code in {302, 307}
        assert response.headers["location"] == "/api/state"


# --- publishing the site ------------------------------------------------------------------


class TestPublisher:
    def test_changes_are_coalesced_and_the_last_is_published(self) -> None:
        """Many changes in a burst make few builds; the last build sees the last change."""
        built: list[int] = []

        async def scenario() -> None:
            version = 0

            def build(actuals: Actuals, _: datetime) -> None:
                built.append(len(actuals.marks))

            def snapshot() -> tuple[Actuals, datetime]:
                marks = [
                    ceremony.ActualMark(item="a", edge=ceremony.MarkEdge.START, at=BEFORE_THE_SHOW)
                ] * version
                return Actuals(marks=marks), BEFORE_THE_SHOW

            publisher = SitePublisher(build, snapshot, every=0.2)
            task = asyncio.create_task(publisher.run())
            for version in range(1, 11):  # noqa: B007 - read by snapshot
                publisher.changed()
                await asyncio.sleep(0.03)
            await asyncio.sleep(0.5)
            task.cancel()
            assert publisher.builds == len(built)

        asyncio.run(scenario())
        assert 1 <= len(built) <= 3
        assert built[-1] == 10

    def test_a_failed_build_is_logged_and_the_next_change_builds(
        self, caplog: pytest.LogCaptureFixture
    ) -> None:
        """A build that raises is logged; the publisher goes on."""
        calls: list[int] = []

        def build(_: Actuals, __: datetime) -> None:
            calls.append(1)
            if len(calls) == 1:
                raise ceremony.errors.WriteError(28, "No space left on device", "/site")

        async def scenario() -> SitePublisher:
            publisher = SitePublisher(build, lambda: (Actuals(), BEFORE_THE_SHOW), every=0)
            task = asyncio.create_task(publisher.run())
            publisher.changed()
            await asyncio.sleep(0.1)
            publisher.changed()
            await asyncio.sleep(0.1)
            task.cancel()
            return publisher

        with caplog.at_level(logging.ERROR, logger="ceremony.live"):
            publisher = asyncio.run(scenario())
        assert (publisher.failures, publisher.builds) == (1, 1)
        assert "publishing the site failed" in caplog.text

    def test_the_live_site_is_built_with_the_projection(self, tmp_path: Path) -> None:
        """``--publish``: the app's publisher builds the site from the show's actuals."""
        programme = ceremony.load(OPENING)
        show = LiveShow(programme, tmp_path / "a.yaml")
        clock = SetClock(BEFORE_THE_SHOW + timedelta(minutes=30))
        site = tmp_path / "site"
        build = site_builder(programme, site)
        app = create_app(
            show, clock, publisher=lambda server: SitePublisher(build, server.snapshot, every=0)
        )
        server = app.state.live

        async def scenario() -> None:
            async with app.router.lifespan_context(app):
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                    await client.post("/api/go", json={"at": "20:05"})
                for _ in range(200):
                    if server.publisher.builds >= 2:
                        break
                    await asyncio.sleep(0.05)

        asyncio.run(scenario())
        assert server.publisher.builds >= 1 and server.publisher.failures == 0
        assert (site / "index.html").exists()
        feed = next(site.rglob("*.ics")).read_text(encoding="utf-8")
        assert "BEGIN:VCALENDAR" in feed


# --- the command ------------------------------------------------------------------------------


class TestCommand:
    def test_without_the_live_extra(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without uvicorn: exit 2 and say which extra to install."""
        monkeypatch.setitem(sys.modules, "uvicorn", None)
        result = CliRunner().invoke(live, [str(OPENING)])
        assert result.exit_code == 2
        assert "pip install 'ceremony-timeline[live]'" in result.output

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["--clock", "not a time"], "not a date"),
            (["--ceremony", "nope"], "nope"),
            (["--tz", "Mars/Olympus"], "Mars/Olympus"),
        ],
    )
    def test_bad_options_exit_2(self, tmp_path: Path, args: list[str], message: str) -> None:
        """A clock, ceremony or zone that cannot be read: exit 2 with the reason."""
        actuals = tmp_path / "a.yaml"
        result = CliRunner().invoke(live, [str(OPENING), "--actuals", str(actuals), *args])
        assert result.exit_code == 2
        assert message in result.output
        assert not actuals.exists()

    def test_a_log_of_another_ceremony_is_refused(self, tmp_path: Path) -> None:
        """An actuals file kept for another ceremony is an error, not mixed in."""
        log = tmp_path / "a.yaml"
        log.write_text("ceremony: other\nmarks: []\n", encoding="utf-8")
        result = CliRunner().invoke(live, [str(OPENING), "--actuals", str(log)])
        assert result.exit_code == 2

    def test_the_banner(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Bound to all addresses: the caller's address, a new token, and the site published."""
        served: list[dict[str, Any]] = []
        monkeypatch.setattr(uvicorn, "run", lambda _app, **options: served.append(options))
        args = [str(OPENING), "--actuals", str(tmp_path / "a.yaml"), "--host", "0.0.0.0"]  # noqa: S104
        args += ["--port", "9123", "--publish", str(tmp_path / "site")]
        result = CliRunner().invoke(live, args)
        assert result.exit_code == 0, result.output
        assert "Caller: http://0.0.0.0:9123/caller" in result.output
        token = result.output.split("Authorization: Bearer TOKEN): ", 1)[1].split()[0]
        assert len(token) >= 30
        assert "Publishing" in result.output
        assert served == [{"host": "0.0.0.0", "port": 9123, "log_level": "warning"}]  # noqa: S104

    def test_a_clock_behind_the_file_is_warned_of(self, tmp_path: Path) -> None:
        """Restarted with --clock before marks the file holds: a warning says they are unseen."""
        log = tmp_path / "a.yaml"
        record_mark(log, ceremony.load(OPENING), "overture", "start", "20:05")
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(uvicorn, "run", lambda *_, **__: None)
            args = [str(OPENING), "--actuals", str(log), "--clock", "20:00"]
            result = CliRunner().invoke(live, args)
        assert result.exit_code == 0, result.output
        assert "warning:" in result.output and "after the clock's start" in result.output
        assert "Token" not in result.output  # 127.0.0.1: no token

    def test_a_rehearsal_marks_its_own_file(self, tmp_path: Path) -> None:
        """``--clock`` without ``--actuals``: marks go to FILE.rehearsal.actuals.yaml, resumed."""
        show = tmp_path / "paralympic-opening.yaml"
        shutil.copy(OPENING, show)
        real = tmp_path / "paralympic-opening.actuals.yaml"
        shutil.copy(EXAMPLES / "paralympic-opening.actuals.yaml", real)
        before = real.read_bytes()
        rehearsal = tmp_path / "paralympic-opening.rehearsal.actuals.yaml"
        apps: list[Starlette] = []

        def run(*args: str) -> str:
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(uvicorn, "run", lambda app, **_: apps.append(app))
                result = CliRunner().invoke(live, [str(show), *args])
            assert result.exit_code == 0, result.output
            return result.output

        output = run("--clock", "2024-08-28T19:58+02:00")
        assert "rehearsal marks in" in output and rehearsal.name in output
        assert "made at the first mark" in output and "warning" not in output
        server = apps[-1].state.live
        assert server.show.actuals_file == rehearsal
        assert not server.show.actuals.marks  # a clean start, not the show's real marks
        state = asyncio.run(server.change(lambda now: server.show.go(None, now))).state
        assert state["current"] == "overture"
        assert real.read_bytes() == before
        assert rehearsal.exists()
        run("--clock", "2024-08-28T20:05+02:00")  # the same rehearsal again: resumed
        assert [m.item for m in apps[-1].state.live.show.actuals.marks] == ["overture"]
        mine = tmp_path / "mine.yaml"
        run("--clock", "20:05", "--actuals", str(mine))  # --actuals wins
        assert apps[-1].state.live.show.actuals_file == mine
        run()  # the machine's clock: the show's own actuals
        assert apps[-1].state.live.show.actuals_file == real
        assert real.read_bytes() == before

    def test_running_clock_runs(self) -> None:
        """``--clock``: starts at the instant given and moves on at real speed."""
        clock = RunningClock(BEFORE_THE_SHOW)
        first = clock.now()
        assert timedelta(0) <= first - BEFORE_THE_SHOW < timedelta(seconds=5)
        assert clock.now() >= first

    def test_naive_clock_is_refused(self) -> None:
        """A clock needs an aware instant."""
        with pytest.raises(ceremony.errors.ModelError):
            SetClock(datetime(2024, 8, 28, 20, 0))


def test_a_bare_rehearsal_clock_is_on_the_ceremonys_day() -> None:
    """`--clock 19:58` for a 20:00 show is two minutes before it, not the next evening
    (as `record --at 19:58` would read it); after the start it is read as `record` does."""
    from ceremony.cli.live import REHEARSAL_LEAD  # noqa: PLC0415 - the option's own constant
    from ceremony.io.actualsfile import parse_time  # noqa: PLC0415

    programme = ceremony.load(OPENING)
    assert parse_time("19:58", programme, lead=REHEARSAL_LEAD) == BEFORE_THE_SHOW
    assert parse_time("19:58", programme) == BEFORE_THE_SHOW + timedelta(days=1)
    assert parse_time("00:30", programme, lead=REHEARSAL_LEAD).day == 29
