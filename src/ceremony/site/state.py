"""A feed site's publish state, kept in SQLite inside the site (``.publish-state.sqlite``).

One row per event published (id, digest, SEQUENCE, LAST-MODIFIED, removal, the entry, its
VEVENT bytes and what they were made from), one per session of the programme last
published (for the next build's changelog), one per feed file (what it was made from, its
size and hash), and a small table of settings (UID domain, refresh, the programme's other
data).

Copy-on-write: a build never opens the published database for writing. It copies it
(SQLite's backup, which honours another program's lock) into the folder being built, and
changes the copy in one transaction (WAL while writing, a plain rollback-journal file once
closed, so that readers need no ``-wal``/``-shm`` files beside it). The copy is swapped in
with the feeds, so the state and the site stay one unit: a build that fails or is killed
leaves the previous site and its state as they were.

An earlier version's JSON state (:func:`~ceremony.publishing.loads_state`) is read once and
written into a fresh database. A file that is not one of these, or is damaged, raises a
:class:`~ceremony.errors.PublishStateError` naming it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from ceremony.errors import PublishStateError
from ceremony.export.events import CalendarEvent
from ceremony.io.atomic import naming
from ceremony.publishing import PublishState, Record, dumps_entry, loads_entry, loads_state
from ceremony.zones import utc

STATE_FORMAT = 2
"""The schema's version (``PRAGMA user_version``); the JSON state was format 1."""

APPLICATION_ID = 0x43455245
"""``PRAGMA application_id`` of a ceremony publish state ("CERE")."""

LOCK_TIMEOUT = 5.0
"""Seconds to wait for another program's lock on the published state before giving up."""

_SQLITE_MAGIC = b"SQLite format 3\x00"

_SCHEMA = """
CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    digest TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    modified TEXT NOT NULL,
    removed TEXT,
    entry BLOB NOT NULL,
    vevent BLOB NOT NULL,
    rendered_key BLOB NOT NULL
);
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    fingerprint TEXT,
    data TEXT NOT NULL
);
CREATE TABLE feeds (
    path TEXT PRIMARY KEY,
    made_from TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL
);
"""


class Prior(NamedTuple):
    """An event as the last build published it (:class:`~ceremony.publishing.Published`)."""

    digest: str
    sequence: int
    modified: datetime
    removed: datetime | None
    rendered_key: bytes
    """:func:`rendered_hash` of what its VEVENT bytes were made from."""


class StoredFeed(NamedTuple):
    """A feed file as the last build wrote it."""

    made_from: str
    bytes: int
    sha256: str


class EventRow(NamedTuple):
    """An event to write: its record, its VEVENT bytes and what they were made from."""

    record: Record
    vevent: bytes
    rendered_key: bytes
    """:func:`rendered_hash` of the event's :func:`~ceremony.publishing.render_key`."""


def rendered_hash(key: str) -> bytes:
    """What the state keeps of a :func:`~ceremony.publishing.render_key` (32 bytes)."""
    return hashlib.sha256(key.encode()).digest()


def is_database(path: Path) -> bool:
    """Whether ``path`` starts as an SQLite database does (else: a JSON state, or missing)."""
    try:
        with path.open("rb") as stream:
            return stream.read(len(_SQLITE_MAGIC)) == _SQLITE_MAGIC
    except OSError:
        return False


