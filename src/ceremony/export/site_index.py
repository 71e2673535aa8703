"""What a feed site says of itself: its index page and its manifest.

The index page (``index.html``) lists every feed in sections (ceremonies first), with a
search box, subscribe / Google Calendar / Outlook / download / copy-link buttons, and, where
``ceremony serve`` serves the site, a form combining sports and delegations into one feed.
It is plain HTML that reads and subscribes without JavaScript; its small inline script
(``templates/site_index.js``) adds the search, the copy buttons and that form.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from urllib.parse import quote

import attrs
import jinja2

from ceremony.export.events import day_label
from ceremony.export.feeds import FEED_HEADINGS, Feed
from ceremony.model import Programme
from ceremony.model.directory import Directory
from ceremony.slugs import slug
from ceremony.zones import zone


@attrs.frozen(kw_only=True)
class SiteFile:
    """One file of the site, as the manifest lists it."""

    path: str
    bytes: int
    sha256: str
    kind: str
    title: str
    events: int | None = None

    @property
    def etag(self) -> str:
        """A strong ETag for the file's content."""
        return f'"{self.sha256[:32]}"'


def manifest_text(files: Sequence[SiteFile]) -> str:
    """The site's ``manifest.json``: every file with its size, hash, ETag and kind."""
    listing = [
        {
            "path": f.path,
            "bytes": f.bytes,
            "sha256": f.sha256,
            "etag": f.etag,
            "kind": f.kind,
            "title": f.title,
            **({"events": f.events} if f.events is not None else {}),
        }
        for f in files
    ]
    return json.dumps({"files": listing}, ensure_ascii=False, indent=1) + "\n"


