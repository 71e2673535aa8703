"""Read an XLSX workbook's sheet as a :class:`~ceremony.io.table_rows.Table`, as a stream.

The workbook is a zip of XML parts. Before any part is read, the archive is checked against
:mod:`ceremony.limits`: how many parts it has, and each part's inflated size as the zip
declares it (counted again as the part is read, since the declaration can lie). Each part is
read as a stream of XML events, never as a tree, with DTDs and entities refused. Here are the
parts that lead to a sheet (relationships, the workbook's sheets, shared strings, styles);
the sheet's own cells are read by :mod:`ceremony.io.worksheet`.
"""

from __future__ import annotations

import io
import lzma
import posixpath
import zipfile
import zlib
from collections.abc import Callable
from typing import NoReturn
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

from ceremony import limits
from ceremony.errors import ShowFileError
from ceremony.io.importing import size_text
from ceremony.io.table_rows import Table, _check_size
from ceremony.io.worksheet import _Handler, _local, _SheetReader, _unescaped

_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    OSError,
)
"""What :mod:`zipfile` raises on a broken archive, opening it or inflating a part: a bad
header (``BadZipFile``; a version or a compression it does not know,
``NotImplementedError``; a negative offset, ``ValueError``), a corrupt deflate, bzip2 or
LZMA stream (``zlib.error``, ``OSError``, ``LZMAError``), an encrypted part
(``RuntimeError``), data cut short (``EOFError``)."""


def read_xlsx(data: bytes, file: str, *, sheet: str | None = None) -> Table:
    """An XLSX workbook's sheet; its first row holds the headings, one cell each."""
    _check_size(data, file)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as exc:
        raise ShowFileError(f"not an XLSX workbook ({exc})", file=file) from None
    with archive:
        return _Workbook(archive, file).table(sheet)


_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_UNKNOWN_ENCODING = expat.errors.codes[expat.errors.XML_ERROR_UNKNOWN_ENCODING]


class _Workbook:
    """The parts of a workbook that make one sheet's cells: found, checked, read."""

    def __init__(self, archive: zipfile.ZipFile, file: str) -> None:
        self.archive = archive
        self.file = file
        infos = archive.infolist()
        if len(infos) > limits.MAX_WORKBOOK_PARTS:
            self.fail(f"{len(infos):,} parts; a workbook may have {limits.MAX_WORKBOOK_PARTS:,}")
        total = 0
        for info in infos:
            if info.file_size > limits.MAX_WORKBOOK_PART_BYTES:
                self.fail(
                    f"part {info.filename} inflates to {info.file_size:,} bytes; a part may "
                    f"inflate to at most {size_text(limits.MAX_WORKBOOK_PART_BYTES)}"
                )
            total += info.file_size
        if total > limits.MAX_WORKBOOK_BYTES:
            self.fail(
                f"the parts inflate to {total:,} bytes; a workbook's parts may "
                f"inflate to at most {size_text(limits.MAX_WORKBOOK_BYTES)} in all"
            )

    def fail(self, message: str) -> NoReturn:
        raise ShowFileError(message, file=self.file)

    def read(self, name: str) -> bytes:
        """A part's bytes, counted as they inflate (the zip's declared size can lie)."""
        try:
            with self.archive.open(name) as part:
                data = part.read(limits.MAX_WORKBOOK_PART_BYTES + 1)
        except KeyError:
            self.fail(f"no part {name}: the workbook names it but does not hold it")
        except _ZIP_ERRORS as exc:
            self.fail(f"part {name} cannot be read ({exc})")
        if len(data) > limits.MAX_WORKBOOK_PART_BYTES:
            self.fail(
                f"part {name} inflates past {size_text(limits.MAX_WORKBOOK_PART_BYTES)}, the limit"
            )
        return data

    def parse(self, name: str, handler: _Handler) -> None:
        """Stream a part's XML through ``handler``; DTDs and entities are refused."""
        data = self.read(name)
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartElementHandler = handler.start
        parser.EndElementHandler = handler.end
        parser.CharacterDataHandler = handler.text
        parser.StartDoctypeDeclHandler = self._doctype(name)
        parser.EntityDeclHandler = self._doctype(name)
        try:
            parser.Parse(data, True)
        except expat.ExpatError as exc:
            self.fail(
                f"part {name} is not well-formed XML ({expat.errors.messages[exc.code]}, "
                f"line {exc.lineno}, column {exc.offset})"
            )
        except (LookupError, ValueError) as exc:
            # An encoding expat only reads through Python's codecs: one Python does not know
            # (x-foo), or a multi-byte one (UTF-32). Anything else raised here is a handler's.
            if parser.ErrorCode != _UNKNOWN_ENCODING:
                raise
            self.fail(
                f"part {name} cannot be read in the encoding its XML declaration names ({exc})"
            )

    def _doctype(self, name: str) -> Callable[..., None]:
        def refuse(*_: object) -> None:
            self.fail(f"part {name} declares a DTD or entities; a workbook never does")

        return refuse

    def elements(self, name: str, wanted: set[str]) -> list[tuple[str, str, dict[str, str]]]:
        """The ``wanted`` elements of a small part: (local name, parent's, attributes)."""
        collector = _Collector(wanted)
        self.parse(name, collector)
        return collector.found

    def relationships(self, source: str) -> dict[str, tuple[str, str]]:
        """A part's relationships: id → (type's last word, target part)."""
        folder, base = posixpath.split(source)
        name = posixpath.join(folder, "_rels", base + ".rels")
        if name not in self.archive.NameToInfo:
            return {}
        found = {}
        for _, _, attrib in self.elements(name, {"Relationship"}):
            if attrib.get("TargetMode") == "External" or "Target" not in attrib:
                continue
            target = attrib["Target"]
            path = target[1:] if target.startswith("/") else posixpath.join(folder, target)
            kind = attrib.get("Type", "").rpartition("/")[2]
            found[attrib.get("Id", "")] = (kind, posixpath.normpath(path))
        return found

    def table(self, sheet: str | None) -> Table:
        """The named sheet (else the first) as a table."""
        book = next(
            (t for k, t in self.relationships("").values() if k == "officeDocument"),
            "xl/workbook.xml",
        )
        parts = self.relationships(book)
        sheets: list[tuple[str, str]] = []
        epoch = CALENDAR_WINDOWS_1900
        for local, _, attrib in self.elements(book, {"sheet", "workbookPr"}):
            if local == "workbookPr" and attrib.get("date1904") in ("1", "true"):
                epoch = CALENDAR_MAC_1904
            elif local == "sheet":
                sheets.append((attrib.get("name", ""), attrib.get(f"{_RELATIONSHIPS} id", "")))
        if not sheets:
            self.fail("not an XLSX workbook (it names no sheet)")
        names = [title for title, _ in sheets]
        if sheet is not None and sheet not in names:
            self.fail(f"no sheet {sheet!r}; the sheets are " + ", ".join(map(repr, names)))
        title, rel = sheets[names.index(sheet)] if sheet is not None else sheets[0]
        if rel not in parts:
            self.fail(f"sheet {title!r} has no part (relationship {rel!r} is missing)")
        strings = _SharedStrings(self.file)
        styles = _Styles()
        for kind, target in parts.values():
            if kind == "sharedStrings":
                self.parse(target, strings)
            elif kind == "styles":
                styles.read(self, target)
        reader = _SheetReader(self.file, title, strings.strings, styles.kinds, epoch)
        self.parse(parts[rel][1], reader)
        return reader.table()


