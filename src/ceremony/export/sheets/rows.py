"""Building a sheet from a resolved timeline: :func:`build_sheet`.

:func:`build_sheet` turns a :class:`~ceremony.Timeline` into a
:class:`~ceremony.export.sheets.Sheet`: one row per item with its clock times, people, place,
notes and cues, the summary at its foot, the change marks of :mod:`.marks` and the strip of
:mod:`.strip`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta, tzinfo
from typing import Literal

import attrs

from ceremony.durations import format_clock_duration, format_duration
from ceremony.errors import ModelError
from ceremony.export.events import day_label, result_text
from ceremony.export.feeds import FilterLike, chosen_events
from ceremony.export.sheets.columns import (
    SheetClocks,
    compact_range,
    folded,
    sheet_columns,
    written_alike,
)
from ceremony.export.sheets.cuesheet import named_cues
from ceremony.export.sheets.marks import marked, removed_items, summary_was
from ceremony.export.sheets.strip import strip_of
from ceremony.export.sheets.view import (
    Credit,
    CueLine,
    Header,
    Orientation,
    Paper,
    Sheet,
    SheetRow,
    Summary,
)
from ceremony.export.timeline import clock, show_clock
from ceremony.model import (
    Act,
    CompetitionSession,
    DurationRange,
    Programme,
    Segment,
    Visibility,
)
from ceremony.model.cues import Cue, CueEdge
from ceremony.model.directory import Directory
from ceremony.model.wording import kind_label, role_label
from ceremony.revisions import Changes, diff
from ceremony.timing import Rundown, Slot, Timeline, TimeWindow, latest_of
from ceremony.zones import zone

Backtime = Literal["expected", "worst"]
"""How back-timing reads durations: as expected, or at their longest (the worst case)."""


def build_sheet(
    programme: Programme,
    timeline: Timeline,
    *,
    printed_at: datetime,
    extra_zones: Iterable[str] = (),
    backtime: bool | Backtime = False,
    public: bool = False,
    since: Programme | None = None,
    changes: Changes | None = None,
    paper: Paper = "A4",
    orientation: Orientation = "landscape",
    document: str | None = None,
    where: FilterLike | None = None,
) -> Sheet:
    """The printable sheet of ``timeline`` (a ceremony or the competition schedule).

    ``printed_at`` is shown in the header (pass the time of printing in: nothing here reads
    the clock). ``since``, the previous revision, marks what :func:`~ceremony.diff` reports
    changed and lists what was removed (diffed once, reusing ``timeline`` when it is a
    plan); a caller that already has that diff passes it as ``changes`` instead. ``public``
    leaves crew-only items and cues out.

    ``backtime`` (``True`` or ``"expected"``) adds each item's latest start that still
    lands the show on its hard out if everything after it runs its expected length;
    ``"worst"`` reads every ranged duration at its longest instead. ``where`` (the text of
    ``--where``, as for feeds: ``delegation=AZE``) keeps the schedule's sessions it matches.

    Raises :class:`~ceremony.TimingError` when ``since`` cannot be resolved,
    :class:`~ceremony.ModelError` when both ``since`` and ``changes`` are given or
    ``where`` is given for a ceremony, and :class:`~ceremony.errors.FilterError` for a
    ``where`` it cannot read.
    """
    if since is not None and changes is not None:
        raise ModelError("give since or changes, not both")
    if where is not None:
        if timeline.kind != "schedule":
            raise ModelError("where narrows a competition schedule, not a ceremony")
        timeline = _narrowed(timeline, programme, where)
    backtimed = bool(backtime) and timeline.hard_out is not None
    worst = backtime == "worst"
    if since is not None:
        changes = diff(since, programme, timelines=() if timeline.live else (timeline,))
    lookup = _Lookup(programme, timeline)
    home = zone(timeline.zone)
    extras = tuple(name for name in dict.fromkeys(extra_zones) if name != timeline.zone)
    hidden = lookup.crew_ids if public else frozenset()
    slots = [slot for slot in timeline.slots if slot.id not in hidden]
    ceremony_change = changes.get(timeline.id) if changes is not None else None
    deadlines = (
        Rundown(programme, ceremony=timeline.id).latest_starts(worst=worst)
        if backtimed and worst
        else {slot.id: slot.must_start_by for slot in slots if slot.must_start_by}
        if backtimed
        else {}
    )
    rows = tuple(
        _rows(
            slots,
            timeline=timeline,
            lookup=lookup,
            reader=SheetClocks(
                timeline,
                slots,
                extras,
                deadlines,
                cue_instants=(
                    at
                    for slot in ([] if public else slots)
                    if (segment := lookup.segments.get(slot.id)) is not None
                    for at, _ in _cue_instants(segment.cues, slot)
                ),
            ),
            deadlines=deadlines,
            public=public,
            changes=changes,
        )
    )
    rows = named_cues(rows, programme.departments)  # display names; standbys' GO labels
    columns = sheet_columns(
        rows,
        schedule=timeline.kind == "schedule",
        live=timeline.live,
        extra_zones=extras,
        backtime=backtimed,
        public=public,
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
        backtime=backtimed,
        marked=changes is not None,
        rows=rows,
        removed=() if changes is None else removed_items(changes, timeline),
        summary=_summary(timeline, summary_was(ceremony_change, timeline)),
        strip=None
        if timeline.kind == "schedule"
        else strip_of(timeline, rows, paper=paper, orientation=orientation),
        columns=columns,
        folded=folded(rows, columns),
        worst_case=backtimed and worst,
    )


def _narrowed(timeline: Timeline, programme: Programme, where: FilterLike) -> Timeline:
    """The schedule with only the sessions ``where`` matches (as a feed's ``--where``)."""
    wanted = {event.id for event in chosen_events(programme, where=where, segments=False)}
    slots = tuple(slot for slot in timeline.slots if slot.id in wanted)
    if not slots:
        return attrs.evolve(timeline, slots=(), end=TimeWindow.exactly(timeline.start))
    end = latest_of(slot.end for slot in slots)
    return attrs.evolve(
        timeline, slots=slots, start=slots[0].start.expected, end=end, planned_end=end.expected
    )


class _Lookup:
    """One timeline's segments or sessions by id, and the programme's :class:`Directory`."""

    def __init__(self, programme: Programme, timeline: Timeline) -> None:
        self.segments: dict[str, Segment] = {}
        self.sessions: dict[str, CompetitionSession] = {}
        self.crew_ids: frozenset[str] = frozenset()
        self.venue_name: str | None = None
        self.directory = Directory.of(programme)
        if timeline.kind == "ceremony":
            ceremony = programme.ceremony(timeline.id)
            self.venue_name = self.directory.venue_names.get(ceremony.venue or "", ceremony.venue)
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
    reader: SheetClocks,
    deadlines: dict[str, datetime],
    public: bool,
    changes: Changes | None,
) -> Iterator[SheetRow]:
    number = 0
    last_day: date | None = None
    for slot in slots:
        heading = slot.kind == "act"
        if not heading:
            number += 1
        segment = lookup.segments.get(slot.id)
        session = lookup.sessions.get(slot.id)
        cues = () if public or segment is None else _cue_lines(segment.cues, slot, reader)
        item_change = changes.get(slot.id) if changes is not None else None
        day = reader.day(slot) if reader.schedule else None
        opens = day if day is not None and day != last_day else None
        last_day = day or last_day
        start_by = deadlines.get(slot.id)
        row = SheetRow(
            id=slot.id,
            number="" if heading else str(number),
            kind=slot.kind,
            kind_label=_kind_label(segment, slot.kind),
            heading=heading,
            depth=slot.depth,
            title=slot.title,
            # An act's details (its target) have a column and its heading of their own.
            details=()
            if segment is None or heading
            else segment.details(names=lookup.directory.delegation_names),
            start=reader.read(reader.start, slot.start.expected, slot),
            start_range=None
            if slot.start.exact
            else f"{reader.read(reader.start, slot.start.earliest, slot)}"
            f"–{reader.read(reader.start, slot.start.latest, slot)}",
            clocks=tuple(
                reader.read(reader.start, slot.start.expected, slot, tz) for tz in reader.extras
            ),
            end=reader.read(reader.end, slot.end.expected, slot),
            duration=format_clock_duration(slot.duration),
            length=_length(segment, slot),
            running=format_clock_duration(slot.running),
            hard=slot.hard,
            start_at=slot.start.expected,
            end_at=slot.end.expected,
            who=() if session is not None else tuple(_credits(slot)),
            where=_where(segment, session, lookup),
            cues=cues,
            notes=_notes(segment, session),
            crew=slot.id in lookup.crew_ids,
            target=None if slot.target is None else format_clock_duration(slot.target),
            over_under=None if slot.over_under is None else _verdict(slot.over_under),
            over=slot.over_under is not None and slot.over_under > timedelta(0),
            gap_before=_gap(slot) if timeline.kind == "ceremony" else None,
            state=slot.state,
            planned=None
            if not timeline.live
            else reader.read(reader.planned, slot.planned_start or slot.start.expected, slot),
            actual=None
            if slot.actual_start is None
            else reader.read(reader.start, slot.actual_start, slot),
            late=None if not timeline.live else format_duration(slot.late, signed=True),
            start_by=None if start_by is None else reader.read(reader.start_by, start_by, slot),
            slack=None
            if start_by is None
            else format_duration(start_by - slot.start.expected, signed=True),
            short=start_by is not None and start_by < slot.start.expected,
            planned_at=(slot.planned_start or slot.start.expected) if timeline.live else None,
            actual_at=slot.actual_start,
            start_by_at=start_by,
            day=None if opens is None else day_label(opens),
            delegations=()
            if session is None
            else tuple(lookup.directory.delegation_names.get(d, d) for d in session.delegations),
            athletes=()
            if session is None
            else tuple(lookup.directory.person_names.get(a, a) for a in session.athletes),
            results=()
            if session is None
            else tuple(result_text(result, lookup.directory) for result in session.results),
        )
        yield (
            written_alike(
                marked(row, item_change, slot, timeline, lookup.directory.venue_names), reader
            )
            if item_change
            else row
        )


