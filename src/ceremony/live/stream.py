"""The event stream: every connected client gets each new state, as ``text/event-stream``.

A state is a whole picture (not a difference), so a client only ever needs the latest one:
each client has one slot holding the newest message it has not sent yet. A slow client
skips the states it had no time for instead of queueing them, and a publish costs one
encoding plus one assignment per client, whatever the number of clients.

Each message is ``event: state`` with the state's JSON as its data. A client that has had
nothing for ``heartbeat`` seconds gets a comment line (``: heartbeat``), which keeps
proxies and load balancers from closing a quiet connection.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator
from typing import Any

HEARTBEAT_SECONDS = 15.0
"""How long a connection may stay silent before a heartbeat comment is sent."""

HEARTBEAT = b": heartbeat\n\n"


def state_json(state: dict[str, Any]) -> bytes:
    """``state`` as compact JSON (UTF-8, on one line): the body of a state's answer."""
    return json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode()


def state_event(body: bytes) -> bytes:
    """One server-sent event carrying a state already encoded as JSON (``state_json``)."""
    return b"event: state\ndata: " + body + b"\n\n"


def encode_state(state: dict[str, Any]) -> bytes:
    """One server-sent event carrying ``state``."""
    return state_event(state_json(state))


class _Client:
    """One connection's slot: the newest message not sent yet, and a flag that one came."""

    __slots__ = ("arrived", "pending")

    def __init__(self, first: bytes) -> None:
        self.pending: bytes | None = first
        self.arrived = asyncio.Event()
        self.arrived.set()


class Broadcaster:
    """The set of connected clients, and the one way to send them all a message."""

    def __init__(self, *, heartbeat: float = HEARTBEAT_SECONDS) -> None:
        self.heartbeat = heartbeat
        self._clients: set[_Client] = set()

    def __len__(self) -> int:
        """How many clients are connected."""
        return len(self._clients)

    def publish(self, message: bytes) -> None:
        """Hand ``message`` to every client (replacing any it has not sent yet)."""
        for client in self._clients:
            client.pending = message
            client.arrived.set()

    async def messages(self, first: bytes) -> AsyncGenerator[bytes, None]:
        """A client's stream: ``first`` at once, then each message published, and heartbeats.

        The client is connected from the first step until the iterator is closed (the
        server closes it when the connection drops).
        """
        client = _Client(first)
        self._clients.add(client)
        try:
            while True:
                try:
                    async with asyncio.timeout(self.heartbeat):  # no task per wait, unlike wait_for
                        await client.arrived.wait()
                except TimeoutError:
                    yield HEARTBEAT
                    continue
                client.arrived.clear()
                message, client.pending = client.pending, None
                if message is not None:
                    yield message
        finally:
            self._clients.discard(client)
