"""Our VEVENT writer against icalendar's: the same bytes, or the same event once parsed."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream

from ceremony.errors import CeremonyError
from ceremony.export.events import CalendarEvent, CalendarStatus
from ceremony.export.ics import EPOCH, CalendarHead, FeedSettings, Stamped, event_bytes, head_bytes
from ceremony.export.vevent import REPLACEMENT, fold, parameter_value, plain, text, timed
from ceremony.model.checks import control_character
from tests.conftest import ROOT

DOMAIN = "games.example"

# --- the serializer event_bytes replaced: icalendar's Event.new() and to_ical() ----------------


def _reference_flat(value: str) -> str:
    if value.isprintable():
        return value
    return "\n".join(value.splitlines()) + ("\n" if value.endswith(("\n", "\r")) else "")


def _reference_uri(url: str) -> str:
    if url.isprintable():
        return url
    return "".join(
        char if char.isprintable() else quote(char, safe="", errors="replace") for char in url
    )


def _reference_local(instant: datetime, zone_name: str) -> datetime:
    if zone_name == "UTC":
        return instant.astimezone(UTC)
    local = instant.astimezone(ZoneInfo(zone_name))
    if local.fold and local.replace(fold=0).utcoffset() != local.utcoffset():
        return instant.astimezone(UTC)
    return local


def reference_bytes(stamped: Stamped, domain: str) -> bytes:
    """One VEVENT as ``event_bytes`` wrote it through icalendar before our writer."""
    entry = stamped.entry
    event = icalendar.Event.new(
        uid=f"{entry.id}@{domain}",
        summary=_reference_flat(entry.summary),
        start=_reference_local(entry.start, entry.zone),
        end=_reference_local(entry.end, entry.zone) if entry.end > entry.start else None,
        stamp=stamped.stamp.astimezone(UTC),
        location=None if entry.location is None else _reference_flat(entry.location),
        description=None if entry.description is None else _reference_flat(entry.description),
        categories=[_reference_flat(category) for category in entry.categories],
        url=None if entry.url is None else _reference_uri(entry.url),
        sequence=stamped.sequence,
        last_modified=None if stamped.modified is None else stamped.modified.astimezone(UTC),
    )
    event.add("STATUS", icalendar.vText(_reference_flat(entry.status.value)))
    if entry.geo is not None:
        event.add("GEO", entry.geo)
    data: bytes = event.to_ical()
    return data


# --- generated events, hostile text included ---------------------------------------------------

HOSTILE = [
    "\\",
    ";",
    ",",
    ":",
    '"',
    "^",
    "\n",
    "\r",
    "\r\n",
    "\t",
    "\x00",
    "\x07",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x1c",
    "\x7f",
    "\x85",
    "\x9b",
    "\u2028",
    "\u2029",
    "\ud800",
    "\\n",
    "\\;",
    "\\,",
    "BEGIN:VEVENT",
    "\r\nUID:evil@x\r\n",
    "🏊‍♀️",
    "🥇",
    "👨‍👩‍👧‍👦",
    "漢字",
    "e\u0301",
    "a\u0308\u0323",
    "\u200d",
    "\u00a0",
    "\ufeff",
    "العربية",
    " ",
]
"""Pieces of text a writer gets wrong: every escape, every line break, control characters,
multi-byte characters (emoji with joiners, CJK, combining marks, RTL), a lone surrogate."""

WIDE = ["é", "漢", "🥇", "👨‍👩‍👧‍👦", "e\u0301", "\\", ",", "^"]
"""Characters of 1 to 4 octets (and escapes, 2) to repeat across the 75-octet boundary."""


@st.composite
def hostile_text(draw: st.DrawFn, *, allow_n: bool = False) -> str:
    """Text from hostile pieces, or a run of one wide character across a fold, or anything."""
    shape = draw(st.integers(min_value=0, max_value=2))
    if shape == 0:
        pieces = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=4))
        value = "".join(draw(st.lists(pieces, max_size=30)))
    elif shape == 1:
        prefix = "x" * draw(st.integers(min_value=0, max_value=4))
        value = prefix + draw(st.sampled_from(WIDE)) * draw(st.integers(1, 90))
    else:
        value = draw(st.text(max_size=200))
    if not allow_n:
        value = value.replace("\\N", "\\n")
    return value


ZONES = [
    "Europe/Paris",
    "America/Argentina/ComodRivadavia",
    "America/Port-au-Prince",
    "Etc/GMT+5",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "UTC",
    "Etc/UTC",
    "Africa/Abidjan",
]
"""Zones written with a TZID, in UTC (``Z``), and taken for UTC by icalendar."""

BASE = datetime(2024, 1, 1, tzinfo=UTC)


def instants() -> st.SearchStrategy[datetime]:
    """Whole seconds over two years, autumn's repeated hours included."""
    return st.integers(min_value=0, max_value=2 * 366 * 86400).map(
        lambda seconds: BASE + timedelta(seconds=seconds)
    )


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


