"""The SVG timeline strip: a sheet's rows laid out along the clock.

:func:`strip_of` works out where everything goes, in points at print size (the strip is
as wide as the page's printed width, so its 8 pt text prints at 8 pt); ``strip.svg.j2``
only draws it. Each lane's items are shaded alternately in item order, so neighbours
always differ; an item too narrow for its number has it written under the bar, with a
leader, the labels of a lane spread (over more rows if need be) so that none overlaps
another. Items whose length is a range carry a whisker from their earliest to their
latest end, hard starts a triangle, a live sheet a "now" line, and the legend explains
the marks the strip shows, and only those.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import attrs

from ceremony.export.sheets.view import (
    Orientation,
    Paper,
    SheetRow,
    Strip,
    StripBand,
    StripBar,
    StripLabel,
    StripLegendEntry,
    StripMark,
    StripTick,
)
from ceremony.export.timeline import clock
from ceremony.timing import Slot, Timeline
from ceremony.zones import utc, zone

PRINTED_WIDTH: dict[tuple[Paper, Orientation], float] = {
    ("A4", "landscape"): 796.5,
    ("A4", "portrait"): 549.9,
    ("Letter", "landscape"): 746.6,
    ("Letter", "portrait"): 566.6,
}
"""The width between the sheet's margins (8 mm each side), in points."""

FONT_SIZE = 8.0
"""Every text on the strip, in points at print size (nothing on a sheet is under 8 pt)."""

_ROW = 12.0  # the height of a row of text (a label, a band title, a tick, the legend)
_BAR = 12.0
_ABOVE_BAR = 5.0  # room over each bar for a hard start's triangle
_BELOW_BAR = 3.0
_GAP = 3.0  # the least space between two labels side by side
_RIGHT = 12.0
MAX_LABEL_ROWS = 4
"""Rows of labels under a lane at most (past that, labels that find no room are left out)."""
_SWATCH = 14.0  # a legend entry's sample of its mark


def text_width(text: str, *, bold: bool = False) -> float:
    """How wide ``text`` prints at :data:`FONT_SIZE` (generous: DejaVu Sans' widest glyphs)."""
    return round(len(text) * FONT_SIZE * (0.7 if bold else 0.64) + 2, 2)


def strip_of(
    timeline: Timeline,
    rows: tuple[SheetRow, ...],
    *,
    paper: Paper = "A4",
    orientation: Orientation = "landscape",
) -> Strip:
    """Lay the rows out along the clock, from the show's start to its end (or hard out)."""
    home = zone(timeline.zone)
    slots = {slot.id: slot for slot in timeline.slots}
    first = timeline.start
    last = max(
        [timeline.end.expected, timeline.end.latest, *(row.end_at for row in rows)]
        + ([timeline.hard_out] if timeline.hard_out else [])
    )
    span = max((last - first).total_seconds(), 60.0)
    tracks: dict[str | None, int] = {None: 0}
    for slot in timeline.slots:
        if slot.kind != "act" and slot.track not in tracks:
            tracks[slot.track] = len(tracks)
    names = tuple(name or "main" for name in tracks)
    left = max(text_width(name) for name in names) + 6
    width = PRINTED_WIDTH[paper, orientation] - left - _RIGHT

    def x_of(instant: datetime) -> float:
        return round((instant - first).total_seconds() / span * width, 2)

    now = None if timeline.now is None else min(max(x_of(timeline.now), 0.0), width)
    hard_out = None if timeline.hard_out is None else x_of(timeline.hard_out)
    marks = _marks(hard_out, timeline, now, width)
    top = _ROW if marks else 0.0
    items = [row for row in rows if not row.heading]
    bands_top = top + _ROW if len(items) < len(rows) else top
    lane_of = {
        row.id: tracks.get(slots[row.id].track if row.id in slots else None, 0) for row in items
    }
    bars, lane_tops, bottom = _lanes(
        items,
        lane_of=lane_of,
        lanes=len(tracks),
        y=bands_top,
        x_of=x_of,
        slots=slots,
        width=width,
    )
    bands = tuple(
        _band(row, x_of(row.start_at), x_of(row.end_at), top) for row in rows if row.heading
    )
    step = _tick_step(span, width)
    ticks = []
    tick = utc(_ceil_to(first.astimezone(home), step))
    while tick <= last:
        label = clock(tick, home) if step < timedelta(days=1) else tick.astimezone(home).date()
        ticks.append(StripTick(x=x_of(tick), label=str(label)))
        tick += step
    present = _present(bars, bands, hard_out, now)
    legend, height = _legend(present, bottom + _ROW + 4, width)
    return Strip(
        width=round(width, 2),
        lanes=len(tracks),
        lane_names=names,
        bars=bars,
        bands=bands,
        ticks=tuple(ticks),
        hard_out=hard_out,
        hard_out_label=None if timeline.hard_out is None else clock(timeline.hard_out, home),
        left=round(left, 2),
        right=_RIGHT,
        height=round(height, 2),
        lane_tops=lane_tops,
        top=top,
        axis=round(bottom, 2),
        font_size=FONT_SIZE,
        now=now,
        now_label=None if timeline.now is None else clock(timeline.now, home),
        marks=marks,
        legend=tuple(legend),
    )


