"""Reading YAML, TOML and JSON into plain data, keeping the line of every path.

Each syntax gives a :class:`Document`: the data (dicts, lists, scalars) and a map from
each path to the line it was written on, so later errors can say ``show.yaml:41``.

YAML is read through PyYAML's safe composer and turned into data here, so that:

- no object is ever constructed from a tag (only the standard scalar tags are known);
- times stay as the person wrote them: ``22:54`` is the text "22:54", not the
  sexagesimal number 1374, and ``2024-08-28 20:00`` is text, not a naive datetime;
- an alias bomb (billion laughs) is refused after a bounded amount of work;
- a key written twice in one mapping is an error, not a silent overwrite.

In every syntax, lists and mappings nested deeper than :data:`~ceremony.limits.MAX_NESTING`
are refused before the parser recurses into them (a YAML or JSON file nested 40,000 deep
would otherwise exhaust the interpreter's stack), with the line where the limit is passed.
"""

from __future__ import annotations

import bisect
import gc
import json
import re
import tomllib
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, Literal

import attrs
import tomli_w
import yaml

from ceremony.errors import ModelError, Path, ShowFileError
from ceremony.limits import MAX_NESTING

Format = Literal["yaml", "toml", "json"]
FORMATS: tuple[Format, ...] = ("yaml", "toml", "json")
_SUFFIXES: dict[str, Format] = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".toml": "toml",
    ".json": "json",
}


@attrs.frozen
class Document:
    """Plain data read from a show file, and the line each path was written on."""

    data: Any
    lines: dict[Path, int]


def format_for(filename: str) -> Format:
    """The syntax of a file, by its suffix."""
    for suffix, syntax in _SUFFIXES.items():
        if filename.lower().endswith(suffix):
            return syntax
    raise ShowFileError("unknown file type (use .yaml, .yml, .toml or .json)", file=filename)


def too_deep(file: str | None, line: int | None) -> ShowFileError:
    """The error for lists and mappings nested deeper than :data:`MAX_NESTING`."""
    return ShowFileError(
        f"lists and mappings nest more than {MAX_NESTING} deep; refused", file=file, line=line
    )


def read_document(text: str, syntax: Format, file: str | None = None) -> Document:
    """Parse ``text`` in ``syntax``; :class:`ShowFileError` (with the line) when it is broken."""
    readers = {"yaml": _read_yaml, "toml": _read_toml, "json": _read_json}
    if syntax not in readers:
        raise ShowFileError(f"unknown syntax {syntax!r} (use yaml, toml or json)", file=file)
    with _no_collection():
        return readers[syntax](text, file)


