"""What a printed sheet says, as plain values: the template context.

A :class:`Sheet` is a :class:`Header` and one :class:`SheetRow` per item, every time already
written as a clock reading in the show's zone (and any extra zones), every person by name,
every change against a previous revision marked. :func:`~ceremony.export.sheets.build_sheet`
makes one; the HTML, PDF, Markdown, text and CSV renderers only lay it out, and a replacement
template (``--template DIR``) gets the same objects.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import attrs

Paper = Literal["A4", "Letter"]
Orientation = Literal["landscape", "portrait"]
ChangeMark = Literal["new", "changed"]


@attrs.frozen(kw_only=True)
class Header:
    """What the top of every page says."""

    document: str
    """What the sheet is: ``Run of show``, ``Lighting cue sheet``, ``Competition schedule``."""
    programme: str
    title: str
    """The ceremony's title (or the schedule's)."""
    item_id: str
    """The ceremony's id (or the programme's name for a schedule)."""
    venue: str | None
    date: str
    """The show's first day, e.g. ``Wednesday 28 August 2024``."""
    zone: str
    """The IANA zone every clock time is read in."""
    extra_zones: tuple[str, ...]
    """Further zones, each with a clock column of its own."""
    revision: str | None
    since_revision: str | None
    """With change marks: the revision they are measured against."""
    printed_at: str
    """When the sheet was made, in the show's zone (passed in, never read from the clock)."""
    live_at: str | None
    """For a live sheet: the moment the projection was made."""
    public: bool
    """True when crew-only items (and department cues) are left out."""
    paper: Paper
    orientation: Orientation


@attrs.frozen(kw_only=True)
class Credit:
    """Everyone an item names in one role: ``Performers: Chilly Gonzalez, DJ Myd``."""

    role: str
    names: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.role}: {', '.join(self.names)}"


@attrs.frozen(kw_only=True)
class CueLine:
    """One department cue on the run-of-show, at the clock time it falls."""

    department: str
    label: str | None
    call: Literal["GO", "Standby"]
    """``Standby`` when the cue's text starts with it (a warning); ``GO`` otherwise."""
    text: str
    clock: str
    """The clock time the cue falls at, in the show's zone."""
    clocks: tuple[str, ...]
    """The same in each extra zone."""
    at: datetime
    """The instant the cue falls, in UTC."""
    when: str
    """Where in its item: ``at start``, ``at end``, ``+2m``, ``-30s``."""
    was: str | None = None
    """With change marks: the clock time the cue fell at in the previous revision."""

    @property
    def wording(self) -> str:
        """What the stage manager says: ``Standby PYRO 1`` or ``PYRO 1 GO``."""
        name = self.label or self.department.replace("-", " ")
        return f"Standby {name}" if self.call == "Standby" else f"{name} GO"

    def __str__(self) -> str:
        """``22:51 PYRO 9 GO [pyro]: Cauldron flame effect``: how the text formats list it."""
        return f"{self.clock} {self.wording} [{self.department}]: {self.text}"


