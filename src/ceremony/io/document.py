"""A document read from YAML, TOML or JSON, and the nesting limit every reader enforces.

A :class:`Document` is the data (dicts, lists, scalars) and the line each path was written
on. Lists and mappings nested deeper than :data:`~ceremony.limits.MAX_NESTING` are refused
(:func:`too_deep`) before a parser recurses into them; JSON and TOML find them by their
brackets (:func:`_check_brackets`).
"""

from __future__ import annotations

import re
from typing import Any

import attrs

from ceremony.errors import Path, ShowFileError
from ceremony.limits import MAX_NESTING


@attrs.frozen
class Document:
    """Plain data read from a show file, and the line each path was written on."""

    data: Any
    lines: dict[Path, int]


def too_deep(file: str | None, line: int | None) -> ShowFileError:
    """The error for lists and mappings nested deeper than :data:`MAX_NESTING`."""
    return ShowFileError(
        f"lists and mappings nest more than {MAX_NESTING} deep; refused", file=file, line=line
    )


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
