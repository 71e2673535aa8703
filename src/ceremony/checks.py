"""Plan findings: problems a plan can have that are not errors in the file.

:func:`check` returns every :class:`Finding` of a programme: overlapping segments, a show
past its hard out, a venue, athlete or delegation in two sessions at once, references to
unknown ids, items outside the programme's dates, zones that are not a place's clock
(``EST``), cues that cannot be called (a GO with no standby before it, a standby too close
to its GO), and what a draft's segments do not say yet (a flag raising with no flag). Each
finding says where it is (the file and line when the programme was loaded from a file) and
how serious it is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta

import attrs

from ceremony.durations import format_duration
from ceremony.errors import Path, TimingError
from ceremony.findings import Finding as Finding  # noqa: PLC0414 - re-exported
from ceremony.findings import Severity as Severity  # noqa: PLC0414 - re-exported
from ceremony.model import Ceremony, CompetitionSession, Programme, ScheduleStatus
from ceremony.model.cues import Call, cue_at, department_name, pair_standbys, standby_lead
from ceremony.model.references import unknown_references
from ceremony.timing import Slot, Timeline, resolve
from ceremony.zones import placeless, utc, zone

_TIMELESS = {ScheduleStatus.UNSCHEDULED, ScheduleStatus.POSTPONED, ScheduleStatus.CANCELLED}


def check(programme: Programme) -> list[Finding]:
    """Every finding in the programme, in file order (errors before warnings on one line)."""
    findings = [
        *_zone_findings(programme),
        *_reference_findings(programme),
        *_ceremony_findings(programme),
        *_draft_findings(programme),
        *_session_findings(programme),
    ]
    source = programme.source
    located = [
        attrs.evolve(
            finding,
            file=source.file,
            line=source.line(finding.path),
            location=source.where(finding.path),
        )
        if source
        else finding
        for finding in findings
    ]
    order = list(Severity)
    return sorted(located, key=lambda f: (f.line or 0, order.index(f.severity)))


def _finding(severity: Severity, code: str, message: str, path: Path) -> Finding:
    return Finding(severity=severity, code=code, message=message, path=path)


def _reference_findings(programme: Programme) -> Iterator[Finding]:
    for reference in unknown_references(programme):
        yield _finding(
            Severity.ERROR,
            "unknown-reference",
            f"unknown {reference.target} {reference.id!r}",
            reference.path,
        )


def _zone_findings(programme: Programme) -> Iterator[Finding]:
    """Zones that are abbreviations or fixed offsets (``EST``), not a place's clock."""
    named: list[tuple[str | None, Path]] = [(programme.timezone, ("timezone",))]
    named += [
        (venue.timezone, ("venues", i, "timezone")) for i, venue in enumerate(programme.venues)
    ]
    for name, path in named:
        if name is not None and (why := placeless(name)) is not None:
            yield _finding(Severity.WARNING, "zone-not-a-place", why, path)


# --- ceremonies -------------------------------------------------------------------------

_DESCRIBED_BY: dict[str, tuple[str, ...]] = {
    "flag_raising": ("flag",),
    "flag_lowering": ("flag",),
    "flag_handover": ("flag",),
    "anthem": ("anthem",),
    "victory_ceremony": ("event",),
}
"""The fields that say what a segment of each kind is about, which its outputs show."""


def _draft_findings(programme: Programme) -> Iterator[Finding]:
    """A segment whose kind's descriptive field is not given yet (a draft): info."""
    for index, ceremony in enumerate(programme.ceremonies):
        for path, segment in ceremony.walk():
            wanted = _DESCRIBED_BY.get(segment.kind, ())
            for field in attrs.fields(type(segment)):
                if field.name in wanted and getattr(segment, field.name) is None:
                    what = segment.kind_label.lower()
                    yield _finding(
                        Severity.INFO,
                        "no-detail",
                        f"{what} {segment.id!r} has no {field.name}: sheets and feeds will "
                        f"say only {segment.label!r}",
                        ("ceremonies", index, *path, "id"),
                    )


# --- ceremonies: timing ----------------------------------------------------------------


