"""The feed site: every feed of a programme, an index page and a manifest, in one folder.

The site is built in a temporary folder beside the target, every file synced, and swapped
in only when it is complete, so a web server (or a person) never sees half a site, and a
build killed at any moment (or failing: a full disk) leaves the previous site as it was.

The publish state (SEQUENCE, LAST-MODIFIED, tombstones) lives inside the site, in the
SQLite database ``.publish-state.sqlite`` (:mod:`ceremony.site.state`; the manifest does
not list it and ``ceremony serve`` never serves it), so the state and the feeds are
swapped in together: a subscriber can never have fetched a SEQUENCE the state does not
know. A rebuild costs what changed: it serializes only the events whose content or stamps
changed, writes only the feeds made from them (the others are hard links to the previous
site's files), and diffs only the sessions that changed for the changelog. An earlier
version's JSON state (``.publish-state.json`` inside, or ``<site>.state.json`` beside the
site) is read once when there is no database, and removed once the site holds its own.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import gc
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs

from ceremony.errors import CeremonyError
from ceremony.export.events import CalendarEvent
from ceremony.export.feeds import FilterLike, chosen_events
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
)
from ceremony.io.showfile import to_data
from ceremony.model import Actuals, Programme
from ceremony.publishing import (
    Publication,
    PublishState,
    PublishStateError,
    check_domain,
    dumps_state,
    loads_state,
    publication_time,
    publish,
    publish_over,
    render,
    source_date_epoch,
)
from ceremony.site.changes import changelog
from ceremony.site.feeds import FeedWriter, Progress, write_site_file
from ceremony.site.state import (
    StateStore,
    is_database,
    read_database,
)


@attrs.frozen(kw_only=True)
class Site:
    """What a build wrote, and what it published."""

    root: Path
    files: tuple[SiteFile, ...]
    publication: Publication
    changes: tuple[str, ...] = ()
    """The changelog against the programme last published (empty on a first build)."""


STATE_NAME = ".publish-state.sqlite"
"""The publish state's name inside a site folder (private: not in the manifest)."""

JSON_STATE_NAME = ".publish-state.json"
"""Where earlier versions kept the state inside the site (JSON; read once, then replaced)."""


def state_path(root: str | os.PathLike[str]) -> Path:
    """Where a site's publish state lives: inside it, ``<site>/.publish-state.sqlite``."""
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
    """The publish state at ``path`` (a database, or JSON), or None when there is none yet."""
    if is_database(path):
        return read_database(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise PublishStateError(f"{path}: cannot read the publish state ({exc})") from None
    return loads_state(text, file=str(path))


def read_site_state(root: str | os.PathLike[str]) -> PublishState | None:
    """The publish state of the site at ``root`` (inside it, else where it used to be)."""
    found = previous_state_path(Path(root))
    return None if found is None else read_state(found)


def previous_state_path(root: Path, *legacy: Path) -> Path | None:
    """The state a build of the site at ``root`` starts from, if any.

    The database inside, else an earlier version's JSON state inside, else one beside the
    site (``<site>.state.json``, and those in ``legacy``).
    """
    for path in (state_path(root), root / JSON_STATE_NAME, legacy_state_path(root), *legacy):
        if path.is_file():
            return path
    return None


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

    The cyclic garbage collector (:mod:`gc`) is paused while it runs, and switched back
    on after it if it was on.
    """
    with _no_collection():
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


@contextlib.contextmanager
def _no_collection() -> Iterator[None]:
    """The cyclic garbage collector paused while a build runs.

    A build makes a few objects per event (the events, their records, the state's rows)
    that live until it ends, and no cycles to speak of; the collector would scan them, and
    the programme, again and again as they pile up (about a sixth of a rebuild's time at
    100,000 sessions). Objects are still freed when no longer used. It is switched back on
    only if it was on (another thread may have paused it too).
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


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
    previous = previous_state_path(target, legacy)
    with naming(target):
        building = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.building-"))
    store: StateStore | None = None
    try:
        # The state is a copy inside the folder that is swapped in: published together.
        store = StateStore.create(state_path(building), previous, named=state_path(target))
        check_domain(store.setting("domain"), settings.domain)
        at = publication_time(
            programme.published,
            None if store.fresh else store,
            now=now,
            source_date=source_date_epoch(os.environ),
        )
        priors = store.priors()
        publication = publish_over(
            chosen,
            priors,
            store.former,
            at=at,
            stamp=programme.published,
            keep_cancelled=settings.keep_cancelled,
        )
        refresh = int(settings.refresh.total_seconds())
        publication = attrs.evolve(
            publication,
            state=attrs.evolve(publication.state, domain=settings.domain, refresh_seconds=refresh),
        )
        store.put_setting("domain", settings.domain)
        store.put_setting("refresh_seconds", str(refresh))
        changes = changelog(store, programme)
        writer = FeedWriter(store, building, target, settings, base_url)
        feeds, files = writer.write(programme, publication, priors, progress)
        page = index_page(
            programme,
            feeds,
            base_url=base_url,
            changes=changes,
            event_count=len(publication.events),
        )
        files.append(
            write_site_file(
                building, target, "index.html", page.encode(), kind="index", title="Index"
            )
        )
        manifest = manifest_text(files)
        write_site_file(
            building, target, "manifest.json", manifest.encode(), kind="manifest", title="Manifest"
        )
        store.close()
        store = None
        with naming(target):
            for folder in sorted({f.parent for f in building.rglob("*")}, reverse=True):
                sync_folder(folder)
            building.chmod(0o755)
            _swap(building, target)
    except BaseException:
        if store is not None:
            store.abandon()
        shutil.rmtree(building, ignore_errors=True)
        raise
    # Published. What follows only tidies up: a failure here leaves a whole, current site.
    with contextlib.suppress(OSError):
        sync_folder(target.parent)
    for moved in {legacy, legacy_state_path(target)}:
        with contextlib.suppress(OSError):
            moved.unlink(missing_ok=True)
    return Site(root=target, files=tuple(files), publication=publication, changes=tuple(changes))


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
