"""Resolving a plan into a :class:`Timeline`: when every item starts and ends.

A segment starts where the previous segment of its track (in the same act) ends, at a hard
time, or at an anchor to another item; it lasts its duration (exact or a range) or until
its fixed end. Every start and end is a :class:`Window` (earliest, expected, latest), so
uncertainty carries downstream. Acts start like a segment, and end when their last child
ends.

Plan problems (overlaps, a show past its hard out) are not raised here; the timeline
shows them and :func:`ceremony.check` turns them into findings. Only a plan that cannot
be worked out at all (an anchor cycle, an anchor to nothing) raises :class:`TimingError`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Literal

import attrs

from ceremony.errors import Path, TimingError
from ceremony.model import (
    Act,
    Anchor,
    Ceremony,
    CompetitionSession,
    Programme,
    Relation,
    Segment,
)
from ceremony.model.timing import bounds
from ceremony.zones import UTC, utc

_ZERO = timedelta(0)


@attrs.frozen
class Window:
    """An instant known within bounds: ``earliest <= expected <= latest``."""

    earliest: datetime
    expected: datetime
    latest: datetime

    @classmethod
    def exactly(cls, instant: datetime) -> Window:
        """A window with no uncertainty."""
        return cls(instant, instant, instant)

    def shift(self, low: timedelta, mid: timedelta, high: timedelta) -> Window:
        """Add a ranged length: shortest to earliest, expected to expected, longest to latest."""
        return Window(self.earliest + low, self.expected + mid, self.latest + high)

    def __add__(self, offset: timedelta) -> Window:
        return self.shift(offset, offset, offset)

    def __sub__(self, offset: timedelta) -> Window:
        return self.shift(-offset, -offset, -offset)

    @property
    def exact(self) -> bool:
        """True when earliest, expected and latest agree."""
        return self.earliest == self.expected == self.latest


def latest_of(windows: Iterable[Window]) -> Window:
    """The window of whichever ends last, bound by bound."""
    items = list(windows)
    return Window(
        max(w.earliest for w in items),
        max(w.expected for w in items),
        max(w.latest for w in items),
    )


@attrs.frozen(kw_only=True)
class Slot:
    """One resolved item of a timeline."""

    id: str
    kind: str
    title: str
    start: Window
    end: Window
    depth: int = 0
    """0 for top-level items, 1 inside an act, and so on."""
    track: str | None = None
    hard: bool = False
    """True when the item starts at a fixed clock time."""
    gap_before: timedelta | None = None
    """Expected start minus the expected end of the item before it on its track: positive
    is a gap, negative an overlap, None for the first item (or in a schedule)."""
    previous: str | None = None
    """The id of that item before it."""
    running: timedelta = _ZERO
    """Expected start measured from the start of the show."""
    to_hard_out: timedelta | None = None
    """Hard out minus expected end: what is left before the show must be over."""
    who: tuple[tuple[str, str], ...] = ()
    """``(role, name)`` of everyone the item names."""
    target: timedelta | None = None
    """An act's planned length."""
    path: Path = ()
    """Where the item sits in the programme."""

    @property
    def duration(self) -> timedelta:
        """Expected length."""
        return self.end.expected - self.start.expected

    @property
    def over_under(self) -> timedelta | None:
        """An act's expected length minus its target (positive = over)."""
        return None if self.target is None else self.duration - self.target


@attrs.frozen(kw_only=True)
class Timeline:
    """A resolved ceremony (``kind="ceremony"``) or competition schedule (``"schedule"``).

    Every instant in a timeline is in UTC, so that arithmetic on it is elapsed time; show
    it in :attr:`zone` (or any other) with ``astimezone``.
    """

    id: str
    title: str
    kind: Literal["ceremony", "schedule"]
    zone: str
    """The IANA zone the show is run in (its venue's)."""
    start: datetime
    end: Window
    hard_out: datetime | None = None
    slots: tuple[Slot, ...] = ()
    unscheduled: tuple[str, ...] = ()
    """Ids of sessions without a time (not placed on the timeline)."""

    @property
    def over_under(self) -> timedelta | None:
        """Expected end minus the hard out (positive = the show runs over)."""
        return None if self.hard_out is None else self.end.expected - self.hard_out

    def slot(self, item_id: str) -> Slot:
        """The slot of an item, by id."""
        for slot in self.slots:
            if slot.id == item_id:
                return slot
        raise KeyError(item_id)


