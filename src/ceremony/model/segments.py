"""Segments of a ceremony: one class per kind, all sharing :class:`Segment`'s fields.

A show file names the class with ``kind:`` (``performance``, ``parade``, ``flag_raising`` ...);
:data:`SEGMENT_KINDS` maps each tag to its class. :class:`Act` groups segments into an act or
tableau with a target length of its own. A kind's descriptive fields (the flag, the anthem,
the event) are optional, so that a first draft loads; :meth:`Segment.details` spells out the
ones that are set.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping, Sequence
from datetime import timedelta
from typing import ClassVar

import attrs

from ceremony.durations import format_duration
from ceremony.errors import ModelError
from ceremony.model import fields, timing
from ceremony.model.base_segment import Segment, Visibility, worded_facts
from ceremony.model.checks import identifier, identifiers, not_negative

__all__ = [
    "SEGMENT_KINDS",
    "Act",
    "Anthem",
    "CauldronLighting",
    "Custom",
    "Declaration",
    "Declares",
    "Film",
    "Fireworks",
    "FlagHandover",
    "FlagLowering",
    "FlagRaising",
    "FlameArrival",
    "FlameExtinguishing",
    "Oath",
    "Parade",
    "Performance",
    "Segment",
    "Speech",
    "TorchRelay",
    "VictoryCeremony",
    "Visibility",
    "act_target",
    "declares",
    "segment_list",
]


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class Performance(Segment):
    """Music, dance, theatre: performers and the works performed."""

    kind: ClassVar[str] = "performance"
    role_fields: ClassVar[tuple[str, ...]] = ("performers",)
    performers: tuple[str, ...] = attrs.field(
        factory=tuple, converter=fields.ids, validator=identifiers
    )
    works: tuple[str, ...] = attrs.field(factory=tuple, converter=fields.texts)

    def subject(self) -> str | None:
        """The work performed, when there is one."""
        return self.works[0] if len(self.works) == 1 else None

    def facts(self) -> tuple[str, ...]:
        """The works performed: ``Works: Boléro; La Vie en rose``."""
        return (f"Works: {'; '.join(self.works)}",) if self.works else ()


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class Parade(Segment):
    """A parade of delegations, in order, with each delegation's flagbearers."""

    kind: ClassVar[str] = "parade"
    delegations: tuple[str, ...] = attrs.field(
        factory=tuple, converter=fields.ids, validator=identifiers
    )
    """Delegation ids in marching order (may list only some)."""
    flagbearers: dict[str, tuple[str, ...]] = attrs.field(factory=dict, converter=fields.ids_by_id)
    """Delegation id to its flagbearers' person ids, for this parade."""
    delegation_count: int | None = attrs.field(
        default=None,
        converter=fields.optional_whole,
        validator=attrs.validators.optional(attrs.validators.ge(0)),
    )
    """How many delegations march, when not all are listed."""
    order: str | None = attrs.field(default=None, converter=fields.optional_text)
    """The marching order in words, e.g. "French alphabetical, France last"."""

    def roles(self) -> Iterator[tuple[str, str]]:
        """Flagbearers, then anyone else."""
        for bearers in self.flagbearers.values():
            for person in bearers:
                yield "flagbearers", person
        yield from super().roles()

    def facts(self) -> tuple[str, ...]:
        """How many delegations march (``206 delegations``) and in what order."""
        found = []
        if self.delegation_count:
            found.append(f"{self.delegation_count} delegations")
        if self.order:
            found.append(f"Order: {self.order}")
        return tuple(found)

    def named_facts(self, names: Mapping[str, str]) -> tuple[str, ...]:
        """The delegations listed, in marching order: ``Delegations: Norway, Ontario``."""
        listed = ", ".join(names.get(delegation, delegation) for delegation in self.delegations)
        return (f"Delegations: {listed}",) if listed else ()


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class _FlagSegment(Segment):
    """A flag going up or down, usually to an anthem."""

    def subject(self) -> str | None:
        """The flag."""
        return self.flag

    def facts(self) -> tuple[str, ...]:
        """The flag and the anthem played: ``Flag: Paralympic flag``, ``Anthem: ...``."""
        return worded_facts(("Flag", self.flag), ("Anthem", self.anthem))

    role_fields: ClassVar[tuple[str, ...]] = ("bearers", "performers")
    flag: str | None = attrs.field(default=None, converter=fields.optional_line)
    """The flag, e.g. "Paralympic flag" (a draft may not know it yet)."""
    anthem: str | None = attrs.field(default=None, converter=fields.optional_line)
    bearers: tuple[str, ...] = attrs.field(
        factory=tuple, converter=fields.ids, validator=identifiers
    )
    performers: tuple[str, ...] = attrs.field(
        factory=tuple, converter=fields.ids, validator=identifiers
    )


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class FlagRaising(_FlagSegment):
    """A flag raised (the host nation's, the Olympic or Paralympic flag)."""

    kind: ClassVar[str] = "flag_raising"


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class FlagLowering(_FlagSegment):
    """A flag lowered at the close of the Games."""

    kind: ClassVar[str] = "flag_lowering"


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class Anthem(Segment):
    """An anthem sung or played on its own."""

    kind: ClassVar[str] = "anthem"
    role_fields: ClassVar[tuple[str, ...]] = ("performers", "arrangers")
    anthem: str | None = attrs.field(default=None, converter=fields.optional_line)
    """Which anthem, e.g. "The Star-Spangled Banner" (a draft may not know it yet)."""
    performers: tuple[str, ...] = attrs.field(
        factory=tuple, converter=fields.ids, validator=identifiers
    )
    arrangers: tuple[str, ...] = attrs.field(
        factory=tuple, converter=fields.ids, validator=identifiers
    )

    def subject(self) -> str | None:
        """The anthem."""
        return self.anthem

    def facts(self) -> tuple[str, ...]:
        """The anthem: ``Anthem: The Star-Spangled Banner``."""
        return worded_facts(("Anthem", self.anthem))


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class Speech(Segment):
    """One or more speakers at the lectern."""

    kind: ClassVar[str] = "speech"
    role_fields: ClassVar[tuple[str, ...]] = ("speakers",)
    speakers: tuple[str, ...] = attrs.field(
        factory=tuple, converter=fields.ids, validator=identifiers
    )


