"""Every example is loaded, checked and resolved; the seeds' facts are in them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

import ceremony
from ceremony import Severity

from .conftest import EXAMPLES, SHOW_FILES

ALL = SHOW_FILES
LOGS = sorted(EXAMPLES.glob("*.actuals.*"))


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_example_loads_checks_and_resolves(path: Path) -> None:
    """No example has an error finding, and each of its timelines resolves."""
    programme = ceremony.load(path)
    assert [f for f in ceremony.check(programme) if f.severity is Severity.ERROR] == []
    for item in programme.ceremonies:
        timeline = ceremony.resolve(programme, ceremony=item.id)
        assert timeline.slots
    if programme.sessions:
        assert ceremony.resolve_schedule(programme).slots


@pytest.mark.parametrize("path", LOGS, ids=lambda p: p.name)
def test_example_actuals_project_their_show(path: Path) -> None:
    """Each example actuals file loads against the show beside it and projects it."""
    show = path.with_name(path.name.replace(".actuals", ""))
    programme = ceremony.load(show)
    actuals = ceremony.load_actuals(path, programme)
    last = max(mark.at for mark in actuals.marks)
    timeline = ceremony.resolve(programme, actuals=actuals, now=last)
    states = {slot.state for slot in timeline.slots}
    assert states == {"done", "running", "upcoming"}
    assert timeline.late > timedelta(0)


def test_every_syntax_has_an_example() -> None:
    """At least one example in YAML, TOML and JSON."""
    assert {p.suffix for p in ALL} >= {".yaml", ".toml", ".json"}


def test_paralympic_opening_has_the_record() -> None:
    """The 13 items of the record, the flagbearers and the lighters, in order."""
    programme = ceremony.load(EXAMPLES / "paralympic-opening.yaml")
    (opening,) = programme.ceremonies
    ids = [segment.id for _, segment in opening.walk()]
    for item in [
        "overture",
        "tricolour-fireworks",
        "flypast",
        "theo-curin-taxi",
        "non-je-ne-regrette-rien",
        "parade",
        "french-flag",
        "speeches",
        "declaration",
        "paradoxe",
        "paralympic-flag",
        "flame-arrival",
        "cauldron",
        "born-to-be-alive",
    ]:
        assert item in ids
    assert ids.index("parade") < ids.index("declaration") < ids.index("cauldron")
    parade = next(s for _, s in opening.walk() if isinstance(s, ceremony.Parade))
    assert parade.delegation_count == 168
    assert parade.flagbearers["KAZ"] == ("berik-izmaganbetov", "sevda-aliyeva")
    assert parade.flagbearers["AZE"] == ("imamaddin-khalilov", "lamiya-valiyeva")
    cauldron = next(s for _, s in opening.walk() if isinstance(s, ceremony.CauldronLighting))
    assert len(cauldron.lighters) == 5
    timeline = ceremony.resolve(programme)
    assert timeline.over_under is not None and timeline.over_under <= timedelta(0)


def test_olympic_closing_crosses_midnight() -> None:
    """The declaration reported at 23:58 is a hard start; the show ends after midnight."""
    programme = ceremony.load(EXAMPLES / "olympic-closing.toml")
    timeline = ceremony.resolve(programme)
    paris = ceremony.zones.zone("Europe/Paris")
    declaration = timeline.slot("declaration")
    assert declaration.hard
    assert declaration.start.expected.astimezone(paris).strftime("%H:%M") == "23:58"
    assert timeline.end.expected.astimezone(paris).day == 12


def test_medal_tallies_match_the_seeds() -> None:
    """Kazakhstan 2-3-4 (39th), Azerbaijan 4-2-5 (28th); session medals add up to them."""
    programme = ceremony.load(EXAMPLES / "paralympians-aze-kaz.yaml")
    tallies = {d.id: d.medals for d in programme.delegations}
    assert tallies["KAZ"] == ceremony.MedalTally(gold=2, silver=3, bronze=4, rank=39)
    assert tallies["AZE"] == ceremony.MedalTally(gold=4, silver=2, bronze=5, rank=28)
    won: dict[str, list[str]] = {"KAZ": [], "AZE": []}
    for _, session in programme.all_sessions():
        for result in session.results:
            if result.medal is not None and result.delegation:
                won[result.delegation].append(result.medal.value)
    assert sorted(won["KAZ"]) == sorted(["gold"] * 2 + ["silver"] * 3 + ["bronze"] * 4)
    # Roman Saleh's three medals (1 silver, 2 bronze) are not tied to events in the seeds.
    assert sorted(won["AZE"]) == sorted(["gold"] * 4 + ["silver"] * 1 + ["bronze"] * 3)
