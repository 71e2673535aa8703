"""How ``ceremony live`` keeps up: many screens on the event stream, and a big show.

Measured:

- ``POST to the last client``: ``ceremony live`` runs in a child process (uvicorn, the
  example Paralympic opening); ``--clients`` screens hold ``GET /api/events`` open (plain
  asyncio sockets, so the clients cost little); each of ``--posts`` POSTs is timed from
  just before it is sent until the last screen has read the state it made. Two kinds:
  ``/api/message`` (no file written) and ``/api/mark`` (the mark written and synced to
  disk first). Median and p99 (target: p99 under 100 ms with 500 clients).
- ``memory per client``: the server's resident memory with the clients connected, less
  before they connected, divided by their number.
- ``re-resolve after one mark``: a generated show of ``--items`` segments (the shows of
  ``bench_resolve.py``): one more mark, resolved again through the live show's
  ``Rundown`` (target: under 10 ms at 1,000 items); and the whole state a POST answers
  with (resolve, the JSON-ready state, the encoded event).

Run: ``python benchmarks/bench_live.py`` (``--clients 50 --posts 5 --items 200`` for a
quick look, as CI does).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs
from bench_resolve import generate

import ceremony
from ceremony.live.show import LiveShow
from ceremony.live.stream import encode_state

ROOT = Path(__file__).resolve().parent.parent
SHOW = ROOT / "examples" / "paralympic-opening.yaml"
LAUNCH = "from ceremony.cli.live import live; live()"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def rss_kib(pid: int) -> int:
    """Resident memory of process ``pid`` in KiB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


class Screen:
    """One event-stream client on a raw socket: notes when each version arrives."""

    def __init__(self) -> None:
        self.seen: dict[int, float] = {}
        self.arrived = asyncio.Event()
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def connect(self, port: int) -> None:
        self._reader, self._writer = await asyncio.open_connection("127.0.0.1", port)
        self._writer.write(
            b"GET /api/events HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n"
        )
        await self._writer.drain()

    async def read(self) -> None:
        assert self._reader is not None
        while True:
            line = await self._reader.readline()
            if not line:
                return
            at = line.find(b'"version":')
            if line.startswith(b"data: ") and at >= 0:
                end = at + len(b'"version":')
                number = int(line[end : line.index(b"}", end)].split(b",")[0])
                self.seen[number] = time.perf_counter()
                self.arrived.set()

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()


def post(port: int, path: str, body: dict[str, str]) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
        version: int = json.loads(answer.read())["version"]
        return version


async def stream_latency(port: int, pid: int, clients: int, posts: int) -> dict[str, float]:
    """Latencies (ms) from a POST to the last screen, and the memory each screen costs."""
    before = rss_kib(pid)
    screens = [Screen() for _ in range(clients)]
    for start in range(0, clients, 50):  # connect in batches, as screens would come up
        await asyncio.gather(*(s.connect(port) for s in screens[start : start + 50]))
    readers = [asyncio.create_task(s.read()) for s in screens]
    await asyncio.wait_for(asyncio.gather(*(s.arrived.wait() for s in screens)), 60)
    await asyncio.sleep(0.5)
    after = rss_kib(pid)
    figures: dict[str, float] = {"memory": (after - before) / clients}
    for kind in ("message", "mark"):
        latencies = []
        for number in range(posts):
            if kind == "message":
                path, body = "/api/message", {"text": f"message {number}"}
            else:
                at = datetime(2024, 8, 28, 18, 0, tzinfo=UTC) + timedelta(seconds=number)
                path, body = "/api/mark", {"item": "parade", "edge": "start", "at": at.isoformat()}
            began = time.perf_counter()
            version = await asyncio.to_thread(post, port, path, body)
            while not all(version in s.seen for s in screens):
                await asyncio.sleep(0.0005)
            latencies.append((max(s.seen[version] for s in screens) - began) * 1000)
            await asyncio.sleep(0.02)
        latencies.sort()
        figures[f"{kind} median"] = statistics.median(latencies)
        figures[f"{kind} p99"] = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    for screen in screens:
        screen.close()
    for reader in readers:
        reader.cancel()
    await asyncio.gather(*readers, return_exceptions=True)
    return figures


