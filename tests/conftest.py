"""Helpers for the project's own tests.

``run_suite(lesson, tree)`` runs one lesson's graded suite in this process
(TensorFlow is imported once, not once per run) against any tree laid out as
``NN/<topic>.py`` and returns the :class:`kata.report.Report` it wrote.  It
calls ``pytest.main`` directly rather than pytester's in-process run, whose
``sys.modules`` snapshot would unload numpy and TensorFlow after each run
(their C extensions cannot be loaded twice in one process).
``tree_with(lesson, module_file)`` builds such a tree: the reference solutions
with one lesson's module swapped for another file (a mutant, an alternative).
``graded_here`` keeps the in-process report of each catalogue case, so
``tests/test_mutants_through_kata_grade.py`` compares ``kata grade``'s verdicts with the
reports ``tests/test_mutants.py`` made earlier, without grading each case in this
process again: for the session, and with ``--catalogue-reports DIR`` in that folder
too, for a later run (``tox`` grades the catalogue on two cores first, with
pytest-xdist, then runs the other tests).
``jupyter_kernel(env)`` is a Jupyter kernel of this Python, started as Jupyter starts one.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from kata import report as report_module
from kata.grading.sandbox import bwrap_problem
from kata.impl import ROOT, get_lesson

pytest_plugins = ["pytester"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--every-case", action="store_true", default=False,
        help="the catalogue the long way (tox -e catalogue): every case through kata grade, not one "
             "mutant per graded test, and every capstone right answer's full-data run",
    )
    parser.addoption(
        "--catalogue-reports", metavar="DIR", type=Path, default=None,
        help="keep each catalogue case's in-process report in DIR, and read those a run before kept there",
    )


@pytest.fixture(autouse=True)
def _messages_in_english():
    """Every test starts in English: ``kata --lang`` run in this process changes the language
    of every later message (score lines, failure messages), not only the CLI's."""
    from kata import i18n

    i18n.use("en")


@pytest.fixture
def run_suite(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("reports")

    def run(lesson: int, tree: str | Path = "solutions", *args: str) -> report_module.Report:
        info = get_lesson(lesson)
        report_file = folder / f"report-{info.folder}-{len(list(folder.iterdir()))}.json"
        saved_env = dict(os.environ)
        try:
            code = pytest.main(
                [
                    str(ROOT / "lessons" / info.folder),
                    f"--rootdir={ROOT}",
                    "-c",
                    str(ROOT / "pyproject.toml"),
                    f"--impl={tree}",
                    f"--kata-report={report_file}",
                    "-p",
                    "no:cacheprovider",
                    "-q",
                    *args,
                ]
            )
        finally:
            os.environ.clear()
            os.environ.update(saved_env)
        if not report_file.exists():
            pytest.fail(f"the suite of lesson {info.folder} wrote no report (pytest exit code {code})")
        return report_module.read(report_file)

    return run


class CaseReports:
    """Catalogue case id (``"04-loss_class_without_parentheses"``) → its in-process report,
    kept in memory and, when ``folder`` is given, as ``folder/<case id>.json``."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.reports: dict[str, report_module.Report] = {}
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)

    def __setitem__(self, case: str, report: report_module.Report) -> None:
        self.reports[case] = report
        if self.folder is not None:
            report_module.write(report, self.folder / f"{case}.json")

    def get(self, case: str) -> report_module.Report | None:
        """The report of ``case``, from this session or from the folder; ``None`` if neither has it."""
        if case not in self.reports and self.folder is not None and (self.folder / f"{case}.json").is_file():
            self.reports[case] = report_module.read(self.folder / f"{case}.json")
        return self.reports.get(case)


@pytest.fixture(scope="session")
def graded_here(pytestconfig: pytest.Config) -> CaseReports:
    """The in-process report of each catalogue case (see :class:`CaseReports`)."""
    return CaseReports(pytestconfig.getoption("catalogue_reports"))


@pytest.fixture(scope="session")
def agent_zygote(tmp_path_factory: pytest.TempPathFactory):
    """The Unix socket of a warm process that forks ``--remote`` agents (``--remote-zygote``):
    each agent then starts without importing TensorFlow again."""
    from kata.remote.zygote import Zygote

    zygote = Zygote.start(tmp_path_factory.mktemp("zygote") / "agents.sock")
    yield zygote.path
    zygote.close()


@pytest.fixture
def tree_with(tmp_path: Path):
    def build(lesson: int, module_file: Path) -> Path:
        tree = tmp_path / f"tree-{get_lesson(lesson).folder}-{Path(module_file).parent.name}"
        shutil.copytree(ROOT / "solutions", tree, ignore=shutil.ignore_patterns("__pycache__"))
        info = get_lesson(lesson)
        shutil.copyfile(module_file, tree / info.folder / info.filename)
        return tree

    return build


@pytest.fixture(scope="session")
def bwrap():
    """Bubblewrap works here; else skip, except in CI, where a missing sandbox is a failure."""
    problem = bwrap_problem()
    if problem is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must grade in the sandbox, but {problem} (.ci/run installs bubblewrap)")
    pytest.skip(f"no sandbox here: {problem}")


@pytest.fixture(scope="session")
def jupyter_kernel(tmp_path_factory: pytest.TempPathFactory):
    """``make(env) -> KernelManager``: a kernel spec of this Python (ipykernel) with ``env`` added.

    The environment a notebook's kernel has in Jupyter: TensorFlow's logging quiet and
    matplotlib's inline backend, plus ``env`` (say, where ``kata.check`` records scores).
    """

    def make(env: dict[str, str]):
        from jupyter_client import KernelManager
        from jupyter_client.kernelspec import KernelSpecManager

        specs = tmp_path_factory.mktemp("kernels")
        (specs / "kata-test").mkdir()
        (specs / "kata-test" / "kernel.json").write_text(json.dumps({
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "kata test", "language": "python",
            "env": {"TF_CPP_MIN_LOG_LEVEL": "2", "MPLBACKEND": "module://matplotlib_inline.backend_inline", **env},
        }))
        return KernelManager(kernel_name="kata-test", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(specs)]))

    return make
