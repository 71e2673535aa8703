"""Cues that cannot be called, department display names, and the ``departments:`` key."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ceremony
from ceremony import Severity
from ceremony.export.sheets import (
    Sheet,
    build_sheet,
    cue_sheet,
    render_html,
    render_markdown,
    render_text,
)
from ceremony.io import dumps, loads
from ceremony.model.cues import (
    DEFAULT_STANDBY_LEAD,
    Call,
    Department,
    department_key,
    department_name,
    pair_standbys,
    standby_lead,
)

from .conftest import EXAMPLES

Show = Callable[[str], ceremony.Programme]
PRINTED = datetime(2024, 8, 27, 12, 0, tzinfo=UTC)
OPENING = EXAMPLES / "paralympic-opening.yaml"

CEREMONY = """\
ceremonies:
  - id: show
    title: Show
    venue: concorde
    start: 2024-08-28T20:00
    segments:
"""


def cue_findings(programme: ceremony.Programme) -> list[ceremony.Finding]:
    wanted = {"go-without-standby", "standby-too-close"}
    return [f for f in ceremony.check(programme) if f.code in wanted]


def sheet(programme: ceremony.Programme) -> Sheet:
    timeline = ceremony.resolve(programme, ceremony=programme.ceremonies[0].id)
    return build_sheet(programme, timeline, printed_at=PRINTED)


class TestGoWithoutStandby:
    def test_go_with_no_standby_is_a_located_warning(self, show: Show) -> None:
        """A GO with no standby before it in its department is a warning at the cue."""
        programme = show(
            CEREMONY + "      - id: a\n"
            "        kind: performance\n"
            "        duration: 10m\n"
            "        cues:\n"
            "          - {department: lighting, label: LX 90, text: Full stage wash}\n"
        )
        [finding] = cue_findings(programme)
        assert finding.severity is Severity.WARNING
        assert finding.code == "go-without-standby"
        assert finding.message == "LX 90 GO in 'a' has no standby before it"
        assert finding.location == "show.yaml:20"
        assert finding.path == ("ceremonies", 0, "segments", 0, "cues", 0)

    def test_standby_of_another_department_does_not_count(self, show: Show) -> None:
        """Sound's standby does not warn lighting."""
        programme = show(
            CEREMONY + "      - id: a\n"
            "        kind: performance\n"
            "        duration: 10m\n"
            "        cues:\n"
            "          - {department: sound, text: Standby sound}\n"
            "          - {department: lighting, when: 5m, text: Go}\n"
        )
        [finding] = cue_findings(programme)
        assert finding.message == "LX GO in 'a' has no standby before it"

    def test_standby_after_the_go_does_not_count(self, show: Show) -> None:
        """A standby called after its GO warns nothing."""
        programme = show(
            CEREMONY + "      - id: a\n"
            "        kind: performance\n"
            "        duration: 10m\n"
            "        cues:\n"
            "          - {department: pyro, label: PYRO 1, when: start, text: Bang}\n"
            "          - {department: pyro, label: PYRO 1, when: 2m, text: Standby bang}\n"
        )
        assert [f.code for f in cue_findings(programme)] == ["go-without-standby"]

    def test_examples_name_lx_and_pyro_gos_without_standby(self) -> None:
        """The opening's LX 90 and PYRO 9 have no standby: check says so (as warnings)."""
        findings = cue_findings(ceremony.load(OPENING))
        messages = [f.message for f in findings]
        assert "LX 90 GO in 'paradoxe' has no standby before it" in messages
        assert "PYRO 9 GO in 'cauldron' has no standby before it" in messages
        assert "SQ 20 GO in 'parade' has no standby before it" in messages
        assert {f.severity for f in findings} == {Severity.WARNING}
        assert all(f.location and f.location.startswith(str(OPENING)) for f in findings)


