"""The SVG timeline strip: a sheet's rows laid out along the clock."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from ceremony.export.sheets.view import SheetRow, Strip, StripBand, StripBar, StripTick
from ceremony.export.timeline import clock
from ceremony.timing import Timeline
from ceremony.zones import utc, zone


def strip_of(timeline: Timeline, rows: tuple[SheetRow, ...], width: float = 1000.0) -> Strip:
    """Lay the rows out along the clock, from the show's start to its end (or hard out)."""
    first = timeline.start
    last = max(
        [timeline.end.expected, *(row.end_at for row in rows)]
        + ([timeline.hard_out] if timeline.hard_out else [])
    )
    span = max((last - first).total_seconds(), 60.0)

    def x_of(instant: datetime) -> float:
        return round((instant - first).total_seconds() / span * width, 2)

    tracks: dict[str | None, int] = {None: 0}
    for slot in timeline.slots:
        if slot.track not in tracks:
            tracks[slot.track] = len(tracks)
    track_of = {slot.id: slot.track for slot in timeline.slots}
    bars, bands = [], []
    for row in rows:
        x, end = x_of(row.start_at), x_of(row.end_at)
        if row.heading:
            bands.append(StripBand(x=x, width=round(end - x, 2), title=row.title))
            continue
        bars.append(
            StripBar(
                x=x,
                width=max(round(end - x, 2), 1.0),
                lane=tracks[track_of.get(row.id)],
                label=row.number,
                title=f"{row.number}. {row.title} ({row.start}–{row.end})",
                changed=row.change is not None,
            )
        )
    home = zone(timeline.zone)
    step = _tick_step(span)
    ticks = []
    tick = utc(_ceil_to(first.astimezone(home), step))
    while tick <= last:
        label = clock(tick, home) if step < timedelta(days=1) else tick.astimezone(home).date()
        ticks.append(StripTick(x=x_of(tick), label=str(label)))
        tick += step
    return Strip(
        width=width,
        lanes=len(tracks),
        lane_names=tuple(name or "main" for name in tracks),
        bars=tuple(bars),
        bands=tuple(bands),
        ticks=tuple(ticks),
        hard_out=None if timeline.hard_out is None else x_of(timeline.hard_out),
        hard_out_label=None if timeline.hard_out is None else clock(timeline.hard_out, home),
    )


def _tick_step(span_seconds: float) -> timedelta:
    """A round step that puts at most 16 ticks on the strip, however long the show runs."""
    for minutes in (5, 10, 15, 30, 60, 120, 240, 360, 720, 1440):
        if span_seconds / (minutes * 60) <= 16:
            return timedelta(minutes=minutes)
    return timedelta(days=math.ceil(span_seconds / (16 * 86400)))


def _ceil_to(local: datetime, step: timedelta) -> datetime:
    """The first instant at or after ``local`` on a whole ``step`` of its wall clock."""
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    seconds = (local - midnight).total_seconds()
    steps = -(-seconds // step.total_seconds())
    return midnight + step * steps
