"""What ``ceremony serve`` answers per second on ``/feed.ics?sport=...``.

On two sites: the example ``examples/paralympians-aze-kaz.yaml`` and a generated programme
of ``--sessions`` sessions (40 sports). Requests go in process, one after another, through
httpx's ASGI transport (no sockets: the figures are the app's own cost). Per site, as
medians of ``--runs`` runs of ``--requests`` requests each:

- ``made each time``: unconditional, with the feed cache off (what every request cost
  before the cache: the feed serialized again);
- ``unconditional``: the same request again, answered from the cache;
- ``conditional``: with ``If-None-Match`` holding the feed's ETag, answered 304.

Ratios printed: conditional / made each time (target: at least 10) and conditional /
unconditional.

Then the latency of requests while a site of ``--reload-sessions`` sessions (default
20,000) is rebuilt and swapped in: the rebuild runs in another process, as ``ceremony
site`` does, while one client sends requests one after another (a dynamic feed, a 304,
the index). Printed: p50, p99 and the slowest request before the rebuild, while the
server reads the new build (in its worker thread), and in the seconds after the swap (the
new build's feed cache starts empty); how long the reload took; and how long reading
the new build takes when timed alone (what every request waited while a server reading
it on its event loop did).

Run: ``python benchmarks/bench_serve.py`` (``--requests 50 --runs 1 --reload-sessions
2000`` for a quick look).
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import attrs
import httpx
from bench_feeds import generated
from starlette.applications import Starlette

import ceremony
from ceremony import Programme, serve
from ceremony.serve import _load_snapshot, create_app
from ceremony.site import build_site

EXAMPLE = Path(__file__).resolve().parents[1] / "examples/paralympians-aze-kaz.yaml"
NOW = datetime(2024, 7, 20, tzinfo=UTC)


async def rate(app: Starlette, path: str, requests: int, headers: dict[str, str]) -> float:
    """Requests per second for ``requests`` GETs of ``path``, one after another."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        expected = 304 if headers else 200
        started = time.perf_counter()
        for _ in range(requests):
            response = await client.get(path, headers=headers)
            if response.status_code != expected:
                raise SystemExit(f"{path}: {response.status_code}, not {expected}")
        return requests / (time.perf_counter() - started)


def median_rate(app: Starlette, path: str, requests: int, runs: int, **headers: str) -> float:
    return statistics.median(asyncio.run(rate(app, path, requests, headers)) for _ in range(runs))


def measure(name: str, programme: Programme, path: str, requests: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "site"
        build_site(programme, root, now=NOW)
        app = create_app(root)
        cache = serve.FEED_CACHE_ENTRIES
        serve.FEED_CACHE_ENTRIES = 0
        try:
            made = median_rate(app, path, requests, runs)
        finally:
            serve.FEED_CACHE_ENTRIES = cache
        first = asyncio.run(
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app)).get("http://bench" + path)
        )
        unconditional = median_rate(app, path, requests, runs)
        conditional = median_rate(
            app, path, requests, runs, **{"If-None-Match": first.headers["etag"]}
        )
    print(f"\n{name}: GET {path} ({len(first.content):,} bytes)")
    print(f"  made each time      {made:10,.0f} requests/s")
    print(f"  unconditional       {unconditional:10,.0f} requests/s (cached bytes)")
    print(f"  conditional (304)   {conditional:10,.0f} requests/s")
    print(f"  conditional / made each time   {conditional / made:6.1f}x (target: at least 10x)")
    print(f"  conditional / unconditional    {conditional / unconditional:6.1f}x")


RELOAD_PATHS = ("/feed.ics?sport=sport-1", "/feed.ics?sport=sport-2", "/index.html")
"""What the client asks for during the rebuild, in turn (the second with its ETag: a 304)."""


def rebuilt(sessions: int) -> Programme:
    """The generated programme with every 50th session moved to a final: a new build."""
    programme = generated(sessions)
    moved = [
        attrs.evolve(session, phase="final") if index % 50 == 1 else session
        for index, session in enumerate(programme.sessions)
    ]
    return attrs.evolve(programme, revision="2", sessions=moved)


@attrs.define
class Timings:
    """Request latencies (seconds) by when they were sent, and when the reload ran."""

    before: list[float] = attrs.field(factory=list)
    during: list[float] = attrs.field(factory=list)
    after: list[float] = attrs.field(factory=list)
    reload_seconds: float = 0.0


