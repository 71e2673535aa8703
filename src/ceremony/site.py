"""The feed site: every feed of a programme, an index page and a manifest, in one folder.

The site is built in a temporary folder beside the target, every file synced, and swapped
in only when it is complete, so a web server (or a person) never sees half a site, and a
build killed at any moment (or failing: a full disk) leaves the previous site as it was.

The publish state (SEQUENCE, LAST-MODIFIED, tombstones) lives inside the site, in
``.publish-state.json`` (which the manifest does not list and ``ceremony serve`` never
serves), so the state and the feeds are swapped in together: a subscriber can never have
fetched a SEQUENCE the state does not know. A state beside the site (``<site>.state.json``,
where earlier versions kept it) is read when there is none inside, and removed once the
site holds its own.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs

from ceremony.errors import CeremonyError
from ceremony.export.changes import changelog_lines
from ceremony.export.events import CalendarEvent
from ceremony.export.feeds import FEED_HEADINGS, Feed, FilterLike, chosen_events, feed_set
from ceremony.export.ics import (
    CalendarHead,
    FeedSettings,
    assemble,
    head_bytes,
    span,
)
from ceremony.export.site_index import SiteFile, index_page, manifest_text
from ceremony.io.atomic import (
    WriteError,
    exclusive_lock,
    naming,
    sync_folder,
    write_atomically,
    write_file,
)
from ceremony.io.showfile import from_data, to_data
from ceremony.model import Actuals, Programme
from ceremony.publishing import (
    Publication,
    PublishState,
    PublishStateError,
    dumps_state,
    loads_state,
    publication_time,
    publish,
    render,
    source_date_epoch,
)
from ceremony.revisions import diff
from ceremony.slugs import slug

Progress = Callable[[int, int], None]
"""Called with (feeds written, feeds in all) as a build goes."""


@attrs.frozen(kw_only=True)
class Site:
    """What a build wrote, and what it published."""

    root: Path
    files: tuple[SiteFile, ...]
    publication: Publication
    changes: tuple[str, ...] = ()
    """The changelog against the programme last published (empty on a first build)."""


STATE_NAME = ".publish-state.json"
"""The publish state's name inside a site folder (private: not in the manifest)."""


def state_path(root: str | os.PathLike[str]) -> Path:
    """Where a site's publish state lives: inside it, ``<site>/.publish-state.json``."""
    return Path(root) / STATE_NAME


def legacy_state_path(root: str | os.PathLike[str]) -> Path:
    """Where earlier versions kept a site's publish state: beside it, ``<site>.state.json``."""
    target = Path(root)
    return target.with_name(target.name + ".state.json")


def feed_state_path(output: str | os.PathLike[str]) -> Path:
    """Where a single feed's publish state lives: beside it, ``<feed>.state.json``."""
    target = Path(output)
    return target.with_name(target.name + ".state.json")


def read_state(path: Path) -> PublishState | None:
    """The publish state at ``path``, or None when there is none yet."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise PublishStateError(f"{path}: cannot read the publish state ({exc})") from None
    return loads_state(text, file=str(path))


def read_site_state(root: str | os.PathLike[str]) -> PublishState | None:
    """The publish state of the site at ``root`` (inside it, else where it used to be)."""
    state = read_state(state_path(root))
    return state if state is not None else read_state(legacy_state_path(root))


def publish_feed(
    programme: Programme,
    output: str | os.PathLike[str],
    /,
    *,
    now: datetime,
    settings: FeedSettings | None = None,
    where: FilterLike | None = None,
    segments: bool | None = None,
    crew: bool | None = None,
    actuals: Actuals | None = None,
    selected: Iterable[CalendarEvent] | None = None,
) -> tuple[bytes, Publication]:
    """Write one feed of ``programme`` to ``output``, following the publish state beside it.

    Like :func:`build_site` for a single file: SEQUENCE, LAST-MODIFIED and tombstones come
    from ``<output>.state.json``. The state is written first, so that it is never behind
    the feed (a SEQUENCE never goes back); a missing folder is made.

    The events are chosen as :func:`~ceremony.export.ics.to_ical` chooses them (``where``,
    ``segments``, ``crew``, ``selected``). ``now`` is the build's time, used as
    :func:`build_site` uses it; with ``actuals`` it is also the moment the live projection
    is made at, so a slid item moves and its SEQUENCE rises.
    """
    chosen = chosen_events(
        programme,
        where=where,
        segments=segments,
        crew=crew,
        actuals=actuals,
        now=None if actuals is None else now,
        selected=selected,
    )
    settings = settings or FeedSettings()
    target = Path(output)
    with naming(target.parent):
        target.parent.mkdir(parents=True, exist_ok=True)
    previous = read_state(feed_state_path(target))
    publication = _publish(programme, chosen, previous, now, settings, to_data(programme))
    listed = [stamped.entry for stamped in publication.events]
    events, state = render(publication, previous, settings.domain)
    data = assemble(
        head_bytes(CalendarHead(id="all", name=programme.name), settings),
        (entry.zone for entry in listed),
        events,
        span(listed, programme),
    )
    write_atomically(feed_state_path(target), dumps_state(state))
    write_atomically(target, data)
    return data, publication


def _publish(  # noqa: PLR0917 - one private helper for the two edges
    programme: Programme,
    chosen: Sequence[CalendarEvent],
    previous: PublishState | None,
    now: datetime,
    settings: FeedSettings,
    show: dict[str, Any],
) -> Publication:
    """One build's publication, at :func:`~ceremony.publishing.publication_time`."""
    at = publication_time(
        programme.published, previous, now=now, source_date=source_date_epoch(os.environ)
    )
    return publish(
        chosen,
        previous,
        at=at,
        stamp=programme.published,
        keep_cancelled=settings.keep_cancelled,
        show=show,
        domain=settings.domain,
        refresh=settings.refresh,
    )


