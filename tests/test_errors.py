"""One error tree: every error a public function raises is a CeremonyError.

Where callers used to catch a built-in type (``KeyError``, ``ValueError``, ``OSError``),
the error is that type too, so ``except KeyError`` and ``except ValueError`` still work.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

import ceremony
from ceremony import errors
from ceremony.cli import main
from ceremony.durations import parse_duration
from ceremony.errors import (
    CeremonyError,
    DurationError,
    FilterError,
    ModelError,
    PublishStateError,
    ShowFileError,
    TimingError,
    UnknownIdError,
    WriteError,
    ZoneError,
)
from ceremony.export.sheets import build_sheet, render_sheet
from ceremony.io.actualsfile import parse_time
from ceremony.publishing import loads_state
from ceremony.zones import localize, zone

from .conftest import EXAMPLES, HEAD

Show = Callable[[str], ceremony.Programme]

TWO = """\
ceremonies:
  - id: opening
    title: Opening
    venue: concorde
    start: 2024-08-28T20:00
    segments:
      - {id: welcome, kind: speech, duration: 10m}
  - id: closing
    title: Closing
    venue: concorde
    start: 2024-09-08T20:00
    segments:
      - {id: farewell, kind: speech, duration: 10m}
"""


def raised(call: Callable[[], object], *builtins: type[BaseException]) -> CeremonyError:
    """The CeremonyError ``call`` raises, checked to be each of ``builtins`` too."""
    with pytest.raises(CeremonyError) as caught:
        call()
    for builtin in builtins:
        assert isinstance(caught.value, builtin), (type(caught.value), builtin)
    return caught.value


class TestUnknownIds:
    def test_unknown_ceremony_in_resolve(self, show: Show) -> None:
        error = raised(lambda: ceremony.resolve(show(TWO), ceremony="nope"), KeyError)
        assert isinstance(error, UnknownIdError)
        assert str(error) == "no ceremony 'nope' (ceremonies: opening, closing)"

    def test_unknown_ceremony_in_programme(self, show: Show) -> None:
        error = raised(lambda: show(TWO).ceremony("nope"), KeyError)
        assert str(error) == "no ceremony 'nope' (ceremonies: opening, closing)"
        assert error.args[0] == str(error)

    def test_unknown_item_in_timeline(self, show: Show) -> None:
        timeline = ceremony.resolve(show(TWO), ceremony="opening")
        error = raised(lambda: timeline.slot("nope"), KeyError, UnknownIdError)
        assert "'nope'" in str(error)

    def test_several_ceremonies_and_none_chosen(self, show: Show) -> None:
        error = raised(lambda: ceremony.resolve(show(TWO)))
        assert "several ceremonies" in str(error)

    def test_programme_ceremony_without_an_id(self, show: Show) -> None:
        """Programme.ceremony() picks the only ceremony; with several it names them."""
        programme = show(TWO)
        only = attrs.evolve(programme, ceremonies=programme.ceremonies[:1])
        assert only.ceremony() is only.ceremonies[0]
        error = raised(programme.ceremony)
        assert isinstance(error, TimingError)
        assert str(error) == "the programme has several ceremonies; pick one of: opening, closing"
        none = attrs.evolve(programme, ceremonies=())
        assert (
            str(raised(none.ceremony)) == "the programme has several ceremonies; pick one of: none"
        )


class TestBadArguments:
    @pytest.mark.parametrize("text", ["sport", "planet=Mars", "sport= "])
    def test_bad_filter(self, text: str) -> None:
        error = raised(lambda: ceremony.FeedFilter.parse(text), ValueError, FilterError)
        assert str(error)

    def test_bad_filter_mapping(self) -> None:
        raised(lambda: ceremony.FeedFilter.of({"planet": ["Mars"]}), ValueError, FilterError)

    @pytest.mark.parametrize(
        ("settings", "message"),
        [
            ({"refresh": timedelta(0)}, "the refresh interval must be positive"),
            ({"domain": "a b"}, "'a b' is not a domain name"),
        ],
    )
    def test_bad_feed_settings(self, settings: dict[str, object], message: str) -> None:
        error = raised(lambda: ceremony.FeedSettings(**settings), ValueError)  # type: ignore[arg-type]
        assert str(error) == message

    @pytest.mark.parametrize("name", ["Mars/Olympus", "+02:00", "", "UTC+2"])
    def test_bad_zone(self, name: str) -> None:
        raised(lambda: zone(name), ValueError, ModelError, ZoneError)

    def test_wall_clock_time_that_does_not_exist(self) -> None:
        gap = datetime(2024, 3, 31, 2, 30)  # a wall-clock time in the spring-forward gap
        raised(lambda: localize(gap, zone("Europe/Paris")), ValueError, ZoneError)

    def test_bad_zone_in_a_model_constructor(self) -> None:
        error = raised(lambda: ceremony.Programme(name="x", timezone="Mars/Olympus"), ValueError)
        assert isinstance(error, ModelError)
        assert "'Mars/Olympus' is not a known IANA time zone" in str(error)

    @pytest.mark.parametrize("value", ["soon", "-5m", "", "99999d", 5])
    def test_bad_duration(self, value: object) -> None:
        raised(lambda: parse_duration(value), ValueError, DurationError)  # type: ignore[arg-type]

    def test_bad_time(self, show: Show) -> None:
        programme = show(TWO)
        raised(lambda: parse_time("soon", programme, "opening"), ValueError)
        raised(lambda: parse_time("22:10", programme))  # which ceremony?
        raised(lambda: parse_time("22:10", programme, "nope"), KeyError)

    def test_unknown_sheet_format(self) -> None:
        programme = ceremony.load(EXAMPLES / "paralympic-opening.yaml")
        timeline = ceremony.resolve(programme)
        sheet = build_sheet(programme, timeline, printed_at=programme.ceremonies[0].start)
        raised(lambda: render_sheet(sheet, "docx"), ValueError)  # type: ignore[arg-type]

    def test_unknown_syntax(self) -> None:
        programme = ceremony.load(EXAMPLES / "paralympic-opening.yaml")
        raised(lambda: ceremony.dumps(programme, "xml"), ValueError)  # type: ignore[arg-type]


class TestFiles:
    def test_actuals_without_ceremony_for_two_ceremonies(self, show: Show) -> None:
        """Was a bare TimingError without file or line."""
        programme = show(TWO)
        text = "marks:\n  - {item: welcome, edge: start, at: '20:00'}\n"
        with pytest.raises(ShowFileError) as caught:
            ceremony.loads_actuals(text, "yaml", programme, file="show.actuals.yaml")
        assert caught.value.file == "show.actuals.yaml"
        assert caught.value.line == 1
        assert str(caught.value) == (
            "show.actuals.yaml:1: the programme has several ceremonies; "
            "pick one of: opening, closing"
        )

    def test_actuals_for_an_unknown_ceremony(self, show: Show) -> None:
        text = "marks: []\nceremony: nope\n"
        with pytest.raises(ShowFileError) as caught:
            ceremony.loads_actuals(text, "yaml", show(TWO), file="show.actuals.yaml")
        assert str(caught.value) == (
            "show.actuals.yaml:2: no ceremony 'nope' (ceremonies: opening, closing)"
        )

    def test_cli_actuals_without_ceremony(self, tmp_path: Path) -> None:
        show_file = tmp_path / "show.yaml"
        show_file.write_text(HEAD + TWO, encoding="utf-8")
        actuals = tmp_path / "show.actuals.yaml"
        actuals.write_text("marks: []\n", encoding="utf-8")
        result = CliRunner().invoke(
            main, ["timeline", str(show_file), "--actuals", str(actuals)], catch_exceptions=False
        )
        assert result.exit_code == 2
        assert result.stderr == (
            f"error: {actuals}:1: the programme has several ceremonies; "
            "pick one of: opening, closing\n"
        )

    @pytest.mark.parametrize("text", ["{", '{"format": 1, "records": 5}', "[]"])
    def test_broken_publish_state(self, text: str) -> None:
        error = raised(lambda: loads_state(text, file="feed.ics.state.json"))
        assert isinstance(error, PublishStateError)
        assert str(error).startswith("feed.ics.state.json")

    @pytest.mark.parametrize(
        "manifest", ["{", '{"files": [{"path": "gone.ics", "etag": "x"}]}', '{"no": 1}']
    )
    def test_damaged_site(self, tmp_path: Path, manifest: str) -> None:
        from ceremony.serve import create_app  # noqa: PLC0415 - needs the serve extra

        (tmp_path / "manifest.json").write_text(manifest, encoding="utf-8")
        raised(lambda: create_app(tmp_path))


class TestTree:
    def test_old_homes_still_work(self) -> None:
        """The classes are also importable from where they were first defined."""
        from ceremony.io.atomic import WriteError as AtomicWriteError  # noqa: PLC0415
        from ceremony.publishing import PublishStateError as Published  # noqa: PLC0415

        assert AtomicWriteError is WriteError
        assert Published is PublishStateError is ceremony.PublishStateError
        assert issubclass(WriteError, OSError)

    def test_the_drawing_names_every_error(self) -> None:
        """errors.py's docstring draws every CeremonyError subclass in the package."""
        drawing = errors.__doc__ or ""
        found: set[str] = set()
        for module_info in pkgutil.walk_packages(ceremony.__path__, "ceremony."):
            if module_info.name == "ceremony.__main__":
                continue
            module = importlib.import_module(module_info.name)
            for name, value in inspect.getmembers(module, inspect.isclass):
                if issubclass(value, CeremonyError) and value.__module__.startswith("ceremony"):
                    found.add(name)
        assert {"CeremonyError", "ModelError", "WriteError"} <= found
        missing = sorted(name for name in found if name not in drawing)
        assert not missing, f"not in the drawing of errors.py: {missing}"

    def test_exported(self) -> None:
        for name in ("UnknownIdError", "FilterError", "ZoneError", "DurationError", "WriteError"):
            assert getattr(ceremony, name) is getattr(errors, name)