def resolve(source: Programme | Ceremony, *, ceremony: str | None = None) -> Timeline:
    """Resolve a ceremony, or a programme's competition schedule, into a timeline.

    With a programme: ``ceremony`` picks a ceremony by id; without it, a programme with
    exactly one ceremony resolves that one, and one with none resolves its sessions.
    People are named from the programme; resolving a bare ceremony names them by id.
    """
    if isinstance(source, Ceremony):
        return _CeremonyResolver(source, None).timeline()
    if ceremony is not None:
        return _CeremonyResolver(source.ceremony(ceremony), source).timeline()
    if len(source.ceremonies) == 1:
        return _CeremonyResolver(source.ceremonies[0], source).timeline()
    if not source.ceremonies:
        return resolve_schedule(source)
    known = ", ".join(c.id for c in source.ceremonies)
    raise TimingError(f"the programme has several ceremonies; pick one of: {known}")


@attrs.define
class _Placement:
    """How one item's start is found, before it is resolved."""

    segment: Segment
    path: Path
    depth: int
    previous: str | None
    """The item before it on its track, or None when it opens its container."""
    container_start: str | None
    """The act it opens (None for the ceremony itself)."""


class _CeremonyResolver:
    def __init__(self, ceremony: Ceremony, programme: Programme | None) -> None:
        self.ceremony = ceremony
        self.programme = programme
        self.names = programme.person_names() if programme else {}
        self.placements: dict[str, _Placement] = {}
        self.children: dict[str, list[str]] = {}
        self.order: list[str] = []
        self._place(ceremony.segments, ("segments",), 0, None)
        self.sessions = (
            {session.id: session for _, session in programme.all_sessions()} if programme else {}
        )
        self.starts: dict[str, Window] = {}
        self.ends: dict[str, Window] = {}
        self.visiting: list[str] = []

    def _place(
        self, segments: tuple[Segment, ...], prefix: Path, depth: int, act: str | None
    ) -> None:
        last_on_track: dict[str | None, str] = {}
        for index, segment in enumerate(segments):
            self.placements[segment.id] = _Placement(
                segment=segment,
                path=(*prefix, index),
                depth=depth,
                previous=last_on_track.get(segment.track),
                container_start=act,
            )
            self.order.append(segment.id)
            last_on_track[segment.track] = segment.id
            if isinstance(segment, Act):
                self.children[segment.id] = [child.id for child in segment.segments]
                self._place(segment.segments, (*prefix, index, "segments"), depth + 1, segment.id)

    # -- resolution (memoised, cycle-checked) -------------------------------------------

    def start(self, item: str) -> Window:
        if item not in self.starts:
            with self._visit(item, "start"):
                self.starts[item] = self._find_start(item)
        return self.starts[item]

    def end(self, item: str) -> Window:
        if item not in self.ends:
            with self._visit(item, "end"):
                self.ends[item] = self._find_end(item)
        return self.ends[item]

    def _visit(self, item: str, edge: str) -> _Visit:
        return _Visit(self, f"{item}.{edge}")

    def _find_start(self, item: str) -> Window:
        if item in self.sessions:
            return _session_window(self.sessions[item], "start")
        placement = self.placements.get(item)
        if placement is None:
            raise TimingError(f"no item {item!r} to anchor to", item=item)
        spec = placement.segment.start
        if isinstance(spec, datetime):
            return Window.exactly(utc(spec))
        if isinstance(spec, Anchor):
            if spec.relation is Relation.AFTER:
                return self.end(spec.ref) + spec.offset
            if spec.relation is Relation.BEFORE:
                return self.start(spec.ref) - spec.offset
            return self.start(spec.ref) + spec.offset
        return self._opening(placement)

    def _opening(self, placement: _Placement) -> Window:
        """Where an item with no start of its own begins: after its predecessor."""
        if placement.previous is not None:
            return self.end(placement.previous)
        if placement.container_start is not None:
            return self.start(placement.container_start)
        return Window.exactly(utc(self.ceremony.start))

    def _find_end(self, item: str) -> Window:
        if item in self.sessions:
            return _session_window(self.sessions[item], "end")
        segment = self.placements[item].segment
        if segment.end is not None:
            return Window.exactly(utc(segment.end))
        if isinstance(segment, Act):
            children = self.children[item]
            return (
                latest_of(self.end(child) for child in children) if children else self.start(item)
            )
        low, mid, high = (
            bounds(segment.duration) if segment.duration is not None else (_ZERO, _ZERO, _ZERO)
        )
        return self.start(item).shift(low, mid, high)

    # -- output --------------------------------------------------------------------------

    def timeline(self) -> Timeline:
        for item in self.order:  # document order keeps the recursion shallow
            self.start(item)
            self.end(item)
        show_start = utc(self.ceremony.start)
        hard_out = None if self.ceremony.hard_out is None else utc(self.ceremony.hard_out)
        slots = tuple(self._slot(item, show_start, hard_out) for item in self.order)
        ends = [slot.end for slot in slots]
        zone = (
            self.programme.zone_name(self.ceremony.venue)
            if self.programme
            else str(getattr(self.ceremony.start.tzinfo, "key", self.ceremony.start.tzinfo))
        )
        return Timeline(
            id=self.ceremony.id,
            title=self.ceremony.title,
            kind="ceremony",
            zone=zone,
            start=show_start,
            end=latest_of(ends) if ends else Window.exactly(show_start),
            hard_out=hard_out,
            slots=slots,
        )

    def _slot(self, item: str, show_start: datetime, hard_out: datetime | None) -> Slot:
        placement = self.placements[item]
        segment = placement.segment
        start, end = self.starts[item], self.ends[item]
        before: Window | None = None  # the first item of a side track has no predecessor
        if placement.previous is not None:
            before = self.ends[placement.previous]
        elif segment.track is None and placement.container_start is not None:
            before = self.starts[placement.container_start]
        elif segment.track is None:
            before = Window.exactly(show_start)
        return Slot(
            id=item,
            kind=segment.kind,
            title=segment.label,
            start=start,
            end=end,
            depth=placement.depth,
            track=segment.track,
            hard=isinstance(segment.start, datetime),
            gap_before=None if before is None else start.expected - before.expected,
            previous=placement.previous,
            running=start.expected - show_start,
            to_hard_out=None if hard_out is None else hard_out - end.expected,
            who=tuple((role, self.names.get(person, person)) for role, person in segment.roles()),
            target=segment.target if isinstance(segment, Act) else None,
            path=placement.path,
        )


