"""A ceremony compiled into a graph of instants, in an order that resolves it in one pass.

Every item (segment or act, in document order) has two nodes: its start and its end. Each
node has one rule saying how its window follows from other nodes:

- ``SHOW_START``: the ceremony's start (the first item of a track);
- ``FIXED``: a known window (a hard start, an anchor to a competition session);
- ``FROM``: another node plus a signed offset (following, anchors, a skipped item's end);
- ``LENGTH``: the item's own start plus its duration, a range (low, expected, high);
- ``LOCKED``: a fixed end (``end:``), but never before the item's own start;
- ``LAST``: the latest of other nodes (an act ends when its last child ends).

:func:`compile_ceremony` builds the nodes and a topological order; an anchor cycle is a
:class:`~ceremony.TimingError` naming the items in it. Building and ordering cost time
linear in the number of items, and are done once per plan, however often it is resolved.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime, timedelta

import attrs

from ceremony.errors import Path, TimingError
from ceremony.model import Act, Anchor, Ceremony, CompetitionSession, Relation, Segment
from ceremony.model.timing import bounds
from ceremony.timing.windows import TimeWindow
from ceremony.zones import utc

_ZERO = timedelta(0)
_NO_LENGTH = (_ZERO, _ZERO, _ZERO)


class Rule(enum.IntEnum):
    """How a node's window is found (see the module docstring)."""

    SHOW_START = 0
    FIXED = 1
    FROM = 2
    LENGTH = 3
    LOCKED = 4
    LAST = 5


def start_node(index: int) -> int:
    """The start node of the item at ``index``."""
    return 2 * index


def end_node(index: int) -> int:
    """The end node of the item at ``index``."""
    return 2 * index + 1


@attrs.define
class Item:
    """One segment or act of the ceremony, where it sits and what comes before it."""

    segment: Segment
    path: Path
    depth: int
    previous: int | None
    """Index of the item before it on its track in its container (skipped ones passed over)."""
    container: int | None
    """Index of the act it is in (None at the top level)."""
    skipped: bool
    children: list[int] = attrs.field(factory=list)


@attrs.define
class Graph:
    """The compiled ceremony: items, one rule per node, and an order to resolve nodes in."""

    ceremony: Ceremony
    items: list[Item]
    index: dict[str, int]
    rules: list[Rule]
    sources: list[int]
    """FROM, LENGTH and LOCKED: the node read (-1 otherwise)."""
    offsets: list[timedelta]
    """FROM: the signed offset added to the source."""
    lengths: list[tuple[timedelta, timedelta, timedelta]]
    """LENGTH: shortest, expected and longest duration."""
    fixed: list[TimeWindow | None]
    """FIXED and LOCKED: the window."""
    lasts: dict[int, list[int]]
    """LAST: the nodes whose latest it takes."""
    order: list[int]
    """Every node after every node it reads."""


def compile_ceremony(
    ceremony: Ceremony, sessions: Mapping[str, CompetitionSession] | None = None
) -> Graph:
    """Compile a ceremony; ``sessions`` are the competition sessions anchors may name."""
    builder = _Builder(ceremony, sessions or {})
    builder.place(ceremony.segments, ("segments",), 0, None, skipped=False)
    for index in range(len(builder.items)):
        builder.add_rules(index)
    graph = Graph(
        ceremony=ceremony,
        items=builder.items,
        index=builder.index,
        rules=builder.rules,
        sources=builder.sources,
        offsets=builder.offsets,
        lengths=builder.lengths,
        fixed=builder.fixed,
        lasts=builder.lasts,
        order=[],
    )
    graph.order = _topological_order(graph)
    return graph


def dependencies(graph: Graph, node: int) -> list[int]:
    """The nodes ``node`` reads."""
    rule = graph.rules[node]
    if rule is Rule.LAST:
        return graph.lasts[node]
    if rule in (Rule.FROM, Rule.LENGTH, Rule.LOCKED):
        return [graph.sources[node]]
    return []


