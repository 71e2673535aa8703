"""A rebuild's changelog, made from the sessions that changed (not the whole programme).

The publish state keeps the programme last published in parts: its sessions one by one
(each with a fingerprint of the model's value) and the rest (name, revision, venues,
people, ceremonies ...) as one "frame". A rebuild fingerprints each session, and diffs
(:func:`ceremony.revisions.diff`) two small programmes: the frame with the sessions that
changed, were added or removed, and those a ceremony anchors to, before and after. Items
left out did not change, so the lines are those the whole diff gives, in its order. When
the ceremonies themselves changed, the whole programme is diffed (ceremonies are few:
such programmes are small).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from ceremony.errors import CeremonyError
from ceremony.export.changes import changelog_lines
from ceremony.io.converter import CONVERTER
from ceremony.io.showfile import from_data, to_data
from ceremony.model import CompetitionSession, Programme
from ceremony.model.fingerprints import value_digest
from ceremony.model.references import references
from ceremony.revisions import diff
from ceremony.site.state import StateStore


def fingerprint(session: CompetitionSession) -> str:
    """A fingerprint of a session's value (units included): equal sessions, equal prints.

    :func:`~ceremony.publishing.value_digest` (earlier versions hashed the ``repr``: a
    state they wrote diffs every session once, in the release that retitled them all).
    """
    return value_digest(session)


def changelog(store: StateStore, programme: Programme) -> list[str]:
    """The changelog from the programme last published to ``programme``; keep it in ``store``.

    Empty on a first build, when nothing changed, and when the previous programme cannot
    be read by this version.
    """
    frame = _frame(programme)
    frame_text = json.dumps(frame, ensure_ascii=False, sort_keys=True)
    stored = store.sessions()
    prints = {session.id: fingerprint(session) for session in programme.sessions}
    changed = {
        item_id for item_id, found in prints.items() if stored.get(item_id, (0, ""))[1] != found
    }
    removed = {item_id for item_id in stored if item_id not in prints}
    old_frame = store.setting("frame")
    lines: list[str] = []
    if old_frame is not None and (old_frame != frame_text or changed or removed):
        lines = _lines(store, programme, old_frame, frame, changed | removed)
    store.put_sessions(
        (session.id, position, prints[session.id], _session_text(session))
        for position, session in enumerate(programme.sessions)
        if session.id in changed
    )
    store.move_sessions(
        (position, session.id)
        for position, session in enumerate(programme.sessions)
        if session.id not in changed and stored[session.id][0] != position
    )
    store.drop_sessions(removed)
    store.put_setting("frame", frame_text)
    return lines


def _lines(
    store: StateStore,
    programme: Programme,
    old_text: str,
    frame: dict[str, Any],
    different: set[str],
) -> list[str]:
    """The changelog of the sessions ``different`` (and the frame) between two builds."""
    try:
        old_frame = json.loads(old_text)
        whole = old_frame.get("ceremonies") != frame.get("ceremonies")
    except (ValueError, AttributeError):  # not a frame this version wrote: no changelog
        return []
    if whole:
        wanted = {session.id for session in programme.sessions} | set(store.sessions())
    else:
        ceremonies = _with_sessions(programme, ())  # what they anchor to, not all
        wanted = different | {
            reference.id
            for reference in references(ceremonies)
            if reference.target in {"session", "item"}
        }
    try:
        old = from_data(
            {
                **old_frame,
                "sessions": [json.loads(data) for _, data in sorted(store.session_data(wanted))],
            }
        )
        new = _with_sessions(
            programme, tuple(item for item in programme.sessions if item.id in wanted)
        )
        found = diff(old, new)
    except (CeremonyError, ValueError):  # an old state from another version: no changelog
        return []
    return changelog_lines(found) if found else []


def _frame(programme: Programme) -> dict[str, Any]:
    """The programme as show-file data, without its sessions."""
    data = to_data(_with_sessions(programme, ()))
    data.pop("sessions", None)
    return data


def _with_sessions(programme: Programme, sessions: tuple[CompetitionSession, ...]) -> Programme:
    """``programme`` with only ``sessions``, as it is (not validated again: already was)."""
    clone = copy.copy(programme)
    object.__setattr__(clone, "sessions", sessions)  # frozen: set as attrs' own init does
    return clone


def _session_text(session: CompetitionSession) -> str:
    data = CONVERTER.unstructure(session, CompetitionSession)
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
