"""What changed between two revisions of a programme: :func:`diff` gives :class:`Changes`.

Items (ceremonies, segments, sessions and units) are matched by id. Times are compared as
resolved instants in UTC, so a segment that moves because the one before it got longer
is *retimed* even though its own line in the file did not change, and a time written in
another zone or offset that is the same instant is no change at all.

Each changed item lists its :class:`FieldChange` s, in categories: ``retimed`` (start,
end, hard out), ``moved`` (venue, location), ``renamed`` (title), ``status`` and
``edited`` (anything else: people, notes, cues ...). iCalendar feeds raise an event's
SEQUENCE on any of them; printed sheets mark them in the margin.

A change holds the model's own values (cues as :class:`~ceremony.Cue` s, instants in
UTC, durations, enums, tuples of ids), compared as values: only the renderers
(:mod:`ceremony.export.changes`, the sheets' change marks) put them into words or data.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, Literal

import attrs

from ceremony.errors import ModelError
from ceremony.model import Ceremony, CompetitionSession, Programme, Segment
from ceremony.timing import Timeline, resolve
from ceremony.zones import utc

Category = Literal["retimed", "moved", "renamed", "status", "edited"]

_CATEGORY: dict[str, Category] = {
    "start": "retimed",
    "end": "retimed",
    "hard_out": "retimed",
    "venue": "moved",
    "location": "moved",
    "title": "renamed",
    "status": "status",
}
# Compared through the resolved times (or not at all: ids, children, which are items);
# the title is compared as the item's label; a ceremony's hard out as an instant.
_NOT_FIELDS = {"id", "title", "start", "end", "duration", "hard_out", "segments", "units"}


@attrs.frozen
class FieldChange:
    """One field of one item: its old and new value, as the model holds them.

    ``start``, ``end`` and ``hard_out`` are instants in UTC (None for a segment that is cut);
    any other field has the model's value: text, a tuple of ids, a tuple of
    :class:`~ceremony.Cue` s, a duration, an enum member (``ScheduleStatus.CANCELLED``) ...
    """

    field: str
    old: Any
    new: Any

    @property
    def category(self) -> Category:
        """``retimed``, ``moved``, ``renamed``, ``status`` or ``edited``."""
        return _CATEGORY.get(self.field, "edited")


@attrs.frozen(kw_only=True)
class ItemChange:
    """An item added, removed or changed."""

    id: str
    change: Literal["added", "removed", "changed"]
    kind: str
    """``ceremony``, ``session`` or the segment's kind."""
    title: str
    """The new title (the old one for a removed item)."""
    zone: str
    """The IANA zone the item's times are read in (for showing them)."""
    start: datetime | None = None
    """The new start (the old one for a removed item), in UTC."""
    end: datetime | None = None
    fields: tuple[FieldChange, ...] = ()
    ceremony: str | None = None
    """The id of the ceremony a segment is in (the new one; the old one for a removed
    segment); None for a ceremony or a session."""

    @property
    def categories(self) -> tuple[Category, ...]:
        """The categories of the changed fields, each once, in a fixed order."""
        found = {change.category for change in self.fields}
        order: tuple[Category, ...] = ("retimed", "moved", "renamed", "status", "edited")
        return tuple(category for category in order if category in found)

    def field(self, name: str) -> FieldChange | None:
        """The change to one field, if it changed."""
        return next((change for change in self.fields if change.field == name), None)


