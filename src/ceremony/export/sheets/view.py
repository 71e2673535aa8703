"""What a printed sheet says, as plain values: the template context.

A :class:`Sheet` is a :class:`Header` and one :class:`SheetRow` per item, every time already
written as a clock reading in the show's zone (and any extra zones), every person by name,
every change against a previous revision marked. :func:`~ceremony.export.sheets.build_sheet`
makes one; the HTML, PDF, Markdown, text and CSV renderers only lay it out, and a replacement
template (``--template DIR``) gets the same objects.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, get_args

import attrs

from ceremony.model.cues import department_name as name_of_department

Paper = Literal["A4", "Letter"]
Orientation = Literal["landscape", "portrait"]
ChangeMark = Literal["new", "changed"]
Column = Literal[
    "number",
    "planned",
    "start",
    "late",
    "clocks",
    "duration",
    "end",
    "running",
    "start_by",
    "slack",
    "kind",
    "item",
    "delegations",
    "athletes",
    "results",
    "who",
    "where",
    "cues",
    "notes",
]
"""A column a sheet can print; ``clocks`` stands for one column per extra zone."""
COLUMNS: tuple[Column, ...] = get_args(Column)
"""Every column, in the order they are printed: :attr:`Sheet.columns` is a selection."""


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
    department_name: str = attrs.field(
        default=attrs.Factory(lambda line: name_of_department(line.department), takes_self=True)
    )
    """The department as sheets show it: ``LX``, ``Stage management`` (``departments:``)."""
    standby_for: str | None = None
    """For a standby without a label: the label of the GO it warns (``LX 90``), if any."""

    @property
    def wording(self) -> str:
        """What the stage manager says: ``Standby PYRO 1`` or ``PYRO 1 GO``.

        A standby without a label takes its GO's (``Standby LX 90``), else the department's
        name (``Standby Stage management``); so does a GO without one (``Sound GO``).
        """
        if self.call == "Standby":
            return f"Standby {self.label or self.standby_for or self.department_name}"
        return f"{self.label or self.department_name} GO"

    def __str__(self) -> str:
        """``22:51 PYRO 9 GO [Pyro]: Cauldron flame effect``: how the text formats list it."""
        return f"{self.clock} {self.wording} [{self.department_name}]: {self.text}"


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
    length: str = ""
    """The duration as the duration column prints it: ``10m``, ``1h25m``, or a ranged
    duration's shortest to longest, ``4–8m``."""
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
    day: str | None = None
    """Schedule: the day this row opens (``Friday 30 August 2024``, the local calendar
    date of its start in the schedule's zone); a heading row is printed before it."""
    delegations: tuple[str, ...] = ()
    """Schedule: the delegations taking part, by name."""
    athletes: tuple[str, ...] = ()
    """Schedule: the athletes taking part, by name."""
    results: tuple[str, ...] = ()
    """Schedule: a finished session's results, ``1. Gold · Ana Saleh (AZE) · 1:05.32``."""


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
class StripLabel:
    """A piece of text on the strip, as the box it takes (in the strip's units, points).

    ``leader`` is the line ``(x1, y1, x2, y2)`` from a bar too narrow to hold its label to
    the label, which is then written under the bar.
    """

    text: str
    x: float
    """The box's left edge."""
    y: float
    """The box's top edge."""
    width: float
    height: float
    leader: tuple[float, float, float, float] | None = None

    @property
    def centre(self) -> float:
        """Where the text is anchored (``text-anchor="middle"``)."""
        return round(self.x + self.width / 2, 2)

    @property
    def baseline(self) -> float:
        """The text's baseline."""
        return round(self.y + self.height - 2.5, 2)

    def overlaps(self, other: StripLabel) -> bool:
        """True when the two boxes share any area."""
        return (
            self.x < other.x + other.width
            and other.x < self.x + self.width
            and self.y < other.y + other.height
            and other.y < self.y + self.height
        )


