"""Every exception ceremony raises.

The hierarchy::

    CeremonyError                 root: catch this to catch everything from ceremony
    ├── ModelError (ValueError)   a value the model cannot hold (negative duration,
    │   │                         end before start, duplicate id, unknown format name)
    │   ├── ZoneError             not an IANA time zone, or a wall-clock time that does
    │   │                         not exist (or exists twice) in one
    │   └── DurationError         text that is not a duration, or one too long
    ├── FilterError (ValueError)  a feed filter that cannot be read (``facet=value``)
    ├── UnknownIdError (KeyError) no ceremony or item with that id
    ├── ShowFileError             a show file that cannot be understood; carries
    │                             ``file``, ``line`` and ``path``
    ├── TimingError               a plan the timing engine cannot resolve (a cycle
    │                             of anchors, an anchor to an unknown item); carries
    │                             ``item``, ``path``, ``file`` and ``line``
    ├── PublishStateError         a publish state file that cannot be read
    └── WriteError (OSError)      a file or folder that could not be written; carries
                                  ``filename``, ``errno`` and ``strerror``

The built-in type in brackets is a second base: ``except ValueError`` (or ``KeyError``,
``OSError``) still catches what it caught before these classes existed.

Plan problems that can be understood (two segments overlapping, a show running past
its hard out) are not exceptions: :func:`ceremony.check` reports them as findings.
"""

from __future__ import annotations

from collections.abc import Sequence

Path = tuple[str | int, ...]
"""A location inside a programme: keys and list indexes, outermost first."""


def format_path(path: Sequence[str | int]) -> str:
    """Spell a path the way a person reads it: ``ceremonies[0].segments[3].duration``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def _located(message: str, file: str | None, line: int | None, path: Path) -> str:
    """``file:line: path: message``, the way every located error reads."""
    where = file or "<text>"
    if line is not None:
        where += f":{line}"
    field = format_path(path)
    return f"{where}: {field}: {message}" if field else f"{where}: {message}"


class CeremonyError(Exception):
    """The root of every error ceremony raises."""


class ModelError(CeremonyError, ValueError):
    """A value the model cannot hold.

    ``path`` locates the offending field relative to the object being built, so a loader
    can prefix it with where that object sits in the file.
    """

    def __init__(self, message: str, *, path: Path = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        where = format_path(self.path)
        return f"{where}: {self.message}" if where else self.message


class ShowFileError(CeremonyError):
    """A show file (or text) that cannot be understood.

    The message reads ``file:line: path: what is wrong``; each part is also an attribute.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        path: Path = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.path = path

    def __str__(self) -> str:
        return _located(self.message, self.file, self.line, self.path)


class TimingError(CeremonyError):
    """A plan whose times cannot be worked out (an anchor cycle, an unknown anchor).

    ``item`` is the id of the item at fault. Raised about a programme, the error also
    carries that item's ``path`` (at its start), and when the programme was loaded from a
    file the ``file`` and ``line``; the message then reads ``file:line: path: what is
    wrong``, as a :class:`ShowFileError` does (just ``what is wrong`` otherwise).
    """

    def __init__(
        self,
        message: str,
        *,
        item: str | None = None,
        path: Path = (),
        file: str | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.item = item
        self.path = path
        self.file = file
        self.line = line

    def __str__(self) -> str:
        if self.file is None and self.line is None:
            return self.message
        return _located(self.message, self.file, self.line, self.path)


class ZoneError(ModelError):
    """A name that is not an IANA time zone, or a wall-clock time that is not exact in one."""


class DurationError(ModelError):
    """Text (or a value) that is not a duration ceremony can hold."""


class FilterError(CeremonyError, ValueError):
    """A feed filter (``facet=value,...``) that cannot be read."""


class UnknownIdError(CeremonyError, KeyError):
    """No ceremony or item with that id.

    Also a :class:`KeyError`; unlike one, its message is printed as it is, not quoted.
    ``id`` is the id asked for.
    """

    def __init__(self, message: str, *, id: str) -> None:  # noqa: A002 - the id asked for
        super().__init__(message)
        self.message = message
        self.id = id

    def __str__(self) -> str:
        return self.message


class PublishStateError(CeremonyError):
    """A publish state file that cannot be read."""


class WriteError(CeremonyError, OSError):
    """A file or folder that could not be written (disk full, no permission, ...).

    Also an :class:`OSError`, with ``errno``, ``strerror`` and ``filename`` (the path it
    names); the message reads ``path: cannot write (reason)``.
    """

    def __str__(self) -> str:
        reason = self.strerror or "failed"
        return f"{self.filename}: cannot write ({reason})"