class _Visit:
    """Marks an item's edge as being resolved, so a cycle of anchors is caught."""

    def __init__(self, resolver: _CeremonyResolver, key: str) -> None:
        self.resolver = resolver
        self.key = key

    def __enter__(self) -> None:
        stack = self.resolver.visiting
        if self.key in stack:
            cycle = [*stack[stack.index(self.key) :], self.key]
            items = " -> ".join(dict.fromkeys(step.rsplit(".", 1)[0] for step in cycle))
            raise TimingError(
                f"the starts of {items} depend on each other (a cycle)",
                item=self.key.rsplit(".", 1)[0],
            )
        stack.append(self.key)

    def __exit__(self, *_: object) -> None:
        self.resolver.visiting.pop()


def _session_window(session: CompetitionSession, edge: Literal["start", "end"]) -> Window:
    instant = session.start if edge == "start" else session.ends
    if instant is None:
        raise TimingError(
            f"session {session.id!r} has no {edge} time to anchor to", item=session.id
        )
    return Window.exactly(utc(instant))


def resolve_schedule(programme: Programme) -> Timeline:
    """The programme's competition sessions (units indented under them), in time order."""
    placed: list[tuple[datetime, str, Path, CompetitionSession, int]] = []
    unscheduled: list[str] = []
    for path, session in programme.all_sessions():
        depth = path.count("units")
        if session.start is None:
            unscheduled.append(session.id)
            continue
        placed.append((utc(session.start), session.id, path, session, depth))
    placed.sort(key=lambda entry: (entry[0], entry[2]))
    names = programme.person_names()
    slots = (
        tuple(
            _session_slot(session, path, depth, names, placed[0][0])
            for _, _, path, session, depth in placed
        )
        if placed
        else ()
    )
    start = placed[0][0] if placed else datetime.fromtimestamp(0, UTC)
    return Timeline(
        id=programme.name,
        title=f"{programme.name}: competition schedule",
        kind="schedule",
        zone=programme.timezone,
        start=start,
        end=latest_of(slot.end for slot in slots) if slots else Window.exactly(start),
        slots=slots,
        unscheduled=tuple(unscheduled),
    )


def _session_slot(
    session: CompetitionSession,
    path: Path,
    depth: int,
    names: dict[str, str],
    first: datetime,
) -> Slot:
    assert session.start is not None  # noqa: S101 - unscheduled sessions are set aside
    start = utc(session.start)
    end = utc(session.ends or session.start)
    who = tuple(("athletes", names.get(person, person)) for person in session.athletes)
    return Slot(
        id=session.id,
        kind="session",
        title=session.label,
        start=Window.exactly(start),
        end=Window.exactly(end),
        depth=depth,
        running=start - first,
        who=who,
        path=path,
    )
