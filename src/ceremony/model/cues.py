"""Department cues: what lighting, sound, pyro ... do, and when within a segment.

A cue whose text starts with "Standby" warns its department; any other is a GO. The
programme's ``departments:`` name each department and say how long before a GO it is stood
by (:class:`Department`); :func:`pair_standbys` tells which standby warns which GO.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

import attrs

from ceremony.durations import parse_duration
from ceremony.errors import ModelError
from ceremony.model import fields
from ceremony.model.checks import not_empty, not_negative, offset


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

    @property
    def standby(self) -> bool:
        """True for a warning (its text starts with "Standby"), False for a GO."""
        return self.text.strip().lower().startswith("standby")


def cue_list(value: Sequence[Cue]) -> tuple[Cue, ...]:
    """A segment's cues, each a :class:`Cue`."""
    return fields.models(Cue, value)


# --- departments --------------------------------------------------------------------------

DEFAULT_STANDBY_LEAD = timedelta(seconds=30)
"""How long before its GO a department is stood by, unless its ``departments:`` entry says."""

_DEFAULT_NAMES = {
    "lighting": "LX",
    "lx": "LX",
    "sound": "Sound",
    "audio": "Sound",
    "video": "Video",
    "pyro": "Pyro",
    "pyrotechnics": "Pyro",
    "camera": "Camera",
    "cameras": "Camera",
    "stage-management": "Stage management",
    "sm": "Stage management",
    "sfx": "SFX",
    "special-effects": "SFX",
    "automation": "Automation",
    "flying": "Flying",
    "rigging": "Rigging",
    "broadcast": "Broadcast",
}
"""Display names of the common department ids (others are their id in words)."""


def department_key(department: str) -> str:
    """The one spelling of a department: ``Stage management`` is ``stage-management``."""
    return "-".join(department.strip().lower().replace("_", " ").replace("-", " ").split())


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class Department:
    """How a department is named and stood by: ``{name: LX, standby: 30s}``."""

    name: str | None = attrs.field(default=None, converter=fields.optional_line)
    """What sheets and screens call it (default: :func:`department_name`'s)."""
    standby: timedelta | None = attrs.field(
        default=None, converter=fields.optional_duration, validator=not_negative
    )
    """The least time between a standby and its GO (default :data:`DEFAULT_STANDBY_LEAD`)."""


def department_map(value: Mapping[str, Department]) -> dict[str, Department]:
    """A programme's ``departments:``: department id to :class:`Department`, one per id."""
    result: dict[str, Department] = {}
    seen: dict[str, str] = {}
    for key, item in fields.mapping(value).items():
        try:
            name = _department_id(key, seen)
            result[name] = fields.model(Department, item)
        except ModelError as exc:
            raise type(exc)(exc.message, path=(key, *exc.path)) from None
        seen[department_key(name)] = name
    return result


def _department_id(key: object, seen: Mapping[str, str]) -> str:
    """A ``departments:`` key: a department's id, not one ``seen`` already in other words."""
    name = fields.line(key)  # type: ignore[arg-type]  # refuses what is not text
    if not department_key(name):
        raise ModelError("a department's id may not be empty")
    if department_key(name) in seen:
        raise ModelError(f"{name!r} is the department {seen[department_key(name)]!r} again")
    return name


def _configured(department: str, departments: Mapping[str, Department]) -> Department | None:
    wanted = department_key(department)
    return next((item for key, item in departments.items() if department_key(key) == wanted), None)


def department_name(department: str, departments: Mapping[str, Department] = {}) -> str:
    """What a department is called: its ``departments:`` name, a common one, or its id in words.

    >>> department_name("lighting"), department_name("stage-management")
    ('LX', 'Stage management')
    """
    configured = _configured(department, departments)
    if configured is not None and configured.name:
        return configured.name
    key = department_key(department)
    return _DEFAULT_NAMES.get(key) or key.replace("-", " ").capitalize() or department


def standby_lead(department: str, departments: Mapping[str, Department] = {}) -> timedelta:
    """The least time a department needs between a standby and its GO."""
    configured = _configured(department, departments)
    if configured is not None and configured.standby is not None:
        return configured.standby
    return DEFAULT_STANDBY_LEAD


# --- standbys and GOs ---------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Call:
    """A cue as called on the night: its department, label, kind of call and instant."""

    department: str
    label: str | None
    standby: bool
    at: datetime


def pair_standbys(calls: Sequence[Call]) -> dict[int, int]:
    """Which standby warns which GO: the index of each GO's standby in ``calls``.

    Within a department, in time order (``calls``' own order at one instant): a GO with
    a label is warned by the latest standby before it with the same label (letter case
    and spacing aside); a GO without one, or whose label no standby carries, by the
    latest unlabelled standby before it that warns no GO yet. So an unlabelled standby
    warns its department's next GO. A GO missing from the result has no standby.
    """
    order = sorted(range(len(calls)), key=lambda index: calls[index].at)
    pending: dict[str, list[int]] = {}
    pairs: dict[int, int] = {}
    for index in order:
        call = calls[index]
        waiting = pending.setdefault(department_key(call.department), [])
        if call.standby:
            waiting.append(index)
            continue
        label = _label_key(call.label)
        same = [i for i in waiting if label and _label_key(calls[i].label) == label]
        unlabelled = [i for i in waiting if not calls[i].label]
        candidates = same or unlabelled
        if candidates:
            pairs[index] = candidates[-1]
            waiting.remove(candidates[-1])
    return pairs


def _label_key(label: str | None) -> str:
    return " ".join((label or "").lower().split())


def cue_at(cue: Cue, start: datetime, end: datetime) -> datetime:
    """The instant ``cue`` falls in an item running from ``start`` to ``end``."""
    if cue.when is CueEdge.START:
        return start
    if cue.when is CueEdge.END:
        return end
    return start + cue.when
