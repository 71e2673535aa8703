"""``ceremony live`` as a real server: killed mid-burst, many stream clients, a public bind.

Each test starts the command in its own process (uvicorn on 127.0.0.1, a free port) and
talks to it over HTTP, as a show-control button or a screen would.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

import ceremony
from ceremony.export.timeline import timeline_to_dict
from ceremony.io.actualsfile import load_actuals
from ceremony.zones import zone

from .conftest import EXAMPLES

OPENING = EXAMPLES / "paralympic-opening.yaml"
PARIS = zone("Europe/Paris")
SHOW_START = datetime(2024, 8, 28, 20, 0, tzinfo=PARIS)
LAUNCH = "from ceremony.cli.live import live; live()"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def server(
    actuals: Path, clock: datetime, *, host: str = "127.0.0.1", extra: tuple[str, ...] = ()
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``ceremony live`` running in a child process; its base URL and the process."""
    port = free_port()
    command = [sys.executable, "-c", LAUNCH, str(OPENING), "--actuals", str(actuals)]
    command += ["--host", host, "--port", str(port), "--clock", clock.isoformat(), *extra]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            if process.poll() is not None:
                pytest.fail(f"ceremony live exited: {process.communicate()[1]}")
            try:
                httpx.get(f"{base}/api/state", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        else:
            pytest.fail("ceremony live did not answer")
        yield base, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        process.communicate()


def state_from_file(actuals: Path, now: str) -> dict[str, Any]:
    """The timeline JSON of the show as the file has it, at the instant ``now`` (ISO)."""
    programme = ceremony.load(OPENING)
    log = load_actuals(actuals, programme)
    timeline = ceremony.resolve(programme, actuals=log, now=datetime.fromisoformat(now))
    return timeline_to_dict(timeline, programme=programme)


def test_kill_9_mid_burst_loses_no_acknowledged_mark(tmp_path: Path) -> None:
    """Killed at random moments while marks pour in, restarted: every acknowledged mark is there."""
    actuals = tmp_path / "opening.actuals.yaml"
    items = [segment.id for _, segment in ceremony.load(OPENING).ceremonies[0].walk()]
    acknowledged: list[tuple[str, str]] = []
    sent = 0
    chooser = random.Random(16)  # noqa: S311 - reproducible timings, not secrets
    for round_number in range(5):
        clock = SHOW_START + timedelta(hours=1, minutes=10 * round_number)
        with server(actuals, clock) as (base, process):
            stop = threading.Event()
            lock = threading.Lock()

            def post_marks(
                first: int,
                stop: threading.Event = stop,
                base: str = base,
                lock: threading.Lock = lock,
            ) -> None:
                with httpx.Client(base_url=base, timeout=5) as client:
                    for number in range(first, first + 10_000, 4):
                        if stop.is_set():
                            return
                        at = (SHOW_START + timedelta(milliseconds=number)).isoformat()
                        body = {"item": items[number % len(items)], "edge": "start", "at": at}
                        try:
                            response = client.post("/api/mark", json=body)
                        except httpx.TransportError:
                            return  # killed: this one was never acknowledged
                        if response.status_code == 200:
                            with lock:
                                acknowledged.append((body["item"], at))

            writers = [
                threading.Thread(target=post_marks, args=(sent + offset,)) for offset in range(4)
            ]
            for writer in writers:
                writer.start()
            time.sleep(chooser.uniform(0.3, 1.2))
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            stop.set()
            for writer in writers:
                writer.join()
            sent += 10_000
        programme = ceremony.load(OPENING)
        written = {
            (mark.item, mark.at.isoformat()) for mark in load_actuals(actuals, programme).marks
        }
        missing = [mark for mark in acknowledged if mark not in written]
        assert missing == [], f"round {round_number}: acknowledged but lost: {missing[:5]}"
    assert len(acknowledged) > 20  # the bursts did get marks through
    with server(actuals, SHOW_START + timedelta(hours=3)) as (base, _):
        state = httpx.get(f"{base}/api/state").json()
    expected = state_from_file(actuals, state["now"])
    assert {key: state[key] for key in expected} == expected


def test_twenty_marks_posted_at_once_are_all_kept(tmp_path: Path) -> None:
    """20 clients post a mark each at the same moment: 20 answers, 20 marks in the file."""
    actuals = tmp_path / "opening.actuals.yaml"
    items = [segment.id for _, segment in ceremony.load(OPENING).ceremonies[0].walk()][:17]
    marks = [
        {"item": items[n % len(items)], "edge": "start", "at": f"20:00:{n:02d}"} for n in range(20)
    ]
    with server(actuals, SHOW_START + timedelta(hours=1)) as (base, _):

        async def post_all() -> list[httpx.Response]:
            async with httpx.AsyncClient(base_url=base, timeout=10) as client:
                return await asyncio.gather(*(client.post("/api/mark", json=m) for m in marks))

        responses = asyncio.run(post_all())
        assert [r.status_code for r in responses] == [200] * 20
        state = httpx.get(f"{base}/api/state").json()
    assert sorted(r.json()["version"] for r in responses) == list(range(1, 21))
    written = load_actuals(actuals, ceremony.load(OPENING)).marks
    assert sorted((m.item, m.at.strftime("%S")) for m in written) == sorted(
        (m["item"], m["at"][-2:]) for m in marks
    )
    assert state["version"] == 20


async def _read_events(
    client: httpx.AsyncClient, wanted: int, ready: asyncio.Event | None = None
) -> list[dict[str, Any]]:
    """Read the event stream until a state of version ``wanted`` arrives; the states read."""
    states: list[dict[str, Any]] = []
    async with client.stream("GET", "/api/events") as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        data: list[str] = []
        async for line in response.aiter_lines():
            if line.startswith("data: "):
                data.append(line[len("data: ") :])
            elif line == "" and data:
                states.append(json.loads("\n".join(data)))
                data = []
                if ready is not None and len(states) == 1:
                    ready.set()
                if states[-1]["version"] >= wanted:
                    return states
    return states


def test_the_event_stream_reaches_200_clients(tmp_path: Path) -> None:
    """200 connected clients get the state at once, then the change a GO makes."""
    actuals = tmp_path / "opening.actuals.yaml"
    with server(actuals, SHOW_START - timedelta(minutes=1)) as (base, _):

        async def scenario() -> list[list[dict[str, Any]]]:
            limits = httpx.Limits(max_connections=250, max_keepalive_connections=0)
            async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
                ready = [asyncio.Event() for _ in range(200)]
                readers = [
                    asyncio.create_task(_read_events(client, 1, ready[n])) for n in range(200)
                ]
                await asyncio.wait_for(asyncio.gather(*(r.wait() for r in ready)), 30)
                answer = await client.post("/api/go")
                assert answer.status_code == 200
                return await asyncio.wait_for(asyncio.gather(*readers), 30)

        received = asyncio.run(scenario())
    assert len(received) == 200
    for states in received:
        assert states[0]["version"] == 0 and states[0]["current"] is None
        assert states[-1]["version"] == 1 and states[-1]["current"] == "overture"


def test_a_public_bind_needs_the_printed_token(tmp_path: Path) -> None:
    """Bound to 0.0.0.0: a token is made and printed with the caller's address; POSTs need it."""
    actuals = tmp_path / "opening.actuals.yaml"
    with server(actuals, SHOW_START, host="0.0.0.0") as (base, process):  # noqa: S104
        assert httpx.post(f"{base}/api/go").status_code == 401
        wrong = {"Authorization": "Bearer not-the-token"}
        assert httpx.post(f"{base}/api/go", headers=wrong).status_code == 401
        assert httpx.get(f"{base}/api/state").status_code == 200  # reads are open
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        banner = process.communicate()[1]
    assert "/caller" in banner and "http://0.0.0.0:" in banner
    token = banner.split("Authorization: Bearer TOKEN): ", 1)[1].split()[0]
    assert not actuals.exists()
    with server(actuals, SHOW_START, host="0.0.0.0", extra=("--token", token)) as (base, _):  # noqa: S104
        good = {"Authorization": f"Bearer {token}"}
        assert httpx.post(f"{base}/api/go", headers=good).status_code == 200
        assert httpx.post(f"{base}/api/undo").status_code == 401
    assert len(load_actuals(actuals, ceremony.load(OPENING)).marks) == 1
