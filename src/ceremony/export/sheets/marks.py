"""Change marks: what a :class:`~ceremony.Changes` value says about each row of a sheet.

A changed row gets the previous value of every printed column that changed (and its cues
the clock time they fell at before their item moved), a new row its ``new`` mark; items
gone from the ceremony (or schedule) are listed as removed, and the summary shows where the
end and the hard out were.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

import attrs

from ceremony.durations import format_clock_duration, format_duration
from ceremony.export.sheets.view import CueLine, RemovedItem, SheetRow
from ceremony.export.timeline import show_clock
from ceremony.model.cues import Cue, CueEdge, CueWhen
from ceremony.model.wording import kind_label
from ceremony.revisions import Changes, FieldChange, ItemChange
from ceremony.timing import Slot, Timeline


def marked(
    row: SheetRow,
    change: ItemChange,
    slot: Slot,
    timeline: Timeline,
    venues: Mapping[str, str],
) -> SheetRow:
    """``row`` with the marks of ``change``; ``venues`` names the venue ids."""
    if change.change == "added":
        return attrs.evolve(row, change="new", changed=())
    was: dict[str, str] = {}
    old_start, old_end = slot.start.expected, slot.end.expected
    for field in change.fields:
        column = _COLUMNS.get(field.field)
        if column is None:  # a field the sheet does not print
            continue
        if field.field == "start" and field.old is not None:  # None: the item was cut
            old_start = field.old
        if field.field == "end" and field.old is not None:
            old_end = field.old
        text = _was(field, timeline, venues)
        if text is not None:
            was[column] = text
    if old_end - old_start != slot.duration:
        was["duration"] = format_clock_duration(old_end - old_start)
    shifts = (old_start - slot.start.expected, old_end - slot.end.expected)
    # A cue that moved with its item fell at its old item time; edited cues show the old list.
    cues = row.cues if "cues" in was else tuple(_cue_was(c, shifts, timeline) for c in row.cues)
    return attrs.evolve(
        row,
        change="changed",
        changed=tuple(field.field for field in change.fields),
        was=was,
        cues=cues,
    )


_COLUMNS = {
    "start": "start",
    "end": "end",
    "title": "title",
    "location": "where",
    "venue": "where",
    "notes": "notes",
    "cues": "cues",
}
"""The printed column each changed field is shown under (``was``)."""


def _was(field: FieldChange, timeline: Timeline, venues: Mapping[str, str]) -> str | None:
    """The previous value of a printed field, as its column prints it (None: nothing to show)."""
    old = field.old
    if field.field in ("start", "end"):
        return None if old is None else show_clock(old, timeline)
    if field.field == "venue":
        return venues.get(old, old) if old else "—"
    if field.field == "cues":
        return _old_cues(old)
    if field.field == "title":
        return str(old)
    return str(old or "—")


def _cue_was(cue: CueLine, shifts: tuple[timedelta, timedelta], timeline: Timeline) -> CueLine:
    """The cue with the clock time it fell at before its item moved (if it moved)."""
    shift = shifts[1] if cue.when == "at end" else shifts[0]
    return attrs.evolve(cue, was=show_clock(cue.at + shift, timeline)) if shift else cue


def _old_cues(cues: tuple[Cue, ...]) -> str:
    """The previous cue list in words: ``LX 90 at -10s: Full stage wash; ...``."""
    if not cues:
        return "—"
    return "; ".join(
        f"{cue.label or cue.department} at {_cue_when(cue.when)}: {cue.text}" for cue in cues
    )


def _cue_when(when: CueWhen) -> str:
    """Where a cue falls in its item, as a show file writes it: ``start``, ``end``, ``-10s``."""
    if isinstance(when, CueEdge):
        return when.value
    return format_duration(when, signed=True)


def removed_items(changes: Changes, timeline: Timeline) -> tuple[RemovedItem, ...]:
    """Items of the previous revision's ceremony (or schedule) gone from this one."""
    return tuple(
        RemovedItem(
            id=item.id,
            kind=kind_label(item.kind),
            title=item.title,
            start=None if item.start is None else show_clock(item.start, timeline),
        )
        for item in changes.removed
        if (item.kind == "session" if timeline.kind == "schedule" else item.ceremony == timeline.id)
    )


def summary_was(change: ItemChange | None, timeline: Timeline) -> dict[str, str]:
    """Where the show's end and hard out were, if the ceremony's ``change`` moved them."""
    was: dict[str, str] = {}
    if change is not None and change.change == "changed":
        for field in change.fields:
            if field.field in ("end", "hard_out") and field.old is not None:
                was[field.field] = show_clock(field.old, timeline)
    return was
