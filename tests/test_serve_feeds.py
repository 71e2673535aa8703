"""``/feed.ics`` as a feed server: names, slugs and case; 404s that list; the feed cache."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from pathlib import Path

import attrs
import httpx
import icalendar
import pytest
from starlette.applications import Starlette

import ceremony
from ceremony import serve
from ceremony.serve import create_app
from ceremony.site import build_site
from tests.conftest import EXAMPLES

NOW = datetime(2024, 8, 20, tzinfo=UTC)
AZE_KAZ = EXAMPLES / "paralympians-aze-kaz.yaml"


def get(app: Starlette, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
    """A GET through httpx's ASGI transport, the path sent as written."""

    async def fetch() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get(path, headers=headers)

    return asyncio.run(fetch())


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("served") / "site"
    build_site(ceremony.load(AZE_KAZ), root, now=NOW)
    return root


@pytest.fixture
def app(site: Path) -> Starlette:
    return create_app(site)


@pytest.fixture
def serializations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every description ``/feed.ics`` serializes a feed for, as it happens."""
    made: list[str] = []
    original = serve._Dynamic._serialize

    def counting(self: serve._Dynamic, where: object, description: str) -> bytes:
        made.append(description)
        return original(self, where, description)  # type: ignore[arg-type]

    monkeypatch.setattr(serve._Dynamic, "_serialize", counting)
    return made


def summaries(body: bytes) -> list[str]:
    return [str(event["SUMMARY"]) for event in icalendar.Calendar.from_ical(body).walk("VEVENT")]


@pytest.mark.parametrize(
    ("spellings", "static"),
    [
        (
            ["sport=para-judo", "sport=Para%20Judo", "sport=PARA%20JUDO", "sport=%20para%20judo"],
            "sport/para-judo.ics",
        ),
        (["delegation=AZE", "delegation=aze", "delegation=Azerbaijan"], "delegation/aze.ics"),
        (
            ["athlete=sabir-zeynalov", "athlete=Sabir%20Zeynalov", "athlete=SABIR-ZEYNALOV"],
            "athlete/sabir-zeynalov.ics",
        ),
        (["venue=grand-palais", "venue=GRAND-PALAIS"], "venue/grand-palais.ics"),
    ],
)
def test_names_slugs_and_case_give_the_same_feed(
    app: Starlette, site: Path, spellings: list[str], static: str
) -> None:
    responses = [get(app, f"/feed.ics?{query}") for query in spellings]
    assert [response.status_code for response in responses] == [200] * len(spellings)
    assert len({response.content for response in responses}) == 1
    assert len({response.headers["etag"] for response in responses}) == 1
    served = summaries(responses[0].content)
    assert served
    assert sorted(served) == sorted(summaries((site / static).read_bytes()))


def test_a_venue_by_its_display_name(app: Starlette) -> None:
    by_id = get(app, "/feed.ics?venue=grand-palais")
    names = {str(e["LOCATION"]) for e in icalendar.Calendar.from_ical(by_id.content).walk("VEVENT")}
    (name,) = {location.split(",")[0] for location in names}
    by_name = get(app, f"/feed.ics?venue={name.upper()}")
    assert by_name.status_code == 200
    assert by_name.content == by_id.content


def test_the_order_of_a_query_does_not_matter(app: Starlette) -> None:
    one = get(app, "/feed.ics?sport=Para%20Judo&delegation=AZE")
    other = get(app, "/feed.ics?delegation=azerbaijan&sport=para-judo")
    assert one.status_code == other.status_code == 200
    assert one.content == other.content
    several = get(app, "/feed.ics?sport=para-judo|Para%20Swimming")
    repeated = get(app, "/feed.ics?sport=para-swimming&sport=PARA%20JUDO")
    assert several.content == repeated.content
    assert len(summaries(several.content)) > len(summaries(one.content))


def test_an_unknown_value_is_a_404_that_lists_what_exists(app: Starlette) -> None:
    response = get(app, "/feed.ics?sport=Para%20Jduo")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text == (
        "no sport 'Para Jduo'; sports: Para Athletics, Para Judo, Para Powerlifting, "
        "Para Swimming, Para Taekwondo, Shooting Para Sport\n"
    )
    # One bad value among good ones is still a 404: a subscription should not be half empty.
    response = get(app, "/feed.ics?sport=para-judo|nothing&delegation=AZE")
    assert response.status_code == 404
    assert response.text.startswith("no sport 'nothing'; sports: Para Athletics,")
    response = get(app, "/feed.ics?delegation=FRA")
    assert response.status_code == 404
    assert response.text == "no delegation 'FRA'; delegations: Azerbaijan, Kazakhstan\n"


def test_a_long_listing_is_capped(app: Starlette) -> None:
    response = get(app, "/feed.ics?athlete=Nobody")
    assert response.status_code == 404
    text = response.text
    assert text.startswith("no athlete 'Nobody'; athletes: ")
    assert text.endswith(" and 5 more\n")  # 25 athletes, 20 named
    assert text.count("\n") == 1
    names = text.removesuffix(" and 5 more\n").split("; athletes: ")[1].split(", ")
    assert len(names) == 20
    assert names == sorted(names, key=str.casefold)


def test_an_unknown_facet_is_a_404_that_lists_the_facets(app: Starlette) -> None:
    response = get(app, "/feed.ics?spot=Para%20Judo")
    assert response.status_code == 404
    assert response.text.startswith("no facet 'spot'; facets: kind, ceremony, sport,")


@pytest.mark.parametrize("query", ["sport=", "sport=|", "sport=%20"])
def test_an_empty_value_is_a_400(app: Starlette, query: str) -> None:
    response = get(app, f"/feed.ics?{query}")
    assert response.status_code == 400
    assert response.text == "sport: give a value, e.g. sport=...\n"


def test_a_control_character_is_still_a_400(app: Starlette) -> None:
    response = get(app, "/feed.ics?sport=Para%20Judo%0AX-INJ:1")
    assert response.status_code == 400
    assert "may not hold a line break or a control character" in response.text


def test_a_304_and_a_repeat_serialize_nothing(app: Starlette, serializations: list[str]) -> None:
    first = get(app, "/feed.ics?sport=para-judo")
    assert first.status_code == 200
    assert serializations == ["sport=Para Judo"]
    etag = first.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    again = get(app, "/feed.ics?sport=PARA%20JUDO", {"If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["etag"] == etag
    assert again.content == b""
    repeat = get(app, "/feed.ics?sport=Para%20Judo")
    assert repeat.content == first.content
    assert get(app, "/feed.ics?sport=para-judo", {"If-None-Match": '"other"'}).status_code == 200
    assert serializations == ["sport=Para Judo"]


def test_the_cache_is_bounded(
    app: Starlette, serializations: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serve, "FEED_CACHE_ENTRIES", 2)
    for query in ["sport=para-judo", "sport=para-swimming", "sport=para-judo", "delegation=aze"]:
        assert get(app, f"/feed.ics?{query}").status_code == 200
    assert serializations == ["sport=Para Judo", "sport=Para Swimming", "delegation=Azerbaijan"]
    # Para Swimming was the least recently used of three: it went, Para Judo stayed.
    get(app, "/feed.ics?sport=para-judo")
    get(app, "/feed.ics?sport=para-swimming")
    assert serializations[3:] == ["sport=Para Swimming"]


def test_the_cache_is_bounded_in_bytes(
    app: Starlette, serializations: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serve, "FEED_CACHE_BYTES", 1)
    for _ in range(2):
        assert get(app, "/feed.ics?sport=para-judo").status_code == 200
    assert serializations == ["sport=Para Judo", "sport=Para Judo"]


def test_a_rebuild_drops_the_cache(tmp_path: Path) -> None:
    root = tmp_path / "site"
    programme = ceremony.load(AZE_KAZ)
    build_site(programme, root, now=NOW)
    app = create_app(root)
    before = get(app, "/feed.ics?sport=para-judo")
    assert before.status_code == 200
    assert (
        get(app, "/feed.ics?sport=para-judo", {"If-None-Match": before.headers["etag"]}).status_code
        == 304
    )
    judo = [session for session in programme.sessions if session.sport == "Para Judo"]
    renamed = attrs.evolve(judo[0], title="Renamed for the rebuild")
    sessions = [renamed if session is judo[0] else session for session in programme.sessions]
    build_site(attrs.evolve(programme, sessions=sessions), root, now=NOW)
    assert get(app, "/feed.ics?sport=para-judo").content == before.content  # starts the reload
    deadline = time.monotonic() + 30
    while app.state.site.reading and time.monotonic() < deadline:  # read in a worker thread
        time.sleep(0.01)
    after = get(app, "/feed.ics?sport=para-judo", {"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert after.headers["etag"] != before.headers["etag"]
    assert after.content != before.content
    assert b"SEQUENCE:1" in after.content