class StateStore:
    """The publish state being built: a private database in the folder being built."""

    def __init__(
        self, path: Path, connection: sqlite3.Connection, *, fresh: bool, named: Path | None = None
    ) -> None:
        self.path = path
        self.named = named or path
        """The name errors give (the state as it will be published)."""
        self.fresh = fresh
        """True when there was no previous state (a first build)."""
        self._db = connection
        self._times: dict[str, datetime] = {}

    @classmethod
    def create(
        cls, path: Path, previous: Path | None = None, *, named: Path | None = None
    ) -> StateStore:
        """A state at ``path``: a copy of the database or JSON state at ``previous``.

        Without ``previous`` (or when it does not exist), an empty state for a first build.
        Errors in writing it name ``named`` (the state as it will be published).
        """
        if previous is not None and not previous.exists():
            previous = None
        _private_file(path, named or path)
        if previous is not None and previous.suffix == ".sqlite" and not is_database(previous):
            message = f"{previous}: not a ceremony publish state (not an SQLite database)"
            raise PublishStateError(message)
        if previous is not None and is_database(previous):
            connection = _copy(previous, path, named or path)
            store = cls(path, connection, fresh=False, named=named)
            store._begin()
            return store
        connection = _connect(path, named or path)
        store = cls(path, connection, fresh=previous is None, named=named)
        with _reading(store.named, writing=True):
            connection.executescript(_SCHEMA)
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            connection.execute(f"PRAGMA user_version = {STATE_FORMAT}")
        store._begin()
        if previous is not None:
            store._migrate(previous)
        return store

    def _begin(self) -> None:
        with _reading(self.named, writing=True):
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("BEGIN IMMEDIATE")

    def _migrate(self, previous: Path) -> None:
        """Write an earlier version's JSON state into this (empty) database."""
        try:
            text = previous.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise PublishStateError(f"{previous}: cannot read the publish state ({exc})") from None
        state = loads_state(text, file=str(previous))
        rows = [
            EventRow(
                record,
                (record.rendered or "").encode(),
                rendered_hash(record.rendered_key) if record.rendered_key else b"",
            )
            for record in state.records.values()
        ]
        self.put_events(rows)
        if state.domain is not None:
            self.put_setting("domain", state.domain)
        if state.refresh_seconds is not None:
            self.put_setting("refresh_seconds", str(state.refresh_seconds))
        if state.show is not None:
            show = dict(state.show)
            sessions = show.pop("sessions", None) or []
            self.put_setting("frame", json.dumps(show, ensure_ascii=False, sort_keys=True))
            self.put_sessions(
                (str(data.get("id")), index, None, json.dumps(data, ensure_ascii=False))
                for index, data in enumerate(sessions)
                if isinstance(data, dict)
            )

    # --- reading ------------------------------------------------------------------------

    def setting(self, name: str) -> str | None:
        """A setting (``domain``, ``refresh_seconds``, ``frame``), or None."""
        row = self._one("SELECT value FROM settings WHERE name = ?", (name,))
        return None if row is None else str(row[0])

    def priors(self) -> dict[str, Prior]:
        """Every event last published, by id."""
        rows = self._all("SELECT id, digest, sequence, modified, removed, rendered_key FROM events")
        try:
            return {
                item_id: Prior(
                    digest,
                    int(sequence),
                    self._time(modified),
                    None if removed is None else self._time(removed),
                    rendered_key,
                )
                for item_id, digest, sequence, modified, removed, rendered_key in rows
            }
        except (TypeError, ValueError) as exc:
            raise PublishStateError(f"{self.named}: damaged publish state ({exc})") from None

    def former(self, item_id: str) -> CalendarEvent:
        """The entry last published of ``item_id``."""
        row = self._one("SELECT entry FROM events WHERE id = ?", (item_id,))
        if row is None:
            raise PublishStateError(f"{self.named}: damaged publish state (no event {item_id!r})")
        try:
            return loads_entry(zlib.decompress(row[0]).decode())
        except (TypeError, ValueError, zlib.error) as exc:
            raise PublishStateError(f"{self.named}: damaged publish state ({exc})") from None

    def vevents(self) -> dict[str, bytes]:
        """Each event's VEVENT bytes as last written, by id."""
        return {
            item_id: bytes(data) for item_id, data in self._all("SELECT id, vevent FROM events")
        }

    def sessions(self) -> dict[str, tuple[int, str | None]]:
        """Each session last published: its position and fingerprint, by id."""
        return {
            item_id: (position, fingerprint)
            for item_id, position, fingerprint in self._all(
                "SELECT id, position, fingerprint FROM sessions"
            )
        }

    def session_data(self, ids: Iterable[str]) -> list[tuple[int, str]]:
        """The show data (JSON) of the sessions ``ids`` last published, with positions."""
        found: list[tuple[int, str]] = []
        for item_id in ids:
            row = self._one("SELECT position, data FROM sessions WHERE id = ?", (item_id,))
            if row is not None:
                found.append((int(row[0]), str(row[1])))
        return found

    def all_session_data(self) -> list[str]:
        """The show data (JSON) of every session last published, in order."""
        return [row[0] for row in self._all("SELECT data FROM sessions ORDER BY position")]

    def feeds(self) -> dict[str, StoredFeed]:
        """Each feed file last written, by path."""
        rows = self._all("SELECT path, made_from, bytes, sha256 FROM feeds")
        return {path: StoredFeed(made_from, size, sha) for path, made_from, size, sha in rows}

    # --- writing (one transaction, committed by close) --------------------------------

    def put_events(self, rows: Iterable[EventRow]) -> None:
        """Write these events (new or changed), with their VEVENT bytes."""
        self._many(
            "INSERT OR REPLACE INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    row.record.entry.id,
                    row.record.digest,
                    row.record.sequence,
                    utc(row.record.modified).isoformat(),
                    None if row.record.removed is None else utc(row.record.removed).isoformat(),
                    zlib.compress(dumps_entry(row.record.entry).encode(), 1),
                    row.vevent,
                    row.rendered_key,
                )
                for row in rows
            ),
        )

    def drop_events(self, ids: Iterable[str]) -> None:
        """Forget these events (tombstones kept long enough)."""
        self._many("DELETE FROM events WHERE id = ?", ((item_id,) for item_id in ids))

    def put_sessions(self, rows: Iterable[tuple[str, int, str | None, str]]) -> None:
        """Write these sessions: (id, position, fingerprint, show data as JSON)."""
        self._many("INSERT OR REPLACE INTO sessions VALUES (?, ?, ?, ?)", rows)

    def move_sessions(self, positions: Iterable[tuple[int, str]]) -> None:
        """Give sessions new positions: (position, id)."""
        self._many("UPDATE sessions SET position = ? WHERE id = ?", positions)

    def drop_sessions(self, ids: Iterable[str]) -> None:
        """Forget sessions that left the programme."""
        self._many("DELETE FROM sessions WHERE id = ?", ((item_id,) for item_id in ids))

    def put_feeds(self, rows: Iterable[tuple[str, StoredFeed]]) -> None:
        """Write what each of these feed files was made from."""
        self._many(
            "INSERT OR REPLACE INTO feeds VALUES (?, ?, ?, ?)",
            ((path, *feed) for path, feed in rows),
        )

    def drop_feeds(self, paths: Iterable[str]) -> None:
        """Forget feed files the site no longer has."""
        self._many("DELETE FROM feeds WHERE path = ?", ((path,) for path in paths))

    def put_setting(self, name: str, value: str) -> None:
        """Set a setting."""
        self._many("INSERT OR REPLACE INTO settings VALUES (?, ?)", [(name, value)])

    def close(self) -> None:
        """Commit the build's one transaction and leave a self-contained database file."""
        with _reading(self.named, writing=True):
            self._db.commit()
            self._db.execute("PRAGMA journal_mode = DELETE")  # checkpoints: no -wal left
            self._db.close()

    def abandon(self) -> None:
        """Drop the transaction (a failed build): the file goes with the folder."""
        with contextlib.suppress(sqlite3.Error):
            self._db.rollback()
        self._db.close()

    # --- helpers ------------------------------------------------------------------------

    def _time(self, text: str) -> datetime:
        found = self._times.get(text)
        if found is None:
            found = datetime.fromisoformat(text)
            if found.tzinfo is None:
                raise ValueError(f"{text!r} has no UTC offset")
            found = self._times[text] = utc(found)
        return found

    def _one(self, sql: str, parameters: tuple[Any, ...] = ()) -> Any:
        with _reading(self.named):
            return self._db.execute(sql, parameters).fetchone()

    def _all(self, sql: str) -> list[Any]:
        with _reading(self.named):
            return self._db.execute(sql).fetchall()

    def _many(self, sql: str, rows: Iterable[tuple[Any, ...]]) -> None:
        with _reading(self.named, writing=True):
            self._db.executemany(sql, rows)


