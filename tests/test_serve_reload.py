"""``ceremony serve`` reads a rebuilt site off the event loop, swaps it in whole, keeps a good one."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import attrs
import httpx
import pytest
from starlette.applications import Starlette

import ceremony
from ceremony import serve
from ceremony.errors import CeremonyError
from ceremony.io.reloading import Reloaded
from ceremony.serve import create_app
from ceremony.site import build_site
from tests.conftest import EXAMPLES

NOW = datetime(2024, 8, 20, tzinfo=UTC)
AZE_KAZ = EXAMPLES / "paralympians-aze-kaz.yaml"
JUDO = "/feed.ics?sport=para-judo"
PATHS = ("/all.ics", "/manifest.json", JUDO, "/feed.ics?delegation=KAZ")


def get(app: Starlette, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
    """A GET through httpx's ASGI transport."""

    async def fetch() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get(path, headers=headers)

    return asyncio.run(fetch())


def settle(app: Starlette) -> None:
    """Wait until the reload a request started (if any) has ended."""
    deadline = time.monotonic() + 30
    while app.state.site.reading:
        assert time.monotonic() < deadline, "the reload never ended"
        time.sleep(0.005)


def answers(app: Starlette) -> dict[str, tuple[int, str, bytes]]:
    """Status, ETag and body of each of :data:`PATHS`."""
    found = {}
    for path in PATHS:
        response = get(app, path)
        found[path] = (response.status_code, response.headers.get("etag", ""), response.content)
    return found


def renamed(programme: ceremony.Programme, title: str) -> ceremony.Programme:
    """``programme`` with its first Para Judo session titled ``title``."""
    judo = next(s for s in programme.sessions if s.sport == "Para Judo")
    sessions = [attrs.evolve(s, title=title) if s is judo else s for s in programme.sessions]
    return attrs.evolve(programme, sessions=sessions)


@pytest.fixture
def programme() -> ceremony.Programme:
    return ceremony.load(AZE_KAZ)


@pytest.fixture
def root(tmp_path: Path, programme: ceremony.Programme) -> Path:
    folder = tmp_path / "site"
    build_site(programme, folder, now=NOW)
    return folder


@attrs.define
class Gate:
    """A loader of the dynamic data that, once armed, blocks until released."""

    armed: bool = False
    started: threading.Event = attrs.field(factory=threading.Event)
    release: threading.Event = attrs.field(factory=threading.Event)
    calls: int = 0
    running: int = 0
    most_at_once: int = 0
    lock: threading.Lock = attrs.field(factory=threading.Lock)


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    """``_Dynamic.load`` counted, and held on an Event while the gate is armed."""
    made = Gate()
    original: Callable[[Path], serve._Dynamic | None] = serve._Dynamic.load

    def held(root: Path) -> serve._Dynamic | None:
        with made.lock:
            made.calls += 1
            made.running += 1
            made.most_at_once = max(made.most_at_once, made.running)
        try:
            if made.armed:
                made.started.set()
                made.release.wait(timeout=30)
            return original(root)
        finally:
            with made.lock:
                made.running -= 1

    monkeypatch.setattr(serve._Dynamic, "load", staticmethod(held))
    yield made
    made.release.set()


class TestRebuild:
    def test_the_next_requests_see_the_new_feeds_once_it_is_read(
        self, root: Path, programme: ceremony.Programme
    ) -> None:
        """After a rebuild is read: new static and dynamic feeds, new ETags, a fresh cache."""
        app = create_app(root)
        before = answers(app)
        assert get(app, "/feed.ics?sport=Para%20Canoe").status_code == 404
        canoe = ceremony.CompetitionSession(
            id="canoe-final",
            sport="Para Canoe",
            event="Men's KL2",
            venue="grand-palais",
            start=datetime(2024, 9, 6, 10, tzinfo=UTC),
            athletes=["david-degtyarev"],
        )
        rebuilt = renamed(programme, "Renamed for the rebuild")
        build_site(attrs.evolve(rebuilt, sessions=[*rebuilt.sessions, canoe]), root, now=NOW)
        assert answers(app) == before  # the request that finds the build is not kept waiting
        settle(app)
        after = answers(app)
        for path in PATHS:
            status, etag, body = after[path]
            assert status == 200, path
            assert etag != before[path][1], path
            assert body != before[path][2], path
        assert b"Renamed for the rebuild" in after[JUDO][2]
        assert b"Renamed for the rebuild" not in before[JUDO][2]
        new = get(app, "/feed.ics?sport=Para%20Canoe")
        assert new.status_code == 200
        assert b"KAZ Degtyarev" in new.content
        old_tag = {"If-None-Match": before[JUDO][1]}
        assert get(app, JUDO, old_tag).status_code == 200
        assert get(app, JUDO, {"If-None-Match": after[JUDO][1]}).status_code == 304

    def test_without_a_rebuild_nothing_is_read_again(self, root: Path, gate: Gate) -> None:
        """Requests to an unchanged site start no reload."""
        app = create_app(root)
        assert gate.calls == 1
        answers(app)
        answers(app)
        assert not app.state.site.reading
        assert gate.calls == 1


