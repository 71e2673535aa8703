"""Reading YAML safely: no tags constructed, times as written, aliases and nesting bounded.

See :mod:`ceremony.io.syntax` for what the reader promises.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from typing import Any

import yaml

from ceremony.errors import Path, ShowFileError
from ceremony.io.document import Document, too_deep
from ceremony.limits import MAX_NESTING

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"
_BOOL = "tag:yaml.org,2002:bool"
_SCALAR_TAGS = {
    "tag:yaml.org,2002:null",
    _BOOL,
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
        if (tabbed := _tab_indented(text, line)) is not None:
            raise ShowFileError(_TAB, file=file, line=tabbed) from None
        raise ShowFileError(f"not valid YAML: {problem}", file=file, line=line) from None
    except yaml.YAMLError as exc:
        raise ShowFileError(f"not valid YAML: {exc}", file=file) from None
    if root is None:
        return Document(None, {})
    builder = _YamlBuilder(file, budget=_MAX_EXPANSION * _count_nodes(root) + 10_000)
    data = builder.build(root, ())
    return Document(data, builder.lines)


_TAB = "a tab indents this line; YAML indents with spaces"
_TAB_INDENT = re.compile(r"^ *\t")


def _tab_indented(text: str, line: int | None) -> int | None:
    """``line`` (1-based) when a tab indents it: the parser stopped at a tab it cannot read.

    A tab may not indent YAML; the parser's own words for it ("found character that cannot
    start any token") name neither the tab nor the rule. A tab inside a value is fine.
    """
    if line is None:
        return None
    lines = text.split("\n", line)
    return line if len(lines) >= line and _TAB_INDENT.match(lines[line - 1]) else None


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
        if node.tag == _BOOL and node.value.lower() not in ("true", "false"):
            return node.value  # YAML 1.2: NO (Norway), on, off, yes are text as written
        return self._constructor.construct_object(node)

    def _tag_error(self, node: yaml.Node) -> ShowFileError:
        return ShowFileError(
            f"the YAML tag {node.tag!r} is not allowed in a show file",
            file=self.file,
            line=node.start_mark.line + 1,
        )
