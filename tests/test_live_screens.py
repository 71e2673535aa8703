"""The screens of ``ceremony live``: served as HTML, and driven in a real browser.

The browser tests run the real live app under uvicorn on a free loopback port, with a clock
started at a chosen instant (``--clock``), and drive Debian's chromium through its
chromedriver with Selenium; nothing is downloaded. Where chromium, chromedriver or selenium
is missing they are skipped, saying how to install them. They also take a screenshot of
every screen, on a clock that stands still (the server's and the page's), into the test's
own folder; ``CEREMONY_UPDATE_SCREENSHOTS=1 pytest tests/test_live_screens.py`` writes them
to ``docs/images/live-*.png`` instead, the same picture at every run.
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
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette

import ceremony
from ceremony.io.atomic import write_atomically
from ceremony.live.app import create_app
from ceremony.live.clock import Clock, RunningClock, SetClock
from ceremony.live.screens import screen_routes
from ceremony.live.show import LiveShow
from ceremony.zones import zone

from .conftest import EXAMPLES, HEAD, ROOT
from .test_timing import ceremony_with

try:
    from selenium import webdriver
    from selenium.common.exceptions import (
        NoAlertPresentException,
        StaleElementReferenceException,
        TimeoutException,
    )
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.chrome.webdriver import WebDriver
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.remote.command import Command
    from selenium.webdriver.support.wait import WebDriverWait
except ImportError:  # pragma: no cover - selenium is in the test extra
    webdriver = None  # type: ignore[assignment]

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
NO_BROWSER = "needs chromium and chromedriver: apt-get install chromium chromium-driver"
SHOW = EXAMPLES / "paralympic-opening.yaml"
ACTUALS = EXAMPLES / "paralympic-opening.actuals.yaml"
IMAGES = ROOT / "docs" / "images"
PARIS = zone("Europe/Paris")
DESKTOP = (1920, 1080)
PHONE = (390, 844)


MINUS = "\u2212"
"""The minus sign the screens put before a time that is past."""


def paris(clock: str) -> datetime:
    """``HH:MM[:SS]`` on the night of the Paralympic opening, in Paris."""
    hours, minutes, seconds = (int(part) for part in f"{clock}:0".split(":")[:3])
    return datetime(2024, 8, 28, hours, minutes, seconds, tzinfo=PARIS)


# --- the server ------------------------------------------------------------------------------


class Served:
    """The live app under uvicorn in a thread, on a free loopback port."""

    def __init__(self, app: Starlette) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
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
            assert time.monotonic() < deadline, "the live server did not start"
            time.sleep(0.02)

    def state(self) -> dict[str, Any]:
        """The server's ``/api/state``."""
        answer = httpx.get(f"{self.url}/api/state", timeout=5)
        answer.raise_for_status()
        data: dict[str, Any] = answer.json()
        return data

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.socket.close()


def rehearse(show: LiveShow, through: str) -> datetime:
    """Run the show to plan until ``through`` is running; the instant it started.

    Each main-track item is GOne at its planned start; a public item on another track (the
    flypast) is marked with its planned times once they have passed.
    """
    plan = ceremony.resolve(show.programme, ceremony=show.ceremony.id)
    beside = [
        slot
        for slot in plan.slots
        if slot.track is not None and show.state(plan.start)["visibility"][slot.id] == "public"
    ]
    now = plan.start
    while show.state(now)["current"] != through:
        upcoming = show.state(now)["next"]
        assert upcoming is not None, f"{through!r} is never started by GO"
        now = max(now, plan.slot(upcoming).start.expected)
        for slot in [slot for slot in beside if slot.end.expected <= now]:
            show.mark(slot.id, "start", slot.start.expected.isoformat(), now)
            show.mark(slot.id, "end", slot.end.expected.isoformat(), now)
            beside.remove(slot)
        show.go(None, now)
    return now


Serve = Callable[..., tuple[Served, LiveShow]]


