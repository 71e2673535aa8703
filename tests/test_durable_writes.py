"""Writes that survive hostile conditions: parallel recorders, kills, full disks, odd paths."""

from __future__ import annotations

import asyncio
import errno
import os
import re
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner

import ceremony
from ceremony import MarkEdge
from ceremony.cli import main
from ceremony.errors import CeremonyError
from ceremony.io.actualsfile import record_mark
from ceremony.io.atomic import WriteError, write_atomically
from ceremony.serve import create_app
from ceremony.site import build_site, read_site_state, state_path
from tests.conftest import EXAMPLES, HEAD, ROOT
from tests.test_live import BODY, at

NOW = datetime(2024, 8, 20, tzinfo=UTC)
AZE_KAZ = EXAMPLES / "paralympians-aze-kaz.yaml"


def write_show(folder: Path) -> Path:
    path = folder / "show.yaml"
    path.write_text(HEAD + BODY, encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too), by relative path."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


# --- record: parallel recorders, comments, durability ------------------------------------

RECORDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from click.testing import CliRunner
    from ceremony.cli import main

    show, who, go = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    while not go.exists():
        time.sleep(0.005)
    for i in range(40):
        result = CliRunner().invoke(
            main, ["record", show, "a", "start", "--at", f"20:{who:02d}:{i:02d}"]
        )
        assert result.exit_code == 0, result.output
    """
)


def test_three_parallel_recorders_keep_every_mark(tmp_path: Path) -> None:
    """Three `ceremony record` loops on one show, 40 marks each: all 120 are kept."""
    show = write_show(tmp_path)
    go = tmp_path / "go"
    recorders = [
        subprocess.Popen(
            [sys.executable, "-c", RECORDER, str(show), str(who), str(go)],
            cwd=ROOT,
            stderr=subprocess.PIPE,
        )
        for who in (1, 2, 3)
    ]
    time.sleep(0.2)
    go.touch()  # all three start together, once imported
    for process in recorders:
        _, err = process.communicate(timeout=60)
        assert process.returncode == 0, err.decode()
    marks = ceremony.load_actuals(tmp_path / "show.actuals.yaml", ceremony.load(show)).marks
    assert len(marks) == 120
    assert {m.at for m in marks} == {
        at(f"20:{who:02d}:{i:02d}") for who in (1, 2, 3) for i in range(40)
    }


COMMENTED_YAML = """\
# Opening night log, kept by the SM desk
ceremony: show
marks:  # in the order they were called
  - {item: a, edge: start, at: "20:00:40"}  # doors opened late
  # the parade was held for the rain
"""

COMMENTED_TOML = """\
# Opening night log
ceremony = "show"

