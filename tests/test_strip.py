"""The timeline strip: labels for every item, none overlapping, a legend, whiskers, now."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

import ceremony
from ceremony.export.sheets import Sheet, Strip, build_sheet, render_html
from ceremony.export.sheets.html import render_strip
from ceremony.export.sheets.strip import FONT_SIZE, MAX_LABEL_ROWS, PRINTED_WIDTH
from ceremony.io.actualsfile import load_actuals

from .conftest import EXAMPLES, SHOW_FILES

Show = Callable[[str], ceremony.Programme]
PRINTED = datetime(2024, 8, 27, 12, 0, tzinfo=UTC)
OPENING = EXAMPLES / "paralympic-opening.yaml"
CEREMONIES = [path for path in SHOW_FILES if ceremony.load(path).ceremonies]

CEREMONY = """\
ceremonies:
  - id: show
    title: Show
    venue: concorde
    start: 2024-08-28T20:00
    hard_out: 2024-08-28T21:30
    segments:
"""


def sheet_of(programme: ceremony.Programme, **options: object) -> Sheet:
    timeline = ceremony.resolve(programme, ceremony=programme.ceremonies[0].id)
    return build_sheet(programme, timeline, printed_at=PRINTED, **options)  # type: ignore[arg-type]


def strip_of(programme: ceremony.Programme, **options: object) -> Strip:
    strip = sheet_of(programme, **options).strip
    assert strip is not None
    return strip


def strips() -> list[tuple[str, Strip]]:
    """Every example ceremony's strip, on each paper and orientation, and with changes."""
    found = []
    for path in CEREMONIES:
        programme = ceremony.load(path)
        for ceremony_item in programme.ceremonies:
            timeline = ceremony.resolve(programme, ceremony=ceremony_item.id)
            for paper, orientation in PRINTED_WIDTH:
                made = build_sheet(
                    programme,
                    timeline,
                    printed_at=PRINTED,
                    paper=paper,
                    orientation=orientation,
                )
                assert made.strip is not None
                found.append((f"{path.name}:{ceremony_item.id}:{paper}-{orientation}", made.strip))
    revised = ceremony.load(EXAMPLES / "paralympic-opening-r2.yaml")
    found.append(("r2-since-r1", strip_of(revised, since=ceremony.load(OPENING))))
    return found


def many_short_items(count: int, minutes: int = 1) -> str:
    return CEREMONY + "".join(
        f"      - {{id: s{n}, kind: speech, duration: {minutes}m}}\n" for n in range(count)
    )


class TestLabels:
    def test_narrow_items_are_labelled(self, show: Show) -> None:
        """Every item has its number on the strip, inside its bar or under it with a leader."""
        strip = strip_of(
            show(many_short_items(3) + "      - {id: long, kind: speech, duration: 80m}\n")
        )
        assert [bar.tag.text for bar in strip.bars if bar.tag] == ["1", "2", "3", "4"]
        narrow, wide = strip.bars[0], strip.bars[3]
        assert narrow.tag is not None and narrow.tag.leader is not None
        assert narrow.tag.y > narrow.y + narrow.height  # under the bar
        x1, y1, _, y2 = narrow.tag.leader
        assert narrow.x <= x1 <= narrow.x + narrow.width
        assert y1 == narrow.y + narrow.height and y2 == narrow.tag.y
        assert wide.tag is not None and wide.tag.leader is None
        assert wide.x <= wide.tag.x and wide.tag.x + wide.tag.width <= wide.x + wide.width

    def test_crowded_labels_take_more_rows(self, show: Show) -> None:
        """Ninety one-minute items: every number written, none over another."""
        strip = strip_of(show(many_short_items(90)))
        tags = [bar.tag for bar in strip.bars]
        assert all(tag is not None for tag in tags)
        assert len({tag.y for tag in tags if tag is not None}) > 1
        assert not _overlapping(strip)

    def test_hundreds_of_items_keep_the_strip_short(self, show: Show) -> None:
        """600 one-minute items: at most four rows of labels, none overlapping, the rest left out."""
        strip = strip_of(show(many_short_items(600)))
        tops = {bar.tag.y for bar in strip.bars if bar.tag is not None}
        assert len(tops) == MAX_LABEL_ROWS
        assert 0 < sum(bar.tag is None for bar in strip.bars) < 600
        assert not _overlapping(strip)
        assert strip.height < 120
        assert all(bar.title.startswith(f"{bar.label}. ") for bar in strip.bars)

    @pytest.mark.parametrize("strip", [pytest.param(strip, id=name) for name, strip in strips()])
    def test_no_two_labels_overlap_on_the_examples(self, strip: Strip) -> None:
        """On every example, paper and orientation, no label box overlaps another."""
        assert not _overlapping(strip)
        assert all(bar.tag is not None for bar in strip.bars)
        for label in strip.labels:
            assert -strip.left <= label.x and label.x + label.width <= strip.width + strip.right

    def test_strip_is_as_wide_as_the_printed_page(self, show: Show) -> None:
        """Units are points at print size: the SVG is the printed width and its text 8 pt."""
        strip = strip_of(show(many_short_items(3)), orientation="portrait")
        assert strip.left + strip.width + strip.right == pytest.approx(
            PRINTED_WIDTH["A4", "portrait"]
        )
        svg = render_strip(sheet_of(show(many_short_items(3)), orientation="portrait"))
        assert f'font-size="{FONT_SIZE}"' in svg
        sizes = [float(size) for size in re.findall(r'font-size="([\d.]+)"', svg)]
        assert min(sizes) >= 8

    def test_hostile_titles_are_text(self, show: Show) -> None:
        """An act's title is escaped in the strip."""
        strip_svg = render_strip(
            sheet_of(
                show(
                    CEREMONY
                    + "      - id: act\n        kind: act\n        title: <b>bold</b> act\n"
                    "        segments:\n          - {id: a, kind: speech, duration: 60m}\n"
                )
            )
        )
        assert "<b>" not in strip_svg and "&lt;b&gt;" in strip_svg


