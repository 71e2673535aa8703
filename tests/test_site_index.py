"""The feed site's index page: its structure and names as HTML, and the page in a real browser.

The browser tests build sites from the examples (the small Paralympic one and the imported
Paris 2024 Olympics), serve them on a free loopback port, by ``ceremony serve``'s app or
by a plain static server, and drive Debian's chromium through its chromedriver with
Selenium; nothing is downloaded. Where chromium, chromedriver or selenium is missing they
are skipped, saying how to install them. ``CEREMONY_UPDATE_SCREENSHOTS=1 pytest
tests/test_site_index.py`` writes the screenshots to ``docs/images/site-index-*.png``
(else into the test's own folder).
"""

from __future__ import annotations

import os
import shutil
import socket
import struct
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import attrs
import httpx
import icalendar
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

import ceremony
from ceremony.export.feeds import Feed, chosen_events, feed_set
from ceremony.export.site_index import FeedLinks, builder_choices, index_page, page_sections
from ceremony.io.atomic import write_atomically
from ceremony.serve import create_app
from ceremony.site import build_site

from .conftest import EXAMPLES, ROOT

try:
    from selenium import webdriver
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.chrome.webdriver import WebDriver
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.remote.command import Command
    from selenium.webdriver.support.wait import WebDriverWait
except ImportError:  # pragma: no cover - selenium is in the test extra
    webdriver = None  # type: ignore[assignment]

Show = Callable[[str], ceremony.Programme]
NOW = datetime(2024, 8, 20, tzinfo=UTC)
AZE_KAZ = EXAMPLES / "paralympians-aze-kaz.yaml"
PARIS = EXAMPLES / "paris-2024-olympics" / "programme.yaml"
BASE = "https://feeds.example.org/paris/"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
IMAGES = ROOT / "docs" / "images"
PHONE = (390, 844)
DESKTOP = (1280, 900)
HOSTILE = "<script>alert(1)</script>"
SERVE_PORT = 8000
"""``ceremony serve``'s port, for the screenshot's address (when it is free)."""

GAMES = """\
programme: Test Games
timezone: Europe/Paris
venues:
  - {id: arena, name: Arène Zoé}
delegations:
  - {id: KAZ, name: Kazakhstan}
  - {id: AZE, name: Azerbaijan}
people:
  - {id: zoe, name: Zoé Lambert, delegation: KAZ, sport: Para Judo}
sessions:
  - {id: judo-1, sport: Para Judo, venue: arena, start: 2024-08-29T10:00, duration: 1h,
     delegations: [KAZ, AZE], athletes: [zoe]}
  - {id: swim-1, sport: Para Swimming, venue: arena, start: 2024-08-30T18:00, duration: 1h,
     delegations: [AZE], medal: true}
  - {id: cer, sport: Opening Ceremony, start: 2024-08-28T20:00, duration: 3h}
"""


# --- the page as HTML ----------------------------------------------------------------------


@attrs.define
class Control:
    """A link or button of the page: its attributes and the text it is named by."""

    tag: str
    attributes: dict[str, str | None]
    text: str = ""

    @property
    def href(self) -> str:
        return self.attributes.get("href") or ""


class _Reader(HTMLParser):
    """Every link and button with its whole text (visually hidden parts included)."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[Control] = []
        self._open: Control | None = None
        self.ids: set[str] = set()
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "script":
            self.scripts += 1
        if tag in {"a", "button"}:
            self._open = Control(tag, found)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"a", "button"} and self._open is not None:
            self.controls.append(self._open)
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.text += data


def read(page: str) -> _Reader:
    reader = _Reader()
    reader.feed(page)
    return reader


def named(page: str) -> dict[str, Control]:
    """The page's links and buttons by the text they are named by."""
    return {control.text: control for control in read(page).controls}


def games_with(body: str) -> ceremony.Programme:
    """A programme of the test games' head and ``body``."""
    return ceremony.loads("programme: Test Games\ntimezone: Europe/Paris\n" + body, "yaml")


@pytest.fixture
def games() -> ceremony.Programme:
    """Two sessions, a ceremony imported as a sport, two delegations and an athlete."""
    return ceremony.loads(GAMES, "yaml")


def page_of(programme: ceremony.Programme, **options: Any) -> str:
    """The index page of ``programme``'s whole feed set."""
    events = chosen_events(programme)
    feeds = feed_set(programme, events)
    options.setdefault("base_url", None)
    options.setdefault("changes", [])
    return index_page(programme, feeds, event_count=len(events), **options)


