"""A timeline as a rich table for the terminal: the run-of-show at a glance.

Columns: clock time (one per zone), duration, running time, kind, title (with the kind's
details under it), who; with ``backtime``, the latest start that still lands the show on
time and the slack; for a live timeline, the plan beside the projection and how late each
item is.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

import pendulum
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from ceremony.durations import format_clock_duration, format_duration
from ceremony.export.timeline import clock, delegation_names, segments_of
from ceremony.model import Custom, Programme, Segment
from ceremony.timing import Slot, Timeline
from ceremony.zones import zone

_STATE_MARK = {"done": "✓ ", "running": "▶ ", "upcoming": "  ", "planned": ""}


def timeline_table(
    timeline: Timeline,
    extra_zones: tuple[str, ...] = (),
    *,
    backtime: bool = False,
    programme: Programme | None = None,
) -> Table:
    """The timeline as a table; ``extra_zones`` add clock columns (IANA names).

    ``programme``, the programme the timeline was resolved from, gives each segment's
    details (under its title) and a custom segment's own kind (its ``what``).
    """
    segments = segments_of(programme, timeline)
    names = delegation_names(programme)
    home = zone(timeline.zone)
    shown = [home, *(zone(name) for name in extra_zones if name != timeline.zone)]
    schedule = timeline.kind == "schedule"
    live = timeline.live
    table = Table(
        title=_title(timeline, home),
        title_justify="left",
        caption=_caption(timeline),
        caption_justify="left",
        header_style="bold",
        expand=False,
    )
    if live:
        table.add_column("Planned", no_wrap=True)
    for tz in shown:
        name = "Actual / projected" if live else "Clock"
        table.add_column(f"{name} {tz.name}" if len(shown) > 1 else name, no_wrap=True)
    if live:
        table.add_column("Late", justify="right", no_wrap=True)
    table.add_column("Dur", justify="right", no_wrap=True)
    if not schedule:
        table.add_column("Running", justify="right", no_wrap=True)
    show_backtime = backtime and timeline.hard_out is not None
    if show_backtime:
        table.add_column("Start by", no_wrap=True)
        table.add_column("Slack", justify="right", no_wrap=True)
    table.add_column("Kind", no_wrap=True)
    table.add_column("Title", min_width=24)
    table.add_column("Who", min_width=16)
    width = len(table.columns)
    day = None
    for slot in timeline.slots:
        local_day = slot.start.expected.astimezone(home).date()
        if local_day != day and (schedule or day is not None):
            heading = Text(f"{local_day:%A %d %B %Y}", style="bold underline")
            table.add_row(*[""] * (width - 2), heading, "")
        day = local_day
        if slot.gap_before and not schedule:
            style = "red" if slot.gap_before < timedelta(0) else "dim"
            word = "overlap" if slot.gap_before < timedelta(0) else "gap"
            note = Text(f"{word} of {format_duration(abs(slot.gap_before))}", style=style)
            table.add_row(*[""] * (width - 2), note, "")
        cells: list[str | Text] = []
        if live:
            planned = slot.planned_start or slot.start.expected
            cells.append(clock(planned, home, day_of=timeline.start, offset_of=timeline.start))
        cells.extend(_when(slot, tz, timeline, first=tz is home) for tz in shown)
        if live:
            cells.append(_late(slot))
        cells.append(_duration(slot))
        if not schedule:
            cells.append(format_clock_duration(slot.running))
        if show_backtime:
            cells.extend(_backtime(slot, home, timeline))
        cells.extend(_described(slot, segments.get(slot.id), names))
        table.add_row(*cells, style="dim" if slot.state == "done" else None)
    return table


def _when(slot: Slot, tz: pendulum.Timezone, timeline: Timeline, *, first: bool) -> str:
    """The clock in ``tz``; the first (home) zone has day headings, others a day marker."""
    day_of = None if first else timeline.start
    text = clock(slot.start.expected, tz, day_of=day_of, offset_of=timeline.start)
    if not slot.start.exact:
        text += f" ({clock(slot.start.earliest, tz)}–{clock(slot.start.latest, tz)})"
    mark = _STATE_MARK[slot.state] if first else ""
    return mark + ("■ " if slot.hard else "") + text


def _late(slot: Slot) -> Text:
    late = slot.late
    if not late:
        return Text("0", style="dim")
    return Text(format_duration(late, signed=True), style="red" if late > timedelta(0) else "green")


def _duration(slot: Slot) -> str:
    text = format_duration(slot.duration)
    low, high = slot.end.earliest - slot.start.earliest, slot.end.latest - slot.start.latest
    if low != high:
        text += f" ({format_duration(low)}–{format_duration(high)})"
    return text


def _backtime(slot: Slot, home: pendulum.Timezone, timeline: Timeline) -> list[str | Text]:
    if slot.must_start_by is None or slot.slack is None:
        return ["", ""]
    by = clock(slot.must_start_by, home, offset_of=timeline.start)
    style = "red" if slot.slack < timedelta(0) else ""
    return [by, Text(format_duration(slot.slack, signed=True), style=style)]


def _described(
    slot: Slot, segment: Segment | None, names: Mapping[str, str]
) -> tuple[str, Text, str]:
    """The kind, title (with details) and who cells of a row."""
    return _kind(slot, segment), _title_cell(slot, segment, names), _who(slot)


def _kind(slot: Slot, segment: Segment | None) -> str:
    """The kind in words (``flag raising``); a custom segment's own (``flypast``)."""
    if isinstance(segment, Custom) and segment.what:
        return segment.what
    return slot.kind.replace("_", " ")


