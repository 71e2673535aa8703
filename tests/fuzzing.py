"""Mutators and the in-process pipeline of the fuzz test (``tests/test_fuzz.py``).

A mutator takes a random generator, the bytes of an input and its suffix (``.yaml``,
``.ics``, ``.xml``, ``.xlsx`` ...) and gives mutated bytes. One mutator per idea; the
fuzz test picks one or two per case. :func:`run_case` loads a mutated input the way the
command line does and sends the programme through every exporter: only
:class:`ceremony.CeremonyError` may come out.

Replay a saved failure with ``python -m tests.fuzzing FILE`` (the suffix says what it is).
"""

# Every mutator has the same signature, (rng, data, suffix); not all of them need all three.
# ruff: noqa: ARG001

from __future__ import annotations

import copy
import functools
import io
import json
import random
import re
import sys
import tomllib
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import tomli_w
import yaml
from rich.console import Console

import ceremony
from ceremony.export.sheets import build_sheet, cue_sheet, departments, render_sheet
from ceremony.export.table import timeline_table
from ceremony.export.timeline import timeline_to_dict
from ceremony.export.xlsx import run_of_show_xlsx
from ceremony.io.mapping import load_mapping
from ceremony.io.odf import import_odf
from ceremony.io.run_of_show_table import import_run_of_show
from ceremony.io.tables import read_table
from ceremony.site import publish_feed

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
OPENING = EXAMPLES / "paralympic-opening.yaml"
SHOW_SUFFIXES = (".yaml", ".toml", ".json")
PRINTED_AT = datetime(2024, 8, 1, 12, 0, tzinfo=UTC)

Mutator = Callable[[random.Random, bytes, str], bytes]
"""``(rng, data, suffix) -> mutated data``."""

# --- values worth trying --------------------------------------------------------------------

CONTROL_CHARS = ("\v", "\f", "\x00", "\x01", "\x1b", "\x7f", "\x85", "\u2028", "\ufffe", "\r")
EDGE_DATES = (
    "0001-01-01",
    "9999-12-31",
    "0000-01-01",
    "2024-02-30",
    "2024-13-01",
    "0999-12-31",
    "1000-01-01",
    "2999-12-31",
    "3000-01-01",
)
EDGE_DURATIONS = (
    "87600000h",
    "8784h",
    "8785h",
    "99999999999999999999s",
    "-5m",
    "0s",
    "1e9h",
    "PT87600000H",
    "P99999999W",
    "999999999d",
)
HUGE_NUMBERS = (
    "99999999999999999999999999",
    "-1",
    "0",
    "1e308",
    "1e999",
    "-0.0",
    "nan",
    "2147483648",
    "9223372036854775808",
    "9" * 500,
)
EDGE_STRINGS = (
    "",
    " ",
    "Title\vwith a vertical tab",
    "\x1b[31mred\x1b[0m",
    "nul\x00here",
    "line\u2028separator",
    '=HYPERLINK("http://x")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "x" * 5000,
)
EDGE_VALUES: tuple[Any, ...] = (
    date(1, 1, 1),
    date(9999, 12, 31),
    datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC),
    datetime(1, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=14))),
    "9999-12-31T23:59:59+02:00",
    "0001-01-01T00:00:00+14:00",
    "87600000h",
    "-87600000h",
    2**64,
    -(2**63),
    *EDGE_STRINGS,
)
SWAPPED_TYPES: tuple[Any, ...] = (
    [],
    {},
    [1, "a"],
    {"x": 1},
    {"id": "x"},
    0,
    -1,
    10**30,
    1.5,
    True,
    False,
    None,
    "",
    "text",
    date(2024, 8, 28),
)


# --- helpers ---------------------------------------------------------------------------------


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def on_text(mutate: Callable[[random.Random, str], str]) -> Mutator:
    """A mutator of the input's text (undecodable bytes pass through unchanged)."""

    @functools.wraps(mutate)
    def apply(rng: random.Random, data: bytes, suffix: str) -> bytes:
        return _bytes(mutate(rng, _text(data)))

    return apply