@pytest.fixture
def serve(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Serve]:
    """Start the live app with the screens: ``serve(clock, show=..., token=..., frozen=...)``.

    The server's clock starts at ``clock`` and runs, or with ``frozen`` stands still there.
    """
    started: list[Served] = []

    def start(
        clock: datetime,
        *,
        show: LiveShow | None = None,
        token: str | None = None,
        frozen: bool = False,
    ) -> tuple[Served, LiveShow]:
        live = show or LiveShow(ceremony.load(SHOW), tmp_path / "show.actuals.yaml")
        server_clock: Clock = SetClock(clock) if frozen else RunningClock(clock)
        app = create_app(live, server_clock, token=token, screens=screen_routes())
        served = Served(app)
        started.append(served)
        return served, live

    yield start
    if "browser" in request.fixturenames:
        leave(request.getfixturevalue("chromium"))  # before the server it reads stops
    for served in started:
        served.stop()


@pytest.fixture
def on_time(tmp_path: Path) -> Callable[[str], tuple[LiveShow, datetime]]:
    """A show run exactly to plan until an item is running: the show and that item's start."""

    def run(through: str) -> tuple[LiveShow, datetime]:
        show = LiveShow(ceremony.load(SHOW), tmp_path / "show.actuals.yaml")
        return show, rehearse(show, through)

    return run


# --- the browser -----------------------------------------------------------------------------


def _browser_missing() -> str | None:
    if webdriver is None:
        return "needs selenium (the test extra): pip install selenium"
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        return NO_BROWSER
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
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    options.unhandled_prompt_behavior = "ignore"
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def browser(chromium: WebDriver) -> WebDriver:
    """The browser at desktop size.

    Each test's server has a port of its own, so a page's storage (the kept token) never
    leaks from one test into the next.
    """
    viewport(chromium, DESKTOP)
    return chromium


def leave(driver: WebDriver) -> None:
    """Dismiss any prompt left open and leave the page, closing its event stream."""
    alert = _alert(driver)
    if alert is not None:
        alert.dismiss()
    driver.get("about:blank")


def viewport(driver: WebDriver, size: tuple[int, int]) -> None:
    """Make the page exactly ``size`` CSS pixels, as a phone (narrow) or a 1080p screen."""
    width, height = size
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 800},
    )


def shown(driver: WebDriver, selector: str) -> str | None:
    """The text the first element matching ``selector`` shows (None: no such element).

    Read in one step in the page: a list redrawn between a lookup and a read is never stale.
    """
    value = driver.execute_script(
        "const e = document.querySelector(arguments[0]); return e ? e.innerText : null;", selector
    )
    return None if value is None else str(value)


def text(driver: WebDriver, bind: str) -> str:
    """The text of the element bound to ``bind`` (``data-bind="..."``)."""
    return shown(driver, f'[data-bind="{bind}"]') or ""


def classes(driver: WebDriver, selector: str) -> set[str]:
    """The classes of the first element matching ``selector``."""
    value = driver.execute_script(
        "const e = document.querySelector(arguments[0]); return e ? e.className : '';", selector
    )
    return set(str(value).split())


def until(driver: WebDriver, condition: Callable[[WebDriver], object], seconds: float = 8) -> Any:
    """Wait for ``condition`` to be truthy (and return it), or fail saying what the page shows."""
    try:
        wait = WebDriverWait(
            driver, seconds, poll_frequency=0.1, ignored_exceptions=[StaleElementReferenceException]
        )
        return wait.until(condition)
    except TimeoutException:
        body = driver.find_element(By.TAG_NAME, "body").text
        pytest.fail(f"the page never got there; it shows:\n{body}")


def seconds_shown(shown: str) -> int:
    """``1:02``, ``1:02:03``, or past (with a minus sign) ``-0:05``, as signed seconds."""
    sign = -1 if shown.startswith(MINUS) else 1
    total = 0
    for part in shown.lstrip(MINUS).split(":"):
        total = total * 60 + int(part)
    return sign * total


