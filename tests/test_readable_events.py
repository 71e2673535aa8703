"""Events a fan can read: titles that lead with who, an end always, results, days by name."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import hypothesis
import icalendar
import pytest
from hypothesis import strategies as st

import ceremony
from ceremony.export.events import DEFAULT_LENGTHS, calendar_events, day_label
from ceremony.export.feeds import feed_set
from ceremony.export.titles import family_name
from ceremony.model.sessions import distinct_parts, says
from ceremony.site import build_site
from tests.conftest import EXAMPLES, SHARED

Show = Callable[[str], ceremony.Programme]
NOW = datetime(2024, 8, 20, tzinfo=UTC)

SESSIONS = """\
programme: Test Games
timezone: Europe/Paris
venues:
  - {id: concorde, name: Place de la Concorde}
delegations:
  - {id: KAZ, name: Kazakhstan}
  - {id: KAZ-team, name: Kazakhstan}
  - {id: AZE, name: Azerbaijan}
people:
  - {id: saleh, name: Roman Saleh, delegation: AZE}
  - {id: degtyarev, name: David Degtyarev, delegation: KAZ}
sessions:
  - {id: bout, sport: Judo, unit_type: HATH, venue: concorde, start: 2024-07-27T10:00}
  - {id: match, sport: Handball, unit_type: HTEAM, venue: concorde, start: 2024-07-27T12:00}
  - {id: morning, sport: Rowing, session_type: MOR, venue: concorde, start: 2024-07-28T09:00}
  - {id: plain, sport: Sailing, venue: concorde, start: 2024-07-28T11:00}
  - {id: instant, sport: Sailing, venue: concorde, start: 2024-07-28T12:00, duration: 0s}
  - {id: timed, sport: Rowing, venue: concorde, start: 2024-07-28T13:00, duration: 40m}
  - id: swim
    sport: Para Swimming
    event: 100 m Backstroke
    classification: S12
    phase: final
    venue: concorde
    start: 2024-07-29T18:00
    duration: 10m
    status: FINISHED
    results:
      - {rank: 1, medal: gold, athlete: degtyarev, mark: "1:05.01"}
      - {rank: 2, medal: silver, athlete: saleh, mark: "1:05.32", notes: "season's best"}
      - {rank: 3, medal: bronze, delegation: KAZ-team}
      - {athlete: saleh, delegation: KAZ, mark: DSQ}
"""


@pytest.fixture
def games() -> ceremony.Programme:
    """Sessions with and without ends, and one finished with results."""
    return ceremony.loads(SESSIONS, "yaml", file="games.yaml")


def events_by_uid(data: bytes) -> dict[str, icalendar.cal.Component]:
    calendar = icalendar.Calendar.from_ical(data)
    return {str(event["UID"]).split("@")[0]: event for event in calendar.walk("VEVENT")}


def length(event: icalendar.cal.Component) -> timedelta:
    end: datetime = event.decoded("DTEND")
    start: datetime = event.decoded("DTSTART")
    return end - start


def description(event: icalendar.cal.Component) -> list[str]:
    return str(event.get("DESCRIPTION", "")).split("\n")


def test_a_session_without_an_end_gets_its_kinds_default_and_says_so(
    games: ceremony.Programme,
) -> None:
    events = events_by_uid(ceremony.to_ical(games))
    expected = {
        "bout": DEFAULT_LENGTHS["HATH"],
        "match": DEFAULT_LENGTHS["HTEAM"],
        "morning": DEFAULT_LENGTHS["session"],
        "plain": DEFAULT_LENGTHS["other"],
        "instant": DEFAULT_LENGTHS["other"],
    }
    assert expected == {
        "bout": timedelta(hours=1),
        "match": timedelta(hours=2),
        "morning": timedelta(hours=3),
        "plain": timedelta(hours=2),
        "instant": timedelta(hours=2),
    }
    for uid, expected_length in expected.items():
        event = events[uid]
        assert "DTEND" in event, uid
        assert length(event) == expected_length, uid
        hours = expected_length // timedelta(hours=1)
        assert f"End estimated: about {hours}h" in description(event), uid


def test_a_session_with_an_end_keeps_it_and_says_nothing_of_estimates(
    games: ceremony.Programme,
) -> None:
    events = events_by_uid(ceremony.to_ical(games))
    for uid, given in (("timed", timedelta(minutes=40)), ("swim", timedelta(minutes=10))):
        event = events[uid]
        assert length(event) == given
        assert not any(line.startswith("End estimated") for line in description(event))


def test_the_estimated_end_is_the_calendar_events_only(games: ceremony.Programme) -> None:
    session = next(s for _, s in games.all_sessions() if s.id == "bout")
    assert session.ends is None
    (event,) = [e for e in calendar_events(games) if e.id == "bout"]
    assert event.end - event.start == timedelta(hours=1)


def test_a_finished_sessions_results_are_in_its_description_in_order(
    games: ceremony.Programme,
) -> None:
    lines = description(events_by_uid(ceremony.to_ical(games))["swim"])
    assert "Status: FINISHED" in lines
    start = lines.index("Results:")
    assert lines[start + 1 : start + 5] == [
        "1. Gold · David Degtyarev (KAZ) · 1:05.01",
        "2. Silver · Roman Saleh (AZE) · 1:05.32 · season's best",
        "3. Bronze · Kazakhstan (KAZ-team)",
        "Roman Saleh (KAZ) · DSQ",
    ]


def test_a_session_without_results_has_no_results_heading(games: ceremony.Programme) -> None:
    for uid, event in events_by_uid(ceremony.to_ical(games)).items():
        if uid != "swim":
            assert "Results:" not in description(event), uid


def test_a_results_notes_stay_on_its_line(show: Show) -> None:
    programme = show(
        """\
