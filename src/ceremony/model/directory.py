"""A programme's venues, people and delegations by id: one lookup, built once per export.

Sheets, calendar events and feed sets name the ids a programme's items carry; they build a
:class:`Directory` with :meth:`Directory.of` and look the names up there.
"""

from __future__ import annotations

import attrs

from ceremony.model.programme import Person, Programme, Venue


@attrs.frozen
class Directory:
    """The programme's venues, people and delegations by id, looked up once."""

    programme: Programme
    venues: dict[str, Venue]
    people: dict[str, Person]
    venue_names: dict[str, str]
    """Venue id to name."""
    person_names: dict[str, str]
    """Person id to name."""
    delegation_names: dict[str, str]
    """Delegation id to name."""

    @classmethod
    def of(cls, programme: Programme) -> Directory:
        """The directory of ``programme``."""
        return cls(
            programme=programme,
            venues={venue.id: venue for venue in programme.venues},
            people={person.id: person for person in programme.people},
            venue_names={venue.id: venue.name for venue in programme.venues},
            person_names=programme.person_names(),
            delegation_names={d.id: d.name for d in programme.delegations},
        )

    def venue(self, venue_id: str | None) -> Venue | None:
        """The venue with this id; ``None`` for no id or an unknown one."""
        return None if venue_id is None else self.venues.get(venue_id)

    def place(self, venue_id: str | None) -> str | None:
        """The venue's name and address (the address alone when it starts with the name).

        The id itself for an unknown venue.
        """
        venue = self.venue(venue_id)
        if venue is None:
            return venue_id
        if not venue.address or venue.address.startswith(venue.name):
            return venue.address or venue.name
        return f"{venue.name}, {venue.address}"