_templates = jinja2.Environment(
    loader=jinja2.PackageLoader("ceremony", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)

SECTION_ORDER = ("ceremony", "all", "day", "sport", "delegation", "venue", "athlete")
"""The index page's sections, in order: the ceremonies first, then everything (with the
medal events), days, sports, delegations, venues, athletes; a kind not named here follows."""

_WITH_ALL = frozenset({"all", "medals"})
"""Kinds listed together in the "Everything" section."""

_CEREMONY_WORD = re.compile(r"\b(ceremon(y|ies)|c[ée]r[ée]monies?)\b", re.IGNORECASE)
"""A sport named like this (``Opening Ceremony``, as imported data has it) is a ceremony."""


@attrs.frozen(kw_only=True)
class FeedLinks:
    """The addresses one feed is offered at: to subscribe, to add to an app, to copy."""

    address: str
    """The feed's own ``https://`` (or ``http://``) address: what *Copy link* copies."""
    webcal: str
    google: str
    outlook: str
    """Outlook.com (personal accounts)."""
    office: str
    """Outlook for Microsoft 365 (work and school accounts)."""

    @classmethod
    def of(cls, address: str, name: str) -> FeedLinks:
        """The links of the feed at ``address`` called ``name``, as the page's script makes them."""
        webcal = "webcal://" + address.split("://", 1)[-1]
        added = f"?url={_component(address)}&name={_component(name)}"
        return cls(
            address=address,
            webcal=webcal,
            google="https://calendar.google.com/calendar/render?cid=" + _component(webcal),
            outlook="https://outlook.live.com/calendar/0/addfromweb" + added,
            office="https://outlook.office.com/calendar/0/addfromweb" + added,
        )


def _component(text: str) -> str:
    """``text`` escaped as JavaScript's ``encodeURIComponent`` escapes it."""
    return quote(text, safe="!~*'()")


@attrs.frozen(kw_only=True)
class FeedRow:
    """One feed as the index page lists it."""

    name: str
    """What it is the feed of: ``Para Judo``, ``Saturday 27 July 2024``."""
    title: str
    """The feed's own title (the calendar's name once subscribed)."""
    path: str
    events: int
    code: str | None = None
    """A delegation's code, shown beside its name."""
    detail: str | None = None
    """A line under the name: an athlete's delegation and sports, a ceremony's day."""
    search: str
    """Every word the search box finds the feed by: names, codes, slugs, dates."""
    links: FeedLinks | None = None
    """Absolute links, when the site's address is known; else the page's script makes them."""

    @property
    def events_text(self) -> str:
        """``1 event``, ``1,204 events``."""
        return _count(self.events, "event")


@attrs.frozen(kw_only=True)
class PageSection:
    """A section of the index page: a heading and its feeds."""

    id: str
    heading: str
    rows: tuple[FeedRow, ...]


@attrs.frozen(kw_only=True)
class Choice:
    """One sport or delegation offered by the page's "build your own" form."""

    value: str
    """What the form sends: the value's slug (``para-judo``), or the value itself."""
    name: str
    code: str | None = None


def index_page(
    programme: Programme,
    feeds: Sequence[Feed],
    *,
    base_url: str | None,
    changes: Sequence[str],
    event_count: int,
) -> str:
    """The HTML page listing ``feeds`` by section, with a search box and subscribe buttons.

    Each feed has webcal:, Google Calendar, Outlook, download and copy-link buttons;
    sports and delegations can be combined into one ``feed.ics?...`` subscription where
    the site is served by ``ceremony serve`` (the page asks the server; a static host
    hides that part). ``base_url`` (where the site is served) makes the links absolute;
    without it the page makes them from its own address when opened. ``changes`` is the
    changelog shown.
    """
    sections = page_sections(programme, feeds, base_url=base_url)
    feed_total = sum(len(section.rows) for section in sections)
    base = base_url.rstrip("/") + "/" if base_url else None
    published = None
    if programme.published is not None:
        published = {
            "iso": programme.published.isoformat(),
            "label": day_label(programme.published.astimezone(zone(programme.timezone)).date()),
        }
    builder_name = programme.name + ": your feed"
    return _templates.get_template("site_index.html.j2").render(
        name=programme.name,
        revision=programme.revision,
        published=published,
        sections=sections,
        sports=builder_choices(programme, feeds, "sport"),
        delegations=builder_choices(programme, feeds, "delegation"),
        builder_name=builder_name,
        base_url=base,
        dynamic_feed=(base or "") + "feed.ics",
        changes=list(changes),
        events_text=_count(event_count, "event"),
        feeds_text=_count(feed_total, "feed"),
        search_hint=", ".join(s.heading for s in sections if s.id != "all").capitalize(),
    )


def page_sections(
    programme: Programme, feeds: Sequence[Feed], *, base_url: str | None
) -> list[PageSection]:
    """The page's sections in :data:`SECTION_ORDER`, each feed made a row.

    A sport named as a ceremony (``Opening Ceremony``) is listed with the ceremonies,
    which come in the order they start.
    """
    describe = _Describer(programme, feeds)
    by_section: dict[str, list[Feed]] = {}
    for feed in feeds:
        by_section.setdefault(_section_of(feed), []).append(feed)
    if "ceremony" in by_section:
        by_section["ceremony"].sort(key=lambda feed: describe.day_of.get(feed.key, date.max))
    order = [*SECTION_ORDER, *(kind for kind in by_section if kind not in SECTION_ORDER)]
    return [
        PageSection(
            id=kind,
            heading=FEED_HEADINGS.get(kind, kind.capitalize()),
            rows=tuple(describe.row(feed, base_url) for feed in members),
        )
        for kind in order
        if (members := by_section.get(kind))
    ]


def builder_choices(programme: Programme, feeds: Sequence[Feed], kind: str) -> list[Choice]:
    """The ``kind`` feeds (sports or delegations) the "build your own" form offers.

    A value goes as its slug where no other value of the kind has the same one, so
    ``ceremony serve`` reads it back as that value alone.
    """
    members = [feed for feed in feeds if feed.kind == kind and _section_of(feed) == kind]
    slugs = Counter(slug(feed.key) for feed in members)
    names = Directory.of(programme).delegation_names if kind == "delegation" else {}
    return [
        Choice(
            value=slug(feed.key) if slugs[slug(feed.key)] == 1 else feed.key,
            name=names.get(feed.key, feed.key),
            code=feed.key if kind == "delegation" else None,
        )
        for feed in members
    ]


def _section_of(feed: Feed) -> str:
    if feed.kind in _WITH_ALL:
        return "all"
    if feed.kind == "sport" and _CEREMONY_WORD.search(feed.key):
        return "ceremony"
    return feed.kind


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


class _Describer:
    """Names, details and search words of a programme's feeds, looked up once."""

    def __init__(self, programme: Programme, feeds: Sequence[Feed]) -> None:
        self.programme = programme
        self.directory = Directory.of(programme)
        self.sport_members = {
            feed.key: frozenset(feed.members) for feed in feeds if feed.kind == "sport"
        }
        self.team_of = {
            athlete: delegation.id
            for delegation in programme.delegations
            for athlete in delegation.athletes
        }
        self.day_of: dict[str, date] = {}
        """A ceremony's (or a ceremony-named sport's) first day, at its venue."""
        for ceremony in programme.ceremonies:
            self._first(ceremony.id, self._local_day(ceremony.start, ceremony.venue))
        for _, session in programme.all_sessions():
            if session.start is not None and _CEREMONY_WORD.search(session.sport):
                self._first(session.sport, self._local_day(session.start, session.venue))

    def _first(self, key: str, day: date) -> None:
        self.day_of[key] = min(day, self.day_of.get(key, day))

    def _local_day(self, instant: datetime, venue_id: str | None) -> date:
        return instant.astimezone(zone(self.programme.zone_name(venue_id))).date()

    def row(self, feed: Feed, base_url: str | None) -> FeedRow:
        """The feed as the page lists it."""
        prefix = self.programme.name + ": "
        name = feed.title.removeprefix(prefix) if feed.title != self.programme.name else ""
        if feed.kind == "all":
            name = "All events"
        elif feed.kind == "medals":
            name = "Medal events"
        code, detail, words = None, None, [feed.key, slug(feed.key), feed.path]
        if feed.kind == "delegation":
            code = feed.key
        elif feed.kind == "athlete":
            detail, more = self._athlete(feed)
            words += more
        elif _section_of(feed) == "ceremony" and feed.key in self.day_of:
            detail = day_label(self.day_of[feed.key])
            words.append(detail)
        elif feed.kind == "day":
            words.append(feed.key)
        links = None
        if base_url:
            links = FeedLinks.of(base_url.rstrip("/") + "/" + feed.path, feed.title)
        return FeedRow(
            name=name or feed.title,
            title=feed.title,
            path=feed.path,
            events=len(feed.members),
            code=code,
            detail=detail,
            search=" · ".join(dict.fromkeys([name or feed.title, *words])),
            links=links,
        )

    def _athlete(self, feed: Feed) -> tuple[str | None, list[str]]:
        """An athlete's line (``AZE · Para Swimming``) and the words it is found by."""
        person = self.directory.people.get(feed.key)
        team = (person.delegation if person else None) or self.team_of.get(feed.key)
        members = frozenset(feed.members)
        sports = [sport for sport, held in self.sport_members.items() if held & members]
        if person is not None and person.sport and person.sport not in sports:
            sports.insert(0, person.sport)
        team_name = self.directory.delegation_names.get(team, "") if team else ""
        shown = [part for part in (team, *sports) if part]
        return (" · ".join(shown) or None), [part for part in (team_name, *shown) if part]
