"""Fuzzing: mutated show files, feeds, ODF messages and workbooks never crash ceremony.

Each case takes an input (an example show file, our own .ics output, a small ODF message,
our own run-of-show workbook), mutates it (see ``tests/fuzzing.py``), loads it the way the
command line does, resolves and checks it, and sends it through every exporter. The only
exception allowed out is :class:`ceremony.CeremonyError`; anything else fails the test,
with the input saved to a file and the traceback shown.

The run is deterministic for a seed and bounded in time. Environment variables:

``CEREMONY_FUZZ_SEED``
    The seed (default 13). Case ``i`` of format ``f`` uses ``Random(f"{seed}/{f}/{i}")``.
``CEREMONY_FUZZ_SECONDS``
    The budget of the whole file, in seconds (default 32), shared out among the formats.
``CEREMONY_FUZZ_SLOW_SECONDS``
    A case taking longer is a slowness finding (default 2); one taking three times that is
    interrupted, where the interpreter lets it be.
``CEREMONY_FUZZ_FAILURES``
    Where to save failing inputs (default: ``fuzz-failures`` in pytest's tmp folder).
``CEREMONY_FUZZ_ROUND_TRIP``
    ``1``: also read back every show file ceremony dumps.

A long local run: ``CEREMONY_FUZZ_SECONDS=600 CEREMONY_FUZZ_SEED=7 pytest tests/test_fuzz.py``.
Replay a saved input: ``python -m tests.fuzzing FILE``.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import threading
import time
import traceback
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import ceremony

from . import fuzzing
from .conftest import EXAMPLES, SHARED, SHOW_FILES

SEED = int(os.environ.get("CEREMONY_FUZZ_SEED", "13"))
BUDGET = float(os.environ.get("CEREMONY_FUZZ_SECONDS", "32"))
SLOW = float(os.environ.get("CEREMONY_FUZZ_SLOW_SECONDS", "2"))
ROUND_TRIP = os.environ.get("CEREMONY_FUZZ_ROUND_TRIP") == "1"
MEMORY = 1536 * 1024**2
"""How much more address space one case may take (bytes)."""
SHARE = {"show": 0.4, "ics": 0.2, "odf": 0.2, "xlsx": 0.2}
"""Each format's share of the budget."""

ODF = SHARED / "data" / "odf-dt-schedule-og2024-draft"
ODF_MESSAGES = ("CER.xml", "OWS.xml", "GTR.xml")
"""The three smallest messages (1 to 4 KB): big enough for sessions, units and venues."""

PARIS = EXAMPLES / "paris-2024-olympics" / "programme.yaml"
PARIS_SESSIONS = 24
"""The whole Paris 2024 schedule (1.5 MB) takes seconds to load: its venues and first
sessions are enough to fuzz."""


@dataclass(frozen=True)
class Sample:
    """An input to mutate, and the programme it holds (an earlier revision for diffs)."""

    name: str
    suffix: str
    data: bytes
    before: ceremony.Programme | None = None


@dataclass
class Finding:
    """One distinct crash (or slow case): where it is raised, how often, the first input."""

    what: str
    saved: Path
    detail: str
    count: int = 1


@dataclass
class Report:
    """What one format's run found."""

    cases: int = 0
    refused: int = 0
    findings: dict[tuple[str, ...], Finding] = field(default_factory=dict)
    warned: dict[str, int] = field(default_factory=dict)


