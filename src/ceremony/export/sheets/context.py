"""What a printed sheet says, worked out once for every format: the template context.

:func:`build_sheet` turns a resolved :class:`~ceremony.Timeline` into a :class:`Sheet`:
a :class:`Header` and one :class:`SheetRow` per item, every time already written as a
clock reading in the show's zone (and any extra zones), every person by name, every change
against a previous revision marked. The HTML, PDF, Markdown, text and CSV renderers only
lay it out; a replacement template (``--template DIR``) gets the same objects.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta, tzinfo
from typing import Literal

import attrs
from pendulum import Timezone

from ceremony.durations import format_clock_duration, format_duration
from ceremony.export.timeline import clock
from ceremony.model import Act, CompetitionSession, Programme, Segment, Visibility
from ceremony.model.cues import Cue, CueEdge
from ceremony.revisions import Changes, ItemChange, diff
from ceremony.timing import Slot, Timeline
from ceremony.zones import utc, zone

Paper = Literal["A4", "Letter"]
Orientation = Literal["landscape", "portrait"]
ChangeMark = Literal["new", "changed"]

_ROLE_LABELS = {
    "people": "With",
    "declared_by": "Declared by",
    "extinguished_by": "Extinguished by",
    "on_behalf_of": "On behalf of",
}


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
    """True when the sheet carries change marks (``since`` was given)."""
    rows: tuple[SheetRow, ...]
    removed: tuple[RemovedItem, ...]
    summary: Summary
    strip: Strip | None


def build_sheet(
    programme: Programme,
    timeline: Timeline,
    *,
    printed_at: datetime,
    extra_zones: Iterable[str] = (),
    backtime: bool = False,
    public: bool = False,
    since: Programme | None = None,
    paper: Paper = "A4",
    orientation: Orientation = "landscape",
    document: str | None = None,
) -> Sheet:
    """The printable sheet of ``timeline`` (a ceremony or the competition schedule).

    ``printed_at`` is shown in the header (pass the time of printing in: nothing here reads
    the clock). ``since``, the previous revision, marks what :func:`~ceremony.diff` reports
    changed and lists what was removed; ``public`` leaves crew-only items and cues out.

    Raises :class:`~ceremony.TimingError` when ``since`` cannot be resolved.
    """
    lookup = _Lookup(programme, timeline)
    changes = None if since is None else diff(since, programme)
    home = zone(timeline.zone)
    extras = tuple(name for name in dict.fromkeys(extra_zones) if name != timeline.zone)
    hidden = lookup.crew_ids if public else frozenset()
    slots = [slot for slot in timeline.slots if slot.id not in hidden]
    ceremony_change = changes.get(timeline.id) if changes is not None else None
    rows = tuple(
        _rows(
            slots,
            timeline=timeline,
            lookup=lookup,
            extras=extras,
            backtime=backtime and timeline.hard_out is not None,
            public=public,
            changes=changes,
        )
    )
    header = Header(
        document=document
        or ("Competition schedule" if timeline.kind == "schedule" else "Run of show"),
        programme=programme.name,
        title=timeline.title,
        item_id=timeline.id,
        venue=lookup.venue_name,
        date=f"{timeline.start.astimezone(home):%A %d %B %Y}",
        zone=timeline.zone,
        extra_zones=extras,
        revision=programme.revision,
        since_revision=(changes.old_revision or "previous") if changes is not None else None,
        printed_at=_stamp(printed_at, home),
        live_at=None
        if timeline.now is None
        else clock(timeline.now, home, day_of=timeline.start, offset_of=timeline.start),
        public=public,
        paper=paper,
        orientation=orientation,
    )
    return Sheet(
        header=header,
        kind=timeline.kind,
        start_at=timeline.start,
        live=timeline.live,
        backtime=backtime and timeline.hard_out is not None,
        marked=changes is not None,
        rows=rows,
        removed=()
        if changes is None or since is None
        else _removed(changes, _former_ids(since, timeline), timeline),
        summary=_summary(timeline, ceremony_change),
        strip=None if timeline.kind == "schedule" else strip_of(timeline, rows),
    )


class _Lookup:
    """The programme's segments, sessions, venues and people, by id, for one timeline."""

    def __init__(self, programme: Programme, timeline: Timeline) -> None:
        self.segments: dict[str, Segment] = {}
        self.sessions: dict[str, CompetitionSession] = {}
        self.crew_ids: frozenset[str] = frozenset()
        self.venue_name: str | None = None
        self.venues = {venue.id: venue.name for venue in programme.venues}
        self.delegations = {d.id: d.name for d in programme.delegations}
        if timeline.kind == "ceremony":
            ceremony = programme.ceremony(timeline.id)
            self.venue_name = self.venues.get(ceremony.venue or "", ceremony.venue)
            crew: set[str] = set()
            for _, segment in ceremony.walk():
                self.segments[segment.id] = segment
                if segment.visibility is Visibility.CREW:
                    crew.update(_ids_within(segment))
            self.crew_ids = frozenset(crew)
        else:
            for _, session in programme.all_sessions():
                self.sessions[session.id] = session