def _replace_match(rng: random.Random, text: str, pattern: str, values: tuple[str, ...]) -> str:
    """Replace one random match of ``pattern`` (group 1 if it has one) with one of ``values``."""
    matches = list(re.finditer(pattern, text))
    if not matches:
        return text
    match = rng.choice(matches)
    group = 1 if match.re.groups else 0
    start, end = match.span(group)
    return text[:start] + rng.choice(values) + text[end:]


# --- byte mutators ---------------------------------------------------------------------------


def flip_bytes(rng: random.Random, data: bytes, suffix: str) -> bytes:
    """Change one to eight bytes at random."""
    if not data:
        return data
    mutable = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        mutable[rng.randrange(len(mutable))] ^= rng.randint(1, 255)
    return bytes(mutable)


def truncate(rng: random.Random, data: bytes, suffix: str) -> bytes:
    """Cut the input short, as an interrupted download or write would."""
    return data[: rng.randrange(len(data))] if data else data


def insert_nul(rng: random.Random, data: bytes, suffix: str) -> bytes:
    """A NUL byte somewhere."""
    at = rng.randrange(len(data) + 1)
    return data[:at] + b"\x00" + data[at:]


def add_bom(rng: random.Random, data: bytes, suffix: str) -> bytes:
    """A byte-order mark in front: UTF-8's usually, UTF-16's or a doubled one sometimes."""
    return rng.choice((b"\xef\xbb\xbf", b"\xef\xbb\xbf", b"\xff\xfe", b"\xef\xbb\xbf" * 2)) + data


def invalid_utf8(rng: random.Random, data: bytes, suffix: str) -> bytes:
    """Bytes that are not UTF-8 (a Latin-1 é, a lone continuation, an overlong NUL)."""
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.choice((b"\xe9", b"\x80", b"\xc0\x80", b"\xed\xa0\x80")) + data[at:]


# --- text mutators ---------------------------------------------------------------------------


@on_text
def delete_lines(rng: random.Random, text: str) -> str:
    """Delete one to three lines."""
    lines = text.splitlines(keepends=True)
    for _ in range(min(rng.randint(1, 3), len(lines))):
        del lines[rng.randrange(len(lines))]
    return "".join(lines)


@on_text
def duplicate_lines(rng: random.Random, text: str) -> str:
    """Repeat a line (a key given twice, an id used twice, a property twice)."""
    lines = text.splitlines(keepends=True)
    if not lines:
        return text
    at = rng.randrange(len(lines))
    lines.insert(at, lines[at] if lines[at].endswith("\n") else lines[at] + "\n")
    return "".join(lines)


@on_text
def swap_lines(rng: random.Random, text: str) -> str:
    """Exchange two lines."""
    lines = text.splitlines(keepends=True)
    if len(lines) < 2:
        return text
    first, second = rng.sample(range(len(lines)), 2)
    lines[first], lines[second] = lines[second], lines[first]
    return "".join(lines)


@on_text
def line_endings(rng: random.Random, text: str) -> str:
    """CRLF line ends (or bare CR, or LF where there was CRLF)."""
    if "\r\n" in text and rng.random() < 0.5:
        return text.replace("\r\n", "\n")
    return text.replace("\n", rng.choice(("\r\n", "\r\n", "\r")))


@on_text
def control_char(rng: random.Random, text: str) -> str:
    """A control character (vertical tab, escape, NEL, ...) inside a word."""
    letters = [m.end() for m in re.finditer(r"[A-Za-z]", text)]
    at = rng.choice(letters) if letters else 0
    return text[:at] + rng.choice(CONTROL_CHARS) + text[at:]


@on_text
def huge_number(rng: random.Random, text: str) -> str:
    """A number replaced with a huge, negative, infinite or not-a-number one."""
    return _replace_match(rng, text, r"\d+(?:\.\d+)?", HUGE_NUMBERS)


@on_text
def edge_date(rng: random.Random, text: str) -> str:
    """A date replaced with one at (or past) the edge of the calendar: 0001-01-01, 9999-12-31."""
    return _replace_match(rng, text, r"\d{4}-\d{2}-\d{2}", EDGE_DATES)


