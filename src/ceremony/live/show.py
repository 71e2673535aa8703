"""The live show: one ceremony, its actuals file, and the state every screen and client reads.

:class:`LiveShow` is the server's one piece of state. It reads the show's actuals file when
made (so a restarted server resumes where the last one stopped), writes every change
through the locked, synced writers of :mod:`ceremony.io.actualsfile` before saying it is
done, and re-resolves the ceremony through one :class:`~ceremony.Rundown`. It never reads
the clock: every call takes ``now``. It is not thread-safe; the server calls it under one
lock. Marks another process adds to the file (``ceremony record``) are read in at the next
state.

The state (:meth:`LiveShow.state`) is the object ``ceremony timeline FILE --actuals A --now
NOW --format json`` prints in ``timelines`` for the ceremony (same keys, times in the show's
zone; ``now`` is the server's time), with these keys added:

- ``current``: the id of the item running now (the latest started item that is not an act,
  on the main track if one is running there), or null;
- ``current_due``: when that item is due to end (its recorded start, its length or fixed
  end, and its extensions), never stretched to ``now`` as its projected ``end`` is once it
  runs over; null when nothing runs;
- ``next``: the id of the item GO would start (the first upcoming item, not an act, on the
  main track, after the current one), or null;
- ``message``: the line the caller set for the presenter's timer, or null;
- ``zones``: more IANA zones to show clocks in (``--tz``), the show's own not repeated;
- ``cues``: the cues still to come (GO after now, or at now on an edge not yet
  recorded) and those whose GO came in the last ``CUE_KEPT`` (5 s, so a cue fired by GO
  shows "GO" before it goes), soonest first, each
  ``{item, department, department_name, label, text, call, at, standby}`` (the name as
  sheets print it: ``LX``): ``call`` is ``"standby"`` when
  the cue's text starts with "Standby", else ``"go"``; ``at`` is the projected GO instant
  and ``standby`` that less ``standby_lead``;
- ``standby_lead``: how long before its GO a cue is stood by (``60s``);
- ``visibility``: item id to ``"public"`` or ``"crew"`` (crew-only items, and everything
  inside a crew-only act, are never shown to the public);
- ``programme``, ``revision``, ``venue``: the programme's name and revision, the venue's name;
- ``now_ms``: ``now`` as milliseconds since the Unix epoch (a browser's clock offset is
  ``now_ms - Date.now()``); the show is resolved at ``now`` in whole seconds (as
  ``--now`` reads it), so ``now`` and every duration in the state are whole seconds while
  ``now_ms`` keeps the milliseconds;
- ``version``: how many changes this server has made (0 at start); a state with a higher
  version replaces one with a lower.

:func:`public_state` is the state without what only the crew sees (``?public=1``).
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ceremony.durations import format_duration
from ceremony.errors import CeremonyError, ModelError, TimingError
from ceremony.export.timeline import timeline_to_dict
from ceremony.io.actualsfile import (
    load_actuals,
    parse_time,
    read_extension,
    record_extension,
    record_marks,
    undo_mark,
)
from ceremony.model import Act, Actuals, CueEdge, MarkEdge, Programme, Visibility
from ceremony.model.cues import department_name
from ceremony.model.programme import Ceremony
from ceremony.model.segments import Segment
from ceremony.timing import Rundown, Slot, Timeline, TimeWindow
from ceremony.timing.graph import Rule, end_node, start_node
from ceremony.zones import zone

log = logging.getLogger("ceremony.live")

STANDBY_LEAD = timedelta(seconds=60)
"""How long before its GO a cue is stood by, unless told otherwise."""

CUE_KEPT = timedelta(seconds=5)
"""How long a cue stays in the state after its GO (the screens show "GO" meanwhile)."""


class LiveShow:
    """A ceremony being run: its actuals (kept in ``actuals_file``) and the caller's message.

    ``ceremony_id`` picks the ceremony (default: the one the actuals file is for, else the
    programme's only one). ``zones`` are more zones for the clocks.
    """

    def __init__(
        self,
        programme: Programme,
        actuals_file: str | os.PathLike[str],
        *,
        ceremony_id: str | None = None,
        zones: tuple[str, ...] = (),
        standby_lead: timedelta = STANDBY_LEAD,
    ) -> None:
        self.programme = programme
        self.actuals_file = Path(actuals_file)
        actuals = load_actuals(self.actuals_file, programme) if self.actuals_file.exists() else None
        chosen = ceremony_id or (actuals.ceremony if actuals else None)
        self.ceremony: Ceremony = programme.ceremony(chosen)
        if actuals is not None and actuals.ceremony != self.ceremony.id:
            raise TimingError(
                f"{self.actuals_file} holds the actuals of {actuals.ceremony!r}, "
                f"not {self.ceremony.id!r}"
            )
        self.actuals: Actuals = actuals or Actuals(ceremony=self.ceremony.id)
        self._signature = self._file_signature()
        self.rundown = Rundown(programme, ceremony=self.ceremony.id)
        self.zone = self.rundown.zone
        self.zones = tuple(name for name in dict.fromkeys(zones) if name != self.zone)
        for name in self.zones:
            zone(name)  # an unknown zone is refused now, not at the first state
        self.standby_lead = standby_lead
        self.message: str | None = None
        self.version = 0
        self._segments = {segment.id: segment for _, segment in self.ceremony.walk()}
        self._index = {item.segment.id: n for n, item in enumerate(self.rundown.graph.items)}
        self._resolved: tuple[Actuals, datetime, Timeline] | None = None
        self._visibility = _visibility(self.ceremony.segments, crew=False)
        venue = programme.venue(self.ceremony.venue) if self.ceremony.venue else None
        self._venue = None if venue is None else venue.name

    # --- reading ------------------------------------------------------------------------

    def timeline(self, now: datetime) -> Timeline:
        """The ceremony projected from the actuals as known at ``now``.

        Resolved once per actuals and instant: a GO right after a state (same second, no
        change since) reuses that state's timeline.
        """
        self.read_changes()
        last = self._resolved
        if last is not None and last[0] is self.actuals and last[1] == now:
            return last[2]
        timeline = self.rundown.resolve(self.actuals, now)
        self._resolved = (self.actuals, now, timeline)
        return timeline

    def read_changes(self) -> bool:
        """Read the file again if another process changed it; True when the actuals changed.

        A file that can no longer be read (damaged by hand) is logged and left aside: the
        show goes on with the actuals it had.
        """
        signature = self._file_signature()
        if signature == self._signature:
            return False
        self._signature = signature
        try:
            actuals = (
                Actuals(ceremony=self.ceremony.id)
                if signature is None
                else load_actuals(self.actuals_file, self.programme)
            )
            if actuals.ceremony != self.ceremony.id:
                raise TimingError(f"the file now holds the actuals of {actuals.ceremony!r}")
        except CeremonyError as error:
            log.warning(
                "%s changed and cannot be read, so it is left aside: %s", self.actuals_file, error
            )
            return False
        if actuals == self.actuals:
            return False
        self.actuals = actuals
        self.version += 1
        return True

    def _file_signature(self) -> tuple[int, int, int] | None:
        """What changes when the file is written (it is replaced whole): None when missing."""
        try:
            stat = self.actuals_file.stat()
        except FileNotFoundError:
            return None
        return stat.st_ino, stat.st_mtime_ns, stat.st_size

    def state(self, now: datetime) -> dict[str, Any]:
        """The state at ``now`` (see the module's docstring for its keys).

        The show is resolved at ``now`` less its fraction of a second; ``now_ms`` keeps it.
        """
        moment = now.replace(microsecond=0)
        timeline = self.timeline(moment)
        data = timeline_to_dict(timeline, programme=self.programme)
        current, upcoming = _current_and_next(timeline)
        tz = zone(self.zone)
        due = None if current is None else self.due(current, moment)
        data.update(
            current=None if current is None else current.id,
            current_due=None if due is None else due.astimezone(tz).isoformat(),
            next=None if upcoming is None else upcoming.id,
            message=self.message,
            zones=list(self.zones),
            cues=self._cues(timeline, moment, tz),
            standby_lead=format_duration(self.standby_lead),
            visibility=self._visibility,
            programme=self.programme.name,
            revision=self.programme.revision,
            venue=self._venue,
            now_ms=round(now.timestamp() * 1000),
            version=self.version,
        )
        return data

    def due(self, slot: Slot, now: datetime) -> datetime:
        """When a running item is due to end: its projected end, not stretched to ``now``.

        Once an item runs over, the projection holds its end at ``now``; this is the end
        it had before: from its recorded start, by the rule that ends it (its length, a
        fixed ``end:``, an offset), with the extensions known at ``now``, and never before
        it started (the engine's rules for an end, without the hold at ``now``).
        """
        index = self._index[slot.id]
        node = end_node(index)
        graph = self.rundown.graph
        if slot.actual_start is None or graph.sources[node] != start_node(index):
            return slot.end.expected  # not ended by its own start: nothing holds it at now
        began = TimeWindow.exactly(slot.actual_start)
        rule = graph.rules[node]
        fixed = graph.fixed[node]
        if rule is Rule.LENGTH:
            window = began.shift(*graph.lengths[node])
        elif rule is Rule.FROM:
            window = began + graph.offsets[node]
        elif rule is Rule.LOCKED and fixed is not None:
            window = fixed.not_before(began)
        else:
            return slot.end.expected
        known = [
            extension.by
            for extension in self.actuals.extensions
            if extension.item == slot.id
            and (extension.recorded is None or extension.recorded <= now)
        ]
        if known:
            window = (window + sum(known, timedelta(0))).not_before(began)
        return window.expected.astimezone(slot.end.expected.tzinfo)

    def latest_known(self) -> datetime | None:
        """When the last mark or extension in the log became known (None: nothing recorded)."""
        instants = [mark.known_from for mark in self.actuals.marks]
        instants += [e.recorded for e in self.actuals.extensions if e.recorded is not None]
        return max(instants, default=None)

    # --- changing -----------------------------------------------------------------------

    def mark(self, item: str, edge: str, at: str | None, now: datetime) -> None:
        """Record that ``item`` started or ended (``edge``) ``at`` (default: ``now``).

        A :class:`~ceremony.errors.CeremonyError` says why a mark is refused (an unknown
        item or edge, a time in the future, an end before its start); nothing is written.
        """
        try:
            mark_edge = MarkEdge(edge)
        except ValueError:
            raise ModelError(f"edge must be start or end, not {edge!r}") from None
        self._known(item)
        self.read_changes()
        when = self._instant(at, now)
        known = self.actuals.known_at(now)
        if mark_edge is MarkEdge.END:
            began = known.starts().get(item)
            if began is not None and when < began:
                raise TimingError(f"{item!r} cannot end before it started", item=item)
        else:
            ended = known.ends().get(item)
            if ended is not None and when > ended:
                raise TimingError(f"{item!r} cannot start after it ended", item=item)
        self._write([(item, mark_edge, when)], when, now)

    def go(self, at: str | None, now: datetime) -> None:
        """End the item running now (if any) and start the next one, ``at`` (default: now)."""
        when = self._instant(at, now)
        current, upcoming = _current_and_next(self.timeline(now.replace(microsecond=0)))
        if current is None and upcoming is None:
            raise TimingError("nothing is running and nothing is left to start")
        marks: list[tuple[str, MarkEdge, datetime]] = []
        if current is not None:
            if current.actual_start is not None and when < current.actual_start:
                raise TimingError(f"{current.id!r} cannot end before it started", item=current.id)
            marks.append((current.id, MarkEdge.END, when))
        if upcoming is not None:
            marks.append((upcoming.id, MarkEdge.START, when))
        self._write(marks, when, now)

    def undo(self) -> None:
        """Take the last mark out of the file; nothing to undo is a TimingError."""
        self.actuals, _ = undo_mark(self.actuals_file, self.programme, ceremony_id=self.ceremony.id)
        self._written()

    def extend(self, item: str | None, by: str, now: datetime) -> None:
        """Tell the projection ``item`` (default: the current one) runs ``by`` longer or shorter."""
        amount = read_extension(by)
        if item is None:
            current, _ = _current_and_next(self.timeline(now.replace(microsecond=0)))
            if current is None:
                raise TimingError("nothing is running: say which item to extend")
            item = current.id
        self._known(item)
        self.read_changes()
        if item in self.actuals.known_at(now).ends():
            raise TimingError(f"{item!r} is over: its end is recorded", item=item)
        self.actuals = record_extension(
            self.actuals_file,
            self.programme,
            item,
            amount,
            ceremony_id=self.ceremony.id,
            recorded=_to_the_second(now),
        )
        self._written()

    def set_message(self, text: str | None) -> None:
        """Set (or with None or blank text, clear) the presenter's message."""
        if text is not None and len(text) > 500:
            raise ModelError("a message is at most 500 characters")
        self.message = text.strip() or None if text is not None else None
        self.version += 1

    # --- helpers ------------------------------------------------------------------------

    def _known(self, item: str) -> Segment:
        segment = self._segments.get(item)
        if segment is None:
            raise TimingError(f"no item {item!r} in {self.ceremony.id!r}", item=item)
        return segment

    def _instant(self, at: str | None, now: datetime) -> datetime:
        """``at`` read as the ceremony reads times (default: ``now``); never in the future."""
        if at is None:
            return _to_the_second(now)
        when = parse_time(at, self.programme, self.ceremony.id)
        if when > now:
            shown = now.astimezone(zone(self.zone)).isoformat(timespec="seconds")
            read = when.isoformat(timespec="seconds")
            raise TimingError(
                f"{at!r} (read as {read}) is in the future (the show's clock reads {shown})"
            )
        return when

    def _write(
        self, marks: list[tuple[str, MarkEdge, datetime]], when: datetime, now: datetime
    ) -> None:
        """Write ``marks`` in one go; a mark entered after the fact says when it was entered."""
        entered = _to_the_second(now).astimezone(zone(self.zone))  # on the show's clock
        recorded = None if when >= entered else entered
        self.actuals = record_marks(
            self.actuals_file,
            self.programme,
            [(item, edge, at) for item, edge, at in marks],
            ceremony_id=self.ceremony.id,
            recorded=recorded,
        )
        self._written()

    def _written(self) -> None:
        """After a write: the file as written is the one known, and the state moved on."""
        self._signature = self._file_signature()
        self.version += 1

    def _cues(self, timeline: Timeline, now: datetime, tz: Any) -> list[dict[str, Any]]:
        """The cues to come and those fired in the last ``CUE_KEPT``, soonest first."""
        found: list[tuple[datetime, int, dict[str, Any]]] = []
        kept_from = now - CUE_KEPT
        for slot in timeline.slots:
            if slot.state == "done" and slot.end.expected < kept_from:
                continue
            for cue in self._segments[slot.id].cues:
                at = _cue_instant(slot, cue.when)
                if at < kept_from or (slot.state == "done" and at > now):
                    continue  # fired a while ago, or never to fire (its item ended first)
                standby = cue.text.strip().lower().startswith("standby")
                entry = {
                    "item": slot.id,
                    "department": cue.department,
                    "department_name": department_name(cue.department, self.programme.departments),
                    "label": cue.label,
                    "text": cue.text,
                    "call": "standby" if standby else "go",
                    "at": at.astimezone(tz).isoformat(),
                    "standby": (at - self.standby_lead).astimezone(tz).isoformat(),
                }
                found.append((at, len(found), entry))
        return [entry for _, _, entry in sorted(found, key=lambda row: row[:2])]


def _current_and_next(timeline: Timeline) -> tuple[Slot | None, Slot | None]:
    """The item running now and the one GO starts next (see the module's docstring)."""
    leaves = [(index, slot) for index, slot in enumerate(timeline.slots) if slot.kind != "act"]
    running = [(index, slot) for index, slot in leaves if slot.state == "running"]
    main = [(index, slot) for index, slot in running if slot.track is None]
    pool = main or running
    current = max(pool, key=lambda row: (row[1].start.expected, row[0]), default=None)
    after = -1 if current is None or current[1].track is not None else current[0]
    upcoming = next(
        (
            slot
            for index, slot in leaves
            if index > after and slot.state == "upcoming" and slot.track is None
        ),
        None,
    )
    return (None if current is None else current[1]), upcoming


def _cue_instant(slot: Slot, when: CueEdge | timedelta) -> datetime:
    if when is CueEdge.START:
        return slot.start.expected
    if when is CueEdge.END:
        return slot.end.expected
    assert isinstance(when, timedelta)  # noqa: S101 - CueWhen is an edge or an offset
    return slot.start.expected + when


def _visibility(segments: tuple[Segment, ...], *, crew: bool) -> dict[str, str]:
    """Item id to ``public`` or ``crew``; inside a crew-only act, everything is crew."""
    seen: dict[str, str] = {}
    for segment in segments:
        hidden = crew or segment.visibility is Visibility.CREW
        seen[segment.id] = "crew" if hidden else "public"
        if isinstance(segment, Act):
            seen.update(_visibility(segment.segments, crew=hidden))
    return seen


def _to_the_second(now: datetime) -> datetime:
    """``now`` without its fraction of a second (as ``ceremony record`` writes marks)."""
    return now.astimezone(UTC).replace(microsecond=0)


def public_state(state: dict[str, Any]) -> dict[str, Any]:
    """``state`` as the public may see it (``?public=1``, the ``/clock`` screen).

    Crew-only items are left out everywhere: their slots, their ids in ``visibility`` and
    ``skipped``, ``current``/``next`` (null when crew-only) and ``current_due``. Cues and the
    caller's message are for the crew and the presenter: ``cues`` is empty, ``message``
    null. What the show adds up to (its end, its lateness) stays, without any crew title.
    """
    crew = {item for item, seen in state["visibility"].items() if seen == "crew"}
    public = dict(state)
    public.update(
        slots=[slot for slot in state["slots"] if slot["id"] not in crew],
        skipped=[item for item in state["skipped"] if item not in crew],
        visibility={item: seen for item, seen in state["visibility"].items() if seen != "crew"},
        current=None if state["current"] in crew else state["current"],
        current_due=None if state["current"] in crew else state["current_due"],
        next=None if state["next"] in crew else state["next"],
        cues=[],
        message=None,
    )
    return public
