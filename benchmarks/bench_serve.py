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

Run: ``python benchmarks/bench_serve.py`` (``--requests 50 --runs 1`` for a quick look).
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
from bench_feeds import generated
from starlette.applications import Starlette

import ceremony
from ceremony import Programme, serve
from ceremony.serve import create_app
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=2_000, help="generated sessions")
    parser.add_argument("--requests", type=int, default=500, help="requests per run")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
