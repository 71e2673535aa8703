"""Optional parts as extras: a fast start without them, a clear error when one is missing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ceremony.cli import COMMANDS, LazyCommand, LazyGroup, main
from ceremony.errors import CeremonyError, MissingExtraError
from ceremony.extras import DISTRIBUTION, EXTRAS, needs_extra

from .conftest import EXAMPLES

OPENING = EXAMPLES / "paralympic-opening.yaml"
OPTIONAL = ("openpyxl", "starlette", "uvicorn", "typst", "defusedxml")


def loaded_after(code: str) -> set[str]:
    """The modules loaded by ``code`` in a fresh interpreter."""
    script = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


class TestStartUp:
    def test_import_ceremony_loads_no_optional_dependency(self) -> None:
        """``import ceremony`` imports none of the extras' modules."""
        loaded = loaded_after("import ceremony")
        assert not loaded & set(OPTIONAL)

    def test_version_loads_no_optional_dependency_and_no_command(self) -> None:
        """``ceremony --version`` imports no extra's module and no command's module."""
        code = (
            "from ceremony.cli import main\n"
            "try:\n    main(['--version'])\nexcept SystemExit as done:\n"
            "    assert done.code == 0"
        )
        loaded = loaded_after(code)
        assert not loaded & set(OPTIONAL)
        assert not {entry.module for entry in COMMANDS.values()} & loaded

    def test_help_lists_every_command_without_importing_it(self) -> None:
        """``ceremony --help`` shows each command's short help from the registry."""
        code = (
            "from ceremony.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass"
        )
        result = subprocess.run(
            [sys.executable, "-c", f"{code}\nimport sys\nprint(sorted(sys.modules))"],
            capture_output=True,
            text=True,
            check=True,
        )
        for name, entry in COMMANDS.items():
            if entry.available():
                assert f"  {name} " in result.stdout
                assert entry.short_help in result.stdout
        assert "ceremony.cli.shows" not in result.stdout.rsplit("\n", 2)[-2]

    def test_a_command_loads_only_its_module(self) -> None:
        """``ceremony check`` imports the show commands, not the sheets or the importers."""
        code = (
            "from ceremony.cli import main\n"
            f"try:\n    main(['check', {str(OPENING)!r}])\nexcept SystemExit:\n    pass"
        )
        loaded = loaded_after(code)
        assert "ceremony.cli.shows" in loaded
        assert not {"ceremony.cli.imports", "ceremony.cli.sheets"} & loaded
        assert not loaded & set(OPTIONAL)


