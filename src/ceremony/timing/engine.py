"""Resolving a plan into a :class:`Timeline`: when every item starts and ends.

Every start and end is a :class:`Window` (earliest, expected, latest); with
:class:`~ceremony.Actuals` and ``now`` the timeline is live, and with a hard out every item
is back-timed. The rules (soft and hard starts, anchors, acts, tracks, skips, locked ends,
live projection) are explained in the docs' "How times are worked out" (docs/timing.md).

Plan problems (overlaps, a show past its hard out) are not raised here; the timeline
shows them and :func:`ceremony.check` turns them into findings. Only a plan that cannot
be worked out at all (an anchor cycle, an anchor to nothing, times running more than
:data:`~ceremony.limits.MAX_DURATION` outside the supported dates) raises
:class:`TimingError`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta
from typing import Any

import attrs

from ceremony.errors import TimingError
from ceremony.limits import EARLIEST_DATE, LATEST_DATE, MAX_DURATION, date_range_text
from ceremony.model import Act, Actuals, Ceremony, Programme
from ceremony.timing.graph import Graph, Item, Rule, compile_ceremony, end_node, start_node
from ceremony.timing.schedule import resolve_schedule
from ceremony.timing.timeline import Slot, State, Timeline
from ceremony.timing.windows import TimeWindow, latest_of
from ceremony.zones import utc


def resolve(
    source: Programme | Ceremony,
    *,
    ceremony: str | None = None,
    actuals: Actuals | None = None,
    now: datetime | None = None,
) -> Timeline:
    """Resolve a ceremony, or a programme's competition schedule, into a timeline.

    With a programme: ``ceremony`` picks a ceremony by id; without it, a programme with
    exactly one ceremony resolves that one, and one with none resolves its sessions.
    People are named from the programme; resolving a bare ceremony names them by id.

    ``actuals`` and ``now`` make a live timeline (see :meth:`Rundown.resolve`). To resolve
    the same show again and again (once per new mark), keep a :class:`Rundown`.
    """
    if isinstance(source, Programme) and ceremony is None and not source.ceremonies:
        if actuals is not None:
            raise TimingError("actuals are recorded for a ceremony; this programme has none")
        return resolve_schedule(source)
    return Rundown(source, ceremony=ceremony).resolve(actuals=actuals, now=now)


class Rundown:
    """A ceremony compiled once and resolved as often as needed.

    The plan (and its back-timing) is worked out once; each :meth:`resolve` with new
    actuals only re-projects, which is what a live show does every time a mark comes in.
    What did not change since the previous :meth:`resolve` (the items already done) is
    taken over from it rather than built again, so keep one ``Rundown`` per show display
    (it remembers that previous result; it is not meant to be shared between threads).
    """

    def __init__(self, source: Programme | Ceremony, *, ceremony: str | None = None) -> None:
        self._programme = source if isinstance(source, Programme) else None
        with _located(self._programme):
            if isinstance(source, Ceremony):
                self.ceremony = source
                names: dict[str, str] = {}
                self.zone = str(getattr(source.start.tzinfo, "key", source.start.tzinfo))
                sessions = {}
            else:
                self.ceremony = source.ceremony(ceremony)
                names = source.person_names()
                self.zone = source.zone_name(self.ceremony.venue)
                sessions = {session.id: session for _, session in source.all_sessions()}
            self.graph: Graph = compile_ceremony(self.ceremony, sessions)
            self.show_start = utc(self.ceremony.start)
            self.hard_out = None if self.ceremony.hard_out is None else utc(self.ceremony.hard_out)
            self._opening = TimeWindow.exactly(self.show_start)
            self.planned = _plan_pass(self.graph, self._opening)
            planned_ends = [
                self.planned[end_node(index)]
                for index, item in enumerate(self.graph.items)
                if not item.skipped
            ]
            self.planned_end = latest_of(planned_ends).expected if planned_ends else self.show_start
            self.floats = _floating(self.graph)
            self.deadlines = _backtime(self.graph, self.hard_out)
            self._static = [
                self._static_fields(index, names) for index in range(len(self.graph.items))
            ]
            self._plan: Timeline | None = None
            self._last: tuple[_Marks, list[TimeWindow], list[Slot | None]] | None = None

    def _static_fields(self, index: int, names: dict[str, str]) -> dict[str, Any] | None:
        """The fields of an item's slot that no mark can change (None: skipped)."""
        item = self.graph.items[index]
        if item.skipped:
            return None
        segment = item.segment
        return {
            "id": segment.id,
            "kind": segment.kind,
            "title": segment.label,
            "depth": item.depth,
            "track": segment.track,
            "hard": isinstance(segment.start, datetime),
            "floats": self.floats[start_node(index)],
            "previous": None
            if item.previous is None
            else self.graph.items[item.previous].segment.id,
            "must_start_by": self.deadlines[start_node(index)],
            "who": tuple((role, names.get(person, person)) for role, person in segment.roles()),
            "target": segment.target if isinstance(segment, Act) else None,
            "path": item.path,
            "planned_start": self.planned[start_node(index)].expected,
            "planned_end": self.planned[end_node(index)].expected,
        }

    def latest_starts(self, *, worst: bool = False) -> dict[str, datetime]:
        """Back-timing: each item's latest start that still lands the show on its hard out.

        With ``worst``, everything after an item is taken to run its longest (the ``max``
        of a ranged duration) rather than its expected length. Empty without a hard out.
        """
        deadlines = _backtime(self.graph, self.hard_out, worst=worst) if worst else self.deadlines
        return {
            item.segment.id: deadline
            for index, item in enumerate(self.graph.items)
            if not item.skipped and (deadline := deadlines[start_node(index)]) is not None
        }

    @property
    def plan(self) -> Timeline:
        """The timeline of the plan (no actuals)."""
        if self._plan is None:
            self._plan = self._timeline(self.planned, None, None)[0]
        return self._plan

    def resolve(self, actuals: Actuals | None = None, now: datetime | None = None) -> Timeline:
        """The timeline projected from ``actuals`` as known at ``now``.

        Items with a recorded end are ``done``; one with only a recorded start is
        ``running`` (its end no earlier than ``now``); the rest are ``upcoming`` and start
        no earlier than ``now``. Marks recorded after ``now`` are ignored. Without actuals
        and ``now`` this is :attr:`plan`.
        """
        if actuals is None and now is None:
            return self.plan
        with _located(self._programme):
            moment = None if now is None else utc(now)
            log = actuals or Actuals()
            if log.ceremony is not None and log.ceremony != self.ceremony.id:
                raise TimingError(
                    f"the actuals are for {log.ceremony!r}, not {self.ceremony.id!r}",
                    item=log.ceremony,
                )
            if moment is not None:
                log = log.known_at(moment)
            marks = _Marks(self.graph, log)
            last = self._last
            windows = _live_pass(
                self.graph,
                self.planned,
                self._opening,
                marks,
                moment,
                last=None if last is None else last[:2],
            )
            timeline, slots = self._timeline(windows, marks, moment)
            self._last = (marks, windows, slots)
            return timeline

    def _timeline(
        self, windows: list[TimeWindow], marks: _Marks | None, now: datetime | None
    ) -> tuple[Timeline, list[Slot | None]]:
        graph, show_start, hard_out = self.graph, self.show_start, self.hard_out
        last_windows, last_slots = (None, None) if self._last is None else self._last[1:]
        built: list[Slot | None] = [None] * len(graph.items)
        skipped: list[str] = []
        for index, item in enumerate(graph.items):
            static = self._static[index]
            if static is None:
                if item.segment.skip:
                    skipped.append(item.segment.id)
                continue
            start, end = windows[2 * index], windows[2 * index + 1]
            before = _before(windows, item, self._opening)
            state: State = "planned" if marks is None else marks.state(index)
            if (
                state == "done"
                and last_slots is not None
                and last_windows is not None
                and (old := last_slots[index]) is not None
                and old.state == "done"
                and start is last_windows[2 * index]
                and end is last_windows[2 * index + 1]
                and (before is None or before is _before(last_windows, item, self._opening))
            ):
                built[index] = old  # done before and unchanged since: nothing to redo
                continue
            actual_start = actual_end = elapsed = remaining = None
            if marks is not None:
                actual_start = marks.starts.get(index)
                actual_end = marks.ends.get(index)
                if state == "running" and now is not None and actual_start is not None:
                    elapsed = now - actual_start
                    remaining = max(end.expected - now, timedelta(0))
            built[index] = Slot(
                **static,
                start=start,
                end=end,
                gap_before=None if before is None else start.expected - before.expected,
                running=start.expected - show_start,
                to_hard_out=None if hard_out is None else hard_out - end.expected,
                state=state,
                actual_start=actual_start,
                actual_end=actual_end,
                elapsed=elapsed,
                remaining=remaining,
            )
        slots = [slot for slot in built if slot is not None]
        timeline = Timeline(
            id=self.ceremony.id,
            title=self.ceremony.title,
            kind="ceremony",
            zone=self.zone,
            start=show_start,
            end=latest_of(slot.end for slot in slots) if slots else self._opening,
            hard_out=hard_out,
            slots=tuple(slots),
            skipped=tuple(skipped),
            planned_end=self.planned_end,
            now=now,
            live=marks is not None,
        )
        return timeline, built


