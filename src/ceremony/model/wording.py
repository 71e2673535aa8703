"""Kinds and roles in words: the one wording of them for sheets, calendar events and marks.

A kind or role is an identifier (``flag_raising``, ``declared_by``); these spell it for
people: ``Flag raising``, ``Declared by``, and ``With`` for a segment's plain ``people``.
"""

from __future__ import annotations


def kind_label(kind: str) -> str:
    """A kind in words: ``flag_raising`` is ``Flag raising``."""
    return _words(kind)


def role_label(role: str) -> str:
    """A role in words: ``declared_by`` is ``Declared by``; ``people`` is ``With``."""
    return "With" if role == "people" else _words(role)


def _words(identifier: str) -> str:
    return identifier.replace("_", " ").capitalize()
