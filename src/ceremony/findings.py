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
    """Where in the programme, when the finding is about a field of it."""
    file: str | None = None
    """The file the programme was loaded from (``None``: text, or not loaded)."""
    line: int | None = None
    """The line of ``path`` in that file, when known."""
    location: str | None = attrs.field(
        default=attrs.Factory(lambda finding: _where(finding.file, finding.line), takes_self=True)
    )
    """``file:line`` when the programme was loaded from a file (an importer's finding
    names the place in what it read)."""

    def __str__(self) -> str:
        where = self.location or "<programme>"
        field = f" {format_path(self.path)}:" if self.path else ""
        return f"{where}:{field} {self.severity.value}: {self.message} [{self.code}]"


def _where(file: str | None, line: int | None) -> str | None:
    """``file:line`` (``None`` when neither is known)."""
    if file is None and line is None:
        return None
    name = file or "<text>"
    return f"{name}:{line}" if line is not None else name
