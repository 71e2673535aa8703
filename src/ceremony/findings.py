"""Findings: problems in a plan that are not errors in the file, and how serious they are.

:func:`ceremony.checks.check` finds them in a programme; the importers report what they had
to guess or leave out as findings too.
"""

from __future__ import annotations

import enum

import attrs

from ceremony.errors import Path, format_path


class Severity(enum.Enum):
    """How serious a finding is: errors make ``ceremony check`` exit 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@attrs.frozen(kw_only=True)
class Finding:
    """One problem in a plan, with where it is."""

    severity: Severity
    code: str
    """A stable short name: ``overlap``, ``over-hard-out``, ``venue-clash`` ..."""
    message: str
    path: Path = ()
    location: str | None = None
    """``file:line`` when the programme was loaded from a file."""

    def __str__(self) -> str:
        where = self.location or "<programme>"
        field = f" {format_path(self.path)}:" if self.path else ""
        return f"{where}:{field} {self.severity.value}: {self.message} [{self.code}]"
