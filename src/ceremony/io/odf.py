"""Import ODF (Olympic Data Feed) DT_SCHEDULE messages: sessions and the units inside them.

One message holds one discipline's schedule (``DocumentCode`` starts with its code:
``SWM-----...``). Several messages merge into one programme; when two are for the same
discipline, the later one (by its ``Date`` and ``Time``) replaces the earlier, as ODF says
a new DT_SCHEDULE message does. The XML is read with :mod:`defusedxml`: a document type
that declares entities is refused, so a hostile file cannot expand or fetch anything.

What the importer cannot read (truncated XML, an encoding it does not know, another message
type, a time outside the supported dates, a control character in a name) is a
:class:`~ceremony.errors.ShowFileError` naming the file and line; what it reads but finds
inconsistent (a unit outside its session's hours, an end before the start, a unit without a
known venue, a unit with no time) is a finding, and the import goes on.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from ceremony.errors import ShowFileError
from ceremony.findings import Finding, Severity
from ceremony.io.importing import Imported, VenueZones, finding
from ceremony.io.odf_message import Element, Message, _code, parse_message, read_message
from ceremony.limits import date_in_range
from ceremony.model import CompetitionSession, Medal, Programme, ScheduleStatus, Venue
from ceremony.model.checks import outside_dates
from ceremony.slugs import id_slug
from ceremony.zones import utc, zone

__all__ = [
    "DISCIPLINES",
    "GENDERS",
    "MEDAL_UNITS",
    "Element",
    "Message",
    "import_odf",
    "merge_messages",
    "parse_message",
    "read_message",
]

DISCIPLINES = {
    "ARC": "Archery",
    "ATH": "Athletics",
    "BDM": "Badminton",
    "BK3": "3x3 Basketball",
    "BKB": "Basketball",
    "BKG": "Breaking",
    "BMF": "Cycling BMX Freestyle",
    "BMX": "Cycling BMX Racing",
    "BOX": "Boxing",
    "CER": "Ceremonies",
    "CLB": "Sport Climbing",
    "CRD": "Cycling Road",
    "CSL": "Canoe Slalom",
    "CSP": "Canoe Sprint",
    "CTR": "Cycling Track",
    "DIV": "Diving",
    "EQU": "Equestrian",
    "FBL": "Football",
    "FEN": "Fencing",
    "GAR": "Artistic Gymnastics",
    "GLF": "Golf",
    "GRY": "Rhythmic Gymnastics",
    "GTR": "Trampoline Gymnastics",
    "HBL": "Handball",
    "HOC": "Hockey",
    "JUD": "Judo",
    "MPN": "Modern Pentathlon",
    "MTB": "Cycling Mountain Bike",
    "OWS": "Marathon Swimming",
    "ROW": "Rowing",
    "RU7": "Rugby Sevens",
    "SAL": "Sailing",
    "SHO": "Shooting",
    "SKB": "Skateboarding",
    "SRF": "Surfing",
    "SWA": "Artistic Swimming",
    "SWM": "Swimming",
    "TEN": "Tennis",
    "TKW": "Taekwondo",
    "TRI": "Triathlon",
    "TTE": "Table Tennis",
    "VBV": "Beach Volleyball",
    "VVO": "Volleyball",
    "WLF": "Weightlifting",
    "WPO": "Water Polo",
    "WRE": "Wrestling",
}
"""Olympic discipline codes and their English names (an unknown code names itself)."""

GENDERS = {"M": "men", "W": "women", "X": "mixed", "O": "open"}
"""The gender letter of an RSC code (its fourth character)."""

MEDAL_UNITS = {"1": Medal.GOLD, "3": Medal.BRONZE}
"""A unit's ``Medal`` attribute: 1 decides gold (and silver), 3 decides bronze."""

_NO_VENUE = {"", "TBD"}


