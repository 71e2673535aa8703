"""What feeds cost: the master feed, the whole feed site, and a rebuild after one change.

On the real Paris 2024 Olympic schedule (3,860 competition units, read from
``../shared/data/paris2024-olympics/schedules.csv`` by :func:`paris2024` below) and on
generated programmes of ``--sessions`` sessions (20,000 by default; ``--sessions 20000
100000`` measures both, each size in a fresh process). Rounds of every figure one after
another (so that the machine's load weighs on all alike), ``--runs`` rounds; each figure is
the median, each ratio the ratio of medians with its range over the rounds:

- ``plain icalendar``: the master feed written the plain way with icalendar, ``Event()``
  + ``add()`` for each property of every event, then ``Calendar.to_ical()`` (no publish
  state, no VTIMEZONE, nothing written to disk);
- ``raw-writer floor``: our VEVENT writer (:func:`ceremony.export.ics.event_bytes`) over
  events built beforehand, the bytes joined: what serializing costs, nothing else;
- ``ceremony ics``: :func:`ceremony.export.ics.to_ical` of the whole programme (what
  ``ceremony ics`` prints): events from the programme, serialized, the calendar assembled;
- ``master feed``: ``ceremony ics -o``'s work: the same with the publish state, written;
- ``feed site``: ``ceremony site``'s work, fresh (no state): a feed per sport, venue, day,
  delegation and medal events, the index page and the manifest, swapped in;
- ``rebuild``: the site built again after one session moved, against its state.

Ratios printed: (a) feed site / plain icalendar (target: at most 1.0); (b) ceremony ics /
raw-writer floor (target: at most 3); (c) master feed / plain icalendar; (d) feed site /
master feed (target: at most 1.5); (e) rebuild after one change / fresh site.

Run: ``python benchmarks/bench_feeds.py`` (``--sessions 2000 --runs 1`` for a quick look).
"""

from __future__ import annotations

import argparse
import csv
import gc
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import attrs
import icalendar

import ceremony
from ceremony import CompetitionSession, Delegation, Programme, ScheduleStatus, Venue
from ceremony.export.events import CalendarEvent, calendar_events
from ceremony.export.ics import Stamped, event_bytes, stamp_of, to_ical
from ceremony.site import build_site, publish_feed

SCHEDULE = Path(__file__).resolve().parents[2] / "shared/data/paris2024-olympics/schedules.csv"
NOW = datetime(2024, 7, 20, tzinfo=UTC)


def paris2024(path: Path = SCHEDULE) -> Programme:
    """The Paris 2024 Olympic schedule: one session per row of the CSV."""
    venues: dict[str, Venue] = {}
    sessions: list[CompetitionSession] = []
    with path.open(encoding="utf-8", newline="") as stream:
        for index, row in enumerate(csv.DictReader(stream)):
            code = row["venue_code"] or "TBD"
            venues.setdefault(
                code, Venue(id=code, name=row["venue"] or code, timezone="Europe/Paris")
            )
            start = datetime.fromisoformat(row["start_date"])
            end = datetime.fromisoformat(row["end_date"]) if row["end_date"] else start
            sessions.append(
                CompetitionSession(
                    id=f"{row['discipline_code']}-{index}",
                    sport=row["discipline"],
                    event=row["event"] or None,
                    phase=row["phase"] or None,
                    gender=row["gender"] or None,
                    venue=code,
                    location=row["location_description"] or None,
                    start=start,
                    end=end if end > start else None,
                    medal=row["event_medal"] == "1",
                    status=ScheduleStatus(row["status"])
                    if row["status"] in ScheduleStatus.__members__
                    else ScheduleStatus.SCHEDULED,
                    url="https://olympics.com" + row["url"] if row["url"] else None,
                )
            )
    return Programme(
        name="Paris 2024 Olympic Games",
        timezone="Europe/Paris",
        published=datetime(2024, 7, 1, tzinfo=UTC),
        venues=tuple(venues.values()),
        sessions=sessions,
    )


def generated(size: int) -> Programme:
    """``size`` sessions over 16 days: 40 sports, 60 venues, 200 delegations."""
    venues = [Venue(id=f"v{i}", name=f"Venue {i}") for i in range(60)]
    nations = [Delegation(id=f"N{i:03d}", name=f"Nation {i}") for i in range(200)]
    start = datetime(2024, 7, 26, 7, tzinfo=UTC)
    return Programme(
        name="Generated Games",
        timezone="Europe/Paris",
        published=datetime(2024, 7, 1, tzinfo=UTC),
        venues=venues,
        delegations=nations,
        sessions=[
            CompetitionSession(
                id=f"s{i}",
                sport=f"Sport {i % 40}",
                event=f"Event {i % 311}",
                phase="final" if i % 13 == 0 else "heats",
                venue=f"v{i % 60}",
                start=start + timedelta(minutes=(i * 7) % (16 * 24 * 60)),
                duration=timedelta(minutes=90),
                medal=i % 13 == 0,
                delegations=[f"N{(i * 7 + k) % 200:03d}" for k in range(4)],
            )
            for i in range(size)
        ],
    )


