"""Segments of a ceremony: one class per kind, all sharing :class:`Segment`'s fields.

A show file names the class with ``kind:`` (``performance``, ``parade``, ``flag_raising`` ...);
:data:`SEGMENT_KINDS` maps each tag to its class. :class:`Act` groups segments into an act or
tableau with a target length of its own.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import ClassVar

import attrs

from ceremony.errors import ModelError
from ceremony.model import wording
from ceremony.model.checks import as_tuple, aware, identifier, identifiers, not_negative
from ceremony.model.cues import Cue
from ceremony.model.timing import Duration, Start
from ceremony.zones import utc


class Visibility(enum.Enum):
    """Who may see a segment: everyone, or only the crew (kept out of public outputs)."""

    PUBLIC = "public"
    CREW = "crew"


@attrs.frozen(kw_only=True)
class Segment:
    """What every segment has: id, title, timing, people, location, notes, cues, visibility.

    Timing: ``start`` is None (follow the previous segment of the ``track``), an aware
    datetime (a hard start) or an :class:`~ceremony.Anchor`; ``duration`` is exact or a
    :class:`~ceremony.DurationRange`; ``end`` fixes the end instead of a duration.
    """

    kind: ClassVar[str] = ""
    role_fields: ClassVar[tuple[str, ...]] = ()
    """The fields of this kind that name people, in the order a sheet lists them."""

    id: str = attrs.field(validator=identifier)
    title: str | None = None
    start: Start | None = attrs.field(default=None)
    duration: Duration | None = attrs.field(default=None, validator=not_negative)
    end: datetime | None = attrs.field(default=None, validator=aware)
    track: str | None = None
    """Parallel track this segment runs on (None = the main track)."""
    people: tuple[str, ...] = attrs.field(factory=tuple, converter=as_tuple, validator=identifiers)
    """Anyone else involved, by person id."""
    location: str | None = None
    notes: str | None = None
    cues: tuple[Cue, ...] = attrs.field(factory=tuple, converter=as_tuple)
    visibility: Visibility = Visibility.PUBLIC
    skip: bool = False
    """Cut from the show: the timing gives it no time (it sits where its predecessor ends)."""

    @start.validator
    def _check_start(self, attribute: attrs.Attribute[Start | None], value: object) -> None:
        if isinstance(value, datetime):
            aware(self, attribute, value)

    def __attrs_post_init__(self) -> None:
        if self.end is not None and self.duration is not None:
            raise ModelError("give a duration or an end, not both", path=("end",))
        if (
            self.end is not None
            and isinstance(self.start, datetime)
            and utc(self.end) <= utc(self.start)
        ):
            raise ModelError("end must be after start", path=("end",))

    @property
    def label(self) -> str:
        """The title, or the kind spelled out when there is none."""
        return self.title or wording.kind_label(self.kind)

    @property
    def kind_label(self) -> str:
        """The kind in words, as a sheet prints it: ``Flag raising``."""
        return wording.kind_label(self.kind)

    def details(self) -> tuple[str, ...]:
        """Facts of this kind worth printing after the notes, in words (none by default)."""
        return ()

    def roles(self) -> Iterator[tuple[str, str]]:
        """Every ``(role, person id)`` this segment names, kind-specific roles first."""
        for name in self.role_fields:
            for person in getattr(self, name):
                yield name, person
        for person in self.people:
            yield "people", person


@attrs.frozen(kw_only=True)
class Performance(Segment):
    """Music, dance, theatre: performers and the works performed."""

    kind: ClassVar[str] = "performance"
    role_fields: ClassVar[tuple[str, ...]] = ("performers",)
    performers: tuple[str, ...] = attrs.field(
        factory=tuple, converter=as_tuple, validator=identifiers
    )
    works: tuple[str, ...] = attrs.field(factory=tuple, converter=as_tuple)


@attrs.frozen(kw_only=True)
class Parade(Segment):
    """A parade of delegations, in order, with each delegation's flagbearers."""

    kind: ClassVar[str] = "parade"
    delegations: tuple[str, ...] = attrs.field(
        factory=tuple, converter=as_tuple, validator=identifiers
    )
    """Delegation ids in marching order (may list only some)."""
    flagbearers: dict[str, tuple[str, ...]] = attrs.field(factory=dict)
    """Delegation id to its flagbearers' person ids, for this parade."""
    delegation_count: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.ge(0))
    )
    """How many delegations march, when not all are listed."""
    order: str | None = None
    """The marching order in words, e.g. "French alphabetical, France last"."""

    def roles(self) -> Iterator[tuple[str, str]]:
        """Flagbearers, then anyone else."""
        for bearers in self.flagbearers.values():
            for person in bearers:
                yield "flagbearers", person
        yield from super().roles()

    def details(self) -> tuple[str, ...]:
        """How many delegations march (``206 delegations``) and in what order."""
        found = []
        if self.delegation_count:
            found.append(f"{self.delegation_count} delegations")
        if self.order:
            found.append(f"Order: {self.order}")
        return tuple(found)