[[marks]]  # first call
item = "a"
edge = "start"
at = "20:00:40"  # doors opened late
"""


@pytest.mark.parametrize(
    ("suffix", "text", "comments"),
    [
        (
            "yaml",
            COMMENTED_YAML,
            [
                "# Opening night log, kept by the SM desk",
                "# in the order they were called",
                "# doors opened late",
                "# the parade was held for the rain",
            ],
        ),
        ("toml", COMMENTED_TOML, ["# Opening night log", "# first call", "# doors opened late"]),
    ],
)
def test_comments_survive_a_record(
    tmp_path: Path, suffix: str, text: str, comments: list[str]
) -> None:
    """A mark is appended to the text: every comment stays, the file reads back right."""
    show = write_show(tmp_path)
    actuals_file = tmp_path / f"show.actuals.{suffix}"
    actuals_file.write_text(text, encoding="utf-8")
    for edge, clock in (("end", "20:11"), ("start", "20:11:05")):
        item = "a" if edge == "end" else "b"
        result = CliRunner().invoke(
            main,
            ["record", str(show), item, edge, "--at", clock, "--actuals", str(actuals_file)],
        )
        assert result.exit_code == 0, result.output
    written = actuals_file.read_text(encoding="utf-8")
    assert written.startswith(text)
    for comment in comments:
        assert comment in written
    marks = ceremony.load_actuals(actuals_file, ceremony.load(show)).marks
    assert [(m.item, m.edge, m.at) for m in marks] == [
        ("a", MarkEdge.START, at("20:00:40")),
        ("a", MarkEdge.END, at("20:11")),
        ("b", MarkEdge.START, at("20:11:05")),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "ceremony: show\nmarks: []  # nothing yet\n",
        "# nothing recorded yet\nceremony: show\n",
        "marks:\n- item: a\n  edge: start\n  at: '20:00:40'\nceremony: show  # last\n",
        "ceremony: show\nmarks:\n- item: a\n  edge: start\n  at: '20:00:40'  # late\n# end\n",
        "marks:\n  - item: a\n    at: '20:00:40'\n    edge: start\n# held\nceremony: show\n",
        "{ceremony: show, marks: [{item: a, edge: start, at: '20:00:40'}]}  # flow\n",
    ],
)
def test_any_yaml_layout_takes_a_mark(tmp_path: Path, text: str) -> None:
    """Every layout takes the mark and reads back right; comments stay but in a flow root."""
    show = write_show(tmp_path)
    programme = ceremony.load(show)
    path = tmp_path / "show.actuals.yaml"
    path.write_text(text, encoding="utf-8")
    before = ceremony.load_actuals(path, programme)
    after = record_mark(path, programme, "b", MarkEdge.START, at("20:12"))
    assert after == before.record("b", MarkEdge.START, at("20:12"))
    assert ceremony.load_actuals(path, programme) == after
    written = path.read_text(encoding="utf-8")
    if "# flow" not in text:
        for comment in re.findall(r"#.*", text):
            assert comment in written


def test_record_mark_api(tmp_path: Path) -> None:
    """One mark at a time, on the show's own clock; errors write nothing."""
    show = write_show(tmp_path)
    programme = ceremony.load(show)
    path = tmp_path / "show.actuals.json"
    first = record_mark(path, programme, "a", MarkEdge.START, datetime(2024, 8, 28, 18, tzinfo=UTC))
    assert first.ceremony == "show"
    assert first.marks[0].at.isoformat() == "2024-08-28T20:00:00+02:00"
    second = record_mark(path, programme, "a", MarkEdge.END, "20:10:30")
    assert second.marks[-1].at == at("20:10:30")
    assert ceremony.load_actuals(path, programme) == second
    before = path.read_bytes()
    with pytest.raises(CeremonyError, match="no item 'zz'"):
        record_mark(path, programme, "zz", MarkEdge.START, "20:11")
    with pytest.raises(CeremonyError, match="not a date and time"):
        record_mark(path, programme, "a", MarkEdge.START, "noon")
    with pytest.raises(CeremonyError, match="no ceremony 'other'"):
        record_mark(path, programme, "a", MarkEdge.START, "20:11", ceremony_id="other")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".show.actuals.json.lock",
        "show.actuals.json",
        "show.yaml",
    ]


def test_a_record_that_cannot_be_written_names_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    show = write_show(tmp_path)
    record_mark(tmp_path / "show.actuals.yaml", ceremony.load(show), "a", MarkEdge.START, "20:00")
    before = (tmp_path / "show.actuals.yaml").read_bytes()
    monkeypatch.setattr(os, "fsync", _fail_with(errno.ENOSPC))
    result = CliRunner().invoke(main, ["record", str(show), "a", "end", "--at", "20:10"])
    assert result.exit_code == 2
    assert "show.actuals.yaml" in result.output
    assert "No space left on device" in result.output
    assert "Traceback" not in result.output
    assert (tmp_path / "show.actuals.yaml").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]


def _fail_with(code: int) -> Callable[..., Any]:
    def fail(*_args: object, **_kwargs: object) -> Any:
        raise OSError(code, os.strerror(code))

    return fail


