"""Import a schedule spreadsheet: one row per competition session or unit.

What each column means comes from a :class:`~ceremony.io.mapping.TableMapping`. The rows
real exports hold are handled as a person would: an offset where a zone belongs becomes
the venue's zone when they agree (and is kept when not); a row with no end gets the
default duration, said in its notes and in a finding; a blank status is SCHEDULED; medal
codes 0/1/3 mean none, the gold-medal unit and the bronze-medal unit; a clock-only end
earlier than its start is on the next day. A cell that cannot be read is an error naming
the file, the line and the column; nothing is written.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, time, timedelta
from urllib.parse import urljoin

from ceremony.durations import format_duration, parse_duration
from ceremony.errors import ModelError, ShowFileError
from ceremony.findings import Finding, Severity
from ceremony.io.importing import Imported, VenueZones, finding
from ceremony.io.mapping import TableKind, TableMapping
from ceremony.io.tables import Row, Table
from ceremony.limits import date_in_range, date_range_text
from ceremony.model import CompetitionSession, Medal, Programme, ScheduleStatus, Venue
from ceremony.slugs import id_slug
from ceremony.zones import add, localize, utc, zone

MEDAL_CODES: dict[str, Medal | None] = {
    "": None,
    "0": None,
    "1": Medal.GOLD,
    "3": Medal.BRONZE,
    "no": None,
    "false": None,
    "gold": Medal.GOLD,
    "bronze": Medal.BRONZE,
}
"""Medal cells: 0/1/3 as in ODF (1 = gold-medal unit, 3 = bronze-medal unit), or words."""

_CLOCK = re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$")


def import_sessions(
    table: Table,
    mapping: TableMapping,
    *,
    timezone: str | None = None,
    venue_zones: dict[str, str] | None = None,
    default_duration: timedelta | None = None,
    name: str | None = None,
) -> Imported:
    """A programme of sessions from a sheet read with ``mapping``.

    ``timezone``, ``venue_zones``, ``default_duration`` and ``name`` override the mapping's.
    Times with no offset are in their venue's named zone, else ``timezone``; with neither,
    they are an error.
    """
    if mapping.table is not TableKind.SESSIONS:
        raise ShowFileError(f"this mapping is for a {mapping.table.value} sheet, not sessions")
    table.require([*mapping.columns.items(), *(("id", column) for column in mapping.id)])
    reader = _SessionReader(
        table,
        mapping,
        timezone=timezone or mapping.timezone,
        venue_zones={**mapping.venues, **(venue_zones or {})},
        default_duration=default_duration or mapping.default_duration,
    )
    sessions = [reader.session(row) for row in table.rows]
    programme = Programme(
        name=name or mapping.programme or table.file,
        timezone=reader.zones.default,
        venues=reader.venues(),
        sessions=sessions,
    )
    return Imported(
        programme=programme,
        findings=(*reader.findings, *reader.summary(), *reader.zones.findings(table.file)),
    )


class _SessionReader:
    def __init__(
        self,
        table: Table,
        mapping: TableMapping,
        *,
        timezone: str | None,
        venue_zones: dict[str, str],
        default_duration: timedelta | None,
    ) -> None:
        self.table = table
        self.mapping = mapping
        self.columns = mapping.columns
        self.named_zone = timezone is not None
        self.zones = VenueZones(timezone or "UTC", venue_zones)
        self.default_duration = default_duration
        self.findings: list[Finding] = []
        self.blank_statuses: list[int] = []
        self._venue_names: dict[str, str] = {}
        self._ids: Counter[str] = Counter()
        self._url_id = re.compile(mapping.url_id) if mapping.url_id else None

    # --- one row ---------------------------------------------------------------------------

    def session(self, row: Row) -> CompetitionSession:
        venue_code = self.cell(row, "venue") or None
        if venue_code:
            self._venue_names.setdefault(venue_code, self.cell(row, "venue_name") or venue_code)
        start = self.instant(row, "start", venue_code)
        end = self.instant(row, "end", venue_code, after=start)
        duration = self.duration(row)
        notes = self.cell(row, "notes") or None
        if start is not None and end is not None and utc(end) <= utc(start):
            self.end_not_after_start(row, start, end)
            end = None  # a start only: no default duration either
        elif start is not None and end is None and duration is None:
            duration, notes = self.assumed_duration(row, notes)
        if end is not None or not duration:
            duration = None  # the end says it exactly, or there is no length to say
        self.check_day(row, start, venue_code)
        medal = self.medal(row)
        try:
            return CompetitionSession(
                id=self.row_id(row, start),
                code=self.cell(row, "code") or None,
                sport=self.cell(row, "sport") or "Competition",
                discipline=self.cell(row, "discipline") or None,
                event=self.cell(row, "event") or None,
                gender=self.cell(row, "gender") or None,
                classification=self.cell(row, "classification") or None,
                phase=self.cell(row, "phase") or None,
                title=self.cell(row, "title") or None,
                unit_type=self.cell(row, "unit_type") or None,
                venue=id_slug(venue_code) if venue_code else None,
                location=self.cell(row, "location") or None,
                start=start,
                end=end,
                duration=duration,
                medal=medal is not None,
                medal_unit=medal,
                status=self.status(row),
                url=self.url(row),
                notes=notes,
            )
        except ModelError as exc:
            field = exc.path[0] if exc.path else "row"
            raise self.error(row, str(field), exc.message) from None

    def cell(self, row: Row, field: str) -> str:
        text = row.get(self.columns.get(field))
        translated = self.mapping.values.get(field, {})
        return translated.get(text, text)

    def error(self, row: Row, field: str, message: str) -> ShowFileError:
        column = self.columns.get(field)
        where = f"column {column!r} ({field})" if column else field
        return ShowFileError(f"{where}: {message}", file=self.table.file, line=row.line)

    def note(self, row: Row, severity: Severity, code: str, message: str) -> None:
        location = f"{self.table.file}:{row.line}"
        self.findings.append(finding(severity, code, message, location))

    def instant(
        self, row: Row, field: str, venue: str | None, *, after: datetime | None = None
    ) -> datetime | None:
        text = self.cell(row, field)
        if not text:
            return None
        tz_name = self.zones.zone_name(venue)
        try:
            if _CLOCK.match(text):
                value = self.clock(row, text, tz_name, after)
            else:
                value = datetime.fromisoformat(text)
        except ValueError:
            raise self.error(
                row, field, f"{text!r} is not a date and time (write 2024-07-27T20:30+02:00)"
            ) from None
        if not date_in_range(value):
            raise self.error(row, field, _out_of_range(text))
        if value.utcoffset() is None:
            if not self.named_zone and self.zones.named_zone(venue or "") is None:
                raise self.error(
                    row,
                    field,
                    f"{text!r} has no UTC offset and no time zone was named "
                    "(give --timezone, or timezone: in the mapping)",
                )
            try:
                value = localize(value, zone(tz_name))
            except ValueError as exc:
                raise self.error(row, field, str(exc)) from None
        value = self.zones.place(value, venue)
        if after is not None and utc(value) < utc(after) and _CLOCK.match(text):
            value = add(value, timedelta(days=1))  # a clock-only end past midnight
        return value

    def clock(self, row: Row, text: str, tz_name: str, after: datetime | None) -> datetime:
        """A clock-only cell: on the row's ``date``, or on the start's day for an end."""
        if after is not None:
            day = after.astimezone(zone(tz_name)).date()
        else:
            day_text = self.cell(row, "date")
            if not day_text:
                raise self.error(row, "start", f"{text!r} is a clock time and no date is mapped")
            try:
                day = date.fromisoformat(day_text[:10])
            except ValueError:
                raise self.error(row, "date", f"{day_text!r} is not a date") from None
            if not date_in_range(day):
                raise self.error(row, "date", _out_of_range(day_text))
        return datetime.combine(day, time.fromisoformat(text.zfill(5)))

    def end_not_after_start(self, row: Row, start: datetime, end: datetime) -> None:
        """An end at the start is dropped quietly noted; one before it is a warning."""
        if utc(end) == utc(start):
            self.note(
                row, Severity.INFO, "zero-length", "ends when it starts; kept with a start only"
            )
        else:
            self.note(
                row,
                Severity.WARNING,
                "end-before-start",
                f"ends ({end:%Y-%m-%d %H:%M}) before it starts ({start:%Y-%m-%d %H:%M}); "
                "the end is dropped",
            )

    def duration(self, row: Row) -> timedelta | None:
        text = self.cell(row, "duration")
        if not text:
            return None
        try:
            return parse_duration(text)
        except ValueError as exc:
            raise self.error(row, "duration", f"{text!r}: {exc}") from None

    def assumed_duration(self, row: Row, notes: str | None) -> tuple[timedelta | None, str | None]:
        if self.default_duration is None:
            self.note(row, Severity.INFO, "no-end", "no end or duration; kept with a start only")
            return None, notes
        length = format_duration(self.default_duration)
        self.note(
            row,
            Severity.INFO,
            "assumed-duration",
            f"no end or duration; {length} assumed (the default duration)",
        )
        said = f"The end is not known; {length} is assumed."
        return self.default_duration, f"{notes} {said}" if notes else said

    def check_day(self, row: Row, start: datetime | None, venue: str | None) -> None:
        text = self.cell(row, "day")
        if not text or start is None:
            return
        local = start.astimezone(zone(self.zones.zone_name(venue))).date()
        if text[:10] != local.isoformat():
            self.note(
                row,
                Severity.WARNING,
                "day-mismatch",
                f"the day column says {text[:10]}, but the start is on {local} in "
                f"{self.zones.zone_name(venue)}; is the venue's zone right?",
            )

    def medal(self, row: Row) -> Medal | None:
        text = self.cell(row, "medal")
        try:
            return MEDAL_CODES[text.lower()]
        except KeyError:
            raise self.error(
                row, "medal", f"{text!r} is not a medal code (0, 1 for gold, 3 for bronze)"
            ) from None

    def status(self, row: Row) -> ScheduleStatus:
        text = self.cell(row, "status")
        if not text:
            if "status" in self.columns:
                self.blank_statuses.append(row.line)
            return ScheduleStatus.SCHEDULED
        try:
            return ScheduleStatus(text.upper().replace(" ", "_"))
        except ValueError:
            known = ", ".join(status.value for status in ScheduleStatus)
            raise self.error(row, "status", f"{text!r} is not a status ({known})") from None

    def url(self, row: Row) -> str | None:
        text = self.cell(row, "url")
        if not text:
            return None
        return urljoin(self.mapping.url_base, text) if self.mapping.url_base else text

    def row_id(self, row: Row, start: datetime | None) -> str:
        """The row's id: its URL's key, its id columns, its ``id`` cell, else its line.

        A repeated id gets ``-2``, ``-3`` ... in sheet order.
        """
        wanted = self.url_key(row) or self.column_key(row, start)
        self._ids[wanted] += 1
        count = self._ids[wanted]
        return wanted if count == 1 else f"{wanted}-{count}"

    def column_key(self, row: Row, start: datetime | None) -> str:
        """The id the ``id`` columns make, else the ``id`` cell, else ``row-<line>``.

        A start column among the ``id`` columns gives its local time (``20240724t1500``).
        """
        if "id" in self.columns and not self.mapping.id:
            return id_slug(self.cell(row, "id") or f"row-{row.line}")
        if not self.mapping.id:
            return f"row-{row.line}"
        start_column = self.columns.get("start")
        parts = [
            f"{start:%Y%m%dt%H%M}" if column == start_column and start else row.get(column)
            for column in self.mapping.id
        ]
        return id_slug(" ".join(part for part in parts if part) or f"row-{row.line}")

    def url_key(self, row: Row) -> str | None:
        """The id the mapping's ``url_id`` finds in the row's URL (None: no match)."""
        if self._url_id is None:
            return None
        found = self._url_id.search(row.get(self.columns.get("url")))
        if found is None:
            return None
        parts = [part for part in found.groups() if part] if found.groups() else [found[0]]
        key = id_slug(" ".join(parts)) if parts else ""
        return key if key and key != "x" else None

    # --- the whole sheet -------------------------------------------------------------------

    def venues(self) -> list[Venue]:
        return [
            Venue(id=id_slug(code), name=name, timezone=self.zones.named_zone(code))
            for code, name in sorted(self._venue_names.items())
        ]

    def summary(self) -> list[Finding]:
        found = []
        if self.blank_statuses:
            lines = ", ".join(str(line) for line in self.blank_statuses[:5])
            found.append(
                finding(
                    Severity.INFO,
                    "blank-status",
                    f"{len(self.blank_statuses)} row(s) with a blank status (line {lines}) "
                    "read as SCHEDULED",
                    self.table.file,
                )
            )
        repeated = sum(count - 1 for count in self._ids.values() if count > 1)
        if repeated:
            found.append(
                finding(
                    Severity.INFO,
                    "repeated-id",
                    f"{repeated} row(s) share their id with an earlier row (parallel units); "
                    "numbered -2, -3 ... in sheet order",
                    self.table.file,
                )
            )
        return found


def _out_of_range(text: str) -> str:
    return f"{text!r} is outside the dates ceremony reads ({date_range_text()})"
