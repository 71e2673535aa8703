"""What resolving produces: a :class:`Timeline` of :class:`Slot` s, one per item."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone, tzinfo
from functools import cache
from typing import Literal

import attrs

from ceremony.durations import SignedDuration
from ceremony.errors import Path, UnknownIdError
from ceremony.timing.windows import TimeWindow
from ceremony.zones import zone as zone_named

_ZERO = SignedDuration(0)


def _signed(value: timedelta) -> SignedDuration:
    return SignedDuration.of(value)


State = Literal["planned", "done", "running", "upcoming"]
"""Where an item stands: ``planned`` when nothing live is known (no actuals, no now);
``done`` once its end is recorded, ``running`` once only its start is, ``upcoming`` before."""


@attrs.frozen(kw_only=True)
class Slot:
    """One resolved item of a timeline.

    ``start`` and ``end`` are the projection: the plan, or once actuals are recorded, the
    recorded times and what follows from them. ``planned_start`` and ``planned_end`` keep
    the plan's expected times beside them.
    """

    id: str
    kind: str
    title: str
    start: TimeWindow
    end: TimeWindow
    depth: int = 0
    """0 for top-level items, 1 inside an act, and so on."""
    track: str | None = None
    hard: bool = False
    """True when the item starts at a fixed clock time."""
    floats: bool = True
    """True when the item's start moves with the show's start (no hard time upstream)."""
    gap_before: timedelta | None = None
    """Expected start minus the expected end of the item before it on its track: positive
    is a gap, negative an overlap, None for the first item (or in a schedule)."""
    previous: str | None = None
    """The id of that item before it."""
    running: timedelta = timedelta(0)
    """Expected start measured from the start of the show."""
    to_hard_out: timedelta | None = None
    """Hard out minus expected end: what is left before the show must be over."""
    must_start_by: datetime | None = None
    """With a hard out: the latest start that still lands the show on time, if everything
    after it runs its expected length (back-timing)."""
    who: tuple[tuple[str, str], ...] = ()
    """``(role, name)`` of everyone the item names."""
    target: timedelta | None = None
    """An act's planned length."""
    path: Path = ()
    """Where the item sits in the programme."""
    planned_start: datetime | None = None
    """The plan's expected start (equal to ``start.expected`` when nothing is recorded)."""
    planned_end: datetime | None = None
    """The plan's expected end."""
    state: State = "planned"
    actual_start: datetime | None = None
    actual_end: datetime | None = None
    elapsed: timedelta | None = None
    """For the item running now: how long it has been running."""
    remaining: timedelta | None = None
    """For the item running now: how long it is expected still to run."""

    @property
    def duration(self) -> SignedDuration:
        """Expected length."""
        return _signed(self.end.expected - self.start.expected)

    @property
    def over_under(self) -> SignedDuration | None:
        """An act's expected length minus its target (positive = over): ``-20m`` in print."""
        return None if self.target is None else _signed(self.duration - self.target)

    @property
    def slack(self) -> SignedDuration | None:
        """Must-start-by minus expected start: how much later the item could start.

        Negative: the show cannot land on time unless something is cut.
        """
        if self.must_start_by is None:
            return None
        return _signed(self.must_start_by - self.start.expected)

    @property
    def late(self) -> SignedDuration:
        """Expected (or actual) start minus planned start: positive = behind the plan."""
        return _signed(self.start.expected - (self.planned_start or self.start.expected))

    @property
    def overrun(self) -> SignedDuration:
        """Expected (or actual) length minus planned length: positive = running long."""
        if self.planned_start is None or self.planned_end is None:
            return _ZERO
        return _signed(self.duration - (self.planned_end - self.planned_start))


