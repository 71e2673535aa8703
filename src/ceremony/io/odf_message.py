"""Read one ODF DT_SCHEDULE message: its discipline, when it was sent, its sessions and units.

The XML is read with :mod:`defusedxml`: a document type that declares entities is refused, so
a hostile file cannot expand or fetch anything. Truncated XML, an encoding it does not know,
another message type or a control character in an attribute is a
:class:`~ceremony.errors.ShowFileError` naming the file and line. :mod:`ceremony.io.odf`
merges messages into a programme.
"""

from __future__ import annotations

import os
import xml.sax
from pathlib import Path as FilePath
from typing import Any

import attrs
import defusedxml.sax
from defusedxml import DefusedXmlException

from ceremony.errors import ShowFileError
from ceremony.io.importing import read_source
from ceremony.model.checks import control_character


@attrs.frozen(kw_only=True)
class Element:
    """A ``Session`` or ``Unit`` as written: its attributes, names and where it is."""

    tag: str
    attributes: dict[str, str]
    line: int
    names: dict[str, str] = attrs.field(factory=dict)
    """``ItemName`` (or ``SessionName``) values by language: ``{"ENG": ..., "FRA": ...}``."""
    venue_name: str | None = None
    location_name: str | None = None

    def get(self, key: str) -> str:
        """An attribute's value, ``""`` when absent."""
        return self.attributes.get(key, "").strip()


@attrs.frozen(kw_only=True)
class Message:
    """One DT_SCHEDULE message: its discipline, when it was sent, and its elements."""

    file: str
    discipline: str
    competition: str
    sent: str
    """``Date`` and ``Time`` as given, sortable: ``2022-12-19 160239897``."""
    sessions: tuple[Element, ...]
    units: tuple[Element, ...]

    def where(self, element: Element) -> str:
        """``file:line`` of an element."""
        return f"{self.file}:{element.line}"


class _Handler(xml.sax.ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.body: dict[str, str] | None = None
        self.sessions: list[Element] = []
        self.units: list[Element] = []
        self._current: dict[str, Any] | None = None
        self._locator: Any = None

    def setDocumentLocator(self, locator: Any) -> None:  # noqa: N802 - the SAX name
        self._locator = locator

    def startElement(self, name: str, attrs: Any) -> None:  # noqa: N802 - the SAX name
        values = {key: attrs.getValue(key) for key in attrs.getNames()}
        if not "".join(values.values()).isprintable():  # one look for the usual case
            for key, value in values.items():
                if (problem := control_character(value)) is not None:
                    raise _ControlCharacterError(name, key, problem, self._line())
        if name == "OdfBody":
            self.body = values
        elif name in ("Session", "Unit"):
            self._current = {"tag": name, "attributes": values, "line": self._line(), "names": {}}
        elif self._current is not None and name in ("ItemName", "SessionName"):
            language = values.get("Language", "ENG").upper()
            self._current["names"].setdefault(language, values.get("Value", "").strip())
        elif self._current is not None and name == "VenueDescription":
            self._current["venue_name"] = values.get("VenueName", "").strip() or None
            self._current["location_name"] = values.get("LocationName", "").strip() or None

    def _line(self) -> int:
        return int(self._locator.getLineNumber()) if self._locator else 0

    def endElement(self, name: str) -> None:  # noqa: N802 - the SAX name
        if name in ("Session", "Unit") and self._current is not None:
            element = Element(**self._current)
            (self.sessions if name == "Session" else self.units).append(element)
            self._current = None


class _ControlCharacterError(Exception):
    """An attribute holding a character no text may hold (XML 1.0 allows C1 controls)."""

    def __init__(self, element: str, attribute: str, problem: str, line: int) -> None:
        super().__init__(problem)
        self.element = element
        self.attribute = attribute
        self.problem = problem
        self.line = line


def parse_message(data: bytes, file: str) -> Message:
    """Read one DT_SCHEDULE message from its bytes; ``file`` names it in errors."""
    handler = _Handler()
    try:
        defusedxml.sax.parseString(data, handler)
    except _ControlCharacterError as exc:
        current = handler._current  # the session or unit being read, if any
        label = f"{current['tag']} {_code(current['attributes'])}: " if current else ""
        raise ShowFileError(
            f"{label}{exc.element} {exc.attribute}: {exc.problem}", file=file, line=exc.line
        ) from None
    except xml.sax.SAXParseException as exc:
        raise ShowFileError(
            f"not well-formed XML: {exc.getMessage()} (column {(exc.getColumnNumber() or 0) + 1})",
            file=file,
            line=exc.getLineNumber(),
        ) from None
    except DefusedXmlException as exc:
        raise ShowFileError(f"refused unsafe XML: {exc}", file=file) from None
    except (LookupError, ValueError) as exc:  # an encoding expat cannot read (x-foo, UTF-32)
        raise ShowFileError(
            f"cannot read the XML in the encoding its declaration names ({exc})",
            file=file,
            line=1,
        ) from None
    body = handler.body
    if body is None:
        raise ShowFileError("not an ODF message (no OdfBody element)", file=file, line=1)
    if body.get("DocumentType") != "DT_SCHEDULE":
        raise ShowFileError(
            f"an ODF {body.get('DocumentType') or 'message'} message, not DT_SCHEDULE",
            file=file,
            line=1,
        )
    code = body.get("DocumentCode", "")
    return Message(
        file=file,
        discipline=code[:3].upper() or "???",
        competition=body.get("CompetitionCode", ""),
        sent=f"{body.get('Date', '')} {body.get('Time', '').zfill(9)}",
        sessions=tuple(handler.sessions),
        units=tuple(handler.units),
    )


def read_message(path: str | os.PathLike[str]) -> Message:
    """Read one DT_SCHEDULE message file."""
    name = os.fspath(path)
    return parse_message(read_source(name), FilePath(name).name)


def _code(attributes: dict[str, str]) -> str:
    return (
        attributes.get("Code", "").strip()
        or attributes.get("SessionCode", "").strip()
        or "(no code)"
    )