def feeds_of(programme: ceremony.Programme) -> list[Feed]:
    events = chosen_events(programme)
    return feed_set(programme, events)


class TestSections:
    def test_ceremonies_first_then_everything_days_sports_delegations_venues_athletes(
        self, games: ceremony.Programme
    ) -> None:
        """Sections come ceremonies first; a sport named as a ceremony is listed there."""
        sections = page_sections(games, feeds_of(games), base_url=None)
        assert [s.id for s in sections] == [
            "ceremony",
            "all",
            "day",
            "sport",
            "delegation",
            "venue",
            "athlete",
        ]
        by_id = {s.id: [row.name for row in s.rows] for s in sections}
        assert by_id["ceremony"] == ["Opening Ceremony"]
        assert "Opening Ceremony" not in by_id["sport"]
        assert by_id["all"] == ["All events", "Medal events"]
        assert by_id["day"][0] == "Wednesday 28 August 2024"

    def test_the_jump_list_names_every_section(self, games: ceremony.Programme) -> None:
        """Each section has an anchor the jump list links to."""
        page = page_of(games)
        reader = read(page)
        jumps = [c.href for c in reader.controls if c.href.startswith("#")]
        assert jumps == [f"#{s}" for s in ("ceremony", "all", "day", "sport")] + [
            "#delegation",
            "#venue",
            "#athlete",
            "#build",
        ]
        assert {j.removeprefix("#") for j in jumps} <= reader.ids

    def test_ceremonies_are_listed_in_the_order_they_start(self, show: Show) -> None:
        """The closing ceremony comes after the opening, whatever their names."""
        programme = show(
            "ceremonies:\n"
            "  - {id: z-opening, title: Opening, venue: concorde, start: 2024-08-28T20:00}\n"
            "  - {id: a-closing, title: Closing, venue: concorde, start: 2024-09-08T20:00}\n"
        )
        ceremonies = page_sections(programme, feeds_of(programme), base_url=None)[0]
        assert [row.name for row in ceremonies.rows] == ["Opening", "Closing"]
        assert [row.detail for row in ceremonies.rows] == [
            "Wednesday 28 August 2024",
            "Sunday 8 September 2024",
        ]

    def test_a_kind_the_page_does_not_know_gets_a_section_at_the_end(
        self, games: ceremony.Programme
    ) -> None:
        """A feed of another kind (a future one) is listed last, under its kind's name."""
        extra = Feed(
            kind="classification",
            key="S12",
            title="Test Games: S12",
            path="c/s12.ics",
            members=(0,),
        )
        sections = page_sections(games, [*feeds_of(games), extra], base_url=None)
        assert sections[-1].id == "classification"
        assert sections[-1].heading == "Classification"
        assert [row.name for row in sections[-1].rows] == ["S12"]


