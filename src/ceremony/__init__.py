"""ceremony: event timelines, from one show file to every document a show needs.

Load a show file, resolve it into a timeline, check it::

    import ceremony

    programme = ceremony.load("examples/paralympic-opening.yaml")
    timeline = ceremony.resolve(programme)
    findings = ceremony.check(programme)
"""

from importlib.metadata import version as _version

from ceremony.checks import Finding, Severity, check
from ceremony.errors import CeremonyError, ModelError, ShowFileError, TimingError
from ceremony.io import dump, dumps, load, loads
from ceremony.model import (
    SEGMENT_KINDS,
    Act,
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
    Medal,
    MedalTally,
    Oath,
    Parade,
    Performance,
    Person,
    Programme,
    Relation,
    Result,
    Segment,
    SourceMap,
    Speech,
    Status,
    TorchRelay,
    Venue,
    VictoryCeremony,
    Visibility,
)
from ceremony.timing import Slot, Timeline, Window, resolve, resolve_schedule

__version__ = _version("ceremony")

__all__ = [
    "SEGMENT_KINDS",
    "Act",
    "Anchor",
    "Anthem",
    "CauldronLighting",
    "Ceremony",
    "CeremonyError",
    "CompetitionSession",
    "Cue",
    "CueEdge",
    "Custom",
    "DateRange",
    "Declaration",
    "Declares",
    "Delegation",
    "DurationRange",
    "Film",
    "Finding",
    "Fireworks",
    "FlagHandover",
    "FlagLowering",
    "FlagRaising",
    "FlameArrival",
    "FlameExtinguishing",
    "Geo",
    "Medal",
    "MedalTally",
    "ModelError",
    "Oath",
    "Parade",
    "Performance",
    "Person",
    "Programme",
    "Relation",
    "Result",
    "Segment",
    "Severity",
    "ShowFileError",
    "Slot",
    "SourceMap",
    "Speech",
    "Status",
    "Timeline",
    "TimingError",
    "TorchRelay",
    "Venue",
    "VictoryCeremony",
    "Visibility",
    "Window",
    "__version__",
    "check",
    "dump",
    "dumps",
    "load",
    "loads",
    "resolve",
    "resolve_schedule",
]