@on_text
def huge_duration(rng: random.Random, text: str) -> str:
    """A duration replaced with an absurd one: 87600000h, P99999999W, -5m."""
    return _replace_match(
        rng, text, r"(?<![\w.-])(\d+(?:h|m|s|d|min)(?:\d+[ms])*|P[T\dWDHMS]+)\b", EDGE_DURATIONS
    )


@on_text
def long_string(rng: random.Random, text: str) -> str:
    """A run of 20,000 characters inside a word."""
    letters = [m.end() for m in re.finditer(r"[A-Za-z]", text)]
    at = rng.choice(letters) if letters else 0
    return text[:at] + rng.choice("xé€😀 ") * 20_000 + text[at:]


TEXT_MUTATORS: tuple[Mutator, ...] = (
    flip_bytes,
    truncate,
    insert_nul,
    add_bom,
    invalid_utf8,
    delete_lines,
    duplicate_lines,
    swap_lines,
    line_endings,
    control_char,
    huge_number,
    edge_date,
    huge_duration,
    long_string,
)
"""Mutators that make sense for any text input."""


# --- show-file data mutators (parse, change the structure, dump back) --------------------------

_NEST = "@@nested@@"


def _parse(data: bytes, suffix: str) -> Any:
    text = data.decode("utf-8")
    if suffix == ".toml":
        return tomllib.loads(text)
    if suffix == ".json":
        return json.loads(text)
    return yaml.safe_load(text)


def _dump(value: Any, suffix: str) -> str:
    if suffix == ".toml":
        return tomli_w.dumps(value)
    if suffix == ".json":
        return json.dumps(value, indent=1, ensure_ascii=False, default=str)
    return yaml.safe_dump(value, sort_keys=False, allow_unicode=True)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a parsed document, outermost first."""
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*path, index))


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        value = value[part]
    return value


def on_data(mutate: Callable[[random.Random, Any, Any, str], None]) -> Mutator:
    """A mutator of a show file's parsed structure, at one random place, dumped back.

    ``mutate(rng, parent, key, suffix)`` changes ``parent[key]`` in place. Inputs that
    no longer parse, or values the syntax cannot write (TOML has no null), are left as
    they are.
    """

    @functools.wraps(mutate)
    def apply(rng: random.Random, data: bytes, suffix: str) -> bytes:
        try:
            document = _parse(data, suffix)
        except Exception:  # a mutated input that no longer parses (or nests too deep)
            return data
        places = [p for p in _paths(document) if p]
        if not places:
            return data
        path = rng.choice(places)
        mutate(rng, _get(document, path[:-1]), path[-1], suffix)
        try:
            text = _dump(document, suffix)
        except Exception:  # a value the syntax cannot write (TOML has no null)
            return data
        return _bytes(text)

    return apply


def _swappable(suffix: str) -> tuple[Any, ...]:
    return tuple(v for v in SWAPPED_TYPES if v is not None) if suffix == ".toml" else SWAPPED_TYPES


@on_data
def swap_type(rng: random.Random, parent: Any, key: Any, suffix: str) -> None:
    """A value replaced with one of another type: a list, a mapping, a number, a bool, null."""
    parent[key] = copy.deepcopy(rng.choice(_swappable(suffix)))


@on_data
def edge_value(rng: random.Random, parent: Any, key: Any, suffix: str) -> None:
    """A value replaced with an edge: 9999-12-31, 87600000h, 2**64, a control character."""
    parent[key] = rng.choice(EDGE_VALUES)


@on_data
def drop_key(rng: random.Random, parent: Any, key: Any, suffix: str) -> None:
    """A key (or list item) removed: a required field missing."""
    del parent[key]


@on_data
def duplicate_item(rng: random.Random, parent: Any, key: Any, suffix: str) -> None:
    """A list item given twice (the same id twice), or a mapping's value copied to a new key."""
    if isinstance(parent, list):
        parent.insert(key, parent[key])
    else:
        parent[f"{key}_copy"] = parent[key]


