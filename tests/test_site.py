"""The feed site: files, manifest, index page, all-or-nothing swap, and the CLI."""

from __future__ import annotations

import hashlib
import json
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
from ceremony.site import build_site, state_path
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
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "site.lock", "site.state.json"]


def test_a_site_set_aside_by_a_killed_swap_is_put_back(tmp_path: Path) -> None:
    programme = ceremony.load(AZE_KAZ)
    build_site(programme, tmp_path / "site", now=NOW)
    (tmp_path / "site").rename(tmp_path / ".site.previous")  # killed between two renames
    build_site(programme, tmp_path / "site", now=NOW)
    check_site(tmp_path / "site")
    assert not (tmp_path / ".site.previous").exists()


def generated_games(sessions: int) -> ceremony.Programme:
    """A programme big enough that building its site takes a few seconds."""
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
                duration=timedelta(minutes=90),
                medal=i % 11 == 0,
                delegations=[f"N{(i + k) % 60:02d}" for k in range(3)],
            )
            for i in range(sessions)
        ],
    )


def test_killing_the_build_at_any_moment_leaves_a_whole_site(tmp_path: Path) -> None:
    show = tmp_path / "show.json"
    ceremony.dump(generated_games(3000), show)
    command = [sys.executable, "-m", "ceremony", "site", str(show), "-o", str(tmp_path / "site")]
    subprocess.run([*command, "--refresh", "2h"], check=True, capture_output=True)
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    whole_run = time.perf_counter() - started
    for step in range(1, 9):
        # Alternate two different sites, so that each build really replaces the last.
        process = subprocess.Popen([*command, "--refresh", f"{step}h"], stderr=subprocess.DEVNULL)
        time.sleep(whole_run * step / 9)
        process.send_signal(signal.SIGKILL)
        process.wait()
        check_site(tmp_path / "site")  # the old site or the new one, whole either way
    subprocess.run(command, check=True, capture_output=True)
    check_site(tmp_path / "site")
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert len(leftovers) <= 1  # at most one killed build's folder, cleared by the next build
    subprocess.run(command, check=True, capture_output=True)


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
    assert state_path(tmp_path / "feed.ics").exists()
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
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "site.lock", "site.state.json"]