@attrs.frozen(kw_only=True)
class Timeline:
    """A resolved ceremony (``kind="ceremony"``) or competition schedule (``"schedule"``).

    Every instant in a timeline reads as the show's clocks do: in :attr:`zone`, with the
    offset that zone has at that instant (``20:15+02:00`` in Paris in August). Each carries
    that fixed offset, not the zone's rules, so that arithmetic and comparison on instants
    stay elapsed time even across a clock change (Python does wall-clock arithmetic between
    two times of one zone). Show them in another zone with ``astimezone``.
    """

    id: str
    title: str
    kind: Literal["ceremony", "schedule"]
    zone: str
    """The IANA zone the show is run in (its venue's)."""
    start: datetime
    end: TimeWindow
    """The projected end of the show (the planned end when nothing is recorded)."""
    hard_out: datetime | None = None
    slots: tuple[Slot, ...] = ()
    unscheduled: tuple[str, ...] = ()
    """Ids of sessions without a time (not placed on the timeline)."""
    skipped: tuple[str, ...] = ()
    """Ids of segments marked ``skip`` (cut: not placed on the timeline)."""
    planned_end: datetime | None = None
    """The plan's expected end of the show."""
    now: datetime | None = None
    """The moment a live timeline was projected from (None for a plan)."""
    live: bool = False
    """True when resolved with actuals or a ``now``."""

    def __attrs_post_init__(self) -> None:
        local = _Localizer(zone_named(self.zone))
        object.__setattr__(self, "start", local.exact(self.start))
        for name in ("hard_out", "planned_end", "now"):
            object.__setattr__(self, name, local.instant(getattr(self, name)))
        object.__setattr__(self, "end", local.window(self.end))
        object.__setattr__(self, "slots", tuple(local.slot(slot) for slot in self.slots))

    @property
    def over_under(self) -> SignedDuration | None:
        """Expected end minus the hard out (positive = the show runs over): ``-20m`` in print."""
        return None if self.hard_out is None else _signed(self.end.expected - self.hard_out)

    @property
    def late(self) -> SignedDuration:
        """Projected end minus planned end: how far behind the plan the show is."""
        return _signed(self.end.expected - (self.planned_end or self.end.expected))

    def slot(self, item_id: str) -> Slot:
        """The slot of an item, by id; :class:`~ceremony.errors.UnknownIdError` if none."""
        for slot in self.slots:
            if slot.id == item_id:
                return slot
        raise UnknownIdError(f"no item {item_id!r} in {self.id!r}", id=item_id)


@attrs.frozen
class _Localizer:
    """Instants, windows and slots seen in one zone, each with its fixed offset there."""

    tz: tzinfo
    seen: dict[datetime, datetime] = attrs.field(factory=dict)
    """Each instant seen so far, locally (a timeline repeats many: one item's end is the
    next one's start)."""

    def instant(self, value: datetime | None) -> datetime | None:
        return None if value is None else self.exact(value)

    def exact(self, value: datetime) -> datetime:
        local = self.seen.get(value)
        if local is None:
            in_zone = value.astimezone(self.tz)
            offset = in_zone.utcoffset()
            if offset is None:  # pragma: no cover - a zone always has an offset
                return value
            local = self.seen[value] = value.astimezone(_fixed(offset, in_zone.tzname()))
        return local

    def window(self, value: TimeWindow) -> TimeWindow:
        expected = self.exact(value.expected)
        if value.earliest is value.expected is value.latest:
            return TimeWindow(expected, expected, expected)
        return TimeWindow(self.exact(value.earliest), expected, self.exact(value.latest))

    def slot(self, slot: Slot) -> Slot:
        """``slot`` with its instants seen locally: the same instants, so the same value.

        Set in place, at a third of the cost of a copy: a slot is built for its timeline,
        and one shared with another timeline of the show is seen in the same zone there.
        A slot the engine kept from its last pass (done, unchanged) is local already: the
        engine works in UTC, so a fixed-offset ``timezone`` says it was seen here before.
        """
        if type(slot.start.expected.tzinfo) is timezone:
            return slot
        for name, value in (
            ("start", self.window(slot.start)),
            ("end", self.window(slot.end)),
            ("must_start_by", self.instant(slot.must_start_by)),
            ("planned_start", self.instant(slot.planned_start)),
            ("planned_end", self.instant(slot.planned_end)),
            ("actual_start", self.instant(slot.actual_start)),
            ("actual_end", self.instant(slot.actual_end)),
        ):
            object.__setattr__(slot, name, value)
        return slot


@cache
def _fixed(offset: timedelta, name: str | None) -> timezone:
    """One fixed-offset zone per offset and abbreviation (``+02:00``, ``CEST``)."""
    return timezone(offset, name) if name else timezone(offset)
