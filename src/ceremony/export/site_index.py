"""What a feed site says of itself: its index page (subscribe links) and its manifest."""

from __future__ import annotations

import json
from collections.abc import Sequence
from urllib.parse import quote

import attrs
import jinja2

from ceremony.export.feeds import FEED_HEADINGS, FEED_KINDS, Feed
from ceremony.model import Programme


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
)


def index_page(
    programme: Programme,
    feeds: Sequence[Feed],
    *,
    base_url: str | None,
    changes: Sequence[str],
    event_count: int,
) -> str:
    """The HTML page listing ``feeds`` by kind, with download, webcal: and Google links.

    ``base_url`` (where the site is served) makes the links absolute; without it the page
    makes them from its own address when opened. ``changes`` is the changelog shown.
    """
    groups = []
    for kind in FEED_KINDS:
        members = [feed for feed in feeds if feed.kind == kind]
        if not members:
            continue
        rows = []
        for feed in members:
            webcal = google = None
            if base_url:
                address = base_url.rstrip("/") + "/" + feed.path
                webcal = "webcal://" + address.split("://", 1)[-1]
                google = "https://calendar.google.com/calendar/render?cid=" + quote(webcal, safe="")
            rows.append(
                {
                    "label": feed.title.removeprefix(programme.name + ": ") or feed.title,
                    "path": feed.path,
                    "events": len(feed.members),
                    "webcal": webcal,
                    "google": google,
                }
            )
        heading = FEED_HEADINGS[kind]
        groups.append({"kind": kind, "heading": heading, "feeds": rows, "count": len(rows)})
    return _templates.get_template("site_index.html.j2").render(
        name=programme.name,
        revision=programme.revision,
        published=programme.published.isoformat() if programme.published else None,
        groups=groups,
        base_url=base_url,
        changes=list(changes),
        event_count=event_count,
    )
