"""A timeline as a rich table for the terminal: the run-of-show at a glance.

The table takes the width it has to fit (:func:`choose_layout`) and never cuts a word:

- ``wide`` (120 columns and more, when it fits): a column each for the clock (one per zone),
  duration, running time, kind, title (the kind's details under it) and who; with
  ``backtime``, the latest start that still lands the show on time and the slack; live, the
  plan beside the projection and how late each item is.
- ``stacked`` (80 to 119, or when the wide one does not fit): one Item column, the title
  with the kind and details on the line under it and who (indented) under those; the
  running time under the duration, the slack under the start-by time, how late an item is
  under its actual or projected start; each other zone a narrow column of its own.
- ``narrow`` (under 80, or when the stacked one does not fit): as stacked, with the planned
  start under the actual or projected one, and the back-timing as a line of the item.

Live, a show that started late says so in the title (``started 3m late``), not as a gap
before its first item.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Literal, NamedTuple

import attrs
import pendulum
from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ceremony.durations import format_clock_duration, format_duration
from ceremony.export.timeline import clock, delegation_names, segments_of
from ceremony.model import Custom, Programme, Segment
from ceremony.timing import Slot, Timeline
from ceremony.zones import zone

__all__ = ["STACKED_FROM", "WIDE_FROM", "Layout", "choose_layout", "over_under", "timeline_table"]

Layout = Literal["wide", "stacked", "narrow"]

WIDE_FROM = 120
"""The narrowest terminal that gets the wide table (a column for everything)."""
STACKED_FROM = 80
"""The narrowest terminal that gets the stacked table; narrower ones get the narrow one."""

_FROM: tuple[tuple[Layout, int], ...] = (("wide", WIDE_FROM), ("stacked", STACKED_FROM))

_TEXT_MIN = {"title": 24, "who": 16, "item": 30, "narrow item": 20, "least item": 10}
"""The least width of each column of words: they wrap at spaces to fit it."""

_STATE_MARK = {"done": "✓ ", "running": "▶ ", "upcoming": "  ", "planned": ""}


def choose_layout(width: int | None, needed: Mapping[Layout, int]) -> Layout:
    """The roomiest layout for a terminal ``width`` columns wide (None: unlimited).

    ``wide`` from :data:`WIDE_FROM` columns, ``stacked`` from :data:`STACKED_FROM`, else
    ``narrow``; a layout whose ``needed`` width (for this timeline) does not fit gives way
    to the next one down.

    >>> choose_layout(120, {"wide": 110, "stacked": 70, "narrow": 40})
    'wide'
    >>> choose_layout(120, {"wide": 150, "stacked": 70, "narrow": 40})
    'stacked'
    """
    if width is None:
        return "wide"
    if width >= WIDE_FROM and needed.get("wide", 0) <= width:
        return "wide"
    if width >= STACKED_FROM and needed.get("stacked", 0) <= width:
        return "stacked"
    return "narrow"


def over_under(delta: timedelta) -> str:
    """An end against its target in words: ``4m under``, ``2m over`` or ``on time``."""
    if not delta:
        return "on time"
    return f"{format_duration(abs(delta))} {'over' if delta > timedelta(0) else 'under'}"


def timeline_table(
    timeline: Timeline,
    extra_zones: tuple[str, ...] = (),
    *,
    width: int | None = None,
    backtime: bool = False,
    programme: Programme | None = None,
) -> Table:
    """The timeline as a table that fits ``width`` columns (None: the wide table, unlimited).

    ``extra_zones`` add clock columns (IANA names). ``programme``, the programme the
    timeline was resolved from, gives each segment's details and a custom segment's own
    kind (its ``what``).
    """
    home = zone(timeline.zone)
    show = _Show(
        timeline=timeline,
        home=home,
        extra=tuple(zone(name) for name in dict.fromkeys(extra_zones) if name != timeline.zone),
        segments=segments_of(programme, timeline),
        names=delegation_names(programme),
        backtime=backtime and timeline.hard_out is not None,
    )
    needed = {  # measured only where the width could take them
        name: _needed(show, _LAYOUTS[name](show, width))
        for name, least in _FROM
        if width is not None and width >= least
    }
    columns = _LAYOUTS[choose_layout(width, needed)](show, width)
    table = Table(
        title=_title(timeline, home),
        title_justify="left",
        caption=_caption(timeline),
        caption_justify="left",
        header_style="bold",
        expand=False,
    )
    for column in columns:
        table.add_column(
            column.header,
            justify=column.justify,
            no_wrap=column.least is None and width is None,
            overflow="fold",  # only a word longer than its column is split, never cut
            min_width=column.least,
        )
    notes_at = next(i for i, column in enumerate(columns) if column.notes)
    day = None
    for slot in timeline.slots:
        local_day = slot.start.expected.astimezone(home).date()
        notes: list[Text] = []
        if local_day != day and (show.schedule or day is not None):
            notes.append(Text(f"{local_day:%A %d %B %Y}", style="bold underline"))
        day = local_day
        gap = _gap(slot, timeline)
        if gap is not None:
            notes.append(gap)
        for note in notes:
            table.add_row(*(note if i == notes_at else "" for i in range(len(columns))))
        table.add_row(
            *(column.cell(slot) for column in columns),
            style="dim" if slot.state == "done" else None,
        )
    return table


@attrs.frozen(kw_only=True)
class _Show:
    """What every cell needs: the timeline, its zones, segments and options."""

    timeline: Timeline
    home: pendulum.Timezone
    extra: tuple[pendulum.Timezone, ...]
    segments: Mapping[str, Segment]
    names: Mapping[str, str]
    backtime: bool

    @property
    def schedule(self) -> bool:
        return self.timeline.kind == "schedule"

    @property
    def live(self) -> bool:
        return self.timeline.live

    def segment(self, slot: Slot) -> Segment | None:
        return self.segments.get(slot.id)

    def planned(self, slot: Slot) -> str:
        start = self.timeline.start
        return clock(slot.planned_start or slot.start.expected, self.home, day_of=start)

    def at(self, slot: Slot, tz: pendulum.Timezone) -> str:
        """The expected start in ``tz``, with a day marker (``00:10 +1d``)."""
        start = self.timeline.start
        return clock(slot.start.expected, tz, day_of=start, offset_of=start)


class _Column(NamedTuple):
    header: str
    cell: Callable[[Slot], RenderableType]
    justify: Literal["left", "right"] = "left"
    least: int | None = None
    """The least width of a column of words (they wrap); None: as wide as its widest line."""
    notes: bool = False
    """The column that carries day headings and gaps."""


def _wide(show: _Show, _width: int | None) -> list[_Column]:
    """Today's table: a column for each thing."""
    columns = []
    if show.live:
        columns.append(_Column("Planned", lambda slot: Text(show.planned(slot))))
    shown = (show.home, *show.extra)
    name = "Actual / projected" if show.live else "Clock"
    for tz in shown:
        header = f"{name} {tz.name}" if len(shown) > 1 else name
        columns.append(_Column(header, _clock_cell(show, tz, stacked=False)))
    if show.live:
        columns.append(_Column("Late", _late, "right"))
    columns.append(_Column("Dur", _duration_line, "right"))
    if not show.schedule:
        columns.append(
            _Column("Running", lambda slot: Text(format_clock_duration(slot.running)), "right")
        )
    if show.backtime:
        columns.append(_Column("Start by", lambda slot: _start_by(show, slot)[0]))
        columns.append(_Column("Slack", lambda slot: _start_by(show, slot)[1], "right"))
    columns += [
        _Column("Kind", lambda slot: Text(_kind(slot, show.segment(slot)))),
        _Column(
            "Title", lambda slot: _title_cell(show, slot), least=_TEXT_MIN["title"], notes=True
        ),
        _Column("Who", lambda slot: Text(_who(slot)), least=_TEXT_MIN["who"]),
    ]
    return columns


