"""The timing engine: plans (and live actuals) resolved into timelines.

:func:`resolve` is the entry point, :func:`resolve_all` resolves every timeline of a
programme; :class:`Rundown` keeps a compiled ceremony for resolving again and again during
a live show.
"""

from ceremony.timing.engine import Rundown, resolve
from ceremony.timing.programme import resolve_all
from ceremony.timing.schedule import resolve_schedule
from ceremony.timing.timeline import Slot, State, Timeline
from ceremony.timing.windows import TimeWindow, latest_of

__all__ = [
    "Rundown",
    "Slot",
    "State",
    "TimeWindow",
    "Timeline",
    "latest_of",
    "resolve",
    "resolve_all",
    "resolve_schedule",
]
