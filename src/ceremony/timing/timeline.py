"""What resolving produces: a :class:`Timeline` of :class:`Slot` s, one per item."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

import attrs

from ceremony.errors import Path, UnknownIdError
from ceremony.timing.windows import TimeWindow

_ZERO = timedelta(0)

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
    running: timedelta = _ZERO
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
    def duration(self) -> timedelta:
        """Expected length."""
        return self.end.expected - self.start.expected

    @property
    def over_under(self) -> timedelta | None:
        """An act's expected length minus its target (positive = over)."""
        return None if self.target is None else self.duration - self.target

    @property
    def slack(self) -> timedelta | None:
        """Must-start-by minus expected start: how much later the item could start.

        Negative: the show cannot land on time unless something is cut.
        """
        return None if self.must_start_by is None else self.must_start_by - self.start.expected

    @property
    def late(self) -> timedelta:
        """Expected (or actual) start minus planned start: positive = behind the plan."""
        return self.start.expected - (self.planned_start or self.start.expected)

    @property
    def overrun(self) -> timedelta:
        """Expected (or actual) length minus planned length: positive = running long."""
        if self.planned_start is None or self.planned_end is None:
            return _ZERO
        return self.duration - (self.planned_end - self.planned_start)


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

    @property
    def over_under(self) -> timedelta | None:
        """Expected end minus the hard out (positive = the show runs over)."""
        return None if self.hard_out is None else self.end.expected - self.hard_out

    @property
    def late(self) -> timedelta:
        """Projected end minus planned end: how far behind the plan the show is."""
        return self.end.expected - (self.planned_end or self.end.expected)

    def slot(self, item_id: str) -> Slot:
        """The slot of an item, by id; :class:`~ceremony.errors.UnknownIdError` if none."""
        for slot in self.slots:
            if slot.id == item_id:
                return slot
        raise UnknownIdError(f"no item {item_id!r} in {self.id!r}", id=item_id)
