"""Which columns a sheet prints, and clock readings written alike down one column.

:func:`sheet_columns` is the one decision every renderer follows: a column with nothing
in it is left out (and :func:`folded` says which sparse ones print under the title on
paper). :class:`ColumnClock` writes every reading of a column as ``HH:MM``, or all of them
as ``HH:MM:SS`` when one of them needs its seconds; :class:`SheetClocks` holds one per
column of a sheet, and :func:`written_alike` writes a marked row's old values the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta, tzinfo

import attrs

from ceremony.durations import format_duration, parse_duration
from ceremony.export.sheets.view import COLUMNS, Column, SheetRow
from ceremony.timing import Slot, Timeline
from ceremony.zones import zone

_ONE_UNIT = re.compile(r"(\d+)([hms])")


def sheet_columns(
    rows: Sequence[SheetRow],
    *,
    schedule: bool,
    live: bool,
    extra_zones: Sequence[str],
    backtime: bool,
    public: bool,
) -> tuple[Column, ...]:
    """The columns of :data:`~ceremony.export.sheets.view.COLUMNS` that have something to say.

    The number, start, duration, end and item are always there; the kind only when the
    items are of more than one kind; who, where, cues, notes, delegations, athletes and
    results only when a row has one (or had one, with change marks).
    """
    items = [row for row in rows if not row.heading]

    def has(field: str) -> bool:
        return any(getattr(row, field) or field in row.was for row in items)

    present: dict[Column, bool] = {
        "number": True,
        "planned": live,
        "start": True,
        "late": live,
        "clocks": bool(extra_zones),
        "duration": True,
        "end": True,
        "running": not schedule,
        "start_by": backtime and any(row.start_by for row in rows),
        "slack": backtime and any(row.slack for row in rows),
        "kind": len({row.kind_label for row in items}) > 1,
        "item": True,
        "delegations": has("delegations"),
        "athletes": has("athletes"),
        "results": has("results"),
        "who": has("who"),
        "where": has("where"),
        "cues": not public and has("cues"),
        "notes": has("notes"),
    }
    return tuple(column for column in COLUMNS if present[column])


FOLDABLE: tuple[Column, ...] = ("where", "notes")
"""Columns whose few values are printed under the item's title instead (see :func:`folded`)."""


def folded(rows: Sequence[SheetRow], columns: Sequence[Column]) -> tuple[Column, ...]:
    """The columns of ``columns`` too sparse for a column of their own on paper.

    A place or a note that fewer than a third of the items have is printed under the
    item's title (``Where: Official stand``), so its column's width goes to the item and
    the cues. Text and CSV keep them as they are.
    """
    items = [row for row in rows if not row.heading]
    return tuple(
        column
        for column in FOLDABLE
        if column in columns
        and 3 * sum(1 for row in items if getattr(row, column) or column in row.was) < len(items)
    )


@attrs.frozen
class ColumnClock:
    """How one column writes clock readings: with seconds when any of its readings has them."""

    seconds: bool

    @classmethod
    def of(cls, instants: Iterable[datetime | None]) -> ColumnClock:
        """The format for a column showing ``instants`` (None: an empty cell)."""
        return cls(any(instant.second for instant in instants if instant is not None))

    def read(
        self,
        instant: datetime,
        tz: tzinfo,
        *,
        day: date | None = None,
        offset_of: datetime | None = None,
    ) -> str:
        """``22:54`` (``22:54:30`` with seconds); ``00:30 +1d`` past midnight of ``day``.

        With the UTC offset (``02:30 +01:00``) when it differs from ``offset_of``'s, so the
        repeated hour of a daylight-saving change reads unambiguously. A reading with
        seconds keeps them even in an ``HH:MM`` column (never a wrong time).
        """
        local = instant.astimezone(tz)
        text = local.strftime("%H:%M:%S" if self.seconds or local.second else "%H:%M")
        if offset_of is not None:
            offset = local.utcoffset()
            if offset != offset_of.astimezone(tz).utcoffset():
                raw = local.strftime("%z")
                text += f" {raw[:3]}:{raw[3:]}"
        if day is not None and (days := (local.date() - day).days):
            text += f" {days:+d}d"
        return text


def compact_range(shortest: timedelta, longest: timedelta) -> str:
    """A ranged duration as the duration column prints it: ``4–8m``, ``45m–1h10m``."""
    low, high = format_duration(shortest), format_duration(longest)
    low_parts, high_parts = _ONE_UNIT.fullmatch(low), _ONE_UNIT.fullmatch(high)
    if low_parts and high_parts and low_parts[2] == high_parts[2]:
        return f"{low_parts[1]}–{high}"
    return f"{low}–{high}"


class SheetClocks:
    """The clock readings of one sheet, each column written alike (``HH:MM`` or ``HH:MM:SS``).

    A ceremony counts days (``+1d``) from the show's first; a schedule, printed under a
    heading per day, from the day each session starts on.
    """

    def __init__(
        self,
        timeline: Timeline,
        slots: list[Slot],
        extras: tuple[str, ...],
        deadlines: dict[str, datetime],
        *,
        cue_instants: Iterable[datetime],
    ) -> None:
        self.timeline = timeline
        self.home = zone(timeline.zone)
        self.extras: list[tzinfo] = [zone(name) for name in extras]
        self.schedule = timeline.kind == "schedule"
        starts = [
            instant
            for slot in slots
            for instant in (slot.start.earliest, slot.start.expected, slot.start.latest)
        ]
        self.start = ColumnClock.of([*starts, *(slot.actual_start for slot in slots)])
        self.end = ColumnClock.of(slot.end.expected for slot in slots)
        self.planned = ColumnClock.of(slot.planned_start for slot in slots)
        self.start_by = ColumnClock.of(deadlines.values())
        self.cues = ColumnClock.of(cue_instants)

    def day(self, slot: Slot) -> date:
        """The day a row's start is counted from, in the show's zone."""
        anchor = slot.start.expected if self.schedule else self.timeline.start
        return anchor.astimezone(self.home).date()

    def read(
        self, face: ColumnClock, instant: datetime, slot: Slot, tz: tzinfo | None = None
    ) -> str:
        """``instant`` in ``tz`` (the show's zone by default), days counted as the row's."""
        if tz is None or self.schedule:
            day = self.day(slot)
        else:  # a ceremony's other zone counts from the show's first day there
            day = self.timeline.start.astimezone(tz).date()
        return face.read(instant, tz or self.home, day=day, offset_of=self.timeline.start)


_MINUTES = re.compile(r"^(\d\d:\d\d)(?= |$)")


def written_alike(row: SheetRow, reader: SheetClocks) -> SheetRow:
    """The old values of a marked row written as their columns write the new ones.

    The old duration as ``12m``; an old clock time with ``:00`` seconds in a column whose
    readings have seconds (the struck-through value reads like the one beside it).
    """
    was = dict(row.was)
    if "duration" in was:
        was["duration"] = format_duration(parse_duration(was["duration"], signed=True))
    for key, face in (("start", reader.start), ("end", reader.end)):
        if key in was and face.seconds:
            was[key] = _MINUTES.sub(r"\1:00", was[key])
    cues = tuple(
        attrs.evolve(cue, was=_MINUTES.sub(r"\1:00", cue.was))
        if cue.was is not None and reader.cues.seconds
        else cue
        for cue in row.cues
    )
    return attrs.evolve(row, was=was, cues=cues)