class _Collector(_Handler):
    def __init__(self, wanted: set[str]) -> None:
        self.wanted = wanted
        self.stack: list[str] = [""]
        self.found: list[tuple[str, str, dict[str, str]]] = []

    def start(self, name: str, attrib: dict[str, str]) -> None:
        local = _local(name)
        if local in self.wanted:
            self.found.append((local, self.stack[-1], attrib))
        self.stack.append(local)

    def end(self, name: str) -> None:
        del name
        self.stack.pop()


class _SharedStrings(_Handler):
    """The shared strings: each ``<si>``'s text runs joined (phonetic runs left out)."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.strings: list[str] = []
        self.parts: list[str] | None = None
        self.phonetic = False
        self.collect: list[str] | None = None

    def start(self, name: str, attrib: dict[str, str]) -> None:
        del attrib
        local = _local(name)
        if local == "si":
            self.parts = []
        elif local == "rPh":
            self.phonetic = True
        elif local == "t" and self.parts is not None and not self.phonetic:
            self.collect = []

    def end(self, name: str) -> None:
        local = _local(name)
        if local == "t" and self.collect is not None and self.parts is not None:
            self.parts.append(_unescaped(self.collect))
            self.collect = None
        elif local == "si" and self.parts is not None:
            if len(self.strings) >= limits.MAX_TABLE_CELLS:
                raise ShowFileError(
                    f"more than {limits.MAX_TABLE_CELLS:,} shared strings; that is the limit",
                    file=self.file,
                )
            self.strings.append("".join(self.parts))
            self.parts = None
        elif local == "rPh":
            self.phonetic = False

    def text(self, data: str) -> None:
        if self.collect is not None:
            self.collect.append(data)


class _Styles:
    """Which cell styles show a date (``"date"``) or a duration (``"duration"``)."""

    def __init__(self) -> None:
        self.kinds: list[str | None] = []

    def read(self, workbook: _Workbook, name: str) -> None:
        codes: dict[str, str] = {}
        for local, parent, attrib in workbook.elements(name, {"numFmt", "xf"}):
            if local == "numFmt":
                codes[attrib.get("numFmtId", "")] = attrib.get("formatCode", "")
            elif parent == "cellXfs":
                number = attrib.get("numFmtId", "0")
                code = codes.get(number)
                if code is None and number.isdigit():
                    code = BUILTIN_FORMATS.get(int(number))
                kind = None
                if code and is_timedelta_format(code):
                    kind = "duration"
                elif code and is_date_format(code):
                    kind = "date"
                self.kinds.append(kind)
