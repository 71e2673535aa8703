"""The feed site: files, manifest, index page, all-or-nothing swap, and the CLI."""

from __future__ import annotations

import hashlib
import json
import random
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import attrs
import icalendar
import pytest
from click.testing import CliRunner

import ceremony
from ceremony.cli import main
from ceremony.site import build_site, feed_state_path, read_site_state
from tests.conftest import EXAMPLES

Show = Callable[[str], ceremony.Programme]
NOW = datetime(2024, 8, 20, tzinfo=UTC)
AZE_KAZ = EXAMPLES / "paralympians-aze-kaz.yaml"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.append(dict(attrs))


def links(page: str) -> list[dict[str, str | None]]:
    parser = _Links()
    parser.feed(page)
    return parser.links


def check_site(root: Path) -> dict[str, dict[str, object]]:
    """Every file the manifest lists is there with its size and hash; return the listing."""
    listing = json.loads((root / "manifest.json").read_text())["files"]
    for item in listing:
        data = (root / item["path"]).read_bytes()
        assert len(data) == item["bytes"]
        assert hashlib.sha256(data).hexdigest() == item["sha256"]
        assert item["etag"] == f'"{item["sha256"][:32]}"'
    return {item["path"]: item for item in listing}


def test_site_files_manifest_and_index(tmp_path: Path) -> None:
    programme = ceremony.load(AZE_KAZ)
    site = build_site(
        programme, tmp_path / "site", now=NOW, base_url="https://feeds.example.org/paris/"
    )
    listing = check_site(tmp_path / "site")
    feeds = [path for path in listing if path.endswith(".ics")]
    assert "all.ics" in feeds
    assert "medals.ics" in feeds
    assert {path.split("/")[0] for path in feeds if "/" in path} == {
        "sport",
        "venue",
        "delegation",
        "athlete",
        "day",
    }
    for path in feeds:
        calendar = icalendar.Calendar.from_ical((tmp_path / "site" / path).read_bytes())
        assert len(calendar.walk("VEVENT")) == listing[path]["events"]
    page = (tmp_path / "site" / "index.html").read_text()
    found = links(page)
    hrefs = {link["href"] for link in found}
    for path in feeds:
        assert path in hrefs  # download link
        assert f"webcal://feeds.example.org/paris/{path}" in hrefs
    assert any(
        (link["href"] or "").startswith("https://calendar.google.com/calendar/render?cid=webcal")
        for link in found
    )
    assert site.publication.added
    assert not list(tmp_path.glob(".site.*"))  # no temporary folder left behind


def test_index_page_escapes_names(show: Show, tmp_path: Path) -> None:
    programme = attrs.evolve(show("sessions: []\n"), name="<script>alert(1)</script> & Co")
    build_site(programme, tmp_path / "site", now=NOW)
    page = (tmp_path / "site" / "index.html").read_text()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page


def test_a_failed_build_leaves_the_previous_site(tmp_path: Path) -> None:
    programme = ceremony.load(AZE_KAZ)
    build_site(programme, tmp_path / "site", now=NOW)
    before = {p: p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()}

    def crash(done: int, _total: int) -> None:
        if done == 5:
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        build_site(programme, tmp_path / "site", now=NOW, segments=True, progress=crash)
    after = {p: p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "site.lock"]


def test_a_site_set_aside_by_a_killed_swap_is_put_back(tmp_path: Path) -> None:
    programme = ceremony.load(AZE_KAZ)
    build_site(programme, tmp_path / "site", now=NOW)
    (tmp_path / "site").rename(tmp_path / ".site.previous")  # killed between two renames
    build_site(programme, tmp_path / "site", now=NOW)
    check_site(tmp_path / "site")
    assert not (tmp_path / ".site.previous").exists()


def generated_games(sessions: int, variant: int = 0) -> ceremony.Programme:
    """A programme big enough that building its site takes a few seconds.

    An odd ``variant`` retimes a quarter of the sessions and drops one in fifty (they come
    back, changed again, with an even one).
    """
    venues = [ceremony.Venue(id=f"v{i}", name=f"Venue {i}") for i in range(20)]
    nations = [ceremony.Delegation(id=f"N{i:02d}", name=f"Nation {i}") for i in range(60)]
    start = datetime(2024, 7, 26, 7, tzinfo=UTC)
    return ceremony.Programme(
        name="Generated Games",
        timezone="Europe/Paris",
        venues=venues,
        delegations=nations,
        sessions=[
            ceremony.CompetitionSession(
                id=f"s{i}",
                sport=f"Sport {i % 30}",
                venue=f"v{i % 20}",
                start=start + timedelta(minutes=(i * 7) % (16 * 24 * 60)),
                duration=timedelta(minutes=90 + (variant % 2) * (i % 4 == 0) * 15),
                medal=i % 11 == 0,
                delegations=[f"N{(i + k) % 60:02d}" for k in range(3)],
            )
            for i in range(sessions)
            if not (variant % 2 and i % 50 == 1)
        ],
    )