def test_write_atomically_syncs_the_file_and_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """fsync of the temporary file before the rename, of the folder after it."""
    synced: list[str] = []
    real_fsync = os.fsync
    real_replace = os.replace

    def fsync(fd: int) -> None:
        synced.append("folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    def replace(*args: Any, **kwargs: Any) -> None:
        synced.append("rename")
        real_replace(*args, **kwargs)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    write_atomically(tmp_path / "out.txt", "hello\n")
    assert synced == ["file", "rename", "folder"]
    assert (tmp_path / "out.txt").read_text() == "hello\n"
    assert oct((tmp_path / "out.txt").stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_write_atomically_keeps_the_mode_of_the_file_replaced(tmp_path: Path) -> None:
    """A private file (0600) stays private when it is rewritten."""
    path = tmp_path / "private.actuals.yaml"
    path.write_text("marks: []\n")
    path.chmod(0o600)
    write_atomically(path, "marks: []  # rewritten\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize("code", [errno.EINVAL, errno.ENOTSUP])
def test_a_folder_that_cannot_be_synced_is_not_a_failed_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    """Some file systems cannot sync a folder; the write has happened and says so."""
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(code, os.strerror(code))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    write_atomically(tmp_path / "out.txt", "hello\n")
    assert (tmp_path / "out.txt").read_text() == "hello\n"


def test_a_folder_sync_that_fails_otherwise_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An I/O error while syncing the folder is still a WriteError naming the file."""
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(WriteError, match=r"out\.txt"):
        write_atomically(tmp_path / "out.txt", "hello\n")


def test_write_atomically_through_a_symbolic_link(tmp_path: Path) -> None:
    """A link to a file stays a link; the file it points to gets the new text."""
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "log.yaml").write_text("old\n")
    (tmp_path / "log.yaml").symlink_to(tmp_path / "real" / "log.yaml")
    write_atomically(tmp_path / "log.yaml", "new\n")
    assert (tmp_path / "log.yaml").is_symlink()
    assert (tmp_path / "real" / "log.yaml").read_text() == "new\n"


# --- site: the state goes with the site ---------------------------------------------------


class _Injector:
    """Makes the n-th filesystem write of a build fail with ENOSPC."""

    CALLS = ("write", "fsync", "mkdir", "rename", "replace", "open")

    def __init__(self, monkeypatch: pytest.MonkeyPatch, fail_at: int) -> None:
        self.count = 0
        self.fail_at = fail_at
        for name in self.CALLS:
            monkeypatch.setattr(os, name, self._wrap(name, getattr(os, name)))

    def _wrap(self, name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            if name == "open" and not (args[1] if len(args) > 1 else kwargs["flags"]) & (
                os.O_WRONLY | os.O_RDWR
            ):
                return real(*args, **kwargs)  # reading is not writing
            if name == "mkdir" and Path(args[0]).is_dir():
                return real(*args, **kwargs)  # nothing to write (and pathlib ignores errors)
            self.count += 1
            if self.count == self.fail_at:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real(*args, **kwargs)

        return call


@pytest.fixture
def built(tmp_path: Path) -> Path:
    programme = ceremony.load(AZE_KAZ)
    build_site(programme, tmp_path / "site", now=NOW)
    return tmp_path / "site"


SESSIONS = """\
sessions:
  - {id: heat, sport: Para Swimming, venue: concorde, start: 2024-08-29T10:00, duration: 10m}
  - {id: final, sport: Para Swimming, venue: concorde, start: 2024-08-29T18:00, duration: 10m,
     medal: true, delegations: [KAZ]}
  - {id: relay, sport: Para Athletics, venue: concorde, start: 2024-08-30T18:00, duration: 20m}
"""


def test_a_full_disk_at_any_write_leaves_the_site_and_state_as_they_were(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ENOSPC at each write of a rebuild in turn: previous site and state byte for byte."""
    original = ceremony.loads(HEAD + SESSIONS, "yaml")
    built = tmp_path / "site"
    build_site(original, built, now=NOW)
    changed = attrs.evolve(original, sessions=original.sessions[1:])  # one is cancelled
    before = snapshot(built.parent)
    failures = 0
    for fail_at in range(1, 1000):
        with monkeypatch.context() as patch:
            injector = _Injector(patch, fail_at)
            failure: OSError | None = None
            try:
                build_site(changed, built, now=NOW, segments=True)
            except OSError as error:
                failure = error
            if failure is None:
                # Every write done; or the last one failed, the folder's sync after the swap,
                # which the build may overlook: the site was already published whole.
                assert injector.count <= fail_at
                break
        failures += 1
        assert isinstance(failure, CeremonyError), repr(failure)
        message = str(failure)
        assert "No space left on device" in message
        assert str(built) in message, message
        assert "\n" not in message
        assert snapshot(built.parent) == before, f"write {fail_at} changed the site"
        assert sorted(p.name for p in built.parent.iterdir()) == ["site", "site.lock"]
    assert failures > 20
    assert snapshot(built.parent) != before
    assert sorted(p.name for p in built.parent.iterdir()) == ["site", "site.lock"]
    state = read_site_state(built)
    assert state is not None
    assert state.records[changed.sessions[0].id].sequence == 0
    assert state.records[original.sessions[0].id].sequence == 1  # cancelled


def _get(app: Any, path: str, query: str = "") -> int:
    """The status of a GET of ``path`` from the ASGI ``app``."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    return int(sent[0]["status"])


def test_the_state_is_private(built: Path) -> None:
    """The state holds crew-only items: only its owner may read it, after a rebuild too."""
    assert stat.S_IMODE(state_path(built).stat().st_mode) == 0o600
    build_site(ceremony.load(AZE_KAZ), built, now=NOW)
    assert stat.S_IMODE(state_path(built).stat().st_mode) == 0o600


def test_the_state_lives_inside_the_site_and_is_not_served(built: Path) -> None:
    assert state_path(built) == built / ".publish-state.sqlite"
    assert state_path(built).is_file()
    assert not (built.parent / "site.state.json").exists()
    app = create_app(built)
    assert _get(app, "/.publish-state.json") == 404
    assert _get(app, "/.publish-state.sqlite") == 404
    assert _get(app, "/%2Epublish-state.sqlite") == 404
    assert _get(app, "/%2Epublish-state.json") == 404
    assert _get(app, "/all.ics") == 200
    assert _get(app, "/feed.ics", "delegation=KAZ") == 200  # made from the state inside


def test_a_state_beside_the_site_is_moved_inside(built: Path) -> None:
    """A site built by an earlier version keeps its SEQUENCEs and its state moves inside."""
    legacy = built.parent / "site.state.json"
    state_path(built).rename(legacy)
    before = read_site_state(built)
    assert before is not None
    original = ceremony.load(AZE_KAZ)
    changed = attrs.evolve(original, sessions=original.sessions[1:])
    site = build_site(changed, built, now=NOW)
    assert site.publication.cancelled == (original.sessions[0].id,)
    assert not legacy.exists()
    assert state_path(built).is_file()


def test_a_state_beside_a_link_to_the_site_is_moved_inside(built: Path) -> None:
    """An earlier version's state beside the link's name (site -o LINK) is not lost."""
    link = built.parent / "published"
    link.symlink_to(built)
    legacy = built.parent / "published.state.json"
    state_path(built).rename(legacy)
    original = ceremony.load(AZE_KAZ)
    changed = attrs.evolve(original, sessions=original.sessions[1:])
    site = build_site(changed, link, now=NOW)
    assert site.publication.cancelled == (original.sessions[0].id,)
    assert not legacy.exists()
    assert state_path(built).is_file()


def test_a_symbolic_link_to_the_site_is_built_through(tmp_path: Path) -> None:
    """-o LINK builds into the link's target: the link, one lock, one state."""
    programme = ceremony.load(AZE_KAZ)
    real = tmp_path / "releases" / "site"
    build_site(programme, real, now=NOW)
    (tmp_path / "public").symlink_to(real, target_is_directory=True)
    result = CliRunner().invoke(main, ["site", str(AZE_KAZ), "-o", str(tmp_path / "public")])
    assert result.exit_code == 0, result.output
    assert "0 new, 0 changed, 0 cancelled" in result.output
    assert (tmp_path / "public").is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public", "releases"]
    assert sorted(p.name for p in real.parent.iterdir()) == ["site", "site.lock"]


def test_a_folder_that_cannot_be_created_is_reported_and_cleared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only parent: one line naming the folder, exit 2, nothing left behind."""
    programme = ceremony.load(AZE_KAZ)
    build_site(programme, tmp_path / "site", now=NOW)
    before = snapshot(tmp_path)

    def refuse(*_args: object, **_kwargs: object) -> Any:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    for name in ("ceremony.site.tempfile.mkdtemp", "ceremony.site._exchange"):
        with monkeypatch.context() as patch:
            patch.setattr(name, refuse)
            result = CliRunner().invoke(
                main, ["site", str(AZE_KAZ), "-o", str(tmp_path / "site"), "--segments"]
            )
        assert result.exit_code == 2, (name, result.output)
        assert "Permission denied" in result.output
        assert str(tmp_path / "site") in " ".join(result.output.split())
        assert "Traceback" not in result.output
        assert snapshot(tmp_path) == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "site.lock"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders anyway")
def test_a_read_only_parent_folder(tmp_path: Path) -> None:
    parent = tmp_path / "ro"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        result = CliRunner().invoke(main, ["site", str(AZE_KAZ), "-o", str(parent / "site")])
        assert result.exit_code == 2
        assert "Permission denied" in result.output
        assert list(parent.iterdir()) == []
    finally:
        parent.chmod(0o755)


def test_ics_to_a_missing_folder_creates_it(tmp_path: Path) -> None:
    """As site and sheet do: the folder is made, the feed and its state written."""
    output = tmp_path / "missing" / "dir" / "out.ics"
    result = CliRunner().invoke(main, ["ics", str(AZE_KAZ), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert output.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert (output.parent / "out.ics.state.json").is_file()


def test_ics_to_a_path_that_cannot_be_a_folder_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    result = CliRunner().invoke(main, ["ics", str(AZE_KAZ), "-o", str(tmp_path / "file" / "o.ics")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert str(tmp_path / "file") in " ".join(result.output.split())


def test_the_feed_state_is_written_before_the_feed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A feed that fails to be written leaves a state at least as new as the feed."""
    output = tmp_path / "out.ics"
    assert CliRunner().invoke(main, ["ics", str(AZE_KAZ), "-o", str(output)]).exit_code == 0
    before = output.read_bytes()
    writes: list[str] = []

    def record(path: str | os.PathLike[str], data: str | bytes) -> None:
        writes.append(Path(path).name)
        write_atomically(path, data)

    monkeypatch.setattr("ceremony.site.write_atomically", record)
    assert CliRunner().invoke(main, ["ics", str(AZE_KAZ), "-o", str(output)]).exit_code == 0
    assert writes == ["out.ics.state.json", "out.ics"]
    assert output.read_bytes() == before


def test_write_error_is_a_ceremony_error_and_an_os_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(WriteError) as caught:
        write_atomically(tmp_path / "file" / "out.txt", "x")
    assert isinstance(caught.value, CeremonyError)
    assert isinstance(caught.value, OSError)
    assert caught.value.filename == str(tmp_path / "file" / "out.txt")
    assert str(caught.value).startswith(str(tmp_path / "file" / "out.txt") + ": cannot write")