@st.composite
def stamped_events(draw: st.DrawFn, *, allow_n: bool = False) -> Stamped:
    """A Stamped event with hostile text in every text field."""
    texts = hostile_text(allow_n=allow_n)
    start = draw(instants())
    end = start + draw(
        st.sampled_from([timedelta(0), -timedelta(minutes=5), timedelta(minutes=90)])
    )
    latitude = st.floats(min_value=-90, max_value=90, allow_nan=False)
    longitude = st.floats(min_value=-180, max_value=180, allow_nan=False)
    entry = CalendarEvent(
        id=draw(st.text(max_size=40).map(lambda t: t.replace("\\N", "\\n"))),
        kind="session",
        summary=draw(texts),
        start=start,
        end=end,
        zone=draw(st.sampled_from(ZONES)),
        status=draw(st.sampled_from(CalendarStatus)),
        location=draw(optional(texts)),
        geo=draw(optional(st.tuples(latitude, longitude))),
        description=draw(optional(texts)),
        categories=tuple(draw(st.lists(texts, max_size=3))),
        url=draw(optional(texts.map(lambda t: "https://a.example/" + t))),
    )
    return Stamped(
        entry=entry,
        sequence=draw(st.integers(min_value=0, max_value=10**6)),
        modified=draw(optional(instants())),
        stamp=draw(st.one_of(st.just(EPOCH), instants())),
    )


def cleaned(stamped: Stamped) -> Stamped:
    """The event with each text as our writer writes it: control characters as U+FFFD."""
    entry = stamped.entry

    def clean(value: str | None) -> str | None:
        return None if value is None else _clean_text(value)

    return Stamped(
        entry=CalendarEvent(
            id=_clean_text(entry.id),
            kind=entry.kind,
            summary=_clean_text(entry.summary),
            start=entry.start,
            end=entry.end,
            zone=entry.zone,
            status=entry.status,
            location=clean(entry.location),
            geo=entry.geo,
            description=clean(entry.description),
            categories=tuple(_clean_text(category) for category in entry.categories),
            url=entry.url,
        ),
        sequence=stamped.sequence,
        modified=stamped.modified,
        stamp=stamped.stamp,
    )


def _clean_text(value: str) -> str:
    """Each line break as LF, each other control character (tab aside) as U+FFFD.

    Written apart from :func:`ceremony.export.vevent.plain` (with ``str.splitlines`` and
    ``unicodedata``) to check it.
    """
    lines = []
    for line in value.splitlines(keepends=True):
        (body,) = line.splitlines() or [""]
        ended = len(body) < len(line)
        lines.append("".join(_clean_char(char) for char in body) + ("\n" if ended else ""))
    return "".join(lines)


def _clean_char(char: str) -> str:
    if char != "\t" and unicodedata.category(char) in {"Cc", "Cs"}:
        return REPLACEMENT
    return char


# --- what every VEVENT of ours must be ---------------------------------------------------------


def physical_lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    return data[:-2].split(b"\r\n")