sessions:
  - id: race
    sport: Rowing
    venue: concorde
    start: 2024-07-28T09:00
    duration: 1h
    results:
      - {athlete: chilly, mark: "6:30.2", notes: "lane 3\\nprotest\\tlodged"}
      - {delegation: KAZ}
"""
    )
    lines = description(events_by_uid(ceremony.to_ical(programme))["race"])
    start = lines.index("Results:")
    assert lines[start + 1 : start + 3] == [
        "Chilly Gonzalez · 6:30.2 · lane 3 protest lodged",
        "Kazakhstan (KAZ)",
    ]


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2024, 7, 27), "Saturday 27 July 2024"),
        (date(2024, 8, 1), "Thursday 1 August 2024"),
        (date(2025, 12, 31), "Wednesday 31 December 2025"),
        (date(2024, 1, 1), "Monday 1 January 2024"),
    ],
)
def test_day_label(day: date, label: str) -> None:
    assert day_label(day) == label


def test_day_feeds_are_named_by_weekday_and_date_in_date_order(
    games: ceremony.Programme,
) -> None:
    days = [feed for feed in feed_set(games, calendar_events(games)) if feed.kind == "day"]
    assert [(feed.key, feed.path, feed.title) for feed in days] == [
        ("2024-07-27", "day/2024-07-27.ics", "Test Games: Saturday 27 July 2024"),
        ("2024-07-28", "day/2024-07-28.ics", "Test Games: Sunday 28 July 2024"),
        ("2024-07-29", "day/2024-07-29.ics", "Test Games: Monday 29 July 2024"),
    ]


def test_the_site_names_days_in_its_feeds_and_index(
    games: ceremony.Programme, tmp_path: Path
) -> None:
    root = tmp_path / "site"
    build_site(games, root, now=NOW)
    calendar = icalendar.Calendar.from_ical((root / "day" / "2024-07-28.ics").read_bytes())
    assert str(calendar["X-WR-CALNAME"]) == "Test Games: Sunday 28 July 2024"
    page = (root / "index.html").read_text()
    assert "Sunday 28 July 2024" in page
    assert ">2024-07-28<" not in page
    assert 'href="day/2024-07-28.ics"' in page


# --- Titles: who first, then what (ceremony.export.titles) ---------------------------------

PARIS_MEDALLISTS = SHARED / "data" / "paris2024-olympics" / "medallists.csv"
PARIS = datetime(2024, 8, 29, 18, tzinfo=UTC)


def titled(
    *sessions: ceremony.CompetitionSession, people: tuple[ceremony.Person, ...] = ()
) -> dict[str, str]:
    """The calendar title of each session, by id, in a programme of these sessions."""
    codes = sorted(
        {code for s in sessions for code in s.delegations}
        | {p.delegation for p in people if p.delegation}
    )
    programme = ceremony.Programme(
        name="Title Games",
        timezone="Europe/Paris",
        venues=[ceremony.Venue(id="arena", name="Arena")],
        delegations=[ceremony.Delegation(id=code, name=f"Nation {code}") for code in codes],
        people=list(people),
        sessions=list(sessions),
    )
    return {event.id: event.summary for event in calendar_events(programme)}


def session(session_id: str = "s", **fields: object) -> ceremony.CompetitionSession:
    """A session at the arena at :data:`PARIS`: ``fields`` say the rest."""
    given: dict[str, object] = {"sport": "Para Swimming", "venue": "arena", "start": PARIS}
    return ceremony.CompetitionSession(id=session_id, **{**given, **fields})  # type: ignore[arg-type]


def athlete(person_id: str, name: str, delegation: str | None = "AZE") -> ceremony.Person:
    return ceremony.Person(id=person_id, name=name, delegation=delegation, roles=["athlete"])


SALEH = athlete("roman-saleh", "Roman Saleh")
DEGTYAREV = athlete("david-degtyarev", "David Degtyarev", "KAZ")


class TestTitles:
    def test_the_aze_example_from_python(self) -> None:
        """The athlete (with the delegation's code) first, then event with class, phase, sport."""
        swim = session(
            event="100 m Backstroke",
            classification="S12",
            phase="final",
            athletes=["roman-saleh"],
            delegations=["AZE"],
        )
        assert titled(swim, people=(SALEH,)) == {
            "s": "AZE Saleh · 100 m Backstroke S12 · Final · Para Swimming"
        }

    def test_the_aze_feed_of_the_paralympics_example(self, tmp_path: Path) -> None:
        """In the Azerbaijan feed, every title leads with an athlete, and no class is said twice."""
        root = tmp_path / "site"
        build_site(ceremony.load(EXAMPLES / "paralympians-aze-kaz.yaml"), root, now=NOW)
        feed = icalendar.Calendar.from_ical((root / "delegation" / "aze.ics").read_bytes())
        summaries = {str(e["UID"]).split("@")[0]: str(e["SUMMARY"]) for e in feed.walk("VEVENT")}
        assert summaries["swm-m-100bk-s12"] == (
            "AZE Saleh · Men's 100 m Backstroke S12 · Final · Para Swimming"
        )
        assert summaries["tkd-w-k44-52kg"] == (
            "AZE Fataliyeva · Women K44 -52 kg · Final · Para Taekwondo"
        )
        assert summaries["sh-p4-x-50m-pistol"].startswith("AZE Zeynalov, Babayeva · ")
        for title in summaries.values():
            assert title.startswith(("AZE ", "KAZ ")), title
            assert not title.startswith("Para "), title

    @pytest.mark.skipif(
        not PARIS_MEDALLISTS.is_file(), reason="needs ../shared/data (not in a clone)"
    )
    def test_an_aze_medallist_from_the_real_paris_data(self) -> None:
        """HEYDAROV Hidayat's judo final, as the Paris 2024 medallists file gives it."""
        with PARIS_MEDALLISTS.open(encoding="utf-8", newline="") as file:
            row = next(r for r in csv.DictReader(file) if r["name"] == "HEYDAROV Hidayat")
        assert (row["country_code"], row["event_type"]) == ("AZE", "HATH")
        judo = session(
            "judo",
            sport=row["discipline"],
            event=row["event"],
            phase="final" if "/fnl-" in row["url_event"] else "contest",
            unit_type=row["event_type"],
            athletes=["heydarov"],
        )
        person = athlete("heydarov", row["name"], row["country_code"])
        assert titled(judo, people=(person,)) == {
            "judo": "AZE HEYDAROV · Men -73 kg · Final · Judo"
        }

    @pytest.mark.skipif(
        not PARIS_MEDALLISTS.is_file(), reason="needs ../shared/data (not in a clone)"
    )
    def test_every_real_medallists_family_name(self) -> None:
        """Each of the Paris medallists' names gives a family name in capitals from its words."""
        with PARIS_MEDALLISTS.open(encoding="utf-8", newline="") as file:
            names = {row["name"] for row in csv.DictReader(file) if row["name"].strip()}
        for name in ("van AERT Wout", "McINTOSH Summer", "Mc SHARRY Mona"):
            assert name in names
        for name in names:
            family = family_name(name)
            assert family, name
            assert f" {family} " in f" {' '.join(name.split())} ", name
            assert any(sum(c.isupper() for c in word) >= 2 for word in family.split()), name

    def test_the_real_olympic_schedule_repeats_no_part(self) -> None:
        """None of the 3,860 imported Paris 2024 units says a part twice in its title."""
        programme = ceremony.load(EXAMPLES / "paris-2024-olympics" / "programme.yaml")
        titles = {e.id: e.summary for e in calendar_events(programme) if e.kind == "session"}
        assert len(titles) > 3000
        for title in titles.values():
            parts = [part.casefold() for part in title.split(" · ")]
            assert len(parts) == len(set(parts)), title
        assert titles["football-men-gpb-000100"] == "Men's Group B · Football"

    def test_a_class_or_phase_the_event_says_is_not_added(self) -> None:
        """``Women K44 -52 kg`` keeps its class once; ``Men's 100 m Final`` its phase once."""
        titles = titled(
            session(
                "tkd",
                sport="Para Taekwondo",
                event="Women K44 -52 kg",
                classification="k44",
                phase="final",
            ),
            session("swim", event="Men's 100 m Final", classification="S12", phase="Final"),
            session("ball", sport="Goalball", event="Women's Goalball", phase="semifinal"),
            session("s120", event="Men's 50 m S120", classification="S12"),
        )
        assert titles == {
            "tkd": "Women K44 -52 kg · Final · Para Taekwondo",
            "swim": "Men's 100 m Final S12 · Para Swimming",
            "ball": "Women's Goalball · Semifinal",
            "s120": "Men's 50 m S120 S12 · Para Swimming",
        }

    def test_the_sport_by_its_discipline_and_without_an_event(self) -> None:
        """The discipline names the sport; with no event, the sport (with the class) is the what."""
        titles = titled(
            session("disc", sport="Aquatics", discipline="Swimming", event="Men's 100m Freestyle"),
            session("bare", classification="S12", phase="heats"),
        )
        assert titles == {
            "disc": "Men's 100m Freestyle · Swimming",
            "bare": "Para Swimming S12 · Heats",
        }

    def test_team_sessions_name_the_teams(self) -> None:
        """Delegations and no athletes, or a TEAM/HTEAM unit: codes; a match is ``FRA v BRA``."""
        athletes = ["saleh", "degtyarev"]
        titles = titled(
            session(
                "match",
                sport="Goalball",
                event="Women's Goalball",
                phase="semifinal",
                unit_type="HTEAM",
                delegations=["FRA", "BRA"],
            ),
            session(
                "relay",
                event="Mixed 4x100 m Freestyle",
                phase="final",
                unit_type="TEAM",
                athletes=athletes,
                delegations=["AZE"],
            ),
            session(
                "round",
                sport="Sitting Volleyball",
                event="Men",
                phase="pool A",
                delegations=["FRA", "BRA", "KAZ", "AZE", "CHN"],
            ),
            session("pair", sport="Goalball", event="Men's Goalball", delegations=["FRA", "BRA"]),
            people=(athlete("saleh", "Roman Saleh"), athlete("degtyarev", "D D", "KAZ")),
        )
        assert titles == {
            "match": "FRA v BRA · Women's Goalball · Semifinal",
            "relay": "AZE, KAZ · Mixed 4x100 m Freestyle · Final · Para Swimming",
            "round": "FRA, BRA, KAZ +2 · Men · Pool A · Sitting Volleyball",
            "pair": "FRA, BRA · Men's Goalball",
        }

    def test_athletes_head_to_head_and_of_one_delegation(self) -> None:
        """Two sides of a bout are joined with ``v``; one delegation's athletes share its code."""
        people = (
            SALEH,
            DEGTYAREV,
            athlete("kamran", "Kamran Zeynalov"),
            athlete("aybeniz", "Aybeniz Babayeva"),
        )
        titles = titled(
            session(
                "bout",
                sport="Para Judo",
                event="Men -73 kg",
                unit_type="HATH",
                athletes=["roman-saleh", "david-degtyarev"],
            ),
            session(
                "pair",
                sport="Shooting Para Sport",
                event="P4 Mixed 50 m Pistol SH1",
                athletes=["kamran", "aybeniz"],
            ),
            session(
                "heat",
                event="Men's 100 m Butterfly",
                unit_type="ATH",
                athletes=["roman-saleh", "david-degtyarev"],
            ),
            people=people,
        )
        assert titles == {
            "bout": "AZE Saleh v KAZ Degtyarev · Men -73 kg · Para Judo",
            "pair": "AZE Zeynalov, Babayeva · P4 Mixed 50 m Pistol SH1 · Shooting Para Sport",
            "heat": "AZE Saleh, KAZ Degtyarev · Men's 100 m Butterfly · Para Swimming",
        }

    def test_many_athletes_show_the_first_three_and_how_many_more(self) -> None:
        """Five athletes: three named, then ``+2``; no ``v`` when some are not shown."""
        people = tuple(
            athlete(f"a{i}", f"Given Family{'abcde'[i]}", "AZE" if i < 2 else "KAZ")
            for i in range(5)
        )
        titles = titled(
            session(
                "final",
                event="Men's 50 m Freestyle",
                phase="final",
                unit_type="HATH",
                athletes=[p.id for p in people],
            ),
            people=people,
        )
        assert titles == {
            "final": "AZE Familya, Familyb, KAZ Familyc +2 · Men's 50 m Freestyle · Final · "
            "Para Swimming"
        }

    def test_who_from_what_the_data_allows(self) -> None:
        """Same family names in full; no delegation: the session's only one; unknown: the id."""
        people = (
            athlete("sabir", "Sabir Zeynalov"),
            athlete("kamran", "Kamran Zeynalov"),
            athlete("free", "Ana Free", None),
        )
        titles = titled(
            session("twins", event="Men's Pairs", athletes=["sabir", "kamran"]),
            session("own", event="Women's 50 m", athletes=["free"], delegations=["KAZ"]),
            session("stranger", event="Women's 50 m", athletes=["nobody-known"]),
            people=people,
        )
        assert titles == {
            "twins": "AZE Sabir Zeynalov, Kamran Zeynalov · Men's Pairs · Para Swimming",
            "own": "KAZ Free · Women's 50 m · Para Swimming",
            "stranger": "nobody-known · Women's 50 m · Para Swimming",
        }

    def test_an_explicit_title_is_kept(self) -> None:
        """A session with a title keeps it as given, athletes or not."""
        titles = titled(
            session(
                "named",
                title="Saleh's last swim",
                event="100 m Backstroke",
                classification="S12",
                athletes=["roman-saleh"],
            ),
            people=(SALEH,),
        )
        assert titles == {"named": "Saleh's last swim"}

    def test_the_label_drops_repeats_too(self) -> None:
        """Sheets and the terminal keep sport first, without the class the event already says."""
        tkd = session(
            sport="Para Taekwondo", event="Women K44 -52 kg", classification="K44", phase="final"
        )
        assert tkd.label == "Para Taekwondo · Women K44 -52 kg · final"
        assert session(title="Given").label == "Given"

    @pytest.mark.parametrize(
        ("name", "family"),
        [
            ("Roman Saleh", "Saleh"),
            ("Saleh", "Saleh"),
            ("Marlou van Rhijn", "van Rhijn"),
            ("Maria de la Cruz", "de la Cruz"),
            ("Tommie Smith Jr.", "Smith Jr."),
            ("ZHANG Yufei", "ZHANG"),
            ("van der VLEUTEN Maikel", "van der VLEUTEN"),
            ("von BREDOW-WERNDL Jessica", "von BREDOW-WERNDL"),
            ("DE LA CRUZ Maria", "DE LA CRUZ"),
            ("ROMAN SALEH", "SALEH"),
            ("", ""),
        ],
    )
    def test_family_name(self, name: str, family: str) -> None:
        """Capitals mark the family name; otherwise the last word, with particles and suffixes."""
        assert family_name(name) == family


CLASSES = ["S12", "SB13", "T13", "K44", "F36", "J1", "P1", "SH1"]
PHASES = ["final", "heats", "semifinal", "bronze medal contest", "pool A"]
SPORTS = ["Para Swimming", "Para Taekwondo", "Goalball", "Para Judo"]
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=8).map(str.title)
NAMES = st.lists(WORDS, min_size=1, max_size=3).map(" ".join)
CODES = st.sampled_from(["AZE", "KAZ", "FRA", "BRA", "CHN"])


