"""Department cues: what lighting, sound, pyro ... do, and when within a segment."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import timedelta

import attrs

from ceremony.durations import parse_duration
from ceremony.errors import ModelError
from ceremony.model import fields
from ceremony.model.checks import not_empty, offset


class CueEdge(enum.Enum):
    """A cue that fires at an edge of its segment."""

    START = "start"
    END = "end"


CueWhen = CueEdge | timedelta
"""At the segment's start or end, or an offset from its start (negative = before)."""


def cue_when(value: CueEdge | timedelta | str) -> CueWhen:
    """When a cue fires: ``start``, ``end``, or a signed offset (``+2m``, ``-30s``)."""
    if isinstance(value, CueEdge | timedelta):
        return value
    if isinstance(value, str) and value.strip().lower() in ("start", "end"):
        return CueEdge(value.strip().lower())
    if isinstance(value, bool | int | float):
        raise ModelError(f"{value} has no unit (write start, end, or an offset like +2m)")
    return parse_duration(value, signed=True)


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class Cue:
    """One department's action during a segment: ``{department: pyro, when: end, text: ...}``."""

    department: str = attrs.field(converter=fields.text, validator=not_empty)
    text: str = attrs.field(converter=fields.text)
    when: CueWhen = attrs.field(default=CueEdge.START, converter=cue_when, validator=offset)
    label: str | None = attrs.field(default=None, converter=fields.optional_text)
    """The department's own cue number, e.g. ``LX 42``."""


def cue_list(value: Sequence[Cue]) -> tuple[Cue, ...]:
    """A segment's cues, each a :class:`Cue`."""
    return fields.models(Cue, value)