def check_lines(data: bytes) -> None:
    """CRLF only; every line at most 75 octets, valid UTF-8 on its own; no control character."""
    assert b"\r" not in data.replace(b"\r\n", b"")
    assert b"\n" not in data.replace(b"\r\n", b"")
    lines = physical_lines(data)
    for line in lines:
        assert len(line) <= 75, line
        decoded = line.decode("utf-8")  # a split sequence would not decode
        assert all(char == "\t" or unicodedata.category(char) != "Cc" for char in decoded)
        assert "\u2028" not in decoded
        assert "\u2029" not in decoded
    assert lines[0] == b"BEGIN:VEVENT"
    assert lines[-1] == b"END:VEVENT"
    unfolded = data.replace(b"\r\n ", b"").split(b"\r\n")
    assert unfolded.count(b"BEGIN:VEVENT") == 1
    assert unfolded.count(b"END:VEVENT") == 1
    assert not any(line.startswith(b"UID:evil") for line in unfolded)


def parsed(data: bytes) -> icalendar.Event:
    """The event icalendar reads; an error only in a URL holding a backslash.

    A URI is written as given (RFC 5545 does not escape it), and icalendar reads a ``\\n``
    in it as a line break, then refuses the URL: it does so with its own bytes too.
    """
    event = icalendar.Event.from_ical(data)
    assert isinstance(event, icalendar.Event)
    for name, _ in event.errors:
        assert name == "URL"
        assert b"\\" in unfolded_value(data, b"URL")
    return event


def properties(event: icalendar.Event) -> dict[str, Any]:
    """Each property's decoded value and parameters (as a reader sees it)."""
    found: dict[str, Any] = {}
    for name, value in event.property_items(recursive=False):
        if name in {"BEGIN", "END"}:
            continue
        found[name] = (event.decoded(name), dict(getattr(value, "params", {})))
    return found


def written_text(value: str) -> str:
    """A text as a reader reads it back from our feed: line breaks as LF, controls replaced,
    a leading U+FEFF dropped (as icalendar drops it)."""
    return _clean_text(value).removeprefix("\ufeff")


# --- the properties ----------------------------------------------------------------------------


class TestAgainstIcalendar:
    @settings(max_examples=400, deadline=None)
    @given(stamped_events())
    def test_the_same_bytes_as_icalendar(self, stamped: Stamped) -> None:
        """Our bytes are icalendar's for the same event (its controls made U+FFFD first)."""
        ours = event_bytes(stamped, DOMAIN)
        assert ours == reference_bytes(cleaned(stamped), DOMAIN)
        check_lines(ours)

    @settings(max_examples=200, deadline=None)
    @given(stamped_events())
    def test_parsed_the_same_as_icalendars(self, stamped: Stamped) -> None:
        """Parsed, ours and icalendar's are the same event, property by property."""
        ours = parsed(event_bytes(stamped, DOMAIN))
        theirs = parsed(reference_bytes(cleaned(stamped), DOMAIN))
        assert properties(ours) == properties(theirs)
        assert ours.errors == theirs.errors

    @settings(max_examples=200, deadline=None)
    @given(stamped_events(allow_n=True))
    def test_every_text_reads_back(self, stamped: Stamped) -> None:
        r"""Each text reads back as given (line breaks as LF, controls as U+FFFD), ``\N`` too."""
        data = event_bytes(stamped, DOMAIN)
        check_lines(data)
        event = parsed(data)
        entry = stamped.entry
        assert str(event["SUMMARY"]) == written_text(entry.summary)
        assert str(event["UID"]) == written_text(f"{entry.id}@{DOMAIN}")
        if entry.description is not None:
            assert str(event["DESCRIPTION"]) == written_text(entry.description)
        if entry.location is not None:
            assert str(event["LOCATION"]) == written_text(entry.location)
        # One CATEGORIES value: only its first category can lose a leading U+FEFF.
        expected = [_clean_text(category) for category in entry.categories] or [""]
        expected[0] = expected[0].removeprefix("\ufeff")
        assert event.decoded("CATEGORIES") == expected

    @settings(max_examples=60, deadline=None)
    @given(stamped_events(allow_n=True))
    def test_a_strict_parser_reads_the_same_event(self, stamped: Stamped) -> None:
        """The strict ``ical`` package reads our event's UID, times and summary."""
        data = event_bytes(stamped, DOMAIN)
        calendar = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n" + data
        strict = IcsCalendarStream.calendar_from_ics((calendar + b"END:VCALENDAR\r\n").decode())
        (event,) = strict.events
        entry = stamped.entry
        assert event.summary == written_text(entry.summary)
        assert event.dtstart == entry.start
        if entry.end > entry.start:
            assert event.dtend == entry.end