@contextmanager
def _located(programme: Programme | None) -> Iterator[None]:
    """A :class:`TimingError` raised inside, located in ``programme`` (file, line, path)."""
    try:
        yield
    except TimingError as error:
        located = error if programme is None else programme.locate(error)
        if located is error:
            raise
        raise located.with_traceback(error.__traceback__) from None


def _before(windows: list[TimeWindow], item: Item, opening: TimeWindow) -> TimeWindow | None:
    """The window an item's gap is measured from (None: first on a side track)."""
    if item.previous is not None:
        return windows[2 * item.previous + 1]
    if item.segment.track is None and item.container is not None:
        return windows[2 * item.container]
    return opening if item.segment.track is None else None


class _Marks:
    """Recorded starts, ends and extensions by item index, and which items are under way or over.

    An act is under way once any of its children is (it began when the first of them
    did) and over once all of them are, unless its own start or end is recorded.
    """

    def __init__(self, graph: Graph, actuals: Actuals) -> None:
        self.starts: dict[int, datetime] = {}
        self.ends: dict[int, datetime] = {}
        for table, recorded in ((self.starts, actuals.starts()), (self.ends, actuals.ends())):
            for item_id, instant in recorded.items():
                if item_id not in graph.index:
                    raise TimingError(
                        f"the actuals name {item_id!r}, which is not in {graph.ceremony.id!r}",
                        item=item_id,
                    )
                table[graph.index[item_id]] = instant
        self.extended: dict[int, timedelta] = {}
        for item_id, by in actuals.extended().items():
            if item_id not in graph.index:
                raise TimingError(
                    f"the actuals extend {item_id!r}, which is not in {graph.ceremony.id!r}",
                    item=item_id,
                )
            self.extended[graph.index[item_id]] = by
        self.started = set(self.starts) | set(self.ends)
        self.over = set(self.ends)
        for index in reversed(range(len(graph.items))):  # children come after their act
            children = [c for c in graph.items[index].children if not graph.items[c].skipped]
            if not children:
                continue
            begun = [self.starts[child] for child in children if child in self.starts]
            if begun and index not in self.starts:
                self.starts[index] = min(begun)  # an act begins with its first child
            if any(child in self.started for child in children):
                self.started.add(index)
            if all(child in self.over for child in children):
                self.over.add(index)
                if index not in self.ends:
                    self.ends[index] = max(self.ends[child] for child in children)

    def state(self, index: int) -> State:
        if index in self.over:
            return "done"
        if index in self.started:
            return "running"
        return "upcoming"


