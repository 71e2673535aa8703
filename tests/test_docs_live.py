"""The live how-to's API table and state keys are what the live server does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip(
    "starlette", reason="needs the live extra: pip install 'ceremony-timeline[live]'"
)

from .conftest import ROOT
from .test_live_server import LIVE_KEYS, OPENING, start_live

PAGE = (ROOT / "docs" / "live.md").read_text(encoding="utf-8")


def _api_rows() -> list[tuple[str, str, str]]:
    """(method, path, body) of each row of the page's API table."""
    return re.findall(r"^\| `(GET|POST) (/api/\w+)` \| (.*?) \|", PAGE, re.M)


def test_the_table_lists_every_endpoint() -> None:
    """The page documents the issue's endpoints, and no other."""
    assert {(method, path) for method, path, _ in _api_rows()} == {
        ("GET", "/api/state"),
        ("GET", "/api/events"),
        ("POST", "/api/go"),
        ("POST", "/api/mark"),
        ("POST", "/api/undo"),
        ("POST", "/api/extend"),
        ("POST", "/api/message"),
    }


def test_every_documented_request_works(tmp_path: Path) -> None:
    """Each POST of the table, with the body the page shows, answers 200 with the state."""
    bodies = {
        "/api/go": None,
        "/api/mark": {"item": "overture", "edge": "end"},
        "/api/undo": None,
        "/api/extend": {"by": "+2m"},
        "/api/message": {"text": "wrap up"},
    }
    with start_live(OPENING, tmp_path / "show.actuals.yaml") as live:
        live.advance(minutes=3)  # 20:01, the show under way
        for method, path, _ in _api_rows():
            if method == "POST":
                answer = live.post(path, bodies[path])
                assert answer.status_code == 200, (path, answer.text)
                live.advance(seconds=30)
        assert live.state()["message"] == "wrap up"
        refused = live.post("/api/mark", {"item": "overture", "edge": "start", "at": "23:59"})
        assert refused.status_code == 400
        assert set(refused.json()) == {"error"}


def test_every_state_key_is_documented(tmp_path: Path) -> None:
    """Every key the state adds to the timeline's is in the page's table, and is real."""
    documented = set(re.findall(r"`(\w+)`", PAGE[PAGE.index("with these keys added") :]))
    assert documented >= LIVE_KEYS
    with start_live(OPENING, tmp_path / "show.actuals.yaml") as live:
        live.advance(minutes=3)
        live.post("/api/go")
        state = live.state()
        assert set(state) >= LIVE_KEYS | {"now", "slots"}
        assert state["current"] is not None
        assert state["standby_lead"] == "1m"