def import_odf(
    paths: Iterable[str | os.PathLike[str]],
    *,
    timezone: str,
    venue_zones: Mapping[str, str] | None = None,
    name: str | None = None,
) -> Imported:
    """Import DT_SCHEDULE message files into one programme of sessions and units.

    ``timezone`` is the zone of venues not named in ``venue_zones`` (venue code → IANA
    zone). ``name`` is the programme's name (the messages' competition code otherwise).
    """
    return merge_messages(
        [read_message(path) for path in paths],
        timezone=timezone,
        venue_zones=venue_zones,
        name=name,
    )


def merge_messages(
    messages: Sequence[Message],
    *,
    timezone: str,
    venue_zones: Mapping[str, str] | None = None,
    name: str | None = None,
) -> Imported:
    """Merge messages into one programme; a later message replaces its discipline's."""
    builder = _Builder(VenueZones(timezone, venue_zones))
    latest: dict[str, Message] = {}
    for message in sorted(messages, key=lambda m: m.sent):  # stable: equal times keep order
        replaced = latest.get(message.discipline)
        if replaced is not None:
            builder.note(
                Severity.INFO,
                "replaced",
                f"{message.discipline}: this message (sent {message.sent}) replaces "
                f"{replaced.file} (sent {replaced.sent})",
                f"{message.file}:1",
            )
        latest[message.discipline] = message
    kept = [m for m in messages if latest.get(m.discipline) is m]
    for message in sorted(kept, key=lambda m: m.discipline):
        builder.add(message)
    competitions = sorted({m.competition for m in kept if m.competition})
    sent = max((m.sent for m in kept), default="")
    programme = Programme(
        name=name or " ".join(competitions) or "Imported schedule",
        timezone=timezone,
        revision=sent.split(" ")[0] or None,
        published=_published(sent, timezone),
        venues=builder.venues(),
        sessions=builder.sessions,
    )
    location = kept[0].file if len(kept) == 1 else "ODF messages"
    return Imported(
        programme=programme,
        findings=(*builder.findings, *builder.zones.findings(location)),
    )


def _published(sent: str, timezone: str) -> datetime | None:
    """A message's ``Date`` and ``Time`` (HHMMSSmmm, local to the Games) as an instant."""
    day, _, clock = sent.partition(" ")
    try:
        wall = datetime.strptime(f"{day} {clock[:6]}", "%Y-%m-%d %H%M%S")
    except ValueError:
        return None
    if not date_in_range(wall):
        return None  # like an unreadable one: the revision's date is all that is lost
    return wall.replace(tzinfo=zone(timezone))