def _stacked(show: _Show, _width: int | None) -> list[_Column]:
    """One column of words (title, kind and details, who); the times stacked in pairs."""
    columns = []
    if show.live:
        columns.append(_Column("Planned", lambda slot: Text(show.planned(slot))))

    def home(slot: Slot) -> Text:
        text = _clock_cell(show, show.home, stacked=True)(slot)
        return Text("\n").join([text, _late(slot, "on time")]) if show.live else text

    columns.append(_Column("Actual /\nprojected" if show.live else "Clock", home))
    columns += _zone_columns(show)
    header = "Dur" if show.schedule else "Dur\nRunning"
    columns.append(_Column(header, lambda slot: _duration_running(show, slot), "right"))
    if show.backtime:
        columns.append(
            _Column("Start by\nSlack", lambda slot: Text("\n").join(_start_by(show, slot)))
        )
    item = _Column("Item", lambda slot: _item(show, slot), least=_TEXT_MIN["item"], notes=True)
    return [*columns, item]


def _narrow(show: _Show, width: int | None) -> list[_Column]:
    """Two columns of times (the clock, the length) and the item; other zones narrow.

    The item takes what the times leave of ``width``, down to 10 columns.
    """

    def home(slot: Slot) -> Text:
        text = _clock_cell(show, show.home, stacked=True)(slot)
        if show.live:
            planned = Text(f"plan {show.planned(slot)}", "dim")
            text = Text("\n").join([text, planned, _late(slot, "on time")])
        return text

    def item(slot: Slot) -> RenderableType:
        by, slack = _start_by(show, slot)
        if not show.backtime or not by:
            return _item(show, slot)
        line = Text(f"start by {by.plain}, slack ", "dim") + slack
        return _item(show, slot, line)

    header = "Dur" if show.schedule else "Dur\nRunning"
    times = [
        _Column("Actual" if show.live else "Clock", home),
        *_zone_columns(show),
        _Column(header, lambda slot: _duration_running(show, slot), "right"),
    ]
    least = _TEXT_MIN["narrow item"]
    if width is not None:
        left = width - _needed(show, times) - 3  # the item's rule and its two spaces
        least = max(_TEXT_MIN["least item"], min(least, left))
    return [*times, _Column("Item", item, least=least, notes=True)]


