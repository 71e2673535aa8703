"""A timeline as plain data (for JSON) and as clock readings in any zone."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, tzinfo
from typing import Any

from ceremony.durations import format_duration
from ceremony.model import Programme, Segment
from ceremony.model.directory import Directory
from ceremony.timing import Slot, Timeline, TimeWindow
from ceremony.zones import zone


def clock(
    instant: datetime,
    tz: tzinfo,
    *,
    day_of: datetime | None = None,
    offset_of: datetime | None = None,
) -> str:
    """A wall-clock reading such as ``22:54``.

    ``00:30 +1d`` past midnight of ``day_of``'s day; with the UTC offset (``02:30 +01:00``)
    when it differs from ``offset_of``'s, so the repeated hour of a daylight-saving change
    reads unambiguously.
    """
    local = instant.astimezone(tz)
    text = local.strftime("%H:%M:%S" if local.second else "%H:%M")
    if offset_of is not None and local.utcoffset() != offset_of.astimezone(tz).utcoffset():
        text += " " + local.strftime("%z")[:3] + ":" + local.strftime("%z")[3:]
    if day_of is not None:
        days = (local.date() - day_of.astimezone(tz).date()).days
        if days:
            text += f" {days:+d}d"
    return text


def show_clock(instant: datetime, timeline: Timeline, tz: tzinfo | None = None) -> str:
    """``instant`` on the show's clock: in the timeline's zone (or ``tz``), from its start.

    Days (``+1d``) and a changed UTC offset are counted from the timeline's start.
    """
    return clock(
        instant, tz or zone(timeline.zone), day_of=timeline.start, offset_of=timeline.start
    )


def _window(window: TimeWindow, tz: tzinfo) -> dict[str, str]:
    return {
        "earliest": window.earliest.astimezone(tz).isoformat(),
        "expected": window.expected.astimezone(tz).isoformat(),
        "latest": window.latest.astimezone(tz).isoformat(),
    }


def _signed(value: timedelta | None) -> str | None:
    return None if value is None else format_duration(value, signed=True)


def segments_of(programme: Programme | None, timeline: Timeline) -> dict[str, Segment]:
    """The segments of ``timeline``'s ceremony in ``programme``, by id.

    None for a schedule (its items are sessions) or when no programme is given.
    """
    if programme is None or timeline.kind != "ceremony":
        return {}
    return {segment.id: segment for _, segment in programme.ceremony(timeline.id).walk()}


def delegation_names(programme: Programme | None) -> Mapping[str, str]:
    """The programme's delegation names by id, for the details that name delegations."""
    return {} if programme is None else Directory.of(programme).delegation_names


def _slot(
    slot: Slot, tz: tzinfo, segment: Segment | None, names: Mapping[str, str]
) -> dict[str, Any]:
    return {
        "id": slot.id,
        "kind": slot.kind,
        "title": slot.title,
        "details": [] if segment is None else list(segment.details(names=names)),
        "depth": slot.depth,
        "track": slot.track,
        "hard": slot.hard,
        "start": slot.start.expected.astimezone(tz).isoformat(),
        "end": slot.end.expected.astimezone(tz).isoformat(),
        "duration": format_duration(slot.duration),
        "start_window": _window(slot.start, tz),
        "end_window": _window(slot.end, tz),
        "running": format_duration(slot.running),
        "gap_before": _signed(slot.gap_before),
        "to_hard_out": _signed(slot.to_hard_out),
        "target": None if slot.target is None else format_duration(slot.target),
        "over_under": _signed(slot.over_under),
        "who": [{"role": role, "name": name} for role, name in slot.who],
        "floats": slot.floats,
        "must_start_by": _instant(slot.must_start_by, tz),
        "slack": _signed(slot.slack),
        "planned_start": _instant(slot.planned_start, tz),
        "planned_end": _instant(slot.planned_end, tz),
        "state": slot.state,
        "actual_start": _instant(slot.actual_start, tz),
        "actual_end": _instant(slot.actual_end, tz),
        "late": format_duration(slot.late, signed=True),
        "overrun": format_duration(slot.overrun, signed=True),
        "elapsed": None if slot.elapsed is None else format_duration(slot.elapsed),
        "remaining": None if slot.remaining is None else format_duration(slot.remaining),
    }


def _instant(value: datetime | None, tz: tzinfo) -> str | None:
    return None if value is None else value.astimezone(tz).isoformat()


def timeline_to_dict(
    timeline: Timeline, tz: str | None = None, *, programme: Programme | None = None
) -> dict[str, Any]:
    """The timeline as JSON-ready data.

    Times are ISO 8601 with offsets, in ``tz`` (default: the show's own zone). Each slot's
    ``details`` lists what its kind is about in words (``Anthem: La Marseillaise``), read
    from the segments of ``programme``, the programme the timeline was resolved from
    (empty without it, and for sessions).
    """
    shown = zone(tz or timeline.zone)
    segments = segments_of(programme, timeline)
    names = delegation_names(programme)
    return {
        "id": timeline.id,
        "title": timeline.title,
        "kind": timeline.kind,
        "zone": shown.name,
        "start": timeline.start.astimezone(shown).isoformat(),
        "end": timeline.end.expected.astimezone(shown).isoformat(),
        "end_window": _window(timeline.end, shown),
        "hard_out": None
        if timeline.hard_out is None
        else timeline.hard_out.astimezone(shown).isoformat(),
        "over_under": _signed(timeline.over_under),
        "planned_end": _instant(timeline.planned_end, shown),
        "late": format_duration(timeline.late, signed=True),
        "live": timeline.live,
        "now": _instant(timeline.now, shown),
        "skipped": list(timeline.skipped),
        "slots": [_slot(slot, shown, segments.get(slot.id), names) for slot in timeline.slots],
        "unscheduled": list(timeline.unscheduled),
    }