class TestSlowReload:
    def test_requests_are_answered_from_the_old_build_meanwhile(
        self, root: Path, programme: ceremony.Programme, gate: Gate
    ) -> None:
        """While the new build is read (held on an Event), every request gets the old one."""
        app = create_app(root)
        before = answers(app)
        gate.armed = True
        build_site(renamed(programme, "First rebuild"), root, now=NOW)
        assert get(app, "/all.ics").headers["etag"] == before["/all.ics"][1]
        assert gate.started.wait(timeout=30)
        for _ in range(3):
            assert answers(app) == before
            assert get(app, JUDO, {"If-None-Match": before[JUDO][1]}).status_code == 304
        assert app.state.site.reading
        assert not gate.release.is_set()  # all answered while the reload was held
        gate.release.set()
        settle(app)
        assert b"First rebuild" in get(app, JUDO).content

    def test_one_reload_at_a_time_and_the_last_build_wins(
        self, root: Path, programme: ceremony.Programme, gate: Gate
    ) -> None:
        """A build swapped in during a reload starts no second one; it is read after."""
        app = create_app(root)
        before = answers(app)
        gate.armed = True
        build_site(renamed(programme, "First rebuild"), root, now=NOW)
        get(app, "/all.ics")
        assert gate.started.wait(timeout=30)
        build_site(renamed(programme, "Second rebuild"), root, now=NOW)
        assert answers(app) == before
        assert gate.calls == 2  # the first load of the app, then the held one
        gate.release.set()
        settle(app)
        get(app, "/all.ics")  # finds the second build if the first reload did not read it
        settle(app)
        body = get(app, JUDO).content
        assert b"Second rebuild" in body
        assert b"First rebuild" not in body
        assert gate.most_at_once == 1


class TestBrokenBuild:
    @pytest.mark.parametrize(
        ("manifest", "said"),
        [
            ("{not json", "Expecting property name"),
            (json.dumps({"files": [{"path": "all.ics"}]}), "a damaged manifest.json"),
            (json.dumps({"files": [{"path": "gone.ics", "etag": '"x"'}]}), "gone.ics"),
        ],
        ids=["not-json", "no-etag", "missing-file"],
    )
    def test_the_old_build_goes_on_and_one_line_is_logged(
        self,
        root: Path,
        programme: ceremony.Programme,
        caplog: pytest.LogCaptureFixture,
        manifest: str,
        said: str,
    ) -> None:
        """A damaged new manifest: the old build is served, one line says why, once."""
        app = create_app(root)
        before = answers(app)
        caplog.set_level(logging.WARNING, logger="ceremony.serve")
        (root / "manifest.json").write_text(manifest)
        assert answers(app) == before
        settle(app)
        for _ in range(3):
            assert answers(app) == before
            assert not app.state.site.reading  # the broken build is not read again
        (record,) = caplog.records
        assert record.name == "ceremony.serve"
        assert record.levelno == logging.WARNING
        message = record.getMessage()
        assert "\n" not in message
        assert message.startswith(f"{root}: kept the previous version; the new one: ")
        assert said in message
        build_site(renamed(programme, "Mended"), root, now=NOW)
        get(app, "/all.ics")
        settle(app)
        assert b"Mended" in get(app, JUDO).content
        assert len(caplog.records) == 1

    def test_a_broken_site_at_start_is_an_error(self, root: Path) -> None:
        """A site that cannot be read when the server starts is a CeremonyError."""
        (root / "manifest.json").write_text("[]")
        with pytest.raises(CeremonyError, match=r"damaged manifest\.json"):
            create_app(root)


class TestReloaded:
    """The machinery on its own: a value read again in a worker thread when its stamp moves."""

    @attrs.define
    class Source:
        stamp: int = 1
        value: str = "one"
        fail: str | None = None
        stamp_error: bool = False
        reads: int = 0

        def read(self) -> tuple[int, str]:
            self.reads += 1
            if self.fail is not None:
                raise ValueError(self.fail)
            return self.stamp, self.value

        def stamp_now(self) -> int:
            if self.stamp_error:
                raise FileNotFoundError("mid-swap")
            return self.stamp

    def reloaded(self, source: Source) -> Reloaded[str, int]:
        return Reloaded(
            source.read, source.stamp_now, log=logging.getLogger("test.reload"), name="src"
        )

    @staticmethod
    def settle(reloaded: Reloaded[str, int]) -> None:
        deadline = time.monotonic() + 30
        while reloaded.reading:
            assert time.monotonic() < deadline
            time.sleep(0.001)

    def test_the_old_value_at_once_then_the_new(self) -> None:
        """A moved stamp: the old value now, the new one once read."""
        source = self.Source()
        reloaded = self.reloaded(source)
        source.stamp, source.value = 2, "two"
        assert reloaded.current() == "one"
        self.settle(reloaded)
        assert reloaded.current() == "two"
        assert source.reads == 2

    def test_an_unreadable_stamp_keeps_the_value(self) -> None:
        """An OSError from the stamp (files mid-swap) starts nothing."""
        source = self.Source()
        reloaded = self.reloaded(source)
        source.stamp, source.value, source.stamp_error = 2, "two", True
        assert reloaded.current() == "one"
        assert not reloaded.reading
        assert source.reads == 1

    def test_a_failed_read_is_said_once_in_one_line(self, caplog: pytest.LogCaptureFixture) -> None:
        """A failing read keeps the value, logs one line, and waits for the next stamp."""
        source = self.Source()
        reloaded = self.reloaded(source)
        source.stamp, source.fail = 2, "bad\nnews"
        caplog.set_level(logging.WARNING, logger="test.reload")
        for _ in range(3):
            assert reloaded.current() == "one"
            self.settle(reloaded)
        assert [r.getMessage() for r in caplog.records] == [
            "src: kept the previous version; the new one: bad news"
        ]
        assert source.reads == 2
        source.stamp, source.fail, source.value = 3, None, "three"
        reloaded.current()
        self.settle(reloaded)
        assert reloaded.value == "three"

    def test_the_first_read_raises(self) -> None:
        """The constructor reads once and raises what the read raises."""
        with pytest.raises(ValueError, match="broken"):
            self.reloaded(self.Source(fail="broken"))