@attrs.frozen(kw_only=True)
class _FlagSegment(Segment):
    """A flag going up or down, usually to an anthem."""

    role_fields: ClassVar[tuple[str, ...]] = ("bearers", "performers")
    flag: str
    anthem: str | None = None
    bearers: tuple[str, ...] = attrs.field(factory=tuple, converter=as_tuple, validator=identifiers)
    performers: tuple[str, ...] = attrs.field(
        factory=tuple, converter=as_tuple, validator=identifiers
    )


@attrs.frozen(kw_only=True)
class FlagRaising(_FlagSegment):
    """A flag raised (the host nation's, the Olympic or Paralympic flag)."""

    kind: ClassVar[str] = "flag_raising"


@attrs.frozen(kw_only=True)
class FlagLowering(_FlagSegment):
    """A flag lowered at the close of the Games."""

    kind: ClassVar[str] = "flag_lowering"


@attrs.frozen(kw_only=True)
class Anthem(Segment):
    """An anthem sung or played on its own."""

    kind: ClassVar[str] = "anthem"
    role_fields: ClassVar[tuple[str, ...]] = ("performers", "arrangers")
    anthem: str
    performers: tuple[str, ...] = attrs.field(
        factory=tuple, converter=as_tuple, validator=identifiers
    )
    arrangers: tuple[str, ...] = attrs.field(
        factory=tuple, converter=as_tuple, validator=identifiers
    )


@attrs.frozen(kw_only=True)
class Speech(Segment):
    """One or more speakers at the lectern."""

    kind: ClassVar[str] = "speech"
    role_fields: ClassVar[tuple[str, ...]] = ("speakers",)
    speakers: tuple[str, ...] = attrs.field(
        factory=tuple, converter=as_tuple, validator=identifiers
    )


class Declares(enum.Enum):
    """What a declaration does."""

    OPEN = "open"
    CLOSED = "closed"


@attrs.frozen(kw_only=True)
class Declaration(Segment):
    """The formula that opens or closes the Games, spoken by a head of state or president."""

    kind: ClassVar[str] = "declaration"
    role_fields: ClassVar[tuple[str, ...]] = ("declared_by",)
    declared_by: tuple[str, ...] = attrs.field(
        factory=tuple, converter=as_tuple, validator=identifiers
    )
    declares: Declares = Declares.OPEN
    what: str | None = None
    """What is declared open or closed, e.g. "the Paris 2024 Paralympic Games"."""


@attrs.frozen(kw_only=True)
class Oath(Segment):
    """An oath taken on behalf of athletes, judges or coaches."""

    kind: ClassVar[str] = "oath"
    role_fields: ClassVar[tuple[str, ...]] = ("takers",)
    takers: tuple[str, ...] = attrs.field(factory=tuple, converter=as_tuple, validator=identifiers)
    on_behalf_of: str | None = None


@attrs.frozen(kw_only=True)
class TorchRelay(Segment):
    """The torch carried from hand to hand."""

    kind: ClassVar[str] = "torch_relay"
    role_fields: ClassVar[tuple[str, ...]] = ("torchbearers",)
    torchbearers: tuple[str, ...] = attrs.field(
        factory=tuple, converter=as_tuple, validator=identifiers
    )


@attrs.frozen(kw_only=True)
class FlameArrival(Segment):
    """The flame's entrance into the venue."""

    kind: ClassVar[str] = "flame_arrival"
    role_fields: ClassVar[tuple[str, ...]] = ("torchbearers",)
    torchbearers: tuple[str, ...] = attrs.field(
        factory=tuple, converter=as_tuple, validator=identifiers
    )


