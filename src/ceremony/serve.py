"""``ceremony serve``: a feed site over HTTP, with conditional GET, and feeds made on request.

Only the files the site's ``manifest.json`` lists are served (``/`` is ``index.html``):
there is no directory listing, and no path, however encoded, reaches anything else.
Every response has a strong ETag (from the manifest's SHA-256) and a Last-Modified (the
build's time); ``If-None-Match`` and ``If-Modified-Since`` are answered with 304.

``/feed.ics?sport=Para Swimming&classification=S12`` filters the published events on the
fly (any facet of :data:`~ceremony.export.events.FACETS`; repeat a facet, or separate
values with ``|``, to accept several). It is built from the site's publish state (kept
inside the folder, never served), through the same serializer, so its events carry the
same UIDs and SEQUENCE as the static feeds.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

import attrs
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from ceremony.errors import CeremonyError
from ceremony.export.events import CalendarEvent
from ceremony.export.feeds import FeedFilter, kept
from ceremony.export.ics import (
    CalendarHead,
    FeedSettings,
    Stamped,
    assemble,
    event_bytes,
    head_bytes,
    span,
)
from ceremony.io.showfile import from_data
from ceremony.model import Programme
from ceremony.publishing import Record
from ceremony.site import read_site_state

MEDIA_TYPES = {
    ".ics": "text/calendar; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
}


@attrs.frozen(kw_only=True)
class _Served:
    data: bytes
    etag: str
    media_type: str


class _Site:
    """The site's files as its manifest lists them, reloaded when a build swaps a new one in."""

    def __init__(self, root: Path, max_age: int) -> None:
        self.root = root
        self.max_age = max_age
        self._stamp: tuple[int, int] | None = None
        self.files: dict[str, _Served] = {}
        self.modified = datetime.fromtimestamp(0, UTC)
        self.dynamic: _Dynamic | None = None

    def refresh(self) -> None:
        manifest = self.root / "manifest.json"
        stat = manifest.stat()
        stamp = (stat.st_ino, stat.st_mtime_ns)
        if stamp == self._stamp:
            return
        listing = json.loads(manifest.read_bytes())
        files: dict[str, _Served] = {}
        for item in listing["files"]:
            path = item["path"]
            files[path] = _Served(
                data=(self.root / path).read_bytes(),
                etag=item["etag"],
                media_type=MEDIA_TYPES.get(Path(path).suffix, "application/octet-stream"),
            )
        manifest_bytes = manifest.read_bytes()
        files["manifest.json"] = _Served(
            data=manifest_bytes,
            etag=_etag(manifest_bytes),
            media_type=MEDIA_TYPES[".json"],
        )
        self.files = files
        self.modified = datetime.fromtimestamp(int(stat.st_mtime), UTC)
        self.dynamic = _Dynamic.load(self.root)
        self._stamp = stamp


@attrs.frozen(kw_only=True)
class _Dynamic:
    """What ``/feed.ics`` is made from: the published events, each serialized once."""

    name: str
    entries: tuple[CalendarEvent, ...]
    events: tuple[bytes, ...]
    settings: FeedSettings
    dates: tuple[date, date]

    @classmethod
    def load(cls, root: Path) -> _Dynamic | None:
        state = read_site_state(root)
        if state is None or state.show is None:
            return None
        programme = from_data(state.show)
        settings = FeedSettings(
            domain=state.domain or FeedSettings().domain,
            refresh=timedelta(seconds=state.refresh_seconds or 3600),
        )
        records = sorted(
            state.records.values(), key=lambda r: (r.entry.start, r.entry.end, r.entry.id)
        )
        entries = tuple(record.entry for record in records)
        return cls(
            name=programme.name,
            entries=entries,
            events=tuple(_event(record, programme, settings.domain) for record in records),
            settings=settings,
            dates=span(entries, programme),
        )

    def feed(self, where: FeedFilter, description: str) -> bytes:
        members = kept(self.entries, where)
        head = CalendarHead(
            id="feed-" + hashlib.sha256(description.encode()).hexdigest()[:16],
            name=f"{self.name}: {description}" if description else self.name,
            description=description or None,
        )
        return assemble(
            head_bytes(head, self.settings),
            (self.entries[i].zone for i in members),
            [self.events[i] for i in members],
            self.dates,
        )


