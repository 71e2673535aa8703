"""Every timeline of a programme: each ceremony, then the competition schedule."""

from __future__ import annotations

from datetime import datetime

from ceremony.model import Actuals, Programme
from ceremony.timing.engine import resolve
from ceremony.timing.schedule import resolve_schedule
from ceremony.timing.timeline import Timeline


def resolve_all(
    programme: Programme,
    *,
    ceremony: str | None = None,
    actuals: Actuals | None = None,
    now: datetime | None = None,
) -> list[Timeline]:
    """The timelines of ``programme``: each ceremony in order, then the sessions.

    The schedule comes last, when the programme has sessions or no ceremony at all. With
    ``ceremony``, only that ceremony. With ``actuals`` or ``now``, one live timeline (see
    :func:`resolve`) of the ceremony named, else the one the actuals were recorded for,
    else the programme's only ceremony. An unknown id is an
    :class:`~ceremony.errors.UnknownIdError`; no id when one is needed, a
    :class:`~ceremony.errors.TimingError`.
    """
    if actuals is not None or now is not None:
        chosen = ceremony or (actuals.ceremony if actuals else None)
        picked = programme.ceremony(chosen).id
        return [resolve(programme, ceremony=picked, actuals=actuals, now=now)]
    if ceremony is not None:
        return [resolve(programme, ceremony=ceremony)]
    timelines = [resolve(programme, ceremony=c.id) for c in programme.ceremonies]
    if programme.sessions or not timelines:
        timelines.append(resolve_schedule(programme))
    return timelines
