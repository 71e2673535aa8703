"""Import a run-of-show spreadsheet: one row per item, departments' cues in their columns.

The rows become show-file data and go through the same converter as a show file, so every
rule (and every error message) is the show file's; an error names the sheet's file and row.
With a programme to import into, its people, venues and delegations are there to refer to
and the ceremony of the mapping's id is replaced; otherwise the mapping's ``ceremony:``
section says what the show is, and each name under Who becomes a person.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ceremony.errors import Path, ShowFileError
from ceremony.io.importing import Imported
from ceremony.io.mapping import TableKind, TableMapping
from ceremony.io.run_of_show_cells import parse_cue_lines, parse_duration_cell, parse_start_cell
from ceremony.io.showfile import from_document, to_data
from ceremony.io.syntax import Document, read_document
from ceremony.io.tables import Row, Table
from ceremony.limits import date_in_range, date_range_text
from ceremony.model import Programme
from ceremony.slugs import id_slug


def import_run_of_show(
    table: Table,
    mapping: TableMapping,
    *,
    programme: Programme | None = None,
    ceremony: str | None = None,
    timezone: str | None = None,
    name: str | None = None,
) -> Imported:
    """A programme holding the sheet's ceremony (``programme``'s, replaced, when given).

    ``ceremony`` is the id of the ceremony the sheet is: by default the programme's only
    ceremony, else the mapping's ``ceremony: id``.
    """
    if mapping.table is not TableKind.RUN_OF_SHOW:
        raise ShowFileError(f"this mapping is for a {mapping.table.value} sheet, not a run-of-show")
    table.require(mapping.columns.items())
    data = to_data(programme) if programme is not None else _new_programme(mapping, timezone, name)
    ceremonies: list[dict[str, Any]] = data.setdefault("ceremonies", [])
    if ceremony is None:
        ceremony = ceremonies[0]["id"] if len(ceremonies) == 1 else mapping.ceremony.id
    index = next((i for i, c in enumerate(ceremonies) if c["id"] == ceremony), None)
    if index is None:
        ceremonies.append(_new_ceremony(mapping, table, ceremony))
        index = len(ceremonies) - 1
    reader = _RowReader(table, mapping, data, ("ceremonies", index))
    ceremonies[index]["segments"] = reader.segments()
    document = Document(data, reader.lines)
    return Imported(programme=from_document(document, table.file))


def _new_programme(mapping: TableMapping, timezone: str | None, name: str | None) -> dict[str, Any]:
    heading = mapping.ceremony
    data: dict[str, Any] = {
        "programme": name or mapping.programme or heading.title or "Run of show",
        "timezone": timezone or mapping.timezone or "UTC",
        "people": [],
    }
    if heading.venue:
        data["venues"] = [{"id": heading.venue, "name": heading.venue_name or heading.venue}]
    return data


def _new_ceremony(mapping: TableMapping, table: Table, ceremony_id: str) -> dict[str, Any]:
    heading = mapping.ceremony
    if not heading.start:
        raise ShowFileError(
            f"no ceremony {ceremony_id!r} to import into: give the programme (--into) or the "
            "show's start under ceremony: in the mapping",
            file=table.file,
        )
    ceremony: dict[str, Any] = {
        "id": ceremony_id,
        "title": heading.title or ceremony_id,
        "start": heading.start,
    }
    for key in ("venue", "hard_out"):
        if getattr(heading, key):
            ceremony[key] = getattr(heading, key)
    return ceremony


class _RowReader:
    """Rows to segment data, nested under their acts, with each path's row for errors."""

    def __init__(
        self, table: Table, mapping: TableMapping, data: dict[str, Any], prefix: Path
    ) -> None:
        self.table = table
        self.mapping = mapping
        self.columns = mapping.columns
        self.people: list[dict[str, Any]] = data.setdefault("people", [])
        self.prefix = prefix
        self.lines: dict[Path, int] = {}
        mapped = set(self.columns.values()) | set(mapping.ignore)
        self.departments = {
            heading: mapping.departments.get(heading, heading)
            for heading in table.headings
            if heading in mapping.departments
            or (mapping.other_columns == "departments" and heading not in mapped)
        }

    def cell(self, row: Row, field: str) -> str:
        text = row.get(self.columns.get(field))
        return self.mapping.values.get(field, {}).get(text, text)

    def segments(self) -> list[dict[str, Any]]:
        top: list[dict[str, Any]] = []
        acts: dict[str, dict[str, Any]] = {}
        where: dict[int, Path] = {}
        for row in self.table.rows:
            segment = self.segment(row)
            parent_id = self.cell(row, "act")
            if parent_id:
                parent = acts.get(parent_id)
                if parent is None:
                    raise ShowFileError(
                        f"column {self.columns['act']!r} (act): no act {parent_id!r} above "
                        "this row",
                        file=self.table.file,
                        line=row.line,
                    )
                siblings = parent.setdefault("segments", [])
                path: Path = (*where[id(parent)], "segments", len(siblings))
            else:
                siblings = top
                path = (*self.prefix, "segments", len(siblings))
            siblings.append(segment)
            where[id(segment)] = path
            self.locate(path, segment, row.line)
            if segment.get("kind") == "act":
                acts[str(segment["id"])] = segment
        return top

    def locate(self, path: Path, segment: dict[str, Any], line: int) -> None:
        self.lines[path] = line
        for key, value in segment.items():
            self.lines[(*path, key)] = line
            if isinstance(value, list):
                for index in range(len(value)):
                    self.lines[(*path, key, index)] = line

    def segment(self, row: Row) -> dict[str, Any]:
        title = self.cell(row, "title")
        details = self.details(row)
        segment: dict[str, Any] = {
            "id": self.cell(row, "id")
            or id_slug(f"{self.cell(row, 'number')} {title}".strip() or f"row-{row.line}"),
            "kind": (self.cell(row, "kind") or "custom").lower().replace(" ", "_"),
        }
        if title:
            segment["title"] = title
        self.check_range(row)
        for field, parse in (("start", parse_start_cell), ("duration", parse_duration_cell)):
            value = parse(self.cell(row, field))
            if value is not None:
                segment[field] = value
        for field in ("end", "track", "location", "notes", "visibility"):
            if self.cell(row, field):
                segment[field] = self.cell(row, field)
        segment.update(details)
        named = set(_strings(details))  # the kind's own fields name these already
        people = [person for person in self.who(row) if person not in named]
        if people:
            segment["people"] = people
        cues = [
            cue
            for heading, department in self.departments.items()
            for cue in parse_cue_lines(department, row.get(heading))
        ]
        if cues:
            segment["cues"] = cues
        return segment

    def check_range(self, row: Row) -> None:
        """Refuse a Start or End date outside the range of dates ceremony reads.

        (Durations and offsets too long are the show file's rule, and refused there.)
        """
        for field in ("start", "end"):
            text = self.cell(row, field)
            try:
                moment = datetime.fromisoformat(text) if "-" in text[:5] else None
            except ValueError:
                moment = None  # not a date: the show file's rules say what it is
            if moment is not None and not date_in_range(moment):
                raise self.error(
                    row,
                    field,
                    f"{text!r} is outside the dates ceremony reads ({date_range_text()})",
                )

    def error(self, row: Row, field: str, message: str) -> ShowFileError:
        """An error naming the file, the row and the column of ``field``."""
        column = self.columns.get(field, field)
        return ShowFileError(
            f"column {column!r} ({field}): {message}", file=self.table.file, line=row.line
        )

    def details(self, row: Row) -> dict[str, Any]:
        text = self.cell(row, "details")
        if not text:
            return {}
        document = read_document(text, "yaml", self.table.file)
        if not isinstance(document.data, dict):
            raise ShowFileError(
                f"column {self.columns['details']!r} (details): not a mapping of the kind's "
                "fields, e.g. {performers: [chilly-gonzalez]}",
                file=self.table.file,
                line=row.line,
            )
        return dict(document.data)

    def who(self, row: Row) -> list[str]:
        """Person ids for the names under Who (separated by ``;`` or new lines)."""
        text = self.cell(row, "who")
        ids = []
        for raw in text.replace("\n", ";").split(";"):
            name = raw.strip()
            if name:
                ids.append(self.person(name))
        return ids

    def person(self, name: str) -> str:
        for person in self.people:
            if name in (person.get("name"), person.get("id")):
                return str(person["id"])
        person_id = id_slug(name)
        self.people.append({"id": person_id, "name": name})
        return person_id


def _strings(value: Any) -> Iterator[str]:
    """Every string inside ``value`` (a YAML value: mappings, lists, scalars)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
