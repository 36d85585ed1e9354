"""``kata release OUT``: a student copy without solutions whose suites still run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kata import cli
from kata import release as release_module
from kata.checkout import Checkout
from kata.impl import LESSONS, ROOT


@pytest.fixture(scope="module")
def student_copy(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("release") / "student-copy"
    assert cli.main(["release", str(out)]) == 0
    return out


def relative_files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_the_copy_has_lessons_docs_tooling_and_settings(student_copy):
    files = relative_files(student_copy)
    for name in ["pyproject.toml", "tox.ini", "conftest.py", "kata/plugin.py", "kata/cli.py"]:
        assert name in files, f"{name} is missing from the student copy"
    if (ROOT / "README.md").exists():
        assert "README.md" in files
    for lesson in LESSONS.values():
        suite = ROOT / "lessons" / lesson.folder / lesson.test_filename
        if suite.exists():
            assert f"lessons/{lesson.folder}/{lesson.test_filename}" in files
            assert f"lessons/{lesson.folder}/{lesson.filename}" in files
    guides = {p.relative_to(ROOT).as_posix() for p in (ROOT / "docs" / "lessons").glob("*.md")}
    assert guides <= files


def test_the_copy_has_no_solutions_no_project_tests_no_instructor_files(student_copy):
    files = relative_files(student_copy)
    leaked = sorted(
        f for f in files
        if f.startswith(("solutions/", "tests/", "docs/gradescope/", "docs/scale/", "docs/prairielearn/"))
        or f == "docs/instructor.md" or "__pycache__" in f or f.endswith("_grading.py")
    )
    assert not leaked, f"these files should not be in a student copy: {leaked}"
    solutions = {p.read_bytes() for p in (ROOT / "solutions").rglob("*.py")}
    copied = [f for f in files if f.startswith("lessons/") and (student_copy / f).read_bytes() in solutions]
    assert not copied, f"these lesson files are reference solutions: {copied}"


def test_lesson_modules_are_the_untouched_stubs(student_copy):
    for stub in (ROOT / "kata" / "stubs").glob("*/*.py"):
        copied = student_copy / "lessons" / stub.parent.name / stub.name
        assert copied.read_bytes() == stub.read_bytes(), f"{copied} is not the untouched stub"


def test_tox_runs_the_students_lessons_not_the_solutions(student_copy):
    text = (student_copy / "tox.ini").read_text()
    assert "--impl=solutions" not in text and "pytest tests" not in text
    assert "pytest lessons" in text


def test_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "work.py").write_text("my work\n")
    assert cli.main(["release", str(tmp_path)]) == 2
    assert sorted(os.listdir(tmp_path)) == ["work.py"]
    with pytest.raises(release_module.ReleaseError, match="not empty"):
        release_module.release(Checkout(ROOT), tmp_path)


def run_pytest(copy: Path, lesson: str, report: Path) -> dict:
    """``pytest lessons/NN`` in the student copy, as a student runs it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "KATA_", "PYTEST_"))}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", f"lessons/{lesson}", "-q", "-p", "no:cacheprovider",
         f"--kata-report={report}"],
        cwd=copy, env=env, capture_output=True, text=True, timeout=600,
    )
    assert report.exists(), f"pytest lessons/{lesson} wrote no report:\n{result.stdout[-3000:]}\n{result.stderr[-2000:]}"
    data = json.loads(report.read_text())
    data["stdout"] = result.stdout
    return data


def test_pytest_on_a_lesson_works_in_the_copy(student_copy, tmp_path):
    on_stub = run_pytest(student_copy, "03", tmp_path / "stub.json")
    assert on_stub["total"] == {"earned": 0, "possible": 10}, on_stub["stdout"][-2000:]
    assert "lesson 03 · build: 0/10 points" in on_stub["stdout"]
    assert Path(on_stub["impl"]) == (student_copy / "lessons").resolve(), "the copy tested another tree"

    # A student who finished lessons 01-03 gets full points, and lesson 02's
    # suite (which uses lesson 01's CLASS_NAMES) takes them from the student's lesson 01.
    done = tmp_path / "done"
    shutil.copytree(student_copy, done)
    for number in (1, 2, 3):
        lesson = LESSONS[number]
        solution = ROOT / "solutions" / lesson.folder / lesson.filename
        if solution.exists():
            shutil.copyfile(solution, done / "lessons" / lesson.folder / lesson.filename)
    finished = run_pytest(done, "03", tmp_path / "done-03.json")
    assert finished["total"] == {"earned": 10, "possible": 10}, finished["stdout"][-2000:]
    if (ROOT / "lessons" / "02" / "test_normalize.py").exists() and (ROOT / "solutions" / "01").is_dir():
        uses_lesson_01 = run_pytest(done, "02", tmp_path / "done-02.json")
        assert uses_lesson_01["total"] == {"earned": 10, "possible": 10}, uses_lesson_01["stdout"][-2000:]