class TestRows:
    def test_every_feed_has_named_buttons(self, games: ceremony.Programme) -> None:
        """Subscribe, Google, Outlook, Microsoft 365, download and copy each name the feed."""
        controls = named(page_of(games, base_url=BASE))
        for name in ("Para Judo", "Wednesday 28 August 2024", "Zoé Lambert", "All events"):
            for text in (
                f"Subscribe to {name}",
                f"Add {name} to Google Calendar",
                f"Add {name} to Outlook.com",
                f"Add {name} to Microsoft 365 Outlook",
                f"Download {name} (.ics file)",
                f"Copy the link to {name}",
            ):
                assert text in controls, text

    def test_links_are_absolute_with_a_base_url(self, games: ceremony.Programme) -> None:
        """With a base URL every button links to the feed's own address there."""
        controls = named(page_of(games, base_url=BASE))
        address = BASE + "sport/para-judo.ics"
        webcal = "webcal://feeds.example.org/paris/sport/para-judo.ics"
        assert controls["Subscribe to Para Judo"].href == webcal
        google = urlsplit(controls["Add Para Judo to Google Calendar"].href)
        assert google.netloc == "calendar.google.com"
        assert parse_qs(google.query) == {"cid": [webcal]}
        for text, host in (
            ("Add Para Judo to Outlook.com", "outlook.live.com"),
            ("Add Para Judo to Microsoft 365 Outlook", "outlook.office.com"),
        ):
            link = urlsplit(controls[text].href)
            assert (link.netloc, link.path) == (host, "/calendar/0/addfromweb")
            assert parse_qs(link.query) == {"url": [address], "name": ["Test Games: Para Judo"]}
        assert controls["Download Para Judo (.ics file)"].href == "sport/para-judo.ics"
        assert controls["Copy the link to Para Judo"].attributes["data-copy"] == address
        assert 'data-base="https://feeds.example.org/paris/"' in page_of(games, base_url=BASE)

    def test_without_a_base_url_the_apps_wait_for_the_script(
        self, games: ceremony.Programme
    ) -> None:
        """Without one, subscribe and download link to the file; app buttons start hidden."""
        controls = named(page_of(games))
        assert controls["Subscribe to Para Judo"].href == "sport/para-judo.ics"
        assert "hidden" not in controls["Subscribe to Para Judo"].attributes
        assert "download" in controls["Download Para Judo (.ics file)"].attributes
        for text in ("Add Para Judo to Google Calendar", "Copy the link to Para Judo"):
            assert "hidden" in controls[text].attributes

    def test_rows_carry_the_words_they_are_found_by(self, games: ceremony.Programme) -> None:
        """Names, codes, slugs, ISO dates, an athlete's delegation and sport are searchable."""
        rows = {
            row.path: row
            for section in page_sections(games, feeds_of(games), base_url=None)
            for row in section.rows
        }
        assert "para-judo" in rows["sport/para-judo.ics"].search
        assert "2024-08-29" in rows["day/2024-08-29.ics"].search
        assert "Thursday 29 August 2024" in rows["day/2024-08-29.ics"].search
        assert rows["delegation/kaz.ics"].code == "KAZ"
        assert "Kazakhstan" in rows["delegation/kaz.ics"].search
        athlete = rows["athlete/zoe.ics"]
        assert athlete.detail == "KAZ · Para Judo"
        assert {"Zoé Lambert", "KAZ", "Kazakhstan", "Para Judo"} <= set(athlete.search.split(" · "))
        assert rows["venue/arena.ics"].search.startswith("Arène Zoé · arena")
        assert rows["all.ics"].events_text == "3 events"
        assert rows["sport/para-judo.ics"].events_text == "1 event"

    def test_feed_links_escape_as_the_script_does(self) -> None:
        """The build's links are those the page's script makes (encodeURIComponent)."""
        links = FeedLinks.of("https://h.example/a b/x.ics", "Games: Men's (S12) & more")
        assert links.webcal == "webcal://h.example/a b/x.ics"
        assert links.google.endswith("cid=webcal%3A%2F%2Fh.example%2Fa%20b%2Fx.ics")
        assert links.outlook.endswith(
            "url=https%3A%2F%2Fh.example%2Fa%20b%2Fx.ics&name=Games%3A%20Men's%20(S12)%20%26%20more"
        )


class TestHeader:
    def test_no_revision_and_no_date_says_neither(self, games: ceremony.Programme) -> None:
        """Without a revision or a published time the header has no 'Revision —' line."""
        page = page_of(games)
        assert "Revision" not in page
        assert "—  ·" not in page
        assert 'class="meta"' not in page
        feeds = feeds_of(games)
        assert f"{len(games.sessions)} events in {len(feeds)} feeds." in page

    def test_revision_alone(self, games: ceremony.Programme) -> None:
        """A revision without a published time is said alone."""
        page = page_of(attrs.evolve(games, revision="3"))
        assert '<p class="meta">Revision 3</p>' in page

    def test_published_alone_and_with_a_revision(self, games: ceremony.Programme) -> None:
        """The published time is named as a day, at the programme's zone, with its instant."""
        published = datetime(2024, 8, 27, 23, 30, tzinfo=UTC)  # 28 August in Paris
        alone = page_of(attrs.evolve(games, published=published))
        assert (
            '<p class="meta">Published <time datetime="2024-08-27T23:30:00+00:00">'
            "Wednesday 28 August 2024</time></p>"
        ) in alone
        both = page_of(attrs.evolve(games, published=published, revision="2"))
        assert '<p class="meta">Revision 2 · published <time' in both

    def test_changes_are_listed_with_a_jump_link(self, games: ceremony.Programme) -> None:
        """The build's changelog closes the page, escaped, with its entry in the jump list."""
        page = page_of(games, changes=["Revision 1 → 2: 1 changed", "~ changed judo-1 <b>"])
        assert '<a href="#changes">Changes</a>' in page
        assert "Revision 1 → 2: 1 changed\n~ changed judo-1 &lt;b&gt;</pre>" in page
        assert 'id="changes"' not in page_of(games)


