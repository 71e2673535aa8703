"""What every segment has: :class:`Segment`, the base of every segment kind, and its visibility.

The kinds themselves are in :mod:`ceremony.model.segments`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import ClassVar

import attrs

from ceremony.errors import ModelError
from ceremony.model import fields, timing, wording
from ceremony.model.checks import aware, identifier, identifiers, not_negative
from ceremony.model.cues import Cue, cue_list
from ceremony.model.timing import Duration, Start
from ceremony.zones import utc


class Visibility(enum.Enum):
    """Who may see a segment: everyone, or only the crew (kept out of public outputs)."""

    PUBLIC = "public"
    CREW = "crew"


def visibility(value: Visibility | str) -> Visibility:
    """A :class:`Visibility`, or its text (``public``, ``crew``)."""
    return fields.member(Visibility, value)


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class Segment:
    """What every segment has: id, title, timing, people, location, notes, cues, visibility.

    Timing: ``start`` is None (follow the previous segment of the ``track``), an aware
    datetime (a hard start) or an :class:`~ceremony.Anchor`; ``duration`` is exact or a
    :class:`~ceremony.DurationRange`; ``end`` fixes the end instead of a duration.

    Every field takes what a show file takes (``duration="10m"`` or ``"PT10M"``, a range
    as ``{"min": "4m", "max": "8m"}``, ``visibility="crew"``, ISO text with an offset for a
    time) and refuses anything else with a :class:`~ceremony.ModelError` naming the field.
    """

    kind: ClassVar[str] = ""
    role_fields: ClassVar[tuple[str, ...]] = ()
    """The fields of this kind that name people, in the order a sheet lists them."""

    id: str = attrs.field(converter=fields.text, validator=identifier)
    title: str | None = attrs.field(default=None, converter=fields.optional_line)
    start: Start | None = attrs.field(default=None, converter=timing.start)
    duration: Duration | None = attrs.field(
        default=None, converter=timing.duration, validator=not_negative
    )
    end: datetime | None = attrs.field(
        default=None, converter=fields.optional_instant, validator=aware
    )
    track: str | None = attrs.field(default=None, converter=fields.optional_line)
    """Parallel track this segment runs on (None = the main track)."""
    people: tuple[str, ...] = attrs.field(
        factory=tuple, converter=fields.ids, validator=identifiers
    )
    """Anyone else involved, by person id."""
    location: str | None = attrs.field(default=None, converter=fields.optional_line)
    notes: str | None = attrs.field(default=None, converter=fields.optional_text)
    cues: tuple[Cue, ...] = attrs.field(factory=tuple, converter=cue_list)
    visibility: Visibility = attrs.field(default=Visibility.PUBLIC, converter=visibility)
    skip: bool = attrs.field(default=False, converter=fields.flag)
    """Cut from the show: the timing gives it no time (it sits where its predecessor ends)."""

    @start.validator
    def _check_start(self, attribute: attrs.Attribute[Start | None], value: object) -> None:
        if isinstance(value, datetime):
            aware(self, attribute, value)

    def __attrs_post_init__(self) -> None:
        if not self.kind:
            raise ModelError(
                f"{type(self).__name__} has no kind: build one of the segment kinds "
                "(Performance, Speech, Anthem, FlagRaising, Custom ...; see SEGMENT_KINDS)"
            )
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
        """The title; without one, the kind and what it is about: ``Anthem: La Marseillaise``.

        >>> from ceremony import Anthem
        >>> Anthem(id="anthem", anthem="La Marseillaise").label
        'Anthem: La Marseillaise'
        """
        if self.title:
            return self.title
        subject = self.subject()
        return f"{self.kind_label}: {subject}" if subject else self.kind_label

    def subject(self) -> str | None:
        """What an untitled segment is about, in a few words (None when nothing says)."""
        return None

    @property
    def kind_label(self) -> str:
        """The kind in words, as a sheet prints it: ``Flag raising``."""
        return wording.kind_label(self.kind)

    def facts(self) -> tuple[str, ...]:
        """Every fact of this kind, in words (none by default): ``Flag: Paralympic flag``.

        Every kind-specific field that is not a list of people appears here when set.
        """
        return ()

    def named_facts(self, names: Mapping[str, str]) -> tuple[str, ...]:  # noqa: ARG002
        """Facts naming other parts of the programme: a parade's delegations (none here).

        ``names`` maps an id to its name; an id without a name is shown as written.
        """
        return ()

    def details(
        self, *, beside_kind: bool = True, names: Mapping[str, str] | None = None
    ) -> tuple[str, ...]:
        """The facts worth printing under the label, those it does not already say.

        Neither the label nor, ``beside_kind`` (as sheets and tables show it), the kind is
        repeated: a custom segment's ``What: flypast`` goes where no kind column says it.
        With ``names`` (the programme's delegation names, by id), the :meth:`named_facts`
        follow.

        >>> from ceremony import Anthem
        >>> Anthem(id="a", anthem="La Marseillaise").details()
        ()
        >>> Anthem(id="a", title="Anthem", anthem="La Marseillaise").details()
        ('Anthem: La Marseillaise',)
        """
        said = f"{self.kind_label if beside_kind else ''}\n{self.label}".casefold()
        unsaid = tuple(
            fact
            for fact in self.facts()
            if not (value := fact.partition(": ")[2]) or value.casefold() not in said
        )
        return unsaid if names is None else unsaid + self.named_facts(names)

    def roles(self) -> Iterator[tuple[str, str]]:
        """Every ``(role, person id)`` this segment names, kind-specific roles first."""
        for name in self.role_fields:
            for person in getattr(self, name):
                yield name, person
        for person in self.people:
            yield "people", person


def worded_facts(*pairs: tuple[str, str | None]) -> tuple[str, ...]:
    """``Name: value`` for each pair whose value is set (what :meth:`Segment.facts` gives)."""
    return tuple(f"{name}: {value}" for name, value in pairs if value)
