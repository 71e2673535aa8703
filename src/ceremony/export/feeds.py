"""Feed sets: which events an output holds, which go in which feed, and filters.

From one list of entries, :func:`feed_set` makes a feed for everything, each ceremony,
sport, venue, delegation, athlete and day, and one of medal events. A feed is a list of
indexes into the entries, so every event is serialized once however many feeds hold it.
:func:`chosen_events` is the one choice every output makes of a programme's events (planned
or live, with or without segments, narrowed by a :class:`FeedFilter`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime

import attrs

from ceremony.errors import CeremonyError, FilterError
from ceremony.export.events import FACETS, CalendarEvent, calendar_events, day_label
from ceremony.model import Actuals, Programme, Visibility
from ceremony.model.checks import control_character, line_break
from ceremony.model.directory import Directory
from ceremony.slugs import slug

FEED_KINDS = ("all", "ceremony", "sport", "venue", "delegation", "athlete", "day", "medals")
"""The kinds of feed a site has, in the order its index lists them."""

FEED_HEADINGS = {
    "all": "Everything",
    "ceremony": "Ceremonies",
    "sport": "Sports",
    "venue": "Venues",
    "delegation": "Delegations",
    "athlete": "Athletes",
    "day": "Days",
    "medals": "Medal events",
}
"""Each kind of feed, as a site's index page heads its list."""


@attrs.frozen(kw_only=True)
class Feed:
    """One feed of a set: where it goes, what it is called, which entries it holds."""

    kind: str
    key: str
    """What it is the feed of: a sport's name, a venue id, a day ... (``all`` for all)."""
    title: str
    path: str
    """Where it goes in a site, e.g. ``sport/para-swimming.ics``."""
    members: tuple[int, ...]
    """Indexes into the entries the set was made from, in their order."""


def feed_set(programme: Programme, entries: Sequence[CalendarEvent]) -> list[Feed]:
    """Every feed of a programme's site, in :data:`FEED_KINDS` order, then by title.

    Days come in date order, each named as a fan reads it (``Saturday 27 July 2024``,
    see :func:`~ceremony.export.events.day_label`); their paths keep the ISO date
    (``day/2024-07-27.ics``).
    """
    directory = Directory.of(programme)
    venues, delegations = directory.venue_names, directory.delegation_names
    people = directory.person_names
    ceremonies = {c.id: c.title for c in programme.ceremonies}
    name = programme.name
    feeds = [Feed(kind="all", key="all", title=name, path="all.ics", members=_all(entries))]
    groups: list[tuple[str, str, Callable[[str], str]]] = [
        ("ceremony", "ceremony", lambda key: ceremonies.get(key, key)),
        ("sport", "sport", lambda key: key),
        ("venue", "venue", lambda key: venues.get(key, key)),
        ("delegation", "delegation", lambda key: delegations.get(key, key)),
        ("athlete", "athlete", lambda key: people.get(key, key)),
        ("day", "day", lambda key: day_label(date.fromisoformat(key))),
    ]
    for kind, facet, title in groups:
        members: dict[str, list[int]] = {}
        values = _facet_reader(facet)
        for index, entry in enumerate(entries):
            for key in values(entry):
                members.setdefault(key, []).append(index)
        used: set[str] = set()
        ordered = sorted(members) if kind == "day" else sorted(members, key=_by_title(title))
        for key in ordered:
            path = _unique_path(f"{kind}/{slug(key)}.ics", used)
            feeds.append(
                Feed(
                    kind=kind,
                    key=key,
                    title=f"{name}: {title(key)}",
                    path=path,
                    members=tuple(members[key]),
                )
            )
    medals = tuple(index for index, entry in enumerate(entries) if entry.medal)
    if medals:
        feeds.append(
            Feed(
                kind="medals",
                key="medals",
                title=f"{name}: medal events",
                path="medals.ics",
                members=medals,
            )
        )
    return feeds


def _facet_reader(facet: str) -> Callable[[CalendarEvent], tuple[str, ...]]:
    """``entry.facet(facet)``, each day worked out once (events share their starts)."""
    if facet == "delegation":
        return lambda entry: entry.delegations
    if facet == "athlete":
        return lambda entry: entry.athletes
    if facet != "day":
        return lambda entry: entry.facet(facet)
    days: dict[tuple[datetime, str], tuple[str, ...]] = {}

    def day(entry: CalendarEvent) -> tuple[str, ...]:
        found = days.get((entry.start, entry.zone))
        if found is None:
            found = days[entry.start, entry.zone] = entry.facet("day")
        return found

    return day


def _by_title(title: Callable[[str], str]) -> Callable[[str], tuple[str, str]]:
    """A sort key: a feed's key by its title, without regard to case, then by itself."""
    return lambda key: (title(key).casefold(), key)


def _all(entries: Sequence[CalendarEvent]) -> tuple[int, ...]:
    return tuple(range(len(entries)))


def _unique_path(path: str, used: set[str]) -> str:
    """``path``, or ``path`` with ``-2``, ``-3`` ... when two keys slug alike."""
    candidate, number = path, 1
    while candidate in used:
        number += 1
        candidate = path.removesuffix(".ics") + f"-{number}.ics"
    used.add(candidate)
    return candidate


