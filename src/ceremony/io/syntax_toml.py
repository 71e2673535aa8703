"""Reading TOML with the line of every path, its nesting checked before :mod:`tomllib` reads it."""

from __future__ import annotations

import re
import tomllib
from typing import Any

from ceremony.errors import Path, ShowFileError
from ceremony.io.document import Document, _check_brackets, too_deep
from ceremony.limits import MAX_NESTING

_TOML_ERROR_LINE = re.compile(r"\(at line (\d+), column \d+\)")
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(
    r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*="""
)


# Strings and comments, each matched from its opening to its end or, unterminated, as far
# as it goes (so the scan stays linear whatever the text; the parser reports the fault).
_TOML_SKIPPED = (  # unrolled, possessive: one pass, no backtracking
    r'(?s:"""[^\\"]*+(?:(?:\\.|"(?!""))[^\\"]*+)*+(?:"""""?"?|\Z))'  # ends in 3 to 5 quotes
    r"|(?s:'''[^']*+(?:'(?!'')[^']*+)*+(?:'''''?'?|\Z))"
    r'|"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+"?'
    r"|'[^'\n]*+'?"
    r"|#[^\n]*+"
)
_TOML_STRINGS = re.compile(_TOML_SKIPPED)
_TOML_TOKEN = re.compile(_TOML_SKIPPED + r"|[\[\]{}]")


def _read_toml(text: str, file: str | None) -> Document:
    height = _check_brackets(_TOML_STRINGS.sub("", text), text, _TOML_TOKEN, file, root=1)
    try:
        data = tomllib.loads(text)
    except RecursionError:  # the check above leaves tomllib no reason to recurse this deep
        raise too_deep(file, None) from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_ERROR_LINE.search(message)
        line = int(match.group(1)) if match else None
        if line is None and "end of document" in message:
            line = text.count("\n") + 1
        problem = _TOML_ERROR_LINE.sub("", message).replace("(at end of document)", "")
        problem = problem.strip() + (" at the end of the file" if match is None else "")
        raise ShowFileError(f"not valid TOML: {problem}", file=file, line=line) from None
    lines = _toml_lines(text)
    if 1 + max(map(len, lines), default=0) + height > MAX_NESTING:
        _check_tables(data, lines, file)  # headers and dotted keys may nest tables deeper
    return Document(data, lines)


def _check_tables(data: dict[str, Any], lines: dict[Path, int], file: str | None) -> None:
    """Refuse tables nested too deep by dotted keys and headers (``[a.b.c...]``)."""
    stack: list[tuple[Any, Path]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if len(path) >= MAX_NESTING:
            line = next(
                (lines[path[:end]] for end in range(len(path), 0, -1) if path[:end] in lines), None
            )
            raise too_deep(file, line)
        if isinstance(value, dict):
            stack.extend(
                (item, (*path, key))
                for key, item in value.items()
                if isinstance(item, (dict, list))
            )
        elif isinstance(value, list):
            stack.extend(
                (item, (*path, index))
                for index, item in enumerate(value)
                if isinstance(item, (dict, list))
            )


def _split_key(key: str) -> list[str]:
    parts = re.findall(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""", key)
    return [part.strip("\"'") for part in parts]


def _toml_lines(text: str) -> dict[Path, int]:
    """Lines of table headers and keys (a scan, not a parser: tomllib has checked the text).

    Values inside multi-line arrays are located by their own line when each element opens
    an inline table on a new line; anything else falls back to its key's line.
    """
    lines: dict[Path, int] = {}
    tables: dict[Path, int] = {}  # array-of-tables path -> elements so far
    table: Path = ()
    array: tuple[Path, int, int] | None = None  # (path, depth, next index) of an open array
    in_string: str | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if in_string is not None:
            if raw.count(in_string) % 2 == 1:
                in_string = None
            continue
        if array is not None:
            path, depth, index = array
            if (depth == 1 and line.startswith(("{", '"', "'"))) or line[:1].isdigit():
                lines[(*path, index)] = number
                index += 1
            depth += _brackets(line)
            array = (path, depth, index) if depth > 0 else None
            continue
        if not line or line.startswith("#"):
            continue
        if header := _HEADER.match(line):
            keys = _split_key(header.group(2))
            for end in range(1, len(keys)):  # tables a header makes on the way
                lines.setdefault(tuple(keys[:end]), number)
            path = _resolve(keys[:-1] if header.group(1) == "[[" else keys, tables)
            if header.group(1) == "[[":
                path = (*path, keys[-1])
                count = tables.get(path, 0)
                tables[path] = count + 1
                lines.setdefault(path, number)
                path = (*path, count)
            table = path
            lines[path] = number
            continue
        if key := _KEY.match(line):
            dotted = _split_key(key.group(1))
            for end in range(1, len(dotted)):  # tables a dotted key makes on the way
                lines.setdefault((*table, *dotted[:end]), number)
            path = (*table, *dotted)
            lines[path] = number
            value = line[key.end() :].strip()
            for quote in ('"""', "'''"):
                if value.startswith(quote) and value.count(quote) == 1:
                    in_string = quote
            depth = _brackets(value)
            if depth > 0:
                array = (path, depth, 0)
    return lines


def _resolve(keys: list[str], tables: dict[Path, int]) -> Path:
    path: Path = ()
    for key in keys:
        path = (*path, key)
        if path in tables:
            path = (*path, tables[path] - 1)
    return path


def _brackets(text: str) -> int:
    """Net opening brackets on a line, ignoring quoted text and comments."""
    text = re.sub(r'"(?:\\.|[^"\\])*"|\'[^\']*\'', "", text).split("#", 1)[0]
    return text.count("[") + text.count("{") - text.count("]") - text.count("}")
