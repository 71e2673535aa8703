"""How an item says when it happens: anchors to other items and uncertain durations."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime, timedelta

import attrs

from ceremony.errors import ModelError
from ceremony.model import fields
from ceremony.model.checks import identifier, not_negative


class Relation(enum.Enum):
    """Which edge of the referenced item an anchor hangs from."""

    AFTER = "after"
    """Start ``offset`` after the referenced item ends."""
    BEFORE = "before"
    """Start ``offset`` before the referenced item starts."""
    WITH = "with"
    """Start ``offset`` after the referenced item starts (0 = together)."""


def relation(value: Relation | str) -> Relation:
    """A :class:`Relation`, or its text (``after``, ``before``, ``with``)."""
    return fields.member(Relation, value)


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class Anchor:
    """A start tied to another item: ``{after: final, offset: 15m}`` in a show file.

    >>> anchor = Anchor.after("declaration", offset="10m")
    >>> anchor.relation, anchor.ref, anchor.offset == timedelta(minutes=10)
    (<Relation.AFTER: 'after'>, 'declaration', True)
    """

    relation: Relation = attrs.field(converter=relation)
    ref: str = attrs.field(converter=fields.text, validator=identifier)
    offset: timedelta = attrs.field(
        default=timedelta(0), converter=fields.duration, validator=not_negative
    )

    @classmethod
    def after(cls, ref: str, *, offset: str | timedelta = timedelta(0)) -> Anchor:
        """Start ``offset`` after the item ``ref`` ends."""
        return cls(relation=Relation.AFTER, ref=ref, offset=offset)

    @classmethod
    def before(cls, ref: str, *, offset: str | timedelta = timedelta(0)) -> Anchor:
        """Start ``offset`` before the item ``ref`` starts."""
        return cls(relation=Relation.BEFORE, ref=ref, offset=offset)

    @classmethod
    def with_(cls, ref: str, *, offset: str | timedelta = timedelta(0)) -> Anchor:
        """Start together with the item ``ref`` (``offset`` after its start)."""
        return cls(relation=Relation.WITH, ref=ref, offset=offset)


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class DurationRange:
    """An uncertain duration: ``{min: 4m, max: 8m}`` (expected = midpoint when omitted).

    >>> DurationRange(min="4m", max="8m").expected
    datetime.timedelta(seconds=360)
    """

    min: timedelta = attrs.field(converter=fields.duration, validator=not_negative)
    max: timedelta = attrs.field(converter=fields.duration, validator=not_negative)
    expected: timedelta = attrs.field(converter=fields.duration, validator=not_negative)

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


DurationSpelling = str | timedelta | DurationRange | Mapping[str, str | timedelta]
"""What a segment's ``duration`` accepts: a length (``"10m"``, ``"PT10M"``, a
:class:`timedelta`), a :class:`DurationRange`, or a mapping of ``min``, ``max`` and
``expected`` lengths."""


def duration(value: DurationSpelling | None) -> Duration | None:
    """A segment's duration: exact or a range, from any of its spellings (or None)."""
    if value is None or isinstance(value, DurationRange):
        return value
    if isinstance(value, Mapping):
        unknown = set(value) - {"min", "expected", "max"}
        if unknown or not {"min", "max"} <= set(value):
            raise ModelError("a duration range takes min and max (and expected)")
        return DurationRange(**value)
    return fields.duration(value)


def start(value: datetime | Anchor | str | None) -> Start | None:
    """A start: None, an :class:`Anchor`, or a date and time (ISO text with its offset)."""
    if value is None or isinstance(value, Anchor):
        return value
    return fields.instant(value)


def expected(duration: Duration) -> timedelta:
    """The expected length of an exact or ranged duration."""
    return duration.expected if isinstance(duration, DurationRange) else duration


def bounds(duration: Duration) -> tuple[timedelta, timedelta, timedelta]:
    """Shortest, expected and longest length of a duration."""
    if isinstance(duration, DurationRange):
        return duration.min, duration.expected, duration.max
    return duration, duration, duration
