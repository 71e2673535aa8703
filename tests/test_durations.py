"""Durations as people write them, and back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ceremony.durations import format_clock_duration, format_duration, parse_duration


@given(st.integers(min_value=0, max_value=10**7))
def test_format_parse_round_trip(seconds: int) -> None:
    """parse_duration(format_duration(d)) == d for whole seconds."""
    duration = timedelta(seconds=seconds)
    assert parse_duration(format_duration(duration)) == duration


@given(st.integers(min_value=-(10**6), max_value=10**6))
def test_signed_round_trip(seconds: int) -> None:
    """Signed offsets (cue times) round-trip too."""
    duration = timedelta(seconds=seconds)
    assert parse_duration(format_duration(duration, signed=True), signed=True) == duration


@pytest.mark.parametrize("text", ["-3m", "abc", "1:15", "P1M", "", "5", "m", "1h-5m"])
def test_refused(text: str) -> None:
    """Negative, unit-less, month-long and malformed durations are refused."""
    with pytest.raises(ValueError, match="is not a duration"):
        parse_duration(text)


def test_clock_format() -> None:
    """Running times read like a clock."""
    assert format_clock_duration(timedelta(hours=1, minutes=5)) == "1:05:00"
    assert format_clock_duration(timedelta(minutes=-5)) == "-0:05:00"