def _length(segment: Segment | None, slot: Slot) -> str:
    """The duration column: ``10m``, or a ranged duration's ``4–8m``."""
    if segment is not None and isinstance(segment.duration, DurationRange):
        return compact_range(segment.duration.min, segment.duration.max)
    return format_duration(slot.duration)


def _stamp(instant: datetime, tz: tzinfo) -> str:
    local = instant.astimezone(tz)
    return f"{local:%d %b %Y %H:%M} {local.tzname()}"


def _kind_label(segment: Segment | None, kind: str) -> str:
    return kind_label(kind) if segment is None else segment.kind_label


def _credits(slot: Slot) -> Iterator[Credit]:
    grouped: dict[str, list[str]] = {}
    for role, name in slot.who:
        names = grouped.setdefault(role, [])
        if name not in names:
            names.append(name)
    for role, names in grouped.items():
        yield Credit(role=role_label(role), names=tuple(names))


def _where(segment: Segment | None, session: CompetitionSession | None, lookup: _Lookup) -> str:
    if segment is not None:
        return segment.location or ""
    if session is not None:
        venue = lookup.directory.venue_names.get(session.venue or "", session.venue or "")
        return ", ".join(part for part in (venue, session.location) if part)
    return ""


def _notes(segment: Segment | None, session: CompetitionSession | None) -> str:
    if segment is not None:
        return segment.notes.rstrip(".") + "." if segment.notes else ""
    if session is not None:
        parts = []
        if session.medal:
            parts.append("Medal event")
        if session.status.value != "scheduled":
            parts.append(session.status.value.capitalize())
        if session.notes:
            parts.append(session.notes.rstrip("."))
        return ". ".join(parts) + ("." if parts else "")
    return ""


