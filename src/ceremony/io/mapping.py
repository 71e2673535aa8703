"""Column mappings: which spreadsheet column holds which field, and what its values mean.

A mapping is a small YAML, TOML or JSON file (or one of the shipped ones, by name)::

    table: sessions                 # or run-of-show
    programme: Paris 2024 Olympic Games
    timezone: Europe/Paris          # venues not listed below; times written with no zone
    venues: {TAH: Pacific/Tahiti}   # venue code → IANA zone
    default_duration: 2h            # for rows with no end (each one is reported)
    url_id: '/results/([^/]+)/([^/]+)/([^/]+)$'   # the result URL's unit, where there is one
    id: [discipline_code, event, phase, location_code]
    columns: {start: start_date, end: end_date, sport: discipline, venue: venue_code}
    values: {gender: {M: men, W: women}}

Errors in a mapping name its file and line, like a show file's.
"""

from __future__ import annotations

import enum
import os
import re
from datetime import timedelta
from importlib import resources
from pathlib import Path as FilePath

import attrs

from ceremony.errors import ModelError, ShowFileError
from ceremony.io.converter import CONVERTER
from ceremony.io.showfile import first_problem
from ceremony.io.syntax import format_for, read_document
from ceremony.model.checks import not_negative, time_zone
from ceremony.zones import zone

SHIPPED = ("olympics-com", "run-of-show")
"""The mappings that come with ceremony, by name (``--map olympics-com``)."""


class TableKind(enum.Enum):
    """What a sheet holds: competition sessions, or one ceremony's run-of-show."""

    SESSIONS = "sessions"
    RUN_OF_SHOW = "run-of-show"


SESSION_FIELDS = (
    "id",
    "code",
    "start",
    "end",
    "duration",
    "date",
    "day",
    "title",
    "sport",
    "discipline",
    "event",
    "phase",
    "gender",
    "classification",
    "venue",
    "venue_name",
    "location",
    "status",
    "medal",
    "unit_type",
    "url",
    "notes",
)
"""The fields a sessions sheet can map (``date`` goes with clock-only start and end cells;
``day`` is the competition day, checked against each start's date at its venue)."""

RUN_OF_SHOW_FIELDS = (
    "number",
    "id",
    "act",
    "kind",
    "title",
    "start",
    "duration",
    "end",
    "track",
    "who",
    "location",
    "notes",
    "visibility",
    "details",
)
"""The fields a run-of-show sheet can map; other columns can be departments' cues."""


def _pattern(_: object, attribute: attrs.Attribute[str | None], value: str | None) -> None:
    """Refuse a ``url_id`` that is not a regular expression."""
    if value is None:
        return
    try:
        re.compile(value)
    except re.error as exc:
        message = f"{value!r} is not a regular expression ({exc})"
        raise ModelError(message, path=(attribute.name,)) from None


@attrs.frozen(kw_only=True)
class CeremonyHeading:
    """What a run-of-show sheet does not say about its ceremony (given in the mapping)."""

    id: str = "show"
    title: str | None = None
    venue: str | None = None
    venue_name: str | None = None
    start: str | None = None
    """When the show starts: ``2024-08-28T20:00`` (in the mapping's zone) or with an offset."""
    hard_out: str | None = None


@attrs.frozen(kw_only=True)
class TableMapping:
    """How to read one kind of spreadsheet: see the module's docstring."""

    table: TableKind = TableKind.SESSIONS
    programme: str | None = None
    timezone: str | None = attrs.field(default=None, validator=time_zone)
    venues: dict[str, str] = attrs.field(factory=dict)
    default_duration: timedelta | None = attrs.field(default=None, validator=not_negative)
    id: tuple[str, ...] = ()
    """Columns whose values, joined, make each row's id (duplicates get ``-2``, ``-3`` ...)."""
    url_id: str | None = attrs.field(default=None, validator=_pattern)
    """A regular expression searched in each row's ``url`` cell: its groups, joined, make the
    id (a key that survives a reschedule); a row whose URL does not match falls back to
    ``id``."""
    columns: dict[str, str] = attrs.field(factory=dict)
    """Field → column heading."""
    values: dict[str, dict[str, str]] = attrs.field(factory=dict)
    """Field → {value in the sheet: value meant}, e.g. ``{gender: {M: men}}``."""
    url_base: str | None = None
    """Prefixed to relative URLs (``/en/...``)."""
    departments: dict[str, str] = attrs.field(factory=dict)
    """Run-of-show: column heading → department, e.g. ``{LX: lighting}``."""
    other_columns: str = attrs.field(
        default="ignore", validator=attrs.validators.in_(("ignore", "departments"))
    )
    """Run-of-show: ``departments`` reads every unmapped column as a department's cues."""
    ignore: tuple[str, ...] = ()
    """Column headings never read (worked-out columns such as a clock)."""
    ceremony: CeremonyHeading = attrs.field(factory=CeremonyHeading)

    def __attrs_post_init__(self) -> None:
        fields = SESSION_FIELDS if self.table is TableKind.SESSIONS else RUN_OF_SHOW_FIELDS
        for field in self.columns:
            if field not in fields:
                raise ModelError(
                    f"{field!r} is not a field of a {self.table.value} sheet; the fields are "
                    + ", ".join(fields),
                    path=("columns", field),
                )
        if self.url_id is not None and "url" not in self.columns:
            raise ModelError("url_id reads the url column: map it (columns: {url: ...})")
        for code, name in self.venues.items():
            try:
                zone(name)
            except ValueError as exc:
                raise ModelError(str(exc), path=("venues", code)) from None


def load_mapping(name: str | os.PathLike[str]) -> TableMapping:
    """A mapping file, or a shipped mapping by name (:data:`SHIPPED`)."""
    text_name = os.fspath(name)
    if text_name in SHIPPED and not FilePath(text_name).exists():
        text = resources.files("ceremony.mappings").joinpath(f"{text_name}.yaml").read_text()
        return loads_mapping(text, f"{text_name}.yaml", syntax_of=f"{text_name}.yaml")
    try:
        text = FilePath(text_name).read_text(encoding="utf-8")
    except FileNotFoundError:
        shipped = ", ".join(SHIPPED)
        raise ShowFileError(f"no such mapping file (shipped: {shipped})", file=text_name) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ShowFileError(f"cannot read: {exc}", file=text_name) from None
    return loads_mapping(text, text_name)


def loads_mapping(text: str, file: str, *, syntax_of: str | None = None) -> TableMapping:
    """Read a mapping from text (syntax by ``file``'s suffix)."""
    document = read_document(text, format_for(syntax_of or file), file)
    if not isinstance(document.data, dict):
        raise ShowFileError("a mapping file is a mapping (table:, columns: ...)", file=file)
    try:
        mapping: TableMapping = CONVERTER.structure(document.data, TableMapping)
    except Exception as exc:
        raise first_problem(exc, document, file, TableMapping) from None
    return mapping