# --- one behaviour each ------------------------------------------------------------------------


def event(**changes: Any) -> Stamped:
    fields: dict[str, Any] = {
        "id": "s1",
        "kind": "session",
        "summary": "Heat 1",
        "start": datetime(2024, 8, 29, 8, tzinfo=UTC),
        "end": datetime(2024, 8, 29, 9, tzinfo=UTC),
        "zone": "Europe/Paris",
    }
    fields.update(changes)
    return Stamped(entry=CalendarEvent(**fields))


def unfolded_value(data: bytes, name: bytes) -> bytes:
    for line in data.replace(b"\r\n ", b"").split(b"\r\n"):
        if line.startswith(name + b":") or line.startswith(name + b";"):
            return line.split(b":", 1)[1]
    raise AssertionError(f"no {name!r}")


class TestText:
    def test_escapes(self) -> None:
        r"""Backslash, semicolon and comma are escaped; a colon is not."""
        assert text("a\\b;c,d:e") == "a\\\\b\\;c\\,d:e"

    def test_every_line_break_is_an_escaped_n(self) -> None:
        """CR, LF, CRLF, VT, FF, the separators, NEL and U+2028/9 each become one ``\\n``."""
        breaks = ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85"]
        for line_break in [*breaks, "\u2028", "\u2029"]:
            assert text(f"a{line_break}b") == "a\\nb", repr(line_break)
        assert text("end\n") == "end\\n"

    def test_control_characters_become_the_replacement_character(self) -> None:
        """NUL, BEL, ESC, DEL, C1 controls and a lone surrogate are U+FFFD; a tab stays."""
        assert text("a\x00b\x07c\x1bd\x7fe\x9bf\ud800g") == "a�b�c�d�e�f�g"
        assert text("a\tb") == "a\tb"

    def test_backslash_n_capital_stays_text(self) -> None:
        r"""``\N`` the user wrote is written ``\\N`` and reads back as typed, not a line break.

        icalendar makes it a line break (``C:\New`` would read ``C:`` then ``ew``): the one
        place our bytes are meant to differ from its.
        """
        stamped = event(summary="C:\\New folder")
        ours = event_bytes(stamped, DOMAIN)
        assert b"SUMMARY:C:\\\\New folder\r\n" in ours
        assert str(parsed(ours)["SUMMARY"]) == "C:\\New folder"
        theirs = reference_bytes(stamped, DOMAIN)
        assert str(parsed(theirs)["SUMMARY"]) == "C:\new folder"

    def test_text_injection_stays_in_its_value(self) -> None:
        """A summary holding CRLF and a property stays one SUMMARY line."""
        data = event_bytes(event(summary="x\r\nUID:evil@x\r\nEND:VEVENT"), DOMAIN)
        check_lines(data)
        assert b"SUMMARY:x\\nUID:evil@x\\nEND:VEVENT\r\n" in data

    def test_a_control_character_in_the_head_is_replaced(self) -> None:
        """The calendar's own name (written by icalendar) gets the same treatment."""
        data = head_bytes(CalendarHead(id="x", name="a\x1b[31mb\x00"), FeedSettings())
        assert b"NAME:a\xef\xbf\xbd[31mb\xef\xbf\xbd\r\n" in data


