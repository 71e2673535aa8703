"""Hypothesis strategies for whole programmes (valid ones: every reference resolves)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import attrs
from hypothesis import strategies as st

import ceremony as c
from ceremony.zones import utc, zone

ZONES = ["Europe/Paris", "Asia/Almaty", "Pacific/Tahiti", "America/Los_Angeles", "UTC"]
TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"),
    min_size=1,
    max_size=20,
)
IDS = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)
DURATIONS = st.integers(min_value=0, max_value=6 * 3600).map(lambda s: timedelta(seconds=s))


def instants(tz_name: str) -> st.SearchStrategy[datetime]:
    """Aware datetimes in ``tz_name``, whole minutes, around the Paris 2024 Games and the
    autumn daylight-saving change."""
    base = datetime(2024, 7, 1, tzinfo=UTC)
    return st.integers(min_value=0, max_value=180 * 24 * 60).map(
        lambda minutes: (base + timedelta(minutes=minutes)).astimezone(zone(tz_name))
    )


def duration_specs() -> st.SearchStrategy[Any]:
    ranges = st.tuples(DURATIONS, DURATIONS).map(
        lambda pair: c.DurationRange(min=min(pair), max=max(pair))
    )
    return st.one_of(st.none(), DURATIONS, ranges)


@st.composite
def segments(
    draw: st.DrawFn,
    ids: list[str],
    people: list[str],
    earlier: list[str],
    delegations: list[str],
    tz_name: str,
    depth: int = 0,
) -> c.Segment:
    kinds = [k for k in c.SEGMENT_KINDS if k != "act" or depth == 0]
    kind = draw(st.sampled_from(kinds))
    cls = c.SEGMENT_KINDS[kind]
    segment_id = draw(IDS.filter(lambda i: i not in ids))
    ids.append(segment_id)
    start: Any = draw(
        st.one_of(
            st.none(),
            instants(tz_name),
            st.builds(
                lambda rel, ref, off: c.Anchor(relation=rel, ref=ref, offset=off),
                st.sampled_from(list(c.Relation)),
                st.sampled_from(earlier),
                DURATIONS,
            )
            if earlier
            else st.none(),
        )
    )
    fields: dict[str, Any] = {
        "id": segment_id,
        "title": draw(st.none() | TEXT),
        "start": start,
        "track": draw(st.sampled_from([None, None, "air"])),
        "people": draw(st.lists(st.sampled_from(people), max_size=2)),
        "notes": draw(st.none() | TEXT),
        "visibility": draw(st.sampled_from(list(c.Visibility))),
        "cues": draw(
            st.lists(
                st.builds(
                    lambda d, t, w: c.Cue(department=d, text=t, when=w),
                    st.sampled_from(["lighting", "sound", "pyro"]),
                    TEXT,
                    st.one_of(
                        st.sampled_from(list(c.CueEdge)),
                        st.integers(-600, 600).map(lambda s: timedelta(seconds=s)),
                    ),
                ),
                max_size=2,
            )
        ),
    }
    if kind == "act":
        children: list[c.Segment] = []
        for _ in range(draw(st.integers(0, 3))):
            children.append(draw(segments(ids, people, earlier, delegations, tz_name, 1)))
        fields["segments"] = children
        fields["target"] = draw(st.none() | DURATIONS)
    elif draw(st.integers(0, 9)) == 0:  # now and then a locked end instead of a duration
        floor = start if isinstance(start, datetime) else datetime(2024, 7, 1, tzinfo=UTC)
        fields["end"] = draw(instants(tz_name).filter(lambda end: utc(end) > utc(floor)))
    else:
        fields["duration"] = draw(duration_specs())
    fields["skip"] = draw(st.integers(0, 9)) == 0
    for name, attribute in attrs.fields_dict(cls).items():  # required kind fields
        if attribute.default is attrs.NOTHING and name not in fields:
            fields[name] = draw(TEXT)
    for role in cls.role_fields:
        fields[role] = draw(st.lists(st.sampled_from(people), max_size=3))
    if kind == "parade":
        fields["delegations"] = draw(st.lists(st.sampled_from(delegations), max_size=2))
        fields["flagbearers"] = draw(
            st.dictionaries(
                st.sampled_from(delegations),
                st.lists(st.sampled_from(people), max_size=2).map(tuple),
                max_size=2,
            )
        )
    earlier.append(segment_id)
    return cls(**fields)


def _after(start: datetime, minutes: int) -> datetime:
    return start + timedelta(minutes=minutes)


@st.composite
def programmes(draw: st.DrawFn) -> c.Programme:
    tz_name = draw(st.sampled_from(ZONES))
    people = [
        c.Person(id=f"p{i}", name=draw(TEXT), roles=draw(st.lists(TEXT, max_size=2)))
        for i in range(3)
    ]
    delegations = [c.Delegation(id=code, name=draw(TEXT)) for code in ("KAZ", "AZE")]
    venues = [
        c.Venue(
            id="v1",
            name=draw(TEXT),
            timezone=draw(st.none() | st.just(tz_name)),
            geo=draw(
                st.none()
                | st.builds(
                    lambda a, b: c.Geo(lat=a, lon=b), st.floats(-90, 90), st.floats(-180, 180)
                )
            ),
        )
    ]
    ids: list[str] = []
    ceremonies = []
    for index in range(draw(st.integers(0, 2))):
        earlier: list[str] = []
        items = [
            draw(segments(ids, [p.id for p in people], earlier, ["KAZ", "AZE"], tz_name))
            for _ in range(draw(st.integers(0, 5)))
        ]
        start = draw(instants(tz_name))
        hard_out = draw(st.none() | st.integers(1, 600).map(partial(_after, start)))
        ceremony_id = f"ceremony-{index}"
        ids.append(ceremony_id)
        ceremonies.append(
            c.Ceremony(
                id=ceremony_id,
                title=draw(TEXT),
                venue="v1",
                start=start,
                hard_out=hard_out,
                segments=items,
            )
        )
    sessions = []
    for index in range(draw(st.integers(0, 3))):
        session_start = draw(st.none() | instants(tz_name))
        sessions.append(
            c.CompetitionSession(
                id=f"session-{index}",
                sport=draw(TEXT),
                venue="v1",
                start=session_start,
                duration=draw(DURATIONS) if session_start is not None else None,
                classification=draw(st.none() | st.sampled_from(["T13", "S12", "K44"])),
                medal=draw(st.booleans()),
                status=draw(st.sampled_from(list(c.ScheduleStatus))),
                athletes=draw(st.lists(st.sampled_from([p.id for p in people]), max_size=2)),
                results=draw(
                    st.lists(
                        st.builds(
                            lambda a, m: c.ResultLine(athlete=a, medal=m),
                            st.sampled_from([p.id for p in people]),
                            st.none() | st.sampled_from(list(c.Medal)),
                        ),
                        max_size=2,
                    )
                ),
            )
        )
    return c.Programme(
        name=draw(TEXT),
        timezone=tz_name,
        revision=draw(st.none() | TEXT),
        venues=venues,
        people=people,
        delegations=delegations,
        ceremonies=ceremonies,
        sessions=sessions,
    )