@attrs.frozen(kw_only=True)
class CauldronLighting(Segment):
    """The cauldron lit by the final torchbearers."""

    kind: ClassVar[str] = "cauldron_lighting"
    role_fields: ClassVar[tuple[str, ...]] = ("lighters",)
    lighters: tuple[str, ...] = attrs.field(
        factory=tuple, converter=as_tuple, validator=identifiers
    )


@attrs.frozen(kw_only=True)
class FlameExtinguishing(Segment):
    """The flame put out at the close."""

    kind: ClassVar[str] = "flame_extinguishing"
    role_fields: ClassVar[tuple[str, ...]] = ("extinguished_by",)
    extinguished_by: tuple[str, ...] = attrs.field(
        factory=tuple, converter=as_tuple, validator=identifiers
    )


@attrs.frozen(kw_only=True)
class FlagHandover(Segment):
    """A flag passed along a chain of hands (host mayor to president to next host)."""

    kind: ClassVar[str] = "flag_handover"
    role_fields: ClassVar[tuple[str, ...]] = ("chain",)
    flag: str
    chain: tuple[str, ...] = attrs.field(factory=tuple, converter=as_tuple, validator=identifiers)
    """The hands the flag passes through, in order."""


@attrs.frozen(kw_only=True)
class VictoryCeremony(Segment):
    """Medals presented for an event, with its anthem."""

    kind: ClassVar[str] = "victory_ceremony"
    role_fields: ClassVar[tuple[str, ...]] = ("medallists", "presenters")
    event: str
    session: str | None = attrs.field(default=None, validator=attrs.validators.optional(identifier))
    """The competition session whose medals these are."""
    medallists: tuple[str, ...] = attrs.field(
        factory=tuple, converter=as_tuple, validator=identifiers
    )
    """Medallists in podium order: gold, silver, bronze."""
    presenters: tuple[str, ...] = attrs.field(
        factory=tuple, converter=as_tuple, validator=identifiers
    )
    anthem: str | None = None


@attrs.frozen(kw_only=True)
class Fireworks(Segment):
    """Pyrotechnics."""

    kind: ClassVar[str] = "fireworks"
    colours: tuple[str, ...] = attrs.field(factory=tuple, converter=as_tuple)


@attrs.frozen(kw_only=True)
class Film(Segment):
    """A film or video played on the screens, live or pre-recorded."""

    kind: ClassVar[str] = "film"
    role_fields: ClassVar[tuple[str, ...]] = ("featuring",)
    featuring: tuple[str, ...] = attrs.field(
        factory=tuple, converter=as_tuple, validator=identifiers
    )
    pre_recorded: bool = True


@attrs.frozen(kw_only=True)
class Custom(Segment):
    """Anything else (a flypast, an arrival by taxi, a thank-you to volunteers)."""

    kind: ClassVar[str] = "custom"
    what: str | None = None
    """Your own name for this kind of segment, e.g. "flypast"."""

    @property
    def kind_label(self) -> str:
        """Your own name for the kind (``Flypast``), else ``Custom``."""
        return self.what.capitalize() if self.what else super().kind_label


@attrs.frozen(kw_only=True)
class Act(Segment):
    """An act or tableau: segments grouped under a heading, with a target length."""

    kind: ClassVar[str] = "act"
    segments: tuple[Segment, ...] = attrs.field(factory=tuple, converter=as_tuple)
    target: timedelta | None = attrs.field(default=None, validator=not_negative)
    """The planned length of the act; the timeline shows the over/under against it."""

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if self.duration is not None or self.end is not None:
            raise ModelError(
                "an act takes its length from its segments; use target for a planned length",
                path=("duration" if self.duration is not None else "end",),
            )


SEGMENT_KINDS: dict[str, type[Segment]] = {
    cls.kind: cls
    for cls in (
        Performance,
        Parade,
        FlagRaising,
        FlagLowering,
        Anthem,
        Speech,
        Declaration,
        Oath,
        TorchRelay,
        FlameArrival,
        CauldronLighting,
        FlameExtinguishing,
        FlagHandover,
        VictoryCeremony,
        Fireworks,
        Film,
        Custom,
        Act,
    )
}
"""Each ``kind:`` tag and the class it names."""
