"""A value read from files, read again in a worker thread when they change, swapped in whole.

:meth:`Reloaded.current` answers at once with the value read last. When the files' stamp
(what tells one version of them from the next: a folder's identity, a file's inode and
modification time ...) is no longer the one that value was read at, it starts reading them
again in a thread of its own, and the new value replaces the old with one assignment once
it is whole: whoever takes a value keeps one consistent version. At most one read runs at
a time. A read that fails keeps the old value, is logged in one line, and is not tried
again until the stamp changes again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["Reloaded"]

Value = TypeVar("Value")
Stamp = TypeVar("Stamp", bound=Hashable)


class Reloaded(Generic[Value, Stamp]):
    """The value last read by ``read``, read again off the caller's thread when ``stamp`` moves.

    ``read`` gives the value with the stamp it was read at (checked to be the same after
    the read, if the files can change under it). ``stamp`` is cheap: it is called on each
    :meth:`current`, and an :class:`OSError` from it (the files mid-swap) is ignored. The
    first read happens in the constructor and raises what ``read`` raises.
    """

    def __init__(
        self,
        read: Callable[[], tuple[Stamp, Value]],
        stamp: Callable[[], Stamp],
        *,
        log: logging.Logger,
        name: str,
    ) -> None:
        self._read = read
        self._stamp = stamp
        self._log = log
        self._name = name
        self._current = read()
        self._lock = threading.Lock()
        self._reading = False
        self._failed: Stamp | None = None

    @property
    def value(self) -> Value:
        """The value read last, without looking at the files."""
        return self._current[1]

    def current(self) -> Value:
        """The value read last, at once; a change of stamp starts a read in a worker thread."""
        read_at, value = self._current
        try:
            stamp = self._stamp()
        except OSError:
            return value
        if stamp not in (read_at, self._failed):
            self._start()
        return value

    @property
    def reading(self) -> bool:
        """Whether a read is running now."""
        return self._reading

    def _start(self) -> None:
        with self._lock:
            if self._reading:
                return
            self._reading = True
        # A thread of its own rather than a task of the caller's event loop: the read
        # outlives the request that noticed the change, and nothing ever awaits it.
        threading.Thread(target=self._reload, name=f"reload {self._name}", daemon=True).start()

    def _reload(self) -> None:
        try:
            before = self._stamp()
            try:
                self._current = self._read()
            except Exception as exc:  # any failure keeps the old value, said once
                self._failed = before
                reason = " ".join(str(exc).split()) or type(exc).__name__
                self._log.warning(
                    "%s: kept the previous version; the new one: %s", self._name, reason
                )
        except OSError:
            return  # mid-swap: the next call looks again
        finally:
            with self._lock:
                self._reading = False