@on_data
def mark_nesting(rng: random.Random, parent: Any, key: Any, suffix: str) -> None:
    """Mark a value for :func:`deep_nesting` (replaced after dumping)."""
    parent[key] = _NEST


def deep_nesting(rng: random.Random, data: bytes, suffix: str) -> bytes:
    """A value replaced with lists (or mappings) nested 65 to 20,000 deep."""
    marked = mark_nesting(rng, data, suffix)
    if marked == data:
        return data
    depth = rng.choice((63, 64, 65, 100, 1000, 5000, 20_000))
    if rng.random() < 0.5:
        nested = "[" * depth + "]" * depth
    elif suffix == ".json":
        nested = '{"a": ' * depth + "1" + "}" * depth
    elif suffix == ".toml":
        nested = "{a = " * depth + "1" + "}" * depth
    else:
        nested = "{a: " * depth + "1" + "}" * depth
    text = _text(marked)
    return _bytes(re.sub(rf"""(['"]?){_NEST}\1""", lambda _: nested, text, count=1))


SHOW_MUTATORS: tuple[Mutator, ...] = (
    *TEXT_MUTATORS,
    swap_type,
    swap_type,
    edge_value,
    edge_value,
    drop_key,
    duplicate_item,
    deep_nesting,
)
"""Mutators for YAML, TOML and JSON show files (the structural ones weighted twice)."""


# --- iCalendar mutators ----------------------------------------------------------------------

_ICS_PROPERTY = r"(?m)^(?:DTSTART|DTEND|DURATION|UID|SUMMARY|STATUS|CATEGORIES|TZID|DTSTAMP)[;:].*$"


@on_text
def ics_duplicate_property(rng: random.Random, text: str) -> str:
    """A property given twice in one component (two DTSTART, two UID ...)."""
    matches = list(re.finditer(_ICS_PROPERTY, text))
    if not matches:
        return text
    match = rng.choice(matches)
    copy = match.group()
    if rng.random() < 0.5:  # the copy disagrees with the original
        copy = re.sub(r"\d{8}T\d{4}", "20240829T0101", copy)
    return text[: match.end()] + "\r\n" + copy + text[match.end() :]


@on_text
def ics_edge_time(rng: random.Random, text: str) -> str:
    """A date-time at (or past) the edge of the calendar: 00010101T000000, 99991231T235959Z."""
    return _replace_match(
        rng,
        text,
        r"\d{8}(?:T\d{6}Z?)?",
        ("00010101T000000", "99991231T235959Z", "99991231", "00000000T000000", "20240230T250000"),
    )


@on_text
def ics_edge_duration(rng: random.Random, text: str) -> str:
    """An absurd DURATION after a DTSTART: PT87600000H, P99999999W, a negative one."""
    value = rng.choice(("PT87600000H", "P99999999W", "-PT1H", "P", "PT0S", "P9999999999D"))
    return re.sub(
        r"(?m)^(DTSTART[;:].*)$", lambda m: f"{m.group(1)}\r\nDURATION:{value}", text, count=1
    )


@on_text
def ics_fold(rng: random.Random, text: str) -> str:
    """A line folded (CRLF and a space) at a random place, as RFC 5545 allows."""
    at = rng.randrange(len(text) + 1)
    return text[:at] + "\r\n " + text[at:]


@on_text
def ics_bad_zone(rng: random.Random, text: str) -> str:
    """A TZID that names no zone, an empty one, a folder of the zone database, a long one."""
    return _replace_match(
        rng,
        text,
        r"TZID[=:]([^:;\r\n]*)",
        ("Mars/Base", "", "UTC+99", "../../etc/passwd", "Europe", "America", "Europe/" + "x" * 300),
    )


ICS_MUTATORS: tuple[Mutator, ...] = (
    *TEXT_MUTATORS,
    ics_duplicate_property,
    ics_duplicate_property,
    ics_edge_time,
    ics_edge_time,
    ics_edge_duration,
    ics_fold,
    ics_bad_zone,
)
"""Mutators for .ics files."""