class TestEscaping:
    def test_every_name_is_escaped(self) -> None:
        """A script in any name (programme, sport, venue, team, person) stays text."""
        programme = games_with(
            f"venues:\n  - {{id: bad, name: '{HOSTILE} \"q\"'}}\n"
            f"delegations:\n  - {{id: BAD, name: '{HOSTILE}'}}\n"
            f"people:\n  - {{id: p, name: '{HOSTILE}', delegation: BAD, sport: '{HOSTILE}'}}\n"
            "sessions:\n"
            f"  - {{id: s1, sport: '{HOSTILE}', venue: bad, start: 2024-08-29T10:00,"
            " duration: 1h, delegations: [BAD], athletes: [p]}\n"
        )
        programme = attrs.evolve(programme, name=f"{HOSTILE} & Co", revision=HOSTILE)
        page = page_of(programme, base_url=BASE, changes=[HOSTILE])
        assert "<script>alert" not in page
        assert read(page).scripts == 1  # the page's own
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page
        assert 'data-name="&lt;script&gt;alert(1)&lt;/script&gt;"' in page
        assert "&#34;q&#34;" in page
        controls = named(page)
        assert f"Subscribe to {HOSTILE}" in controls  # the text, read back, is the name


class TestBuilder:
    def test_sports_and_delegations_are_offered_by_slug(self, games: ceremony.Programme) -> None:
        """The form offers sports (not ceremony-named ones) and delegations, by slug."""
        feeds = feeds_of(games)
        sports = builder_choices(games, feeds, "sport")
        assert [(c.value, c.name) for c in sports] == [
            ("para-judo", "Para Judo"),
            ("para-swimming", "Para Swimming"),
        ]
        teams = builder_choices(games, feeds, "delegation")
        assert [(c.value, c.name, c.code) for c in teams] == [
            ("aze", "Azerbaijan", "AZE"),
            ("kaz", "Kazakhstan", "KAZ"),
        ]
        page = page_of(games)
        assert (
            '<input type="checkbox" name="sport" value="para-judo" data-name="Para Judo">' in page
        )
        assert '<form action="feed.ics" method="get">' in page
        assert 'id="build" class="build" aria-labelledby="build-heading" hidden' in page

    def test_two_values_with_one_slug_go_as_themselves(self, show: Show) -> None:
        """Sports whose slugs collide are sent by name, so serve reads each alone."""
        programme = show(
            "sessions:\n"
            "  - {id: a, sport: Judo!, start: 2024-08-29T10:00, duration: 1h}\n"
            "  - {id: b, sport: Judo?, start: 2024-08-29T12:00, duration: 1h}\n"
        )
        choices = builder_choices(programme, feeds_of(programme), "sport")
        assert [c.value for c in choices] == ["Judo!", "Judo?"]

    def test_no_builder_without_sports_or_delegations(self, show: Show) -> None:
        """A programme of ceremonies alone has nothing to combine: no form, no jump entry."""
        programme = show(
            "ceremonies:\n  - {id: o, title: Opening, venue: concorde, start: 2024-08-28T20:00}\n"
        )
        page = page_of(programme)
        assert 'id="build"' not in page
        assert "#build" not in page

    def test_with_a_base_url_the_form_posts_there(self, games: ceremony.Programme) -> None:
        """With a base URL the form's feed is the one there."""
        page = page_of(games, base_url=BASE.rstrip("/"))
        assert f'<form action="{BASE}feed.ics" method="get">' in page


# --- in a real browser ---------------------------------------------------------------------


class Served:
    """An ASGI app under uvicorn in a thread, on a free loopback port."""

    def __init__(self, app: ASGIApp, port: int = 0) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a past run's port
        try:
            self.socket.bind(("127.0.0.1", port))
        except OSError:  # taken: any free port
            self.socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}/"
        config = uvicorn.Config(
            app, log_level="warning", http="h11", ws="none", timeout_graceful_shutdown=1
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.socket.close()


def static_host(root: Path) -> Starlette:
    """A plain static file server, as a CDN or ``python -m http.server`` serves the folder."""
    return Starlette(routes=[Mount("/", app=StaticFiles(directory=root, html=True))])


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], Path]:
    """The site of an example, built once per module: ``sites(show_file)``."""
    built: dict[Path, Path] = {}

    def site(show_file: Path) -> Path:
        if show_file not in built:
            if not show_file.exists():
                pytest.skip(f"{show_file} is not here")
            root = tmp_path_factory.mktemp("site") / "site"
            build_site(ceremony.load(show_file), root, now=NOW)
            built[show_file] = root
        return built[show_file]

    return site