class Declares(enum.Enum):
    """What a declaration does."""

    OPEN = "open"
    CLOSED = "closed"


def declares(value: Declares | str) -> Declares:
    """A :class:`Declares`, or its text (``open``, ``closed``)."""
    return fields.member(Declares, value)


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class Declaration(Segment):
    """The formula that opens or closes the Games, spoken by a head of state or president."""

    kind: ClassVar[str] = "declaration"
    role_fields: ClassVar[tuple[str, ...]] = ("declared_by",)
    declared_by: tuple[str, ...] = attrs.field(
        factory=tuple, converter=fields.ids, validator=identifiers
    )
    declares: Declares = attrs.field(default=Declares.OPEN, converter=declares)
    what: str | None = attrs.field(default=None, converter=fields.optional_line)
    """What is declared open or closed, e.g. "the Paris 2024 Paralympic Games"."""

    def subject(self) -> str | None:
        """What is declared open or closed."""
        return self.what

    def facts(self) -> tuple[str, ...]:
        """What it declares: ``Declares the Paris 2024 Paralympic Games open``."""
        return (" ".join(part for part in ("Declares", self.what, self.declares.value) if part),)


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class Oath(Segment):
    """An oath taken on behalf of athletes, judges or coaches."""

    kind: ClassVar[str] = "oath"
    role_fields: ClassVar[tuple[str, ...]] = ("takers",)
    takers: tuple[str, ...] = attrs.field(
        factory=tuple, converter=fields.ids, validator=identifiers
    )
    on_behalf_of: str | None = attrs.field(default=None, converter=fields.optional_line)

    def subject(self) -> str | None:
        """On whose behalf the oath is taken."""
        return self.on_behalf_of

    def facts(self) -> tuple[str, ...]:
        """On whose behalf: ``On behalf of: athletes``."""
        return worded_facts(("On behalf of", self.on_behalf_of))


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class TorchRelay(Segment):
    """The torch carried from hand to hand."""

    kind: ClassVar[str] = "torch_relay"
    role_fields: ClassVar[tuple[str, ...]] = ("torchbearers",)
    torchbearers: tuple[str, ...] = attrs.field(
        factory=tuple, converter=fields.ids, validator=identifiers
    )


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class FlameArrival(Segment):
    """The flame's entrance into the venue."""

    kind: ClassVar[str] = "flame_arrival"
    role_fields: ClassVar[tuple[str, ...]] = ("torchbearers",)
    torchbearers: tuple[str, ...] = attrs.field(
        factory=tuple, converter=fields.ids, validator=identifiers
    )


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class CauldronLighting(Segment):
    """The cauldron lit by the final torchbearers."""

    kind: ClassVar[str] = "cauldron_lighting"
    role_fields: ClassVar[tuple[str, ...]] = ("lighters",)
    lighters: tuple[str, ...] = attrs.field(
        factory=tuple, converter=fields.ids, validator=identifiers
    )


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class FlameExtinguishing(Segment):
    """The flame put out at the close."""

    kind: ClassVar[str] = "flame_extinguishing"
    role_fields: ClassVar[tuple[str, ...]] = ("extinguished_by",)
    extinguished_by: tuple[str, ...] = attrs.field(
        factory=tuple, converter=fields.ids, validator=identifiers
    )


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class FlagHandover(Segment):
    """A flag passed along a chain of hands (host mayor to president to next host)."""

    kind: ClassVar[str] = "flag_handover"
    role_fields: ClassVar[tuple[str, ...]] = ("chain",)
    flag: str | None = attrs.field(default=None, converter=fields.optional_line)
    """The flag handed over (a draft may not know it yet)."""
    chain: tuple[str, ...] = attrs.field(factory=tuple, converter=fields.ids, validator=identifiers)
    """The hands the flag passes through, in order."""

    def subject(self) -> str | None:
        """The flag."""
        return self.flag

    def facts(self) -> tuple[str, ...]:
        """The flag: ``Flag: Olympic flag``."""
        return worded_facts(("Flag", self.flag))


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class VictoryCeremony(Segment):
    """Medals presented for an event, with its anthem."""

    kind: ClassVar[str] = "victory_ceremony"
    role_fields: ClassVar[tuple[str, ...]] = ("medallists", "presenters")
    event: str | None = attrs.field(default=None, converter=fields.optional_line)
    """The event whose medals are presented (a draft may not know it yet)."""
    session: str | None = attrs.field(
        default=None,
        converter=fields.optional_text,
        validator=attrs.validators.optional(identifier),
    )
    """The competition session whose medals these are."""
    medallists: tuple[str, ...] = attrs.field(
        factory=tuple, converter=fields.ids, validator=identifiers
    )
    """Medallists in podium order: gold, silver, bronze."""
    presenters: tuple[str, ...] = attrs.field(
        factory=tuple, converter=fields.ids, validator=identifiers
    )
    anthem: str | None = attrs.field(default=None, converter=fields.optional_line)

    def subject(self) -> str | None:
        """The event."""
        return self.event

    def facts(self) -> tuple[str, ...]:
        """The event, its session and the anthem played."""
        return worded_facts(
            ("Event", self.event), ("Session", self.session), ("Anthem", self.anthem)
        )


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class Fireworks(Segment):
    """Pyrotechnics."""

    kind: ClassVar[str] = "fireworks"
    colours: tuple[str, ...] = attrs.field(factory=tuple, converter=fields.texts)

    def facts(self) -> tuple[str, ...]:
        """The colours: ``Colours: blue, white, red``."""
        return (f"Colours: {', '.join(self.colours)}",) if self.colours else ()


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class Film(Segment):
    """A film or video played on the screens, live or pre-recorded."""

    kind: ClassVar[str] = "film"
    role_fields: ClassVar[tuple[str, ...]] = ("featuring",)
    featuring: tuple[str, ...] = attrs.field(
        factory=tuple, converter=fields.ids, validator=identifiers
    )
    pre_recorded: bool = attrs.field(default=True, converter=fields.flag)

    def facts(self) -> tuple[str, ...]:
        """Whether the film is pre-recorded or live."""
        return ("Pre-recorded",) if self.pre_recorded else ("Live",)


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class Custom(Segment):
    """Anything else (a flypast, an arrival by taxi, a thank-you to volunteers)."""

    kind: ClassVar[str] = "custom"
    what: str | None = attrs.field(default=None, converter=fields.optional_line)
    """Your own name for this kind of segment, e.g. "flypast"."""

    @property
    def kind_label(self) -> str:
        """Your own name for the kind (``Flypast``), else ``Custom``."""
        return self.what.capitalize() if self.what else super().kind_label

    @property
    def label(self) -> str:
        """The title; without one, your name for the kind as written (``Flypast``)."""
        if self.title:
            return self.title
        return self.what[:1].upper() + self.what[1:] if self.what else self.kind_label

    def facts(self) -> tuple[str, ...]:
        """Your name for the kind: ``What: flypast``."""
        return worded_facts(("What", self.what))


def segment_list(value: Sequence[Segment]) -> tuple[Segment, ...]:
    """An act's segments, each a :class:`Segment` of some kind."""
    return fields.models(Segment, value)


def act_target(value: str | timedelta | None) -> timedelta | None:
    """An act's target: one length (a range is refused: a target is what the act aims at)."""
    if isinstance(value, timing.DurationRange | Mapping):
        given = fields.describe(value) if isinstance(value, Mapping) else "a DurationRange"
        raise ModelError(
            f"expected one length, got {given} "
            "(an act's target is what it aims at; give ranges to its segments)"
        )
    return fields.optional_duration(value)


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class Act(Segment):
    """An act or tableau: segments grouped under a heading, with a target length."""

    kind: ClassVar[str] = "act"
    segments: tuple[Segment, ...] = attrs.field(factory=tuple, converter=segment_list)
    target: timedelta | None = attrs.field(
        default=None, converter=act_target, validator=not_negative
    )
    """The planned length of the act; the timeline shows the over/under against it."""

    def facts(self) -> tuple[str, ...]:
        """The act's target length: ``Target: 12m``."""
        return () if self.target is None else (f"Target: {format_duration(self.target)}",)

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
