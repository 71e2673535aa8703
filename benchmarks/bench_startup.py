"""How long the command line takes to start, against importing icalendar alone.

Three commands, each run ``--runs`` times as a fresh process (what a user waits for):

- ``import icalendar``: ``python -c "import icalendar"``, the floor: a Python start and
  the one library every feed needs;
- ``ceremony --version``: the command line's start-up (target: under 0.25 s, median);
- ``ceremony check <example>``: a real command, loading and checking a show file.

Each figure is the median wall time of the runs; the ratios are to ``import icalendar``.
Also printed: the optional modules ``ceremony --version`` loaded (there must be none).
Run: ``python benchmarks/bench_startup.py`` (``--runs 3`` for a quick look).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "paralympic-opening.yaml"
CEREMONY = Path(sys.executable).with_name("ceremony")
OPTIONAL = ("openpyxl", "starlette", "uvicorn", "typst", "defusedxml")
TARGET_VERSION_SECONDS = 0.25


def wall_time(command: list[str]) -> float:
    """Seconds from starting ``command`` to its exit (its output discarded).

    Exit 1 (``check`` found errors in the plan) still ran the whole command; 2 and above
    is a command that could not run, and stops the benchmark.
    """
    began = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own commands, their arguments built here
        command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    seconds = time.perf_counter() - began
    if done.returncode > 1:
        raise SystemExit(f"{' '.join(command)}: exit {done.returncode}\n{done.stderr.decode()}")
    return seconds


def median_time(command: list[str], runs: int) -> float:
    """The median of ``runs`` wall times, after one run to warm the file cache."""
    wall_time(command)
    return statistics.median(wall_time(command) for _ in range(runs))


def optional_modules_at_version() -> list[str]:
    """The optional modules loaded by ``ceremony --version``."""
    code = (
        "import sys\nfrom ceremony.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        f"print(' '.join(m for m in {OPTIONAL!r} if m in sys.modules))"
    )
    result = subprocess.run(  # noqa: S603 - this interpreter, running the code above
        [sys.executable, "-c", code], check=False, capture_output=True, text=True
    )
    return result.stdout.splitlines()[-1].split() if result.returncode == 0 else ["(failed)"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    if not CEREMONY.exists():
        print(f"no ceremony command beside {sys.executable}: install the package first")
        return 1
    print(f"Python {platform.python_version()}, {platform.machine()}, median of {args.runs} runs")
    jobs = {
        "import icalendar": [sys.executable, "-c", "import icalendar"],
        "ceremony --version": [str(CEREMONY), "--version"],
        f"ceremony check {EXAMPLE.name}": [str(CEREMONY), "check", str(EXAMPLE)],
    }
    figures = {name: median_time(command, args.runs) for name, command in jobs.items()}
    floor = figures["import icalendar"]
    print(f"{'command':<40} {'median':>9} {'/ icalendar':>12}")
    for name, seconds in figures.items():
        print(f"{name:<40} {seconds * 1000:7.1f} ms {seconds / floor:11.2f}x")
    version = figures["ceremony --version"]
    verdict = "met" if version < TARGET_VERSION_SECONDS else "MISSED"
    print(f"target: ceremony --version under {TARGET_VERSION_SECONDS} s: {verdict}")
    loaded = optional_modules_at_version()
    print(f"optional modules loaded by --version: {', '.join(loaded) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
