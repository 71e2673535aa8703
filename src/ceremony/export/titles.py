"""The title (SUMMARY) of a competition session's calendar event: who first, then what.

A calendar's week view shows the first few characters of a title, so the title leads with
what tells one event from the next. Its parts, joined with `` · ``:

1. Who. The athletes, each as their delegation's code and family name (``AZE Saleh``),
   athletes of one delegation in a row sharing the code (``AZE Zeynalov, Babayeva``). For a
   team session (one of unit type TEAM or HTEAM, or one that names delegations but no
   athletes), the delegations' codes. The two sides of a head-to-head unit (HATH, HCOUP,
   HTEAM) are joined with ``v`` (``FRA v BRA``). More than :data:`SHOWN_NAMES` names: the
   first ones and ``+N``.
2. What. The event (else the discipline, else the sport), with the class after it unless
   it is already there: ``Men's 100 m Backstroke S12``, but ``Women K44 -52 kg``.
3. The phase, with a capital: ``Final``.
4. The sport, last, by its discipline when the session has one (``Swimming``, not
   ``Aquatics``), so that a title from a feed of many sports still says which.

A part that another part already says (as whole words, in any case) is left out
(:func:`~ceremony.model.sessions.distinct_parts`): the sport of ``Women's Goalball``, the
phase of ``Men's 100 m Final``, the event ``Men`` beside the phase ``Men's Group B``. A
session with a ``title`` keeps it as given.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from ceremony.model import CompetitionSession
from ceremony.model.directory import Directory
from ceremony.model.sessions import distinct_parts, says

SHOWN_NAMES = 3
"""How many athletes or teams a title names before ``+N`` says how many more there are."""

HEAD_TO_HEAD = frozenset({"HATH", "HCOUP", "HTEAM"})
"""ODF unit types of one side against another: the title joins two sides with ``v``."""

TEAM_UNITS = frozenset({"TEAM", "HTEAM"})
"""ODF unit types of teams: the title names the delegations, not the athletes."""

PARTICLES = frozenset(
    {
        "al",
        "bin",
        "da",
        "das",
        "de",
        "del",
        "della",
        "der",
        "di",
        "do",
        "dos",
        "du",
        "el",
        "la",
        "le",
        "mac",
        "mc",
        "ten",
        "ter",
        "van",
        "von",
    }
)
"""Words that belong to the family name after them: ``van Rhijn``, ``de PINA``, ``Mc SHARRY``."""

SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
"""Words that belong to the family name before them: ``Smith Jr.``."""


def session_title(
    session: CompetitionSession, directory: Directory, delegations: Sequence[str]
) -> str:
    """The calendar title of ``session``, naming the ``delegations`` it involves as teams."""
    if session.title:
        return session.title
    what = _what(
        session.sport, session.discipline, session.event, session.classification, session.phase
    )
    who = _who(session, directory, delegations)
    return " · ".join(distinct_parts([who, *what]))


@functools.lru_cache(maxsize=16_384)
def _what(
    sport: str,
    discipline: str | None,
    event: str | None,
    classification: str | None,
    phase: str | None,
) -> tuple[str, str | None, str]:
    """The event (with its class unless already said), the phase and the sport of a title.

    Cached: a Games schedule repeats each (sport, event, class, phase) many times, and the
    parts are a pure function of these strings (nothing of a programme is kept).
    """
    sport_said = discipline or sport
    base = event or sport_said
    phase_said = phase[:1].upper() + phase[1:] if phase else None
    said = [part for part in (base, phase_said, sport_said) if part]
    if classification and not any(says(part, classification) for part in said):
        return f"{base} {classification}", phase_said, sport_said
    return base, phase_said, sport_said


@functools.lru_cache(maxsize=65_536)
def family_name(name: str) -> str:
    """The family name in a person's name, as a title shows the person.

    Where the name gives the family name in capitals (as the Olympic data does), those
    words: ``HEYDAROV Hidayat`` is ``HEYDAROV``, ``van der VLEUTEN Maikel`` is
    ``van der VLEUTEN``, ``McINTOSH Summer`` is ``McINTOSH``. Otherwise the last word, with
    the :data:`PARTICLES` before it and a :data:`SUFFIXES` word after it: ``Roman Saleh``
    is ``Saleh``, ``Marlou van Rhijn`` is ``van Rhijn``. A name of one word is itself.
    """
    words = name.split()
    in_capitals = [index for index, word in enumerate(words) if _in_capitals(word)]
    if in_capitals and len(in_capitals) < len(words):
        first = last = in_capitals[0]
        while last + 1 < len(words) and (last + 1 in in_capitals):
            last += 1
    elif words:
        first = last = len(words) - 1
        if first > 0 and words[first].casefold() in SUFFIXES:
            first -= 1
    else:
        return name
    while first > 0 and words[first - 1].casefold() in PARTICLES:
        first -= 1
    return " ".join(words[first : last + 1])


def _in_capitals(word: str) -> bool:
    """Whether ``word`` is written in capitals: two or more, and more of them than not."""
    upper = sum(1 for character in word if character.isupper())
    lower = sum(1 for character in word if character.islower())
    return upper >= 2 and upper > lower


def _who(
    session: CompetitionSession, directory: Directory, delegations: Sequence[str]
) -> str | None:
    head_to_head = session.unit_type in HEAD_TO_HEAD
    if session.athletes and session.unit_type not in TEAM_UNITS:
        return _athletes(session, directory, head_to_head=head_to_head)
    if not delegations:
        return None
    shown = list(delegations[:SHOWN_NAMES])
    if head_to_head and len(delegations) == 2:
        return " v ".join(shown)
    return _with_more(", ".join(shown), len(delegations) - len(shown))


def _athletes(session: CompetitionSession, directory: Directory, *, head_to_head: bool) -> str:
    """The athletes by delegation code and family name, grouped by delegation in order."""
    people = directory.people
    only = session.delegations[0] if len(session.delegations) == 1 else None
    short = {
        athlete: family_name(people[athlete].name) if athlete in people else athlete
        for athlete in session.athletes
    }
    counts: dict[str, int] = {}
    for name in short.values():
        counts[name.casefold()] = counts.get(name.casefold(), 0) + 1
    groups: dict[str | None, list[str]] = {}
    for athlete in session.athletes:
        person = people.get(athlete)
        code = (person.delegation if person else None) or only
        name = short[athlete]
        if counts[name.casefold()] > 1 and person is not None:
            name = person.name  # two of one family name: say which
        groups.setdefault(code, []).append(name)
    sides: list[str] = []
    shown = 0
    for code, names in groups.items():
        taken = names[: SHOWN_NAMES - shown]
        if not taken:
            break
        shown += len(taken)
        listed = ", ".join(taken)
        sides.append(f"{code} {listed}" if code else listed)
    hidden = len(session.athletes) - shown
    if head_to_head and len(groups) == 2 and not hidden:
        return " v ".join(sides)
    return _with_more(", ".join(sides), hidden)


def _with_more(text: str, hidden: int) -> str:
    return f"{text} +{hidden}" if hidden > 0 else text