class TestRegistry:
    @pytest.mark.parametrize("name", sorted(COMMANDS))
    def test_each_entry_is_the_command_of_its_name(self, name: str) -> None:
        """Every registered command that is there loads as a click command of that name."""
        entry = COMMANDS[name]
        if not entry.available():
            pytest.skip(f"{entry.module} is not part of this checkout")
        command = entry.load()
        assert command.name == name
        assert entry.short_help
        assert len(f"  {name:9} {entry.short_help}") <= 80, "keep the help on one line"

    def test_a_missing_module_is_left_out(self) -> None:
        """A command whose module is not there is neither listed nor found."""
        group = LazyGroup(
            name="demo",
            lazy={
                "ghost": LazyCommand("ceremony.cli.no_such_module:ghost", "Not there."),
                "check": COMMANDS["check"],
            },
        )
        result = CliRunner().invoke(group, ["--help"])
        assert "ghost" not in result.stdout
        assert "check" in result.stdout
        result = CliRunner().invoke(group, ["ghost"])
        assert result.exit_code == 2
        assert "No such command 'ghost'" in result.stderr

    def test_a_target_that_is_not_a_command_is_refused(self) -> None:
        """A registry entry naming something other than a click command is a bug, said so."""
        with pytest.raises(TypeError, match="is not a click command"):
            LazyCommand("ceremony.cli:COMMANDS", "Not a command.").load()

    def test_a_command_module_that_needs_a_missing_extra_exits_2(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """A command module that cannot import without its extra: the message, exit 2."""
        module = tmp_path / "needs_serve_for_test.py"
        module.write_text(
            "import click\n"
            "from ceremony.extras import needs_extra\n"
            "with needs_extra('serve', 'ceremony demo'):\n"
            "    import starlette\n"
            "demo = click.Command('demo')\n"
        )
        monkeypatch.syspath_prepend(str(tmp_path))
        monkeypatch.setitem(sys.modules, "starlette", None)
        group = LazyGroup(name="g", lazy={"demo": LazyCommand("needs_serve_for_test:demo", "D.")})
        result = CliRunner().invoke(group, ["demo"])
        assert result.exit_code == 2
        assert f"ceremony demo needs the serve extra: pip install '{DISTRIBUTION}[serve]'" in (
            result.stderr
        )
        assert isinstance(group, click.Group)


class TestMissingExtras:
    def test_needs_extra_names_the_extra_and_how_to_install_it(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setitem(sys.modules, "typst", None)
        with pytest.raises(MissingExtraError) as raised, needs_extra("pdf", "PDF output"):
            import typst  # noqa: F401, PLC0415
        error = raised.value
        assert str(error) == "PDF output needs the pdf extra: pip install 'ceremony-timeline[pdf]'"
        assert error.extra == "pdf"
        assert error.name == "typst"
        assert isinstance(error, CeremonyError)
        assert isinstance(error, ModuleNotFoundError)

    def test_other_import_errors_pass_through(self) -> None:
        """A module that is not the extra's is not blamed on the extra."""
        with pytest.raises(ModuleNotFoundError) as raised, needs_extra("xlsx", "XLSX output"):
            import no_such_module_for_ceremony  # type: ignore[import-not-found]  # noqa: F401, PLC0415
        assert not isinstance(raised.value, MissingExtraError)

    def test_every_extra_is_declared_in_pyproject(self) -> None:
        """The extras the code names are the extras pyproject.toml declares."""
        import tomllib  # noqa: PLC0415

        root = Path(__file__).parent.parent
        declared = tomllib.loads((root / "pyproject.toml").read_text())["project"]
        assert declared["name"] == DISTRIBUTION
        extras = declared["optional-dependencies"]
        for extra, modules in EXTRAS.items():
            requirements = " ".join(extras[extra]).lower()
            for module in modules:
                assert module in requirements, (extra, module)
        assert f"{DISTRIBUTION}[all]" in " ".join(extras["test"])
        assert set(EXTRAS) <= set(extras["all"][0].partition("[")[2].rstrip("]").split(","))

    @pytest.mark.parametrize(
        ("args", "hidden", "message"),
        [
            (
                ("sheet", str(OPENING), "-o", "{tmp}/show.xlsx"),
                ("openpyxl", "ceremony.export.xlsx"),
                "XLSX output needs the xlsx extra: pip install 'ceremony-timeline[xlsx]'",
            ),
            (
                ("sheet", str(OPENING), "-o", "{tmp}/show.pdf"),
                ("typst",),
                "PDF output needs the pdf extra: pip install 'ceremony-timeline[pdf]'",
            ),
            (
                ("serve", "{tmp}"),
                ("starlette", "uvicorn", "ceremony.serve"),
                "ceremony serve needs the serve extra: pip install 'ceremony-timeline[serve]'",
            ),
            (
                (
                    "import",
                    "odf",
                    str(EXAMPLES / "x.xml"),
                    "--timezone",
                    "UTC",
                    "-o",
                    "{tmp}/o.yaml",
                ),
                ("defusedxml", "ceremony.io.odf", "ceremony.io.odf_message"),
                "ceremony import odf needs the odf extra: pip install 'ceremony-timeline[odf]'",
            ),
            (
                (
                    "import",
                    "table",
                    "{tmp}/show.xlsx",
                    "--map",
                    "run-of-show",
                    "-o",
                    "{tmp}/o.yaml",
                ),
                ("openpyxl", "ceremony.io.workbook", "ceremony.io.worksheet"),
                "Reading XLSX needs the xlsx extra: pip install 'ceremony-timeline[xlsx]'",
            ),
        ],
        ids=["xlsx-out", "pdf", "serve", "odf", "xlsx-in"],
    )
    def test_the_command_line_says_which_extra_and_exits_2(
        self,
        monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path,
        args: tuple[str, ...],
        hidden: tuple[str, ...],
        message: str,
    ) -> None:
        """Each optional part, its extra missing: one clear line, exit 2, nothing written."""
        (tmp_path / "show.xlsx").write_bytes(b"PK\x03\x04 not read")
        for module in hidden:
            if module.startswith("ceremony."):
                monkeypatch.delitem(sys.modules, module, raising=False)
            else:  # the module and any of its submodules an earlier test imported
                for name in [m for m in sys.modules if m.split(".")[0] == module]:
                    monkeypatch.setitem(sys.modules, name, None)
                monkeypatch.setitem(sys.modules, module, None)
        before = sorted(tmp_path.iterdir())
        code, _, err = run(*(arg.replace("{tmp}", str(tmp_path)) for arg in args))
        assert code == 2
        assert message in err
        assert "Traceback" not in err
        assert sorted(tmp_path.iterdir()) == before