def screenshot(driver: WebDriver, name: str, size: tuple[int, int], folder: Path) -> Path:
    """Save the page as ``live-<name>.png`` in ``folder``, checking it is ``size``; its path."""
    png = driver.get_screenshot_as_png()
    assert png.startswith(b"\x89PNG\r\n\x1a\n"), "the screenshot is not a PNG"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == size, f"the screenshot is {width}x{height}"
    path = folder / f"live-{name}.png"
    folder.mkdir(parents=True, exist_ok=True)
    write_atomically(path, png)
    return path


@pytest.fixture
def pictures(tmp_path: Path) -> Path:
    """Where screenshots go: the test's folder, or ``docs/images`` when asked to update them."""
    if os.environ.get("CEREMONY_UPDATE_SCREENSHOTS") == "1":
        return IMAGES
    return tmp_path / "images"


@contextmanager
def page_clock_frozen_at(driver: WebDriver, instant: datetime) -> Iterator[None]:
    """Pages loaded inside read ``instant`` from ``Date.now()``: a picture that never moves."""
    milliseconds = round(instant.timestamp() * 1000)
    script = driver.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument",
        {"source": f"Date.now = () => {milliseconds};"},
    )
    try:
        yield
    finally:
        driver.execute_cdp_cmd(
            "Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]}
        )


def open_screen(driver: WebDriver, url: str) -> None:
    """Load a screen and wait for its first state (the show's title in the bar)."""
    driver.get(url)
    until(
        driver, lambda d: text(d, "link").lower() == "live" and text(d, "show") != "ceremony live"
    )


def errors_logged(driver: WebDriver) -> list[str]:
    """What the page reported as errors (a script error, a failed request) since last asked."""
    entries = driver.execute(Command.GET_LOG, {"type": "browser"})["value"]
    return [entry["message"] for entry in entries if entry["level"] == "SEVERE"]


# --- served without a browser ----------------------------------------------------------------


@pytest.fixture(scope="module")
def screens() -> Iterator[httpx.Client]:
    """The screens alone, as the live app mounts them, served on a loopback port."""
    served = Served(Starlette(routes=screen_routes()))
    try:
        with httpx.Client(base_url=served.url, timeout=5) as client:
            yield client
    finally:
        served.stop()


class TestServed:
    @pytest.mark.parametrize(
        ("path", "screen"),
        [
            ("/caller", "caller"),
            ("/timer", "timer"),
            ("/cues/lighting", "cues"),
            ("/rundown", "rundown"),
            ("/clock", "clock"),
        ],
    )
    def test_each_screen_is_a_page_with_its_script(
        self, screens: httpx.Client, path: str, screen: str
    ) -> None:
        """Each screen is an HTML shell naming its screen, loading the one stylesheet and script."""
        answer = screens.get(path)
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/html")
        assert answer.headers["cache-control"] == "no-store"
        assert f'data-screen="{screen}"' in answer.text
        assert '<script src="/static/live.js" defer></script>' in answer.text
        assert '<link rel="stylesheet" href="/static/live.css">' in answer.text

    def test_static_files_are_served_and_nothing_beside_them(self, screens: httpx.Client) -> None:
        """The stylesheet and script are served; no path climbs out of the static folder."""
        assert screens.get("/static/live.css").headers["content-type"].startswith("text/css")
        script = screens.get("/static/live.js")
        assert script.status_code == 200
        assert "javascript" in script.headers["content-type"]
        assert "http://" not in script.text and "https://" not in script.text
        for path in ("/static/../screens.py", "/static/%2e%2e/screens.py", "/static/"):
            assert screens.get(path).status_code == 404

    def test_query_thresholds_reach_the_page(self, screens: httpx.Client) -> None:
        """``?amber=`` and ``?red=`` become the timer's thresholds; the defaults are 60 and 0."""
        assert 'data-amber="60" data-red="0"' in screens.get("/timer").text
        assert 'data-amber="120" data-red="-30"' in screens.get("/timer?amber=120&red=-30").text
        assert 'data-lead="15"' in screens.get("/cues/sound?lead=15").text
        assert 'data-lead=""' in screens.get("/cues/sound").text

    @pytest.mark.parametrize(
        "path",
        [
            "/timer?amber=soon",
            "/timer?red=1.5",
            "/timer?amber=10&red=20",
            "/cues/lighting?count=0",
            "/cues/lighting?count=51",
            "/cues/lighting?lead=-5",
            "/caller?lead=x",
        ],
    )
    def test_a_bad_query_is_a_400(self, screens: httpx.Client, path: str) -> None:
        """A threshold, lead or count that is not a sensible whole number is refused."""
        answer = screens.get(path)
        assert answer.status_code == 400
        assert "=" in answer.text

    def test_the_department_is_escaped(self, screens: httpx.Client) -> None:
        """A department's name is text on the page, never markup."""
        page = screens.get("/cues/sound&lights").text
        assert "sound&amp;lights" in page and "sound&lights" not in page
        assert screens.get("/cues/%3Cscript%3E").status_code == 404

    def test_screens_only_read(self, screens: httpx.Client) -> None:
        """A screen is a GET: posting to one is refused."""
        assert screens.post("/caller").status_code == 405


