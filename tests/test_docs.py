"""The show-file reference lists every key of every part of the model."""

from __future__ import annotations

import re

import attrs
import pytest

import ceremony
from ceremony.io.converter import file_keys

from .conftest import ROOT

REFERENCE = (ROOT / "docs" / "file-format.md").read_text()

SECTIONS = {
    "Programme": ceremony.Programme,
    "Dates": ceremony.DateRange,
    "Venue": ceremony.Venue,
    "Geo": ceremony.Geo,
    "Person": ceremony.Person,
    "Delegation": ceremony.Delegation,
    "Medals": ceremony.MedalTally,
    "Ceremony": ceremony.Ceremony,
    "Segment": ceremony.Segment,
    "Cue": ceremony.Cue,
    "Session": ceremony.CompetitionSession,
    "Result": ceremony.Result,
}


def section(title: str) -> str:
    match = re.search(rf"^##+ {title}\n(.*?)(?=^##+ )", REFERENCE + "\n## ", re.S | re.M)
    assert match, f"no section {title!r} in docs/file-format.md"
    return match.group(1)


@pytest.mark.parametrize("title", SECTIONS)
def test_section_lists_exactly_the_keys(title: str) -> None:
    """Each section's table has one row per key the model accepts, and no other."""
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", section(title), re.M))
    assert documented == set(file_keys(SECTIONS[title]))


@pytest.mark.parametrize("kind", sorted(ceremony.SEGMENT_KINDS))
def test_every_kind_and_its_own_keys(kind: str) -> None:
    """Each segment kind is in the kinds table with every key of its own."""
    cls = ceremony.SEGMENT_KINDS[kind]
    row = re.search(rf"^\| `{kind}` \| (.*) \|$", section("Kinds"), re.M)
    assert row, f"kind {kind!r} is not documented"
    own = {f.name for f in attrs.fields(cls)} - {f.name for f in attrs.fields(ceremony.Segment)}
    assert own <= set(re.findall(r"`([a-z_]+)`", row.group(1)))
