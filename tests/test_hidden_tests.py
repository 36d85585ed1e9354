"""Hidden tests (``lessons/NN/test_hidden_*.py``): the instructor's pytest runs them, a release leaves them out.

Their grading (counted in ``kata grade``, shown after the due date on Gradescope, named nowhere
in the feedback) is checked on a real graded class in ``tests/test_shard_merge.py``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kata import outcome
from kata.checkout import Checkout
from kata.grading.hidden import is_hidden, summary
from kata.impl import ROOT
from kata.release import release

HIDDEN_TEST = '''\
import pytest


@pytest.mark.points(2)
def test_hidden_model_has_a_name(impl):
    assert impl.build_model().name
'''


@pytest.fixture(scope="module")
def copies(tmp_path_factory) -> tuple[Path, Path]:
    """An instructor's checkout with a hidden test in lesson 03 (and docs/scale/), and its release."""
    top = tmp_path_factory.mktemp("hidden")
    instructor = top / "instructor"
    ignore = shutil.ignore_patterns("__pycache__", ".pytest_cache")
    for name in ["kata", "lessons", "solutions"]:
        shutil.copytree(ROOT / name, instructor / name, ignore=ignore)
    for name in ["conftest.py", "pyproject.toml"]:
        shutil.copy2(ROOT / name, instructor / name)
    shutil.copytree(ROOT / "docs" / "scale", instructor / "docs" / "scale")
    (instructor / "lessons" / "03" / "test_hidden_build.py").write_text(HIDDEN_TEST)
    release(Checkout(instructor), top / "student")
    return instructor, top / "student"


def collected(root: Path, lesson: str) -> list[str]:
    """The test ids ``pytest lessons/NN --collect-only`` lists in ``root``."""
    result = subprocess.run([sys.executable, "-m", "pytest", f"lessons/{lesson}", "--collect-only",
                             "-q", "-p", "no:cacheprovider"], cwd=root, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return [line for line in result.stdout.splitlines() if "::" in line]


def test_a_release_leaves_hidden_tests_out(copies):
    instructor, student = copies
    assert (instructor / "lessons" / "03" / "test_hidden_build.py").is_file()
    assert not list(student.rglob("test_hidden_*")), "a hidden test went into the student copy"
    assert (student / "lessons" / "03" / "test_build.py").is_file()
    assert not (student / "docs" / "scale").exists()  # the grading workflows stay with you too


def test_the_instructors_pytest_runs_them_and_the_students_suite_stands_without_them(copies):
    instructor, student = copies
    assert "lessons/03/test_hidden_build.py::test_hidden_model_has_a_name" in collected(instructor, "03")
    students = collected(student, "03")
    assert students and not [t for t in students if "hidden" in t]
    assert len(students) == len(collected(instructor, "03")) - 1


def test_hidden_is_decided_by_the_file_name():
    def test(nodeid):
        return outcome.TestResult(3, "test_x", nodeid, 2.0, 0.0, "failed", "a secret message")

    assert is_hidden(test("lessons/03/test_hidden_build.py::test_x"))
    assert not is_hidden(test("lessons/03/test_build.py::test_hidden_x"))  # the file, not the test
    assert summary([test("lessons/03/test_build.py::test_x")]) == ""
    line = summary([test("lessons/03/test_hidden_a.py::test_x"), test("lessons/03/test_hidden_b.py::test_y")])
    assert line.startswith("- 2 hidden tests · 4 points") and "secret" not in line
