"""Writing files all or nothing, and durably: a synced temporary file, a rename, a synced folder.

Every failure is a :class:`WriteError` that names the file or folder it could not write.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ceremony.errors import CeremonyError, WriteError

__all__ = [
    "WriteError",
    "exclusive_lock",
    "naming",
    "sync_folder",
    "write_all",
    "write_atomically",
    "write_error",
    "write_file",
]


def write_error(path: str | os.PathLike[str], error: OSError) -> WriteError:
    """``error`` as a :class:`WriteError` naming ``path`` (one already naming a path stays)."""
    if isinstance(error, WriteError):
        return error
    return WriteError(error.errno, error.strerror or str(error), os.fspath(path))


@contextlib.contextmanager
def naming(path: str | os.PathLike[str]) -> Iterator[None]:
    """Turn an :class:`OSError` raised inside into a :class:`WriteError` naming ``path``."""
    try:
        yield
    except OSError as error:
        raise write_error(path, error) from error


@contextlib.contextmanager
def exclusive_lock(path: Path, *, busy: CeremonyError | None = None) -> Iterator[None]:
    """Hold an exclusive lock on the file ``path`` (made if missing) while inside.

    Where two writers can meet, each takes the lock first and waits for it; given
    ``busy``, it raises that error at once instead of waiting. The lock file is opened
    read-only (enough for ``flock``), so users of one group can share the one the first
    made. On systems without ``fcntl`` (Windows) nothing is locked.
    """
    try:
        import fcntl  # noqa: PLC0415 - POSIX only
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    with naming(path):
        handle = os.open(path, os.O_RDONLY | os.O_CREAT, 0o666)
    try:
        if busy is None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        else:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise busy from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        os.close(handle)


def write_atomically(path: str | os.PathLike[str], text: str | bytes) -> None:
    """Write ``text`` (str as UTF-8, or bytes as they are) to ``path``, all or nothing.

    A reader sees the old file or the new one, never half of one, even if the process is
    killed midway; once this returns, the new file survives a power cut too (the file is
    synced before the rename, the folder after it). A symbolic link stays a link: the
    file it points to is replaced. :class:`WriteError` names ``path`` on failure.
    """
    with naming(path):
        target = Path(path).resolve()
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".ceremony-", suffix=".tmp")
        try:
            write_all(handle, text.encode() if isinstance(text, str) else text)
            # mkstemp makes the file private (0600): keep the mode of the file replaced, or
            # give a new file the mode any new file would get.
            os.fchmod(handle, _mode_for(target))
            os.fsync(handle)
            os.close(handle)
            handle = -1
            Path(temporary).replace(target)
        except BaseException:
            if handle >= 0:
                os.close(handle)
            Path(temporary).unlink(missing_ok=True)
            raise
        sync_folder(target.parent)


def write_file(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Create ``path`` with ``data`` and sync it (for files in a folder not yet published)."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        write_all(handle, data)
        os.fchmod(handle, mode)
        os.fsync(handle)
    finally:
        os.close(handle)


def write_all(handle: int, data: bytes) -> None:
    """Write every byte of ``data`` to the open file ``handle``."""
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view) :]


_FOLDER_SYNC_UNSUPPORTED = frozenset({errno.EINVAL, errno.ENOTSUP, errno.EBADF})
"""What a file system that cannot sync a folder answers (some FUSE, CIFS, 9p mounts)."""


def sync_folder(folder: Path) -> None:
    """Make the entries of ``folder`` (new names, renames) durable, where the system can.

    A file system that cannot sync folders at all is not an error: the rename is done
    either way, and saying the write failed would make a caller write it again.
    """
    try:
        handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # pragma: no cover - a system that cannot open folders (Windows)
        return
    try:
        os.fsync(handle)
    except OSError as error:
        if error.errno not in _FOLDER_SYNC_UNSUPPORTED:
            raise
    finally:
        os.close(handle)


def _mode_for(target: Path) -> int:
    """The mode to give ``target``'s new content: the old file's, else the umask's."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        return 0o666 & ~_UMASK


def _read_umask() -> int:
    """The process's umask (reading it means setting it; it is put straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()
"""Read once, at import, so that no write changes the process's umask while threads run."""