@st.composite
def sessions_with_people(
    draw: st.DrawFn,
) -> tuple[ceremony.CompetitionSession, tuple[ceremony.Person, ...]]:
    classification = draw(st.none() | st.sampled_from(CLASSES))
    phase = draw(st.none() | st.sampled_from(PHASES))
    sport = draw(st.sampled_from(SPORTS))
    base = draw(
        st.none() | st.sampled_from(["100 m Backstroke", "Women -48 kg", "Men", "Goalball"])
    )
    said = [
        part for part in (classification, phase, sport) if part is not None and draw(st.booleans())
    ]
    event = " ".join(filter(None, [base, *said])) or None
    people = tuple(
        athlete(f"p{i}", draw(NAMES), draw(st.none() | CODES))
        for i in range(draw(st.integers(0, 6)))
    )
    drawn = session(
        sport=sport,
        discipline=draw(st.none() | st.sampled_from(["Swimming", "Judo"])),
        event=event,
        classification=classification,
        phase=phase,
        unit_type=draw(st.none() | st.sampled_from(["ATH", "HATH", "TEAM", "HTEAM"])),
        athletes=[p.id for p in people],
        delegations=draw(st.lists(CODES, unique=True, max_size=5)),
    )
    return drawn, people


@hypothesis.given(sessions_with_people())
@hypothesis.settings(max_examples=200, deadline=None)
def test_no_part_of_a_title_is_said_twice(
    drawn: tuple[ceremony.CompetitionSession, tuple[ceremony.Person, ...]],
) -> None:
    """No `` · `` part appears twice, and the class (when given) appears exactly once."""
    one, people = drawn
    title = titled(one, people=people)["s"]
    parts = [part.casefold() for part in title.split(" · ")]
    assert all(parts), title
    assert len(parts) == len(set(parts)), title
    if one.classification is not None:
        pattern = rf"(?<!\w){re.escape(one.classification)}(?!\w)"
        assert len(re.findall(pattern, title, flags=re.IGNORECASE)) == 1, title