class TestStandbyLead:
    def test_standby_at_the_same_time_is_too_close(self, show: Show) -> None:
        """PYRO 1's standby at the very moment of its GO is reported at the standby."""
        programme = show(
            CEREMONY + "      - id: a\n"
            "        kind: performance\n"
            "        duration: 10m\n"
            "        cues:\n"
            "          - {department: pyro, label: PYRO 1, when: end, text: Standby fireworks}\n"
            "      - id: b\n"
            "        kind: fireworks\n"
            "        duration: 3m\n"
            "        cues:\n"
            "          - {department: pyro, label: PYRO 1, when: start, text: GO fireworks}\n"
        )
        [finding] = cue_findings(programme)
        assert finding.code == "standby-too-close"
        assert finding.message == (
            "Standby PYRO 1 in 'a' comes 0s before PYRO 1 GO in 'b'; Pyro needs 30s"
        )
        assert finding.path == ("ceremonies", 0, "segments", 0, "cues", 0, "when")
        assert finding.location == "show.yaml:20"

    def test_enough_lead_is_clean(self, show: Show) -> None:
        """A standby 30 s before its GO is enough by default."""
        programme = show(
            CEREMONY + "      - id: a\n"
            "        kind: performance\n"
            "        duration: 10m\n"
            "        cues:\n"
            "          - {department: pyro, label: PYRO 1, when: 9m30s, text: Standby fireworks}\n"
            "          - {department: pyro, label: PYRO 1, when: end, text: GO fireworks}\n"
        )
        assert cue_findings(programme) == []

    def test_lead_is_configurable_per_department(self, show: Show) -> None:
        """departments: pyro: {standby: 1m} makes 30 s too close for pyro only."""
        cues = (
            CEREMONY + "      - id: a\n"
            "        kind: performance\n"
            "        duration: 10m\n"
            "        cues:\n"
            "          - {department: pyro, label: PYRO 1, when: 9m30s, text: Standby bang}\n"
            "          - {department: pyro, label: PYRO 1, when: end, text: Bang}\n"
            "          - {department: lighting, label: LX 1, when: 9m30s, text: Standby wash}\n"
            "          - {department: lighting, label: LX 1, when: end, text: Wash}\n"
        )
        assert cue_findings(show(cues)) == []
        configured = show("departments:\n  pyro: {standby: 1m}\n" + cues)
        [finding] = cue_findings(configured)
        assert finding.message == (
            "Standby PYRO 1 in 'a' comes 30s before PYRO 1 GO in 'a'; Pyro needs 1m"
        )
        relaxed = show("departments:\n  pyro: {standby: 0s}\n" + cues.replace("9m30s", "end"))
        assert [f.message.split(" in ")[0] for f in cue_findings(relaxed)] == ["Standby LX 1"]


