"""ceremony: event timelines, from one show file to every document a show needs.

Load a show file, resolve it into a timeline, check it::

    import ceremony

    programme = ceremony.load("examples/paralympic-opening.yaml")
    timeline = ceremony.resolve(programme)
    findings = ceremony.check(programme)
"""

import importlib as _importlib
import typing as _typing
import warnings as _warnings

if _typing.TYPE_CHECKING:
    from ceremony.checks import check
    from ceremony.durations import SignedDuration, format_duration, parse_duration
    from ceremony.errors import (
        CeremonyError,
        DurationError,
        FilterError,
        MissingExtraError,
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
        Department,
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

_EXPORTS: dict[str, tuple[str, ...]] = {
    "ceremony.checks": ("check",),
    "ceremony.durations": (
        "SignedDuration",
        "format_duration",
        "parse_duration",
    ),
    "ceremony.errors": (
        "CeremonyError",
        "DurationError",
        "FilterError",
        "MissingExtraError",
        "ModelError",
        "PublishStateError",
        "ShowFileError",
        "TimingError",
        "UnknownIdError",
        "WriteError",
        "ZoneError",
    ),
    "ceremony.export.events": (
        "CalendarEvent",
        "CalendarStatus",
        "calendar_events",
    ),
    "ceremony.export.feeds": (
        "Feed",
        "FeedFilter",
        "feed_set",
    ),
    "ceremony.export.ics": (
        "FeedSettings",
        "to_ical",
    ),
    "ceremony.export.sheets": (
        "CueSheet",
        "Sheet",
        "build_sheet",
        "cue_sheet",
        "cue_sheets",
        "departments",
        "render_sheet",
        "sheet",
    ),
    "ceremony.findings": (
        "Finding",
        "Severity",
    ),
    "ceremony.io": (
        "dump",
        "dumps",
        "load",
        "load_ics",
        "loads",
        "loads_ics",
    ),
    "ceremony.io.actualsfile": (
        "dump_actuals",
        "dumps_actuals",
        "load_actuals",
        "loads_actuals",
    ),
    "ceremony.model": (
        "SEGMENT_KINDS",
        "Act",
        "ActualMark",
        "Actuals",
        "Anchor",
        "Anthem",
        "CauldronLighting",
        "Ceremony",
        "CompetitionSession",
        "Cue",
        "CueEdge",
        "Custom",
        "DateRange",
        "Declaration",
        "Declares",
        "Delegation",
        "Department",
        "DurationRange",
        "Film",
        "Fireworks",
        "FlagHandover",
        "FlagLowering",
        "FlagRaising",
        "FlameArrival",
        "FlameExtinguishing",
        "Geo",
        "MarkEdge",
        "Medal",
        "MedalTally",
        "Oath",
        "Parade",
        "Performance",
        "Person",
        "Programme",
        "Relation",
        "ResultLine",
        "ScheduleStatus",
        "Segment",
        "Speech",
        "TorchRelay",
        "Venue",
        "VictoryCeremony",
        "Visibility",
    ),
    "ceremony.publishing": (
        "Publication",
        "PublishState",
        "publish",
    ),
    "ceremony.revisions": (
        "Changes",
        "FieldChange",
        "ItemChange",
        "diff",
    ),
    "ceremony.site": (
        "Site",
        "build_site",
        "publish_feed",
    ),
    "ceremony.timing": (
        "Rundown",
        "Slot",
        "Timeline",
        "TimeWindow",
        "resolve",
        "resolve_all",
        "resolve_schedule",
    ),
}
"""Where each public name lives: the modules are imported on first use, so `import ceremony`
(and the command line with it) stays fast and loads no optional dependency."""

__version__: str
"""The installed version of ceremony (the distribution ``ceremony-timeline``), read on use."""

_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}

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


# Hidden from type checkers, which see the imports above: a misspelt or renamed name is
# an error for mypy, not an attribute of type object.
if not _typing.TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        """A public name, imported from its module on first use (then kept as a global)."""
        if name in _MODULE_OF:
            value = getattr(_importlib.import_module(_MODULE_OF[name]), name)
        elif name == "__version__":
            from importlib.metadata import version  # noqa: PLC0415 - read only when asked for

            value = version("ceremony-timeline")
        elif name in _RENAMED:
            new = _RENAMED[name]
            _warnings.warn(
                f"ceremony.{name} is now ceremony.{new}", DeprecationWarning, stacklevel=2
            )
            return __getattr__(new)
        else:
            raise AttributeError(f"module 'ceremony' has no attribute {name!r}")
        globals()[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*globals(), *__all__})


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
    "Department",
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
    "MissingExtraError",
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
    "SignedDuration",
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
    "format_duration",
    "load",
    "load_actuals",
    "load_ics",
    "loads",
    "loads_actuals",
    "loads_ics",
    "parse_duration",
    "publish",
    "publish_feed",
    "render_sheet",
    "resolve",
    "resolve_all",
    "resolve_schedule",
    "sheet",
    "to_ical",
]