def read_database(path: Path) -> PublishState:
    """The whole publish state in the database at ``path`` (for reading, never changed)."""
    connection = _connect(path, path, uri=f"{path.resolve().as_uri()}?mode=ro")
    store = StateStore(path, connection, fresh=False)
    try:
        _check(connection, path)
        priors = store.priors()
        vevents = store.vevents()
        records = {
            item_id: Record(
                digest=prior.digest,
                sequence=prior.sequence,
                modified=prior.modified,
                removed=prior.removed,
                entry=store.former(item_id),
                rendered=vevents[item_id].decode() if vevents[item_id] else None,
                rendered_key=None,  # the state keeps its hash only
            )
            for item_id, prior in priors.items()
        }
        frame = store.setting("frame")
        show: dict[str, Any] | None = None
        if frame is not None:
            show = json.loads(frame)
            show["sessions"] = [json.loads(data) for data in store.all_session_data()]
        refresh = store.setting("refresh_seconds")
        return PublishState(
            records=records,
            show=show,
            domain=store.setting("domain"),
            refresh_seconds=None if refresh is None else int(refresh),
        )
    except (ValueError, UnicodeDecodeError) as exc:
        raise PublishStateError(f"{path}: damaged publish state ({exc})") from None
    finally:
        connection.close()