@hypothesis.given(st.lists(st.text(alphabet="abAB12 -'", max_size=12), max_size=6))
def test_distinct_parts_keeps_none_that_another_says(parts: list[str]) -> None:
    """Of the parts kept, none says another (as whole words, in any case)."""
    kept = distinct_parts(parts)
    for index, part in enumerate(kept):
        for other_index, other in enumerate(kept):
            if index != other_index:
                assert not says(other, part), (other, part)


def test_cached_titles_cannot_leak_between_programmes() -> None:
    """Two programmes with one person id but other names give each its own title."""
    swim = session(event="100 m Backstroke", athletes=["p1"], delegations=["AZE"])
    first = titled(swim, people=(athlete("p1", "Roman Saleh"),))
    second = titled(swim, people=(athlete("p1", "Ana Babayeva"),))
    third = titled(swim, people=(athlete("p1", "Roman Saleh", "KAZ"),))
    assert first == {"s": "AZE Saleh · 100 m Backstroke · Para Swimming"}
    assert second == {"s": "AZE Babayeva · 100 m Backstroke · Para Swimming"}
    assert third == {"s": "KAZ Saleh · 100 m Backstroke · Para Swimming"}
    assert titled(swim, people=(athlete("p1", "Roman Saleh"),)) == first


@hypothesis.given(sessions_with_people())
@hypothesis.settings(max_examples=100, deadline=None)
def test_a_title_is_the_same_made_twice(
    drawn: tuple[ceremony.CompetitionSession, tuple[ceremony.Person, ...]],
) -> None:
    """A title from the caches is the title first made (and distinct_parts gives a new list)."""
    one, people = drawn
    assert titled(one, people=people) == titled(one, people=people)
    parts = ["Men", "Men's Group B", None, " "]
    kept = distinct_parts(parts)
    kept.append("changed by the caller")
    assert distinct_parts(parts) == ["Men's Group B"]


def distinct_parts_by_definition(parts: list[str | None]) -> list[str]:
    """distinct_parts as its docstring says it, with no cache: each part against every other."""
    given = [part.strip() for part in parts if part and part.strip()]
    kept = []
    for index, part in enumerate(given):
        said = any(
            says(other, part) and (other_index < index or not says(part, other))
            for other_index, other in enumerate(given)
            if other_index != index
        )
        if not said:
            kept.append(part)
    return kept


@hypothesis.given(st.lists(st.none() | st.text(alphabet="abAB12 -'·", max_size=12), max_size=6))
def test_distinct_parts_with_its_caches_is_distinct_parts_by_definition(
    parts: list[str | None],
) -> None:
    """The cached split (the first part against the rest) keeps exactly what the rule keeps."""
    assert distinct_parts(parts) == distinct_parts_by_definition(parts)