_FLOOR = datetime.combine(EARLIEST_DATE, time(), UTC) - MAX_DURATION
_CEILING = datetime.combine(LATEST_DATE + timedelta(days=1), time(), UTC) + MAX_DURATION
"""Worked-out times stay within these: a time read plus one longest duration either way.

Items chained one after the other could otherwise add up past the end of the calendar
(10,000 segments of a year each); every window is checked as it is made, so adding one
bounded duration to the previous one can never overflow.
"""


def _checked(graph: Graph, node: int, window: TimeWindow) -> TimeWindow:
    """``window``, or :class:`TimingError` naming the item when it leaves the calendar."""
    if window.earliest >= _FLOOR and window.latest <= _CEILING:
        return window
    index, is_end = divmod(node, 2)
    item = graph.items[index].segment.id
    outside = window.earliest if window.earliest < _FLOOR else window.latest
    raise TimingError(
        f"{item!r} would {'end' if is_end else 'start'} on {outside.date().isoformat()}, "
        f"too far outside the supported dates ({date_range_text()})",
        item=item,
    )


def _window(
    graph: Graph, node: int, windows: list[TimeWindow], show_start: TimeWindow
) -> TimeWindow:
    """A node's window from the windows of the nodes it reads."""
    rule = graph.rules[node]
    if rule is Rule.FROM:
        return windows[graph.sources[node]] + graph.offsets[node]
    if rule is Rule.LENGTH:
        low, mid, high = graph.lengths[node]
        return windows[graph.sources[node]].shift(low, mid, high)
    if rule is Rule.SHOW_START:
        return show_start
    fixed = graph.fixed[node]
    if rule is Rule.FIXED and fixed is not None:
        return fixed
    if rule is Rule.LOCKED and fixed is not None:
        return fixed.not_before(windows[graph.sources[node]])
    return latest_of(windows[source] for source in graph.lasts[node])


