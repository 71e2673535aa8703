"""One of each (issue 14): the shared converter, directory, wording and feed filter."""

from __future__ import annotations

import pytest

import ceremony
from ceremony import revisions
from ceremony.errors import FilterError
from ceremony.export import xlsx
from ceremony.export.events import calendar_events
from ceremony.export.feeds import FeedFilter, kept, select
from ceremony.io import actualsfile, mapping, showfile
from ceremony.io.converter import CONVERTER, make_converter
from ceremony.model.directory import Directory
from ceremony.model.wording import kind_label, role_label
from tests.conftest import EXAMPLES


def test_the_converter_is_shared() -> None:
    for module in (actualsfile, mapping, showfile, revisions, xlsx):
        assert not hasattr(module, "_converter")
    assert CONVERTER is not make_converter()


def test_directory_names_by_id() -> None:
    programme = ceremony.load(EXAMPLES / "paralympic-opening.yaml")
    directory = Directory.of(programme)
    for venue in programme.venues:
        assert directory.venue(venue.id) is venue
        assert directory.venue_names[venue.id] == venue.name
    assert directory.person_names == programme.person_names()
    assert directory.delegation_names == {d.id: d.name for d in programme.delegations}
    assert directory.venue(None) is None
    assert directory.place("nowhere") == "nowhere"


@pytest.mark.parametrize(
    ("role", "words"),
    [
        ("people", "With"),
        ("performers", "Performers"),
        ("declared_by", "Declared by"),
        ("extinguished_by", "Extinguished by"),
        ("on_behalf_of", "On behalf of"),
    ],
)
def test_role_labels(role: str, words: str) -> None:
    assert role_label(role) == words


def test_kind_labels() -> None:
    assert kind_label("flag_raising") == "Flag raising"
    assert kind_label("session") == "Session"


def test_query_items_and_text_make_the_same_filter() -> None:
    text = FeedFilter.parse("sport=Para Swimming|Boccia, classification=S12")
    items = FeedFilter.of_items(
        [("sport", "Para Swimming"), ("sport", "Boccia|"), ("classification", "S12")]
    )
    assert text == items
    assert items.describe() == "sport=boccia|para swimming, classification=s12"
    with pytest.raises(FilterError, match="sport: give a value"):
        FeedFilter.of_items([("sport", "|")])


def test_kept_indexes_match_select() -> None:
    programme = ceremony.load(EXAMPLES / "paralympic-opening.yaml")
    found = calendar_events(programme, segments=True)
    where = FeedFilter.parse("ceremony=" + programme.ceremonies[0].id)
    assert [found[i] for i in kept(found, where)] == select(found, where)
