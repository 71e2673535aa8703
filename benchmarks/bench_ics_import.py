"""How reading an .ics feed back grows with its events: it must stay linear.

``loads_ics`` of generated feeds of 2,500 and 10,000 events (each with UID, DTSTAMP,
DTSTART, DURATION, SUMMARY, CATEGORIES and LOCATION, in the shape of a published schedule).
Each size runs in a fresh process; every figure is the median of ``--runs`` runs, and the
ratio of the biggest to the smallest size is given with its range over the runs. Locating
each event's line once cost a scan of the whole text per event (2,500 events took 2.7 s and
10,000 took 35 s, a ratio of 13); the target is about the ratio of the sizes (4).

Run: ``python benchmarks/bench_ics_import.py`` (``--runs 1`` for a quick look).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time

from ceremony.io import loads_ics


def feed(size: int) -> bytes:
    """A calendar of ``size`` events over 16 days."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//bench//ics import//EN"]
    for index in range(size):
        day, hour = 10 + index % 16, index % 24
        lines += [
            "BEGIN:VEVENT",
            f"UID:s{index}@example.org",
            "DTSTAMP:20240701T000000Z",
            f"DTSTART;TZID=Europe/Paris:202407{day:02d}T{hour:02d}0000",
            "DURATION:PT1H30M",
            f"SUMMARY:Session {index}",
            f"CATEGORIES:Sport {index % 40}",
            f"LOCATION:Venue {index % 60}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def child(size: int, runs: int) -> None:
    """Time ``runs`` loads of one size in this process; print the seconds as JSON."""
    data = feed(size)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        programme = loads_ics(data, file="bench.ics")
        times.append(time.perf_counter() - started)
    assert len(programme.sessions) == size
    print(json.dumps(times))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2500, 10_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        child(args.child, args.runs)
        return 0
    measured: dict[int, list[float]] = {}
    for size in args.sizes:
        command = [sys.executable, __file__, "--child", str(size), "--runs", str(args.runs)]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603 - this very script
        measured[size] = json.loads(output)
    print(f"python {platform.python_version()}, median of {args.runs} run(s), fresh process each")
    print(f"{'events':>8}{'seconds':>10}{'ms/1000':>10}")
    for size, times in measured.items():
        seconds = statistics.median(times)
        print(f"{size:>8,}{seconds:>10.3f}{seconds / size * 1e6:>10.1f}")
    small, big = min(measured), max(measured)
    if small != big:
        ratio = statistics.median(measured[big]) / statistics.median(measured[small])
        low = min(measured[big]) / max(measured[small])
        high = max(measured[big]) / min(measured[small])
        print(
            f"{big:,}/{small:,} ({big / small:g}x the events): {ratio:.2f} "
            f"(from {low:.2f} to {high:.2f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
