"""What really happened during a live show: the recorded start and end of each item.

A stage manager (or a show-control system) records a :class:`Mark` each time an item
starts or ends. :class:`Actuals` is the log of those marks; a later mark for the same item
and edge corrects an earlier one. :func:`ceremony.resolve` projects the rest of the show
from them.
"""

from __future__ import annotations

import enum
from datetime import datetime

import attrs

from ceremony.model.checks import as_tuple, aware, identifier
from ceremony.zones import utc


class MarkEdge(enum.Enum):
    """Which end of an item a mark records."""

    START = "start"
    END = "end"


@attrs.frozen(kw_only=True)
class ActualMark:
    """One recorded instant: ``item`` started (or ended) ``at``.

    ``recorded`` is when the mark was entered, if that differs (a mark typed in late, or a
    correction), so the log can be replayed as it was known at any moment.
    """

    item: str = attrs.field(validator=identifier)
    edge: MarkEdge
    at: datetime = attrs.field(validator=aware)
    recorded: datetime | None = attrs.field(
        default=None, validator=attrs.validators.optional(aware)
    )

    @property
    def known_from(self) -> datetime:
        """When the mark became known: ``recorded``, or else ``at``."""
        return utc(self.recorded or self.at)


@attrs.frozen(kw_only=True)
class Actuals:
    """The marks recorded for one ceremony, in the order they were recorded."""

    ceremony: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(identifier)
    )
    marks: tuple[ActualMark, ...] = attrs.field(factory=tuple, converter=as_tuple)

    def record(
        self, item: str, edge: MarkEdge, at: datetime, *, recorded: datetime | None = None
    ) -> Actuals:
        """A new log with one more mark (the log itself is never changed)."""
        mark = ActualMark(item=item, edge=edge, at=at, recorded=recorded)
        return attrs.evolve(self, marks=(*self.marks, mark))

    def starts(self) -> dict[str, datetime]:
        """Item id to its actual start (in UTC); the last mark for an item wins."""
        return {m.item: utc(m.at) for m in self.marks if m.edge is MarkEdge.START}

    def ends(self) -> dict[str, datetime]:
        """Item id to its actual end (in UTC); the last mark for an item wins."""
        return {m.item: utc(m.at) for m in self.marks if m.edge is MarkEdge.END}

    def known_at(self, now: datetime) -> Actuals:
        """The log as it stood at ``now``: only marks recorded by then."""
        moment = utc(now)
        return attrs.evolve(self, marks=[m for m in self.marks if m.known_from <= moment])
