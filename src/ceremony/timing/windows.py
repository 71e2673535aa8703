"""Instants known within bounds: the earliest, expected and latest time of a start or end."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import attrs


@attrs.frozen
class TimeWindow:
    """An instant known within bounds: ``earliest <= expected <= latest``."""

    earliest: datetime
    expected: datetime
    latest: datetime

    @classmethod
    def exactly(cls, instant: datetime) -> TimeWindow:
        """A window with no uncertainty."""
        return cls(instant, instant, instant)

    def shift(self, low: timedelta, mid: timedelta, high: timedelta) -> TimeWindow:
        """Add a ranged length: shortest to earliest, expected to expected, longest to latest."""
        return TimeWindow(self.earliest + low, self.expected + mid, self.latest + high)

    def __add__(self, offset: timedelta) -> TimeWindow:
        return TimeWindow(self.earliest + offset, self.expected + offset, self.latest + offset)

    def __sub__(self, offset: timedelta) -> TimeWindow:
        return TimeWindow(self.earliest - offset, self.expected - offset, self.latest - offset)

    def not_before(self, floor: TimeWindow) -> TimeWindow:
        """Each bound raised to at least the matching bound of ``floor``."""
        return TimeWindow(
            max(self.earliest, floor.earliest),
            max(self.expected, floor.expected),
            max(self.latest, floor.latest),
        )

    def not_before_instant(self, instant: datetime) -> TimeWindow:
        """Each bound raised to at least ``instant`` (nothing still to come is in the past)."""
        if self.earliest >= instant:
            return self
        return TimeWindow(instant, max(self.expected, instant), max(self.latest, instant))

    @property
    def exact(self) -> bool:
        """True when earliest, expected and latest agree."""
        return self.earliest == self.expected == self.latest


def latest_of(windows: Iterable[TimeWindow]) -> TimeWindow:
    """The window of whichever ends last, bound by bound."""
    items = list(windows)
    return TimeWindow(
        max(w.earliest for w in items),
        max(w.expected for w in items),
        max(w.latest for w in items),
    )