# --- in the browser --------------------------------------------------------------------------


class TestCaller:
    def test_space_starts_the_next_item(
        self,
        browser: WebDriver,
        serve: Serve,
        on_time: Callable[[str], tuple[LiveShow, datetime]],
    ) -> None:
        """The space bar is GO: the running item ends, the next starts, and the file has both."""
        show, began = on_time("parade")
        served, _ = serve(began + timedelta(minutes=10), show=show)
        open_screen(browser, f"{served.url}/caller")
        until(browser, lambda d: text(d, "current-title").startswith("Parade of 168"))
        assert text(browser, "go-next").startswith("next: The French flag")
        browser.find_element(By.TAG_NAME, "body").send_keys(Keys.SPACE)
        until(browser, lambda d: text(d, "current-title").startswith("The French flag"))
        state = served.state()
        assert (state["current"], state["next"]) == ("french-flag", "speeches")
        written = show.actuals_file.read_text()
        assert "{item: parade, edge: end" in written or "item: parade" in written
        assert "french-flag" in written

    def test_space_in_the_message_field_types_a_space(
        self,
        browser: WebDriver,
        serve: Serve,
        on_time: Callable[[str], tuple[LiveShow, datetime]],
    ) -> None:
        """Typing a message is not GO; sending it puts it on the timer."""
        show, began = on_time("parade")
        served, _ = serve(began + timedelta(minutes=10), show=show)
        open_screen(browser, f"{served.url}/caller")
        field = browser.find_element(By.ID, "message-text")
        field.send_keys("Wrap up now")
        field.send_keys(Keys.ENTER)
        until(browser, lambda d: text(d, "message") == "Wrap up now")
        state = served.state()
        assert (state["current"], state["message"]) == ("parade", "Wrap up now")
        browser.get(f"{served.url}/timer")
        until(browser, lambda d: text(d, "message") == "Wrap up now")

    def test_plus_one_minute_extends_the_running_item(
        self,
        browser: WebDriver,
        serve: Serve,
        on_time: Callable[[str], tuple[LiveShow, datetime]],
    ) -> None:
        """+1m gives the running item a minute more: its remaining time grows by 60 s."""
        show, began = on_time("parade")
        served, _ = serve(began + timedelta(minutes=10), show=show)
        open_screen(browser, f"{served.url}/caller")
        before = seconds_shown(
            until(browser, lambda d: text(d, "remaining") != "–" and text(d, "remaining"))
        )
        browser.find_element(By.CSS_SELECTOR, '[data-by="+1m"]').click()
        after = seconds_shown(
            until(
                browser,
                lambda d: (
                    seconds_shown(text(d, "remaining")) > before + 30 and text(d, "remaining")
                ),
            )
        )
        assert 55 <= after - before <= 61
        parade = next(s for s in served.state()["slots"] if s["id"] == "parade")
        assert datetime.fromisoformat(parade["end"]) == began + timedelta(hours=1, minutes=26)

    def test_a_refused_change_is_shown(self, browser: WebDriver, serve: Serve) -> None:
        """UNDO with nothing recorded is refused by the server, and the caller says why."""
        served, _ = serve(paris("19:58"))
        open_screen(browser, f"{served.url}/caller")
        assert text(browser, "current-title") == "Nothing running"
        browser.find_element(By.CSS_SELECTOR, '[data-action="undo"]').click()
        until(browser, lambda d: text(d, "notice").startswith("Refused:"))

    def test_the_token_is_asked_once_and_kept(self, browser: WebDriver, serve: Serve) -> None:
        """Behind a token, the first GO asks for it; the next GO uses the kept one."""
        served, _ = serve(paris("19:59:30"), token="s3cret-token")  # noqa: S106 - a test token
        open_screen(browser, f"{served.url}/caller")
        browser.find_element(By.CSS_SELECTOR, '[data-action="go"]').click()
        prompt = until(browser, _alert)
        prompt.send_keys("s3cret-token")
        prompt.accept()
        until(browser, lambda d: text(d, "current-title").startswith("Countdown and piano"))
        assert (
            browser.execute_script("return localStorage.getItem('ceremony-live-token')")
            == "s3cret-token"
        )
        time.sleep(0.7)  # GO ignores a second press within 600 ms (a double tap)
        browser.find_element(By.TAG_NAME, "body").send_keys(Keys.SPACE)
        until(browser, lambda d: text(d, "current-title").startswith("Fireworks in blue"))
        assert _alert(browser) is None
        assert served.state()["current"] == "tricolour-fireworks"

    def test_a_wrong_token_is_asked_again(self, browser: WebDriver, serve: Serve) -> None:
        """A refused token is forgotten and asked for again; cancelling sends nothing."""
        served, _ = serve(paris("19:59:30"), token="right")  # noqa: S106 - a test token
        open_screen(browser, f"{served.url}/caller")
        browser.execute_script("localStorage.setItem('ceremony-live-token', 'wrong')")
        browser.find_element(By.CSS_SELECTOR, '[data-action="go"]').click()
        prompt = until(browser, _alert)
        prompt.dismiss()
        until(browser, lambda d: text(d, "notice") == "Not sent: no token")
        assert browser.execute_script("return localStorage.getItem('ceremony-live-token')") is None
        assert served.state()["current"] is None


