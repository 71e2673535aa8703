"""Model constructors accept what a show file accepts and refuse the rest, naming the field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

import ceremony
from ceremony import (
    Act,
    Anchor,
    Anthem,
    Ceremony,
    CompetitionSession,
    Cue,
    CueEdge,
    Custom,
    DateRange,
    Declaration,
    Declares,
    Delegation,
    DurationRange,
    Film,
    Fireworks,
    FlagHandover,
    FlagLowering,
    FlagRaising,
    Geo,
    MedalTally,
    ModelError,
    Oath,
    Parade,
    Performance,
    Person,
    Programme,
    Relation,
    ResultLine,
    ScheduleStatus,
    Segment,
    Speech,
    Venue,
    VictoryCeremony,
    Visibility,
)
from ceremony.errors import ShowFileError, ZoneError
from ceremony.model.segments import SEGMENT_KINDS

NEW_YORK = ZoneInfo("America/New_York")
PARIS = ZoneInfo("Europe/Paris")
START = datetime(2024, 8, 28, 20, 0, tzinfo=PARIS)
Call = Callable[[], object]

# Each realistic wrong call, where its error points and what it says.
WRONG_CALLS: list[tuple[str, Call, str, str]] = [
    (
        "speakers as one string",
        lambda: Speech(id="s", speakers="president"),
        "speakers",
        'expected a list, got "president"',
    ),
    (
        "a duration without a unit",
        lambda: Speech(id="s", duration=10),  # type: ignore[arg-type]
        "duration",
        "10 has no unit (write 10m for minutes, 10s for seconds)",
    ),
    (
        "a duration that is not one",
        lambda: Speech(id="s", duration="ten minutes"),
        "duration",
        '"ten minutes" is not a duration',
    ),
    (
        "a negative duration",
        lambda: Speech(id="s", duration=timedelta(minutes=-5)),
        "duration",
        "-5m is negative",
    ),
    (
        "a range with a bad bound",
        lambda: Speech(id="s", duration={"min": "4m", "max": "eight"}),
        "duration.max",
        '"eight" is not a duration',
    ),
    (
        "a range missing its max",
        lambda: Speech(id="s", duration={"min": "4m"}),
        "duration",
        "a duration range takes min and max (and expected)",
    ),
    (
        "an act's target as a range",
        lambda: Act(id="a", target=DurationRange(min="1m", max="2m")),  # type: ignore[arg-type]
        "target",
        "expected one length, got a DurationRange",
    ),
    (
        "segments as kind names",
        lambda: Act(id="a", segments=["speech"]),  # type: ignore[list-item]
        "segments[0]",
        'expected a Segment, got "speech"',
    ),
    (
        "a ceremony's segments as mappings",
        lambda: Ceremony(id="c", title="C", start=START, segments=[{"id": "s"}]),  # type: ignore[list-item]
        "segments[0]",
        "expected a Segment, got a mapping",
    ),
    (
        "venues as ids",
        lambda: Programme(name="P", venues=["arena"]),  # type: ignore[list-item]
        "venues[0]",
        'expected a Venue, got "arena"',
    ),
    (
        "people as names",
        lambda: Programme(name="P", people=["Anne"]),  # type: ignore[list-item]
        "people[0]",
        'expected a Person, got "Anne"',
    ),
    (
        "a session's units as ids",
        lambda: CompetitionSession(id="s", sport="Swimming", units=["heat-1"]),  # type: ignore[list-item]
        "units[0]",
        'expected a CompetitionSession, got "heat-1"',
    ),
    (
        "a time that does not exist",
        lambda: Ceremony(id="c", title="C", start=datetime(2025, 3, 9, 2, 30, tzinfo=NEW_YORK)),
        "start",
        "2025-03-09 02:30 does not exist in America/New_York (the clocks go forward)",
    ),
    (
        "a naive start",
        lambda: Ceremony(id="c", title="C", start=datetime(2024, 8, 28, 20, 0)),
        "start",
        "is not an aware datetime (attach a time zone)",
    ),
    (
        "ISO text without an offset",
        lambda: Ceremony(id="c", title="C", start="2024-08-28T20:00"),
        "start",
        '"2024-08-28T20:00" has no time zone',
    ),
    (
        "a clock time without a day",
        lambda: Speech(id="s", start="20:00"),
        "start",
        '"20:00" is a clock time without a day',
    ),
    (
        "a start that is not a time",
        lambda: Speech(id="s", start=20),  # type: ignore[arg-type]
        "start",
        "expected a date and time, got 20",
    ),
    (
        "an end that does not exist",
        lambda: Speech(id="s", end=datetime(2025, 3, 9, 2, 15, tzinfo=NEW_YORK)),
        "end",
        "does not exist in America/New_York",
    ),
    (
        "an unknown visibility",
        lambda: Speech(id="s", visibility="private"),
        "visibility",
        '"private" is not one of public, crew',
    ),
    (
        "an unknown declaration",
        lambda: Declaration(id="d", declares="opened"),
        "declares",
        "\"opened\" is not one of open, closed (did you mean 'open'?)",
    ),
    (
        "an unknown status",
        lambda: CompetitionSession(id="s", sport="Judo", status="LATE"),
        "status",
        '"LATE" is not one of SCHEDULED',
    ),
    (
        "a title that is not text",
        lambda: Speech(id="s", title=5),  # type: ignore[arg-type]
        "title",
        "expected text, got 5",
    ),
    (
        "a title with a control character",
        lambda: Speech(id="s", title="Bad\x00title"),
        "title",
        "text may not hold the control character U+0000",
    ),
    (
        "an id with a space",
        lambda: Speech(id="the speech"),
        "id",
        "'the speech' is not an id",
    ),
    (
        "an id that is not text",
        lambda: Speech(id=7),  # type: ignore[arg-type]
        "id",
        "expected text, got 7",
    ),
    (
        "a person id with a space",
        lambda: Speech(id="s", speakers=["the president"]),
        "speakers[0]",
        "'the president' is not an id",
    ),
    (
        "a skip flag as text",
        lambda: Speech(id="s", skip="yes"),  # type: ignore[arg-type]
        "skip",
        'expected true or false, got "yes"',
    ),
    (
        "a count as text",
        lambda: Parade(id="p", delegation_count="206"),  # type: ignore[arg-type]
        "delegation_count",
        'expected a whole number, got "206"',
    ),
    (
        "flagbearers as one string",
        lambda: Parade(id="p", flagbearers={"FRA": "anne"}),
        "flagbearers.FRA",
        'expected a list, got "anne"',
    ),
    (
        "a cue offset without a unit",
        lambda: Cue(department="lx", text="Go", when=30),  # type: ignore[arg-type]
        "when",
        "30 has no unit (write start, end, or an offset like +2m)",
    ),
    (
        "an empty department",
        lambda: Cue(department="", text="Go"),
        "department",
        "may not be empty",
    ),
    (
        "cues as text",
        lambda: Speech(id="s", cues=["LX 1 go"]),  # type: ignore[list-item]
        "cues[0]",
        'expected a Cue, got "LX 1 go"',
    ),
    (
        "an anchor offset without a unit",
        lambda: Anchor.after("welcome", offset=5),  # type: ignore[arg-type]
        "offset",
        "5 has no unit",
    ),
    (
        "an anchor to an unknown relation",
        lambda: Anchor(relation="during", ref="welcome"),
        "relation",
        '"during" is not one of after, before, with',
    ),
    (
        "a latitude as text",
        lambda: Geo(lat="48.8", lon=2.3),  # type: ignore[arg-type]
        "lat",
        'expected a number, got "48.8"',
    ),
    (
        "a latitude off the globe",
        lambda: Geo(lat=91, lon=0),
        "lat",
        "must be 90 or less, got 91",
    ),
    (
        "a venue's position as a pair",
        lambda: Venue(id="v", name="V", geo=(48.8, 2.3)),  # type: ignore[arg-type]
        "geo",
        "expected a Geo, got a list",
    ),
    (
        "a negative medal count",
        lambda: MedalTally(gold=-1),
        "gold",
        "must be 0 or more, got -1",
    ),
    (
        "a date that is not one",
        lambda: DateRange(start="28 August", end=date(2024, 9, 8)),
        "start",
        '"28 August" is not a date (write 2024-08-28)',
    ),
    (
        "a delegation's sports as one string",
        lambda: Delegation(id="FRA", name="France", sports="Judo"),
        "sports",
        'expected a list, got "Judo"',
    ),
    (
        "a result's medal misspelt",
        lambda: ResultLine(athlete="a", medal="gould"),
        "medal",
        "\"gould\" is not one of gold, silver, bronze (did you mean 'gold'?)",
    ),
    (
        "an unknown time zone",
        lambda: Programme(name="P", timezone="Paris"),
        "timezone",
        "'Paris' is not a known IANA time zone",
    ),
    (
        "a film flag as a number",
        lambda: Film(id="f", pre_recorded=1),  # type: ignore[arg-type]
        "pre_recorded",
        "expected true or false, got 1",
    ),
    (
        "works as one title",
        lambda: Performance(id="p", works="Boléro"),
        "works",
        'expected a list, got "Boléro"',
    ),
]


class TestWrongCalls:
    @pytest.mark.parametrize(
        ("call", "field", "message"),
        [pytest.param(call, field, message, id=name) for name, call, field, message in WRONG_CALLS],
    )
    def test_refused_at_construction(self, call: Call, field: str, message: str) -> None:
        """A wrong call raises ModelError there and then, naming the field and the mistake."""
        with pytest.raises(ModelError) as caught:
            call()
        assert str(caught.value).startswith(f"{field}: ")
        assert message in caught.value.message

    def test_a_missing_wall_time_is_a_zone_error(self) -> None:
        """A time in the spring-forward gap is the same ZoneError as in a file."""
        with pytest.raises(ZoneError):
            Ceremony(id="c", title="C", start=datetime(2025, 3, 9, 2, 30, tzinfo=NEW_YORK))

    def test_the_base_segment_cannot_be_built(self) -> None:
        """Segment has no kind: building one says to build a kind instead."""
        with pytest.raises(ModelError, match="Segment has no kind"):
            Segment(id="s")

    def test_a_subclass_without_a_kind_cannot_be_built(self) -> None:
        """The rule holds for any class that forgets its kind, not only Segment itself."""

        class Untagged(Segment):
            pass

        with pytest.raises(ModelError, match="Untagged has no kind"):
            Untagged(id="s")

    def test_a_segment_kind_outside_the_file_format_cannot_be_dumped(self) -> None:
        """A subclass with a kind no show file knows is refused when dumped, not written."""

        class Flypast(Custom):
            kind = "flypast"

        ceremony_ = Ceremony(id="c", title="C", start=START, segments=[Flypast(id="f")])
        with pytest.raises(ModelError, match="Flypast is not a segment kind a show file can hold"):
            ceremony.dumps(Programme(name="P", ceremonies=[ceremony_]), "yaml")

    def test_errors_inside_a_list_name_the_index(self) -> None:
        """A bad item in a long list is pointed at by its index."""
        with pytest.raises(ModelError) as caught:
            Programme(name="P", venues=[Venue(id="a", name="A"), "b"])  # type: ignore[list-item]
        assert caught.value.path == ("venues", 1)


LOADER_WORDING: list[tuple[str, str, Call]] = [
    ("speakers: president", "speakers", lambda: Speech(id="s", speakers="president")),
    ("duration: 10", "duration", lambda: Speech(id="s", duration=10)),  # type: ignore[arg-type]
    ("duration: ten", "duration", lambda: Speech(id="s", duration="ten")),
    ("visibility: secret", "visibility", lambda: Speech(id="s", visibility="secret")),
    ("skip: maybe", "skip", lambda: Speech(id="s", skip="maybe")),  # type: ignore[arg-type]
    ("title: [a, b]", "title", lambda: Speech(id="s", title=["a", "b"])),  # type: ignore[arg-type]
    ("people: anne", "people", lambda: Speech(id="s", people="anne")),
    (
        "duration: {min: 4m}",
        "duration",
        lambda: Speech(id="s", duration={"min": "4m"}),
    ),
]


def _loader_message(line: str) -> str:
    text = (
        "programme: P\ntimezone: Europe/Paris\nceremonies:\n"
        "  - id: c\n    title: C\n    start: 2024-08-28T20:00\n    segments:\n"
        f"      - id: s\n        kind: speech\n        {line}\n"
    )
    with pytest.raises(ShowFileError) as caught:
        ceremony.loads(text, "yaml")
    return caught.value.problems[0].message


class TestSameWordingAsTheLoader:
    @pytest.mark.parametrize(
        ("line", "field", "call"),
        [pytest.param(line, field, call, id=line) for line, field, call in LOADER_WORDING],
    )
    def test_constructor_says_what_the_loader_says(self, line: str, field: str, call: Call) -> None:
        """The same mistake reads the same in Python as in a show file."""
        with pytest.raises(ModelError) as caught:
            call()
        assert caught.value.message == _loader_message(line)
        assert caught.value.path[0] == field


SHOW = """\
programme: Paris 2024
timezone: Europe/Paris
dates: {start: 2024-08-28, end: 2024-09-08}
venues:
  - {id: concorde, name: Place de la Concorde, geo: {lat: 48.8656, lon: 2.3212}}
