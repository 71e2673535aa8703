"""The model validates itself on construction."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

import ceremony
from ceremony.zones import clock_time_on, is_clock_time, localize, zone

PARIS = zone("Europe/Paris")
EIGHT = datetime(2024, 8, 28, 20, 0, tzinfo=PARIS)


def test_negative_duration_is_refused() -> None:
    """Durations are never negative."""
    with pytest.raises(ceremony.ModelError, match="duration: -8m is negative"):
        ceremony.Speech(id="s", duration=timedelta(minutes=-8))


def test_naive_datetime_is_refused() -> None:
    """Times must know their zone."""
    with pytest.raises(ceremony.ModelError, match="not an aware datetime"):
        ceremony.Ceremony(id="c", title="C", start=datetime(2024, 8, 28, 20))


def test_hard_out_after_start_in_exact_time() -> None:
    """Order is judged on the instant: 02:10 CET comes after 02:30 CEST on 27 Oct 2024."""
    first = localize(datetime(2024, 10, 27, 2, 30), PARIS, fold=0)
    second = localize(datetime(2024, 10, 27, 2, 10), PARIS, fold=1)
    ceremony.Ceremony(id="c", title="C", start=first, hard_out=second)
    with pytest.raises(ceremony.ModelError, match="hard_out must be after start"):
        ceremony.Ceremony(id="c", title="C", start=second, hard_out=first)


def test_unknown_zone_is_refused() -> None:
    """Venue zones are IANA names."""
    with pytest.raises(ceremony.ModelError, match="'Europe/Pari' is not a known IANA"):
        ceremony.Venue(id="v", name="V", timezone="Europe/Pari")


def test_duplicate_ids_are_refused() -> None:
    """Ceremonies, segments and sessions share one namespace of ids."""
    with pytest.raises(ceremony.ModelError, match=r"sessions\[0\].id: id 'c' is used twice"):
        ceremony.Programme(
            name="P",
            ceremonies=[ceremony.Ceremony(id="c", title="C", start=EIGHT)],
            sessions=[ceremony.CompetitionSession(id="c", sport="Judo")],
        )


def test_session_end_is_start_plus_elapsed_duration() -> None:
    """A session's end is elapsed time after its start, across the DST change."""
    start = localize(datetime(2024, 10, 27, 1, 30), PARIS)
    session = ceremony.CompetitionSession(
        id="s", sport="X", start=start, duration=timedelta(hours=2)
    )
    assert session.ends is not None
    assert session.ends.isoformat() == "2024-10-27T02:30:00+01:00"


def test_result_needs_someone() -> None:
    """A result names an athlete or a delegation."""
    with pytest.raises(ceremony.ModelError, match="needs an athlete or a delegation"):
        ceremony.ResultLine(medal=ceremony.Medal.GOLD)


def test_act_has_no_duration_of_its_own() -> None:
    """An act's length comes from its segments; its plan is a target."""
    with pytest.raises(ceremony.ModelError, match="use target"):
        ceremony.Act(id="a", duration=timedelta(minutes=5))


def test_kind_label_and_details_come_from_the_kind() -> None:
    """A custom segment names its own kind; a parade tells how many march and in what order."""
    assert ceremony.Custom(id="c", what="flypast").kind_label == "Flypast"
    assert ceremony.Custom(id="c").kind_label == "Custom"
    assert ceremony.FlagRaising(id="f", flag="fra").kind_label == "Flag raising"
    assert ceremony.Speech(id="s").details() == ()
    parade = ceremony.Parade(id="p", delegation_count=206, order="French alphabetical")
    assert parade.details() == ("206 delegations", "Order: French alphabetical")
    assert ceremony.Parade(id="p").details() == ()


class TestClockTimeOn:
    """The one rule for a bare clock time: the day of the start, or the next day."""

    start = localize(datetime(2024, 8, 28, 20, 0), zone("Europe/Paris"))

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("22:10", datetime(2024, 8, 28, 22, 10)),
            (" 20:00:30 ", datetime(2024, 8, 28, 20, 0, 30)),
            ("20:00", datetime(2024, 8, 28, 20, 0)),
            ("00:30", datetime(2024, 8, 29, 0, 30)),
            ("19:59", datetime(2024, 8, 29, 19, 59)),
        ],
    )
    def test_day_of_the_start_or_the_next(self, text: str, expected: datetime) -> None:
        paris = zone("Europe/Paris")
        assert clock_time_on(text, self.start, paris) == localize(expected, paris)
        assert clock_time_on(text, self.start, paris).tzinfo is paris

    def test_the_day_is_the_start_seen_in_the_zone(self) -> None:
        """20:00 in Paris is already the next day in Tokyo."""
        tokyo = zone("Asia/Tokyo")
        read = clock_time_on(time(4, 0), self.start, tokyo)
        assert read == localize(datetime(2024, 8, 29, 4, 0), tokyo)

    @pytest.mark.parametrize("text", ["22:60", "22", "tomorrow", "2024-08-28T22:10"])
    def test_not_a_clock_time(self, text: str) -> None:
        assert not is_clock_time(text)
        with pytest.raises(ValueError, match="is not a clock time"):
            clock_time_on(text, self.start, zone("Europe/Paris"))

    def test_hours_go_to_23(self) -> None:
        with pytest.raises(ValueError, match=r"hours go to 23"):
            clock_time_on("24:00", self.start, zone("Europe/Paris"))