def _ids_within(segment: Segment) -> Iterator[str]:
    yield segment.id
    if isinstance(segment, Act):
        for child in segment.segments:
            yield from _ids_within(child)


def _rows(
    slots: list[Slot],
    *,
    timeline: Timeline,
    lookup: _Lookup,
    extras: tuple[str, ...],
    backtime: bool,
    public: bool,
    changes: Changes | None,
) -> Iterator[SheetRow]:
    home = zone(timeline.zone)
    extra_tzs = [zone(name) for name in extras]
    number = 0
    for slot in slots:
        heading = slot.kind == "act"
        if not heading:
            number += 1
        segment = lookup.segments.get(slot.id)
        session = lookup.sessions.get(slot.id)
        cues = (
            () if public or segment is None else _cue_lines(segment.cues, slot, timeline, extra_tzs)
        )
        item_change = changes.get(slot.id) if changes is not None else None
        row = SheetRow(
            id=slot.id,
            number="" if heading else str(number),
            kind=slot.kind,
            kind_label=_kind_label(segment, slot.kind),
            heading=heading,
            depth=slot.depth,
            title=slot.title,
            start=_clock(slot.start.expected, timeline),
            start_range=None
            if slot.start.exact
            else f"{clock(slot.start.earliest, home)}–{clock(slot.start.latest, home)}",
            clocks=_clocks(slot.start.expected, timeline, extra_tzs),
            end=_clock(slot.end.expected, timeline),
            duration=format_clock_duration(slot.duration),
            running=format_clock_duration(slot.running),
            hard=slot.hard,
            start_at=slot.start.expected,
            end_at=slot.end.expected,
            who=tuple(_credits(slot)),
            where=_where(segment, session, lookup),
            cues=cues,
            notes=_notes(segment, session, lookup),
            crew=slot.id in lookup.crew_ids,
            target=None if slot.target is None else format_clock_duration(slot.target),
            over_under=None if slot.over_under is None else _verdict(slot.over_under),
            over=slot.over_under is not None and slot.over_under > timedelta(0),
            gap_before=_gap(slot) if timeline.kind == "ceremony" else None,
            state=slot.state,
            planned=None
            if not timeline.live
            else _clock(slot.planned_start or slot.start.expected, timeline),
            actual=None if slot.actual_start is None else _clock(slot.actual_start, timeline),
            late=None if not timeline.live else format_duration(slot.late, signed=True),
            start_by=None
            if not backtime or slot.must_start_by is None
            else _clock(slot.must_start_by, timeline),
            slack=None
            if not backtime or slot.slack is None
            else format_duration(slot.slack, signed=True),
            short=backtime and slot.slack is not None and slot.slack < timedelta(0),
            planned_at=(slot.planned_start or slot.start.expected) if timeline.live else None,
            actual_at=slot.actual_start,
            start_by_at=slot.must_start_by if backtime else None,
        )
        yield _marked(row, item_change, slot, timeline, lookup) if item_change else row


def _clock(instant: datetime, timeline: Timeline) -> str:
    return clock(instant, zone(timeline.zone), day_of=timeline.start, offset_of=timeline.start)


def _clocks(instant: datetime, timeline: Timeline, zones: list[Timezone]) -> tuple[str, ...]:
    """The clock reading of ``instant`` in each extra zone (``00:48 +1d`` past midnight)."""
    return tuple(
        clock(instant, tz, day_of=timeline.start, offset_of=timeline.start) for tz in zones
    )


def _stamp(instant: datetime, tz: tzinfo) -> str:
    local = instant.astimezone(tz)
    return f"{local:%d %b %Y %H:%M} {local.tzname()}"


def _kind_label(segment: Segment | None, kind: str) -> str:
    what = getattr(segment, "what", None)
    if kind == "custom" and isinstance(what, str) and what:
        return what.capitalize()
    return kind.replace("_", " ").capitalize()


def _credits(slot: Slot) -> Iterator[Credit]:
    grouped: dict[str, list[str]] = {}
    for role, name in slot.who:
        names = grouped.setdefault(role, [])
        if name not in names:
            names.append(name)
    for role, names in grouped.items():
        yield Credit(
            role=_ROLE_LABELS.get(role, role.replace("_", " ").capitalize()), names=tuple(names)
        )