@attrs.frozen(kw_only=True)
class Changes:
    """Every difference between two revisions, new document order first, then removals."""

    old_revision: str | None = None
    new_revision: str | None = None
    items: tuple[ItemChange, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[ItemChange]:
        return iter(self.items)

    def get(self, item_id: str) -> ItemChange | None:
        """The change to one item, if it changed."""
        return next((item for item in self.items if item.id == item_id), None)

    def _where(self, predicate: Any) -> tuple[ItemChange, ...]:
        return tuple(item for item in self.items if predicate(item))

    @property
    def added(self) -> tuple[ItemChange, ...]:
        """Items only in the new revision."""
        return self._where(lambda item: item.change == "added")

    @property
    def removed(self) -> tuple[ItemChange, ...]:
        """Items only in the old revision."""
        return self._where(lambda item: item.change == "removed")

    @property
    def changed(self) -> tuple[ItemChange, ...]:
        """Items in both whose fields differ."""
        return self._where(lambda item: item.change == "changed")

    def in_category(self, category: Category) -> tuple[ItemChange, ...]:
        """Changed items with a change of this category (``retimed``, ``moved`` ...)."""
        return self._where(lambda item: category in item.categories)


@attrs.frozen
class _Snapshot:
    """What an item looks like in one revision, ready to compare."""

    kind: str
    title: str
    zone: str
    start: datetime | None
    end: datetime | None
    values: dict[str, Any]
    ceremony: str | None = None


def diff(old: Programme, new: Programme, *, timelines: Iterable[Timeline] = ()) -> Changes:
    """The changes from ``old`` to ``new``; ``diff(p, p)`` is empty.

    ``timelines`` are plans of ``new``'s ceremonies the caller has already resolved (a
    sheet has its ceremony's): they are used instead of resolving those ceremonies again.

    Raises :class:`~ceremony.TimingError` when a ceremony of either cannot be resolved, and
    :class:`~ceremony.ModelError` when one of ``timelines`` is live (its times are not the
    plan) or is not one of ``new``'s ceremonies.
    """
    ceremonies = {ceremony.id for ceremony in new.ceremonies}
    resolved: dict[str, Timeline] = {}
    for timeline in timelines:
        if timeline.kind != "ceremony":
            continue  # a schedule's times are the sessions' own: nothing to resolve
        if timeline.live:
            raise ModelError(f"the timeline of {timeline.id!r} is live: diff compares plans")
        if timeline.id not in ceremonies:
            raise ModelError(f"{timeline.id!r} is not a ceremony of the new revision")
        resolved[timeline.id] = timeline
    before, after = _snapshots(old), _snapshots(new, resolved)
    items: list[ItemChange] = []
    for item_id, now in after.items():
        was = before.get(item_id)
        if was is None:
            items.append(_item(item_id, "added", now))
            continue
        fields = list(_field_changes(was, now))
        if fields:
            items.append(_item(item_id, "changed", now, fields))
    items.extend(
        _item(item_id, "removed", was) for item_id, was in before.items() if item_id not in after
    )
    return Changes(old_revision=old.revision, new_revision=new.revision, items=tuple(items))


def _item(
    item_id: str,
    change: Literal["added", "removed", "changed"],
    snapshot: _Snapshot,
    fields: list[FieldChange] | None = None,
) -> ItemChange:
    return ItemChange(
        id=item_id,
        change=change,
        kind=snapshot.kind,
        title=snapshot.title,
        zone=snapshot.zone,
        start=snapshot.start,
        end=snapshot.end,
        fields=tuple(fields or ()),
        ceremony=snapshot.ceremony,
    )


def _field_changes(was: _Snapshot, now: _Snapshot) -> Iterator[FieldChange]:
    if was.kind != now.kind:
        yield FieldChange("kind", was.kind, now.kind)
    if was.title != now.title:
        yield FieldChange("title", was.title, now.title)
    for name in ("start", "end"):
        old_value, new_value = getattr(was, name), getattr(now, name)
        if old_value != new_value:  # both in UTC: compared as instants
            yield FieldChange(name, old_value, new_value)
    for name in dict.fromkeys([*was.values, *now.values]):
        old_value, new_value = was.values.get(name), now.values.get(name)
        if old_value != new_value:
            yield FieldChange(name, old_value, new_value)


def _snapshots(
    programme: Programme, timelines: dict[str, Timeline] | None = None
) -> dict[str, _Snapshot]:
    found: dict[str, _Snapshot] = {}
    for ceremony in programme.ceremonies:
        timeline = (timelines or {}).get(ceremony.id) or resolve(programme, ceremony=ceremony.id)
        zone = timeline.zone
        found[ceremony.id] = _Snapshot(
            kind="ceremony",
            title=ceremony.title,
            zone=zone,
            start=timeline.start,
            end=timeline.end.expected,
            values=_values(ceremony),
        )
        slots = {slot.id: slot for slot in timeline.slots}
        for _, segment in ceremony.walk():
            slot = slots.get(segment.id)  # skipped segments have no slot
            found[segment.id] = _Snapshot(
                kind=segment.kind,
                title=segment.label,
                zone=zone,
                start=None if slot is None else slot.start.expected,
                end=None if slot is None else slot.end.expected,
                values=_values(segment),
                ceremony=ceremony.id,
            )
    for _, session in programme.all_sessions():
        ends = session.ends
        found[session.id] = _Snapshot(
            kind="session",
            title=session.label,
            zone=programme.zone_name(session.venue),
            start=None if session.start is None else utc(session.start),
            end=None if ends is None else utc(ends),
            values=_values(session),
        )
    return found


def _values(item: Ceremony | Segment | CompetitionSession) -> dict[str, Any]:
    """The item's other fields, listed as a show file lists them.

    First the fields that have no default, then those set, then those left at their
    default, each group in the order the model declares them; a ceremony's hard out (an
    instant, in UTC) comes last.
    """
    groups: tuple[dict[str, Any], ...] = ({}, {}, {})
    for field in attrs.fields(type(item)):
        if field.name not in _NOT_FIELDS:
            value = getattr(item, field.name)
            groups[_group(field, value)][field.name] = value
    values = groups[0] | groups[1] | groups[2]
    if isinstance(item, Ceremony):
        values["hard_out"] = None if item.hard_out is None else utc(item.hard_out)
    return values


def _group(field: attrs.Attribute[Any], value: Any) -> int:
    """0 for a field without a default, 1 for one set, 2 for one left at its default."""
    default: Any = field.default
    if default is attrs.NOTHING:
        return 0
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        default = default.factory()
    return 2 if value == default else 1
