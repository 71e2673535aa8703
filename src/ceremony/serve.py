"""``ceremony serve``: a feed site over HTTP, with conditional GET, and feeds made on request.

Only the files the site's ``manifest.json`` lists are served (``/`` is ``index.html``):
there is no directory listing, and no path, however encoded, reaches anything else.
Every response has a strong ETag (from the manifest's SHA-256) and a Last-Modified (the
build's time); ``If-None-Match`` and ``If-Modified-Since`` are answered with 304.

``/feed.ics?sport=Para Swimming&classification=S12`` filters the published events on the
fly (any facet of :data:`~ceremony.export.events.FACETS`; repeat a facet, or separate
values with ``|``, to accept several). A value is a display name, an id, or the site's
slug of either (``sport=para-judo``), in any case; a facet or value that names nothing
in the state is a 404 saying what exists. It is built from the site's publish state (kept
inside the folder, never served), through the same serializer, so its events carry the
same UIDs and SEQUENCE as the static feeds. Each feed made is kept (an LRU per state, by
its normalized query) with its ETag, so a 304 or a repeated request serializes nothing.

A rebuild (``ceremony site`` swaps a new folder in: feeds, manifest and state together) is
noticed by the next request, which, like every request until the new build is read, is
answered from the build being served: the new one is read whole in a worker thread (at
most one at a time) and swapped in with one assignment, with a new feed cache. A new build
that cannot be read (a damaged manifest) is logged in one line on the ``ceremony.serve``
logger, and the previous one goes on being served until another build replaces it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from types import MappingProxyType

import attrs
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from ceremony.errors import CeremonyError
from ceremony.export.events import FACETS, CalendarEvent
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
from ceremony.io.reloading import Reloaded
from ceremony.io.showfile import from_data
from ceremony.model import Programme
from ceremony.model.checks import control_character, line_break
from ceremony.model.directory import Directory
from ceremony.publishing import Record
from ceremony.site import read_site_state
from ceremony.slugs import slug

MEDIA_TYPES = {
    ".ics": "text/calendar; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
}

FEED_CACHE_ENTRIES = 128
"""How many dynamic feeds a state keeps made (least recently used go first)."""
FEED_CACHE_BYTES = 64 * 1024 * 1024
"""And how many bytes of them at most."""
_LISTED = 20
"""How many existing values a 404 names before it says how many more there are."""

log = logging.getLogger("ceremony.serve")


@attrs.frozen(kw_only=True)
class _Served:
    data: bytes
    etag: str
    media_type: str


_Stamp = tuple[int, int, int, int, int]
"""What tells one build of a site from the next (:func:`_stamp`)."""

_READS = 5
"""How many times a snapshot is read again when another build is swapped in while it is read."""


@attrs.frozen(kw_only=True)
class _Snapshot:
    """One build of the site as served: its files, its dynamic feeds (with their cache), its time.

    Read whole in a worker thread, then swapped in with one assignment (a
    :class:`~ceremony.io.reloading.Reloaded`): a request takes the current snapshot once and
    answers from it alone, so it never mixes two builds, and never waits for a reload.
    """

    files: Mapping[str, _Served]
    modified: datetime
    dynamic: _Dynamic | None


def _stamp(root: Path) -> _Stamp:
    """The identity of the site's folder and of its manifest.

    ``ceremony site`` swaps a whole new folder in (the feeds, the manifest and the publish
    state together), so a new build is a new folder and a new manifest.
    """
    folder = root.stat()
    manifest = (root / "manifest.json").stat()
    return (folder.st_dev, folder.st_ino, manifest.st_ino, manifest.st_mtime_ns, manifest.st_size)


def _load_snapshot(root: Path) -> tuple[_Stamp, _Snapshot]:
    """The site at ``root``, read whole, with its stamp: a :class:`CeremonyError` when it cannot be.

    Read again when a build is swapped in meanwhile, so that the files and the state are
    always of one build.
    """
    for _ in range(_READS):
        try:
            stamp = _stamp(root)
            snapshot = _read_snapshot(root, stamp)
            if _stamp(root) == stamp:
                return stamp, snapshot
        except CeremonyError:
            raise
        except (OSError, ValueError) as exc:
            raise CeremonyError(str(exc)) from exc
        except (KeyError, TypeError) as exc:
            raise CeremonyError(f"{root}: a damaged manifest.json ({exc!r})") from exc
    raise CeremonyError(f"{root}: the site changed each of the {_READS} times it was read")


def _read_snapshot(root: Path, stamp: _Stamp) -> _Snapshot:
    """The files the manifest lists and the dynamic feeds' data (the stamp gives the time)."""
    manifest = (root / "manifest.json").read_bytes()
    files: dict[str, _Served] = {}
    for item in json.loads(manifest)["files"]:
        path = item["path"]
        files[path] = _Served(
            data=(root / path).read_bytes(),
            etag=item["etag"],
            media_type=MEDIA_TYPES.get(Path(path).suffix, "application/octet-stream"),
        )
    files["manifest.json"] = _Served(
        data=manifest, etag=_etag(manifest), media_type=MEDIA_TYPES[".json"]
    )
    return _Snapshot(
        files=MappingProxyType(files),
        modified=datetime.fromtimestamp(stamp[3] // 1_000_000_000, UTC),
        dynamic=_Dynamic.load(root),
    )


@attrs.frozen
class _Refusal:
    """Why a ``/feed.ics`` query gets no feed: it names nothing (404) or cannot be read (400)."""

    status: int
    message: str

    def response(self) -> Response:
        """A one-line text answer, whatever the query held."""
        line = " ".join(self.message.splitlines())
        return PlainTextResponse(f"{line}\n", status_code=self.status)


@attrs.frozen(kw_only=True)
class _Choices:
    """The values one facet has in the state, and every spelling that names each."""

    names: dict[str, frozenset[str]]
    """A casefolded name, id or slug → the values (as the events hold them) it names."""
    shown: dict[str, str]
    """A value → how a 404 lists it (its display name)."""

    @classmethod
    def of(cls, values: Iterable[str], display: dict[str, str]) -> _Choices:
        names: dict[str, set[str]] = {}
        shown: dict[str, str] = {}
        for value in values:
            title = display.get(value, value)
            shown[value] = title
            for spelling in {value, title}:
                for key in {spelling.strip().casefold(), _slug(spelling)} - {""}:
                    names.setdefault(key, set()).add(value)
        return cls(names={k: frozenset(v) for k, v in names.items()}, shown=shown)

    def find(self, given: str) -> frozenset[str]:
        """The values ``given`` names (a name, id or slug, in any case); empty for none."""
        found = self.names.get(given.strip().casefold())
        if found is None:
            found = self.names.get(_slug(given), frozenset())
        return found

    def listing(self) -> str:
        titles = sorted(set(self.shown.values()), key=lambda t: (t.casefold(), t))
        more = len(titles) - _LISTED
        listed = ", ".join(titles[:_LISTED])
        return f"{listed} and {more} more" if more > 0 else listed or "none"


def _slug(text: str) -> str:
    """The site's slug of ``text``; empty when it has none (no letter or digit)."""
    made = slug(text)
    return "" if made == "x" and text.strip().casefold() != "x" else made


def _plural(facet: str) -> str:
    return {"ceremony": "ceremonies", "status": "statuses"}.get(facet, facet + "s")


_Query = tuple[tuple[str, tuple[str, ...]], ...]
"""A normalized query: facets in :data:`FACETS` order, each with the values it names."""


@attrs.frozen(kw_only=True)
class _Made:
    data: bytes
    etag: str


@attrs.frozen(kw_only=True)
class _Dynamic:
    """What ``/feed.ics`` is made from: the published events, each serialized once.

    One is loaded per state: the feeds it has made (and the facets' values) go with it.
    """

    name: str
    entries: tuple[CalendarEvent, ...]
    events: tuple[bytes, ...]
    settings: FeedSettings
    dates: tuple[date, date]
    display: dict[str, dict[str, str]]
    """Per facet, a value → its display name (venues, delegations, athletes, ceremonies)."""
    _choices: dict[str, _Choices] = attrs.field(factory=dict, eq=False, repr=False)
    _made: OrderedDict[_Query, _Made] = attrs.field(factory=OrderedDict, eq=False, repr=False)
    _made_bytes: list[int] = attrs.field(factory=lambda: [0], eq=False, repr=False)

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
        directory = Directory.of(programme)
        return cls(
            name=programme.name,
            entries=entries,
            events=tuple(_event(record, programme, settings.domain) for record in records),
            settings=settings,
            dates=span(entries, programme),
            display={
                "ceremony": {c.id: c.title for c in programme.ceremonies},
                "venue": directory.venue_names,
                "delegation": directory.delegation_names,
                "athlete": directory.person_names,
            },
        )

    def choices(self, facet: str) -> _Choices:
        """The values ``facet`` has in this state (made on first use, then kept)."""
        made = self._choices.get(facet)
        if made is None:
            values = {value for entry in self.entries for value in entry.facet(facet)}
            made = _Choices.of(values, self.display.get(facet, {}))
            self._choices[facet] = made
        return made

    def resolve(self, items: Iterable[tuple[str, str]]) -> _Query | _Refusal:
        """A query's ``(facet, value)`` pairs as the values they name, in a normal order.

        Or a refusal: 400 for a control character or an empty value; 404 for a facet or a
        value that names nothing in the state.
        """
        wanted: dict[str, list[str]] = {}
        for facet, value in items:
            for given in (facet, value):
                if control_character(given) is not None or line_break(given) is not None:
                    message = (
                        f"{given!r}: a filter may not hold a line break or a control character"
                    )
                    return _Refusal(400, message)
            wanted.setdefault(facet.strip().lower(), []).extend(value.split("|"))
        terms: list[tuple[str, tuple[str, ...]]] = []
        for facet, values in wanted.items():
            if facet not in FACETS:
                return _Refusal(404, f"no facet {facet!r}; facets: {', '.join(FACETS)}")
            spelled = [value for value in values if value.strip()]
            if not spelled:
                return _Refusal(400, f"{facet}: give a value, e.g. {facet}=...")
            choices = self.choices(facet)
            named: set[str] = set()
            for value in spelled:
                found = choices.find(value)
                if not found:
                    message = f"no {facet} {value.strip()!r}; {_plural(facet)}: {choices.listing()}"
                    return _Refusal(404, message)
                named |= found
            terms.append((facet, tuple(sorted(named))))
        return tuple(sorted(terms, key=lambda term: FACETS.index(term[0])))

    def feed(self, query: _Query) -> _Made:
        """The feed of a resolved query, with its ETag: made once, then kept while it is used."""
        key = query
        made = self._made.get(key)
        if made is not None:
            self._made.move_to_end(key)
            return made
        where = FeedFilter.of(dict(key))
        description = ", ".join(
            f"{facet}={'|'.join(self.display.get(facet, {}).get(v, v) for v in values)}"
            for facet, values in key
        )
        data = self._serialize(where, description)
        made = _Made(data=data, etag=_etag(data))
        self._made[key] = made
        self._made_bytes[0] += len(data)
        while self._made and (
            len(self._made) > FEED_CACHE_ENTRIES or self._made_bytes[0] > FEED_CACHE_BYTES
        ):
            _, dropped = self._made.popitem(last=False)
            self._made_bytes[0] -= len(dropped.data)
        return made

    def _serialize(self, where: FeedFilter, description: str) -> bytes:
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

    A site that cannot be read is a :class:`~ceremony.errors.CeremonyError`; a later build
    is read in a worker thread when a request finds it, and served once it is read whole.
    """
    folder = Path(root)
    site = Reloaded(
        lambda: _load_snapshot(folder),
        lambda: _stamp(folder),
        log=log,
        name=str(folder),
    )

    async def static(request: Request) -> Response:
        snapshot = site.current()
        path = request.path_params.get("path", "") or "index.html"
        served = snapshot.files.get(path)
        if served is None:
            return PlainTextResponse("Not found\n", status_code=404)
        return _respond(request, served, snapshot.modified, max_age)

    async def feed(request: Request) -> Response:
        snapshot = site.current()
        dynamic = snapshot.dynamic
        if dynamic is None:
            return PlainTextResponse(
                "No publish state in the site: rebuild it with ceremony site\n",
                status_code=404,
            )
        query = dynamic.resolve(request.query_params.multi_items())
        if isinstance(query, _Refusal):
            return query.response()
        made = dynamic.feed(query)
        served = _Served(data=made.data, etag=made.etag, media_type=MEDIA_TYPES[".ics"])
        return _respond(request, served, snapshot.modified, max_age)

    app = Starlette(
        routes=[
            Route("/feed.ics", feed, methods=["GET", "HEAD"]),
            Route("/", static, methods=["GET", "HEAD"]),
            Route("/{path:path}", static, methods=["GET", "HEAD"]),
        ]
    )
    app.state.site = site  # the served build, and whether a reload runs (``.reading``)
    return app


def check_site(root: str | os.PathLike[str]) -> None:
    """:class:`CeremonyError` unless ``root`` holds a site ``ceremony site`` built."""
    if not (Path(root) / "manifest.json").is_file():
        raise CeremonyError(f"{root}: no manifest.json here; build a site with: ceremony site")
