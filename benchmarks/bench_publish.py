"""What a rebuild of the feed site costs against loading the show file it is made from.

On bench_feeds' generated programme (``--sizes``, default 20,000 and 100,000 sessions),
written as a JSON show file. Medians of ``--runs`` in one process:

- ``load``: ``ceremony.load`` of the JSON show file;
- ``fresh build``: ``build_site`` into a new folder (no publish state);
- ``rebuild, no change``: ``build_site`` again over its own state, the same programme;
- ``rebuild, 1 moved``: ``build_site`` over its state after one session moved 15 minutes
  (alternating with the original, so every run moves it).

Printed: the ratios rebuild / load (targets: one change at most 1.5, no change at most
1.2), the peak memory of a fresh build (RSS of a fresh process that loads the show file
and builds the site, by ``resource.getrusage``; target for 100,000 sessions: under
600 MB), and the publish state's size against the master feed's (``all.ics``).

Run: ``python benchmarks/bench_publish.py`` (``--sizes 2000 --runs 1`` for a quick look).
"""

from __future__ import annotations

import argparse
import gc
import platform
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import attrs
from bench_feeds import NOW, generated

import ceremony
from ceremony.site import build_site, state_path

PEAK = textwrap.dedent(
    """
    import resource, sys
    from datetime import UTC, datetime
    import ceremony
    from ceremony.site import build_site
    programme = ceremony.load(sys.argv[1])
    build_site(programme, sys.argv[2], now=datetime(2024, 7, 20, tzinfo=UTC))
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    """
)
"""Loads the show file and builds its site; prints the peak RSS in KiB (Linux)."""


def median_seconds(work: Callable[[], object], runs: int) -> float:
    """The median wall-clock time of ``runs`` calls of ``work``."""
    times = []
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def peak_megabytes(show: Path, site: Path) -> float:
    """The peak RSS of a fresh process that loads ``show`` and builds its site."""
    done = subprocess.run(  # noqa: S603 - this Python, the script above
        [sys.executable, "-c", PEAK, str(show), str(site)],
        check=False,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"the peak-memory build failed:\n{done.stderr}")
    kib = int(done.stdout.split()[-1])
    return kib * 1024 / 1e6 if sys.platform != "darwin" else kib / 1e6


def measure(size: int, runs: int) -> dict[str, float]:
    programme = generated(size)
    first = programme.sessions[0]
    assert first.start is not None
    moved = attrs.evolve(first, start=first.start + timedelta(minutes=15))
    changed = attrs.evolve(programme, sessions=(moved, *programme.sessions[1:]))
    print(f"generated, {size:,} sessions (the show file in JSON)", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        show = base / "show.json"
        ceremony.dump(programme, show)
        counter = iter(range(10**6))
        load = median_seconds(lambda: ceremony.load(show), runs)
        print(f"  load                {load * 1000:10.1f} ms", flush=True)
        fresh = median_seconds(
            lambda: build_site(programme, base / f"fresh-{next(counter)}", now=NOW), runs
        )
        print(f"  fresh build         {fresh * 1000:10.1f} ms", flush=True)
        kept = base / "kept"
        build_site(programme, kept, now=NOW)
        same = median_seconds(lambda: build_site(programme, kept, now=NOW), runs)
        print(
            f"  rebuild, no change  {same * 1000:10.1f} ms  {same / load:5.2f}x load"
            "  (target: at most 1.2)",
            flush=True,
        )
        flip = [changed, programme]

        def rebuild() -> None:
            flip.reverse()
            build_site(flip[0], kept, now=NOW)

        one = median_seconds(rebuild, runs)
        print(
            f"  rebuild, 1 moved    {one * 1000:10.1f} ms  {one / load:5.2f}x load"
            "  (target: at most 1.5)",
            flush=True,
        )
        state = state_path(kept).stat().st_size
        master = (kept / "all.ics").stat().st_size
        print(
            f"  publish state {state / 1e6:,.1f} MB, master feed {master / 1e6:,.1f} MB"
            f"  ({state / master:.2f}x)",
            flush=True,
        )
        peak = peak_megabytes(show, base / "peak")
        print(
            f"  peak RSS, load + fresh build in a new process: {peak:,.0f} MB"
            "  (target at 100,000: under 600)",
            flush=True,
        )
    return {"same": same / load, "one": one / load, "peak": peak, "state": state / master}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[20_000, 100_000], help="generated sessions"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    args = parser.parse_args()
    print(
        f"Python {platform.python_version()}, {platform.machine()}, ceremony {ceremony.__version__}"
    )
    for size in args.sizes:
        measure(size, args.runs)


if __name__ == "__main__":
    main()
