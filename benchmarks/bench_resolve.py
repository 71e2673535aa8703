"""How resolve() scales: generated shows of 1,000, 10,000 and 100,000 segments.

Each show mixes what real run-of-shows have: three parallel tracks, acts of 20 segments,
a duration range on every tenth segment, an anchor on every seventh (to an item on
another track), a hard start every 500 segments, and a locked end now and then.

Measured, as the median of several runs in this one process:

- ``resolve``: a full resolve of the plan (compile, plan, back-timing, slots);
- ``live resolve``: ``resolve(..., actuals=, now=)`` from scratch, half the show recorded;
- ``re-resolve``: one more mark recorded, resolved again through the show's ``Rundown``
  (what a live show does each time a mark comes in).

Run: ``python benchmarks/bench_resolve.py`` (``--sizes 1000 10000 --repeat 1`` for a
quick look). The machines are shared and noisy, so each size runs in a fresh process, each
figure is a median, and the ratios are given as the median and range over ``--repeat``
whole measurements.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import ceremony
from ceremony import (
    ActualMark,
    Actuals,
    Anchor,
    Ceremony,
    Custom,
    DurationRange,
    MarkEdge,
    Relation,
)

START = datetime(2024, 8, 28, 18, 0, tzinfo=UTC)
TRACKS = [None, "air", "broadcast"]


def generate(size: int) -> Ceremony:
    """A show of ``size`` segments (acts included), deterministic."""
    top: list[Any] = []
    act: list[Any] = []
    for index in range(size):
        minutes = index
        track = TRACKS[index % 3]
        fields: dict[str, Any] = {"id": f"s{index}", "what": "cue", "track": track}
        if index % 10 == 3:
            fields["duration"] = DurationRange(min=timedelta(minutes=1), max=timedelta(minutes=3))
        elif index % 97 == 5 and index % 500:
            fields["end"] = START + timedelta(minutes=minutes + 2)
        else:
            fields["duration"] = timedelta(minutes=2)
        if index % 500 == 499:
            fields["start"] = START + timedelta(minutes=minutes)
        elif index % 7 == 6 and index > 10:
            fields["start"] = Anchor(relation=Relation.AFTER, ref=f"s{index - 4}")
        act.append(Custom(**fields))
        if len(act) == 19:
            top.append(ceremony.Act(id=f"act{index}", segments=act, target=timedelta(minutes=30)))
            act = []
    top.extend(act)
    return Ceremony(id="bench", title="Benchmark", start=START, segments=top)


def median_seconds(
    action: Callable[[], object], runs: int, setup: Callable[[], object] | None = None
) -> float:
    """Median wall time of ``action`` (``setup`` runs untimed before each run)."""
    action()  # warm up: first calls build caches (zones, generated attrs methods)
    timings = []
    for _ in range(runs):
        if setup is not None:
            setup()
        gc.collect()
        began = time.perf_counter()
        action()
        timings.append(time.perf_counter() - began)
    return statistics.median(timings)


def measure(size: int, runs: int) -> dict[str, float]:
    """The figures for one size (run in a fresh process, so sizes do not share a heap)."""
    show = generate(size)
    figures = {"resolve": median_seconds(lambda: ceremony.resolve(show), runs)}
    plan = ceremony.resolve(show)
    half = plan.slots[len(plan.slots) // 2]
    now = half.start.expected
    marks = []
    for slot in plan.slots:
        if slot.kind == "act":
            continue
        if slot.start.expected < now:
            marks.append(ActualMark(item=slot.id, edge=MarkEdge.START, at=slot.start.expected))
        if slot.end.expected < now:
            marks.append(ActualMark(item=slot.id, edge=MarkEdge.END, at=slot.end.expected))
    actuals = Actuals(ceremony="bench", marks=marks)
    one_more = actuals.record(half.id, MarkEdge.START, now + timedelta(seconds=40))
    rundown = ceremony.Rundown(show)
    figures["live"] = median_seconds(lambda: ceremony.resolve(show, actuals=actuals, now=now), runs)
    figures["re-resolve"] = median_seconds(
        lambda: rundown.resolve(one_more, now + timedelta(minutes=1)),
        runs,
        setup=lambda: rundown.resolve(actuals, now),  # the state before the new mark
    )
    figures["items"] = len(plan.slots)
    return figures


def measure_apart(size: int, runs: int) -> dict[str, float]:
    """:func:`measure` in a child process."""
    command = [sys.executable, __file__, "--one", str(size), "--runs", str(runs)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    figures: dict[str, float] = json.loads(done.stdout)
    return figures


def _spread(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.2f}"
    return f"{statistics.median(values):.2f} (from {min(values):.2f} to {max(values):.2f})"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median taken)")
    parser.add_argument(
        "--repeat", type=int, default=3, help="whole measurements (ratios: median, range)"
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, args.runs)))
        return
    rounds = [
        {size: measure_apart(size, args.runs) for size in args.sizes} for _ in range(args.repeat)
    ]
    sizes = sorted(args.sizes)

    def median(size: int, figure: str) -> float:
        return statistics.median(result[size][figure] for result in rounds)

    print(
        f"Python {platform.python_version()} on {platform.machine()}; each figure the median "
        f"of {args.runs} runs in a fresh process, then the median of {args.repeat} such "
        "measurements"
    )
    print()
    print("| segments | items | resolve | live resolve | re-resolve after one mark |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for size in sizes:
        print(
            f"| {size:,} | {median(size, 'items'):,.0f} | {median(size, 'resolve') * 1000:,.1f} ms "
            f"| {median(size, 'live') * 1000:,.1f} ms "
            f"| {median(size, 're-resolve') * 1000:,.1f} ms |"
        )
    print()
    for small, large in itertools.pairwise(sizes):
        ratios = [result[large]["resolve"] / result[small]["resolve"] for result in rounds]
        print(f"resolve {large:,}/{small:,} ({large // small}x the segments): {_spread(ratios)}")
    for size in sizes:
        ratios = [result[size]["re-resolve"] / result[size]["resolve"] for result in rounds]
        print(f"re-resolve after one mark / resolve at {size:,}: {_spread(ratios)}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
