"""Writing files all or nothing: a temporary file beside the target, then a rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: str | os.PathLike[str], text: str | bytes) -> None:
    """Write ``text`` (str as UTF-8, or bytes as they are) to ``path``, all or nothing.

    A reader sees the old file or the new one, never half of one, even if the process is
    killed midway.
    """
    target = Path(path)
    handle, temporary = tempfile.mkstemp(
        dir=target.resolve().parent, prefix=".ceremony-", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode() if isinstance(text, str) else text)
        # mkstemp makes the file private (0600); give it the mode any new file would get.
        Path(temporary).chmod(0o666 & ~_umask())
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process's umask (reading it means setting it; it is put straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
