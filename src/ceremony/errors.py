"""Every exception ceremony raises.

The hierarchy::

    CeremonyError                 root: catch this to catch everything from ceremony
    ├── ModelError (ValueError)   a value the model cannot hold (negative duration,
    │   │                         end before start, duplicate id, unknown format name)
    │   ├── ZoneError             not an IANA time zone, or a wall-clock time that does
    │   │   │                     not exist (or exists twice) in one
    │   │   └── AmbiguousTimeError  a wall-clock time that exists twice
    │   └── DurationError         text that is not a duration, or one too long
    ├── FilterError (ValueError)  a feed filter that cannot be read (``facet=value``)
    ├── UnknownIdError (KeyError) no ceremony or item with that id
    ├── ShowFileError             a show file that cannot be understood; carries
    │                             ``file``, ``line`` and ``path``, and every
    │                             ``problems`` found when there are several
    ├── TimingError               a plan the timing engine cannot resolve (a cycle
    │                             of anchors, an anchor to an unknown item); carries
    │                             ``item``, ``path``, ``file`` and ``line``
    ├── PublishStateError         a publish state file that cannot be read
    ├── MissingExtraError         an optional part used without its extra installed
    │   (ModuleNotFoundError)     (``pip install 'ceremony-timeline[serve]'``)
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


MAX_PROBLEMS = 50
"""The most problems one :class:`ShowFileError` lists (the earliest in the file)."""


class ShowFileError(CeremonyError):
    """A show file (or text) that cannot be understood.

    The message reads ``file:line: path: what is wrong``; each part is also an attribute.
    A file with several mistakes raises one error for all of them (:meth:`of`):
    ``problems`` holds each (at most :data:`MAX_PROBLEMS`, in line order), ``message``,
    ``line`` and ``path`` are the first one's, and ``str()`` lists them one a line. For a
    single mistake ``problems`` is ``(self,)``.
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
        self.problems: tuple[ShowFileError, ...] = (self,)
        self.left_out = 0
        """How many problems past :data:`MAX_PROBLEMS` were found and not listed."""

    @classmethod
    def of(cls, problems: Sequence[ShowFileError]) -> ShowFileError:
        """One error for ``problems`` (each with one mistake), kept in the order given."""
        if not problems:
            raise ModelError("ShowFileError.of() needs at least one problem")
        if len(problems) == 1:
            return problems[0]
        first = problems[0]
        error = cls(first.message, file=first.file, line=first.line, path=first.path)
        error.problems = tuple(problems[:MAX_PROBLEMS])
        error.left_out = len(problems) - len(error.problems)
        return error

    def __str__(self) -> str:
        lines = [_located(p.message, p.file, p.line, p.path) for p in self.problems]
        if self.left_out:
            lines.append(f"... and {self.left_out} more (fix these first)")
        return "\n".join(lines)


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


class AmbiguousTimeError(ZoneError):
    """A wall-clock time that happens twice in its zone (the night the clocks go back).

    The message tells a file's author to write ``fold`` or an offset; :meth:`typed` is the
    same error worded for a time typed at the command line, where only an offset can say
    which (``--at 01:30-04:00``). ``clock`` is the time as ``01:30``; ``offsets`` are the
    two offsets from UTC it can have, the first occurrence's first (``-04:00``).
    """

    def __init__(self, message: str, *, clock: str, offsets: tuple[str, str]) -> None:
        super().__init__(message)
        self.clock = clock
        self.offsets = offsets

    def typed(self, option: str = "") -> AmbiguousTimeError:
        """The error as told to someone who typed the time after ``option`` (``--at``)."""
        when = self.message.partition(";")[0]
        first, second = (f"{option} {self.clock}{offset}".strip() for offset in self.offsets)
        return AmbiguousTimeError(
            f"{when}; type its offset to say which: {first} (the first) or {second} (the second)",
            clock=self.clock,
            offsets=self.offsets,
        )


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


class MissingExtraError(CeremonyError, ModuleNotFoundError):
    """An optional part used without its extra installed (``serve``, ``xlsx``, ``pdf``...).

    Also a :class:`ModuleNotFoundError`; ``extra`` names the extra, and the message says
    how to install it: ``XLSX output needs the xlsx extra: pip install
    'ceremony-timeline[xlsx]'``. Raised by :func:`ceremony.extras.needs_extra`.
    """

    def __init__(self, message: str, *, extra: str, name: str | None = None) -> None:
        super().__init__(message, name=name)
        self.extra = extra


class WriteError(CeremonyError, OSError):
    """A file or folder that could not be written (disk full, no permission, ...).

    Also an :class:`OSError`, with ``errno``, ``strerror`` and ``filename`` (the path it
    names); the message reads ``path: cannot write (reason)``.
    """

    def __str__(self) -> str:
        reason = self.strerror or "failed"
        return f"{self.filename}: cannot write ({reason})"
