"""How a run-of-show spreadsheet writes timing and cues in its cells, both ways.

=============  ============================================================================
Start          empty (follows the previous item), ``22:54`` (a hard clock time),
               ``2024-08-28T22:54+02:00``, ``after declaration +10m``, ``with parade``,
               ``before cauldron 2m``
Duration       ``8m``, ``1h15m``, ``4m..8m`` (a range), ``4m..5m..8m`` (min, expected, max)
A cue          one per line: ``[LX 42] @end Blackout``: a ``[label]``, an ``@when``
               (``@start``, ``@end``, ``@-30s``, ``@+2m``; at the start when left out),
               then the text
=============  ============================================================================

A cell may also hold the show file's own YAML for that key (``{at: "02:30", fold: 1}``).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from ceremony.durations import format_duration
from ceremony.model import Anchor, Ceremony, Cue, CueEdge, DurationRange
from ceremony.zones import localize, utc, zone

_ANCHOR = re.compile(
    r"^(?P<relation>after|before|with)\s+(?P<ref>\S+)(?:\s+(?P<offset>\+?\S+))?$", re.IGNORECASE
)
_CUE = re.compile(r"^(?:\[(?P<label>[^\]]*)\]\s*)?(?:@(?P<when>\S+)(?:\s+|$))?(?P<text>.*)$")


def start_cell(value: datetime | Anchor | None, ceremony: Ceremony, zone_name: str) -> str:
    """A segment's start as a sheet writes it (a clock time when it reads back the same)."""
    if value is None:
        return ""
    if isinstance(value, Anchor):
        offset = f" +{format_duration(value.offset)}" if value.offset else ""
        return f"{value.relation.value} {value.ref}{offset}"
    tz = zone(zone_name)
    local = value.astimezone(tz)
    clock = f"{local:%H:%M}" if local.second == 0 else f"{local:%H:%M:%S}"
    day = ceremony.start.astimezone(tz).date()
    try:
        candidate = localize(datetime.combine(day, local.time()), tz)
        if utc(candidate) < utc(ceremony.start):
            candidate = localize(datetime.combine(day + timedelta(days=1), local.time()), tz)
    except ValueError:
        return value.isoformat()
    return clock if utc(candidate) == utc(value) else value.isoformat()


def parse_start_cell(text: str) -> Any:
    """A Start cell as show-file data (a string, an anchor mapping, or ``None``)."""
    text = text.strip()
    if not text:
        return None
    found = _ANCHOR.match(text)
    if found:
        data = {found["relation"].lower(): found["ref"]}
        if found["offset"]:
            data["offset"] = found["offset"].lstrip("+")
        return data
    return text


def duration_cell(value: timedelta | DurationRange | None) -> str:
    """A duration as a sheet writes it: ``8m``, ``4m..8m`` or ``4m..5m..8m``."""
    if value is None:
        return ""
    if isinstance(value, timedelta):
        return format_duration(value)
    if value.expected == value.min + (value.max - value.min) / 2:
        return f"{format_duration(value.min)}..{format_duration(value.max)}"
    parts = (value.min, value.expected, value.max)
    return "..".join(format_duration(part) for part in parts)


def parse_duration_cell(text: str) -> Any:
    """A Duration cell as show-file data (a string, a range mapping, or ``None``)."""
    text = text.strip()
    if not text:
        return None
    parts = [part.strip() for part in text.split("..")]
    if len(parts) == 2:
        return {"min": parts[0], "max": parts[1]}
    if len(parts) == 3:
        return {"min": parts[0], "expected": parts[1], "max": parts[2]}
    return text


def cue_line(cue: Cue) -> str:
    """One cue as a line of its department's cell: ``[LX 42] @end Blackout``."""
    parts = []
    if cue.label:
        parts.append(f"[{cue.label}]")
    if cue.when != CueEdge.START:
        when = (
            cue.when.value
            if isinstance(cue.when, CueEdge)
            else format_duration(cue.when, signed=True)
        )
        parts.append(f"@{when}")
    text = cue.text
    if not parts and text.startswith(("[", "@")):
        parts.append("@start")  # so the text is not read as a label or a time
    return " ".join([*parts, text])


def parse_cue_lines(department: str, text: str) -> list[dict[str, str]]:
    """A department's cell as show-file cue data, one cue per non-empty line."""
    cues = []
    for raw in text.splitlines():
        found = _CUE.match(raw.strip())
        if not raw.strip() or found is None:  # the pattern matches any line
            continue
        cue = {"department": department, "text": found["text"].strip()}
        if found["label"]:
            cue["label"] = found["label"].strip()
        if found["when"]:
            cue["when"] = found["when"]
        cues.append(cue)
    return cues