def _where(segment: Segment | None, session: CompetitionSession | None, lookup: _Lookup) -> str:
    if segment is not None:
        return segment.location or ""
    if session is not None:
        venue = lookup.venues.get(session.venue or "", session.venue or "")
        return ", ".join(part for part in (venue, session.location) if part)
    return ""


def _notes(segment: Segment | None, session: CompetitionSession | None, lookup: _Lookup) -> str:
    if segment is not None:
        parts = [segment.notes or ""]
        order = getattr(segment, "order", None)
        count = getattr(segment, "delegation_count", None)
        if count:
            parts.append(f"{count} delegations")
        if order:
            parts.append(f"Order: {order}")
        return ". ".join(part.rstrip(".") for part in parts if part) + ("." if any(parts) else "")
    if session is not None:
        parts = []
        if session.medal:
            parts.append("Medal event")
        if session.status.value != "scheduled":
            parts.append(session.status.value.capitalize())
        if session.delegations:
            names = [lookup.delegations.get(d, d) for d in session.delegations]
            parts.append(", ".join(names))
        if session.notes:
            parts.append(session.notes.rstrip("."))
        return ". ".join(parts) + ("." if parts else "")
    return ""


def _verdict(over_under: timedelta) -> str:
    return f"{format_duration(abs(over_under))} {'over' if over_under > timedelta(0) else 'under'}"


def _gap(slot: Slot) -> str | None:
    if not slot.gap_before:
        return None
    word = "overlap" if slot.gap_before < timedelta(0) else "gap"
    return f"{word} of {format_duration(abs(slot.gap_before))}"


def _cue_lines(
    cues: tuple[Cue, ...], slot: Slot, timeline: Timeline, extra_tzs: list[Timezone]
) -> tuple[CueLine, ...]:
    lines = []
    for cue in cues:
        if cue.when is CueEdge.START:
            at, when = slot.start.expected, "at start"
        elif cue.when is CueEdge.END:
            at, when = slot.end.expected, "at end"
        else:
            assert isinstance(cue.when, timedelta)  # noqa: S101 - CueWhen is an edge or a delta
            at, when = slot.start.expected + cue.when, format_duration(cue.when, signed=True)
        standby = cue.text.strip().lower().startswith("standby")
        lines.append(
            CueLine(
                department=cue.department,
                label=cue.label,
                call="Standby" if standby else "GO",
                text=cue.text,
                clock=_clock(at, timeline),
                clocks=_clocks(at, timeline, extra_tzs),
                at=at,
                when=when,
            )
        )
    return tuple(sorted(lines, key=lambda line: line.at))


def _marked(
    row: SheetRow, change: ItemChange, slot: Slot, timeline: Timeline, lookup: _Lookup
) -> SheetRow:
    if change.change == "added":
        return attrs.evolve(row, change="new", changed=())
    was: dict[str, str] = {}
    old_start, old_end = slot.start.expected, slot.end.expected
    for field in change.fields:
        if field.field == "start" and isinstance(field.old, datetime):
            old_start = field.old
            was["start"] = _clock(field.old, timeline)
        elif field.field == "end" and isinstance(field.old, datetime):
            old_end = field.old
            was["end"] = _clock(field.old, timeline)
        elif field.field == "title" and isinstance(field.old, str):
            was["title"] = field.old
        elif field.field == "location":
            was["where"] = str(field.old or "—")
        elif field.field == "venue":
            was["where"] = lookup.venues.get(str(field.old), str(field.old or "—"))
        elif field.field == "notes":
            was["notes"] = str(field.old or "—")
        elif field.field == "cues":
            was["cues"] = _old_cues(field.old)
    if old_end - old_start != slot.duration:
        was["duration"] = format_clock_duration(old_end - old_start)
    shifts = (old_start - slot.start.expected, old_end - slot.end.expected)
    # A cue that moved with its item fell at its old item time; edited cues show the old list.
    cues = row.cues if "cues" in was else tuple(_cue_was(c, shifts, timeline) for c in row.cues)
    return attrs.evolve(
        row,
        change="changed",
        changed=tuple(field.field for field in change.fields),
        was=was,
        cues=cues,
    )


def _cue_was(cue: CueLine, shifts: tuple[timedelta, timedelta], timeline: Timeline) -> CueLine:
    """The cue with the clock time it fell at before its item moved (if it moved)."""
    shift = shifts[1] if cue.when == "at end" else shifts[0]
    return attrs.evolve(cue, was=_clock(cue.at + shift, timeline)) if shift else cue


def _old_cues(old: object) -> str:
    if not isinstance(old, list) or not old:
        return "—"
    parts = []
    for cue in old:
        if isinstance(cue, dict):
            label = cue.get("label") or cue.get("department", "")
            parts.append(f"{label} at {cue.get('when', 'start')}: {cue.get('text', '')}")
    return "; ".join(parts)