def _private_file(path: Path, named: Path) -> None:
    """Make ``path`` an empty file only its owner can read.

    The state holds crew-only items; SQLite gives its journal files the same mode.
    """
    with naming(named):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        path.chmod(0o600)


def _connect(path: Path, named: Path, *, uri: str | None = None) -> sqlite3.Connection:
    try:
        connection = sqlite3.connect(
            uri or path,
            timeout=LOCK_TIMEOUT,
            isolation_level=None,
            uri=uri is not None,
            check_same_thread=False,
        )
    except sqlite3.Error as exc:
        raise PublishStateError(f"{named}: cannot open the publish state ({exc})") from None
    return connection


def _copy(previous: Path, path: Path, named: Path) -> sqlite3.Connection:
    """A private copy at ``path`` of the database at ``previous`` (opened read-only)."""
    source = _connect(previous, previous, uri=f"{previous.resolve().as_uri()}?mode=ro")
    try:
        _check(source, previous)
        target = _connect(path, named)
        try:
            with _reading(previous):
                source.backup(target)
        except BaseException:
            target.close()
            raise
    finally:
        source.close()
    return target


def _check(connection: sqlite3.Connection, path: Path) -> None:
    """Refuse a database that is not a ceremony publish state of this format."""
    with _reading(path):
        application = connection.execute("PRAGMA application_id").fetchone()[0]
        version = connection.execute("PRAGMA user_version").fetchone()[0]
    if application != APPLICATION_ID or version != STATE_FORMAT:
        message = f"{path}: not a ceremony publish state (SQLite, format {STATE_FORMAT})"
        raise PublishStateError(message)


@contextlib.contextmanager
def _reading(path: Path, *, writing: bool = False) -> Iterator[None]:
    """Turn :mod:`sqlite3` errors into a :class:`PublishStateError` naming ``path``."""
    try:
        yield
    except sqlite3.Error as error:
        text = str(error)
        if "locked" in text or "busy" in text:
            detail = f"the publish state is locked by another program ({text})"
        elif writing:
            detail = f"cannot write the publish state ({text})"
        else:
            detail = f"damaged publish state ({text})"
        raise PublishStateError(f"{path}: {detail}") from None