def measure_stream(clients: int, posts: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        command = [sys.executable, "-c", LAUNCH, str(SHOW), "--port", str(port)]
        command += ["--actuals", str(Path(folder) / "bench.actuals.yaml")]
        command += ["--clock", "2024-08-28T21:00+02:00"]
        server = subprocess.Popen(command, stderr=subprocess.DEVNULL, start_new_session=True)  # noqa: S603
        try:
            for _ in range(200):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/api/state", timeout=1)
                    break
                except OSError:
                    time.sleep(0.05)
            return asyncio.run(stream_latency(port, server.pid, clients, posts))
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait()


def measure_resolve(items: int, runs: int) -> dict[str, float]:
    """Re-resolve after one mark, and a whole state, on a generated show (ms, medians)."""
    show = generate(items)
    programme = ceremony.Programme(name="Benchmark", ceremonies=[show])
    plan = ceremony.resolve(programme)
    leaves = [slot for slot in plan.slots if slot.kind != "act"]
    middle = leaves[len(leaves) // 2]
    now = middle.start.expected + timedelta(minutes=1)
    with tempfile.TemporaryDirectory() as folder:
        live = LiveShow(programme, Path(folder) / "bench.actuals.yaml")
        log = ceremony.Actuals(ceremony=show.id)
        for slot in leaves:
            if slot.end.expected < middle.start.expected:
                log = log.record(slot.id, ceremony.MarkEdge.START, slot.start.expected)
                log = log.record(slot.id, ceremony.MarkEdge.END, slot.end.expected)
        one_more = log.record(middle.id, ceremony.MarkEdge.START, middle.start.expected)
        resolve_times, state_times = [], []
        for _ in range(runs):
            live.actuals = log
            live.rundown.resolve(log, now)  # the state before the new mark
            began = time.perf_counter()
            live.rundown.resolve(one_more, now)
            resolve_times.append(time.perf_counter() - began)
            live.actuals = attrs.evolve(one_more)  # a new log: resolved, not the last timeline
            live.rundown.resolve(log, now)
            began = time.perf_counter()
            encode_state(live.state(now))
            state_times.append(time.perf_counter() - began)
    return {
        "items": len(plan.slots),
        "marks": len(one_more.marks),
        "re-resolve": statistics.median(resolve_times) * 1000,
        "state": statistics.median(state_times) * 1000,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=500, help="event-stream clients")
    parser.add_argument("--posts", type=int, default=100, help="POSTs timed per kind")
    parser.add_argument("--items", type=int, default=1_000, help="segments of the big show")
    parser.add_argument("--runs", type=int, default=20, help="runs per resolve figure")
    args = parser.parse_args(argv)
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    stream = measure_stream(args.clients, args.posts)
    print()
    print(f"| {args.clients} clients, {args.posts} POSTs each | median | p99 |")
    print("| --- | ---: | ---: |")
    for kind in ("message", "mark"):
        print(
            f"| POST /api/{kind} to the last client | {stream[f'{kind} median']:.1f} ms "
            f"| {stream[f'{kind} p99']:.1f} ms |"
        )
    print(f"\nmemory per connected client: {stream['memory']:.1f} KiB")
    resolved = measure_resolve(args.items, args.runs)
    print(
        f"\n{args.items:,} segments ({resolved['items']:,.0f} items, {resolved['marks']:,.0f} "
        f"marks): re-resolve after one mark {resolved['re-resolve']:.1f} ms; "
        f"the whole state (resolve, JSON-ready, encoded) {resolved['state']:.1f} ms"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
