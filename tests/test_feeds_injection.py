"""Calendar-level text never injects a line into a feed (issue 17, item 6).

Names that become a calendar's name, an event's title or a heading are one line: a line
break there is refused at load (located) and by the constructors. A value that gets past
both (set behind attrs' back) is escaped by the export, never caught by an ``assert``:
under ``python -O`` too. ``/feed.ics`` answers a filter with a control character with 400.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import httpx
import icalendar
import pytest
from click.testing import CliRunner
from starlette.applications import Starlette

import ceremony
from ceremony.cli import main
from ceremony.errors import FilterError, ModelError, ShowFileError
from ceremony.export.feeds import FeedFilter
from ceremony.export.ics import CalendarHead, FeedSettings, head_bytes, to_ical
from ceremony.serve import create_app
from ceremony.site import build_site
from tests.conftest import EXAMPLES, ROOT

NOW = datetime(2024, 8, 20, tzinfo=UTC)
AZE_KAZ = EXAMPLES / "paralympians-aze-kaz.yaml"

SHOW = """\
programme: Test Games
timezone: Europe/Paris
revision: "2"
venues:
  - {id: concorde, name: Place de la Concorde}
people:
  - {id: chilly, name: Chilly Gonzalez}
delegations:
  - {id: KAZ, name: Kazakhstan}
ceremonies:
  - id: opening
    title: Opening Ceremony
    start: 2024-08-28T20:00+02:00
    venue: concorde
    segments:
      - {id: overture, kind: performance, title: Overture, duration: 10m, performers: [chilly]}
sessions:
  - id: s1
    sport: Para Swimming
    event: Men 100 m
    venue: concorde
    start: 2024-08-29T10:00+02:00
    duration: 1h
    delegations: [KAZ]
    notes: "two\\nlines are fine here"
"""

INJECTIONS = [
    "a\r\nX-INJ:1",
    "a\nX-INJ:1",
    "a\rX-INJ:1",
    "a\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil@x\r\nSUMMARY:X-INJ",
    "a\x0bX-INJ:1\x0cX-INJ:1\u2028X-INJ:1",
]


def load(text: str, kind: Literal["yaml", "toml", "json"] = "yaml") -> ceremony.Programme:
    return ceremony.loads(text, kind, file=f"show.{kind}")


# --- refused at load, located ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("find", "replace", "line", "path"),
    [
        ("programme: Test Games", 'programme: "Test\\nGames"', 1, "name"),
        ('revision: "2"', 'revision: "2\\r3"', 3, "revision"),
        ("name: Place de la Concorde", 'name: "Place\\nX-INJ:1"', 5, "venues[0].name"),
        ("name: Chilly Gonzalez", 'name: "Chilly\\r\\nGonzalez"', 7, "people[0].name"),
        ("name: Kazakhstan", 'name: "Kaza\\nkhstan"', 9, "delegations[0].name"),
        ("title: Opening Ceremony", 'title: "Opening\\nCeremony"', 12, "ceremonies[0].title"),
        ("title: Overture", 'title: "Over\\nture"', 16, "ceremonies[0].segments[0].title"),
        ("sport: Para Swimming", 'sport: "Para\\nSwimming"', 19, "sessions[0].sport"),
        ("event: Men 100 m", 'event: "Men\\n100 m"', 20, "sessions[0].event"),
    ],
    ids=lambda value: value if isinstance(value, str) and "." in value else None,
)
def test_a_line_break_in_a_name_is_refused_at_load(
    find: str, replace: str, line: int, path: str
) -> None:
    assert SHOW.count(find) == 1
    with pytest.raises(ShowFileError) as caught:
        load(SHOW.replace(find, replace))
    assert str(caught.value) == (
        f"show.yaml:{line}: {path}: a name is one line: it may not hold a line break"
    )
    assert (caught.value.file, caught.value.line) == ("show.yaml", line)


def test_notes_keep_their_line_breaks() -> None:
    programme = load(SHOW)
    assert programme.sessions[0].notes == "two\nlines are fine here"
    assert "two\\nlines are fine here" in to_ical(programme).decode()


def test_refused_in_toml_and_json_too() -> None:
    toml = 'programme = "T"\n\n[[venues]]\nid = "v"\nname = "a\\nb"\n'
    with pytest.raises(ShowFileError, match=r"^show\.toml:5: venues\[0\]\.name: a name is one"):
        load(toml, "toml")
    document = {"programme": "Test", "venues": [{"id": "v", "name": "a\nb"}]}
    with pytest.raises(ShowFileError, match=r"^show\.json:\d+: venues\[0\]\.name: a name is one"):
        load(json.dumps(document, indent=1), "json")


def test_the_cli_says_where_and_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "show.yaml"
    path.write_text(SHOW.replace("name: Place de la Concorde", 'name: "Place\\nX-INJ:1"'))
    result = CliRunner().invoke(main, ["site", str(path), "-o", str(tmp_path / "site")])
    assert result.exit_code == 2
    assert f"{path}:5: venues[0].name: a name is one line" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


# --- refused by the constructors ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: ceremony.Programme(name="a\nb"), "name"),
        (lambda: ceremony.Programme(name="Games", revision="1\r"), "revision"),
        (lambda: ceremony.Venue(id="v", name="a\r\nb"), "name"),
        (lambda: ceremony.Person(id="p", name="a\nb"), "name"),
        (lambda: ceremony.Person(id="p", name="P", roles=["ok", "a\nb"]), "roles[1]"),
        (lambda: ceremony.Delegation(id="KAZ", name="a\nb"), "name"),
        (
            lambda: ceremony.Ceremony(id="c", title="a\nb", start="2024-08-28T20:00+02:00"),
            "title",
        ),
        (lambda: ceremony.Custom(id="x", title="a\nb"), "title"),
        (lambda: ceremony.Custom(id="x", what="fly\npast"), "what"),
        (lambda: ceremony.Anthem(id="x", anthem="a\nb"), "anthem"),
        (lambda: ceremony.CompetitionSession(id="s", sport="a\nb"), "sport"),
        (lambda: ceremony.CompetitionSession(id="s", sport="S", phase="a\rb"), "phase"),
        (lambda: ceremony.CompetitionSession(id="s", sport="S", names={"fr": "a\nb"}), "names.fr"),
        (lambda: ceremony.ResultLine(mark="1:02\n.3"), "mark"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_the_constructors_refuse_a_line_break_in_a_name(
    build: Callable[[], object], field: str
) -> None:
    with pytest.raises(ModelError) as caught:
        build()
    assert str(caught.value) == f"{field}: a name is one line: it may not hold a line break"


def test_the_constructors_still_take_line_breaks_in_notes() -> None:
    session = ceremony.CompetitionSession(id="s", sport="S", notes="one\ntwo\r\nthree")
    assert session.notes == "one\ntwo\r\nthree"
    assert ceremony.Venue(id="v", name="V", address="1 Rue\n75008 Paris").address


# --- escaped by the export, whatever got past the model ----------------------------------------


def bypassed(text: str) -> ceremony.Programme:
    """The test show with ``text`` in every calendar-level name, set behind attrs' back."""
    programme = load(SHOW)
    for item, field in [
        (programme, "name"),
        (programme, "revision"),
        (programme.venues[0], "name"),
        (programme.people[0], "name"),
        (programme.delegations[0], "name"),
        (programme.ceremonies[0], "title"),
        (programme.ceremonies[0].segments[0], "title"),
        (programme.sessions[0], "sport"),
        (programme.sessions[0], "event"),
    ]:
        object.__setattr__(item, field, text)
    return programme