def _title_cell(slot: Slot, segment: Segment | None, names: Mapping[str, str]) -> Text:
    title = Text("  " * slot.depth + slot.title, style="bold" if slot.kind == "act" else "")
    if slot.over_under is not None:
        title.append(
            f"  (target {format_duration(slot.target or timedelta(0))}, "
            f"{format_duration(slot.over_under, signed=True)})",
            style="dim",
        )
    if slot.state == "running" and slot.elapsed is not None and slot.remaining is not None:
        title.append(
            f"  running {format_clock_duration(slot.elapsed)}, "
            f"{format_clock_duration(slot.remaining)} left",
            style="bold yellow",
        )
    elif slot.state == "done" and slot.overrun and slot.target is None:
        title.append(f"  ({format_duration(slot.overrun, signed=True)})", style="dim")
    details = () if segment is None or slot.kind == "act" else segment.details(names=names)
    if details:  # an act's (its target) is in its title already
        title.append("\n" + "  " * slot.depth + " · ".join(details), style="italic")
    return title


def _who(slot: Slot) -> str:
    names = list(dict.fromkeys(name for _, name in slot.who))
    return ", ".join(names)


def _title(timeline: Timeline, home: pendulum.Timezone) -> str:
    start = timeline.start.astimezone(home)
    text = f"[bold]{escape(timeline.title)}[/] — {start:%A %d %B %Y}, {home.name}"
    if timeline.now is not None:
        text += f" — live at {clock(timeline.now, home, day_of=timeline.start)}"
    return text


def _caption(timeline: Timeline) -> str:
    if timeline.kind == "schedule":
        text = f"{len(timeline.slots)} sessions"
        if timeline.unscheduled:
            text += f"; {len(timeline.unscheduled)} without a time not shown"
        return text
    home = zone(timeline.zone)
    ends = "projected to end" if timeline.live else "ends"
    text = (
        f"Starts {clock(timeline.start, home)}, {ends} "
        f"{clock(timeline.end.expected, home, day_of=timeline.start)}, running "
        f"{format_clock_duration(timeline.end.expected - timeline.start)}"
    )
    if timeline.live and timeline.late:
        text += f" ({format_duration(timeline.late, signed=True)} against the plan)"
    if timeline.hard_out is not None and timeline.over_under is not None:
        verdict = "over" if timeline.over_under > timedelta(0) else "under"
        text += (
            f"; hard out {clock(timeline.hard_out, home, day_of=timeline.start)}, "
            f"{format_duration(abs(timeline.over_under))} {verdict}"
        )
    if timeline.skipped:
        text += f"; skipped: {', '.join(timeline.skipped)}"
    text += ". ■ = hard start"
    if timeline.live:
        text += ", ✓ = done, ▶ = running"
    return text
