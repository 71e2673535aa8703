"""Writing a build's feeds into the folder being built: only those made from a change.

Each feed file's fingerprint (:func:`made_from`: its head, the dates its zones are
narrowed to, and what each of its events' VEVENT bytes were made from) is kept in the
publish state. A feed whose fingerprint is as the last build's is a hard link to the
previous site's file (a copy where the file system has no hard links); only the others
are assembled and written, from the bytes of the events serialized in this build and,
for the rest, the bytes the state keeps.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path

from ceremony.export.feeds import FEED_HEADINGS, Feed, feed_set
from ceremony.export.ics import CalendarHead, FeedSettings, assemble, event_bytes, head_bytes, span
from ceremony.export.site_index import SiteFile
from ceremony.io.atomic import naming, write_file
from ceremony.model import Programme
from ceremony.publishing import Publication, render_key
from ceremony.site.state import EventRow, Prior, StateStore, StoredFeed, rendered_hash
from ceremony.slugs import slug

FORMAT_OF_FEEDS = 1
"""Raised when the same events would make different feed bytes: every feed is rewritten."""

Progress = Callable[[int, int], None]
"""Called with (feeds written, feeds in all) as a build goes."""


class FeedWriter:
    """Writes a build's feeds: only those made from something that changed."""

    def __init__(
        self,
        store: StateStore,
        building: Path,
        target: Path,
        settings: FeedSettings,
        base_url: str | None,
    ) -> None:
        self.store = store
        self.building = building
        self.target = target
        self.settings = settings
        self.base_url = base_url
        self._stored: dict[str, bytes] | None = None

    def write(
        self,
        programme: Programme,
        publication: Publication,
        priors: Mapping[str, Prior],
        progress: Progress | None,
    ) -> tuple[list[Feed], list[SiteFile]]:
        """Serialize what changed, write the feeds made from it, link the others."""
        domain = self.settings.domain
        events = publication.events
        records = publication.state.records
        texts: dict[int, str] = {}  # by id: every time is held by ``events`` meanwhile

        def text(instant: datetime | None) -> str:
            found = texts.get(id(instant))
            if found is None:
                found = texts[id(instant)] = str(instant)
            return found

        keys = [
            rendered_hash(render_key(records[e.entry.id].digest, e, domain, text=text))
            for e in events
        ]
        fresh: dict[int, bytes] = {}
        rows: list[EventRow] = []
        for index, (stamped, key) in enumerate(zip(events, keys, strict=True)):
            prior = priors.get(stamped.entry.id)
            if prior is None or prior.rendered_key != key:
                fresh[index] = event_bytes(stamped, domain)
                rows.append(EventRow(records[stamped.entry.id], fresh[index], key))
        self.store.put_events(rows)
        self.store.drop_events(publication.dropped)
        listed = [stamped.entry for stamped in events]
        feeds = feed_set(programme, listed)
        dates = span(listed, programme)
        before = self.store.feeds()
        files: list[SiteFile] = []
        made: list[tuple[str, StoredFeed]] = []
        for done, feed in enumerate(feeds, 1):
            head = feed_head(feed, programme, self.base_url)
            fingerprint = made_from(head, self.settings, dates, [keys[i] for i in feed.members])
            old = before.get(feed.path)
            if old is not None and old.made_from == fingerprint and self._link(feed.path, old):
                files.append(_listed(feed, old.bytes, old.sha256))
            else:
                data = assemble(
                    head_bytes(head, self.settings),
                    (listed[i].zone for i in feed.members),
                    [fresh.get(i) or self._vevent(listed[i].id) for i in feed.members],
                    dates,
                )
                file = write_site_file(
                    self.building,
                    self.target,
                    feed.path,
                    data,
                    kind=feed.kind,
                    title=feed.title,
                    events=len(feed.members),
                )
                files.append(file)
                made.append((feed.path, StoredFeed(fingerprint, file.bytes, file.sha256)))
            if progress is not None:
                progress(done, len(feeds))
        self.store.put_feeds(made)
        self.store.drop_feeds(set(before) - {feed.path for feed in feeds})
        return feeds, files

    def _vevent(self, item_id: str) -> bytes:
        """An unchanged event's VEVENT bytes, as the previous build wrote them."""
        if self._stored is None:
            self._stored = self.store.vevents()
        return self._stored[item_id]

    def _link(self, path: str, old: StoredFeed) -> bool:
        """Put the previous site's ``path`` in the new one (a hard link, else a copy).

        False when it is not there as it was written (then it is written again).
        """
        source, target = self.target / path, self.building / path
        try:
            if source.stat().st_size != old.bytes:
                return False
        except OSError:
            return False
        with naming(self.target / path):
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, target)
            except OSError:
                data = source.read_bytes()
                if hashlib.sha256(data).hexdigest() != old.sha256:
                    return False
                write_file(target, data)
        return True


def made_from(
    head: CalendarHead, settings: FeedSettings, dates: tuple[date, date], keys: list[bytes]
) -> str:
    """A fingerprint of what a feed file is made from: equal fingerprints, equal bytes.

    The head and the settings it is written with, the dates its zones are narrowed to, and
    the :func:`~ceremony.publishing.render_key` of each event in it, in order.
    """
    found = hashlib.sha256(
        f"{FORMAT_OF_FEEDS}|{head!r}|{settings.domain}|{settings.refresh}|{dates}".encode()
    )
    found.update(b"".join(keys))
    return found.hexdigest()


def _listed(feed: Feed, size: int, sha256: str) -> SiteFile:
    return SiteFile(
        path=feed.path,
        bytes=size,
        sha256=sha256,
        kind=feed.kind,
        title=feed.title,
        events=len(feed.members),
    )


def feed_head(feed: Feed, programme: Programme, base_url: str | None) -> CalendarHead:
    """What a feed of the site says of itself: its UID, name, description and address."""
    description = f"{programme.name}: {FEED_HEADINGS[feed.kind].lower()}"
    if feed.kind != "all":
        description = f"{feed.title} (revision {programme.revision or '—'})"
    return CalendarHead(
        id=f"{feed.kind}-{slug(feed.key)}" if feed.kind != "all" else "all",
        name=feed.title,
        description=description,
        url=(base_url.rstrip("/") + "/" + feed.path) if base_url else None,
    )


def write_site_file(
    building: Path,
    site: Path,
    path: str,
    data: bytes,
    *,
    kind: str,
    title: str,
    events: int | None = None,
) -> SiteFile:
    """Write ``path`` into the folder being built; an error names it as it will be published."""
    target = building / path
    with naming(site / path):
        target.parent.mkdir(parents=True, exist_ok=True)
        write_file(target, data)
    return SiteFile(
        path=path,
        bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        kind=kind,
        title=title,
        events=events,
    )