def _ceremony_findings(programme: Programme) -> Iterator[Finding]:
    for index, ceremony in enumerate(programme.ceremonies):
        prefix: Path = ("ceremonies", index)
        yield from _outside_dates(programme, ceremony.start, ceremony.venue, prefix, "ceremony")
        try:
            timeline = resolve(programme, ceremony=ceremony.id)
        except TimingError as exc:
            yield _finding(Severity.ERROR, "timing", exc.message, exc.path or prefix)
            continue
        yield from _segment_findings(ceremony, timeline, prefix)
        yield from _hard_out_findings(timeline, prefix)
        yield from _cue_findings(programme, ceremony, timeline, prefix)


def _segment_findings(ceremony: Ceremony, timeline: Timeline, prefix: Path) -> Iterator[Finding]:
    segments = {segment.id: segment for _, segment in ceremony.walk()}
    for slot in timeline.slots:
        path = (*prefix, *slot.path)
        segment = segments[slot.id]
        if segment.duration is None and segment.end is None and slot.kind != "act":
            yield _finding(
                Severity.WARNING,
                "no-duration",
                f"{slot.id!r} has no duration (counted as 0)",
                (*path, "id"),
            )
        if segment.end is not None and utc(segment.end) < slot.start.expected:
            yield _finding(
                Severity.ERROR,
                "squeezed",
                f"{slot.id!r} must end at its locked end, "
                f"{format_duration(slot.start.expected - utc(segment.end))} before it "
                "can start",
                (*path, "end"),
            )
        if slot.gap_before is not None and slot.gap_before < timedelta(0):
            yield _finding(Severity.ERROR, "overlap", _overlap_message(slot), (*path, "start"))
        elif slot.gap_before and slot.hard:
            yield _finding(
                Severity.INFO,
                "gap",
                f"{format_duration(slot.gap_before)} gap before {slot.id!r}",
                (*path, "start"),
            )
        if slot.over_under is not None and slot.over_under > timedelta(0):
            yield _finding(
                Severity.WARNING,
                "over-target",
                f"act {slot.id!r} runs {format_duration(slot.over_under)} over its "
                f"target of {format_duration(slot.target or timedelta(0))}",
                (*path, "target"),
            )


def _overlap_message(slot: Slot) -> str:
    amount = format_duration(-(slot.gap_before or timedelta(0)))
    before = f"{slot.previous!r}" if slot.previous else "its act"
    why = " (hard start)" if slot.hard else ""
    return f"{slot.id!r} starts {amount} before {before} ends{why}"


def _hard_out_findings(timeline: Timeline, prefix: Path) -> Iterator[Finding]:
    if timeline.hard_out is None:
        return
    over = timeline.end.expected - timeline.hard_out
    worst = timeline.end.latest - timeline.hard_out
    if over > timedelta(0):
        yield _finding(
            Severity.ERROR,
            "over-hard-out",
            f"{timeline.id!r} is expected to end {format_duration(over)} past its hard out",
            (*prefix, "hard_out"),
        )
    elif worst > timedelta(0):
        yield _finding(
            Severity.WARNING,
            "may-pass-hard-out",
            f"{timeline.id!r} may end up to {format_duration(worst)} past its hard "
            "out (the longest durations)",
            (*prefix, "hard_out"),
        )


# --- ceremonies: cues -------------------------------------------------------------------


def _cue_findings(
    programme: Programme, ceremony: Ceremony, timeline: Timeline, prefix: Path
) -> Iterator[Finding]:
    """GOs with no standby before them, and standbys too close to their GO: warnings.

    Standbys and GOs are paired by :func:`~ceremony.model.cues.pair_standbys`; the lead a
    department needs is its ``departments:`` ``standby`` (30s unless it says).
    """
    slots = {slot.id: slot for slot in timeline.slots}
    calls: list[Call] = []
    where: list[tuple[Path, str]] = []
    for path, segment in ceremony.walk():
        slot = slots.get(segment.id)
        if slot is None:  # unscheduled: its cues are not called
            continue
        for index, cue in enumerate(segment.cues):
            at = cue_at(cue, slot.start.expected, slot.end.expected)
            calls.append(
                Call(department=cue.department, label=cue.label, standby=cue.standby, at=at)
            )
            where.append(((*prefix, *path, "cues", index), segment.id))
    pairs = pair_standbys(calls)
    departments = programme.departments
    for index, call in enumerate(calls):
        if call.standby:
            continue
        name = department_name(call.department, departments)
        go = f"{call.label or name} GO"
        path, item = where[index]
        if index not in pairs:
            yield _finding(
                Severity.WARNING,
                "go-without-standby",
                f"{go} in {item!r} has no standby before it",
                path,
            )
            continue
        standby = pairs[index]
        lead, needed = call.at - calls[standby].at, standby_lead(call.department, departments)
        if lead < needed:
            standby_path, standby_item = where[standby]
            warning = f"Standby {calls[standby].label or call.label or name}"
            yield _finding(
                Severity.WARNING,
                "standby-too-close",
                f"{warning} in {standby_item!r} comes {format_duration(lead)} before {go} "
                f"in {item!r}; {name} needs {format_duration(needed)}",
                (*standby_path, "when"),
            )


