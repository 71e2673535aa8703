"""ceremony: event timelines, from one show file to every document a show needs.

Load a show file, resolve it into a timeline, check it::

    import ceremony

    programme = ceremony.load("examples/paralympic-opening.yaml")
    timeline = ceremony.resolve(programme)
    findings = ceremony.check(programme)
"""

import warnings as _warnings
from importlib.metadata import version as _version

from ceremony.checks import check
from ceremony.errors import (
    CeremonyError,
    DurationError,
    FilterError,
    ModelError,
    PublishStateError,
    ShowFileError,
    TimingError,
    UnknownIdError,
    WriteError,
    ZoneError,
)
from ceremony.export.events import CalendarEvent, CalendarStatus, calendar_events
from ceremony.export.feeds import Feed, FeedFilter, feed_set
from ceremony.export.ics import FeedSettings, to_ical
from ceremony.export.sheets import (
    CueSheet,
    Sheet,
    build_sheet,
    cue_sheet,
    cue_sheets,
    departments,
    render_sheet,
    sheet,
)
from ceremony.findings import Finding, Severity
from ceremony.io import dump, dumps, load, load_ics, loads, loads_ics
from ceremony.io.actualsfile import dump_actuals, dumps_actuals, load_actuals, loads_actuals
from ceremony.model import (
    SEGMENT_KINDS,
    Act,
    ActualMark,
    Actuals,
    Anchor,
    Anthem,
    CauldronLighting,
    Ceremony,
    CompetitionSession,
    Cue,
    CueEdge,
    Custom,
    DateRange,
    Declaration,
    Declares,
    Delegation,
    DurationRange,
    Film,
    Fireworks,
    FlagHandover,
    FlagLowering,
    FlagRaising,
    FlameArrival,
    FlameExtinguishing,
    Geo,
    MarkEdge,
    Medal,
    MedalTally,
    Oath,
    Parade,
    Performance,
    Person,
    Programme,
    Relation,
    ResultLine,
    ScheduleStatus,
    Segment,
    Speech,
    TorchRelay,
    Venue,
    VictoryCeremony,
    Visibility,
)
from ceremony.publishing import Publication, PublishState, publish
from ceremony.revisions import Changes, FieldChange, ItemChange, diff
from ceremony.site import Site, build_site, publish_feed
from ceremony.timing import (
    Rundown,
    Slot,
    Timeline,
    TimeWindow,
    resolve,
    resolve_all,
    resolve_schedule,
)

__version__: str = _version("ceremony")
"""The installed version of ceremony."""

_RENAMED = {
    "Where": "FeedFilter",
    "Entry": "CalendarEvent",
    "entries": "calendar_events",
    "EventStatus": "CalendarStatus",
    "Status": "ScheduleStatus",
    "Mark": "ActualMark",
    "Edge": "MarkEdge",
    "Result": "ResultLine",
    "Window": "TimeWindow",
}
"""Names of the 0.x API that were renamed, kept for one release with a warning."""


def __getattr__(name: str) -> object:
    if name in _RENAMED:
        new = _RENAMED[name]
        _warnings.warn(f"ceremony.{name} is now ceremony.{new}", DeprecationWarning, stacklevel=2)
        return globals()[new]
    raise AttributeError(f"module 'ceremony' has no attribute {name!r}")


__all__ = [
    "SEGMENT_KINDS",
    "Act",
    "ActualMark",
    "Actuals",
    "Anchor",
    "Anthem",
    "CalendarEvent",
    "CalendarStatus",
    "CauldronLighting",
    "Ceremony",
    "CeremonyError",
    "Changes",
    "CompetitionSession",
    "Cue",
    "CueEdge",
    "CueSheet",
    "Custom",
    "DateRange",
    "Declaration",
    "Declares",
    "Delegation",
    "DurationError",
    "DurationRange",
    "Feed",
    "FeedFilter",
    "FeedSettings",
    "FieldChange",
    "Film",
    "FilterError",
    "Finding",
    "Fireworks",
    "FlagHandover",
    "FlagLowering",
    "FlagRaising",
    "FlameArrival",
    "FlameExtinguishing",
    "Geo",
    "ItemChange",
    "MarkEdge",
    "Medal",
    "MedalTally",
    "ModelError",
    "Oath",
    "Parade",
    "Performance",
    "Person",
    "Programme",
    "Publication",
    "PublishState",
    "PublishStateError",
    "Relation",
    "ResultLine",
    "Rundown",
    "ScheduleStatus",
    "Segment",
    "Severity",
    "Sheet",
    "ShowFileError",
    "Site",
    "Slot",
    "Speech",
    "TimeWindow",
    "Timeline",
    "TimingError",
    "TorchRelay",
    "UnknownIdError",
    "Venue",
    "VictoryCeremony",
    "Visibility",
    "WriteError",
    "ZoneError",
    "__version__",
    "build_sheet",
    "build_site",
    "calendar_events",
    "check",
    "cue_sheet",
    "cue_sheets",
    "departments",
    "diff",
    "dump",
    "dump_actuals",
    "dumps",
    "dumps_actuals",
    "feed_set",
    "load",
    "load_actuals",
    "load_ics",
    "loads",
    "loads_actuals",
    "loads_ics",
    "publish",
    "publish_feed",
    "render_sheet",
    "resolve",
    "resolve_all",
    "resolve_schedule",
    "sheet",
    "to_ical",
]