CYCLE = """\
ceremonies:
  - id: show
    title: Show
    venue: concorde
    start: 2024-08-28T20:00
    segments:
      - {id: a, kind: speech, start: {after: b}, duration: 1m}
      - {id: b, kind: speech, start: {after: a}, duration: 1m}
"""


class TestLocated:
    """Errors and findings carry file, line and path; the text reads as it always did."""

    def test_timing_error_from_a_loaded_file_is_located(self, show: Show) -> None:
        with pytest.raises(TimingError) as caught:
            ceremony.resolve(show(CYCLE))
        error = caught.value
        assert error.item == "a"
        assert error.path == ("ceremonies", 0, "segments", 0, "start")
        assert error.file == "show.yaml"
        assert error.line == 16
        assert error.message == "the starts of a -> b -> a depend on each other (a cycle)"
        assert str(error) == f"show.yaml:16: ceremonies[0].segments[0].start: {error.message}"

    def test_timing_error_of_a_programme_in_code_has_its_path_only(self, show: Show) -> None:
        programme = attrs.evolve(show(CYCLE), source=None)  # as if built in code
        with pytest.raises(TimingError) as caught:
            ceremony.Rundown(programme)
        assert caught.value.path == ("ceremonies", 0, "segments", 0, "start")
        assert (caught.value.file, caught.value.line) == (None, None)
        assert str(caught.value) == caught.value.message

    def test_timing_error_of_a_bare_ceremony_is_not_located(self, show: Show) -> None:
        with pytest.raises(TimingError) as caught:
            ceremony.resolve(show(CYCLE).ceremonies[0])
        assert (caught.value.path, caught.value.file, caught.value.line) == ((), None, None)
        assert str(caught.value) == caught.value.message

    def test_live_timing_error_is_located(self, show: Show) -> None:
        programme = show(TWO)
        rundown = ceremony.Rundown(programme, ceremony="opening")
        with pytest.raises(TimingError) as caught:
            rundown.resolve(ceremony.Actuals(ceremony="closing"))
        assert caught.value.path == ("ceremonies", 1, "start")
        assert str(caught.value) == (
            "show.yaml:20: ceremonies[1].start: the actuals are for 'closing', not 'opening'"
        )

    def test_finding_is_located(self, show: Show) -> None:
        [finding] = ceremony.check(show(CYCLE))
        assert finding.path == ("ceremonies", 0, "segments", 0, "start")
        assert (finding.file, finding.line) == ("show.yaml", 16)
        assert finding.location == "show.yaml:16"
        assert str(finding) == (
            "show.yaml:16: ceremonies[0].segments[0].start: error: the starts of a -> b -> a "
            "depend on each other (a cycle) [timing]"
        )

    def test_finding_location_follows_file_and_line(self) -> None:
        finding = ceremony.Finding(
            severity=ceremony.Severity.WARNING, code="c", message="m", file="f.yaml", line=3
        )
        assert finding.location == "f.yaml:3"
        assert str(finding) == "f.yaml:3: warning: m [c]"
        bare = ceremony.Finding(severity=ceremony.Severity.WARNING, code="c", message="m")
        assert bare.location is None
        assert str(bare) == "<programme>: warning: m [c]"

    def test_cli_prints_the_located_error(self, tmp_path: Path) -> None:
        path = tmp_path / "show.yaml"
        path.write_text(HEAD + CYCLE, encoding="utf-8")
        result = CliRunner().invoke(main, ["timeline", str(path)], catch_exceptions=False)
        assert result.exit_code == 2
        assert result.stderr == (
            f"error: {path}:16: ceremonies[0].segments[0].start: the starts of a -> b -> a "
            "depend on each other (a cycle)\n"
        )
