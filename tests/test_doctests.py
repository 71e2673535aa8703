"""The examples in the docstrings of the model and the durations run, and say what they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from types import ModuleType

import pytest

import ceremony.durations
import ceremony.model


def _modules() -> list[ModuleType]:
    names = [info.name for info in pkgutil.iter_modules(ceremony.model.__path__, "ceremony.model.")]
    return [ceremony.durations, ceremony.model, *(importlib.import_module(n) for n in names)]


@pytest.mark.parametrize("module", _modules(), ids=lambda module: module.__name__)
def test_docstring_examples_run(module: ModuleType) -> None:
    """Every ``>>>`` example in the module gives the output its docstring shows."""
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in finder.find(module, module.__name__):
        runner.run(test)
    assert runner.failures == 0


def test_there_are_examples_to_run() -> None:
    """The durations, the anchors and the segments show how they are used."""
    finder = doctest.DocTestFinder(exclude_empty=True)
    with_examples = {
        module.__name__ for module in _modules() if any(t.examples for t in finder.find(module))
    }
    assert {
        "ceremony.durations",
        "ceremony.model.timing",
        "ceremony.model.base_segment",
    } <= with_examples