@attrs.frozen(kw_only=True)
class SheetRow:
    """One item of the run-of-show, every value ready to print."""

    id: str
    number: str
    """The item's number on the sheet (``1``, ``2`` ...); empty for an act heading."""
    kind: str
    """The item's kind tag: ``performance``, ``act``, ``session`` ..."""
    kind_label: str
    """The kind in words: ``Flag raising``."""
    heading: bool
    """True for an act: printed as a heading over its items, with its subtotal."""
    depth: int
    title: str
    details: tuple[str, ...] = ()
    """What this kind of item is about, in words (``Anthem: La Marseillaise``): printed
    under the title."""
    start: str
    """Clock start in the show's zone (``20:00``; ``00:10 +1d`` past midnight)."""
    start_range: str | None
    """For an uncertain start: ``20:05–20:12``."""
    clocks: tuple[str, ...]
    """Clock start in each extra zone, in the header's order."""
    end: str
    duration: str
    """``0:10:00``: an act's subtotal for a heading."""
    running: str
    """Start measured from the start of the show."""
    hard: bool
    """True when the item starts at a fixed clock time."""
    start_at: datetime
    end_at: datetime
    who: tuple[Credit, ...]
    where: str
    cues: tuple[CueLine, ...]
    notes: str
    crew: bool
    """True for a crew-only item (never on a public sheet)."""
    target: str | None = None
    """An act's target length."""
    over_under: str | None = None
    """An act's subtotal against its target: ``2m over`` or ``1m under``."""
    over: bool = False
    """True when the act runs over its target."""
    gap_before: str | None = None
    """``gap of 2m`` or ``overlap of 1m`` with the item before it on its track."""
    state: str = "planned"
    """``planned``, or live: ``done``, ``running``, ``upcoming``."""
    planned: str | None = None
    """Live: the planned clock start."""
    actual: str | None = None
    """Live: the recorded start, if recorded."""
    late: str | None = None
    """Live: how far behind (``+3m``) or ahead (``-1m``) of the plan the item starts."""
    start_by: str | None = None
    """Back-timing: the latest start that still lands the show on its hard out."""
    slack: str | None = None
    short: bool = False
    """Back-timing: True when the slack is negative (the show cannot land on time)."""
    planned_at: datetime | None = None
    """Live: the planned start, in UTC (for CSV)."""
    actual_at: datetime | None = None
    """Live: the recorded start, in UTC."""
    start_by_at: datetime | None = None
    """Back-timing: the latest start, in UTC."""
    change: ChangeMark | None = None
    """With change marks: ``new`` or ``changed`` (None: as in the previous revision)."""
    was: dict[str, str] = attrs.field(factory=dict)
    """With change marks: the previous value of each printed column that changed
    (``start``, ``end``, ``duration``, ``title``, ``where``, ``who``, ``notes``, ``cues``)."""
    changed: tuple[str, ...] = ()
    """With change marks: the names of every field that changed."""


@attrs.frozen(kw_only=True)
class RemovedItem:
    """An item of the previous revision that is no longer in the show."""

    id: str
    kind: str
    title: str
    start: str | None
    """Where it was on the clock."""


@attrs.frozen(kw_only=True)
class Summary:
    """The foot of the sheet: how long the show runs and how it lands on its hard out."""

    start: str
    end: str
    running: str
    hard_out: str | None
    over_under: str | None
    """``4m under`` or ``2m over``; None without a hard out."""
    over: bool
    planned_end: str | None
    """Live: the planned end, beside the projected one."""
    late: str | None
    """Live: projected end minus planned end."""
    skipped: tuple[str, ...]
    unscheduled: tuple[str, ...]
    was: dict[str, str] = attrs.field(factory=dict)
    """With change marks: the previous ``end`` and ``hard_out``, where they moved."""


@attrs.frozen(kw_only=True)
class StripBar:
    """One item as a bar on the timeline strip (in the strip's own units)."""

    x: float
    width: float
    lane: int
    label: str
    title: str
    changed: bool


@attrs.frozen(kw_only=True)
class StripBand:
    """An act shaded behind its items."""

    x: float
    width: float
    title: str


@attrs.frozen(kw_only=True)
class StripTick:
    """A clock reading along the strip."""

    x: float
    label: str


@attrs.frozen(kw_only=True)
class Strip:
    """The SVG timeline strip: items as bars along the clock, acts shaded, hard out marked."""

    width: float
    lanes: int
    lane_names: tuple[str, ...]
    bars: tuple[StripBar, ...]
    bands: tuple[StripBand, ...]
    ticks: tuple[StripTick, ...]
    hard_out: float | None
    hard_out_label: str | None


@attrs.frozen(kw_only=True)
class Sheet:
    """A whole run-of-show: what every renderer and template is given."""

    header: Header
    kind: Literal["ceremony", "schedule"]
    start_at: datetime
    """The start of the show (or of the first session), in UTC."""
    live: bool
    backtime: bool
    marked: bool
    """True when the sheet carries change marks (``since`` or ``changes`` was given)."""
    rows: tuple[SheetRow, ...]
    removed: tuple[RemovedItem, ...]
    summary: Summary
    strip: Strip | None