def _lanes(
    items: list[SheetRow],
    *,
    lane_of: dict[str, int],
    lanes: int,
    y: float,
    x_of: Callable[[datetime], float],
    slots: dict[str, Slot],
    width: float,
) -> tuple[tuple[StripBar, ...], tuple[float, ...], float]:
    """Each lane's bars from ``y`` down, labels inside or under them; and where lanes end."""
    bars: list[StripBar] = []
    tops: list[float] = []
    for lane in range(lanes):
        row_top = y + _ABOVE_BAR
        tops.append(round(row_top, 2))
        own = [row for row in items if lane_of[row.id] == lane]
        placed: list[StripBar] = []
        narrow: list[tuple[int, float, float]] = []  # index, centre, label width
        for index, row in enumerate(own):
            x, end = x_of(row.start_at), x_of(row.end_at)
            bar_width = max(round(end - x, 2), 1.0)
            label_width = text_width(row.number)
            inside = label_width + 2 <= bar_width
            tag = (
                StripLabel(
                    text=row.number,
                    x=round(x + (bar_width - label_width) / 2, 2),
                    y=round(row_top, 2),
                    width=label_width,
                    height=_BAR,
                )
                if inside
                else None
            )
            if not inside:
                narrow.append((index, x + bar_width / 2, label_width))
            placed.append(
                StripBar(
                    x=x,
                    width=bar_width,
                    lane=lane,
                    label=row.number,
                    title=f"{row.number}. {row.title} ({row.start}–{row.end})",
                    changed=row.change is not None,
                    y=round(row_top, 2),
                    height=_BAR,
                    dark=index % 2 == 1,
                    hard=row.hard,
                    whisker=_whisker(slots.get(row.id), x_of),
                    tag=tag,
                )
            )
        under = row_top + _BAR + _BELOW_BAR
        label_rows = _spread(narrow, width)
        for (index, centre, label_width), spot in zip(narrow, label_rows, strict=True):
            if spot is None:
                continue
            left, line = spot
            bar = placed[index]
            label_top = round(under + line * _ROW, 2)
            placed[index] = attrs.evolve(
                bar,
                tag=StripLabel(
                    text=bar.label,
                    x=round(left, 2),
                    y=label_top,
                    width=label_width,
                    height=_ROW - 1,
                    leader=(
                        round(centre, 2),
                        round(row_top + _BAR, 2),
                        round(left + label_width / 2, 2),
                        label_top,
                    ),
                ),
            )
        rows_used = 1 + max((spot[1] for spot in label_rows if spot), default=-1)
        y = under + rows_used * _ROW + (2.0 if rows_used else 0.0)
        bars.extend(placed)
    return tuple(bars), tuple(tops), y


def _spread(wanted: list[tuple[int, float, float]], width: float) -> list[tuple[float, int] | None]:
    """Left edges and rows for labels centred under their bars, none overlapping another.

    Each label goes as near under its bar as it can, in the bars' order: labels pushed
    right by their neighbours, pulled back from the end; when a row cannot hold them all,
    they take turns over two rows, then three, up to :data:`MAX_LABEL_ROWS`. Past that
    (hundreds of short items on one lane), each label stays right under its bar in the
    first row with room, and one that finds none is left out (None): the item's number
    is still in its bar's tooltip and on the sheet's own row.
    """
    if not wanted:
        return []
    limit = max(width, *(centre + w / 2 for _, centre, w in wanted))
    for rows in range(1, min(len(wanted), MAX_LABEL_ROWS) + 1):
        placed: list[tuple[float, int]] = []
        for line in range(rows):
            members = [item for number, item in enumerate(wanted) if number % rows == line]
            lefts = _one_row([(centre, w) for _, centre, w in members], limit)
            if lefts is None:
                break
            placed.extend((left, line) for left in lefts)
        else:
            order = [number for line in range(rows) for number in range(line, len(wanted), rows)]
            result: list[tuple[float, int] | None] = [None] * len(wanted)
            for number, spot in zip(order, placed, strict=True):
                result[number] = spot
            return result
    return _thinned(wanted, limit)


def _thinned(
    wanted: list[tuple[int, float, float]], limit: float
) -> list[tuple[float, int] | None]:
    """Each label right under its bar in the first of the rows with room, or left out."""
    ends = [-_GAP] * MAX_LABEL_ROWS
    result: list[tuple[float, int] | None] = []
    for _, centre, width in wanted:
        left = min(max(centre - width / 2, 0.0), limit - width)
        line = next((row for row, end in enumerate(ends) if end + _GAP <= left), None)
        if line is None:
            result.append(None)
            continue
        ends[line] = left + width
        result.append((left, line))
    return result