def _event(record: Record, programme: Programme, domain: str) -> bytes:
    """The record's VEVENT as the last build wrote it (serialized again only if missing)."""
    if record.rendered is not None:
        return record.rendered.encode()
    stamp = programme.published or record.modified
    stamped = Stamped(
        entry=record.entry, sequence=record.sequence, modified=record.modified, stamp=stamp
    )
    return event_bytes(stamped, domain)


def _etag(data: bytes) -> str:
    return f'"{hashlib.sha256(data).hexdigest()[:32]}"'


def _not_modified(request: Request, etag: str, modified: datetime) -> bool:
    """RFC 9110 conditional GET: If-None-Match first; If-Modified-Since only without it."""
    tags = request.headers.get("if-none-match")
    if tags is not None:
        wanted = {tag.strip().removeprefix("W/") for tag in tags.split(",")}
        return "*" in wanted or etag in wanted
    since = request.headers.get("if-modified-since")
    if since is None:
        return False
    try:
        when = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return modified <= when


def _respond(request: Request, served: _Served, modified: datetime, max_age: int) -> Response:
    headers = {
        "ETag": served.etag,
        "Last-Modified": format_datetime(modified, usegmt=True),
        "Cache-Control": f"public, max-age={max_age}",
        "X-Content-Type-Options": "nosniff",
    }
    if _not_modified(request, served.etag, modified):
        return Response(status_code=304, headers=headers)
    body = b"" if request.method == "HEAD" else served.data
    headers["Content-Length"] = str(len(served.data))
    return Response(body, headers=headers, media_type=served.media_type)


def create_app(root: str | os.PathLike[str], *, max_age: int = 300) -> Starlette:
    """The ASGI app serving the site at ``root`` (a folder ``ceremony site`` built).

    A site that cannot be read is a :class:`~ceremony.errors.CeremonyError`.
    """
    site = _Site(Path(root), max_age)
    try:
        site.refresh()
    except CeremonyError:
        raise
    except (OSError, ValueError) as exc:
        raise CeremonyError(str(exc)) from exc
    except (KeyError, TypeError) as exc:
        raise CeremonyError(f"{root}: a damaged manifest.json ({exc!r})") from exc

    async def static(request: Request) -> Response:
        site.refresh()
        path = request.path_params.get("path", "") or "index.html"
        served = site.files.get(path)
        if served is None:
            return PlainTextResponse("Not found\n", status_code=404)
        return _respond(request, served, site.modified, site.max_age)

    async def feed(request: Request) -> Response:
        site.refresh()
        if site.dynamic is None:
            return PlainTextResponse(
                "No publish state in the site: rebuild it with ceremony site\n",
                status_code=404,
            )
        try:
            where = FeedFilter.of_items(request.query_params.multi_items())
        except ValueError as exc:  # a FilterError: one line, whatever the query held
            return PlainTextResponse(" ".join(str(exc).splitlines()) + "\n", status_code=400)
        data = site.dynamic.feed(where, where.describe())
        served = _Served(data=data, etag=_etag(data), media_type=MEDIA_TYPES[".ics"])
        return _respond(request, served, site.modified, site.max_age)

    return Starlette(
        routes=[
            Route("/feed.ics", feed, methods=["GET", "HEAD"]),
            Route("/", static, methods=["GET", "HEAD"]),
            Route("/{path:path}", static, methods=["GET", "HEAD"]),
        ]
    )


def check_site(root: str | os.PathLike[str]) -> None:
    """:class:`CeremonyError` unless ``root`` holds a site ``ceremony site`` built."""
    if not (Path(root) / "manifest.json").is_file():
        raise CeremonyError(f"{root}: no manifest.json here; build a site with: ceremony site")