def _alert(driver: WebDriver) -> Any:
    try:
        return driver.switch_to.alert
    except NoAlertPresentException:
        return None


class TestEscaping:
    def test_titles_and_cues_are_text_never_markup(
        self, browser: WebDriver, serve: Serve, tmp_path: Path
    ) -> None:
        """A title or cue holding HTML is shown as written, and runs nothing."""
        hostile = '<img src=x onerror="document.title=1">'
        programme = ceremony.loads(
            HEAD
            + ceremony_with(
                f"      - {{id: a, kind: performance, title: '{hostile}', duration: 10m,"
                f" cues: [{{department: sound, label: '<b>SQ</b>', text: '{hostile}'}}]}}\n"
                "      - {id: b, kind: speech, title: '<script>document.title=2</script>',"
                " duration: 10m}\n"
            ),
            "yaml",
            file="show.yaml",
        )
        show = LiveShow(programme, tmp_path / "hostile.actuals.yaml")
        served, _ = serve(paris("19:59:50"), show=show)
        for path in ("/caller", "/rundown", "/cues/sound", "/clock", "/timer"):
            open_screen(browser, f"{served.url}{path}")
            page = browser.find_element(By.TAG_NAME, "body").text
            assert hostile in page or "<script>" in page, path
            assert (
                browser.execute_script(
                    "return document.querySelectorAll('main img, main b, main script').length"
                )
                == 0
            )
            assert browser.title.endswith("ceremony live"), path