def _former_ids(since: Programme, timeline: Timeline) -> frozenset[str]:
    """The ids the previous revision had in this ceremony (or schedule)."""
    if timeline.kind == "schedule":
        return frozenset(session.id for _, session in since.all_sessions())
    ceremony = next((c for c in since.ceremonies if c.id == timeline.id), None)
    if ceremony is None:
        return frozenset()
    return frozenset(segment.id for _, segment in ceremony.walk())


def _removed(
    changes: Changes, former: frozenset[str], timeline: Timeline
) -> tuple[RemovedItem, ...]:
    """Items of the previous revision's ceremony (or schedule) gone from this one."""
    return tuple(
        RemovedItem(
            id=item.id,
            kind=item.kind.replace("_", " ").capitalize(),
            title=item.title,
            start=None if item.start is None else _clock(item.start, timeline),
        )
        for item in changes.removed
        if item.id in former
    )


def _summary(timeline: Timeline, change: ItemChange | None) -> Summary:
    home = zone(timeline.zone)
    over_under = timeline.over_under
    was: dict[str, str] = {}
    if change is not None and change.change == "changed":
        for field in change.fields:
            if field.field == "end" and isinstance(field.old, datetime):
                was["end"] = _clock(field.old, timeline)
            if field.field == "hard_out" and isinstance(field.old, datetime):
                was["hard_out"] = _clock(field.old, timeline)
    return Summary(
        start=clock(timeline.start, home),
        end=_clock(timeline.end.expected, timeline),
        running=format_clock_duration(timeline.end.expected - timeline.start),
        hard_out=None if timeline.hard_out is None else _clock(timeline.hard_out, timeline),
        over_under=None if over_under is None else _verdict(over_under),
        over=over_under is not None and over_under > timedelta(0),
        planned_end=None
        if not timeline.live or timeline.planned_end is None
        else _clock(timeline.planned_end, timeline),
        late=format_duration(timeline.late, signed=True) if timeline.live else None,
        skipped=timeline.skipped,
        unscheduled=timeline.unscheduled,
        was=was,
    )


def strip_of(timeline: Timeline, rows: tuple[SheetRow, ...], width: float = 1000.0) -> Strip:
    """Lay the rows out along the clock, from the show's start to its end (or hard out)."""
    first = timeline.start
    last = max(
        [timeline.end.expected, *(row.end_at for row in rows)]
        + ([timeline.hard_out] if timeline.hard_out else [])
    )
    span = max((last - first).total_seconds(), 60.0)

    def x_of(instant: datetime) -> float:
        return round((instant - first).total_seconds() / span * width, 2)

    tracks: dict[str | None, int] = {None: 0}
    for slot in timeline.slots:
        if slot.track not in tracks:
            tracks[slot.track] = len(tracks)
    track_of = {slot.id: slot.track for slot in timeline.slots}
    bars, bands = [], []
    for row in rows:
        x, end = x_of(row.start_at), x_of(row.end_at)
        if row.heading:
            bands.append(StripBand(x=x, width=round(end - x, 2), title=row.title))
            continue
        bars.append(
            StripBar(
                x=x,
                width=max(round(end - x, 2), 1.0),
                lane=tracks[track_of.get(row.id)],
                label=row.number,
                title=f"{row.number}. {row.title} ({row.start}–{row.end})",
                changed=row.change is not None,
            )
        )
    home = zone(timeline.zone)
    step = _tick_step(span)
    ticks = []
    tick = utc(_ceil_to(first.astimezone(home), step))
    while tick <= last:
        ticks.append(StripTick(x=x_of(tick), label=clock(tick, home)))
        tick += step
    return Strip(
        width=width,
        lanes=len(tracks),
        lane_names=tuple(name or "main" for name in tracks),
        bars=tuple(bars),
        bands=tuple(bands),
        ticks=tuple(ticks),
        hard_out=None if timeline.hard_out is None else x_of(timeline.hard_out),
        hard_out_label=None if timeline.hard_out is None else clock(timeline.hard_out, home),
    )


def _tick_step(span_seconds: float) -> timedelta:
    """A round step that puts at most 16 ticks on the strip, however long the show runs."""
    for minutes in (5, 10, 15, 30, 60, 120, 240, 360, 720, 1440):
        if span_seconds / (minutes * 60) <= 16:
            return timedelta(minutes=minutes)
    return timedelta(days=math.ceil(span_seconds / (16 * 86400)))


def _ceil_to(local: datetime, step: timedelta) -> datetime:
    """The first instant at or after ``local`` on a whole ``step`` of its wall clock."""
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    seconds = (local - midnight).total_seconds()
    steps = -(-seconds // step.total_seconds())
    return midnight + step * steps
