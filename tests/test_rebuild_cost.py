"""What makes a rebuild cheaper must not change what it publishes.

The digests' direct text for times, durations and enums (the publish state compares
digests written by earlier builds: one character off raises every SEQUENCE), and the
garbage collector paused for a build and switched back on as it was.
"""

from __future__ import annotations

import enum
import gc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import attrs
import pendulum
import pytest

import ceremony
from ceremony.model.fingerprints import _duration, _member, _time, canonical
from ceremony.site import build_site
from ceremony.zones import zone
from tests.conftest import EXAMPLES

NOW = datetime(2024, 7, 20, tzinfo=UTC)


class Colour(enum.Enum):
    RED = "red"


class Level(enum.IntEnum):
    NONE = 0  # falsy: written by repr, as any falsy field is
    HIGH = 2


@attrs.frozen
class Sample:
    at: datetime
    maybe: datetime | None
    lasts: timedelta | None
    colour: Colour
    level: Level | None


PARIS = zone("Europe/Paris")
TIMES = [
    datetime(2024, 7, 26, 18, tzinfo=UTC),
    datetime(2024, 7, 26, 19, 30, 5, 250, tzinfo=PARIS),
    datetime(2024, 10, 27, 2, 30, tzinfo=PARIS, fold=1),  # the repeated hour's second pass
    pendulum.datetime(2024, 7, 26, 20, tz="Asia/Baku"),
]


def expected_form(value: Sample) -> str:
    """The form the general path writes: each converted field's ``repr``, in order."""
    fields = [
        repr(_time(value.at)),
        repr(_time(value.maybe) if value.maybe else value.maybe),
        repr(_duration(value.lasts) if value.lasts else value.lasts),
        repr(_member(value.colour)),
        repr(_member(value.level) if value.level else value.level),
    ]
    return f"Sample({','.join(fields)})"


@pytest.mark.parametrize("at", TIMES)
def test_times_durations_and_enums_are_written_as_their_converted_forms(at: datetime) -> None:
    samples = [
        Sample(at=at, maybe=None, lasts=None, colour=Colour.RED, level=None),
        Sample(
            at=at,
            maybe=at,
            lasts=timedelta(hours=1, microseconds=3),
            colour=Colour.RED,
            level=Level.HIGH,
        ),
        Sample(at=at, maybe=at, lasts=timedelta(0), colour=Colour.RED, level=Level.NONE),
        Sample(
            at=at,
            maybe=None,
            lasts=pendulum.duration(days=2, minutes=5),
            colour=Colour.RED,
            level=Level.HIGH,
        ),
    ]
    for sample in samples:
        assert canonical(sample) == expected_form(sample)


def test_a_field_holding_another_type_is_written_as_canonical_writes_it() -> None:
    """A value behind attrs' back (a plain text in a time field) still gets a form, or none."""
    sample = Sample(at=TIMES[0], maybe=None, lasts=None, colour=Colour.RED, level=None)
    odd = attrs.evolve(sample)
    object.__setattr__(odd, "maybe", "soon")
    object.__setattr__(odd, "lasts", ("a", 1))
    assert canonical(odd) == str(canonical(sample)).replace(
        f"{_time(sample.at)!r},None,None", f"{_time(sample.at)!r},'soon',('a', 1)"
    )
    object.__setattr__(odd, "maybe", {1})
    with pytest.raises(TypeError, match="no canonical form for set"):
        canonical(odd)


@pytest.fixture
def _collector_on() -> Iterator[None]:
    was_on = gc.isenabled()
    gc.enable()
    yield
    if not was_on:
        gc.disable()


@pytest.mark.usefixtures("_collector_on")
def test_a_build_pauses_the_collector_and_switches_it_back_on(tmp_path: Path) -> None:
    programme = ceremony.load(EXAMPLES / "paralympians-aze-kaz.yaml")
    during: list[bool] = []
    build_site(
        programme, tmp_path / "site", now=NOW, progress=lambda *_: during.append(gc.isenabled())
    )
    assert during
    assert not any(during)
    assert gc.isenabled()

    def crash(_done: int, _total: int) -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        build_site(programme, tmp_path / "site", now=NOW, progress=crash)
    assert gc.isenabled()


@pytest.mark.usefixtures("_collector_on")
def test_a_build_leaves_a_paused_collector_paused(tmp_path: Path) -> None:
    programme = ceremony.load(EXAMPLES / "paralympians-aze-kaz.yaml")
    gc.disable()
    build_site(programme, tmp_path / "site", now=NOW)
    assert not gc.isenabled()
