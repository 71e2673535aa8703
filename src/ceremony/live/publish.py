"""Republishing a feed site while the show runs: at most once every 30 s, off the request path.

:class:`SitePublisher` is told of every change and rebuilds the site with the live
projection (``build_site(..., actuals=, now=)``) in a worker thread. Changes that come
while a build runs, or within ``every`` seconds of the last one, are coalesced: the next
build takes the show as it is then, so the last change is always published. A build that
fails is logged and tried again at the next change; it never stops the server.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from ceremony.model import Actuals, Programme
from ceremony.site import build_site

PUBLISH_EVERY_SECONDS = 30.0
"""The least time between two builds of the site."""

log = logging.getLogger("ceremony.live")

Build = Callable[[Actuals, datetime], object]
"""Builds the site for the actuals as known at an instant."""


def site_builder(programme: Programme, folder: str | os.PathLike[str]) -> Build:
    """The build of ``folder`` from ``programme`` with the live projection."""
    root = Path(folder)

    def build(actuals: Actuals, now: datetime) -> object:
        return build_site(programme, root, actuals=actuals, now=now)

    return build


class SitePublisher:
    """Rebuilds a site after changes, coalesced to one build per ``every`` seconds.

    ``snapshot`` gives the actuals and the instant to build from (read when a build starts).
    """

    def __init__(
        self,
        build: Build,
        snapshot: Callable[[], tuple[Actuals, datetime]],
        *,
        every: float = PUBLISH_EVERY_SECONDS,
    ) -> None:
        self._build = build
        self._snapshot = snapshot
        self.every = every
        self.builds = 0
        self.failures = 0
        self._wanted = asyncio.Event()
        self._last: float | None = None

    def changed(self) -> None:
        """Say the show changed: a build will follow (now, or when the interval has passed)."""
        self._wanted.set()

    async def run(self) -> None:
        """Build whenever asked, never more often than ``every`` seconds (runs until cancelled)."""
        while True:
            await self._wanted.wait()
            if self._last is not None:
                wait = self._last + self.every - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
            self._wanted.clear()  # changes from here on ask for another build
            actuals, now = self._snapshot()
            try:
                await asyncio.to_thread(self._build, actuals, now)
            except Exception:
                self.failures += 1
                log.exception("publishing the site failed; trying again at the next change")
            else:
                self.builds += 1
            finally:
                self._last = time.monotonic()