people:
  - {id: president, name: The President, roles: [speaker]}
delegations:
  - {id: FRA, name: France, sports: [Judo], medals: {gold: 3}}
ceremonies:
  - id: opening
    title: Opening Ceremony
    venue: concorde
    start: 2024-08-28T20:00
    hard_out: 2024-08-28T23:30
    segments:
      - {id: welcome, kind: speech, speakers: [president], duration: 10m, visibility: crew}
      - id: anthem
        kind: anthem
        anthem: La Marseillaise
        duration: {min: 2m, max: 4m}
        start: {after: welcome, offset: 1m}
        cues: [{department: lx, text: Go, when: -30s}]
      - id: tableau
        kind: act
        target: 20m
        segments:
          - {id: flag, kind: flag_raising, duration: PT3M, track: stage}
          - {id: declaration, kind: declaration, declares: closed, duration: 1m}
sessions:
  - {id: judo, sport: Judo, start: 2024-08-29T10:00, duration: 1h30m, status: FINISHED}
"""


def _built_in_python() -> Programme:
    return Programme(
        name="Paris 2024",
        timezone="Europe/Paris",
        dates=DateRange(start="2024-08-28", end="2024-09-08"),
        venues=[
            Venue(id="concorde", name="Place de la Concorde", geo=Geo(lat=48.8656, lon=2.3212))
        ],
        people=[Person(id="president", name="The President", roles=["speaker"])],
        delegations=[
            Delegation(id="FRA", name="France", sports=["Judo"], medals=MedalTally(gold=3))
        ],
        ceremonies=[
            Ceremony(
                id="opening",
                title="Opening Ceremony",
                venue="concorde",
                start="2024-08-28T20:00+02:00",
                hard_out=datetime(2024, 8, 28, 23, 30, tzinfo=PARIS),
                segments=[
                    Speech(id="welcome", speakers=["president"], duration="10m", visibility="crew"),
                    Anthem(
                        id="anthem",
                        anthem="La Marseillaise",
                        duration={"min": "2m", "max": "4m"},
                        start=Anchor.after("welcome", offset="1m"),
                        cues=[Cue(department="lx", text="Go", when="-30s")],
                    ),
                    Act(
                        id="tableau",
                        target="20m",
                        segments=[
                            FlagRaising(id="flag", duration="PT3M", track="stage"),
                            Declaration(id="declaration", declares="closed", duration="1m"),
                        ],
                    ),
                ],
            )
        ],
        sessions=[
            CompetitionSession(
                id="judo",
                sport="Judo",
                start=datetime(2024, 8, 29, 8, 0, tzinfo=UTC),
                duration=timedelta(hours=1, minutes=30),
                status="FINISHED",
            )
        ],
    )


class TestRightSpellings:
    def test_python_spellings_build_what_the_loader_builds(self) -> None:
        """Text durations, mappings, enum text and ISO times give the loaded programme."""
        assert _built_in_python() == ceremony.loads(SHOW, "yaml")

    def test_converted_values_have_the_model_types(self) -> None:
        """What was given as text is held as the typed value."""
        programme = _built_in_python()
        welcome, anthem, act = programme.ceremonies[0].segments
        assert welcome.duration == timedelta(minutes=10)
        assert welcome.visibility is Visibility.CREW
        assert anthem.duration == DurationRange(
            min=timedelta(minutes=2), max=timedelta(minutes=4), expected=timedelta(minutes=3)
        )
        assert anthem.cues[0].when == timedelta(seconds=-30)
        assert isinstance(act, Act)
        assert act.target == timedelta(minutes=20)
        assert programme.sessions[0].status is ScheduleStatus.FINISHED
        assert programme.dates == DateRange(start=date(2024, 8, 28), end=date(2024, 9, 8))

    def test_lists_become_tuples(self) -> None:
        """Any list given for a list field is held as a tuple (frozen, hashable)."""
        speech = Speech(id="s", speakers=["a", "b"], people=("c",))
        assert speech.speakers == ("a", "b")
        assert speech.people == ("c",)

    def test_a_repeated_hour_with_fold_is_accepted(self) -> None:
        """fold=1 says which of a repeated hour is meant; both occurrences are accepted."""
        first = datetime(2025, 11, 2, 1, 30, tzinfo=NEW_YORK)
        second = datetime(2025, 11, 2, 1, 30, fold=1, tzinfo=NEW_YORK)
        early = Ceremony(id="c", title="C", start=first)
        late = Ceremony(id="c", title="C", start=second)
        assert late.start.astimezone(UTC) - early.start.astimezone(UTC) == timedelta(hours=1)

    def test_cue_edges_from_text(self) -> None:
        """A cue's when may be start or end as text."""
        assert Cue(department="lx", text="Go", when="END").when is CueEdge.END

    def test_anchor_helpers(self) -> None:
        """Anchor.after, before and with_ read as a show file does."""
        assert Anchor.after("a", offset="10m") == Anchor(
            relation=Relation.AFTER, ref="a", offset=timedelta(minutes=10)
        )
        assert Anchor.before("a").relation is Relation.BEFORE
        assert Anchor.with_("a", offset=timedelta(seconds=5)).offset == timedelta(seconds=5)

    def test_every_kind_can_be_built_with_only_an_id(self) -> None:
        """A draft may leave every descriptive field out (flag, anthem, event ...)."""
        for cls in SEGMENT_KINDS.values():
            assert cls(id="draft").id == "draft"