_VEVENT = re.compile(r"BEGIN:VEVENT\r\n(.*?)END:VEVENT", re.DOTALL)


class Subscriber:
    """What every subscriber could have fetched so far: each event's SEQUENCE and text."""

    def __init__(self) -> None:
        self.seen: dict[str, tuple[int, str]] = {}

    def fetch(self, site: Path) -> None:
        """Take the site as it stands; its SEQUENCEs follow what was fetched before."""
        check_site(site)  # the old site or the new one, whole either way
        served: dict[str, int] = {}
        for body in _VEVENT.findall((site / "all.ics").read_bytes().decode().replace("\r\n ", "")):
            fields = dict(line.split(":", 1) for line in body.split("\r\n") if ":" in line)
            uid, sequence = fields["UID"].split("@")[0], int(fields["SEQUENCE"])
            served[uid] = sequence
            if uid in self.seen:
                before, text = self.seen[uid]
                assert sequence >= before, f"{uid}: SEQUENCE {before} -> {sequence}"
                assert sequence > before or body == text, f"{uid} changed at SEQUENCE {sequence}"
            self.seen[uid] = (sequence, body)
        state = read_site_state(site)  # the state that comes with the site says the same
        assert state is not None
        assert {uid: record.sequence for uid, record in state.records.items()} == served


SESSIONS = 2000


def test_killing_the_build_at_any_moment_leaves_a_whole_site(tmp_path: Path) -> None:
    """Kills at random and right after the swap: a whole site, and SEQUENCE never goes back."""
    show, site = tmp_path / "show.json", tmp_path / "site"
    ceremony.dump(generated_games(SESSIONS), show)
    command = [sys.executable, "-m", "ceremony", "site", str(show), "-o", str(site)]
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    whole_run = time.perf_counter() - started
    subscriber = Subscriber()
    subscriber.fetch(site)
    moments = random.Random(13)  # noqa: S311 - when to kill, not a secret
    after_swap = 0
    for step in range(1, 7):
        # Alternate two programmes, so that events change, go and come back (SEQUENCE + 1).
        ceremony.dump(generated_games(SESSIONS, step), show)
        process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
        if step % 2:  # as soon as the new site is in place
            before = site.stat().st_ino
            while process.poll() is None and site.stat().st_ino == before:
                time.sleep(0.0005)
            after_swap += process.poll() is None
        else:
            time.sleep(whole_run * moments.uniform(0.1, 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait()
        subscriber.fetch(site)
    assert after_swap >= 2  # the window between the swap and the end was hit
    ceremony.dump(generated_games(SESSIONS, 7), show)
    subprocess.run(command, check=True, capture_output=True)
    subscriber.fetch(site)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["show.json", "site", "site.lock"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_site_and_ics(tmp_path: Path) -> None:
    code, _, err = run("site", str(AZE_KAZ), "-o", str(tmp_path / "site"))
    assert code == 0, err
    assert "feeds" in err
    assert "29 new" in err
    code, out, err = run("ics", str(AZE_KAZ), "--where", "delegation=KAZ", "--where", "medal=yes")
    assert code == 0, err
    calendar = icalendar.Calendar.from_ical(out)
    assert calendar.walk("VEVENT")
    assert all("Kazakhstan" in str(e["DESCRIPTION"]) for e in calendar.walk("VEVENT"))
    code, _, err = run("ics", str(AZE_KAZ), "-o", str(tmp_path / "feed.ics"))
    assert code == 0, err
    assert feed_state_path(tmp_path / "feed.ics").exists()
    code, _, err = run("ics", str(AZE_KAZ), "-o", str(tmp_path / "feed.ics"))
    assert "0 new, 0 changed, 0 cancelled" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ics", str(AZE_KAZ), "--where", "spot=x"], "'spot' is not a facet"),
        (["ics", str(AZE_KAZ), "--refresh", "-1h"], "is not a duration"),
        (["ics", str(AZE_KAZ), "--domain", "a b"], "is not a domain name"),
        (["ics", "missing.yaml"], "missing.yaml: no such file"),
    ],
)
def test_cli_bad_input_exits_2_without_a_traceback(args: list[str], message: str) -> None:
    code, _, err = run(*args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_cli_site_refuses_a_changed_domain(tmp_path: Path) -> None:
    target = str(tmp_path / "site")
    assert run("site", str(AZE_KAZ), "-o", target, "--domain", "a.example")[0] == 0
    code, _, err = run("site", str(AZE_KAZ), "-o", target, "--domain", "b.example")
    assert code == 2
    assert "every event twice" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "site.lock"]