@pytest.fixture(scope="module")
def serving() -> Iterator[Callable[..., Served]]:
    """Start apps on loopback ports (``port=`` when it is free); stopped with the module."""
    started: list[Served] = []

    def start(app: ASGIApp, port: int = 0) -> Served:
        served = Served(app, port)
        started.append(served)
        return served

    yield start
    for served in started:
        served.stop()


def _browser_missing() -> str | None:
    if webdriver is None:
        return "needs selenium (the test extra): pip install selenium"
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        return "needs chromium and chromedriver: apt-get install chromium chromium-driver"
    return None


@pytest.fixture(scope="module")
def chromium() -> Iterator[WebDriver]:
    """Debian's headless chromium through its own chromedriver (nothing downloaded)."""
    missing = _browser_missing()
    if missing:
        pytest.skip(missing)
    profile = tempfile.mkdtemp(prefix="ceremony-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--font-render-hinting=none",
        f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def viewport(driver: WebDriver, size: tuple[int, int]) -> None:
    """Make the page exactly ``size`` CSS pixels, as a phone (narrow) or a desktop."""
    width, height = size
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 800},
    )


def logged(driver: WebDriver) -> list[dict[str, Any]]:
    """What the page logged since last asked (script errors, failed requests)."""
    entries: list[dict[str, Any]] = driver.execute(Command.GET_LOG, {"type": "browser"})["value"]
    return entries


@pytest.fixture
def browser(chromium: WebDriver) -> Iterator[WebDriver]:
    """The browser at desktop size; any page's script errors fail the test."""
    viewport(chromium, DESKTOP)
    logged(chromium)
    yield chromium
    errors = [e["message"] for e in logged(chromium) if e["level"] == "SEVERE"]
    chromium.get("about:blank")
    assert not [e for e in errors if "feed.ics" not in e], errors  # a static host's 404 is meant


def open_index(driver: WebDriver, url: str) -> None:
    """Load the index page and wait for its script to have asked for ``feed.ics``."""
    driver.get(url)
    until(driver, lambda d: d.execute_script("return document.body.dataset.builder"))


def until(driver: WebDriver, condition: Callable[[WebDriver], object], seconds: float = 8) -> Any:
    """Wait for ``condition`` to be truthy (and return it), or fail saying what the page shows."""
    try:
        return WebDriverWait(driver, seconds, poll_frequency=0.05).until(condition)
    except TimeoutException:
        body = driver.find_element(By.TAG_NAME, "body").text
        pytest.fail(f"the page never got there; it shows:\n{body[:2000]}")


def visible_rows(driver: WebDriver) -> list[str]:
    """The names of the feeds the page shows."""
    names = driver.execute_script(
        "return [...document.querySelectorAll('.feed')].filter(r => r.offsetParent !== null)"
        ".map(r => r.querySelector('.name').textContent);"
    )
    return [str(name) for name in names]


def search(driver: WebDriver, text: str) -> None:
    box = driver.find_element(By.ID, "find")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.DELETE, text)


def screenshot(driver: WebDriver, name: str, size: tuple[int, int], folder: Path) -> Path:
    """Save the page as ``site-index-<name>.png`` in ``folder``, checking it is ``size``."""
    driver.execute_script("document.activeElement && document.activeElement.blur();")
    png = driver.get_screenshot_as_png()
    assert png.startswith(b"\x89PNG\r\n\x1a\n"), "the screenshot is not a PNG"
    assert struct.unpack(">II", png[16:24]) == size
    path = folder / f"site-index-{name}.png"
    folder.mkdir(parents=True, exist_ok=True)
    write_atomically(path, png)
    return path


@pytest.fixture
def pictures(tmp_path: Path) -> Path:
    """Where screenshots go: the test's folder, or ``docs/images`` when asked to update them."""
    if os.environ.get("CEREMONY_UPDATE_SCREENSHOTS") == "1":
        return IMAGES
    return tmp_path / "images"