class _Builder:
    """Turns messages' elements into sessions, units and venues, noting what is wrong."""

    def __init__(self, zones: VenueZones) -> None:
        self.zones = zones
        self.sessions: list[CompetitionSession] = []
        self.findings: list[Finding] = []
        self._venue_names: dict[str, str] = {}
        self._ids: set[str] = set()

    def note(self, severity: Severity, code: str, message: str, location: str) -> None:
        self.findings.append(finding(severity, code, message, location))

    def venues(self) -> list[Venue]:
        return [
            Venue(id=id_slug(code), name=venue_name, timezone=self.zones.named_zone(code))
            for code, venue_name in sorted(self._venue_names.items())
        ]

    def add(self, message: Message) -> None:
        sport = DISCIPLINES.get(message.discipline, message.discipline)
        by_code: dict[str, Element] = {}
        for element in message.sessions:
            code = element.get("SessionCode")
            if code in by_code:
                self._repeated(message, element, by_code[code])
            by_code[code] = element
        units = self._units(message)
        inside: dict[str, list[tuple[Element, CompetitionSession]]] = {c: [] for c in by_code}
        loose: list[CompetitionSession] = []
        unscheduled = 0
        for element, unit in units:
            if unit.start is None:
                unscheduled += 1
            session_code = element.get("SessionCode")
            if session_code in inside:
                self._check_within(message, element, unit, by_code[session_code])
                inside[session_code].append((element, unit))
            else:
                if session_code:
                    self.note(
                        Severity.WARNING,
                        "unknown-session",
                        f"unit {unit.code} names session {session_code}, which this message "
                        "does not have; kept outside any session",
                        message.where(element),
                    )
                loose.append(unit)
        if unscheduled:
            self.note(
                Severity.INFO,
                "unscheduled",
                f"{unscheduled} of {len(units)} {message.discipline} unit(s) have no time yet "
                "(UNSCHEDULED); kept, without times",
                f"{message.file}:1",
            )
        for code, element in by_code.items():
            members = sorted(inside[code], key=_unit_order)
            self.sessions.append(
                self._session(message, element, sport, [unit for _, unit in members])
            )
        self.sessions.extend(loose)

    def _session(
        self, message: Message, element: Element, sport: str, units: list[CompetitionSession]
    ) -> CompetitionSession:
        code = element.get("SessionCode")
        venue = self._venue(message, element, element.get("VenueName") or None, scheduled=True)
        start, end = self._times(message, element, venue)
        medals = element.get("Medal")
        return CompetitionSession(
            id=self._unique_id(message, element, id_slug(code) if code else "session"),
            code=code or None,
            sport=sport,
            session_type=element.get("SessionType") or None,
            venue=id_slug(venue) if venue else None,
            start=start,
            end=end,
            medal=medals.isdigit() and int(medals) > 0,
            status=self._status(message, element, element.get("SessionStatus")),
            units=units,
        )

    def _units(self, message: Message) -> list[tuple[Element, CompetitionSession]]:
        sport = DISCIPLINES.get(message.discipline, message.discipline)
        units: dict[str, tuple[Element, CompetitionSession]] = {}
        for element in message.units:
            code = element.get("Code")
            if code in units:
                self._repeated(message, element, units[code][0])
                self._ids.discard(units[code][1].id)
            units[code] = (element, self._unit(message, element, sport))
        return list(units.values())

    def _repeated(self, message: Message, element: Element, first: Element) -> None:
        self.note(
            Severity.WARNING,
            f"duplicate-{element.tag.lower()}",
            f"{element.tag.lower()} {_label(element)} appears again (first at line "
            f"{first.line}); the later one is kept",
            message.where(element),
        )

    def _unit(self, message: Message, element: Element, sport: str) -> CompetitionSession:
        code = element.get("Code")
        status = self._status(message, element, element.get("ScheduleStatus"))
        timed = bool(element.get("StartDate"))
        venue = self._venue(message, element, element.venue_name, scheduled=timed)
        start, end = self._times(message, element, venue)
        if start is None and status not in (ScheduleStatus.UNSCHEDULED, ScheduleStatus.POSTPONED):
            self.note(
                Severity.WARNING,
                "no-time",
                f"unit {code} is {status.value} but has no start time",
                message.where(element),
            )
        medal = MEDAL_UNITS.get(element.get("Medal"))
        english = element.names.get("ENG")
        others = {
            language[:2].lower(): value
            for language, value in element.names.items()
            if language != "ENG" and value and value != english
        }
        return CompetitionSession(
            id=self._unique_id(message, element, id_slug(code) if code else "unit"),
            code=code or None,
            sport=sport,
            gender=GENDERS.get(code[3:4]) if len(code) >= 4 else None,
            title=english or None,
            names=others,
            phase_type=element.get("PhaseType") or None,
            venue=id_slug(venue) if venue else None,
            location=element.location_name if element.location_name not in _NO_VENUE else None,
            start=start,
            end=end,
            medal=medal is not None,
            medal_unit=medal,
            status=status,
        )

    def _unique_id(self, message: Message, element: Element, wanted: str) -> str:
        candidate, number = wanted, 1
        while candidate in self._ids:
            number += 1
            candidate = f"{wanted}-{number}"
        if candidate != wanted:
            self.note(
                Severity.WARNING,
                "duplicate-id",
                f"id {wanted!r} is taken; this {element.tag.lower()} is {candidate!r}",
                message.where(element),
            )
        self._ids.add(candidate)
        return candidate

    def _venue(
        self, message: Message, element: Element, venue_name: str | None, *, scheduled: bool
    ) -> str | None:
        code = element.get("Venue")
        if code.upper() in _NO_VENUE:
            if scheduled:
                self.note(
                    Severity.WARNING,
                    "unknown-venue",
                    f"{element.tag.lower()} {_label(element)} has times but no venue "
                    f"({code or 'none'})",
                    message.where(element),
                )
            return None
        if venue_name and venue_name.upper() not in _NO_VENUE:
            self._venue_names.setdefault(code, venue_name)
        elif code not in self._venue_names:
            self.note(
                Severity.WARNING,
                "unknown-venue",
                f"venue {code} of {element.tag.lower()} {_label(element)} has no name "
                "anywhere; named by its code",
                message.where(element),
            )
            self._venue_names[code] = code
        return code

    def _times(
        self, message: Message, element: Element, venue: str | None
    ) -> tuple[datetime | None, datetime | None]:
        start = self._instant(message, element, "StartDate", venue)
        end = self._instant(message, element, "EndDate", venue)
        if start is None:
            return None, None
        if end is not None and utc(end) < utc(start):
            self.note(
                Severity.WARNING,
                "end-before-start",
                f"{element.tag.lower()} {_label(element)} ends ({end:%Y-%m-%d %H:%M}) before "
                f"it starts ({start:%Y-%m-%d %H:%M}); the end is dropped",
                message.where(element),
            )
            return start, None
        if end is not None and utc(end) == utc(start):
            return start, None  # a start only (ODF's HideEndDate units)
        return start, end

    def _instant(
        self, message: Message, element: Element, key: str, venue: str | None
    ) -> datetime | None:
        text = element.get(key)
        if not text:
            return None
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            raise ShowFileError(
                f"{element.tag} {_label(element)}: {key} {text!r} is not a date and time",
                file=message.file,
                line=element.line,
            ) from None
        if not date_in_range(value):  # before converting, which would overflow
            raise ShowFileError(
                f"{element.tag} {_label(element)}: {key} {outside_dates(value)}",
                file=message.file,
                line=element.line,
            )
        if value.utcoffset() is None:
            value = value.replace(tzinfo=zone(self.zones.zone_name(venue)))
        return self.zones.place(value, venue)

    def _status(self, message: Message, element: Element, value: str) -> ScheduleStatus:
        if not value:
            return ScheduleStatus.SCHEDULED
        try:
            return ScheduleStatus(value.upper())
        except ValueError:
            self.note(
                Severity.WARNING,
                "unknown-status",
                f"{element.tag.lower()} {_label(element)} has status {value!r}, which ODF "
                "does not define; read as SCHEDULED",
                message.where(element),
            )
            return ScheduleStatus.SCHEDULED

    def _check_within(
        self, message: Message, element: Element, unit: CompetitionSession, session: Element
    ) -> None:
        opens = _parse(session.get("StartDate"))
        closes = _parse(session.get("EndDate"))
        if unit.start is None or opens is None or closes is None:
            return
        ends = unit.end or unit.start
        if utc(unit.start) < utc(opens) or utc(ends) > utc(closes):
            self.note(
                Severity.WARNING,
                "outside-session",
                f"unit {unit.code} ({unit.start:%Y-%m-%d %H:%M}–{ends:%H:%M}) is outside "
                f"its session {session.get('SessionCode')}'s hours "
                f"({opens:%Y-%m-%d %H:%M}–{closes:%H:%M})",
                message.where(element),
            )


def _parse(text: str) -> datetime | None:
    """A session's hours for checking its units (its own reading reports what is wrong)."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    if value.utcoffset() is None or not date_in_range(value):
        return None
    return value


def _label(element: Element) -> str:
    return _code(element.attributes)


def _unit_order(pair: tuple[Element, CompetitionSession]) -> tuple[str, int]:
    element, unit = pair
    start = utc(unit.start).isoformat() if unit.start else "~"
    order = element.get("Order")
    return start, int(order) if order.isdigit() else 0
