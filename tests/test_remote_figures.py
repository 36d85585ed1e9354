"""Figures and pyplot's state cross between processes as data, and the suites judge them the same.

``kata.remote.figures`` describes a figure as plain data in the student's
process and draws it again in the checker's. The proof that the description
holds everything the suites look at: lessons 02 and 08, whose tests judge
figures, run here with every call of a student function made as the two
processes make it:

1. the checker's pyplot state (its open figures, current figure and axes, the
   subplot the test picked) is described, and the checker's figures are set
   aside, out of pyplot's reach;
2. a fresh pyplot is restored from that description under the agent's own keys
   (the agent's process has its own objects), and the student's function runs;
3. the agent's pyplot and every figure the function returned are described, the
   agent's figures closed, the checker's put back and restored from the
   agent's description, and the returned figures rebuilt in the checker.

The reference must still score 10/10, and every mutant of the two lessons
must fail exactly the tests, with exactly the messages, it fails without the
round trip; every alternative right answer keeps full points.
"""

from __future__ import annotations

import os

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib._pylab_helpers import Gcf
from matplotlib.figure import Figure

from kata import report as report_module
from kata.catalogue import mutants
from kata.checkout import Checkout
from kata.impl import ROOT, get_lesson
from kata.remote.figures import FigureDataError, Keys, describe_figure, describe_pyplot, rebuild_figure, restore_pyplot

LESSONS = (2, 8)
CASES = [m for m in mutants(Checkout(ROOT)) if m.lesson.number in LESSONS]
ALTERNATIVES = [(n, p) for n in LESSONS
                for p in sorted((ROOT / "tests" / "alternatives" / get_lesson(n).folder).glob(f"*/{get_lesson(n).filename}"))]


class TwoProcesses:
    """A pytest plugin: the ``impl`` fixture's functions run as if in the agent's process."""

    def __init__(self):
        self.checker, self.agent = Keys(), Keys()
        self.calls = 0

    @pytest.hookimpl(wrapper=True)
    def pytest_fixture_setup(self, fixturedef, request):
        value = yield
        if fixturedef.argname != "impl":
            return value
        module = Across(value, self)
        fixturedef.cached_result = (module, fixturedef.cache_key(request), None)
        return module

    def call(self, function, args, kwargs):
        self.calls += 1
        caller = describe_pyplot(keys=self.checker)
        set_aside = dict(Gcf.figs)
        Gcf.figs.clear()
        restore_pyplot(caller, keys=self.agent)  # the agent's pyplot, as the caller left it
        try:
            returned = self.send(function(*args, **kwargs))
        finally:
            after = describe_pyplot(keys=self.agent)
            plt.close("all")
            Gcf.figs.update(set_aside)
            restore_pyplot(after, keys=self.checker)
        return self.receive(returned)

    def send(self, value):
        if isinstance(value, Figure):
            return ("figure", describe_figure(value, keys=self.agent))
        if isinstance(value, (tuple, list)):
            return ("sequence", type(value), [self.send(v) for v in value])
        return ("value", value)

    def receive(self, sent):
        if sent[0] == "figure":
            return rebuild_figure(sent[1], keys=self.checker)
        if sent[0] == "sequence":
            return sent[1](self.receive(v) for v in sent[2])
        return sent[1]


class Across:
    """The student's module seen from the checker: calls go through :class:`TwoProcesses`;
    setting an attribute (the suites' monkeypatch) sets it in the module itself."""

    __slots__ = ("_module", "_trip")

    def __init__(self, module, trip):
        object.__setattr__(self, "_module", module)
        object.__setattr__(self, "_trip", trip)

    @property
    def __dict__(self):  # what monkeypatch reads to undo a setattr
        return self._module.__dict__

    def __getattr__(self, name):
        value = getattr(self._module, name)
        if not callable(value) or isinstance(value, type):
            return value

        def across(*args, **kwargs):
            return self._trip.call(value, args, kwargs)

        across.original = value
        return across

    def __setattr__(self, name, value):
        setattr(self._module, name, getattr(value, "original", value))

    def __delattr__(self, name):
        delattr(self._module, name)


def run(lesson: int, tree, folder, *plugins) -> report_module.Report:
    """Lesson ``lesson``'s graded suite on ``tree`` in this process, with ``plugins``."""
    info = get_lesson(lesson)
    report_file = folder / f"report-{info.folder}-{len(list(folder.iterdir()))}.json"
    saved_env = dict(os.environ)
    try:
        pytest.main([str(ROOT / "lessons" / info.folder), f"--rootdir={ROOT}", "-c", str(ROOT / "pyproject.toml"),
                     f"--impl={tree}", f"--kata-report={report_file}", "-p", "no:cacheprovider", "-q"],
                    plugins=list(plugins))
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
    assert report_file.exists(), f"the suite of lesson {info.folder} wrote no report"
    return report_module.read(report_file)


def verdict(report) -> dict[str, str]:
    return {r.name: r.message for r in report.results if r.outcome != "passed"}


@pytest.mark.parametrize("lesson", LESSONS)
def test_reference_scores_full_points_across_processes(lesson, tmp_path):
    trip = TwoProcesses()
    report = run(lesson, "solutions", tmp_path, trip)
    (score,) = report.lessons()
    assert score.earned == score.possible == 10, verdict(report)
    assert trip.calls > 10, "the round trip was not used"


@pytest.mark.parametrize("mutant", CASES, ids=lambda m: f"{m.lesson.folder}-{m.name}")
def test_mutant_fails_the_same_tests_across_processes(mutant, tmp_path, tree_with):
    tree = tree_with(mutant.lesson.number, mutant.write(tmp_path / mutant.name))
    alone = verdict(run(mutant.lesson.number, tree, tmp_path))
    across = verdict(run(mutant.lesson.number, tree, tmp_path, TwoProcesses()))
    assert alone, f"mutant {mutant.name} fails nothing even in one process"
    assert across == alone


@pytest.mark.parametrize("case", ALTERNATIVES, ids=lambda c: f"{c[0]:02d}-{c[1].parent.name}")
def test_alternative_keeps_full_points_across_processes(case, tmp_path, tree_with):
    lesson, path = case
    report = run(lesson, tree_with(lesson, path), tmp_path, TwoProcesses())
    (score,) = report.lessons()
    assert score.earned == score.possible, verdict(report)