class TestFold:
    def test_a_short_line_is_left_alone(self) -> None:
        """74 octets stay on one line; 75 are folded (as icalendar folds)."""
        assert fold(b"x" * 74) == b"x" * 74
        assert fold(b"x" * 75) == b"x" * 74 + b"\r\n x"

    def test_lines_are_74_octets_then_a_space_and_74(self) -> None:
        """Each continuation starts with one space, and holds up to 74 octets after it."""
        folded = fold(b"y" * 200)
        assert folded.split(b"\r\n") == [b"y" * 74, b" " + b"y" * 74, b" " + b"y" * 52]

    @pytest.mark.parametrize("char", ["é", "漢", "🥇"])
    @pytest.mark.parametrize("offset", range(4))
    def test_a_utf8_sequence_is_never_split(self, char: str, offset: int) -> None:
        """Runs of 2, 3 and 4-octet characters fold between characters, at every offset."""
        line = ("x" * offset + char * 60).encode()
        folded = fold(line)
        for piece in folded.split(b"\r\n"):
            assert len(piece) <= 75
            piece.decode("utf-8")
        assert folded.replace(b"\r\n ", b"") == line

    def test_an_escape_is_never_parted(self) -> None:
        """A fold that would fall between a backslash and what it escapes comes before it."""
        line = b"x" * 73 + b"\\,abc"
        assert fold(line) == b"x" * 73 + b"\r\n \\,abc"

    def test_a_combining_mark_may_be_folded_from_its_letter(self) -> None:
        """RFC 5545 folds between any characters: a mark may start the next line (as in icalendar)."""
        line = ("x" * 73 + "e\u0301").encode()
        assert fold(line) == b"x" * 73 + b"e\r\n \xcc\x81"


class TestTimes:
    def test_a_venue_zone_is_a_tzid(self) -> None:
        """A Paris event: wall-clock times with TZID, DTSTAMP in UTC."""
        data = event_bytes(event(), DOMAIN)
        assert b"DTSTART;TZID=Europe/Paris:20240829T100000\r\n" in data
        assert b"DTEND;TZID=Europe/Paris:20240829T110000\r\n" in data
        assert b"DTSTAMP:19700101T000000Z\r\n" in data

    @pytest.mark.parametrize("zone_name", ["UTC", "Etc/UTC", "GMT", "Africa/Abidjan"])
    def test_utc_and_what_icalendar_takes_for_it_are_written_with_z(self, zone_name: str) -> None:
        """UTC, and the zones icalendar holds equal to it, have no TZID: a ``Z`` time."""
        stamped = event(zone=zone_name)
        data = event_bytes(stamped, DOMAIN)
        assert b"DTSTART:20240829T080000Z\r\n" in data
        assert data == reference_bytes(stamped, DOMAIN)

    def test_the_repeated_hour_is_written_in_utc(self) -> None:
        """The second 02:30 of the night the clocks go back in Paris is written in UTC."""
        second = datetime(2024, 10, 27, 1, 30, tzinfo=UTC)  # 02:30 CET, after 02:30 CEST
        stamped = event(start=second, end=second + timedelta(hours=2))
        data = event_bytes(stamped, DOMAIN)
        assert b"DTSTART:20241027T013000Z\r\n" in data
        assert b"DTEND;TZID=Europe/Paris:20241027T043000\r\n" in data
        assert data == reference_bytes(stamped, DOMAIN)

    def test_a_moment_has_no_dtend(self) -> None:
        """An event that ends when it starts (or before) writes no DTEND."""
        start = datetime(2024, 8, 29, 8, tzinfo=UTC)
        assert b"DTEND" not in event_bytes(event(end=start), DOMAIN)
        assert b"DTEND" not in event_bytes(event(end=start - timedelta(hours=1)), DOMAIN)

    def test_a_tzid_with_a_colon_is_quoted(self) -> None:
        """A parameter value holding ``:``, ``;`` or ``,`` is written in double quotes."""
        assert parameter_value("Europe/Paris") == "Europe/Paris"
        assert parameter_value("odd:zone") == '"odd:zone"'
        assert parameter_value('a"b^c\nd') == "a^'b^^c^nd"
        line = timed("DTSTART", datetime(2024, 1, 1, 9), "my;zone")
        assert line == 'DTSTART;TZID="my;zone":20240101T090000'
        assert icalendar.Event.from_ical(f"BEGIN:VEVENT\r\n{line}\r\nEND:VEVENT\r\n")[
            "DTSTART"
        ].params["TZID"] == ("my;zone")