class _Builder:
    def __init__(self, ceremony: Ceremony, sessions: Mapping[str, CompetitionSession]) -> None:
        self.ceremony = ceremony
        self.sessions = sessions
        self.items: list[Item] = []
        self.index: dict[str, int] = {}
        self.rules: list[Rule] = []
        self.sources: list[int] = []
        self.offsets: list[timedelta] = []
        self.lengths: list[tuple[timedelta, timedelta, timedelta]] = []
        self.fixed: list[TimeWindow | None] = []
        self.lasts: dict[int, list[int]] = {}

    def place(
        self,
        segments: tuple[Segment, ...],
        prefix: Path,
        depth: int,
        container: int | None,
        *,
        skipped: bool,
    ) -> None:
        last_on_track: dict[str | None, int] = {}
        for position, segment in enumerate(segments):
            index = len(self.items)
            cut = skipped or segment.skip
            item = Item(
                segment=segment,
                path=(*prefix, position),
                depth=depth,
                previous=last_on_track.get(segment.track),
                container=container,
                skipped=cut,
            )
            self.items.append(item)
            self.index[segment.id] = index
            for _ in range(2):
                self.rules.append(Rule.SHOW_START)
                self.sources.append(-1)
                self.offsets.append(_ZERO)
                self.lengths.append(_NO_LENGTH)
                self.fixed.append(None)
            if container is not None:
                self.items[container].children.append(index)
            if not cut:
                last_on_track[segment.track] = index
            if isinstance(segment, Act):
                self.place(
                    segment.segments, (*item.path, "segments"), depth + 1, index, skipped=cut
                )

    def _set(self, node: int, rule: Rule, source: int = -1, offset: timedelta = _ZERO) -> None:
        self.rules[node] = rule
        self.sources[node] = source
        self.offsets[node] = offset

    def add_rules(self, index: int) -> None:
        item = self.items[index]
        segment = item.segment
        start, end = start_node(index), end_node(index)
        spec = segment.start
        if item.skipped:
            self._opening(item, start)
            self._set(end, Rule.FROM, start)
            return
        if isinstance(spec, datetime):
            self._set(start, Rule.FIXED)
            self.fixed[start] = TimeWindow.exactly(utc(spec))
        elif isinstance(spec, Anchor):
            self._anchor(start, spec)
        else:
            self._opening(item, start)
        if segment.end is not None:
            self._set(end, Rule.LOCKED, start)
            self.fixed[end] = TimeWindow.exactly(utc(segment.end))
        elif isinstance(segment, Act):
            children = [end_node(child) for child in item.children if not self.items[child].skipped]
            if children:  # an act ends when its last child does, and never before it starts
                self._set(end, Rule.LAST)
                self.lasts[end] = [start, *children]
            else:
                self._set(end, Rule.FROM, start)
        else:
            self._set(end, Rule.LENGTH, start)
            if segment.duration is not None:
                self.lengths[end] = bounds(segment.duration)

    def _opening(self, item: Item, node: int) -> None:
        """An item with no start of its own follows its predecessor, or opens its act."""
        if item.previous is not None:
            self._set(node, Rule.FROM, end_node(item.previous))
        elif item.container is not None:
            self._set(node, Rule.FROM, start_node(item.container))
        else:
            self._set(node, Rule.SHOW_START)

    def _anchor(self, node: int, anchor: Anchor) -> None:
        ref = anchor.ref
        offset = -anchor.offset if anchor.relation is Relation.BEFORE else anchor.offset
        edge = "end" if anchor.relation is Relation.AFTER else "start"
        if ref in self.index:
            target = self.index[ref]
            source = end_node(target) if edge == "end" else start_node(target)
            self._set(node, Rule.FROM, source, offset)
        elif ref in self.sessions:
            self._set(node, Rule.FIXED)
            self.fixed[node] = _session_window(self.sessions[ref], edge) + offset
        else:
            item = self.items[node // 2].segment.id
            raise TimingError(f"{item!r} is anchored to {ref!r}, which is not an item", item=item)


def _session_window(session: CompetitionSession, edge: str) -> TimeWindow:
    instant = session.start if edge == "start" else session.ends
    if instant is None:
        raise TimingError(
            f"session {session.id!r} has no {edge} time to anchor to", item=session.id
        )
    return TimeWindow.exactly(utc(instant))


def _topological_order(graph: Graph) -> list[int]:
    """Nodes ordered so each comes after the nodes it reads (iterative depth-first search)."""
    count = len(graph.rules)
    state = bytearray(count)  # 0 unseen, 1 on the current path, 2 placed
    order: list[int] = []
    for root in range(count):
        if state[root]:
            continue
        state[root] = 1
        stack = [(root, iter(dependencies(graph, root)))]
        while stack:
            node, pending = stack[-1]
            for dependency in pending:
                if state[dependency] == 0:
                    state[dependency] = 1
                    stack.append((dependency, iter(dependencies(graph, dependency))))
                    break
                if state[dependency] == 1:
                    path = [entry[0] for entry in stack]
                    _raise_cycle(graph, path[path.index(dependency) :])
            else:
                stack.pop()
                state[node] = 2
                order.append(node)
    return order


def _raise_cycle(graph: Graph, nodes: list[int]) -> None:
    ids = list(dict.fromkeys(graph.items[node // 2].segment.id for node in nodes))
    ids.append(ids[0])
    raise TimingError(
        f"the starts of {' -> '.join(ids)} depend on each other (a cycle)", item=ids[0]
    )