class TestTimer:
    def test_counts_down_and_turns_red_when_over(
        self,
        browser: WebDriver,
        serve: Serve,
        on_time: Callable[[str], tuple[LiveShow, datetime]],
    ) -> None:
        """Amber in the last minute, counting down; red, counting up past zero, once over."""
        show, began = on_time("parade")
        due = began + timedelta(hours=1, minutes=25)
        served, _ = serve(due - timedelta(seconds=6), show=show)
        open_screen(browser, f"{served.url}/timer")
        first = seconds_shown(text(browser, "timer"))
        assert 1 <= first <= 6
        assert "amber" in classes(browser, "main.timer")
        until(browser, lambda d: seconds_shown(text(d, "timer")) < first)
        until(browser, lambda d: "red" in classes(d, "main.timer"), seconds=10)
        until(browser, lambda d: seconds_shown(text(d, "timer")) <= -1)
        assert text(browser, "timer-note") == "OVER"
        assert text(browser, "current-title").startswith("Parade of 168")

    def test_an_extension_moves_the_red(
        self,
        browser: WebDriver,
        serve: Serve,
        on_time: Callable[[str], tuple[LiveShow, datetime]],
    ) -> None:
        """A minute more (+1m) and the timer turns red a minute later, counting from there."""
        show, began = on_time("parade")
        show.extend(None, "+1m", began + timedelta(minutes=5))
        due = began + timedelta(hours=1, minutes=26)
        served, _ = serve(due - timedelta(seconds=6), show=show)
        open_screen(browser, f"{served.url}/timer")
        assert 1 <= seconds_shown(text(browser, "timer")) <= 6
        until(browser, lambda d: "red" in classes(d, "main.timer"), seconds=10)
        # A state sent once over (here by a message) has the end stretched to now: the
        # timer still counts from the extended end, not from the plan's.
        httpx.post(f"{served.url}/api/message", json={"text": "Over"}, timeout=5)
        until(browser, lambda d: text(d, "message") == "Over")
        parade = next(s for s in served.state()["slots"] if s["id"] == "parade")
        assert parade["remaining"] == "0s"
        until(browser, lambda d: seconds_shown(text(d, "timer")) <= -2)
        assert seconds_shown(text(browser, "timer")) >= -8  # not a minute more (the plan's end)

    def test_thresholds_come_from_the_query(
        self,
        browser: WebDriver,
        serve: Serve,
        on_time: Callable[[str], tuple[LiveShow, datetime]],
    ) -> None:
        """With an hour and a quarter left: plain by default, amber under ?amber=5400."""
        show, began = on_time("parade")
        served, _ = serve(began + timedelta(minutes=10), show=show)
        open_screen(browser, f"{served.url}/timer")
        assert not {"amber", "red"} & classes(browser, "main.timer")
        assert 1 * 3600 + 14 * 60 < seconds_shown(text(browser, "timer")) <= 1 * 3600 + 15 * 60
        open_screen(browser, f"{served.url}/timer?amber=5400")
        assert "amber" in classes(browser, "main.timer")

    def test_before_the_show_it_counts_to_the_start(self, browser: WebDriver, serve: Serve) -> None:
        """With nothing running, the timer counts down to the first item."""
        served, _ = serve(paris("19:58"))
        open_screen(browser, f"{served.url}/timer")
        assert text(browser, "timer-note") == "to start"
        assert 118 <= seconds_shown(text(browser, "timer")) <= 120
        assert "idle" in classes(browser, "main.timer")