class TestOtherProperties:
    def test_every_property_in_icalendars_order(self) -> None:
        """All the properties, in icalendar's order, each once."""
        stamped = Stamped(
            entry=CalendarEvent(
                id="s1",
                kind="session",
                summary="Final",
                start=datetime(2024, 8, 29, 8, tzinfo=UTC),
                end=datetime(2024, 8, 29, 9, tzinfo=UTC),
                zone="Europe/Paris",
                status=CalendarStatus.TENTATIVE,
                location="La Défense Arena",
                geo=(48.8957, 2.2291),
                description="Men's 100m",
                categories=("Para Swimming", "Final"),
                url="https://a.example/s1",
            ),
            sequence=2,
            modified=datetime(2024, 7, 2, tzinfo=UTC),
            stamp=datetime(2024, 7, 1, tzinfo=UTC),
        )
        data = event_bytes(stamped, DOMAIN)
        names = [line.split(b":")[0].split(b";")[0] for line in physical_lines(data)]
        assert names == [
            b"BEGIN",
            b"SUMMARY",
            b"DTSTART",
            b"DTEND",
            b"DTSTAMP",
            b"UID",
            b"SEQUENCE",
            b"CATEGORIES",
            b"DESCRIPTION",
            b"GEO",
            b"LAST-MODIFIED",
            b"LOCATION",
            b"STATUS",
            b"URL",
            b"END",
        ]
        assert data == reference_bytes(stamped, DOMAIN)
        assert unfolded_value(data, b"GEO") == b"48.8957;2.2291"
        assert unfolded_value(data, b"CATEGORIES") == b"Para Swimming,Final"

    def test_no_categories_is_an_empty_categories_line(self) -> None:
        """As icalendar writes it: ``CATEGORIES:``, read back as one empty category."""
        data = event_bytes(event(), DOMAIN)
        assert b"\r\nCATEGORIES:\r\n" in data
        assert parsed(data).decoded("CATEGORIES") == [""]

    def test_a_url_with_a_line_break_is_percent_encoded(self) -> None:
        """A URL holding CRLF stays on its line, percent-encoded."""
        data = event_bytes(event(url="https://a.example/a\r\nX-INJ:1"), DOMAIN)
        assert unfolded_value(data, b"URL") == b"https://a.example/a%0D%0AX-INJ:1"
        check_lines(data)

    def test_a_negative_sequence_is_refused(self) -> None:
        """SEQUENCE is 0 or more: a CeremonyError, not a bad feed."""
        with pytest.raises(CeremonyError, match="SEQUENCE must be 0 or more"):
            Stamped(entry=event().entry, sequence=-1)


def test_under_optimized_python_no_line_is_injected() -> None:
    """With asserts off (``PYTHONOPTIMIZE=1``), hostile text still stays in its value."""
    code = (
        "import sys\n"
        "assert False, 'asserts are on'\n"
        "from tests.test_vevent_writer import HOSTILE, DOMAIN, event, event_bytes\n"
        "text = ''.join(HOSTILE) * 3\n"
        "data = event_bytes(event(summary=text, description=text, location=text,\n"
        "                         categories=(text,), url=text), DOMAIN)\n"
        "lines = data[:-2].split(b'\\r\\n')\n"
        "assert_ok = all(len(line) <= 75 for line in lines)\n"
        "bare = data.replace(b'\\r\\n', b'')\n"
        "clean = b'\\r' not in bare and b'\\n' not in bare and b'\\x00' not in data\n"
        "unfolded = data.replace(b'\\r\\n ', b'').split(b'\\r\\n')\n"
        "single = unfolded.count(b'BEGIN:VEVENT') == 1 and unfolded.count(b'END:VEVENT') == 1\n"
        "print(sys.flags.optimize, assert_ok, clean, single)\n"
    )
    environment = {**os.environ, "PYTHONOPTIMIZE": "1"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "True", "True", "True"]


def test_the_replacement_is_what_the_model_refuses() -> None:
    """plain() replaces exactly the control characters and surrogates that are no line
    break nor tab: every one of them a character the model refuses."""
    others = [chr(code) for code in range(0x110000) if chr(code) != REPLACEMENT]
    replaced = {char for char in others if plain(char) == REPLACEMENT}
    assert replaced == {
        char
        for char in others
        if _clean_char(char) == REPLACEMENT and len(f"a{char}b".splitlines()) == 1
    }
    assert len(replaced) == 2048 + 65 - 1 - 8  # surrogates; Cc but tab and 8 line breaks
    assert all(control_character(char) for char in replaced)