def build_site(
    programme: Programme,
    root: str | os.PathLike[str],
    *,
    now: datetime,
    settings: FeedSettings | None = None,
    segments: bool = False,
    crew: bool = False,
    where: FilterLike | None = None,
    actuals: Actuals | None = None,
    base_url: str | None = None,
    progress: Progress | None = None,
) -> Site:
    """Build the feed site of ``programme`` into ``root``, replacing what was there.

    ``now`` is the build's time: LAST-MODIFIED of what changed since the publish state, when
    the programme has no ``published`` time and ``SOURCE_DATE_EPOCH`` is not set. A first
    build (no state) never uses it: its stamps are the programme's ``published`` time, else
    ``SOURCE_DATE_EPOCH``, else :data:`~ceremony.export.ics.EPOCH`, so two fresh builds of
    one programme are byte-identical (:func:`~ceremony.publishing.publication_time`).
    ``where`` keeps only the matching events (as in :func:`~ceremony.export.ics.to_ical`).
    With ``actuals``, ``now`` is also the moment the live projection is made at: the
    actuals' ceremony and its segments carry it (a soft item that slid moves and its
    SEQUENCE rises, a hard one holds), so republishing after each mark is an ordinary
    rebuild. ``base_url``
    (``https://feeds.example.org/games/``) makes the index page's subscribe links
    absolute; without it the page makes them from its own address when opened. A
    ``root`` that is a symbolic link is built through: the folder it points to is
    replaced, the link stays.

    A build that fails leaves the previous site and its state as they were, and raises a
    :class:`~ceremony.errors.CeremonyError`: :class:`~ceremony.io.atomic.WriteError`
    (also an :class:`OSError`) naming the file or folder that could not be written.
    """
    chosen = chosen_events(
        programme,
        where=where,
        segments=segments,
        crew=crew,
        actuals=actuals,
        now=None if actuals is None else now,
    )
    settings = settings or FeedSettings()
    target = Path(root)
    # Earlier versions kept the state beside the path as typed, a link's name included.
    legacy = legacy_state_path(target)
    if target.is_symlink():
        target = target.resolve()
    with naming(target.parent):
        target.parent.mkdir(parents=True, exist_ok=True)
    with _only_build(target):
        return _build(programme, chosen, target, legacy, now, settings, base_url, progress)


