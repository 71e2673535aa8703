"""Competition sessions (and the units inside them), with ODF statuses and results."""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

import attrs

from ceremony.errors import ModelError
from ceremony.model import fields
from ceremony.model.checks import at_least, aware, identifier, identifiers, not_negative
from ceremony.zones import add, utc


class ScheduleStatus(enum.Enum):
    """Schedule status, in the Olympic Data Feed (ODF) vocabulary."""

    SCHEDULED = "SCHEDULED"
    GETTING_READY = "GETTING_READY"
    RUNNING = "RUNNING"
    SCHEDULED_BREAK = "SCHEDULED_BREAK"
    INTERRUPTED = "INTERRUPTED"
    FINISHED = "FINISHED"
    DELAYED = "DELAYED"
    """Still starts within the current session."""
    POSTPONED = "POSTPONED"
    """Moved beyond the session; new date and time unknown."""
    RESCHEDULED = "RESCHEDULED"
    """Moved to a new, known date and time."""
    CANCELLED = "CANCELLED"
    """Will not take place."""
    UNSCHEDULED = "UNSCHEDULED"
    """Planned, but not yet given a time."""


class Medal(enum.Enum):
    """A medal colour."""

    GOLD = "gold"
    SILVER = "silver"
    BRONZE = "bronze"


def schedule_status(value: ScheduleStatus | str) -> ScheduleStatus:
    """A :class:`ScheduleStatus`, or its text (``SCHEDULED``, ``FINISHED`` ...)."""
    return fields.member(ScheduleStatus, value)


def optional_medal(value: Medal | str | None) -> Medal | None:
    """A :class:`Medal`, its text (``gold``, ``silver``, ``bronze``), or None."""
    return None if value is None else fields.member(Medal, value)


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class ResultLine:
    """One line of a result: who, their rank or medal, and their mark."""

    athlete: str | None = attrs.field(
        default=None,
        converter=fields.optional_text,
        validator=attrs.validators.optional(identifier),
    )
    delegation: str | None = attrs.field(
        default=None,
        converter=fields.optional_text,
        validator=attrs.validators.optional(identifier),
    )
    rank: int | None = attrs.field(
        default=None, converter=fields.optional_whole, validator=at_least(1)
    )
    medal: Medal | None = attrs.field(default=None, converter=optional_medal)
    mark: str | None = attrs.field(default=None, converter=fields.optional_line)
    """The performance as published: ``247.7``, ``12.04``, ``6.70 m``."""
    notes: str | None = attrs.field(default=None, converter=fields.optional_text)

    def __attrs_post_init__(self) -> None:
        if self.athlete is None and self.delegation is None:
            raise ModelError("a result needs an athlete or a delegation", path=("athlete",))


def says(text: str, phrase: str) -> bool:
    """Whether ``text`` holds ``phrase`` as whole words, in any case and spacing.

    >>> says("Women K44 -52 kg", "k44")
    True
    >>> says("Men's 100 m Final", "final")
    True
    >>> says("Men's 100 m Backstroke S120", "S12")
    False
    """
    return _holds(_normal(text), _normal(phrase))


def distinct_parts(parts: Iterable[str | None]) -> list[str]:
    """The parts given, in order, less any that another part already says (:func:`says`).

    Of two parts that say the same, the first is kept; an empty part is left out.

    >>> distinct_parts(["Para Taekwondo", "Women K44 -52 kg", "K44", "final"])
    ['Para Taekwondo', 'Women K44 -52 kg', 'final']
    >>> distinct_parts(["Football", "Men", "Men's Group B", "football"])
    ['Football', "Men's Group B"]
    """
    given = [part.strip() for part in parts if part and part.strip()]
    if not given:
        return []
    # The parts after the first repeat (a title's event, phase and sport): what they keep
    # among themselves is cached; the first (who takes part) is checked against them.
    first, rest = given[0], tuple(given[1:])
    head = " ".join(first.casefold().split())
    normal = [_normal(part) for part in rest]
    kept = []
    if not any(
        head in other and _holds(other, head) and not _holds(head, other) for other in normal
    ):
        kept.append(first)
    kept.extend(
        rest[index]
        for index in _kept(rest)
        if not (normal[index] in head and _holds(head, normal[index]))
    )
    return kept


@functools.lru_cache(maxsize=4096)
def _kept(given: tuple[str, ...]) -> tuple[int, ...]:
    """The indexes of the parts :func:`distinct_parts` keeps of ``given`` (cached: pure)."""
    normal = [_normal(part) for part in given]
    kept: list[int] = []
    for index, needle in enumerate(normal):
        for other_index, other in enumerate(normal):
            if (
                other_index != index
                and needle in other  # cheap: most parts are not in each other at all
                and _holds(other, needle)
                and (other_index < index or not _holds(needle, other))
            ):
                break
        else:
            kept.append(index)
    return tuple(kept)


@functools.lru_cache(maxsize=4096)
def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


def _holds(haystack: str, needle: str) -> bool:
    """Whether ``needle`` is in ``haystack`` with no word character just before or after it."""
    found = haystack.find(needle) if needle else -1
    while found != -1:
        end = found + len(needle)
        if not (found and _word_character(haystack[found - 1])) and not (
            end < len(haystack) and _word_character(haystack[end])
        ):
            return True
        found = haystack.find(needle, found + 1)
    return False