# --- sessions ---------------------------------------------------------------------------


def _session_findings(programme: Programme) -> Iterator[Finding]:
    leaves: list[tuple[Path, CompetitionSession, datetime, datetime]] = []
    for path, session in programme.all_sessions():
        if session.start is None:
            if session.status not in _TIMELESS:
                yield _finding(
                    Severity.WARNING,
                    "no-time",
                    f"session {session.id!r} has no start but is {session.status.value}",
                    (*path, "id"),
                )
            continue
        yield from _outside_dates(programme, session.start, session.venue, path, "session")
        if session.ends is None and not session.units:
            yield _finding(
                Severity.WARNING,
                "no-duration",
                f"session {session.id!r} has no end or duration",
                (*path, "id"),
            )
        if session.units or session.status is ScheduleStatus.CANCELLED:
            continue
        leaves.append((path, session, utc(session.start), utc(session.ends or session.start)))
    yield from _clashes(leaves, _venue_keys, "venue-clash", Severity.ERROR)
    yield from _clashes(
        leaves,
        lambda s: [(a, f"athlete {a!r}") for a in s.athletes],
        "athlete-clash",
        Severity.ERROR,
    )
    yield from _clashes(leaves, _delegation_keys, "delegation-clash", Severity.WARNING)


def _delegation_keys(session: CompetitionSession) -> list[tuple[object, str]]:
    """Delegation keys of a session that names no athletes (a team taking part).

    Different athletes of one delegation compete at the same time all the time, so only a
    delegation taking part as a whole can be in two places at once.
    """
    if session.athletes:
        return []
    return [(delegation, f"delegation {delegation!r}") for delegation in session.delegations]


def _venue_keys(session: CompetitionSession) -> list[tuple[object, str]]:
    if session.venue is None:
        return []
    where = f"venue {session.venue!r}" + (f" ({session.location})" if session.location else "")
    return [((session.venue, session.location), where)]


def _clashes(
    leaves: list[tuple[Path, CompetitionSession, datetime, datetime]],
    keys: Callable[[CompetitionSession], list[tuple[object, str]]],
    code: str,
    severity: Severity,
) -> Iterator[Finding]:
    """Pairs of sessions that share a key (venue, athlete ...) and overlap in time."""
    by_key: dict[object, list[tuple[datetime, datetime, Path, CompetitionSession, str]]] = (
        defaultdict(list)
    )
    for path, session, start, end in leaves:
        for key, label in keys(session):
            by_key[key].append((start, end, path, session, label))
    for entries in by_key.values():
        entries.sort(key=lambda entry: (entry[0], entry[2]))
        active: list[tuple[datetime, datetime, Path, CompetitionSession, str]] = []
        for entry in entries:
            start, _end, path, session, label = entry
            active = [other for other in active if other[1] > start]
            for other in active:
                yield _finding(
                    severity,
                    code,
                    f"{label} is in {other[3].id!r} and {session.id!r} at once "
                    f"({format_duration(min(other[1], entry[1]) - start)} overlap)",
                    (*path, "start"),
                )
            active.append(entry)


# --- dates ------------------------------------------------------------------------------


def _outside_dates(
    programme: Programme, start: datetime, venue: str | None, path: Path, what: str
) -> Iterator[Finding]:
    if programme.dates is None:
        return
    try:
        day: date = start.astimezone(zone(programme.zone_name(venue))).date()
    except ValueError:
        day = start.date()
    if not programme.dates.start <= day <= programme.dates.end:
        yield _finding(
            Severity.ERROR,
            "outside-dates",
            f"{what} on {day.isoformat()} is outside the programme's dates "
            f"({programme.dates.start.isoformat()} to "
            f"{programme.dates.end.isoformat()})",
            (*path, "start"),
        )