class TestPairing:
    def call(self, minute: int, label: str | None, *, standby: bool, dept: str = "lx") -> Call:
        at = datetime(2024, 8, 28, 20, 0, tzinfo=UTC) + timedelta(minutes=minute)
        return Call(department=dept, label=label, standby=standby, at=at)

    def test_paired_by_label(self) -> None:
        """A labelled GO takes the standby with its label, not the latest one."""
        calls = [
            self.call(0, "LX 1", standby=True),
            self.call(1, "LX 2", standby=True),
            self.call(2, "LX 1", standby=False),
            self.call(3, "LX 2", standby=False),
        ]
        assert pair_standbys(calls) == {2: 0, 3: 1}

    def test_labels_match_whatever_the_case_and_spacing(self) -> None:
        """``lx  1`` is ``LX 1``."""
        calls = [self.call(0, "lx  1", standby=True), self.call(2, "LX 1", standby=False)]
        assert pair_standbys(calls) == {1: 0}

    def test_unlabelled_standby_warns_the_next_go(self) -> None:
        """Without a label, a standby warns its department's next GO, and only that one."""
        calls = [
            self.call(0, None, standby=True),
            self.call(2, "LX 90", standby=False),
            self.call(3, "LX 91", standby=False),
        ]
        assert pair_standbys(calls) == {1: 0}

    def test_a_label_of_another_cue_does_not_pair(self) -> None:
        """Standby LX 2 does not warn LX 1."""
        calls = [self.call(0, "LX 2", standby=True), self.call(2, "LX 1", standby=False)]
        assert pair_standbys(calls) == {}

    def test_departments_pair_apart(self) -> None:
        """A standby warns only its own department (``Stage management`` is ``stage-management``)."""
        calls = [
            self.call(0, None, standby=True, dept="Stage management"),
            self.call(1, None, standby=False, dept="sound"),
            self.call(2, None, standby=False, dept="stage-management"),
        ]
        assert pair_standbys(calls) == {2: 0}

    @given(
        st.lists(
            st.tuples(
                st.integers(0, 20),
                st.sampled_from([None, "A", "B"]),
                st.booleans(),
                st.sampled_from(["lx", "pyro"]),
            ),
            max_size=12,
        )
    )
    def test_pairs_are_sound(self, drawn: list[tuple[int, str | None, bool, str]]) -> None:
        """Each GO's standby is in its department, not after it, labelled alike, used once."""
        calls = [self.call(m, label, standby=sb, dept=dept) for m, label, sb, dept in drawn]
        pairs = pair_standbys(calls)
        assert len(set(pairs.values())) == len(pairs)
        for go, standby in pairs.items():
            assert not calls[go].standby
            assert calls[standby].standby
            assert calls[standby].department == calls[go].department
            assert calls[standby].at <= calls[go].at
            assert calls[standby].label in (None, calls[go].label)
        for go, call in enumerate(calls):
            waiting = [
                i
                for i, other in enumerate(calls)
                if other.standby
                and other.department == call.department
                and other.at < call.at
                and other.label is None
                and i not in pairs.values()
            ]
            if not call.standby and go not in pairs:
                assert waiting == []  # an unused unlabelled standby would have warned it


class TestDepartmentNames:
    def test_defaults_for_common_ids(self) -> None:
        """Lighting is LX, stage-management Stage management; others their id in words."""
        assert department_name("lighting") == "LX"
        assert department_name("Stage_Management") == "Stage management"
        assert department_name("sound") == "Sound"
        assert department_name("pyro") == "Pyro"
        assert department_name("follow-spots") == "Follow spots"

    def test_configured_name_wins(self) -> None:
        """departments: lighting: {name: Lights} renames lighting, by any spelling."""
        departments = {"Lighting": Department(name="Lights")}
        assert department_name("lighting", departments) == "Lights"
        assert department_name("sound", departments) == "Sound"
        assert department_key(" Stage  Management ") == "stage-management"

    def test_lead_defaults_to_30s(self) -> None:
        """A department without a standby of its own needs 30 s."""
        assert standby_lead("video") == DEFAULT_STANDBY_LEAD == timedelta(seconds=30)
        assert standby_lead("video", {"video": Department(name="VT")}) == DEFAULT_STANDBY_LEAD

    def test_generated_standby_label_takes_its_gos(self, show: Show) -> None:
        """An unlabelled standby reads ``Standby LX 90``, not ``Standby lighting``."""
        programme = show(
            CEREMONY + "      - id: a\n"
            "        kind: performance\n"
            "        duration: 10m\n"
            "        cues:\n"
            "          - {department: lighting, when: 8m, text: Standby the wash}\n"
            "          - {department: lighting, label: LX 90, when: end, text: Wash}\n"
            "          - {department: stage-management, when: 9m, text: Standby flag party}\n"
        )
        cues = sheet(programme).rows[0].cues
        assert [cue.wording for cue in cues] == [
            "Standby LX 90",
            "Standby Stage management",
            "LX 90 GO",
        ]
        assert str(cues[1]).endswith(
            "Standby Stage management [Stage management]: Standby flag party"
        )

    def test_names_on_sheets(self, show: Show) -> None:
        """Cue sheets' titles, the run-of-show's cue column and feet use the display name."""
        programme = show(
            "departments:\n  lighting: {name: Lights}\n" + CEREMONY + "      - id: a\n"
            "        kind: performance\n"
            "        duration: 10m\n"
            "        cues:\n"
            "          - {department: lighting, label: L 1, when: 5m, text: Standby wash}\n"
            "          - {department: lighting, label: L 1, when: end, text: Wash}\n"
        )
        made = sheet(programme)
        lights = cue_sheet(made, "Lights")
        assert lights.department == "lighting"
        assert lights.header.document == "Lights cue sheet"
        assert "LIGHTS CUE SHEET" in render_text(lights)
        assert '<span class="dept">Lights</span>' in render_html(made)
        assert r"\[Lights\]" in render_markdown(made)
        assert "lighting" not in render_text(lights).split("=" * 10)[-1]

    def test_opening_pyro_sheet(self) -> None:
        """The opening's pyro sheet is titled Pyro and says it has 2 cues and 1 standby."""
        programme = ceremony.load(OPENING)
        pyro = cue_sheet(sheet(programme), "pyro")
        assert pyro.header.document == "Pyro cue sheet"
        assert (pyro.go_count, pyro.standby_count) == (2, 1)
        assert render_text(pyro).rstrip().endswith("2 Pyro cues (and 1 standby).")
        assert "2 Pyro cues (and 1 standby)." in render_html(pyro)
        assert render_markdown(pyro).rstrip().endswith("2 Pyro cues (and 1 standby).")