class Feeds:
    """Follows the page's links to the feeds they name, fetching each feed once."""

    def __init__(self, site: str) -> None:
        self.site = site
        self.client = httpx.Client(timeout=10)
        self.fetched: set[str] = set()

    def __enter__(self) -> Feeds:
        return self

    def __exit__(self, *_: object) -> None:
        self.client.close()

    def resolve(self, link: str) -> None:
        """``link`` leads to a feed of the site that answers 200 with a calendar."""
        parts = urlsplit(link)
        if parts.scheme == "webcal":  # the calendar app asks for it over the page's scheme
            link = urlsplit(self.site).scheme + link.removeprefix("webcal")
        elif parts.netloc == "calendar.google.com":
            assert parts.path == "/calendar/render", link
            self.resolve(parse_qs(parts.query)["cid"][0])
            return
        elif parts.netloc in {"outlook.live.com", "outlook.office.com"}:
            assert parts.path == "/calendar/0/addfromweb", link
            self.resolve(parse_qs(parts.query)["url"][0])
            return
        assert link.startswith(self.site), f"{link} leaves the site"
        if link in self.fetched:
            return
        answer = self.client.get(link)
        assert answer.status_code == 200, f"{link}: {answer.status_code} {answer.text[:200]}"
        assert answer.headers["content-type"].startswith("text/calendar"), link
        assert answer.content.startswith(b"BEGIN:VCALENDAR")
        self.fetched.add(link)


def every_link(driver: WebDriver) -> list[str]:
    hrefs = driver.execute_script(
        "return [...document.querySelectorAll('a[href]')].map(a => a.href)"
    )
    return [str(href) for href in hrefs]


