"""The screens of ``ceremony live``: caller, stage timer, cue screens, rundown and clock.

Each screen is a small server-rendered HTML shell (``templates/live/``) and one plain script
(``static/live.js``, no build step, nothing fetched from elsewhere). The script reads the
state from ``GET /api/events`` (the first message at once, then one per change) and acts
through the POST API; it never keeps a clock of its own: at each state it takes the offset
between the server's ``now`` and the browser's clock, and ticks locally every 250 ms.

The state keys the screens read (see :mod:`ceremony.live.show`), beyond the timeline's own
(``slots``, ``start``, ``end``, ``hard_out``, ``over_under``, ``late``, ``zone``, ``now``):
``now_ms``, ``current``, ``current_due`` (when the running item is due to end, extensions
included, never stretched to now: what the timer and the caller count to) and ``next``,
``message``, ``zones``, ``cues`` (each stood by at its ``standby`` instant; ``?lead=``
seconds on the page stands every GO by that long before it instead; a cue stays "GO" for
5 s after its time, as the server keeps it), ``standby_lead`` and ``visibility``
(crew-only items never show on ``/clock``, which asks for ``/api/events?public=1``, where
the server leaves them out, and leaves them out on its side too).

Query strings: ``/timer?amber=60&red=0`` (seconds left when the timer turns amber, red),
``/cues/{department}?lead=60&count=6``, ``/caller?lead=60``. A bad value is a 400.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from ceremony.model.cues import department_name

STATIC = Path(__file__).parent / "static"
"""The screens' stylesheet and script, served under ``/static/``."""

_templates = jinja2.Environment(
    loader=jinja2.PackageLoader("ceremony", "templates/live"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)

_DEPARTMENT = re.compile(r"[\w][\w .&/+-]{0,63}")

_SECONDS = re.compile(r"-?\d{1,5}")


def _number(request: Request, name: str) -> int | None:
    """A whole number from the query string (None if not given), or a 400 naming it."""
    text = request.query_params.get(name, "").strip()
    if not text:
        return None
    if not _SECONDS.fullmatch(text):
        raise HTTPException(400, f"{name}={text!r} is not a whole number")
    return int(text)


def _seconds(request: Request, name: str, default: int) -> int:
    """A whole number of seconds from the query string, or ``default``."""
    number = _number(request, name)
    return default if number is None else number


def _lead(request: Request) -> int | None:
    """``?lead=``: seconds before its GO a cue is stood by (None: the server's own lead)."""
    lead = _number(request, "lead")
    if lead is not None and lead < 0:
        raise HTTPException(400, f"lead={lead} must not be negative")
    return lead


def _page(name: str, **context: object) -> HTMLResponse:
    body = _templates.get_template(f"{name}.html.j2").render(screen=name, **context)
    return HTMLResponse(body, headers={"Cache-Control": "no-store"})


async def caller(request: Request) -> HTMLResponse:
    """The show caller: the running item, what comes next, the cues, GO, undo and extend."""
    return _page("caller", title="Caller", lead=_lead(request))


async def timer(request: Request) -> HTMLResponse:
    """The presenter's stage timer: the running item's time left, huge, and the caller's message."""
    amber = _seconds(request, "amber", 60)
    red = _seconds(request, "red", 0)
    if red > amber:
        raise HTTPException(400, f"red={red} must not be above amber={amber}")
    return _page("timer", title="Timer", amber=amber, red=red)


async def cues(request: Request) -> HTMLResponse:
    """One department's next cues: each stood by at its lead time, its GO counted down."""
    department = request.path_params["department"]
    if not _DEPARTMENT.fullmatch(department):
        raise HTTPException(404, "no such department")
    count = _seconds(request, "count", 6)
    if not 1 <= count <= 50:
        raise HTTPException(400, f"count={count} must be between 1 and 50")
    live = getattr(request.app.state, "live", None)
    departments = live.show.programme.departments if live is not None else {}
    name = department_name(department, departments)
    return _page(
        "cues",
        title=f"Cues: {name}",
        department=department,
        department_name=name,
        lead=_lead(request),
        count=count,
    )


async def rundown(_request: Request) -> HTMLResponse:
    """The whole running order: plan, actual and projected times and each item's over/under."""
    return _page("rundown", title="Rundown")


async def clock(_request: Request) -> HTMLResponse:
    """Time of day in the show's zones and the public title of what is on."""
    return _page("clock", title="Clock")


def screen_routes() -> list[BaseRoute]:
    """The five screens and their static files, for the live app to mount at its root."""
    return [
        Route("/caller", caller, methods=["GET"], name="caller"),
        Route("/timer", timer, methods=["GET"], name="timer"),
        Route("/cues/{department}", cues, methods=["GET"], name="cues"),
        Route("/rundown", rundown, methods=["GET"], name="rundown"),
        Route("/clock", clock, methods=["GET"], name="clock"),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