def content_lines(data: bytes) -> list[bytes]:
    """The feed's content lines, unfolded."""
    return data.replace(b"\r\n ", b"").split(b"\r\n")


def injected(data: bytes) -> list[str]:
    """Lines a hostile value would have made (``X-INJ``, a second UID), split on every
    separator a lenient reader might take for a line break (VT, FF, NEL, U+2028 too)."""
    lines = data.decode().replace("\r\n ", "").splitlines()
    return [line for line in lines if line.startswith(("X-INJ", "UID:evil", "SUMMARY:X-INJ"))]


def feeds_of(text: str, root: Path) -> dict[str, bytes]:
    """Every feed made of the bypassed show: to_ical, a whole site, a head with a URL."""
    programme = bypassed(text)
    feeds = {"to_ical": to_ical(programme, segments=True, name=text)}
    build_site(programme, root, now=NOW, segments=True)
    feeds.update({str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*.ics")})
    head = CalendarHead(id="x", name=text, description=text, url="https://a.example/" + text)
    feeds["head"] = head_bytes(head, FeedSettings()) + b"END:VCALENDAR\r\n"
    return feeds


def check_feeds(text: str, root: Path) -> int:
    """Build every feed of the bypassed show; raise unless none holds an injected line."""
    feeds = feeds_of(text, root)
    for name, data in feeds.items():
        if injected(data):
            raise AssertionError(f"{name}: injected {injected(data)}")
        calendar = icalendar.Calendar.from_ical(data)
        events = calendar.walk("VEVENT")
        if content_lines(data).count(b"BEGIN:VEVENT") != len(events):
            raise AssertionError(f"{name}: {len(events)} events parsed")
        if any(str(event["UID"]).startswith("evil") for event in events):
            raise AssertionError(f"{name}: an injected event")
    return len(feeds)


@pytest.mark.parametrize("text", INJECTIONS, ids=range(len(INJECTIONS)))
def test_a_bypassed_name_never_injects_a_line(text: str, tmp_path: Path) -> None:
    assert check_feeds(text, tmp_path / "site") == 9  # to_ical, a head, the site's seven


def test_a_bypassed_name_is_kept_escaped() -> None:
    programme = bypassed("a\nX-INJ:1")
    calendar = icalendar.Calendar.from_ical(to_ical(programme))
    # icalendar reads NAME and X-WR-CALNAME as unknown properties: the escape stays.
    assert str(calendar["NAME"]) == str(calendar["X-WR-CALNAME"]) == "a\\nX-INJ:1"
    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert any("X-INJ:1" in summary for summary in summaries)


def test_a_url_with_a_line_break_is_percent_encoded() -> None:
    head = CalendarHead(id="x", name="n", url="https://a.example/a\r\nX-INJ:1")
    data = head_bytes(head, FeedSettings())
    assert b"URL:https://a.example/a%0D%0AX-INJ:1\r\n" in data
    assert not injected(data)


def _run_optimized(code: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONOPTIMIZE": "1"}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_under_optimized_python_too(tmp_path: Path) -> None:
    """With asserts gone (icalendar's line-break check among them), still no injected line."""
    code = (
        "import sys\n"
        "assert False, 'asserts are on'\n"
        "from pathlib import Path\n"
        "from tests.test_feeds_injection import INJECTIONS, check_feeds\n"
        f"root = Path({str(tmp_path)!r})\n"
        "for n, text in enumerate(INJECTIONS):\n"
        "    check_feeds(text, root / str(n))\n"
        "print(sys.flags.optimize, len(INJECTIONS))\n"
    )
    result = _run_optimized(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", str(len(INJECTIONS))]


def test_under_optimized_python_a_crafted_filter_is_refused() -> None:
    code = (
        "from ceremony.errors import FilterError\n"
        "from ceremony.export.feeds import FeedFilter\n"
        "try:\n"
        "    FeedFilter.of_items([('sport', 'a\\r\\nX-INJ:1')])\n"
        "except FilterError as exc:\n"
        "    print('refused', exc)\n"
    )
    result = _run_optimized(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("refused 'a\\r\\nX-INJ:1': a filter may not hold")


# --- X-WR-CALDESC once -------------------------------------------------------------------------


def test_every_feed_describes_itself_once(tmp_path: Path) -> None:
    build_site(ceremony.load(AZE_KAZ), tmp_path / "site", now=NOW)
    feeds = sorted((tmp_path / "site").rglob("*.ics"))
    assert len(feeds) > 20
    for path in feeds:
        lines = content_lines(path.read_bytes())
        described = [line for line in lines if line.startswith(b"X-WR-CALDESC:")]
        assert len(described) == 1, path
        assert sum(line.startswith(b"DESCRIPTION:") for line in lines[:12]) == 1, path
        assert described[0].removeprefix(b"X-WR-CALDESC:") in lines[3], path


def test_a_feed_without_a_description_has_none() -> None:
    data = head_bytes(CalendarHead(id="x", name="n"), FeedSettings())
    assert b"X-WR-CALDESC" not in data
    assert b"DESCRIPTION" not in data


# --- filters and ceremony serve ------------------------------------------------------------


@pytest.mark.parametrize("value", ["a\nb", "a\rb", "a\x00b", "a\x1bb", "a\x85b", "a\ud800"])
def test_a_filter_with_a_control_character_is_refused(value: str) -> None:
    with pytest.raises(FilterError, match="may not hold a line break or a control character"):
        FeedFilter.of_items([("sport", value)])
    with pytest.raises(FilterError, match="may not hold a line break or a control character"):
        FeedFilter.of_items([(value, "x")])


def test_a_filter_with_a_tab_or_accents_is_read() -> None:
    where = FeedFilter.of_items([("sport", "\tPara Judo|Épée")])
    assert where.describe() == "sport=para judo|épée"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Starlette:
    root = tmp_path_factory.mktemp("served") / "site"
    build_site(ceremony.load(AZE_KAZ), root, now=NOW)
    return create_app(root)


def get(app: Starlette, path: str) -> httpx.Response:
    """A GET through httpx's ASGI transport, the path sent as written."""

    async def fetch() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get(path)

    return asyncio.run(fetch())


@pytest.mark.parametrize(
    "query",
    [
        "sport=a%0Ab",
        "sport=a%0D%0AX-INJ:1",
        "sport=Para%20Judo|a%0Ab",
        "sp%0Aort=x",
        "sport=a%00",
        "delegation=AZE&sport=a%1B",
    ],
)
def test_serve_answers_a_control_character_with_400(app: Starlette, query: str) -> None:
    response = get(app, f"/feed.ics?{query}")
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    body = response.text
    assert body.endswith("\n")
    assert body.count("\n") == 1
    assert "may not hold a line break or a control character" in body


def test_serve_still_answers_a_good_filter(app: Starlette) -> None:
    response = get(app, "/feed.ics?sport=Para%20Taekwondo")
    assert response.status_code == 200
    lines = content_lines(response.content)
    assert sum(line.startswith(b"X-WR-CALDESC:") for line in lines) == 1
    assert icalendar.Calendar.from_ical(response.content).walk("VEVENT")