@contextmanager
def _no_collection() -> Iterator[None]:
    """The cyclic garbage collector paused while a document's objects are made.

    Reading a big file makes hundreds of thousands of objects (nodes, events, dicts, the
    line map) and no cycles; the collector would scan them again and again as they pile
    up, which was half the time of reading a Games' schedule. It is switched back on only
    if it was on (another thread may have paused it too).
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


# --- YAML -------------------------------------------------------------------------------

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"
_SCALAR_TAGS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    _STR,
    "tag:yaml.org,2002:timestamp",
}
_SEXAGESIMAL = re.compile(r"^[-+]?\d[\d_]*(:[0-5]?\d)+(\.\d*)?$")
_MAX_EXPANSION = 20  # an alias may at most make the data this many times its written size
_LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"
# Bound once: the composer below compares classes for each of a big file's 100,000 events.
_ScalarEvent, _ScalarNode = yaml.ScalarEvent, yaml.ScalarNode
_MappingStartEvent, _MappingEndEvent = yaml.MappingStartEvent, yaml.MappingEndEvent
_SequenceStartEvent, _SequenceEndEvent = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_MappingNode, _SequenceNode = yaml.MappingNode, yaml.SequenceNode
_ComposerError: Any = yaml.composer.ComposerError


def _read_yaml(text: str, file: str | None) -> Document:
    try:
        root = _compose(text, file)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "not valid YAML"
        if problem == _LIBYAML_TOO_DEEP:  # its scanner looks ahead past our limit
            raise too_deep(file, line) from None
        raise ShowFileError(f"not valid YAML: {problem}", file=file, line=line) from None
    except yaml.YAMLError as exc:
        raise ShowFileError(f"not valid YAML: {exc}", file=file) from None
    if root is None:
        return Document(None, {})
    builder = _YamlBuilder(file, budget=_MAX_EXPANSION * _count_nodes(root) + 10_000)
    data = builder.build(root, ())
    return Document(data, builder.lines)


def _compose(text: str, file: str | None) -> yaml.Node | None:
    """The node graph of a one-document stream, composed from its events without recursion.

    PyYAML's composer recurses once per level (its C version without a depth check); this
    one keeps a stack and stops at the event that opens level ``MAX_NESTING + 1``.
    """
    loader = _Loader(text)
    try:
        get: Callable[[], Any] = loader.get_event
        get()  # StreamStart
        if isinstance(get(), yaml.StreamEndEvent):
            return None
        root = _compose_document(get, loader.resolve, file)
        event = get()
        if not isinstance(event, yaml.StreamEndEvent):
            raise _ComposerError(
                "expected a single document in the stream",
                None,
                "but found another document",
                event.start_mark,
            )
        return root
    finally:
        loader.dispose()


def _compose_document(
    get: Callable[[], Any], resolve: Callable[..., str], file: str | None
) -> yaml.Node | None:
    """The events after a DocumentStart, up to its DocumentEnd, as a node graph."""
    anchors: dict[str, yaml.Node] = {}
    stack: list[Any] = []  # the open collections, outermost first
    keys: list[yaml.Node | None] = []  # each open mapping's key awaiting its value
    root: yaml.Node | None = None
    while True:
        event = get()
        cls = event.__class__
        node: Any
        if cls is _ScalarEvent:
            tag = event.tag
            if tag is None or tag == "!":
                tag = resolve(_ScalarNode, event.value, event.implicit)
            node = _ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
            if event.anchor is not None:
                anchors[event.anchor] = node
        elif cls is _MappingStartEvent or cls is _SequenceStartEvent:
            if len(stack) >= MAX_NESTING:
                raise too_deep(file, event.start_mark.line + 1)
            kind = _MappingNode if cls is _MappingStartEvent else _SequenceNode
            tag = event.tag
            if tag is None or tag == "!":
                tag = resolve(kind, None, event.implicit)
            node = kind(tag, [], event.start_mark, None, event.flow_style)
            if event.anchor is not None:
                anchors[event.anchor] = node
            stack.append(node)
            keys.append(None)
            continue
        elif cls is _MappingEndEvent or cls is _SequenceEndEvent:
            node = stack.pop()
            keys.pop()
            node.end_mark = event.end_mark
        elif cls is yaml.AliasEvent:
            if event.anchor not in anchors:
                problem = f"found undefined alias {event.anchor!r}"
                raise _ComposerError(None, None, problem, event.start_mark)
            node = anchors[event.anchor]
        else:  # DocumentEnd
            return root
        if not stack:
            root = node
            continue
        parent = stack[-1]
        if parent.__class__ is _SequenceNode:
            parent.value.append(node)
        elif (key := keys[-1]) is None:
            keys[-1] = node
        else:
            parent.value.append((key, node))
            keys[-1] = None


def _count_nodes(root: yaml.Node) -> int:
    """Distinct nodes in the graph (aliases counted once)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return len(seen)


class _YamlBuilder:
    def __init__(self, file: str | None, budget: int) -> None:
        self.file = file
        self.budget = budget
        self.lines: dict[Path, int] = {}
        self._constructor = yaml.SafeLoader("")

    def _spend(self, node: yaml.Node) -> None:
        self.budget -= 1
        if self.budget < 0:
            raise ShowFileError(
                "aliases expand this document too far (an alias bomb?); refused",
                file=self.file,
                line=node.start_mark.line + 1,
            )

    def build(self, node: yaml.Node, path: Path) -> Any:
        self._spend(node)
        self.lines.setdefault(path, node.start_mark.line + 1)
        if len(path) >= MAX_NESTING and not isinstance(node, yaml.ScalarNode):
            # The text nests no deeper (the composer checked); aliases can build depth.
            raise too_deep(self.file, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise self._tag_error(node)
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)  # noqa: S101 - the composer only makes three
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[Any, Any]:
        if node.tag != "tag:yaml.org,2002:map":
            raise self._tag_error(node)
        self._constructor.flatten_mapping(node)  # resolves ``<<: *base`` merge keys
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, Hashable) or isinstance(key, (list, dict)) or key is None:
                raise ShowFileError(
                    "a mapping key must be a plain value",
                    file=self.file,
                    line=key_node.start_mark.line + 1,
                    path=path,
                )
            key = str(key) if not isinstance(key, str) else key
            if key in result:
                raise ShowFileError(
                    f"key {key!r} is written twice in this mapping",
                    file=self.file,
                    line=key_node.start_mark.line + 1,
                    path=path,
                )
            self.lines[(*path, key)] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, (*path, key))
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag not in _SCALAR_TAGS:
            raise self._tag_error(node)
        if node.tag == _STR or node.style in ("'", '"', "|", ">"):
            return node.value
        if node.tag == "tag:yaml.org,2002:timestamp" or _SEXAGESIMAL.match(node.value):
            return node.value  # times as written: "22:54", "2024-08-28 20:00"
        return self._constructor.construct_object(node)

    def _tag_error(self, node: yaml.Node) -> ShowFileError:
        return ShowFileError(
            f"the YAML tag {node.tag!r} is not allowed in a show file",
            file=self.file,
            line=node.start_mark.line + 1,
        )