_LAYOUTS: dict[Layout, Callable[[_Show, int | None], list[_Column]]] = {
    "wide": _wide,
    "stacked": _stacked,
    "narrow": _narrow,
}
"""The columns of each layout, for a show and a width."""


def _zone_columns(show: _Show) -> list[_Column]:
    """A narrow column per other zone: its city, the clock there (with a day marker)."""
    return [
        _Column(tz.name.rpartition("/")[2].replace("_", " "), _at(show, tz)) for tz in show.extra
    ]


def _at(show: _Show, tz: pendulum.Timezone) -> Callable[[Slot], Text]:
    return lambda slot: Text(show.at(slot, tz))


def _needed(show: _Show, columns: list[_Column]) -> int:
    """The width ``columns`` need for ``show``: every clock whole, the words at their least."""
    widths = [
        column.least
        if column.least is not None
        else max(
            _widest(Text(column.header)),
            *(_widest(column.cell(slot)) for slot in show.timeline.slots),
        )
        for column in columns
    ]
    return sum(widths) + 3 * len(columns) + 1  # a space each side of a cell, and the rules


def _widest(cell: RenderableType) -> int:
    plain = cell.plain if isinstance(cell, Text) else str(cell)
    return max(cell_len(line) for line in plain.split("\n"))


def _clock_cell(show: _Show, tz: pendulum.Timezone, *, stacked: bool) -> Callable[[Slot], Text]:
    """The expected start in ``tz``, its range (if any) beside it or, ``stacked``, under it.

    The home zone has the state and hard-start marks; other zones a day marker (``+1d``),
    as the home zone has day headings.
    """
    first = tz is show.home
    timeline = show.timeline

    def cell(slot: Slot) -> Text:
        day_of = None if first else timeline.start
        text = clock(slot.start.expected, tz, day_of=day_of, offset_of=timeline.start)
        if not slot.start.exact:
            between = _between(clock(slot.start.earliest, tz), clock(slot.start.latest, tz))
            text += "\n" + "\n".join(between) if stacked else " " + "".join(between)
        mark = _STATE_MARK[slot.state] if first else ""
        return Text(mark + ("■ " if slot.hard and first else "") + text)

    return cell


def _late(slot: Slot, on_time: str = "0") -> Text:
    """How late the item starts (``+3m``, red; ``-1m``, green); ``on_time`` when it is not."""
    late = slot.late
    if not late:
        return Text(on_time, style="dim")
    return Text(format_duration(late, signed=True), style="red" if late > timedelta(0) else "green")


def _between(low: str, high: str) -> list[str]:
    """A range in brackets, ``(22:49–22:53)``; on two lines past 13 columns (``(22:49:30–``)."""
    text = f"({low}–{high})"
    return [text] if cell_len(text) <= 13 else [f"({low}–", f"{high})"]


def _duration(slot: Slot) -> list[str]:
    """The expected length, and its range when it has one: ``6m``, ``(4m–8m)``."""
    text = format_duration(slot.duration)
    low, high = slot.end.earliest - slot.start.earliest, slot.end.latest - slot.start.latest
    if low != high:
        return [text, *_between(format_duration(low), format_duration(high))]
    return [text]