def _one_row(labels: list[tuple[float, float]], limit: float) -> list[float] | None:
    """Left edges for labels (centre, width) on one row within ``0..limit``, or None."""
    lefts: list[float] = []
    for centre, width in labels:
        floor = lefts[-1] + labels[len(lefts) - 1][1] + _GAP if lefts else 0.0
        lefts.append(max(centre - width / 2, floor, 0.0))
    for index in range(len(lefts) - 1, -1, -1):
        width = labels[index][1]
        ceiling = limit - width if index == len(lefts) - 1 else lefts[index + 1] - _GAP - width
        lefts[index] = min(lefts[index], ceiling)
    if lefts[0] < 0:
        return None
    return lefts


def _whisker(slot: Slot | None, x_of: Callable[[datetime], float]) -> tuple[float, float] | None:
    """An item whose own length is uncertain: its earliest to latest end."""
    if slot is None:
        return None
    own = (slot.end.latest - slot.end.earliest) - (slot.start.latest - slot.start.earliest)
    if own <= timedelta(0):
        return None
    return x_of(slot.end.earliest), x_of(slot.end.latest)


def _band(row: SheetRow, x: float, end: float, top: float) -> StripBand:
    """An act's band, its title shortened to fit over it."""
    width = round(end - x, 2)
    room = int((width - 4) // (FONT_SIZE * 0.7))
    title = row.title if len(row.title) <= room else row.title[: max(room - 1, 0)] + "…"
    tag = (
        StripLabel(
            text=title, x=round(x + 2, 2), y=top, width=text_width(title, bold=True), height=_ROW
        )
        if room >= 2
        else None
    )
    return StripBand(x=x, width=width, title=row.title, tag=tag)


def _marks(
    hard_out: float | None, timeline: Timeline, now: float | None, width: float
) -> tuple[StripLabel, ...]:
    """The hard out's label left of its line; now's right of its line, or left if it must."""
    home = zone(timeline.zone)
    marks: list[StripLabel] = []
    if hard_out is not None and timeline.hard_out is not None:
        text = f"HARD OUT {clock(timeline.hard_out, home)}"
        size = text_width(text, bold=True)
        marks.append(
            StripLabel(
                text=text, x=round(max(hard_out - 3 - size, 0), 2), y=0, width=size, height=_ROW
            )
        )
    if now is not None and timeline.now is not None:
        text = f"NOW {clock(timeline.now, home)}"
        size = text_width(text, bold=True)
        choices = [
            StripLabel(text=text, x=round(now + 3, 2), y=0, width=size, height=_ROW),
            StripLabel(text=text, x=round(max(now - 3 - size, 0), 2), y=0, width=size, height=_ROW),
        ]
        fitting = [
            label
            for label in choices
            if label.x + label.width <= width + _RIGHT and not any(label.overlaps(m) for m in marks)
        ]
        marks.append((fitting or choices)[0])
    return tuple(marks)


def _present(
    bars: tuple[StripBar, ...],
    bands: tuple[StripBand, ...],
    hard_out: float | None,
    now: float | None,
) -> Iterator[tuple[StripMark, str]]:
    """The legend's entries: only the marks the strip shows."""
    if bars:
        yield "items", "items, shaded in turn"
    if bands:
        yield "act", "act"
    if any(bar.changed for bar in bars):
        yield "changed", "changed or new"
    if any(bar.hard for bar in bars):
        yield "hard", "hard start"
    if any(bar.whisker for bar in bars):
        yield "range", "earliest–latest end"
    if hard_out is not None:
        yield "hard_out", "hard out"
    if now is not None:
        yield "now", "now (live)"


def _legend(
    entries: Iterator[tuple[StripMark, str]], y: float, room: float
) -> tuple[list[StripLegendEntry], float]:
    """The entries side by side from the left edge, wrapped to a new row when full."""
    legend: list[StripLegendEntry] = []
    x = 0.0
    for mark, text in entries:
        size = text_width(text)
        if x and x + _SWATCH + 3 + size > room:
            x, y = 0.0, y + _ROW
        tag = StripLabel(
            text=text, x=round(x + _SWATCH + 3, 2), y=round(y, 2), width=size, height=_ROW
        )
        legend.append(StripLegendEntry(mark=mark, x=round(x, 2), tag=tag))
        x += _SWATCH + 3 + size + 10
    return legend, y + (_ROW + 2 if legend else 0)


def _tick_step(span_seconds: float, width: float) -> timedelta:
    """A round step that leaves each tick's clock label room, however long the show runs."""
    most = max(int(width // 44), 2)
    for minutes in (5, 10, 15, 30, 60, 120, 240, 360, 720, 1440):
        if span_seconds / (minutes * 60) <= most:
            return timedelta(minutes=minutes)
    return timedelta(days=math.ceil(span_seconds / (most * 86400)))


def _ceil_to(local: datetime, step: timedelta) -> datetime:
    """The first instant at or after ``local`` on a whole ``step`` of its wall clock."""
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    seconds = (local - midnight).total_seconds()
    steps = -(-seconds // step.total_seconds())
    return midnight + step * steps