# --- nesting of brackets (JSON, TOML) -----------------------------------------------------

_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_INNERMOST = re.compile(r"\[\]|\{\}")


def _check_brackets(
    bare: str, text: str, tokens: re.Pattern[str], file: str | None, root: int = 0
) -> int:
    """Refuse brackets nested deeper than the limit, before a recursive parser meets them.

    ``bare`` is ``text`` without its strings and comments; ``root`` counts the levels the
    brackets sit in (TOML's top-level table). Each pass of the quick check drops the
    innermost pairs, so what is left after ``MAX_NESTING - root`` passes nests deeper (or
    does not pair up: then the parser reports it, unless it is also too deep). Returns how
    deep the brackets nest.
    """
    brackets = _NOT_BRACKET.sub("", bare)
    height = 0
    while brackets and height < MAX_NESTING - root:
        brackets = _INNERMOST.sub("", brackets)
        height += 1
    if not brackets:
        return height
    depth = root
    for found in tokens.finditer(text):  # the slow walk, only to say where
        char = found.group()
        if char in "[{":
            depth += 1
            if depth > MAX_NESTING:
                raise too_deep(file, text.count("\n", 0, found.start()) + 1)
        elif char in "]}":
            depth = max(depth - 1, root)
    return height


# --- TOML -------------------------------------------------------------------------------

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


# --- JSON -------------------------------------------------------------------------------

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_SCALAR_END = re.compile(r"[^,\]}\s]+")


_JSON_STRING = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+"?', re.DOTALL)  # unterminated: to the end
_JSON_TOKEN = re.compile(_JSON_STRING.pattern + r"|[\[\]{}]", re.DOTALL)


def _read_json(text: str, file: str | None) -> Document:
    _check_brackets(_JSON_STRING.sub("", text), text, _JSON_TOKEN, file)
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise ShowFileError(f"not valid JSON: {exc.msg}", file=file, line=exc.lineno) from None
    except _DuplicateKeyError as exc:
        raise ShowFileError(f"key {exc.args[0]!r} is written twice", file=file) from None
    lines: dict[Path, int] = {}
    _JsonLines(text, lines).value(0, ())
    return Document(data, lines)


class _DuplicateKeyError(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


def _scanstring(text: str, end: int) -> tuple[str, int]:
    """The JSON string that opens just before ``end``, and the index after its quote."""
    scan: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
    return scan(text, end)


class _JsonLines:
    """Walks text already checked by :func:`json.loads`, noting the line of each path."""

    def __init__(self, text: str, lines: dict[Path, int]) -> None:
        self.text = text
        self.lines = lines
        self._newlines = [index for index, char in enumerate(text) if char == "\n"]

    def _line(self, pos: int) -> int:
        # Counting newlines from the start for every value made loading quadratic.
        return bisect.bisect_left(self._newlines, pos) + 1

    def _skip(self, pos: int) -> int:
        match = _WHITESPACE.match(self.text, pos)
        return match.end() if match else pos

    def value(self, pos: int, path: Path) -> int:
        pos = self._skip(pos)
        self.lines.setdefault(path, self._line(pos))
        char = self.text[pos]
        if char == "{":
            pos = self._skip(pos + 1)
            while self.text[pos] != "}":
                key, pos = _scanstring(self.text, pos + 1)
                self.lines[(*path, key)] = self._line(pos)
                pos = self._skip(self.value(self._skip(pos) + 1, (*path, key)))
                if self.text[pos] == ",":
                    pos = self._skip(pos + 1)
            return pos + 1
        if char == "[":
            pos, index = self._skip(pos + 1), 0
            while self.text[pos] != "]":
                pos = self._skip(self.value(pos, (*path, index)))
                index += 1
                if self.text[pos] == ",":
                    pos = self._skip(pos + 1)
            return pos + 1
        if char == '"':
            return _scanstring(self.text, pos + 1)[1]
        match = _SCALAR_END.match(self.text, pos)
        return match.end() if match else pos + 1


def write_document(data: dict[str, Any], syntax: Format) -> str:
    """Plain data (as a converter unstructures it) as text in ``syntax``."""
    if syntax == "yaml":
        text: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
        return text
    if syntax == "toml":
        return tomli_w.dumps(data)
    if syntax == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    raise ModelError(f"unknown format {syntax!r} (use yaml, toml or json)")
