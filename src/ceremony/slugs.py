"""Slugs: lower-case ASCII names made from any text, for file names and for ids.

Accents fold to their letters (``Zoé`` → ``zoe``); every run of other characters becomes
one ``-``, with none at either end.
"""

from __future__ import annotations

import re
import unicodedata

_FILE_NAME = re.compile(r"[^a-z0-9]+")
_ID = re.compile(r"[^a-z0-9_.:+]+")


def slug(text: str) -> str:
    """A file name from any text: ``Para Swimming`` → ``para-swimming``."""
    return _fold(text, _FILE_NAME)


def id_slug(text: str) -> str:
    """An id from any text, keeping what ids allow (``_ . : +``).

    ``SWMW100MBF------------HEAT--------`` → ``swmw100mbf-heat``; ``Men +100 kg`` →
    ``men-+100-kg``.
    """
    return _fold(text, _ID)


def _fold(text: str, other: re.Pattern[str]) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return other.sub("-", ascii_text.strip().lower()).strip("-") or "x"