def _duration_line(slot: Slot) -> Text:
    length, *between = _duration(slot)
    return Text(f"{length} {''.join(between)}" if between else length)


def _duration_running(show: _Show, slot: Slot) -> Text:
    lines = [Text(line) for line in _duration(slot)]
    if not show.schedule:
        lines.append(Text(format_clock_duration(slot.running), style="dim"))
    return Text("\n").join(lines)


def _start_by(show: _Show, slot: Slot) -> tuple[Text, Text]:
    """The latest start that lands the show on its hard out, and the slack (red if short)."""
    if slot.must_start_by is None or slot.slack is None:
        return Text(), Text()
    by = clock(slot.must_start_by, show.home, offset_of=show.timeline.start)
    style = "red" if slot.slack < timedelta(0) else ""
    return Text(by), Text(format_duration(slot.slack, signed=True), style=style)


def _gap(slot: Slot, timeline: Timeline) -> Text | None:
    """``gap of 2m`` or ``overlap of 1m`` before an item; live, a late start is in the title."""
    if not slot.gap_before or timeline.kind == "schedule":
        return None
    if timeline.live and slot.previous is None:  # from the show's start: it started late
        return None
    style = "red" if slot.gap_before < timedelta(0) else "dim"
    word = "overlap" if slot.gap_before < timedelta(0) else "gap"
    return Text(f"{word} of {format_duration(abs(slot.gap_before))}", style=style)


def _kind(slot: Slot, segment: Segment | None) -> str:
    """The kind in words (``flag raising``); a custom segment's own (``flypast``)."""
    if isinstance(segment, Custom) and segment.what:
        return segment.what
    return slot.kind.replace("_", " ")


def _headline(slot: Slot) -> Text:
    """The title, with an act's target, a running item's clock or a done item's overrun."""
    title = Text(slot.title, style="bold" if slot.kind == "act" else "")
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
    return title


def _details(show: _Show, slot: Slot) -> tuple[str, ...]:
    segment = show.segment(slot)
    if segment is None or slot.kind == "act":  # an act's (its target) is in its title already
        return ()
    return segment.details(names=show.names)


def _title_cell(show: _Show, slot: Slot) -> Text:
    """The wide table's title cell: the headline, the details under it (indented by depth)."""
    indent = "  " * slot.depth
    title = Text(indent) + _headline(slot)
    details = _details(show, slot)
    if details:
        title.append("\n" + indent + " · ".join(details), style="italic")
    return title


def _item(show: _Show, slot: Slot, *more: Text) -> RenderableType:
    """The stacked item: headline; kind and details; who (indented); then ``more`` lines."""
    kind = Text(_kind(slot, show.segment(slot)), style="dim")
    details = _details(show, slot)
    if details:
        kind.append(" · " + " · ".join(details), style="italic")
    parts: list[RenderableType] = [_headline(slot), kind]
    who = _who(slot)
    if who:
        parts.append(Padding(Text(who), (0, 0, 0, 2)))
    parts.extend(more)
    group = Group(*parts)
    return Padding(group, (0, 0, 0, 2 * slot.depth)) if slot.depth else group


def _who(slot: Slot) -> str:
    return ", ".join(dict.fromkeys(name for _, name in slot.who))


def _title(timeline: Timeline, home: pendulum.Timezone) -> str:
    start = timeline.start.astimezone(home)
    text = f"[bold]{escape(timeline.title)}[/] — {start:%A %d %B %Y}, {home.name}"
    if timeline.now is not None:
        text += f" — live at {clock(timeline.now, home, day_of=timeline.start)}"
    state = _started(timeline)
    return f"{text}, {state}" if state else text


def _started(timeline: Timeline) -> str | None:
    """Live: how the show started against its planned start (``started 3m late``).

    None for a plan, a schedule, or a show that started on time or has not started.
    """
    if not timeline.live or timeline.kind == "schedule" or not timeline.slots:
        return None
    first = min(timeline.slots, key=lambda slot: slot.start.expected)
    if first.actual_start is None:
        return None
    late = first.actual_start - timeline.start
    word = "late" if late > timedelta(0) else "early"
    return f"started {format_duration(abs(late))} {word}" if late else None


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
        text += (
            f"; hard out {clock(timeline.hard_out, home, day_of=timeline.start)}, "
            f"{over_under(timeline.over_under)}"
        )
    if timeline.skipped:
        text += f"; skipped: {', '.join(timeline.skipped)}"
    text += ". ■ = hard start"
    if timeline.live:
        text += ", ✓ = done, ▶ = running"
    return escape(text)