# --- XML mutators (ODF messages and the parts of an XLSX workbook) ---------------------------

EDGE_ATTRIBUTES = (
    "",
    "9999-12-31T23:59:59+02:00",
    "0001-01-01T00:00:00+14:00",
    "2024-02-30T25:61:00+02:00",
    "2024-08-08T07:30:00+99:00",
    "99999999999999999999",
    "-1",
    "&#x1;",
    "&#xB;",
    "&#x85;",
    "&amp;&lt;&gt;",
    "x" * 5000,
)


@on_text
def xml_attribute(rng: random.Random, text: str) -> str:
    """An attribute's value replaced with an edge: a far date, a huge number, a char ref."""
    return _replace_match(rng, text, r'\w+="([^"]*)"', EDGE_ATTRIBUTES)


def _declaration_end(text: str) -> int:
    """Where the XML declaration ends (0 without one, or with one a mutator broke)."""
    end = text.find("?>") if text.startswith("<?xml") else -1
    return end + 2 if end != -1 else 0


@on_text
def xml_encoding(rng: random.Random, text: str) -> str:
    """The XML declaration names another (or an unknown) encoding, or goes away."""
    encoding = rng.choice(("x-foo", "UTF-16", "ISO-8859-1", "ascii", "utf-32", "", "cp037"))
    declaration = f'<?xml version="1.0" encoding="{encoding}"?>'
    if rng.random() < 0.2:
        declaration = ""
    return declaration + text[_declaration_end(text) :]


def xml_transcode(rng: random.Random, data: bytes, suffix: str) -> bytes:
    """The bytes re-encoded (UTF-16, Latin-1) while the declaration still says UTF-8."""
    text = _text(data)
    try:
        return text.encode(rng.choice(("utf-16", "utf-16-le", "latin-1", "utf-32")))
    except UnicodeError:
        return data


@on_text
def xml_entities(rng: random.Random, text: str) -> str:
    """A document type that declares entities (a small billion-laughs, an external one)."""
    doctype = rng.choice(
        (
            '<!DOCTYPE OdfBody [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>',
            '<!DOCTYPE OdfBody [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
            '<!DOCTYPE worksheet SYSTEM "http://example.invalid/x.dtd">',
        )
    )
    end = _declaration_end(text)
    return text[:end] + doctype + text[end:]


@on_text
def xml_duplicate_element(rng: random.Random, text: str) -> str:
    """An element repeated (the same unit or cell twice)."""
    matches = list(re.finditer(r"<(\w+)\b[^>]*?(?:/>|>.*?</\1>)", text, re.DOTALL))
    if not matches:
        return text
    match = rng.choice(matches)
    return text[: match.end()] + match.group() + text[match.end() :]


@on_text
def xml_delete_element(rng: random.Random, text: str) -> str:
    """An element removed."""
    matches = list(re.finditer(r"<(\w+)\b[^>]*?(?:/>|>.*?</\1>)", text, re.DOTALL))
    if not matches:
        return text
    match = rng.choice(matches)
    return text[: match.start()] + text[match.end() :]


ODF_MUTATORS: tuple[Mutator, ...] = (
    *TEXT_MUTATORS,
    xml_attribute,
    xml_attribute,
    xml_attribute,
    xml_encoding,
    xml_transcode,
    xml_entities,
    xml_duplicate_element,
    xml_delete_element,
)
"""Mutators for ODF messages."""


# --- XLSX mutators ---------------------------------------------------------------------------

SHEET = "xl/worksheets/sheet1.xml"
EDGE_CELLS = (
    "87600000h",
    "-5m",
    "9999-12-31",
    "9999-12-31T23:59",
    "0001-01-01T00:00",
    "25:99",
    "{target: 87600000h}",
    "[" * 5000 + "]" * 5000,
    "{a: " * 500 + "1" + "}" * 500,
    "!!python/object/apply:os.system ['true']",
    "=cmd|' /C calc'!A0",
    "*unknown-alias",
    "&amp;#xB;",
    "1e308",
    "",
    "x" * 5000,
)