class TestCounts:
    def test_counts_count_gos(self, show: Show) -> None:
        """One GO is ``1 Sound cue.``; standbys are counted apart, in the plural as needed."""
        body = (
            CEREMONY + "      - id: a\n"
            "        kind: performance\n"
            "        duration: 10m\n"
            "        cues:\n"
            "          - {department: sound, label: SQ 1, when: 1m, text: Standby music}\n"
            "          - {department: sound, label: SQ 1, when: 2m, text: Music}\n"
        )
        one = cue_sheet(sheet(show(body)), "sound")
        assert one.count_text == "1 Sound cue (and 1 standby)."
        only_go = cue_sheet(sheet(show(body.replace("Standby music", "More music"))), "sound")
        assert only_go.count_text == "2 Sound cues."
        standbys = body.replace("text: Music", "text: Standby again")
        assert cue_sheet(sheet(show(standbys)), "sound").count_text == (
            "0 Sound cues (and 2 standbys)."
        )


class TestDepartmentsKey:
    BODY = (
        "departments:\n"
        "  lighting: {name: LX, standby: 30s}\n"
        "  pyro: {name: Pyro, standby: 1m}\n"
        "  sound: {}\n"
    )

    def test_read(self, show: Show) -> None:
        """Each department's name and standby lead are read."""
        programme = show(self.BODY)
        assert programme.departments == {
            "lighting": Department(name="LX", standby=timedelta(seconds=30)),
            "pyro": Department(name="Pyro", standby=timedelta(minutes=1)),
            "sound": Department(),
        }

    @pytest.mark.parametrize("syntax", ["yaml", "json", "toml"])
    def test_round_trip(self, show: Show, syntax: str) -> None:
        """departments: survives a dump and a load in every syntax."""
        programme = show(self.BODY)
        text = dumps(programme, syntax)  # type: ignore[arg-type]
        assert loads(text, syntax) == programme  # type: ignore[arg-type]
        assert "departments" in text

    def test_absent_is_not_written(self, show: Show) -> None:
        """A programme without departments: writes no departments key."""
        assert "departments" not in dumps(show(""), "yaml")

    @given(
        st.dictionaries(
            st.sampled_from(["lighting", "pyro", "sound", "stage-management", "follow spots"]),
            st.builds(
                Department,
                name=st.none() | st.text(st.characters(categories=["L", "N"]), min_size=1),
                standby=st.none() | st.integers(0, 3600).map(lambda s: timedelta(seconds=s)),
            ),
        ),
        st.sampled_from(["yaml", "json", "toml"]),
    )
    def test_round_trip_property(self, departments: dict[str, Department], syntax: str) -> None:
        """Any departments: come back as they were written."""
        programme = ceremony.Programme(name="P", departments=departments)
        text = dumps(programme, syntax)  # type: ignore[arg-type]
        assert loads(text, syntax).departments == departments  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("body", "line", "message"),
        [
            ("departments: [lighting]\n", 10, "departments: expected a mapping, got a list"),
            (
                "departments:\n  lighting: {standby: -3m}\n",
                11,
                'departments.lighting.standby: "-3m" is not a duration',
            ),
            (
                "departments:\n  lighting: {standby: 5}\n",
                11,
                "departments.lighting.standby: 5 has no unit",
            ),
            (
                "departments:\n  lighting: {nme: LX}\n",
                11,
                "departments.lighting.nme: unknown key 'nme' (did you mean 'name'?)",
            ),
            ("departments:\n  lighting: LX\n", 11, "departments.lighting: expected a mapping"),
            (
                "departments:\n  lighting: {}\n  Lighting: {name: Lights}\n",
                12,
                "departments.Lighting: 'Lighting' is the department 'lighting' again",
            ),
            (
                'departments:\n  lighting: {name: "a\\nb"}\n',
                11,
                "departments.lighting.name: a name is one line",
            ),
        ],
    )
    def test_bad_values_are_located(self, show: Show, body: str, line: int, message: str) -> None:
        """A bad departments: value is an error naming the file, the line and the path."""
        with pytest.raises(ceremony.ShowFileError) as caught:
            show(body)
        text = str(caught.value)
        assert f"show.yaml:{line}: {message}" in text
        assert caught.value.line == line

    def test_model_refuses_bad_values(self) -> None:
        """The constructor refuses what the loader refuses, naming the path."""
        with pytest.raises(ceremony.ModelError, match="standby: -24h is negative"):
            Department(standby=timedelta(-1))
        with pytest.raises(ceremony.ModelError, match=r"departments\.lighting"):
            ceremony.Programme(name="P", departments={"lighting": "LX"})  # type: ignore[dict-item]
        with pytest.raises(ceremony.ModelError, match="may not be empty"):
            ceremony.Programme(name="P", departments={" ": Department()})


