"""The library reads well from Python: exported duration helpers, printable durations,
timeline instants in the show's own time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

import ceremony
from ceremony import Act, Ceremony, Programme, SignedDuration, Speech, Venue

PARIS = ZoneInfo("Europe/Paris")


def _show(start: datetime, *, hard_out: datetime | None = None) -> Programme:
    return Programme(
        name="P",
        timezone="UTC",
        venues=[Venue(id="v", name="V", timezone="Europe/Paris")],
        ceremonies=[
            Ceremony(
                id="c",
                title="C",
                venue="v",
                start=start,
                hard_out=hard_out,
                segments=[
                    Act(id="act", target="50m", segments=[Speech(id="a", duration="30m")]),
                    Speech(id="b", duration="1h"),
                    Speech(id="c2", duration="30m"),
                ],
            )
        ],
    )


class TestDurationHelpers:
    def test_parse_and_format_are_exported(self) -> None:
        """ceremony.parse_duration and ceremony.format_duration are the durations module's."""
        assert ceremony.parse_duration("PT1H15M") == timedelta(hours=1, minutes=15)
        assert ceremony.format_duration(timedelta(minutes=-20)) == "-20m"

    def test_parse_refuses_what_files_refuse(self) -> None:
        """A duration that is not one is a DurationError, also a ModelError."""
        with pytest.raises(ceremony.ModelError, match="is not a duration"):
            ceremony.parse_duration("ten minutes")

    @pytest.mark.parametrize(
        ("value", "printed"),
        [
            (timedelta(minutes=-20), "-20m"),
            (timedelta(hours=1, minutes=15), "1h15m"),
            (timedelta(0), "0s"),
            (timedelta(seconds=-90), "-1m30s"),
        ],
    )
    def test_signed_durations_print_as_a_file_writes_them(
        self, value: timedelta, printed: str
    ) -> None:
        """str() of a SignedDuration is the show-file spelling, its repr says so too."""
        signed = SignedDuration.of(value)
        assert str(signed) == printed
        assert repr(signed) == f"SignedDuration({printed!r})"
        assert signed == value
        assert ceremony.parse_duration(printed, signed=True) == signed


class TestTimelineValues:
    def test_over_unders_are_signed_durations(self) -> None:
        """Slot and timeline over/unders print -20m, not -1 day, 23:40:00."""
        start = datetime(2024, 8, 28, 20, 0, tzinfo=PARIS)
        timeline = ceremony.resolve(_show(start, hard_out=start + timedelta(hours=2, minutes=20)))
        act = timeline.slot("act")
        assert str(act.over_under) == "-20m"
        assert str(timeline.over_under) == "-20m"
        assert isinstance(act.duration, SignedDuration)
        assert str(timeline.slot("b").duration) == "1h"
        assert str(act.late) == "0s"
        assert str(act.overrun) == "0s"

    def test_instants_are_in_the_shows_time(self) -> None:
        """A slot's start reads as the venue's clocks do, and equals the same instant in UTC."""
        start = datetime(2024, 8, 28, 18, 0, tzinfo=UTC)
        timeline = ceremony.resolve(_show(start))
        first = timeline.slot("b").start.expected
        assert first.isoformat() == "2024-08-28T20:30:00+02:00"
        assert first.tzname() == "CEST"
        assert first == datetime(2024, 8, 28, 18, 30, tzinfo=UTC)
        assert timeline.start.isoformat() == "2024-08-28T20:00:00+02:00"
        assert timeline.end.expected.isoformat() == "2024-08-28T22:00:00+02:00"

    def test_arithmetic_stays_exact_across_the_clock_change(self) -> None:
        """Through the night the clocks go back, instants compare and subtract as elapsed time."""
        start = datetime(2024, 10, 27, 1, 30, tzinfo=PARIS)  # CEST; 03:00 CEST becomes 02:00 CET
        timeline = ceremony.resolve(_show(start))
        b, c = timeline.slot("b"), timeline.slot("c2")
        assert b.start.expected.isoformat() == "2024-10-27T02:00:00+02:00"
        assert c.start.expected.isoformat() == "2024-10-27T02:00:00+01:00"
        assert c.start.expected - b.start.expected == timedelta(hours=1)
        assert b.start.expected < c.start.expected
        assert b.end.expected + timedelta(minutes=30) == c.end.expected
        assert str(b.duration) == "1h"
        assert [slot.id for slot in sorted(timeline.slots, key=lambda s: s.start.expected)] == [
            "act",
            "a",
            "b",
            "c2",
        ]