@attrs.frozen(kw_only=True)
class StripBar:
    """One item as a bar on the timeline strip (in the strip's own units, points)."""

    x: float
    width: float
    lane: int
    label: str
    title: str
    changed: bool
    y: float = 0.0
    """The bar's top edge."""
    height: float = 12.0
    dark: bool = False
    """Shaded: every other item of its lane, in item order, so neighbours differ."""
    hard: bool = False
    """The item starts at a fixed clock time (marked by a triangle over its start)."""
    whisker: tuple[float, float] | None = None
    """An item of uncertain length: its earliest and latest end, drawn as a whisker."""
    tag: StripLabel | None = None
    """Where its label is written: inside the bar, or under it with a leader."""


@attrs.frozen(kw_only=True)
class StripBand:
    """An act shaded behind its items, its title over them."""

    x: float
    width: float
    title: str
    tag: StripLabel | None = None
    """The title as it fits over the act (shortened with … when it does not)."""


@attrs.frozen(kw_only=True)
class StripTick:
    """A clock reading along the strip."""

    x: float
    label: str


StripMark = Literal["items", "act", "changed", "hard", "range", "hard_out", "now"]
"""What a legend entry explains: the alternate shades of items, act bands, changed items,
hard starts, ranged ends, the hard out and the now line."""


@attrs.frozen(kw_only=True)
class StripLegendEntry:
    """One entry of the strip's legend: a sample of the mark at ``x`` and its meaning."""

    mark: StripMark
    x: float
    tag: StripLabel


@attrs.frozen(kw_only=True)
class Strip:
    """The SVG timeline strip: items as bars along the clock, acts shaded, hard out marked.

    Every position is in points at print size (the strip is as wide as the page's printed
    width), so ``font_size`` is the printed size of its text.
    """

    width: float
    """The width of the timeline itself, right of the lane names."""
    lanes: int
    lane_names: tuple[str, ...]
    bars: tuple[StripBar, ...]
    bands: tuple[StripBand, ...]
    ticks: tuple[StripTick, ...]
    hard_out: float | None
    hard_out_label: str | None
    left: float = 40.0
    """The lane names' gutter: the timeline's ``x = 0`` is this far from the left edge."""
    right: float = 12.0
    height: float = 80.0
    """The whole strip's height, legend included."""
    lane_tops: tuple[float, ...] = ()
    """The top of each lane's bars."""
    top: float = 0.0
    """Where the act bands start."""
    axis: float = 60.0
    """The clock axis under the lanes."""
    font_size: float = 8.0
    now: float | None = None
    """A live sheet: the projection's now."""
    now_label: str | None = None
    marks: tuple[StripLabel, ...] = ()
    """The hard out's and now's labels, over the bands."""
    legend: tuple[StripLegendEntry, ...] = ()
    """What the shades and marks on this strip mean (only those it shows)."""

    @property
    def labels(self) -> tuple[StripLabel, ...]:
        """Every label on the strip: bars', acts', marks' and the legend's."""
        return (
            *(bar.tag for bar in self.bars if bar.tag is not None),
            *(band.tag for band in self.bands if band.tag is not None),
            *self.marks,
            *(entry.tag for entry in self.legend),
        )


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
    columns: tuple[Column, ...] = COLUMNS
    """The columns this sheet prints, in order: those with something in them (worked out
    once, by :func:`~ceremony.export.sheets.build_sheet`, for every renderer)."""
    folded: tuple[Column, ...] = ()
    """Columns of :attr:`columns` too sparse for a column of their own in the HTML and PDF
    sheets: their values are printed under the item's title (``Where: Official stand``)."""
    worst_case: bool = False
    """Back-timing from the longest durations (``--backtime worst``), not the expected."""

    @property
    def hard_starts(self) -> bool:
        """True when some row starts at a fixed clock time (the legend explains ■ then)."""
        return any(row.hard for row in self.rows)