class TestLiveScreens:
    def test_live_state_names_departments(self, show: Show, tmp_path: Path) -> None:
        """The live state's cues carry the display name beside the id."""
        pytest.importorskip("starlette")
        from ceremony.live.show import LiveShow  # noqa: PLC0415 - the live extra

        programme = show(
            "departments:\n  lighting: {name: Lights}\n" + CEREMONY + "      - id: a\n"
            "        kind: performance\n"
            "        duration: 10m\n"
            "        cues:\n"
            "          - {department: lighting, label: L 1, when: end, text: Wash}\n"
        )
        live = LiveShow(programme, tmp_path / "actuals.yaml")
        cues = live.state(datetime(2024, 8, 28, 18, 0, tzinfo=UTC))["cues"]
        assert [(c["department"], c["department_name"]) for c in cues] == [("lighting", "Lights")]

    def test_cue_screen_shows_the_name(self) -> None:
        """/cues/lighting is headed LX, not the raw id."""
        pytest.importorskip("starlette")
        from starlette.applications import Starlette  # noqa: PLC0415 - the live extra
        from starlette.requests import Request  # noqa: PLC0415

        from ceremony.live.screens import cues  # noqa: PLC0415

        scope = {
            "type": "http",
            "method": "GET",
            "path": "/cues/lighting",
            "path_params": {"department": "lighting"},
            "query_string": b"",
            "headers": [],
            "app": Starlette(),
        }
        page = bytes(asyncio.run(cues(Request(scope))).body).decode()
        assert '<h1 class="department">LX</h1>' in page
        assert 'data-department="lighting"' in page
        assert "Cues: LX" in page