def _build(  # noqa: PLR0917 - build_site's arguments, once the lock is held
    programme: Programme,
    chosen: Sequence[CalendarEvent],
    target: Path,
    legacy: Path,
    now: datetime,
    settings: FeedSettings,
    base_url: str | None,
    progress: Progress | None,
) -> Site:
    with naming(target):
        _recover(target)
    previous = read_site_state(target)
    if previous is None:
        previous = read_state(legacy)
    show = to_data(programme)
    publication = _publish(programme, chosen, previous, now, settings, show)
    changes = _changes(previous, programme, show)
    listed = [stamped.entry for stamped in publication.events]
    feeds = feed_set(programme, listed)
    events, state = render(publication, previous, settings.domain)
    dates = span(listed, programme)

    with naming(target):
        building = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.building-"))
    try:
        files: list[SiteFile] = []
        for done, feed in enumerate(feeds, 1):
            head = head_bytes(_head(feed, programme, base_url), settings)
            data = assemble(
                head,
                (listed[i].zone for i in feed.members),
                [events[i] for i in feed.members],
                dates,
            )
            files.append(
                _write(
                    building,
                    target,
                    feed.path,
                    data,
                    kind=feed.kind,
                    title=feed.title,
                    events=len(feed.members),
                )
            )
            if progress is not None:
                progress(done, len(feeds))
        page = index_page(
            programme, feeds, base_url=base_url, changes=changes, event_count=len(listed)
        )
        files.append(
            _write(building, target, "index.html", page.encode(), kind="index", title="Index")
        )
        manifest = manifest_text(files)
        _write(
            building, target, "manifest.json", manifest.encode(), kind="manifest", title="Manifest"
        )
        # The state goes into the folder that is swapped in: the two are published together.
        with naming(state_path(target)):
            write_file(state_path(building), dumps_state(state).encode(), mode=0o600)
        with naming(target):
            for folder in sorted({f.parent for f in building.rglob("*")}, reverse=True):
                sync_folder(folder)
            building.chmod(0o755)
            _swap(building, target)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    # Published. What follows only tidies up: a failure here leaves a whole, current site.
    with contextlib.suppress(OSError):
        sync_folder(target.parent)
    for moved in {legacy, legacy_state_path(target)}:
        with contextlib.suppress(OSError):
            moved.unlink(missing_ok=True)
    return Site(root=target, files=tuple(files), publication=publication, changes=tuple(changes))


def _changes(
    previous: PublishState | None, programme: Programme, show: dict[str, Any]
) -> list[str]:
    """The changelog from the programme last published to this one."""
    if previous is None or previous.show is None or previous.show == show:
        return []
    try:
        old = from_data(previous.show)
    except CeremonyError:  # an old state from another version: no changelog, still a site
        return []
    found = diff(old, programme)
    return changelog_lines(found) if found else []


def _head(feed: Feed, programme: Programme, base_url: str | None) -> CalendarHead:
    description = f"{programme.name}: {FEED_HEADINGS[feed.kind].lower()}"
    if feed.kind != "all":
        description = f"{feed.title} (revision {programme.revision or '—'})"
    return CalendarHead(
        id=f"{feed.kind}-{slug(feed.key)}" if feed.kind != "all" else "all",
        name=feed.title,
        description=description,
        url=(base_url.rstrip("/") + "/" + feed.path) if base_url else None,
    )


def _write(
    building: Path,
    site: Path,
    path: str,
    data: bytes,
    *,
    kind: str,
    title: str,
    events: int | None = None,
) -> SiteFile:
    """Write ``path`` into the folder being built; an error names it as it will be published."""
    target = building / path
    with naming(site / path):
        target.parent.mkdir(parents=True, exist_ok=True)
        write_file(target, data)
    return SiteFile(
        path=path,
        bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        kind=kind,
        title=title,
        events=events,
    )


def _graveyard(target: Path) -> Path:
    return target.with_name(f".{target.name}.previous")


@contextlib.contextmanager
def _only_build(target: Path) -> Iterator[None]:
    """Hold ``<site>.lock`` for the build: two builds of one site at once are refused."""
    busy = CeremonyError(f"{target}: another build of this site is running")
    with exclusive_lock(target.with_name(target.name + ".lock"), busy=busy):
        yield


def _recover(target: Path) -> None:
    """Clear what a killed build left: a half-built folder, a site set aside mid-swap."""
    for leftover in target.parent.glob(f".{target.name}.building-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    old = _graveyard(target)
    if old.exists() and not target.exists():
        old.rename(target)
    elif old.exists():
        shutil.rmtree(old, ignore_errors=True)


def _swap(new: Path, target: Path) -> None:
    """Put ``new`` at ``target``: one atomic exchange where the system has one."""
    if not target.exists() and not target.is_symlink():
        new.rename(target)
        return
    if not target.is_dir():
        raise WriteError(errno.ENOTDIR, "it exists and is not a folder", str(target))
    if _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # now holds the previous site
        return
    old = _graveyard(target)
    target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically with Linux's renameat2(RENAME_EXCHANGE).

    False where the system (or the file system) cannot; :class:`OSError` when it can but
    the exchange fails (no permission, ...).
    """
    try:  # the process's own symbols, libc's among them (find_library runs programs)
        libc = ctypes.CDLL(None, use_errno=True)
    except (OSError, TypeError):  # pragma: no cover - Windows
        return False
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP}:
        return False
    raise OSError(code, os.strerror(code), str(second))
