# mypy: ignore-errors
# (tests/test_typing.py checks this file without the line above: mypy --strict must report
# every line marked expect-error, and nothing else.)
"""Realistic wrong calls that mypy --strict must catch in user code, beside right ones."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from ceremony import (
    Act,
    Anchor,
    Ceremony,
    CompetitionSession,
    Cue,
    DurationRange,
    Geo,
    Parade,
    Programme,
    Speech,
    Venue,
)

PARIS = ZoneInfo("Europe/Paris")

# Right calls: the spellings a show file takes are typed as accepted.
right = Programme(
    name="Paris 2024",
    venues=[Venue(id="arena", name="Arena")],
    ceremonies=[
        Ceremony(
            id="opening",
            title="Opening",
            start=datetime(2024, 8, 28, 20, 0, tzinfo=PARIS),
            segments=[
                Speech(id="welcome", speakers=["president"], duration="10m"),
                Speech(id="thanks", duration=timedelta(minutes=2), start=Anchor.after("welcome")),
                Speech(id="range", duration=DurationRange(min="1m", max="3m")),
                Speech(id="mapping", duration={"min": "1m", "max": "3m"}),
                Act(id="act", target="20m", segments=[Speech(id="inner")]),
            ],
        )
    ],
)

# Wrong calls.
Programme(name="P", venues=["arena"])  # expect-error
Programme(name="P", ceremonies=[Speech(id="s")])  # expect-error
Act(id="a", segments=["speech"])  # expect-error
Speech(id="s", duration=10)  # expect-error
Speech(id="s", speakers=[1, 2])  # expect-error
Speech(id="s", start=20)  # expect-error
Speech(id="s", skip="yes")  # expect-error
Speech(id="s", cues=["LX 1 go"])  # expect-error
Speech(id="s", title=5)  # expect-error
Act(id="a", target=DurationRange(min="1m", max="2m"))  # expect-error
Anchor.after("welcome", offset=5)  # expect-error
Geo(lat="48.8", lon=2.3)  # expect-error
Parade(id="p", delegation_count="206")  # expect-error
CompetitionSession(id="s", sport="Judo", units=["heat-1"])  # expect-error
Cue(department="lx", text="Go", when=30)  # expect-error
OPENING = datetime(2024, 8, 28, 20, 0, tzinfo=PARIS)
Ceremony(id="c", title="C", start=OPENING, venue=["arena"])  # expect-error
Ceremony(id="c", title="C", start=OPENING, hard_out="2024-08-28T23:30+02:00")
Speech(id="s", start=OPENING, end=OPENING.date())  # expect-error