async def during_rebuild(app: Starlette, root: Path, sessions: int, steady: float) -> Timings:
    """Requests one after another: ``steady`` seconds, then through a rebuild and after it."""
    site = app.state.site
    timings = Timings()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        first = await client.get(RELOAD_PATHS[1])
        tags = {RELOAD_PATHS[1]: first.headers["etag"]}
        old = (await client.get(RELOAD_PATHS[0])).headers["etag"]

        async def one(index: int) -> float:
            path = RELOAD_PATHS[index % len(RELOAD_PATHS)]
            headers = {"If-None-Match": tags[path]} if path in tags else {}
            started = time.perf_counter()
            response = await client.get(path, headers=headers)
            if response.status_code not in {200, 304}:
                raise SystemExit(f"{path}: {response.status_code}")
            return time.perf_counter() - started

        index = 0
        ends = time.perf_counter() + steady
        while time.perf_counter() < ends:
            timings.before.append(await one(index))
            index += 1
        command = [sys.executable, __file__, "--rebuild", str(root), "--reload-sessions"]
        rebuild = subprocess.Popen([*command, str(sessions)])  # noqa: S603 - this very script
        reload_started: float | None = None
        after_swap: float | None = None
        deadline = time.perf_counter() + 600
        while after_swap is None or time.perf_counter() < after_swap + steady:
            reading = site.reading
            latency = await one(index)
            index += 1
            if reading or site.reading:
                reload_started = reload_started or time.perf_counter() - latency
                timings.during.append(latency)
            elif after_swap is not None:
                timings.after.append(latency)
            elif rebuild.poll() is not None:
                if rebuild.returncode != 0:
                    raise SystemExit(f"the rebuild failed ({rebuild.returncode})")
                if (await client.get(RELOAD_PATHS[0])).headers["etag"] != old:
                    after_swap = time.perf_counter()
                    timings.reload_seconds = after_swap - (reload_started or after_swap)
                elif time.perf_counter() > deadline:
                    raise SystemExit("the new build was never served")
    return timings


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure_reload(sessions: int, steady: float) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "site"
        build_site(generated(sessions), root, now=NOW)
        started = time.perf_counter()
        _load_snapshot(root)
        blocking = time.perf_counter() - started
        timings = asyncio.run(during_rebuild(create_app(root), root, sessions, steady))
    print(f"\ngenerated, {sessions:,} sessions: rebuilt in another process and swapped in")
    print(f"  {'requests':<28}{'count':>7}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}")
    for name, values in (
        ("before the rebuild", timings.before),
        ("while the new build is read", timings.during),
        (f"{steady:g} s after the swap", timings.after),
    ):
        if values:
            figures = [percentile(values, share) * 1000 for share in (0.5, 0.99, 1.0)]
            print(f"  {name:<28}{len(values):>7,}" + "".join(f"{f:>10.1f}" for f in figures))
    print(f"  reload in the worker thread   {timings.reload_seconds:6.2f} s (requests answered)")
    print(f"  reading the build on its own  {blocking:6.2f} s (a reload on the event loop")
    print("                                         held every request that long)")


def rebuild_site(root: Path, sessions: int) -> None:
    """The rebuild ``measure_reload`` runs in another process."""
    build_site(rebuilt(sessions), root, now=NOW)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=2_000, help="generated sessions")
    parser.add_argument("--requests", type=int, default=500, help="requests per run")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    parser.add_argument(
        "--reload-sessions", type=int, default=20_000, help="sessions of the rebuilt site"
    )
    parser.add_argument(
        "--steady", type=float, default=2.0, help="seconds of requests before and after"
    )
    parser.add_argument("--rebuild", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rebuild is not None:
        rebuild_site(args.rebuild, args.reload_sessions)
        return
    version = f"Python {platform.python_version()}, {platform.machine()}"
    print(
        f"{version}, ceremony {ceremony.__version__}; medians of {args.runs} runs"
        f" of {args.requests} requests, in process (httpx ASGI)"
    )
    example = ceremony.load(EXAMPLE)
    measure(EXAMPLE.name, example, "/feed.ics?sport=para-swimming", args.requests, args.runs)
    measure(
        f"generated, {args.sessions:,} sessions",
        generated(args.sessions),
        "/feed.ics?sport=sport-1",
        args.requests,
        args.runs,
    )
    measure_reload(args.reload_sessions, args.steady)


if __name__ == "__main__":
    main()
