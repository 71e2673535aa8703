"""What every importer shares: the result with its findings, source files, venue zones.

An importer turns someone else's schedule (ODF messages, a spreadsheet) into a
:class:`~ceremony.Programme`. What it cannot understand is an error that names the file and
line; what it understands but finds wrong or odd (a unit outside its session's hours, a time
in an offset that is not its venue's) is a :class:`~ceremony.checks.Finding`, so that a
whole Games imports and the problems are listed, not fatal.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from pathlib import Path as FilePath

import attrs

from ceremony.errors import ShowFileError
from ceremony.findings import Finding, Severity
from ceremony.model import Programme, ScheduleStatus
from ceremony.zones import zone

_CHUNK = 1024 * 1024


@attrs.frozen(kw_only=True)
class Imported:
    """An imported programme and what the importer found on the way, in source order."""

    programme: Programme
    findings: tuple[Finding, ...] = ()

    def summary(self) -> ImportSummary:
        """What the import made and found, counted."""
        programme = self.programme
        sessions = [session for _, session in programme.all_sessions()]
        severities = Counter(item.severity for item in self.findings)
        return ImportSummary(
            ceremonies=tuple((c.id, sum(1 for _ in c.walk())) for c in programme.ceremonies),
            sessions=len(sessions),
            inside=len(sessions) - len(programme.sessions),
            timeless=sum(session.start is None for session in sessions),
            cancelled=sum(session.status is ScheduleStatus.CANCELLED for session in sessions),
            medal_units=sum(session.medal_unit is not None for session in sessions),
            venues=len(programme.venues),
            errors=severities[Severity.ERROR],
            warnings=severities[Severity.WARNING],
            notes=severities[Severity.INFO],
        )


@attrs.frozen(kw_only=True)
class ImportSummary:
    """The counts of an import, as the ``ceremony import`` commands report them.

    ``ceremonies`` holds each ceremony's id and number of items; ``sessions`` counts the
    sessions and the units at every depth (``inside`` of them are units inside a session);
    ``errors``, ``warnings`` and ``notes`` count the findings by severity.
    """

    ceremonies: tuple[tuple[str, int], ...]
    sessions: int
    inside: int
    timeless: int
    cancelled: int
    medal_units: int
    venues: int
    errors: int
    warnings: int
    notes: int


def read_source(name: str, *, limit: int | None = None) -> bytes:
    """A source file's bytes; a missing or unreadable file is an error naming it.

    With ``limit``, a file of more bytes is refused, reading no more than one byte past it
    (a pipe or device that never ends included).
    """
    chunks = []
    total = 0
    try:
        with FilePath(name).open("rb") as source:
            if limit is None:
                return source.read()
            while total <= limit:  # in chunks: read(limit) would set aside the whole limit
                chunk = source.read(min(_CHUNK, limit + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
    except FileNotFoundError:
        raise ShowFileError("no such file", file=name) from None
    except OSError as exc:
        raise ShowFileError(f"cannot read: {exc.strerror}", file=name) from None
    if total > limit:
        raise ShowFileError(f"more than {size_text(limit)}, the limit for this file", file=name)
    return b"".join(chunks)


def size_text(size: int) -> str:
    """A number of bytes as a person reads it in a limit: ``20 MiB``, ``512 KiB``."""
    if size % 2**20 == 0:
        return f"{size // 2**20} MiB"
    if size % 2**10 == 0:
        return f"{size // 2**10} KiB"
    return f"{size:,} bytes"


def finding(severity: Severity, code: str, message: str, location: str) -> Finding:
    """A finding located at ``file:line`` in the source (not in the programme)."""
    return Finding(severity=severity, code=code, message=message, location=location)


class VenueZones:
    """Each venue's IANA zone: named ones, else the default; and offsets set against them.

    A time given with an offset is seen in its venue's zone when that zone has that offset
    at that instant; otherwise the offset is kept (the instant is right either way) and the
    venue is remembered, so the import can say which venues' times disagreed.
    """

    def __init__(self, default: str, named: Mapping[str, str] | None = None) -> None:
        zone(default)  # a bad default is a ValueError now, not at the first time
        self.default = default
        self.named = {key.lower(): value for key, value in (named or {}).items()}
        for name in self.named.values():
            zone(name)
        self.disagreeing: Counter[tuple[str, str]] = Counter()

    def zone_name(self, venue_code: str | None) -> str:
        """The zone of a venue code (any case), the default when none is named."""
        return self.named.get((venue_code or "").lower(), self.default)

    def named_zone(self, venue_code: str) -> str | None:
        """The zone named for this venue, if one was (``None`` means the default)."""
        return self.named.get(venue_code.lower())

    def place(self, instant: datetime, venue_code: str | None) -> datetime:
        """``instant`` in its venue's zone if the offsets agree, else as given."""
        tz = zone(self.zone_name(venue_code))
        local = instant.astimezone(tz)
        if local.utcoffset() == instant.utcoffset():
            return local
        self.disagreeing[(venue_code or "", _offset(instant.utcoffset()))] += 1
        return instant

    def findings(self, location: str) -> Iterable[Finding]:
        """One finding per venue whose times came in another offset than its zone's."""
        for (venue, offset), count in sorted(self.disagreeing.items()):
            tz = self.zone_name(venue)
            yield finding(
                Severity.INFO,
                "offset-not-venue-zone",
                f"{count} time(s) at venue {venue or '(none)'} are given at UTC{offset}, "
                f"which is not {tz}'s offset then; kept as given (the instants are exact)",
                location,
            )


def _offset(delta: timedelta | None) -> str:
    minutes = int((delta or timedelta()).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{minutes:02d}"
