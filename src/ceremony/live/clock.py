"""The live server's clock: the one place ``ceremony live`` learns what time it is.

Everything below the server takes ``now`` as an argument; the server asks its
:class:`Clock`. :class:`MachineClock` reads the machine's clock, :class:`RunningClock` starts
at a given instant and runs at real speed (``--clock``, for rehearsals), and
:class:`SetClock` moves only when told to (tests and benchmarks).
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol

from ceremony.errors import ModelError
from ceremony.zones import is_aware


class Clock(Protocol):
    """Anything that says what time it is, as an aware datetime."""

    def now(self) -> datetime:
        """The current instant (aware)."""
        ...  # pragma: no cover - a protocol


class MachineClock:
    """The machine's clock, in UTC."""

    def now(self) -> datetime:
        """The machine's current instant."""
        return datetime.now(UTC)


class RunningClock:
    """A clock that reads ``start`` when made and then runs at real speed."""

    def __init__(self, start: datetime) -> None:
        _refuse_naive(start)
        self._start = start.astimezone(UTC)
        self._began = time.monotonic()

    def now(self) -> datetime:
        """``start`` plus the time elapsed since the clock was made."""
        return self._start + timedelta(seconds=time.monotonic() - self._began)


class SetClock:
    """A clock that stands still at ``start`` until it is set or advanced (thread-safe)."""

    def __init__(self, start: datetime) -> None:
        _refuse_naive(start)
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """The instant the clock was last set to."""
        with self._lock:
            return self._now

    def set(self, instant: datetime) -> None:
        """Set the clock to ``instant`` (aware)."""
        _refuse_naive(instant)
        with self._lock:
            self._now = instant.astimezone(UTC)

    def advance(self, by: timedelta) -> datetime:
        """Move the clock on by ``by``; the new instant."""
        with self._lock:
            self._now += by
            return self._now


def _refuse_naive(instant: datetime) -> None:
    if not is_aware(instant):
        raise ModelError(f"{instant.isoformat()} has no time zone (the clock needs an aware time)")