def _verdict(over_under: timedelta) -> str:
    if not over_under:
        return "on time"
    return f"{format_duration(abs(over_under))} {'over' if over_under > timedelta(0) else 'under'}"


def _gap(slot: Slot) -> str | None:
    if not slot.gap_before:
        return None
    word = "overlap" if slot.gap_before < timedelta(0) else "gap"
    return f"{word} of {format_duration(abs(slot.gap_before))}"


def _cue_instants(cues: tuple[Cue, ...], slot: Slot) -> Iterator[tuple[datetime, str]]:
    """Each cue's instant and where it falls in its item (``at start``, ``+2m``)."""
    for cue in cues:
        if cue.when is CueEdge.START:
            yield slot.start.expected, "at start"
        elif cue.when is CueEdge.END:
            yield slot.end.expected, "at end"
        else:
            assert isinstance(cue.when, timedelta)  # noqa: S101 - CueWhen is an edge or a delta
            yield slot.start.expected + cue.when, format_duration(cue.when, signed=True)


def _cue_lines(cues: tuple[Cue, ...], slot: Slot, reader: SheetClocks) -> tuple[CueLine, ...]:
    lines = []
    for cue, (at, when) in zip(cues, _cue_instants(cues, slot), strict=True):
        standby = cue.text.strip().lower().startswith("standby")
        lines.append(
            CueLine(
                department=cue.department,
                label=cue.label,
                call="Standby" if standby else "GO",
                text=cue.text,
                clock=reader.read(reader.cues, at, slot),
                clocks=tuple(reader.read(reader.cues, at, slot, tz) for tz in reader.extras),
                at=at,
                when=when,
            )
        )
    return tuple(sorted(lines, key=lambda line: line.at))


def _summary(timeline: Timeline, was: dict[str, str]) -> Summary:
    home = zone(timeline.zone)
    over_under = timeline.over_under
    schedule = timeline.kind == "schedule"
    return Summary(
        start=_dated(timeline.start, home) if schedule else clock(timeline.start, home),
        end=_dated(timeline.end.expected, home)
        if schedule
        else show_clock(timeline.end.expected, timeline),
        running=format_clock_duration(timeline.end.expected - timeline.start),
        hard_out=None if timeline.hard_out is None else show_clock(timeline.hard_out, timeline),
        over_under=None if over_under is None else _verdict(over_under),
        over=over_under is not None and over_under > timedelta(0),
        planned_end=None
        if not timeline.live or timeline.planned_end is None
        else show_clock(timeline.planned_end, timeline),
        late=format_duration(timeline.late, signed=True) if timeline.live else None,
        skipped=timeline.skipped,
        unscheduled=timeline.unscheduled,
        was=was,
    )


def _dated(instant: datetime, tz: tzinfo) -> str:
    """``Thursday 29 August 2024 18:10``: a schedule's first start or last end."""
    local = instant.astimezone(tz)
    return f"{day_label(local.date())} {local:%H:%M}"
