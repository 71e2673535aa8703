"""Department cues: what lighting, sound, pyro ... do, and when within a segment."""

from __future__ import annotations

import enum
from datetime import timedelta

import attrs

from ceremony.model.checks import offset


class CueEdge(enum.Enum):
    """A cue that fires at an edge of its segment."""

    START = "start"
    END = "end"


CueWhen = CueEdge | timedelta
"""At the segment's start or end, or an offset from its start (negative = before)."""


@attrs.frozen(kw_only=True)
class Cue:
    """One department's action during a segment: ``{department: pyro, when: end, text: ...}``."""

    department: str = attrs.field(validator=attrs.validators.min_len(1))
    text: str
    when: CueWhen = attrs.field(default=CueEdge.START, validator=offset)
    label: str | None = None
    """The department's own cue number, e.g. ``LX 42``."""