def _rezip(data: bytes, change: Callable[[str, bytes], bytes | None]) -> bytes:
    """The workbook with each part replaced by ``change(name, content)`` (None drops it)."""
    try:
        source = zipfile.ZipFile(io.BytesIO(data))
        parts = [(info.filename, source.read(info)) for info in source.infolist()]
    except Exception:  # already broken by a byte mutator: leave it
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts:
            changed = change(name, content)
            if changed is not None:
                target.writestr(name, changed)
    return out.getvalue()


def in_part(mutate: Mutator, *, sheet_only: bool = False) -> Mutator:
    """Apply ``mutate`` to one XML part inside the workbook (the sheet, usually), re-zipped."""

    @functools.wraps(mutate)
    def apply(rng: random.Random, data: bytes, suffix: str) -> bytes:
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except Exception:  # not a zip any more
            return data
        xml_parts = [n for n in names if n.endswith((".xml", ".rels"))]
        if not xml_parts:
            return data
        chosen = SHEET if sheet_only or rng.random() < 0.6 else rng.choice(xml_parts)
        return _rezip(data, lambda n, c: mutate(rng, c, ".xml") if n == chosen else c)

    return apply


@on_text
def xlsx_far_cell(rng: random.Random, text: str) -> str:
    """One extra cell at the far corner of the sheet (XFD1048576) or far to the right."""
    ref = rng.choice(("XFD1048576", "XFD2", "A1048576", "ZZZZ1"))
    row = int(re.sub(r"\D", "", ref))
    cell = f'<row r="{row}"><c r="{ref}" t="n"><v>1</v></c></row>'
    return text.replace("</sheetData>", cell + "</sheetData>", 1)


@on_text
def xlsx_cell_text(rng: random.Random, text: str) -> str:
    """A cell's text replaced with an edge: 87600000h, 9999-12-31, deep YAML, a formula."""
    return _replace_match(rng, text, r"<t>([^<]*)</t>", EDGE_CELLS)


@on_text
def xlsx_cell_type(rng: random.Random, text: str) -> str:
    """A cell's type changed (an inline string read as a number, a bool, a shared string)."""
    return _replace_match(rng, text, r'<c [^>]*t="(\w+)"', ("n", "b", "e", "d", "s", "str", "zz"))


@on_text
def xlsx_cell_value(rng: random.Random, text: str) -> str:
    """A number cell's value replaced with a huge, negative or non-numeric one."""
    return _replace_match(
        rng, text, r"<v>([^<]*)</v>", ("1e308", "-1e308", "99999999", "nan", "abc", "", "-0")
    )


def xlsx_drop_part(rng: random.Random, data: bytes, suffix: str) -> bytes:
    """A part of the workbook left out (the sheet, the workbook, the content types ...)."""
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except Exception:  # not a zip any more
        return data
    dropped = rng.choice(names) if names else ""
    return _rezip(data, lambda n, c: None if n == dropped else c)


XLSX_MUTATORS: tuple[Mutator, ...] = (
    flip_bytes,
    truncate,
    xlsx_drop_part,
    in_part(xlsx_far_cell, sheet_only=True),
    in_part(xlsx_cell_text, sheet_only=True),
    in_part(xlsx_cell_text, sheet_only=True),
    in_part(xlsx_cell_text, sheet_only=True),
    in_part(xlsx_cell_type, sheet_only=True),
    in_part(xlsx_cell_value, sheet_only=True),
    in_part(xml_attribute),
    in_part(xml_attribute),
    in_part(xml_encoding),
    in_part(xml_entities),
    in_part(xml_duplicate_element),
    in_part(xml_delete_element),
    in_part(control_char),
    in_part(truncate),
    in_part(flip_bytes),
)
"""Mutators for run-of-show workbooks: mostly on the XML inside, re-zipped."""


# --- the pipeline ----------------------------------------------------------------------------


@functools.cache
def opening() -> ceremony.Programme:
    """The programme a run-of-show workbook is imported into (``--into``)."""
    return ceremony.load(OPENING)