class TestDrafts:
    def test_a_draft_loads(self) -> None:
        """Kinds without their flag, anthem or event load from a file."""
        text = (
            "programme: P\ntimezone: Europe/Paris\nceremonies:\n"
            "  - {id: c, title: C, start: 2024-08-28T20:00, segments: [\n"
            "      {id: f, kind: flag_raising, duration: 3m},\n"
            "      {id: h, kind: flag_handover, duration: 3m},\n"
            "      {id: a, kind: anthem, duration: 2m},\n"
            "      {id: v, kind: victory_ceremony, duration: 5m}]}\n"
        )
        segments = ceremony.loads(text, "yaml").ceremonies[0].segments
        assert [segment.label for segment in segments] == [
            "Flag raising",
            "Flag handover",
            "Anthem",
            "Victory ceremony",
        ]


class TestLabelsAndDetails:
    @pytest.mark.parametrize(
        ("segment", "label"),
        [
            (Anthem(id="a", anthem="The Star-Spangled Banner"), "Anthem: The Star-Spangled Banner"),
            (FlagRaising(id="f", flag="Paralympic flag"), "Flag raising: Paralympic flag"),
            (FlagLowering(id="f", flag="Olympic flag"), "Flag lowering: Olympic flag"),
            (FlagHandover(id="f", flag="Paralympic flag"), "Flag handover: Paralympic flag"),
            (VictoryCeremony(id="v", event="100 m T13"), "Victory ceremony: 100 m T13"),
            (
                Custom(id="c", what="flypast by the Patrouille de France"),
                "Flypast by the Patrouille de France",
            ),
            (Custom(id="c"), "Custom"),
            (Declaration(id="d", what="the Games"), "Declaration: the Games"),
            (Oath(id="o", on_behalf_of="athletes"), "Oath: athletes"),
            (Performance(id="p", works=["Boléro"]), "Performance: Boléro"),
            (Performance(id="p", works=["Boléro", "Imagine"]), "Performance"),
            (Anthem(id="a", title="Our anthem", anthem="X"), "Our anthem"),
        ],
    )
    def test_untitled_segments_are_labelled_from_their_content(
        self, segment: Segment, label: str
    ) -> None:
        """Without a title, the label is the kind and what the segment is about."""
        assert segment.label == label

    @pytest.mark.parametrize(
        ("segment", "details"),
        [
            (Anthem(id="a", anthem="La Marseillaise"), ("Anthem: La Marseillaise",)),
            (
                FlagRaising(id="f", flag="Paralympic flag", anthem="Paralympic anthem"),
                ("Flag: Paralympic flag", "Anthem: Paralympic anthem"),
            ),
            (FlagHandover(id="f", flag="Paralympic flag"), ("Flag: Paralympic flag",)),
            (
                VictoryCeremony(id="v", event="100 m T13", session="s1", anthem="Hatikvah"),
                ("Event: 100 m T13", "Session: s1", "Anthem: Hatikvah"),
            ),
            (Performance(id="p", works=["Boléro", "Imagine"]), ("Works: Boléro; Imagine",)),
            (
                Declaration(id="d", what="the Paris 2024 Paralympic Games"),
                ("Declares the Paris 2024 Paralympic Games open",),
            ),
            (Declaration(id="d", declares=Declares.CLOSED), ("Declares closed",)),
            (Oath(id="o", on_behalf_of="judges"), ("On behalf of: judges",)),
            (Fireworks(id="f", colours=["blue", "white", "red"]), ("Colours: blue, white, red",)),
            (Film(id="f"), ("Pre-recorded",)),
            (Film(id="f", pre_recorded=False), ("Live",)),
            (Custom(id="c", what="flypast"), ("What: flypast",)),
            (Act(id="a", target="12m"), ("Target: 12m",)),
            (
                Parade(id="p", delegation_count=206, order="French alphabetical"),
                ("206 delegations", "Order: French alphabetical"),
            ),
            (Anthem(id="a"), ()),
            (FlagRaising(id="f"), ()),
            (Speech(id="s"), ()),
        ],
    )
    def test_details_name_every_kind_specific_field(
        self, segment: Segment, details: tuple[str, ...]
    ) -> None:
        """facts() spells out each kind-specific fact that is set, and nothing unset."""
        assert segment.facts() == details

    @pytest.mark.parametrize(
        ("segment", "details"),
        [
            (Anthem(id="a", anthem="La Marseillaise"), ()),
            (
                Anthem(id="a", title="Anthem", anthem="La Marseillaise"),
                ("Anthem: La Marseillaise",),
            ),
            (
                FlagRaising(id="f", flag="Paralympic flag", anthem="Paralympic anthem"),
                ("Anthem: Paralympic anthem",),
            ),
            (Custom(id="c", what="flypast"), ()),
            (Custom(id="c", title="Tribute", what="flypast"), ()),
            (Parade(id="p", delegation_count=206), ("206 delegations",)),
        ],
    )
    def test_details_leave_out_what_the_label_and_kind_say(
        self, segment: Segment, details: tuple[str, ...]
    ) -> None:
        """details() is facts() less what the label ("Anthem: La Marseillaise") or the kind
        (a custom segment's "Flypast") already says, so no output says it twice."""
        assert segment.details() == details

    def test_every_kind_specific_field_reaches_details(self) -> None:
        """Each kind's own fields, when set, appear in its details (none forgotten)."""
        samples: dict[str, tuple[Any, str]] = {
            "works": (["Boléro"], "Boléro"),
            "colours": (["gold"], "gold"),
            "target": ("5m", "5m"),
            "declares": ("closed", "closed"),
            "pre_recorded": (False, "Live"),
            "delegation_count": (12, "12 delegations"),
            "session": ("heat-1", "heat-1"),
        }
        shown_elsewhere = {"segments", "delegations", "flagbearers"}  # listed, and people
        base = {field.name for field in attrs.fields(Segment)}
        for cls in SEGMENT_KINDS.values():
            for field in attrs.fields(cls):
                if field.name in base | set(cls.role_fields) | shown_elsewhere:
                    continue
                value, expected = samples.get(field.name, ("Something", "Something"))
                kwargs: dict[str, Any] = {field.name: value}
                segment = cls(id="x", **kwargs)
                assert expected in " | ".join(segment.facts()), (cls.__name__, field.name)


def test_a_parades_delegations_are_named_where_names_are_known() -> None:
    """details(names=...) adds the delegations in marching order, by name where known."""
    parade = Parade(id="p", delegations=["NO", "on"])
    assert parade.details() == ()
    assert parade.details(names={"NO": "Norway"}) == ("Delegations: Norway, on",)
