"""What really happened during a live show: the recorded start and end of each item.

A stage manager (or a show-control system) records an :class:`ActualMark` each time an
item starts or ends. :class:`Actuals` is the log of those marks; a later mark for the same
item and edge corrects an earlier one. An :class:`ActualExtension` says an item will run
longer (or shorter) than planned. :func:`ceremony.resolve` projects the rest of the show
from them.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

import attrs

from ceremony.model.checks import as_tuple, aware, identifier, offset
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
class ActualExtension:
    """An item will run ``by`` longer than projected (shorter when negative).

    Extensions of one item add up; they move its projected end (and what follows it), not a
    recorded one. ``recorded`` is when it was entered (None: known all along).
    """

    item: str = attrs.field(validator=identifier)
    by: timedelta = attrs.field(validator=offset)
    recorded: datetime | None = attrs.field(
        default=None, validator=attrs.validators.optional(aware)
    )


@attrs.frozen(kw_only=True)
class Actuals:
    """The marks (and extensions) recorded for one ceremony, in the order they were recorded."""

    ceremony: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(identifier)
    )
    marks: tuple[ActualMark, ...] = attrs.field(factory=tuple, converter=as_tuple)
    extensions: tuple[ActualExtension, ...] = attrs.field(factory=tuple, converter=as_tuple)

    def record(
        self, item: str, edge: MarkEdge, at: datetime, *, recorded: datetime | None = None
    ) -> Actuals:
        """A new log with one more mark (the log itself is never changed)."""
        mark = ActualMark(item=item, edge=edge, at=at, recorded=recorded)
        return attrs.evolve(self, marks=(*self.marks, mark))

    def extend(self, item: str, by: timedelta, *, recorded: datetime | None = None) -> Actuals:
        """A new log with one more extension."""
        extension = ActualExtension(item=item, by=by, recorded=recorded)
        return attrs.evolve(self, extensions=(*self.extensions, extension))

    def without_last_mark(self) -> Actuals:
        """A new log without its last mark (the same log when there is none)."""
        return attrs.evolve(self, marks=self.marks[:-1])

    def extended(self) -> dict[str, timedelta]:
        """Item id to the sum of its extensions (items without one are left out)."""
        total: dict[str, timedelta] = {}
        for extension in self.extensions:
            total[extension.item] = total.get(extension.item, timedelta(0)) + extension.by
        return total

    def starts(self) -> dict[str, datetime]:
        """Item id to its actual start (in UTC); the last mark for an item wins."""
        return {m.item: utc(m.at) for m in self.marks if m.edge is MarkEdge.START}

    def ends(self) -> dict[str, datetime]:
        """Item id to its actual end (in UTC); the last mark for an item wins."""
        return {m.item: utc(m.at) for m in self.marks if m.edge is MarkEdge.END}

    def known_at(self, now: datetime) -> Actuals:
        """The log as it stood at ``now``: only marks (and extensions) recorded by then."""
        moment = utc(now)
        return attrs.evolve(
            self,
            marks=[m for m in self.marks if m.known_from <= moment],
            extensions=[
                e for e in self.extensions if e.recorded is None or utc(e.recorded) <= moment
            ],
        )
