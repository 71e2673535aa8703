"""How long a big run-of-show takes to print: a generated 500-item show, every format.

The show has acts of 10 items, three people per item, a location and notes on every
other item, and two department cues on every third: about what a four-hour ceremony with
its crew cues looks like. Measured as the median of ``--runs`` runs in this one process:

- ``build``: ``resolve`` plus ``build_sheet`` (the template context);
- ``html``, ``md``, ``txt``, ``csv``: rendering that context;
- ``pdf``: ``render_pdf`` (the view model as JSON, typeset by Typst), once: Typst keeps
  what it laid out for the life of the process, so a second PDF here would be a warm one.

Then the whole command, as a person runs it: ``ceremony sheet FILE -o x.pdf`` against
``-o x.html`` in fresh processes (start-up, loading and resolving included), for the
generated show and for the Paris 2024 Olympic schedule (``--schedule``, 3,860 sessions),
with each process's peak memory. Targets: the show's PDF at most 3x its HTML; the
schedule's PDF at most 5x its HTML, under 400 MB.

Run: ``python benchmarks/bench_sheets.py`` (``--items 100 --runs 1`` for a quick look).
The machines are shared and noisy: read the ratios (each format against HTML), not the
seconds.
"""

from __future__ import annotations

import argparse
import io
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pypdf

import ceremony
from ceremony import Act, Ceremony, Cue, Custom, Person, Programme, Venue
from ceremony.export.sheets import (
    build_sheet,
    render_csv,
    render_html,
    render_markdown,
    render_pdf,
    render_text,
)

START = datetime(2024, 8, 28, 18, 0, tzinfo=UTC)
CEREMONY = Path(sys.executable).with_name("ceremony")
SCHEDULE = Path(__file__).resolve().parents[1] / "examples/paris-2024-olympics/programme.yaml"
PRINTED_AT = "2024-08-27T14:00+02:00"
DEPARTMENTS = ["lighting", "sound", "video", "pyro", "camera", "stage-management"]


def generate(items: int) -> Programme:
    """A programme with one ceremony of ``items`` segments in acts of 10, deterministic."""
    people = [Person(id=f"p{index}", name=f"Performer {index}") for index in range(60)]
    acts: list[Any] = []
    for first in range(0, items, 10):
        segments = []
        for index in range(first, min(first + 10, items)):
            cues = (
                [
                    Cue(department=DEPARTMENTS[index % 6], label=f"Q{index}", text=f"Cue {index}"),
                    Cue(
                        department=DEPARTMENTS[(index + 1) % 6],
                        text=f"Standby {index + 1}",
                        when=timedelta(seconds=-30),
                    ),
                ]
                if index % 3 == 0
                else []
            )
            segments.append(
                Custom(
                    id=f"s{index}",
                    title=f"Item {index}: a performance with a title long enough to wrap",
                    duration=timedelta(seconds=20 + index % 7 * 10),
                    people=[f"p{(index + k) % 60}" for k in range(3)],
                    location="Main stage" if index % 2 else None,
                    notes=f"Notes for item {index}: entrance stage left." if index % 2 else None,
                    cues=cues,
                )
            )
        acts.append(Act(id=f"act{first // 10}", title=f"Act {first // 10 + 1}", segments=segments))
    ceremony_ = Ceremony(
        id="big", title="A 500-item ceremony", start=START, venue="stadium", segments=acts
    )
    return Programme(
        name="Benchmark Games",
        timezone="Europe/Paris",
        revision="1",
        venues=[Venue(id="stadium", name="Stadium", timezone="Europe/Paris")],
        people=people,
        ceremonies=[ceremony_],
    )