def plain_icalendar(listed: list[CalendarEvent]) -> bytes:
    """The events written the plain way with icalendar, for comparison."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//plain//EN")
    calendar.add("version", "2.0")
    for entry in listed:
        event = icalendar.Event()
        event.add("uid", f"{entry.id}@example.org")
        event.add("dtstamp", NOW)
        event.add("summary", entry.summary)
        event.add("dtstart", entry.start)
        event.add("dtend", entry.end)
        if entry.location:
            event.add("location", entry.location)
        if entry.description:
            event.add("description", entry.description)
        event.add("categories", list(entry.categories))
        event.add("status", entry.status.value)
        event.add("sequence", 0)
        event.add("last-modified", NOW)
        if entry.url:
            event.add("url", entry.url)
        if entry.geo:
            event.add("geo", entry.geo)
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


def raw_writer_floor(stamped: list[Stamped]) -> bytes:
    """Our VEVENT writer over events built beforehand, joined: serializing and nothing else."""
    return b"".join([event_bytes(event, "ceremony.invalid") for event in stamped])


def seconds(work: Callable[[], Any]) -> float:
    gc.collect()
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


TARGETS = {"a": 1.0, "b": 3.0, "d": 1.5}
"""The ratios with a target: at most this."""

RATIOS = {
    "a": ("feed site / plain icalendar", "site", "plain"),
    "b": ("ceremony ics / raw-writer floor", "ics", "floor"),
    "c": ("master feed / plain icalendar", "master", "plain"),
    "d": ("feed site / master feed", "site", "master"),
    "e": ("rebuild, 1 moved / feed site", "rebuild", "site"),
}


def measure(name: str, programme: Programme, runs: int) -> dict[str, float]:
    """Every figure for one programme, ``runs`` rounds; prints them and returns the ratios."""
    listed = calendar_events(programme)
    stamped = [Stamped(entry=entry, stamp=stamp_of(programme)) for entry in listed]
    count = len(listed)
    times: dict[str, list[float]] = {key: [] for key in ("plain", "floor", "ics", "master")}
    times.update(site=[], rebuild=[])
    first = programme.sessions[0]
    assert first.start is not None
    moved = attrs.evolve(first, start=first.start + timedelta(minutes=15))
    changed = attrs.evolve(programme, sessions=(moved, *programme.sessions[1:]))
    flip = [changed, programme]
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        build_site(programme, base / "kept", now=NOW)

        def rebuild() -> None:
            flip.reverse()
            build_site(flip[0], base / "kept", now=NOW)

        for round_ in range(runs):
            master = base / f"master-{round_}.ics"
            site = base / f"site-{round_}"
            times["plain"].append(seconds(partial(plain_icalendar, listed)))
            times["floor"].append(seconds(partial(raw_writer_floor, stamped)))
            times["ics"].append(seconds(partial(to_ical, programme)))
            times["master"].append(
                seconds(partial(publish_feed, programme, master, now=NOW, selected=listed))
            )
            times["site"].append(seconds(partial(build_site, programme, site, now=NOW)))
            times["rebuild"].append(seconds(rebuild))
        feeds = sum(1 for _ in (base / "kept").rglob("*.ics"))
    median = {key: statistics.median(values) for key, values in times.items()}
    labels = {
        "plain": "plain icalendar",
        "floor": "raw-writer floor",
        "ics": "ceremony ics",
        "master": "master feed",
        "site": "feed site, fresh",
        "rebuild": "rebuild, 1 moved",
    }
    print(f"{name}: {count:,} events, {feeds} feeds, medians of {runs}")
    for key, label in labels.items():
        print(
            f"  {label:<18} {median[key] * 1000:10.1f} ms  "
            f"{median[key] / count * 1e6:7.1f} µs/event"
        )
    ratios: dict[str, float] = {}
    for letter, (label, top, bottom) in RATIOS.items():
        ratios[letter] = median[top] / median[bottom]
        each = [t / b for t, b in zip(times[top], times[bottom], strict=True)]
        spread = f"({min(each):.2f}-{max(each):.2f})"
        line = f"  ({letter}) {label + ':':<32} {ratios[letter]:5.2f} {spread}"
        if letter in TARGETS:
            verdict = "met" if ratios[letter] <= TARGETS[letter] else "MISSED"
            line += f"  at most {TARGETS[letter]}: {verdict}"
        print(line)
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sessions",
        type=int,
        nargs="+",
        default=[20_000],
        help="generated sessions: one size or several (each in a fresh process)",
    )
    parser.add_argument("--runs", type=int, default=3, help="rounds per figure (median)")
    parser.add_argument("--no-paris", action="store_true", help="skip the real schedule")
    args = parser.parse_args()
    if len(args.sessions) > 1:
        for index, size in enumerate(args.sessions):
            command = [sys.executable, __file__, "--sessions", str(size), "--runs", str(args.runs)]
            if index or args.no_paris:
                command.append("--no-paris")
            subprocess.run(command, check=True)  # noqa: S603 - this script, again
        return
    print(
        f"Python {platform.python_version()}, {platform.machine()}, ceremony {ceremony.__version__}"
    )
    if args.no_paris:
        pass
    elif SCHEDULE.exists():
        measure("Paris 2024 schedule", paris2024(), args.runs)
    else:
        print(f"{SCHEDULE} not found: the real schedule is skipped", file=sys.stderr)
    (size,) = args.sessions
    measure(f"generated, {size:,} sessions", generated(size), args.runs)


if __name__ == "__main__":
    main()
