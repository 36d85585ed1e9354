"""``kata grade`` on notebook submissions: graded as the equivalent lesson files, in the sandbox.

A student who works in Jupyter hands in the lesson notebooks ``kata notebooks``
wrote (``01-load.ipynb``, ``03-build.ipynb``), in a folder or a zip.  The
grader turns each into the equivalent lesson file and grades it through the
same sandbox as files: the same points and test outcomes, plus a note on the
notebook lines it left out.  An unreadable notebook is an error for its lesson.
"""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path

import nbformat
import pytest

from kata import cli
from kata.checkout import Checkout
from kata.grading import records, submissions, verdict
from kata.impl import ROOT
from kata.notebook import build, convert

SOLUTION_01 = (ROOT / "solutions" / "01" / "load.py").read_text()
SOLUTION_03 = (ROOT / "solutions" / "03" / "build.py").read_text()
# An honest mistake whose cost is fixed by the suite: a relu on the output layer loses the
# logits test (2 of 10 points).
RELU_OUTPUT = SOLUTION_03.replace("keras.layers.Dense(10)", 'keras.layers.Dense(10, activation="relu")')
assert RELU_OUTPUT != SOLUTION_03
NOTEBOOK_ONLY = ["!pip install -q numpy", "%matplotlib inline"]  # lines a lesson file can't hold


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def blank_notebooks(tmp_path_factory) -> Path:
    """Every lesson notebook as ``kata notebooks`` writes it."""
    folder = tmp_path_factory.mktemp("notebooks")
    build.write_notebooks(folder, Checkout(ROOT), repo="https://example.org/kata.git")
    return folder


def notebook_with(blank_notebooks: Path, number: int, code: str) -> str:
    """Lesson ``number``'s notebook as JSON text, its lesson cell holding ``code``."""
    notebook = nbformat.read(blank_notebooks / convert.notebook_name(number), as_version=4)
    (cell,) = [c for c in notebook.cells if "kata-lesson" in c.metadata.get("tags", [])]
    cell.source = code
    return nbformat.writes(notebook)


# --- reading a submission (no grading) ------------------------------------------------------


def test_a_folder_of_notebooks_reads_as_the_lesson_files(tmp_path, blank_notebooks):
    folder = tmp_path / "ada" / "my notebooks"
    write(folder / "03-build.ipynb", notebook_with(blank_notebooks, 3, "%time\n" + SOLUTION_03))
    write(folder / "01-load.ipynb", "{not a notebook")
    handed_in = submissions.read_submission(tmp_path / "ada", [1, 3])
    assert handed_in.notebooks and sorted(handed_in.files) == [3]
    assert "def build_model" in handed_in.files[3].decode()
    assert "`%time`" in handed_in.notes[3]
    assert "not a readable notebook" in handed_in.problems[1]


def test_lesson_files_win_over_notebooks_in_the_same_submission(tmp_path, blank_notebooks):
    write(tmp_path / "bo" / "lessons" / "03" / "build.py", SOLUTION_03)
    write(tmp_path / "bo" / "notebooks" / "03-build.ipynb", notebook_with(blank_notebooks, 3, RELU_OUTPUT))
    handed_in = submissions.read_submission(tmp_path / "bo", [3])
    assert handed_in == submissions.HandedIn({3: SOLUTION_03.encode()})


def test_a_lesson_without_its_notebook_is_missing_by_the_notebooks_name():
    tests = [records.TestInfo("lessons/03/test_build.py::test_a", "test_a", 3, 10.0)]
    grade = verdict.with_handed_in(verdict.missing(3, tests), submissions.HandedIn({}, notebooks=True),
                                   tests)
    assert (grade.status, grade.reason, grade.earned) == ("missing", "the submission has no 03-build.ipynb", 0)
    broken = verdict.with_handed_in(records.LessonGrade(3, "ok", tests=verdict.not_run(tests)),
                                    submissions.HandedIn({}, {}, {3: "03-build.ipynb is broken."}), tests)
    assert (broken.status, broken.reason) == ("error", "03-build.ipynb is broken")


# --- grading through the sandbox --------------------------------------------------------------


def test_notebook_submissions_grade_as_the_same_code_in_files(tmp_path, blank_notebooks, bwrap):
    """Files, the same code as notebooks in a zip, and a notebook that is not one: lessons 01, 03."""
    handed = tmp_path / "submissions"
    write(handed / "files" / "lessons" / "01" / "load.py", SOLUTION_01)
    write(handed / "files" / "lessons" / "03" / "build.py", RELU_OUTPUT)
    with zipfile.ZipFile(handed / "notebooks.zip", "w") as archive:
        archive.writestr("notebooks/01-load.ipynb", notebook_with(
            blank_notebooks, 1, "\n".join(NOTEBOOK_ONLY) + "\n" + SOLUTION_01))
        archive.writestr("notebooks/03-build.ipynb", notebook_with(blank_notebooks, 3, RELU_OUTPUT))
    write(handed / "broken" / "01-load.ipynb", notebook_with(blank_notebooks, 1, SOLUTION_01))
    write(handed / "broken" / "03-build.ipynb", '{"cells": "not a list"}')
    out = tmp_path / "out"
    code = cli.main(["grade", str(handed), "--out", str(out), "--lessons", "1,3", "--jobs", "2",
                     "--timeout", "90", "--sandbox", "bwrap"])
    assert code == 0
    with open(out / "gradebook.csv", newline="") as stream:
        rows = {row["student"]: (row["01"], row["03"]) for row in csv.DictReader(stream)}
    assert rows == {"files": ("10", "8"), "notebooks": ("10", "8"), "broken": ("10", "0")}

    def test_lines(student):
        text = (out / "feedback" / f"{student}.md").read_text()
        return text, re.findall(r"^- (?:pass|FAIL) · .*$", text, flags=re.MULTILINE)

    files_text, files_tests = test_lines("files")
    notebook_text, notebook_tests = test_lines("notebooks")
    assert notebook_tests == files_tests and len(files_tests) > 2
    for line in NOTEBOOK_ONLY:
        assert f"`{line}`" in notebook_text, notebook_text
        assert line not in files_text
    broken_text, _ = test_lines("broken")
    assert "0 points for this lesson: 03-build.ipynb is not a readable notebook" in broken_text, broken_text