class TestCues:
    def test_a_standby_shows_at_its_lead_time(
        self,
        browser: WebDriver,
        serve: Serve,
        on_time: Callable[[str], tuple[LiveShow, datetime]],
    ) -> None:
        """LX 120 (at the cauldron's end) is stood by a minute before, then counted down."""
        show, began = on_time("cauldron")
        cue = next(c for c in show.state(began)["cues"] if c["label"] == "LX 120")
        standby = datetime.fromisoformat(cue["standby"])
        served, _ = serve(standby - timedelta(seconds=6), show=show)
        open_screen(browser, f"{served.url}/cues/lighting")
        card = 'ol[data-bind="department-cues"] li'
        assert shown(browser, f"{card} .cue-label") == "LX 120"
        assert "upcoming" in classes(browser, card)
        assert shown(browser, f"{card} .cue-call") == "GO IN"
        until(browser, lambda d: "standby" in classes(d, card), seconds=10)
        assert shown(browser, f"{card} .cue-call") == "STANDBY"
        left = seconds_shown(shown(browser, f"{card} .cue-in") or "")
        assert 55 <= left <= 60
        assert "Cauldron special" in (shown(browser, card) or "")

    def test_a_go_waits_for_the_caller(
        self,
        browser: WebDriver,
        serve: Serve,
        on_time: Callable[[str], tuple[LiveShow, datetime]],
    ) -> None:
        """SQ 31 (the flag's start) stays on standby while the parade runs over, until GO."""
        show, began = on_time("parade")
        due = began + timedelta(hours=1, minutes=25)
        served, _ = serve(due - timedelta(seconds=2), show=show)
        open_screen(browser, f"{served.url}/cues/sound")
        card = 'ol[data-bind="department-cues"] li'
        assert shown(browser, f"{card} .cue-label") == "SQ 31"
        until(browser, lambda d: shown(d, f"{card} .cue-in") == "on GO")
        time.sleep(1)
        assert "standby" in classes(browser, card)
        assert shown(browser, f"{card} .cue-call") == "STANDBY"
        httpx.post(f"{served.url}/api/go", timeout=5).raise_for_status()
        until(browser, lambda d: shown(d, f"{card} .cue-call") == "GO")  # fired by the GO
        assert "go" in classes(browser, card) and shown(browser, f"{card} .cue-label") == "SQ 31"
        until(browser, lambda d: shown(d, card) is None, seconds=10)  # then gone

    def test_a_department_with_nothing_left_says_so(
        self,
        browser: WebDriver,
        serve: Serve,
        on_time: Callable[[str], tuple[LiveShow, datetime]],
    ) -> None:
        """Once a department's cues have all gone, its screen says there are no more."""
        show, began = on_time("cauldron")
        served, _ = serve(began + timedelta(seconds=5), show=show)
        open_screen(browser, f"{served.url}/cues/sound")
        until(
            browser,
            lambda d: d.find_element(By.CSS_SELECTOR, '[data-bind="no-cues"]').is_displayed(),
        )
        assert browser.find_elements(By.CSS_SELECTOR, 'ol[data-bind="department-cues"] li') == []


class TestClock:
    def test_crew_only_items_never_show(
        self,
        browser: WebDriver,
        serve: Serve,
        on_time: Callable[[str], tuple[LiveShow, datetime]],
    ) -> None:
        """While only a crew-only changeover runs, the clock shows nothing on, and never its title."""
        show, began = on_time("paradoxe")
        ended = began + timedelta(minutes=20)
        show.mark("paradoxe", "end", None, ended)
        show.mark("stage-clear", "start", None, ended)
        served, _ = serve(ended + timedelta(seconds=30), show=show)
        assert served.state()["current"] == "stage-clear"
        open_screen(browser, f"{served.url}/clock")
        assert text(browser, "on-now") == "–"
        assert text(browser, "on-next").endswith("The Paralympic flag is carried in and raised")
        assert "Stage crew" not in browser.find_element(By.TAG_NAME, "body").text
        shown = text(browser, "home-clock")
        assert (
            shown[:7] == (ended + timedelta(seconds=30)).astimezone(PARIS).strftime("%H:%M:%S")[:7]
        )


# --- screenshots -----------------------------------------------------------------------------


NIGHT = paris("21:50:30")
"""The screenshots' instant: the parade running, in its last minute and a bit."""


