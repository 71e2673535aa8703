"""``ceremony serve`` over real HTTP on localhost: content types, 304s, traversal, /feed.ics."""

from __future__ import annotations

import http.client
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import attrs
import icalendar
import pytest
import uvicorn

import ceremony
from ceremony.serve import create_app
from ceremony.site import build_site
from tests.conftest import EXAMPLES

NOW = datetime(2024, 8, 20, tzinfo=UTC)


@attrs.frozen
class Server:
    port: int
    root: Path

    def get(
        self, path: str, headers: dict[str, str] | None = None, method: str = "GET"
    ) -> tuple[int, dict[str, str], bytes]:
        """A raw request: the path is sent exactly as written (no client normalization)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("served") / "site"
    build_site(ceremony.load(EXAMPLES / "paralympians-aze-kaz.yaml"), root, now=NOW)
    (root.parent / "secret.txt").write_text("outside the site")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(root), log_level="warning", lifespan="off")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield Server(port=port, root=root)
    running.should_exit = True
    thread.join(timeout=10)
    sock.close()


def test_feeds_index_and_manifest(server: Server) -> None:
    status, headers, body = server.get("/all.ics")
    assert status == 200
    assert headers["content-type"] == "text/calendar; charset=utf-8"
    assert body == (server.root / "all.ics").read_bytes()
    assert headers["etag"].startswith('"')
    assert not headers["etag"].startswith("W/")
    status, headers, body = server.get("/")
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert body == (server.root / "index.html").read_bytes()
    status, headers, _ = server.get("/manifest.json")
    assert (status, headers["content-type"]) == (200, "application/json")
    status, headers, body = server.get("/sport/para-swimming.ics", method="HEAD")
    assert status == 200
    assert body == b""
    assert int(headers["content-length"]) > 0


def test_conditional_get(server: Server) -> None:
    _, headers, _ = server.get("/medals.ics")
    etag, modified = headers["etag"], headers["last-modified"]
    assert server.get("/medals.ics", {"If-None-Match": etag})[0] == 304
    assert server.get("/medals.ics", {"If-None-Match": f'"x", W/{etag}'})[0] == 304
    assert server.get("/medals.ics", {"If-None-Match": '"other"'})[0] == 200
    assert server.get("/medals.ics", {"If-Modified-Since": modified})[0] == 304
    old = "Mon, 01 Jan 2024 00:00:00 GMT"
    assert server.get("/medals.ics", {"If-Modified-Since": old})[0] == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110).
    assert (
        server.get("/medals.ics", {"If-None-Match": '"x"', "If-Modified-Since": modified})[0] == 200
    )
    assert server.get("/medals.ics", {"If-Modified-Since": "garbage"})[0] == 200


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/%252e%252e/secret.txt",
        "/sport/../../secret.txt",
        "/sport/%2e%2e/%2e%2e/secret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "//etc/passwd",
        "/sport/",
        "/sport",
        "/../site.state.json",
        "/index.html%00.ics",
    ],
)
def test_nothing_outside_the_site_and_no_listing(server: Server, path: str) -> None:
    status, _, body = server.get(path)
    assert status in {400, 404}
    assert b"outside the site" not in body
    assert b"records" not in body


def test_dynamic_feed(server: Server) -> None:
    status, headers, body = server.get("/feed.ics?sport=Para%20Swimming&delegation=AZE")
    assert status == 200
    assert headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(body)
    events = calendar.walk("VEVENT")
    assert events
    assert all("Para Swimming" in str(e["CATEGORIES"].to_ical()) for e in events)
    static = (server.root / "sport" / "para-swimming.ics").read_bytes()
    for event in events:  # the same bytes as the static feeds
        assert event.to_ical() in static
    assert server.get("/feed.ics?sport=Para%20Swimming", {"If-None-Match": headers["etag"]})[0] in {
        200,
        304,
    }
    status, _, body = server.get("/feed.ics?sport=Nothing")
    assert status == 404
    assert body.startswith(b"no sport 'Nothing'; sports: ")
    status, _, body = server.get("/feed.ics?spot=x")
    assert status == 404
    assert body.startswith(b"no facet 'spot'; facets: ")


def test_a_rebuild_is_served_once_it_is_read(server: Server) -> None:
    """The request that finds a rebuild gets the old build; the new one follows, read off-loop."""
    _, before, _ = server.get("/all.ics")
    programme = ceremony.load(EXAMPLES / "paralympians-aze-kaz.yaml")
    build_site(attrs.evolve(programme, sessions=programme.sessions[1:]), server.root, now=NOW)
    status, first, _ = server.get("/all.ics")
    assert (status, first["etag"]) == (200, before["etag"])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status, after, body = server.get("/all.ics")
        if after["etag"] != before["etag"]:
            break
        time.sleep(0.01)
    assert status == 200
    assert after["etag"] != before["etag"]
    assert b"STATUS:CANCELLED" in body
