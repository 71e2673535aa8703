"""Revision changes as a changelog a person reads, and as JSON-ready data.

A :class:`~ceremony.FieldChange` holds model values; here they are written as a show file
writes them (``10m``, ``CANCELLED``, a cue list as ``[{department: sound, text: ...}]``),
except instants, which are shown in the zone asked for.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import yaml

from ceremony.durations import format_duration
from ceremony.io.converter import CONVERTER
from ceremony.revisions import Changes, FieldChange, ItemChange
from ceremony.zones import zone

_SIGN = {"added": "+", "removed": "-", "changed": "~"}


def changelog_lines(changes: Changes, tz: str | None = None) -> list[str]:
    """The changes as a changelog: one line per item, one per changed field under it.

    Times are shown in ``tz``, or else in each item's own zone.
    """
    old = changes.old_revision or "?"
    new = changes.new_revision or "?"
    if not changes:
        return [f"Revision {old} → {new}: no changes"]
    lines = [
        f"Revision {old} → {new}: {len(changes.added)} added, {len(changes.removed)} "
        f"removed, {len(changes.changed)} changed"
    ]
    for item in changes:
        where = tz or item.zone
        head = f"{_SIGN[item.change]} {item.change:<7} {item.id} ({item.kind.replace('_', ' ')})"
        if item.change == "changed":
            lines.append(f"{head} {', '.join(item.categories)}")
            lines.extend(f"    {_field_line(change, where)}" for change in item.fields)
        else:
            when = _when(item, where)
            lines.append(f"{head} “{item.title}”" + (f" {when}" if when else ""))
    return lines


def _when(item: ItemChange, tz: str) -> str:
    if item.start is None:
        return ""
    text = _show(item.start, tz)
    if item.end is not None and item.end != item.start:
        text += f" to {_show(item.end, tz)}"
    return text


def _field_line(change: FieldChange, tz: str) -> str:
    old, new = _show(change.old, tz), _show(change.new, tz)
    line = f"{change.field}: {old} → {new}"
    if isinstance(change.old, datetime) and isinstance(change.new, datetime):
        line += f" ({format_duration(change.new - change.old, signed=True)})"
    return line


def _show(value: Any, tz: str) -> str:
    """A value in a changelog line: a time in ``tz``, text in quotes, lists as a file has them."""
    if isinstance(value, datetime):
        local = value.astimezone(zone(tz))
        return local.strftime("%Y-%m-%d %H:%M:%S %z" if local.second else "%Y-%m-%d %H:%M %z")
    data = CONVERTER.unstructure(value)  # as a show file writes it
    if data is None:
        return "(none)"
    if isinstance(data, str):
        return f"“{data}”"
    if isinstance(data, (list, dict)):
        flow = yaml.safe_dump(
            data, default_flow_style=True, allow_unicode=True, sort_keys=False, width=2**31 - 1
        )
        return flow.strip()
    return str(data)


def _plain(value: Any, tz: str) -> Any:
    """A value as JSON-ready data: a time as ISO 8601 in ``tz``, the rest as a file has it."""
    if isinstance(value, datetime):
        return value.astimezone(zone(tz)).isoformat()
    return CONVERTER.unstructure(value)


def changes_to_dict(changes: Changes, tz: str | None = None) -> dict[str, Any]:
    """The changes as JSON-ready data: times ISO 8601 in ``tz`` or each item's zone."""
    return {
        "old_revision": changes.old_revision,
        "new_revision": changes.new_revision,
        "summary": {
            "added": len(changes.added),
            "removed": len(changes.removed),
            "changed": len(changes.changed),
            **{
                category: len(changes.in_category(category))
                for category in ("retimed", "moved", "renamed", "status", "edited")
            },
        },
        "items": [
            {
                "id": item.id,
                "change": item.change,
                "kind": item.kind,
                "title": item.title,
                "start": _plain(item.start, tz or item.zone),
                "end": _plain(item.end, tz or item.zone),
                "categories": list(item.categories),
                "fields": [
                    {
                        "field": change.field,
                        "category": change.category,
                        "old": _plain(change.old, tz or item.zone),
                        "new": _plain(change.new, tz or item.zone),
                    }
                    for change in item.fields
                ],
            }
            for item in changes
        ],
    }