@pytest.fixture
def example_night(tmp_path: Path, serve: Serve, browser: WebDriver) -> Iterator[Served]:
    """The example's actuals, the parade running late, every clock stopped at 21:50:30."""
    actuals = tmp_path / "paralympic-opening.actuals.yaml"
    actuals.write_bytes(ACTUALS.read_bytes())
    show = LiveShow(ceremony.load(SHOW), actuals, zones=("UTC", "America/New_York"))
    show.set_message("Wrap up the parade")
    served, _ = serve(NIGHT, show=show, frozen=True)
    with page_clock_frozen_at(browser, NIGHT):
        yield served


class TestScreenshots:
    def test_every_screen_at_1080p_and_the_caller_on_a_phone(
        self, browser: WebDriver, example_night: Served, pictures: Path
    ) -> None:
        """Each screen shows the example night; its picture is saved (docs/images/ on request)."""
        url = example_night.url
        errors_logged(browser)  # what earlier tests left (a refused token) is theirs
        open_screen(browser, f"{url}/caller")
        assert text(browser, "current-title").startswith("Parade of 168")
        assert text(browser, "over-under") == "40s under"
        until(browser, lambda d: "STANDBY" in text(d, "cue-list"))
        assert text(browser, "clock") == "21:50:30"  # the page's clock stands still too
        assert text(browser, "remaining") == "0:50"  # due at 21:51:20 (20:26:20 + 1h25m)
        assert text(browser, "message") == "Wrap up the parade"
        screenshot(browser, "caller", DESKTOP, pictures)
        viewport(browser, PHONE)
        browser.execute_script("window.scrollTo(0, 0)")
        time.sleep(0.3)
        go = browser.find_element(By.CSS_SELECTOR, '[data-action="go"]')
        assert go.rect["y"] + go.rect["height"] <= PHONE[1], "GO is below the fold on a phone"
        width = browser.execute_script("return [innerWidth, document.documentElement.scrollWidth]")
        assert width == [PHONE[0], PHONE[0]], "the caller is wider than a phone"
        screenshot(browser, "caller-phone", PHONE, pictures)
        viewport(browser, DESKTOP)

        open_screen(browser, f"{url}/timer")
        assert "amber" in classes(browser, "main.timer")
        assert text(browser, "message") == "Wrap up the parade"
        assert text(browser, "timer") == "0:50"
        screenshot(browser, "timer", DESKTOP, pictures)

        open_screen(browser, f"{url}/cues/sound")
        card = 'ol[data-bind="department-cues"] li'
        assert shown(browser, f"{card} .cue-label") == "SQ 31"
        assert "standby" in classes(browser, card)
        assert shown(browser, f"{card} .cue-call") == "STANDBY"
        screenshot(browser, "cues", DESKTOP, pictures)

        open_screen(browser, f"{url}/rundown")
        rows = browser.find_elements(By.CSS_SELECTOR, 'tbody[data-bind="rows"] tr')
        assert len(rows) == len(example_night.state()["slots"])
        running = shown(browser, "tr.running") or ""
        assert running.startswith("Parade of 168")
        assert "20:23:00" in running and "20:26:20" in running
        screenshot(browser, "rundown", DESKTOP, pictures)
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        try:
            assert not browser.find_element(By.CSS_SELECTOR, "header.bar").is_displayed()
            background = browser.execute_script(
                "return getComputedStyle(document.body).backgroundColor"
            )
            assert background == "rgb(255, 255, 255)"
        finally:
            browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})

        open_screen(browser, f"{url}/clock")
        assert text(browser, "on-now").startswith("Parade of 168")
        assert text(browser, "zone-name") == "Paris · CEST"
        zones = text(browser, "zones")
        assert "UTC" in zones and "New York" in zones and "19:50" in zones and "15:50" in zones
        screenshot(browser, "clock", DESKTOP, pictures)
        assert errors_logged(browser) == []
        assert {path.name for path in pictures.glob("live-*.png")} >= {
            f"live-{name}.png"
            for name in ("caller", "caller-phone", "clock", "cues", "rundown", "timer")
        }