def _plan_pass(graph: Graph, opening: TimeWindow) -> list[TimeWindow]:
    """The plan: every node's window from the show's opening."""
    windows: list[TimeWindow] = [opening] * len(graph.rules)
    for node in graph.order:
        windows[node] = _checked(graph, node, _window(graph, node, windows, opening))
    return windows


def _live_pass(
    graph: Graph,
    planned: list[TimeWindow],
    opening: TimeWindow,
    marks: _Marks,
    now: datetime | None,
    *,
    last: tuple[_Marks, list[TimeWindow]] | None = None,
) -> list[TimeWindow]:
    """The projection: recorded instants as they are, the rest from them.

    Nothing still to come is placed before ``now``: an upcoming item starts no earlier, and
    an item under way ends no earlier. An extension moves an end not yet recorded. Skipped
    items are notional and never held back.
    """
    windows = list(planned)
    for node in graph.order:
        index, is_end = divmod(node, 2)
        recorded = (marks.ends if is_end else marks.starts).get(index)
        if recorded is not None:
            if (
                last is not None
                and (last[0].ends if is_end else last[0].starts).get(index) == recorded
            ):
                windows[node] = last[1][node]  # the same mark as last time: the same window
            else:
                windows[node] = TimeWindow.exactly(recorded)
            continue
        window = _window(graph, node, windows, opening)
        extension = marks.extended.get(index) if is_end else None
        if extension is not None and not graph.items[index].skipped:
            window += extension  # told it will run longer (or shorter): never before it starts
            window = window.not_before(windows[start_node(index)])
        started = marks.starts.get(index)
        ended = marks.ends.get(index)
        if is_end and started is not None:
            window = window.not_before_instant(started)
        if ended is not None:  # a start not recorded, but the item is over: it began by then
            window = TimeWindow(*(min(bound, ended) for bound in attrs.astuple(window)))
        elif now is not None and not graph.items[index].skipped:
            still_to_come = index not in (marks.over if is_end else marks.started)
            if still_to_come:
                window = window.not_before_instant(now)
        windows[node] = _checked(graph, node, window)
    return windows


def _floating(graph: Graph) -> list[bool]:
    """For each node: does it move with the show start (no fixed instant upstream)."""
    floats = [False] * len(graph.rules)
    for node in graph.order:
        rule = graph.rules[node]
        if rule is Rule.SHOW_START:
            floats[node] = True
        elif rule in (Rule.FROM, Rule.LENGTH):
            floats[node] = floats[graph.sources[node]]
        elif rule is Rule.LAST:
            floats[node] = all(floats[source] for source in graph.lasts[node])
    return floats


def _backtime(
    graph: Graph, hard_out: datetime | None, *, worst: bool = False
) -> list[datetime | None]:
    """Back-timing: for each node, the latest instant that still lands the show on time.

    Every end must be by the hard out; a node read by others must leave them time, if
    everything runs its expected length (its longest with ``worst``). All None without a
    hard out. A deadline that
    would fall more than a longest duration outside the supported dates (a long enough
    chain before a hard out) is held there: it is long past either way.
    """
    deadlines: list[datetime | None] = [None] * len(graph.rules)
    if hard_out is None:
        return deadlines
    for index in range(len(graph.items)):
        deadlines[end_node(index)] = hard_out
    for node in reversed(graph.order):
        deadline = deadlines[node]
        if deadline is None:
            continue
        rule = graph.rules[node]
        if rule is Rule.FROM:
            _tighten(deadlines, graph.sources[node], _ahead_of(deadline, graph.offsets[node]))
        elif rule is Rule.LENGTH:
            length = graph.lengths[node][2 if worst else 1]
            _tighten(deadlines, graph.sources[node], _ahead_of(deadline, length))
        elif rule is Rule.LOCKED:
            _tighten(deadlines, graph.sources[node], deadline)
        elif rule is Rule.LAST:
            for source in graph.lasts[node]:
                _tighten(deadlines, source, deadline)
    return deadlines


def _ahead_of(deadline: datetime, length: timedelta) -> datetime:
    """``length`` before ``deadline``, held within the calendar's working range."""
    return min(max(deadline - length, _FLOOR), _CEILING)


def _tighten(deadlines: list[datetime | None], node: int, deadline: datetime) -> None:
    current = deadlines[node]
    if current is None or deadline < current:
        deadlines[node] = deadline
