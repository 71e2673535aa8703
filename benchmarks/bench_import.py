"""How fast real schedules import, and the memory it takes, per 1,000 sessions and units.

Three jobs on the real Paris 2024 data in ``../shared/data`` (skipped when it is absent):

- ``csv``: ``read_table`` + ``import_sessions`` of ``schedules.csv`` (3,860 rows) with the
  shipped ``olympics-com`` mapping;
- ``odf``: ``import_odf`` of the 46 DT_SCHEDULE messages (758 sessions, 7,100 unit elements);
- ``dump``: writing the CSV's programme as YAML (what ``-o programme.yaml`` does);
- ``load``: ``ceremony.load`` of that YAML file (what every later command does).

Each is the median of ``--runs`` runs in this one process; peak memory is tracemalloc's
peak of Python allocations during one further run (tracing slows a run, so it is not timed).
Run: ``python benchmarks/bench_import.py`` (``--runs 1`` for a quick look). The machines are
shared and noisy: read the per-1,000 figures and the ratios, not the seconds alone.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ceremony
from ceremony.io.mapping import load_mapping
from ceremony.io.odf import import_odf
from ceremony.io.schedule_table import import_sessions
from ceremony.io.tables import read_table

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
CSV = DATA / "paris2024-olympics" / "schedules.csv"
ODF = sorted(p for p in (DATA / "odf-dt-schedule-og2024-draft").glob("*.xml") if p.name[0] != "s")


def measure(job: Callable[[], Any], runs: int) -> tuple[float, float, Any]:
    """Median seconds over ``runs``, peak MiB of one traced run, and the job's result."""
    times = []
    result = None
    for _ in range(runs):
        began = time.perf_counter()
        result = job()
        times.append(time.perf_counter() - began)
    tracemalloc.start()
    job()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak / 2**20, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    if not CSV.exists() or len(ODF) != 46:
        print(f"skipped: the real data is not in {DATA}")
        return 0
    mapping = load_mapping("olympics-com")
    rows: list[tuple[str, int, float, float]] = []

    def csv_job() -> Any:
        return import_sessions(read_table(CSV), mapping)

    seconds, peak, imported = measure(csv_job, args.runs)
    units = sum(1 for _ in imported.programme.all_sessions())
    rows.append(("csv", units, seconds, peak))

    def odf_job() -> Any:
        return import_odf(ODF, timezone="Europe/Paris", venue_zones={"TAH": "Pacific/Tahiti"})

    seconds, peak, odf = measure(odf_job, args.runs)
    rows.append(("odf", sum(1 for _ in odf.programme.all_sessions()), seconds, peak))

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "programme.yaml"
        seconds, peak, _ = measure(lambda: ceremony.dump(imported.programme, path), args.runs)
        rows.append(("dump", units, seconds, peak))
        seconds, peak, _ = measure(lambda: ceremony.load(path), args.runs)
        rows.append(("load", units, seconds, peak))
        size = path.stat().st_size

    print(f"python {platform.python_version()}, median of {args.runs} run(s); YAML {size:,} bytes")
    print(
        f"{'job':<6}{'items':>7}{'seconds':>10}{'s/1000':>9}{'peak MiB':>10}{'MiB/1000':>10}"
        f"{'x csv':>7}"
    )
    base = rows[0][2] / rows[0][1]
    for name, count, seconds, peak in rows:
        per = seconds / count * 1000
        print(
            f"{name:<6}{count:>7}{seconds:>10.3f}{per:>9.3f}{peak:>10.1f}"
            f"{peak / count * 1000:>10.2f}{per / (base * 1000):>7.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