@attrs.frozen
class FeedFilter:
    """A filter: every ``facet=value`` must match (``|`` separates values that may)."""

    terms: tuple[tuple[str, frozenset[str]], ...]

    @classmethod
    def parse(cls, text: str) -> FeedFilter:
        """Read ``sport=Para Swimming,classification=S12|S13``.

        Facets are those in :data:`~ceremony.export.events.FACETS`; values are compared
        without regard to case. :class:`~ceremony.errors.FilterError` (a :class:`ValueError`)
        names a term it cannot read.
        """
        items: list[tuple[str, str]] = []
        for term in filter(None, (part.strip() for part in text.split(","))):
            facet, equals, value = term.partition("=")
            if not equals or not value.strip():
                raise FilterError(f"{term!r}: write facet=value, e.g. sport=Para Swimming")
            items.append((facet, value))
        return cls.of_items(items)

    @classmethod
    def of_items(cls, items: Iterable[tuple[str, str]]) -> FeedFilter:
        """A filter from ``(facet, value)`` pairs, as a query string gives them.

        A value may hold several, separated by ``|``; a facet may come more than once.
        """
        pairs: dict[str, list[str]] = {}
        for facet, value in items:
            pairs.setdefault(facet, []).extend(part for part in value.split("|") if part)
        return cls.of(pairs)

    @classmethod
    def of(cls, pairs: Mapping[str, Sequence[str]]) -> FeedFilter:
        """A filter from ``{facet: [values]}`` (as a query string gives them).

        A facet or value with a line break or a control character is a
        :class:`~ceremony.errors.FilterError`: it names nothing, and it would reach the
        feed's own name.
        """
        terms: list[tuple[str, frozenset[str]]] = []
        for facet, values in pairs.items():
            for given in (facet, *values):
                if control_character(given) is not None or line_break(given) is not None:
                    raise FilterError(
                        f"{given!r}: a filter may not hold a line break or a control character"
                    )
            name = facet.strip().lower()
            if name not in FACETS:
                raise FilterError(f"{facet!r} is not a facet (facets: {', '.join(FACETS)})")
            wanted = frozenset(v.strip().casefold() for v in values if v.strip())
            if not wanted:
                raise FilterError(f"{facet}: give a value, e.g. {facet}=...")
            terms.append((name, wanted))
        return cls(tuple(terms))

    def __call__(self, entry: CalendarEvent) -> bool:
        """True when the entry matches every term."""
        return all(
            any(value.casefold() in wanted for value in entry.facet(facet))
            for facet, wanted in self.terms
        )

    def __and__(self, other: FeedFilter) -> FeedFilter:
        return FeedFilter(self.terms + other.terms)

    def describe(self) -> str:
        """The filter in words: ``sport=Para Swimming, classification=S12|S13``."""
        return ", ".join(f"{facet}={'|'.join(sorted(values))}" for facet, values in self.terms)


FilterLike = str | Sequence[str] | FeedFilter
"""What ``where=`` takes: the text of ``--where``, several such texts, or a filter."""


def select(entries: Sequence[CalendarEvent], where: FeedFilter) -> list[CalendarEvent]:
    """The entries a filter keeps, in their order."""
    return [entries[index] for index in kept(entries, where)]


def kept(entries: Sequence[CalendarEvent], where: FeedFilter) -> tuple[int, ...]:
    """The indexes of the entries a filter keeps, in their order."""
    return tuple(index for index, entry in enumerate(entries) if where(entry))


def as_where(where: FilterLike) -> FeedFilter:
    """A filter from the text of ``--where``, several such texts (all must match), or itself."""
    if isinstance(where, FeedFilter):
        return where
    texts = [where] if isinstance(where, str) else list(where)
    combined = FeedFilter(())
    for text in texts:
        combined &= FeedFilter.parse(text)
    return combined


def chosen_events(
    programme: Programme,
    *,
    where: FilterLike | None = None,
    segments: bool | None = None,
    crew: bool | None = None,
    actuals: Actuals | None = None,
    now: datetime | None = None,
    selected: Iterable[CalendarEvent] | None = None,
) -> list[CalendarEvent]:
    """The events one output of ``programme`` holds: what ``to_ical`` and the site publish.

    The programme's events (see :func:`~ceremony.export.events.calendar_events`, with
    ``segments``, ``crew``, and ``actuals`` and ``now`` for the live projection), or those
    ``selected`` (already made: ``segments=False`` and ``crew=False`` leave out its segment
    and crew-only events, left unset it is taken as given), narrowed by ``where``.
    """
    if selected is None:
        chosen = calendar_events(
            programme, segments=bool(segments), crew=bool(crew), actuals=actuals, now=now
        )
    elif actuals is not None or now is not None:
        message = "selected events are already made: make them with actuals and now instead"
        raise CeremonyError(message)
    else:
        chosen = _narrowed(programme, selected, segments=segments, crew=crew)
    return chosen if where is None else select(chosen, as_where(where))


def _narrowed(
    programme: Programme,
    selected: Iterable[CalendarEvent],
    *,
    segments: bool | None,
    crew: bool | None,
) -> list[CalendarEvent]:
    """``selected`` without the segment (or crew-only segment) events ``False`` leaves out."""
    chosen = list(selected)
    if segments is False:
        chosen = [entry for entry in chosen if entry.kind in _WHOLE_EVENTS]
    if crew is False:
        hidden = {
            segment.id
            for ceremony in programme.ceremonies
            for _, segment in ceremony.walk()
            if segment.visibility is not Visibility.PUBLIC
        }
        chosen = [
            entry for entry in chosen if entry.kind in _WHOLE_EVENTS or entry.id not in hidden
        ]
    return chosen


_WHOLE_EVENTS = frozenset({"ceremony", "session"})
"""The kinds of event that are not a ceremony's segment."""
