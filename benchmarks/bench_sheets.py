"""How long a big run-of-show takes to print: a generated 500-item show, every format.

The show has acts of 10 items, three people per item, a location and notes on every
other item, and two department cues on every third: about what a four-hour ceremony with
its crew cues looks like. Measured as the median of ``--runs`` runs in this one process:

- ``build``: ``resolve`` plus ``build_sheet`` (the template context);
- ``html``, ``md``, ``txt``, ``csv``: rendering that context;
- ``pdf``: ``render_pdf`` (the HTML, then WeasyPrint's layout and PDF writing).

Run: ``python benchmarks/bench_sheets.py`` (``--items 100 --runs 1`` for a quick look).
The machines are shared and noisy: read the ratios (each format against HTML), not the
seconds.
"""

from __future__ import annotations

import argparse
import io
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    programme = generate(args.items)
    printed = datetime(2024, 8, 27, 12, 0, tzinfo=UTC)

    def build() -> Any:
        timeline = ceremony.resolve(programme)
        return build_sheet(programme, timeline, printed_at=printed)

    sheet = build()
    pages = len(pypdf.PdfReader(io.BytesIO(render_pdf(sheet))).pages)
    figures = {
        "build": median_seconds(build, args.runs),
        "html": median_seconds(lambda: render_html(sheet), args.runs),
        "md": median_seconds(lambda: render_markdown(sheet), args.runs),
        "txt": median_seconds(lambda: render_text(sheet), args.runs),
        "csv": median_seconds(lambda: render_csv(sheet), args.runs),
        "pdf": median_seconds(lambda: render_pdf(sheet), args.runs),
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
    sys.stdout.flush()


if __name__ == "__main__":
    main()
