"""The live server: a Starlette app over one :class:`~ceremony.live.show.LiveShow`.

The API (every answer is JSON; every refusal is ``{"error": message}``):

- ``GET /api/state``: the state at the server's now (keys: see :mod:`ceremony.live.show`).
- ``GET /api/events``: ``text/event-stream``; the state at once, then the new state after
  every change (and every ``refresh`` seconds while clients are connected), heartbeat
  comments in between.
- ``?public=1`` on either: the public state (:func:`~ceremony.live.show.public_state`: no
  crew-only item, no cue, no message), for screens the public sees (``/clock``).
- ``POST /api/go`` (``{"at": ISO}`` optional): end the running item, start the next.
- ``POST /api/mark`` ``{"item", "edge": "start"|"end", "at"?}``: record one edge.
- ``POST /api/undo``: take the last mark out.
- ``POST /api/extend`` ``{"item"?, "by": "+2m"}``: the item (default: the running one)
  will run that much longer (``-1m``: shorter).
- ``POST /api/message`` ``{"text": ...}``: the presenter's message (null or "" clears it).

A POST answers with the new state once the change is in the actuals file (written and
synced; a file that cannot be written is a 500); a change the show refuses (a mark in the
future, on an unknown item, an end before its start, bad JSON, a bad duration) is a 400 and
writes nothing. Changes are made one at a time (one lock around change, write and
resolve). Each state is encoded to JSON once: the POST's answer and every client's event
share those bytes (the public state is encoded only while a public client is connected).
With a ``token``, every POST needs ``Authorization: Bearer TOKEN`` (401 otherwise); reads
are open. No cookies are set or read, so no other site can act through a visitor's browser.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import time
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import Any

import attrs
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from ceremony.errors import CeremonyError, ModelError, WriteError
from ceremony.live.clock import Clock
from ceremony.live.publish import SitePublisher
from ceremony.live.show import LiveShow, public_state
from ceremony.live.stream import Broadcaster, state_event, state_json
from ceremony.model import Actuals

REFRESH_SECONDS = 10.0
"""While clients are connected, a fresh state is sent this often even without a change."""

MAX_BODY = 16 * 1024
"""The largest request body accepted (bytes)."""

_FRESH_SECONDS = 1.0
"""A state computed less than this long ago is what a newly connected client gets."""


@attrs.frozen
class Encoded:
    """A state, its JSON and its event (``public``: the public state's, once asked for)."""

    made: float
    """When it was made (``time.monotonic()``)."""
    state: dict[str, Any]
    body: bytes
    event: bytes
    public: tuple[bytes, bytes] | None = None
    """The public state's JSON and event."""

    def with_public(self) -> Encoded:
        """The same state with its public JSON and event (encoded here when not yet)."""
        if self.public is not None:
            return self
        body = state_json(public_state(self.state))
        return attrs.evolve(self, public=(body, state_event(body)))


class LiveServer:
    """The show, its clock, its lock and its clients: what every endpoint shares."""

    def __init__(
        self,
        show: LiveShow,
        clock: Clock,
        *,
        token: str | None = None,
        publisher: Callable[[LiveServer], SitePublisher] | None = None,
        refresh: float = REFRESH_SECONDS,
        heartbeat: float | None = None,
    ) -> None:
        self.show = show
        self.clock = clock
        self.token = token
        self.refresh = refresh
        self.lock = asyncio.Lock()
        self.clients = Broadcaster() if heartbeat is None else Broadcaster(heartbeat=heartbeat)
        self.public_clients = (
            Broadcaster() if heartbeat is None else Broadcaster(heartbeat=heartbeat)
        )
        self.publisher = None if publisher is None else publisher(self)
        self._latest: Encoded | None = None
        self._announced = show.version

    def snapshot(self) -> tuple[Actuals, datetime]:
        """The actuals and the instant to publish a site from."""
        return self.show.actuals, self.clock.now()

    async def state(self) -> dict[str, Any]:
        """The state now (under the lock: never half-way through a change)."""
        return (await self.change(None)).state

    async def change(
        self, action: Callable[[datetime], None] | None, *, public: bool = False
    ) -> Encoded:
        """Make one change (None: none), then the state; a new state goes to every client.

        A state is new when the show's version moved on: a change made here, or marks
        another process wrote to the file. The site publisher hears of it too. ``public``
        (or a public client connected) encodes the public state as well.
        """
        async with self.lock:
            public = public or len(self.public_clients) > 0
            encoded = await asyncio.to_thread(self._change_and_state, action, public=public)
            self._latest = encoded
            if encoded.state["version"] != self._announced:
                self._announced = encoded.state["version"]
                self.clients.publish(encoded.event)
                if encoded.public is not None:
                    self.public_clients.publish(encoded.public[1])
                if self.publisher is not None:
                    self.publisher.changed()
        return encoded

    def _change_and_state(
        self, action: Callable[[datetime], None] | None, *, public: bool
    ) -> Encoded:
        now = self.clock.now()
        if action is not None:
            action(now)
        state = self.show.state(now)
        body = state_json(state)
        encoded = Encoded(made=time.monotonic(), state=state, body=body, event=state_event(body))
        return encoded.with_public() if public else encoded

    async def latest(self, *, public: bool = False) -> Encoded:
        """The latest state, made afresh when older than a second (with its public one)."""
        latest = self._latest
        if latest is None or time.monotonic() - latest.made > _FRESH_SECONDS:
            return await self.change(None, public=public)
        if public and latest.public is None:
            latest = await asyncio.to_thread(latest.with_public)
            if self._latest is not None and self._latest.made == latest.made:
                self._latest = latest
        return latest

    async def first_message(self, *, public: bool = False) -> bytes:
        """What a new client gets at once: the latest state, made afresh when stale."""
        latest = await self.latest(public=public)
        if public:
            assert latest.public is not None  # noqa: S101 - latest(public=True) encodes it
            return latest.public[1]
        return latest.event

    async def refresh_forever(self) -> None:
        """Send a fresh state every ``refresh`` seconds while clients are connected."""
        while True:
            await asyncio.sleep(self.refresh)
            if len(self.clients) or len(self.public_clients):
                latest = await self.latest(public=len(self.public_clients) > 0)
                self.clients.publish(latest.event)
                if latest.public is not None:
                    self.public_clients.publish(latest.public[1])

    def allowed(self, request: Request) -> bool:
        """True when no token is needed or the request carries the right one."""
        if self.token is None:
            return True
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(given.strip().encode(), self.token.encode())


def create_app(
    show: LiveShow,
    clock: Clock,
    *,
    token: str | None = None,
    publisher: Callable[[LiveServer], SitePublisher] | None = None,
    refresh: float = REFRESH_SECONDS,
    heartbeat: float | None = None,
    screens: list[BaseRoute] | None = None,
) -> Starlette:
    """The live app for ``show`` on ``clock``; ``token`` guards every POST.

    ``publisher`` makes the site publisher from the server (``--publish``); ``screens``
    are the HTML screens' routes, mounted at the root. ``app.state.live`` is the
    :class:`LiveServer`.
    """
    server = LiveServer(
        show, clock, token=token, publisher=publisher, refresh=refresh, heartbeat=heartbeat
    )

    async def state(request: Request) -> Response:
        public = _public(request)
        encoded = await server.change(None, public=public)
        return _answer(encoded, public=public)

    async def events(request: Request) -> Response:
        public = _public(request)
        first = await server.first_message(public=public)
        clients = server.public_clients if public else server.clients
        return StreamingResponse(
            clients.messages(first),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    async def go(request: Request) -> Response:
        body = await _body(request, server)
        at = _optional(body, "at")
        return _answer(await server.change(lambda now: show.go(at, now)))

    async def mark(request: Request) -> Response:
        body = await _body(request, server)
        item, edge, at = _required(body, "item"), _required(body, "edge"), _optional(body, "at")
        return _answer(await server.change(lambda now: show.mark(item, edge, at, now)))

    async def undo(request: Request) -> Response:
        await _body(request, server)
        return _answer(await server.change(lambda _: show.undo()))

    async def extend(request: Request) -> Response:
        body = await _body(request, server)
        item, by = _optional(body, "item"), _required(body, "by")
        return _answer(await server.change(lambda now: show.extend(item, by, now)))

    async def message(request: Request) -> Response:
        body = await _body(request, server)
        text = _optional(body, "text")
        return _answer(await server.change(lambda _: show.set_message(text)))

    async def home(_: Request) -> Response:
        return RedirectResponse("/caller" if screens else "/api/state")

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        tasks = [asyncio.create_task(server.refresh_forever())]
        if server.publisher is not None:
            tasks.append(asyncio.create_task(server.publisher.run()))
            server.publisher.changed()  # the site as the show stands at start
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    routes: list[BaseRoute] = [
        Route("/", home, methods=["GET"]),
        Route("/api/state", state, methods=["GET"]),
        Route("/api/events", events, methods=["GET"]),
        Route("/api/go", go, methods=["POST"]),
        Route("/api/mark", mark, methods=["POST"]),
        Route("/api/undo", undo, methods=["POST"]),
        Route("/api/extend", extend, methods=["POST"]),
        Route("/api/message", message, methods=["POST"]),
        *(screens or []),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={
            CeremonyError: _refused,
            WriteError: _not_written,
            _Unauthorized: _unauthorized,
        },
    )
    app.state.live = server
    return app


def _public(request: Request) -> bool:
    """``?public=1`` (or ``true``, ``yes``): the public state; ``0``/absent: the whole state."""
    value = request.query_params.get("public", "").strip().lower()
    if value in {"", "0", "false", "no"}:
        return False
    if value in {"1", "true", "yes"}:
        return True
    raise ModelError(f"public={value!r}: say public=1 or leave it out")


def _answer(encoded: Encoded, *, public: bool = False) -> Response:
    """A state's JSON, as encoded once for every client."""
    if public:
        assert encoded.public is not None  # noqa: S101 - asked for with public=True
        body = encoded.public[0]
    else:
        body = encoded.body
    return Response(body, media_type="application/json", headers={"Cache-Control": "no-store"})


class _Unauthorized(Exception):  # noqa: N818 - an HTTP status, not an error of the library
    """A POST without the right token (answered 401, never raised past the app)."""


async def _body(request: Request, server: LiveServer) -> dict[str, Any]:
    """The request's JSON object (an empty body is ``{}``), once the token is checked."""
    if not server.allowed(request):
        raise _Unauthorized
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise ModelError(f"the body is over {MAX_BODY} bytes")
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"the body is not JSON: {exc}") from None
    if not isinstance(body, dict):
        raise ModelError("the body is a JSON object")
    return body


def _required(body: dict[str, Any], key: str) -> str:
    value = _optional(body, key)
    if value is None:
        raise ModelError(f"missing {key!r}")
    return value


def _optional(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise ModelError(f"{key!r} is text, not {json.dumps(value)}")
    return value


async def _refused(_: Request, exc: Exception) -> Response:
    return JSONResponse({"error": str(exc)}, status_code=400)


async def _not_written(_: Request, exc: Exception) -> Response:
    return JSONResponse({"error": str(exc)}, status_code=500)


async def _unauthorized(_: Request, __: Exception) -> Response:
    return JSONResponse(
        {"error": "this server needs its token: Authorization: Bearer TOKEN"},
        status_code=401,
        headers={"WWW-Authenticate": "Bearer"},
    )