class TestInBrowser:
    def test_no_sideways_scrolling_on_a_phone(
        self,
        browser: WebDriver,
        sites: Callable[[Path], Path],
        serving: Callable[..., Served],
    ) -> None:
        """At 390 px the page is no wider than the screen, for both examples."""
        for show_file in (AZE_KAZ, PARIS):
            served = serving(create_app(sites(show_file)))
            viewport(browser, PHONE)
            open_index(browser, served.url)
            assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
            browser.find_element(By.CSS_SELECTOR, "#build summary").click()
            search(browser, "a")
            assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
            outside = browser.execute_script(
                "return [...document.querySelectorAll('.button, .name, h1, input')]"
                ".filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect())"
                ".filter(r => r.left < 0 || r.right > 390).length"
            )
            assert outside == 0

    def test_the_paris_ceremonies_are_not_sports(
        self,
        browser: WebDriver,
        sites: Callable[[Path], Path],
        serving: Callable[..., Served],
    ) -> None:
        """The imported Games list their two ceremonies first, in order, and not as sports."""
        served = serving(create_app(sites(PARIS)))
        open_index(browser, served.url)
        names = browser.execute_script(
            "return [...document.querySelectorAll('#ceremony .name')].map(e => e.textContent)"
        )
        assert names == ["Opening Ceremony", "Closing Ceremony"]
        sports = browser.execute_script(
            "return [...document.querySelectorAll('#sport .name')].map(e => e.textContent)"
        )
        assert "Opening Ceremony" not in sports
        assert "Athletics" in sports

    def test_typing_filters_the_feeds(
        self,
        browser: WebDriver,
        sites: Callable[[Path], Path],
        serving: Callable[..., Served],
    ) -> None:
        """The search matches names, codes, slugs and days, without accents or case."""
        served = serving(create_app(sites(AZE_KAZ)))
        open_index(browser, served.url)
        everything = visible_rows(browser)
        assert len(everything) == 51
        search(browser, "JUDO")
        judo = visible_rows(browser)
        assert "Para Judo" in judo
        assert "Ilham Zakiyev" in judo  # an athlete, by his sport
        assert "Para Swimming" not in judo
        assert browser.find_element(By.ID, "find-status").text == f"{len(judo)} of 51 feeds match."
        assert not browser.find_element(By.ID, "athlete").get_attribute("hidden")
        assert not browser.find_element(By.ID, "day").is_displayed()  # no day named judo
        assert not browser.find_element(
            By.CSS_SELECTOR, '.jump [data-section="day"]'
        ).is_displayed()
        search(browser, "chateauroux")
        assert visible_rows(browser) == ["Châteauroux Shooting Centre"]
        search(browser, "para-judo")
        assert "Para Judo" in visible_rows(browser)
        search(browser, "kaz")
        assert "Kazakhstan" in visible_rows(browser)
        search(browser, "2 september")
        assert visible_rows(browser) == ["Monday 2 September 2024"]
        search(browser, "zzz <b>")
        assert visible_rows(browser) == []
        message = browser.find_element(By.ID, "no-match")
        assert message.is_displayed()
        assert "zzz <b>" in message.text
        search(browser, "")
        assert len(visible_rows(browser)) == 51
        assert not message.is_displayed()

    def test_every_link_leads_to_a_feed(
        self,
        browser: WebDriver,
        sites: Callable[[Path], Path],
        serving: Callable[..., Served],
    ) -> None:
        """Relative and absolute links answer 200; webcal, Google and Outlook name real feeds."""
        served = serving(create_app(sites(AZE_KAZ)))
        open_index(browser, served.url)
        links = every_link(browser)
        page = browser.current_url
        anchors = [link for link in links if "#" in link]
        assert anchors
        for anchor in anchors:
            assert browser.find_elements(By.ID, unquote(anchor.split("#", 1)[1])), anchor
        feeds = [link for link in links if "#" not in link]
        assert len(feeds) == 51 * 5 + 5  # and the form's, at feed.ics until something is ticked
        made = FeedLinks.of(
            page + "sport/para-judo.ics",
            "Paris 2024 Paralympic Games — Azerbaijan and Kazakhstan: Para Judo",
        )
        row = browser.find_element(By.CSS_SELECTOR, '[data-path="sport/para-judo.ics"]')
        by_kind = {
            str(a.get_attribute("data-link")): a.get_attribute("href")
            for a in row.find_elements(By.TAG_NAME, "a")
        }
        assert by_kind == {  # the script makes the links the build would with a base URL
            "webcal": made.webcal,
            "google": made.google,
            "outlook": made.outlook,
            "office": made.office,
            "download": made.address,
        }
        assert sum(link.startswith("webcal://127.0.0.1") for link in feeds) == 51
        with Feeds(page) as site:
            for link in feeds:
                site.resolve(link)
            assert len(site.fetched) == 51 + 1

    def test_buttons_have_accessible_names_and_visible_focus(
        self,
        browser: WebDriver,
        sites: Callable[[Path], Path],
        serving: Callable[..., Served],
    ) -> None:
        """Chromium names each button after its feed; a focused button shows an outline."""
        served = serving(create_app(sites(AZE_KAZ)))
        open_index(browser, served.url)
        row = browser.find_element(By.XPATH, "//li[.//span[@class='name' and text()='Para Judo']]")
        names = [button.accessible_name for button in row.find_elements(By.CSS_SELECTOR, ".button")]
        assert names == [
            "Subscribe to Para Judo",
            "Add Para Judo to Google Calendar",
            "Add Para Judo to Outlook.com",
            "Add Para Judo to Microsoft 365 Outlook",
            "Download Para Judo (.ics file)",
            "Copy the link to Para Judo",
        ]
        subscribe = row.find_element(By.CSS_SELECTOR, ".button.primary")
        hidden_part = subscribe.find_element(By.CSS_SELECTOR, ".vh")
        assert hidden_part.size["width"] <= 1  # read out, not shown: the button says Subscribe
        browser.execute_script(  # focus what comes before, then Tab: keyboard focus
            "const all = [...document.querySelectorAll('a[href], button:not([hidden]), input')];"
            "all[all.indexOf(arguments[0]) - 1].focus();",
            subscribe,
        )
        browser.switch_to.active_element.send_keys(Keys.TAB)
        assert browser.switch_to.active_element == subscribe
        outline = subscribe.value_of_css_property("outline-style")
        assert outline == "solid"

    def test_copy_link_copies_the_feed_address(
        self,
        browser: WebDriver,
        sites: Callable[[Path], Path],
        serving: Callable[..., Served],
    ) -> None:
        """Copy link puts the feed's address on the clipboard and says so."""
        served = serving(create_app(sites(AZE_KAZ)))
        browser.execute_cdp_cmd(
            "Browser.grantPermissions",
            {"origin": served.url.rstrip("/"), "permissions": ["clipboardReadWrite"]},
        )
        open_index(browser, served.url)
        button = browser.find_element(
            By.CSS_SELECTOR, '[data-path="sport/para-judo.ics"] [data-copy]'
        )
        button.click()
        address = served.url + "sport/para-judo.ics"
        toast = until(browser, lambda d: d.find_element(By.ID, "toast").text)
        assert toast == f"Copied the link to Para Judo: {address}"
        copied = browser.execute_async_script(
            "navigator.clipboard.readText().then(arguments[0], () => arguments[0](null));"
        )
        assert copied == address

    def test_build_your_own_where_serve_makes_feeds(
        self,
        browser: WebDriver,
        sites: Callable[[Path], Path],
        serving: Callable[..., Served],
        pictures: Path,
    ) -> None:
        """Served by ``ceremony serve``, sports and delegations combine into one feed."""
        served = serving(create_app(sites(AZE_KAZ)), port=SERVE_PORT)
        open_index(browser, served.url)
        assert browser.execute_script("return document.body.dataset.builder") == "shown"
        build = browser.find_element(By.ID, "build")
        assert build.is_displayed()
        assert browser.find_element(By.CSS_SELECTOR, '.jump [data-section="build"]').is_displayed()
        actions = build.find_element(By.CSS_SELECTOR, ".actions")
        assert not actions.is_displayed()  # nothing chosen yet
        build.find_element(By.TAG_NAME, "summary").click()
        for value in ("para-judo", "para-swimming", "kaz"):
            build.find_element(By.CSS_SELECTOR, f'input[value="{value}"]').click()
        address = served.url + "feed.ics?sport=para-judo&sport=para-swimming&delegation=kaz"
        assert browser.find_element(By.ID, "build-address").text == address
        assert browser.find_element(By.ID, "build-summary").text == (
            "Your feed: every Para Judo or Para Swimming event in which Kazakhstan takes part."
        )
        links = {
            button.accessible_name: button.get_attribute("href")
            for button in actions.find_elements(By.CSS_SELECTOR, "a")
        }
        assert links["Subscribe to your feed"] == "webcal" + address.removeprefix("http")
        assert links["Download your feed (.ics file)"] == address
        with Feeds(served.url) as site:
            for link in links.values():
                site.resolve(str(link))
            assert site.fetched == {address}
            feed = site.client.get(address).text
        summaries = [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(feed).walk("VEVENT")]
        assert summaries
        assert all("Para Judo" in s or "Para Swimming" in s for s in summaries), summaries
        viewport(browser, DESKTOP)
        screenshot(browser, "desktop", DESKTOP, pictures)

    def test_no_build_your_own_on_a_static_host(
        self,
        browser: WebDriver,
        sites: Callable[[Path], Path],
        serving: Callable[..., Served],
        pictures: Path,
    ) -> None:
        """A plain static server answers feed.ics 404: the page leaves that part hidden."""
        served = serving(static_host(sites(AZE_KAZ)))
        with httpx.Client(timeout=10) as client:
            assert client.head(served.url + "feed.ics").status_code == 404
        open_index(browser, served.url)
        assert browser.execute_script("return document.body.dataset.builder") == "hidden"
        assert not browser.find_element(By.ID, "build").is_displayed()
        assert not browser.find_element(
            By.CSS_SELECTOR, '.jump [data-section="build"]'
        ).is_displayed()
        hidden = browser.execute_script(
            "return [...document.querySelectorAll('#build a[href]')].map(a => a.href)"
        )
        assert set(hidden) == {served.url + "feed.ics"}  # the hidden form's, until it is used
        with Feeds(served.url) as site:
            for link in every_link(browser):
                if "#" not in link and link not in hidden:
                    site.resolve(link)
            assert len(site.fetched) == 51
        viewport(browser, PHONE)
        open_index(browser, served.url)
        search(browser, "judo")
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
        screenshot(browser, "phone", PHONE, pictures)

    def test_reading_and_subscribing_work_without_javascript(
        self,
        chromium: WebDriver,
        sites: Callable[[Path], Path],
        serving: Callable[..., Served],
    ) -> None:
        """With scripts off every feed is listed with a working subscribe and download link."""
        served = serving(create_app(sites(AZE_KAZ)))
        viewport(chromium, PHONE)
        chromium.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
        try:
            chromium.get(served.url)
            assert len(visible_rows(chromium)) == 51
            assert not chromium.find_element(By.ID, "finder").is_displayed()
            assert not chromium.find_element(By.ID, "build").is_displayed()
            shown = [
                str(link.get_attribute("href"))
                for link in chromium.find_elements(By.CSS_SELECTOR, ".feed a")
                if link.is_displayed()
            ]
            assert len(shown) == 51 * 2
            assert chromium.execute_script("return document.documentElement.scrollWidth") <= 390
        finally:
            chromium.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
            chromium.get("about:blank")
        with Feeds(served.url) as site:
            for link in shown:
                site.resolve(link)
            assert len(site.fetched) == 51
