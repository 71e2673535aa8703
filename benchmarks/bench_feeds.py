"""What feeds cost: the master feed, the whole feed site, and a rebuild after one change.

On two programmes: the real Paris 2024 Olympic schedule (3,860 competition units, read
from ``../shared/data/paris2024-olympics/schedules.csv`` by :func:`paris2024` below) and a
generated one of 50,000 sessions. Measured in one process, as medians of ``--runs``:

- ``plain icalendar``: the same events with the same properties written the plain way,
  ``Event()`` + ``add()`` for each property, then ``Calendar.to_ical()`` (no publish
  state, no VTIMEZONE, no feeds, nothing written to disk);
- ``master feed``: ``ceremony ics -o``'s work: events from the programme, the publish
  state, each event serialized, the feed assembled and written;
- ``feed site``: ``ceremony site``'s work: the same, plus a feed per sport, venue, day,
  delegation and medal events, the index page and the manifest, swapped in;
- ``rebuild``: the site built again after one session moved, against its state.

Ratios printed: (a) master feed per event / plain icalendar per event; (b) feed site /
master feed (target: at most 1.5); (c) rebuild / full build.

Run: ``python benchmarks/bench_feeds.py`` (``--sessions 2000 --runs 1`` for a quick look).
"""

from __future__ import annotations

import argparse
import csv
import gc
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import icalendar

import ceremony
from ceremony import CompetitionSession, Delegation, Programme, ScheduleStatus, Venue
from ceremony.export.events import CalendarEvent, calendar_events
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


def median_seconds(work: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(name: str, programme: Programme, runs: int) -> dict[str, float]:
    listed = calendar_events(programme)
    count = len(listed)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        counter = iter(range(10**6))

        def master() -> None:
            publish_feed(programme, base / f"master-{next(counter)}.ics", now=NOW, selected=listed)

        def site() -> None:
            build_site(programme, base / f"site-{next(counter)}", now=NOW)

        plain = median_seconds(lambda: plain_icalendar(listed), runs)
        master_time = median_seconds(master, runs)
        site_time = median_seconds(site, runs)
        build_site(programme, base / "kept", now=NOW)
        first = programme.sessions[0]
        assert first.start is not None
        moved = attrs.evolve(first, start=first.start + timedelta(minutes=15))
        changed = attrs.evolve(programme, sessions=(moved, *programme.sessions[1:]))
        flip = [changed, programme]

        def rebuild() -> None:
            flip.reverse()
            build_site(flip[0], base / "kept", now=NOW)

        rebuild_time = median_seconds(rebuild, runs)
        feeds = sum(1 for _ in (base / "kept").rglob("*.ics"))
    print(
        f"{name}: {count:,} events, {feeds} feeds in the site\n"
        f"  plain icalendar   {plain * 1000:10.1f} ms  {plain / count * 1e6:7.1f} µs/event\n"
        f"  master feed       {master_time * 1000:10.1f} ms  "
        f"{master_time / count * 1e6:7.1f} µs/event\n"
        f"  feed site         {site_time * 1000:10.1f} ms\n"
        f"  rebuild, 1 moved  {rebuild_time * 1000:10.1f} ms\n"
        f"  (a) master feed / plain icalendar, per event: {master_time / plain:.2f}\n"
        f"  (b) feed site / master feed:                  {site_time / master_time:.2f}"
        f"  (target: at most 1.5)\n"
        f"  (c) rebuild after one change / full build:    {rebuild_time / site_time:.2f}"
    )
    return {"a": master_time / plain, "b": site_time / master_time, "c": rebuild_time / site_time}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=50_000, help="generated sessions")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    args = parser.parse_args()
    print(
        f"Python {platform.python_version()}, {platform.machine()}, ceremony {ceremony.__version__}"
    )
    if SCHEDULE.exists():
        measure("Paris 2024 schedule", paris2024(), args.runs)
    else:
        print(f"{SCHEDULE} not found: the real schedule is skipped", file=sys.stderr)
    measure(f"generated, {args.sessions:,} sessions", generated(args.sessions), args.runs)


if __name__ == "__main__":
    main()