def opening_xlsx() -> bytes:
    """The run-of-show workbook of the Paralympic opening, as ``ceremony sheet -o`` writes it."""
    programme = opening()
    show = programme.ceremonies[0]
    return run_of_show_xlsx(programme, show, ceremony.resolve(programme, ceremony=show.id))


def load_input(path: Path) -> ceremony.Programme:
    """Read an input the way the command line does, by its suffix."""
    if path.suffix in (*SHOW_SUFFIXES, ".ics"):
        return ceremony.load(path)  # .ics: the iCalendar importer
    if path.suffix == ".xml":
        return import_odf([path], timezone="Europe/Paris").programme
    if path.suffix == ".xlsx":
        table = read_table(path)
        return import_run_of_show(table, load_mapping("run-of-show"), programme=opening()).programme
    raise ValueError(f"no loader for {path.suffix}")


def exercise(
    programme: ceremony.Programme,
    work: Path,
    *,
    before: ceremony.Programme | None = None,
    publish: bool = False,
    round_trip: bool = False,
) -> None:
    """Resolve and check ``programme`` and send it through every exporter (PDF left out).

    ``before`` is an earlier revision (diffed, and marked on the sheets); ``publish`` also
    writes a feed with its publish state and a whole feed site into ``work``; ``round_trip``
    reads every dumped show file back.
    """
    ceremony.check(programme)
    timelines = [(c, ceremony.resolve(programme, ceremony=c.id)) for c in programme.ceremonies]
    schedule = ceremony.resolve_schedule(programme) if programme.sessions or not timelines else None
    console = Console(file=io.StringIO(), width=160, color_system=None)
    for index, (show, timeline) in enumerate(timelines):
        run_of_show_xlsx(programme, show, timeline)
        if index == 0:  # the live view, ten minutes into the show
            ceremony.resolve(
                programme, ceremony=show.id, now=timeline.start + timedelta(minutes=10)
            )
    for timeline in [t for _, t in timelines] + ([schedule] if schedule else []):
        timeline_to_dict(timeline)
        timeline_to_dict(timeline, "Asia/Tokyo")
        console.print(timeline_table(timeline, ("America/New_York",), backtime=True))
        sheet = build_sheet(
            programme,
            timeline,
            printed_at=PRINTED_AT,
            extra_zones=("UTC",),
            backtime=True,
            since=before,
        )
        for fmt in ("txt", "md", "csv", "html"):
            render_sheet(sheet, fmt)
        for name in departments(sheet)[:2]:
            render_sheet(cue_sheet(sheet, name), "txt")
    chosen = ceremony.calendar_events(programme, segments=True, crew=True)
    ceremony.to_ical(programme)
    ceremony.to_ical(programme, segments=True, crew=True)
    ceremony.feed_set(programme, chosen)
    if before is not None:
        ceremony.diff(before, programme)
    if publish:
        publish_feed(programme, work / "feed.ics", now=PRINTED_AT, selected=chosen)
        ceremony.build_site(programme, work / "site", now=PRINTED_AT, segments=True)
    for syntax in ("yaml", "toml", "json"):
        text = ceremony.dumps(programme, syntax)
        if round_trip:
            ceremony.loads(text, syntax, file=f"round-trip.{syntax}")


def run_case(
    path: Path,
    work: Path,
    *,
    before: ceremony.Programme | None = None,
    publish: bool = False,
    round_trip: bool = False,
) -> None:
    """Load the input at ``path`` and exercise it (see :func:`exercise`)."""
    programme = load_input(path)
    exercise(programme, work, before=before, publish=publish, round_trip=round_trip)


def main(argv: list[str]) -> int:
    """Replay saved inputs: ``python -m tests.fuzzing FILE...``; tracebacks are shown."""
    import tempfile  # noqa: PLC0415 - only the replay needs it

    for name in argv:
        with tempfile.TemporaryDirectory() as work:
            try:
                run_case(Path(name), Path(work), publish=True)
            except ceremony.CeremonyError as error:
                print(f"{name}: CeremonyError (allowed): {error}")
            else:
                print(f"{name}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