def _word_character(character: str) -> bool:
    return character.isalnum() or character == "_"


def result_list(value: Sequence[ResultLine]) -> tuple[ResultLine, ...]:
    """A session's results, each a :class:`ResultLine`."""
    return fields.models(ResultLine, value)


def session_list(value: Sequence[CompetitionSession]) -> tuple[CompetitionSession, ...]:
    """Sessions (or a session's units), each a :class:`CompetitionSession`."""
    return fields.models(CompetitionSession, value)


@attrs.frozen(kw_only=True, field_transformer=fields.named_errors)
class CompetitionSession:
    """A competition session or unit: one event's phase at a venue, at a time.

    ``start`` may be missing only while the status is UNSCHEDULED or POSTPONED; the end is
    ``end`` or ``start + duration``.
    """

    id: str = attrs.field(converter=fields.text, validator=identifier)
    sport: str = attrs.field(converter=fields.line)
    code: str | None = attrs.field(default=None, converter=fields.optional_line)
    """The source system's code, kept as given: an ODF session code (``SWM01``) or a unit's
    34-character RSC code (``SWMW100MBF------------HEAT--------``)."""
    discipline: str | None = attrs.field(default=None, converter=fields.optional_line)
    event: str | None = attrs.field(default=None, converter=fields.optional_line)
    gender: str | None = attrs.field(default=None, converter=fields.optional_line)
    """As published: ``men``, ``women``, ``mixed``, ``open``."""
    classification: str | None = attrs.field(default=None, converter=fields.optional_line)
    """Para sport class: T13, S12, F36, J1, K44, SB13, P1 ..."""
    phase: str | None = attrs.field(default=None, converter=fields.optional_line)
    """heats, round 1, semifinal, final, bronze-medal ..."""
    title: str | None = attrs.field(default=None, converter=fields.optional_line)
    names: dict[str, str] = attrs.field(factory=dict, converter=fields.lines_by_key)
    """The title in other languages, by language code: ``{fr: 100 m papillon - femmes}``."""
    session_type: str | None = attrs.field(default=None, converter=fields.optional_line)
    """ODF session type: MOR, AFT, EVE, ALL ..."""
    unit_type: str | None = attrs.field(default=None, converter=fields.optional_line)
    """ODF unit type: ATH, HATH (head to head), TEAM, HTEAM, COUP, HCOUP, NONE."""
    phase_type: str | None = attrs.field(default=None, converter=fields.optional_line)
    """ODF phase type code, as given (``3``)."""
    venue: str | None = attrs.field(
        default=None,
        converter=fields.optional_text,
        validator=attrs.validators.optional(identifier),
    )
    location: str | None = attrs.field(default=None, converter=fields.optional_line)
    start: datetime | None = attrs.field(
        default=None, converter=fields.optional_instant, validator=aware
    )
    end: datetime | None = attrs.field(
        default=None, converter=fields.optional_instant, validator=aware
    )
    duration: timedelta | None = attrs.field(
        default=None, converter=fields.optional_duration, validator=not_negative
    )
    medal: bool = attrs.field(default=False, converter=fields.flag)
    medal_unit: Medal | None = attrs.field(default=None, converter=optional_medal)
    """The medals this unit decides: ``gold`` (gold and silver) or ``bronze``."""
    status: ScheduleStatus = attrs.field(
        default=ScheduleStatus.SCHEDULED, converter=schedule_status
    )
    delegations: tuple[str, ...] = attrs.field(
        factory=tuple, converter=fields.ids, validator=identifiers
    )
    athletes: tuple[str, ...] = attrs.field(
        factory=tuple, converter=fields.ids, validator=identifiers
    )
    units: tuple[CompetitionSession, ...] = attrs.field(factory=tuple, converter=session_list)
    results: tuple[ResultLine, ...] = attrs.field(factory=tuple, converter=result_list)
    url: str | None = attrs.field(default=None, converter=fields.optional_line)
    notes: str | None = attrs.field(default=None, converter=fields.optional_text)

    def __attrs_post_init__(self) -> None:
        if self.medal_unit is Medal.SILVER:
            raise ModelError(
                "a medal unit decides gold (and silver) or bronze", path=("medal_unit",)
            )
        if self.end is not None and self.duration is not None:
            raise ModelError("give a duration or an end, not both", path=("end",))
        if self.end is not None and self.start is None:
            raise ModelError("an end needs a start", path=("end",))
        if self.end is not None and self.start is not None and utc(self.end) <= utc(self.start):
            raise ModelError("end must be after start", path=("end",))

    @property
    def ends(self) -> datetime | None:
        """When the session ends: its end, or its start plus its duration."""
        if self.end is not None:
            return self.end
        if self.start is not None and self.duration is not None:
            return add(self.start, self.duration)
        return None

    @property
    def label(self) -> str:
        """A readable name: the title, or sport, event, class and phase joined.

        A part another already says is left out (:func:`distinct_parts`): the class of
        ``Women K44 -52 kg`` is not named again, nor the sport of ``Wheelchair Basketball Men``.
        """
        if self.title:
            return self.title
        parts = [self.sport, self.event, self.classification, self.phase]
        return " · ".join(distinct_parts(parts))