class CaseTimeout(BaseException):
    """A case ran past its hard limit (a BaseException: the code under test cannot catch it)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` (main thread on POSIX only; else no limit)."""
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return

    def interrupt(*_: object) -> None:
        raise CaseTimeout

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def memory_limit(extra: int) -> Iterator[None]:
    """Let the block grow the address space by ``extra`` bytes at most (Linux; else no limit).

    A bomb then raises MemoryError (a finding) instead of taking the shared machine down.
    """
    statm = Path("/proc/self/statm")
    if not statm.exists():
        yield
        return
    import resource  # noqa: PLC0415 - POSIX only

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    used = int(statm.read_text().split()[0]) * resource.getpagesize()
    limit = used + extra if hard == resource.RLIM_INFINITY else min(used + extra, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _where(error: BaseException) -> tuple[str, str]:
    """The innermost frame in ceremony's source, and the innermost frame of all."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [
        f
        for f in frames
        if "/src/ceremony/" in f.filename or "/site-packages/ceremony/" in f.filename
    ]
    ours_at = (
        f"{ours[-1].filename.split('/ceremony/')[-1]}:{ours[-1].lineno} in {ours[-1].name}"
        if ours
        else "?"
    )
    last = frames[-1] if frames else None
    last_at = f"{last.filename}:{last.lineno} in {last.name}" if last else "?"
    return ours_at, last_at


def _traceback(error: BaseException) -> str:
    """The frames in ceremony's source, then the innermost three, then the error (lines cut)."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames[:-3] if "/ceremony/" in f.filename and "/tests/" not in f.filename]
    shown = traceback.format_list([*ours[-8:], *frames[-3:]])
    lines = ["Traceback (ceremony's frames, then the innermost):", *shown]
    lines += traceback.format_exception_only(error)
    return "\n".join(line.rstrip()[:300] for text in lines for line in text.splitlines())


def mutated(
    rng: random.Random, sample: Sample, mutators: Sequence[fuzzing.Mutator]
) -> tuple[bytes, list[str]]:
    """``sample``'s bytes after one mutator (or two, three times in ten), and their names."""
    data, applied = sample.data, []
    for _ in range(1 if rng.random() < 0.7 else 2):
        mutate = rng.choice(mutators)
        data = mutate(rng, data, sample.suffix)
        applied.append(mutate.__name__)
    return data, applied


def attempt(path: Path, sample: Sample, work: Path, *, publish: bool) -> tuple[str, ...] | str:
    """Run one case: ``"refused"``, ``"ok"``, or the key of a finding (with its detail last)."""
    started = time.monotonic()
    try:
        with memory_limit(MEMORY), time_limit(SLOW * 3):
            fuzzing.run_case(
                path, work, before=sample.before, publish=publish, round_trip=ROUND_TRIP
            )
    except ceremony.CeremonyError:
        return "refused"
    except CaseTimeout:
        return ("hang", f"interrupted after {SLOW * 3:.0f} s")
    except Exception as error:  # the point: nothing else may escape
        return ("crash", type(error).__name__, *_where(error), _traceback(error))
    elapsed = time.monotonic() - started
    return ("slow", f"took {elapsed:.1f} s") if elapsed > SLOW else "ok"


def fuzz(
    fmt: str, samples: Sequence[Sample], mutators: Sequence[fuzzing.Mutator], tmp: Path
) -> Report:
    """Mutate ``samples`` for ``fmt``'s share of the budget; collect what crashed or dragged."""
    saved_in = Path(os.environ.get("CEREMONY_FUZZ_FAILURES") or tmp / "fuzz-failures")
    work = tmp / "work"
    report = Report()
    deadline = time.monotonic() + BUDGET * SHARE[fmt]
    while report.cases == 0 or time.monotonic() < deadline:
        index = report.cases
        report.cases += 1
        rng = random.Random(f"{SEED}/{fmt}/{index}")  # noqa: S311 - reproducible, not secret
        sample = rng.choice(samples)
        data, applied = mutated(rng, sample, mutators)
        shutil.rmtree(work, ignore_errors=True)
        (work / "out").mkdir(parents=True)
        path = work / f"{Path(sample.name).stem}{sample.suffix}"
        path.write_bytes(data)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            outcome = attempt(path, sample, work / "out", publish=rng.random() < 0.25)
        for warning in caught:
            text = f"{warning.category.__name__}: {str(warning.message)[:120]} ({warning.filename}:{warning.lineno})"
            report.warned[text] = report.warned.get(text, 0) + 1
        if outcome == "refused":
            report.refused += 1
        if isinstance(outcome, str):
            continue
        *key, detail = outcome
        if outcome[0] != "crash":  # slowness and hangs: one finding per mix of mutators
            key += applied
        if tuple(key) in report.findings:
            report.findings[tuple(key)].count += 1
            continue
        label = f"seed {SEED}, {fmt} case {index}: {sample.name} + {', '.join(applied)}"
        saved_in.mkdir(parents=True, exist_ok=True)
        saved = saved_in / f"{fmt}-seed{SEED}-case{index}{sample.suffix}"
        saved.write_bytes(data)
        saved.with_suffix(saved.suffix + ".txt").write_text(f"{label}\n\n{detail}\n")
        report.findings[tuple(key)] = Finding(
            what=f"{' | '.join(key)}\n  first: {label}", saved=saved, detail=detail
        )
    return report


def assert_clean(fmt: str, report: Report) -> None:
    """Fail with every distinct finding (input saved, traceback shown); print a summary."""
    summary = (
        f"{fmt}: {report.cases} cases (seed {SEED}), {report.refused} refused with CeremonyError"
    )
    print(summary)
    for text, count in sorted(report.warned.items()):
        print(f"  warning x{count}: {text}")
    if report.findings:
        parts = [
            f"[{n}] {f.what}\n  x{f.count}, input saved to {f.saved}\n{f.detail}"
            for n, f in enumerate(report.findings.values(), start=1)
        ]
        pytest.fail(
            f"{summary}: {len(parts)} distinct findings\n\n" + "\n\n".join(parts), pytrace=False
        )


def _show(path: Path, name: str | None = None, data: bytes | None = None) -> Sample:
    data = path.read_bytes() if data is None else data
    suffix = path.suffix
    before = ceremony.loads(data.decode(), suffix.lstrip("."), file=name or path.name)  # type: ignore[arg-type]
    return Sample(name=name or path.name, suffix=suffix, data=data, before=before)


def paris_slice() -> Sample:
    """The Paris 2024 programme cut after its first sessions (venues and all)."""
    lines = PARIS.read_text(encoding="utf-8").splitlines(keepends=True)
    starts = [n for n, line in enumerate(lines) if line.startswith("- id:")]
    sessions = lines.index("sessions:\n")
    cut = [n for n in starts if n > sessions][PARIS_SESSIONS]
    return _show(PARIS, "paris-2024-slice.yaml", "".join(lines[:cut]).encode())


def test_show_files(tmp_path: Path) -> None:
    """Every example show file (and a slice of the Paris 2024 schedule), mutated."""
    samples = [_show(path) for path in SHOW_FILES]
    samples.append(paris_slice())
    assert_clean("show", fuzz("show", samples, fuzzing.SHOW_MUTATORS, tmp_path))


def test_ics(tmp_path: Path) -> None:
    """Our own .ics output (a ceremony with its segments, a schedule of sessions), mutated."""
    samples = []
    for path in (EXAMPLES / "paralympic-opening.yaml", EXAMPLES / "paralympians-aze-kaz.yaml"):
        programme = ceremony.load(path)
        data = ceremony.to_ical(programme, segments=True, crew=True)
        before = ceremony.loads_ics(data, file=f"{path.stem}.ics")
        samples.append(Sample(name=f"{path.stem}.ics", suffix=".ics", data=data, before=before))
    assert_clean("ics", fuzz("ics", samples, fuzzing.ICS_MUTATORS, tmp_path))


def test_odf(tmp_path: Path) -> None:
    """Small ODF DT_SCHEDULE messages of the Paris 2024 draft schedule, mutated."""
    if not ODF.is_dir():
        pytest.skip(f"{ODF} is not here: the ODF messages are shared data outside the repository")
    samples = [Sample(name=n, suffix=".xml", data=(ODF / n).read_bytes()) for n in ODF_MESSAGES]
    assert_clean("odf", fuzz("odf", samples, fuzzing.ODF_MUTATORS, tmp_path))


def test_run_of_show_xlsx(tmp_path: Path) -> None:
    """Our own run-of-show workbook of the Paralympic opening, mutated outside and in."""
    sample = Sample(
        name="paralympic-opening.xlsx",
        suffix=".xlsx",
        data=fuzzing.opening_xlsx(),
        before=fuzzing.opening(),
    )
    assert_clean("xlsx", fuzz("xlsx", [sample], fuzzing.XLSX_MUTATORS, tmp_path))
