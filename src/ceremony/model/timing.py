"""How an item says when it happens: anchors to other items and uncertain durations."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

import attrs

from ceremony.errors import ModelError
from ceremony.model.checks import identifier, not_negative


class Relation(enum.Enum):
    """Which edge of the referenced item an anchor hangs from."""

    AFTER = "after"
    """Start ``offset`` after the referenced item ends."""
    BEFORE = "before"
    """Start ``offset`` before the referenced item starts."""
    WITH = "with"
    """Start ``offset`` after the referenced item starts (0 = together)."""


@attrs.frozen(kw_only=True)
class Anchor:
    """A start tied to another item: ``{after: final, offset: 15m}`` in a show file."""

    relation: Relation
    ref: str = attrs.field(validator=identifier)
    offset: timedelta = attrs.field(default=timedelta(0), validator=not_negative)


@attrs.frozen(kw_only=True)
class DurationRange:
    """An uncertain duration: ``{min: 4m, max: 8m}`` (expected = midpoint when omitted)."""

    min: timedelta = attrs.field(validator=not_negative)
    max: timedelta = attrs.field(validator=not_negative)
    expected: timedelta = attrs.field(validator=not_negative)

    @expected.default
    def _midpoint(self) -> timedelta:
        return self.min + (self.max - self.min) / 2

    def __attrs_post_init__(self) -> None:
        if not self.min <= self.expected <= self.max:
            raise ModelError("a duration range needs min <= expected <= max", path=("expected",))


Start = datetime | Anchor
"""A hard start (an aware datetime) or an anchor to another item."""

Duration = timedelta | DurationRange
"""An exact elapsed duration or a range."""


def expected(duration: Duration) -> timedelta:
    """The expected length of an exact or ranged duration."""
    return duration.expected if isinstance(duration, DurationRange) else duration


def bounds(duration: Duration) -> tuple[timedelta, timedelta, timedelta]:
    """Shortest, expected and longest length of a duration."""
    if isinstance(duration, DurationRange):
        return duration.min, duration.expected, duration.max
    return duration, duration, duration
