"""``kata classroom``: the GitHub Classroom workflow, parsed, and its commands run as Actions would.

The workflow's shell steps are run here in a folder laid out as the runner's
workspace (``student/`` and ``pristine/``, a ``kata release``), so the claim
that a student's repository can't change the tests is tested by an attack: a
student who ships a test file and a ``conftest.py`` that pass everything.
PyYAML comes with the notebook extra (jupyter-events needs it), which tox installs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kata import classroom
from kata.checkout import Checkout
from kata.impl import ROOT
from kata.release import release

REF = "0123456789abcdef0123456789abcdef01234567"
TEMPLATE = "my-course/kata-template"


@pytest.fixture(scope="module")
def checkout() -> Checkout:
    return Checkout(ROOT)


@pytest.fixture(scope="module")
def points(checkout) -> dict[int, float]:
    return classroom.lesson_points(checkout, [1, 2, 3, 10])


def test_each_lesson_is_worth_the_points_its_suite_gives(points):
    # Every lesson of the kata is out of 10 (each suite's docstring says so).
    assert points == {1: 10.0, 2: 10.0, 3: 10.0, 10: 10.0}


def test_grading_only_tests_are_not_counted_in_the_points(tmp_path):
    root = tmp_path / "kata"
    shutil.copytree(ROOT / "lessons" / "01", root / "lessons" / "01")
    shutil.copy2(ROOT / "conftest.py", root / "conftest.py")
    shutil.copy2(ROOT / "pyproject.toml", root / "pyproject.toml")
    (root / "lessons" / "01" / "test_load_grading.py").write_text(
        "import pytest\n\n@pytest.mark.points(5)\ndef test_more():\n    pass\n")
    assert classroom.lesson_points(Checkout(root), [1]) == {1: 10.0}


def parsed(points: dict[int, float], **kwargs) -> dict:
    return yaml.safe_load(classroom.workflow(points, TEMPLATE, REF, **kwargs))


def test_the_workflow_has_one_step_per_lesson_with_its_points_and_the_reporter_reads_each(points):
    flow = parsed(points)
    assert flow["name"] == "Autograding Tests"  # the reporter's README: no other name reports
    assert list(flow["jobs"]) == ["run-autograding-tests"]
    steps = flow["jobs"]["run-autograding-tests"]["steps"]
    graders = [s for s in steps if s.get("uses") == classroom.COMMAND_GRADER]
    assert [(s["id"], s["with"]["max-score"]) for s in graders] == [
        ("lesson01", 10), ("lesson02", 10), ("lesson03", 10), ("lesson10", 10)]
    assert [s["with"]["command"].split()[3] for s in graders] == [
        "pristine/lessons/01", "pristine/lessons/02", "pristine/lessons/03", "pristine/lessons/10"]
    assert graders[-1]["with"]["timeout"] == classroom.SLOW_TIMEOUT  # the capstone trains on all
    assert graders[0]["with"]["timeout"] == classroom.TIMEOUT
    (reporter,) = [s for s in steps if s.get("uses") == classroom.REPORTER]
    assert reporter["with"]["runners"] == "lesson01,lesson02,lesson03,lesson10"
    assert reporter["env"] == {f"LESSON{n:02d}_RESULTS": f"${{{{steps.lesson{n:02d}.outputs.result}}}}"
                               for n in (1, 2, 3, 10)}
    assert steps.index(reporter) == len(steps) - 1


def test_the_suites_come_from_the_template_at_the_pinned_commit(points):
    steps = parsed(points)["jobs"]["run-autograding-tests"]["steps"]
    checkouts = [s for s in steps if s.get("uses", "").startswith("actions/checkout@")]
    assert [s["with"]["path"] for s in checkouts] == ["student", "pristine"]
    assert checkouts[1]["with"]["repository"] == TEMPLATE
    assert checkouts[1]["with"]["ref"] == REF
    install = next(s for s in steps if "pip install" in s.get("run", ""))
    assert "pip install -e ./pristine" in install["run"]
    first_grader = next(i for i, s in enumerate(steps) if s.get("uses") == classroom.COMMAND_GRADER)
    assert steps.index(install) < first_grader


def test_a_bad_template_or_a_moving_ref_is_refused():
    with pytest.raises(classroom.ClassroomError, match="OWNER/REPO"):
        classroom.workflow({1: 10.0}, "not a repo", REF)
    with pytest.raises(classroom.ClassroomError, match="40 hex"):
        classroom.workflow({1: 10.0}, TEMPLATE, "main")


def test_an_existing_workflow_is_kept_in_a_backup(tmp_path):
    path = tmp_path / ".github" / "workflows" / "classroom.yml"
    path.parent.mkdir(parents=True)
    path.write_text("name: the instructor's own\n")
    assert classroom.write_workflow(path, "new\n") == path.with_name("classroom.yml.bak")
    assert path.with_name("classroom.yml.bak").read_text() == "name: the instructor's own\n"
    assert classroom.write_workflow(path, "new\n") is None  # the same text: nothing to keep
    assert classroom.write_workflow(path, "newer\n") == path.with_name("classroom.yml.bak1")
    assert path.read_text() == "newer\n"
    assert path.with_name("classroom.yml.bak").read_text() == "name: the instructor's own\n"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, checkout) -> Path:
    """The runner's workspace after the checkouts: the template (a release) and a student repo.

    The student solved lesson 01, and also rewrote lesson 02's suite and added a
    conftest.py that passes every test, and a lesson 03 module that is a link.
    """
    root = tmp_path_factory.mktemp("actions")
    release(checkout, root / "pristine")
    student = root / "student"
    release(checkout, student)
    shutil.copy2(ROOT / "solutions" / "01" / "load.py", student / "lessons" / "01" / "load.py")
    (student / "lessons" / "02" / "test_normalize.py").write_text(
        "import pytest\n\n@pytest.mark.points(10)\ndef test_all():\n    pass\n")
    (student / "conftest.py").write_text(
        "import pytest\n\n@pytest.hookimpl(tryfirst=True)\ndef pytest_runtest_call(item):\n    pass\n")
    (student / "lessons" / "02" / "conftest.py").write_text((student / "conftest.py").read_text())
    build = student / "lessons" / "03" / "build.py"
    build.unlink()
    build.symlink_to(ROOT / "solutions" / "03" / "build.py")
    return root


def run_step(script: str, workspace: Path) -> subprocess.CompletedProcess:
    """A step's shell script, in the workspace, with this venv's Python first on PATH."""
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "MPLBACKEND": "Agg",
           "TF_CPP_MIN_LOG_LEVEL": "2", "HOME": str(Path.home())}
    for name in ("FASHION_MNIST_DIR", "KERAS_HOME"):
        if name in os.environ:
            env[name] = os.environ[name]
    return subprocess.run(["bash", "-e", "-c", script], cwd=workspace, env=env,
                          capture_output=True, text=True, check=False)


def test_the_workflow_grades_the_students_lessons_with_the_pristine_suites(workspace):
    flow = parsed({1: 10.0, 2: 10.0, 3: 10.0})
    steps = flow["jobs"]["run-autograding-tests"]["steps"]
    hand_in = next(s for s in steps if s.get("name", "").startswith("Hand in"))
    done = run_step(hand_in["run"], workspace)
    assert done.returncode == 0, done.stderr
    pristine = workspace / "pristine" / "lessons"
    assert (pristine / "01" / "load.py").read_bytes() == (ROOT / "solutions" / "01" / "load.py").read_bytes()
    assert "def test_all" not in (pristine / "02" / "test_normalize.py").read_text()
    assert not (pristine / "02" / "conftest.py").exists()
    assert not (pristine / "03" / "build.py").is_symlink()
    assert (pristine / "03" / "build.py").read_bytes() == (
        ROOT / "kata" / "stubs" / "03" / "build.py").read_bytes()  # the link was not handed in

    graders = {s["id"]: s["with"]["command"] for s in steps if s.get("uses") == classroom.COMMAND_GRADER}
    solved = run_step(graders["lesson01"], workspace)
    assert solved.returncode == 0, solved.stdout[-3000:]
    assert "lesson 01 · load: 10/10 points" in solved.stdout
    attacked = run_step(graders["lesson02"], workspace)
    assert attacked.returncode != 0, "the student's own suite and conftest.py graded lesson 02"
    assert "lesson 02 · normalize: 0/10 points" in attacked.stdout


def test_kata_classroom_writes_the_workflow_where_asked(tmp_path):
    out = tmp_path / "wf.yml"
    done = subprocess.run([sys.executable, "-m", "kata.cli", "classroom", "--template", TEMPLATE,
                           "--ref", REF, "--lessons", "1,2", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    steps = yaml.safe_load(out.read_text())["jobs"]["run-autograding-tests"]["steps"]
    assert [s["id"] for s in steps if "id" in s] == ["lesson01", "lesson02"]
