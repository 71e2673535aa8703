"""Change marks: what a :class:`~ceremony.Changes` value says about each row of a sheet.

A changed row gets the previous value of every printed column that changed (and its cues
the clock time they fell at before their item moved), a new row its ``new`` mark; items
gone from the ceremony (or schedule) are listed as removed, and the summary shows where the
end and the hard out were.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

import attrs

from ceremony.durations import format_clock_duration
from ceremony.export.sheets.view import CueLine, RemovedItem, SheetRow
from ceremony.export.timeline import show_clock
from ceremony.model.wording import kind_label
from ceremony.revisions import Changes, ItemChange
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
        if field.field == "start" and isinstance(field.old, datetime):
            old_start = field.old
            was["start"] = show_clock(field.old, timeline)
        elif field.field == "end" and isinstance(field.old, datetime):
            old_end = field.old
            was["end"] = show_clock(field.old, timeline)
        elif field.field == "title" and isinstance(field.old, str):
            was["title"] = field.old
        elif field.field == "location":
            was["where"] = str(field.old or "—")
        elif field.field == "venue":
            was["where"] = venues.get(str(field.old), str(field.old or "—"))
        elif field.field == "notes":
            was["notes"] = str(field.old or "—")
        elif field.field == "cues":
            was["cues"] = _old_cues(field.old)
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


def _cue_was(cue: CueLine, shifts: tuple[timedelta, timedelta], timeline: Timeline) -> CueLine:
    """The cue with the clock time it fell at before its item moved (if it moved)."""
    shift = shifts[1] if cue.when == "at end" else shifts[0]
    return attrs.evolve(cue, was=show_clock(cue.at + shift, timeline)) if shift else cue


def _old_cues(old: object) -> str:
    """The previous cue list (as :func:`~ceremony.diff` gives it: plain data) in words."""
    if not isinstance(old, list) or not old:
        return "—"
    parts = []
    for cue in old:
        if isinstance(cue, dict):
            label = cue.get("label") or cue.get("department", "")
            parts.append(f"{label} at {cue.get('when', 'start')}: {cue.get('text', '')}")
    return "; ".join(parts)


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
            if field.field == "end" and isinstance(field.old, datetime):
                was["end"] = show_clock(field.old, timeline)
            if field.field == "hard_out" and isinstance(field.old, datetime):
                was["hard_out"] = show_clock(field.old, timeline)
    return was