class TestShading:
    def test_neighbours_on_a_lane_differ(self, show: Show) -> None:
        """Items alternate light and dark in item order on each lane, whatever other lanes hold."""
        programme = show(
            CEREMONY + "      - {id: a, kind: speech, duration: 10m}\n"
            "      - {id: b, kind: speech, duration: 10m}\n"
            "      - {id: side, kind: speech, track: air, start: {with: b}, duration: 2m}\n"
            "      - {id: c, kind: speech, duration: 10m}\n"
            "      - {id: d, kind: speech, duration: 10m}\n"
        )
        strip = strip_of(programme)
        main = [bar.dark for bar in strip.bars if bar.lane == 0]
        assert main == [False, True, False, True]
        assert [bar.dark for bar in strip.bars if bar.lane == 1] == [False]

    def test_acts_are_banded(self, show: Show) -> None:
        """An act is a band behind its items, titled."""
        strip = strip_of(
            show(
                CEREMONY + "      - id: act\n        kind: act\n        title: First act\n"
                "        segments:\n          - {id: a, kind: speech, duration: 60m}\n"
            )
        )
        [band] = strip.bands
        assert band.title == "First act"
        assert band.tag is not None and band.tag.text == "First act"


class TestLegend:
    def test_only_marks_that_appear(self, show: Show) -> None:
        """A plain show's legend explains items and the hard out, nothing it does not show."""
        strip = strip_of(show(many_short_items(3)))
        assert [entry.mark for entry in strip.legend] == ["items", "hard_out"]

    def test_every_mark_when_shown(self, show: Show) -> None:
        """Acts, hard starts and ranges each add their entry."""
        programme = show(
            CEREMONY + "      - id: act\n        kind: act\n        title: Act\n"
            "        segments:\n"
            "          - {id: a, kind: speech, duration: {min: 5m, max: 15m}}\n"
            "      - {id: b, kind: speech, start: '20:30', duration: 10m}\n"
        )
        marks = [entry.mark for entry in strip_of(programme).legend]
        assert marks == ["items", "act", "hard", "range", "hard_out"]

    def test_changed_mark_with_change_marks(self) -> None:
        """With change marks, changed items are explained."""
        revised = ceremony.load(EXAMPLES / "paralympic-opening-r2.yaml")
        strip = strip_of(revised, since=ceremony.load(OPENING))
        assert "changed" in [entry.mark for entry in strip.legend]
        assert "changed" not in [entry.mark for entry in strip_of(revised).legend]

    def test_legend_is_drawn(self) -> None:
        """Each legend entry's words are in the SVG."""
        svg = render_html(sheet_of(ceremony.load(OPENING)))
        for words in ("items, shaded in turn", "act", "earliest–latest end", "hard out"):
            assert f">{words}</text>" in svg


class TestWhiskers:
    def test_ranged_item_has_a_whisker(self, show: Show) -> None:
        """An item whose length is a range whiskers from its earliest to its latest end."""
        programme = show(
            CEREMONY + "      - {id: a, kind: speech, duration: {min: 5m, max: 15m}}\n"
            "      - {id: b, kind: speech, duration: 10m}\n"
        )
        strip = strip_of(programme)
        ranged, after = strip.bars
        assert ranged.whisker is not None
        start, end = ranged.whisker
        per_minute = strip.width / 90
        assert start == pytest.approx(5 * per_minute, abs=0.01)
        assert end == pytest.approx(15 * per_minute, abs=0.01)
        assert after.whisker is None  # it only moves with the range before it

    def test_exact_items_have_none(self, show: Show) -> None:
        """Items of exact length draw no whisker."""
        assert all(bar.whisker is None for bar in strip_of(show(many_short_items(3))).bars)


class TestNow:
    def test_live_sheet_has_a_now_line(self) -> None:
        """A live sheet's strip draws now where its clock falls, labelled."""
        programme = ceremony.load(OPENING)
        actuals = load_actuals(EXAMPLES / "paralympic-opening.actuals.yaml", programme)
        now = datetime(2024, 8, 28, 19, 0, tzinfo=UTC)  # 21:00 in Paris
        timeline = ceremony.resolve(programme, actuals=actuals, now=now)
        strip = build_sheet(programme, timeline, printed_at=now).strip
        assert strip is not None and strip.now is not None
        span = max(timeline.end.latest, timeline.hard_out or timeline.start) - timeline.start
        expected = (now - timeline.start) / span * strip.width
        assert strip.now == pytest.approx(expected, abs=0.01)
        assert strip.now_label == "21:00"
        assert "now" in [entry.mark for entry in strip.legend]
        assert any(mark.text == "NOW 21:00" for mark in strip.marks)
        assert not _overlapping(strip)

    def test_plan_has_no_now_line(self) -> None:
        """A plan has no now."""
        strip = strip_of(ceremony.load(OPENING))
        assert strip.now is None
        assert "now" not in [entry.mark for entry in strip.legend]


def _overlapping(strip: Strip) -> list[tuple[str, str]]:
    return [
        (one.text, other.text)
        for one, other in itertools.combinations(strip.labels, 2)
        if one.overlaps(other)
    ]