def median_seconds(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


# Linux carries a process's peak memory across exec, so a command started straight from
# this (large) process would report at least this process's size: a small launcher starts
# it instead, times it and reports its own peak (``ru_maxrss``, in KiB on Linux).
LAUNCHER = """
import os, subprocess, sys, time
began = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
_, status, usage = os.wait4(child.pid, 0)
seconds = time.perf_counter() - began
if os.waitstatus_to_exitcode(status):
    sys.exit(child.stderr.read().decode())
print(seconds, usage.ru_maxrss / 1024)
"""


def run_command(show: Path, output: Path) -> tuple[float, float]:
    """``ceremony sheet show -o output`` in a fresh process: its seconds and peak MiB."""
    command = [str(CEREMONY), "sheet", str(show), "-o", str(output), "--printed-at", PRINTED_AT]
    done = subprocess.run(  # noqa: S603 - this Python, the launcher and command built here
        [sys.executable, "-c", LAUNCHER, *command], capture_output=True, text=True, check=False
    )
    if done.returncode:
        sys.exit(f"{' '.join(command)} failed: {done.stderr}")
    seconds, mebibytes = done.stdout.split()
    return float(seconds), float(mebibytes)


def whole_command(name: str, show: Path, runs: int, folder: Path) -> dict[str, tuple[float, float]]:
    """Median seconds and peak MiB of the HTML and the PDF command, runs interleaved."""
    figures: dict[str, list[tuple[float, float]]] = {"html": [], "pdf": []}
    for _ in range(runs):
        for fmt, found in figures.items():
            found.append(run_command(show, folder / f"{name}.{fmt}"))
    return {
        fmt: (statistics.median(s for s, _ in found), max(m for _, m in found))
        for fmt, found in figures.items()
    }


def print_commands(label: str, figures: dict[str, tuple[float, float]], target: float) -> None:
    html, pdf = figures["html"], figures["pdf"]
    ratio = pdf[0] / html[0]
    print(
        f"{label}: html {html[0]:.2f} s ({html[1]:.0f} MiB), pdf {pdf[0]:.2f} s ({pdf[1]:.0f} MiB)"
    )
    verdict = "met" if ratio <= target else "MISSED"
    print(f"  pdf / html {ratio:.1f}x (target at most {target:g}x: {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--schedule",
        type=Path,
        default=SCHEDULE,
        help="the competition schedule to time as a whole command (default: Paris 2024)",
    )
    parser.add_argument("--no-schedule", action="store_true", help="skip the schedule")
    args = parser.parse_args()
    programme = generate(args.items)
    printed = datetime(2024, 8, 27, 12, 0, tzinfo=UTC)

    def build() -> Any:
        timeline = ceremony.resolve(programme)
        return build_sheet(programme, timeline, printed_at=printed)

    sheet = build()
    # Typst memoizes layout for the life of the process (the typst package cannot clear
    # it), so only the first PDF of this process is a cold one: that is the one timed.
    began = time.perf_counter()
    pdf = render_pdf(sheet)
    cold_pdf = time.perf_counter() - began
    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    figures = {
        "build": median_seconds(build, args.runs),
        "html": median_seconds(lambda: render_html(sheet), args.runs),
        "md": median_seconds(lambda: render_markdown(sheet), args.runs),
        "txt": median_seconds(lambda: render_text(sheet), args.runs),
        "csv": median_seconds(lambda: render_csv(sheet), args.runs),
        "pdf": cold_pdf,
    }
    rows = len(sheet.rows)
    print(
        f"{args.items} items ({rows} rows with act headings), {pages} PDF pages; "
        f"median of {args.runs} runs; Python {platform.python_version()} {platform.machine()}"
    )
    print(f"{'step':<6} {'seconds':>9} {'x html':>8}")
    for name, seconds in figures.items():
        print(f"{name:<6} {seconds:>9.3f} {seconds / figures['html']:>8.1f}")
    print(f"pdf per page: {figures['pdf'] / pages:.3f} s")
    print(f"\nwhole command, fresh processes, median of {args.runs} (peak memory: the largest run)")
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        show = folder / "show.yaml"
        ceremony.dump(programme, show)
        print_commands(f"{args.items}-item show", whole_command("show", show, args.runs, folder), 3)
        if not args.no_schedule:
            schedule = whole_command("schedule", args.schedule, args.runs, folder)
            pages = len(pypdf.PdfReader(folder / "schedule.pdf").pages)
            print_commands(f"schedule {args.schedule.name} ({pages} pages)", schedule, 5)
            peak = schedule["pdf"][1]
            verdict = "met" if peak < 400 else "MISSED"
            print(f"  pdf peak memory {peak:.0f} MiB (target under 400 MiB: {verdict})")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
