"""``kata classroom``: the GitHub Classroom autograding workflow for the students' repositories.

GitHub Classroom makes each student's repository from a template repository
(a ``kata release``) and grades it with ``.github/workflows/classroom.yml``:
one ``classroom-resources/autograding-command-grader`` step per graded test
(here: per lesson, with the lesson's points as its ``max-score``) and one
``classroom-resources/autograding-grading-reporter`` step that reads each
step's result from the environment variable ``<STEP ID>_RESULTS`` and sends the
total to Classroom.  The reporter's README asks for a workflow named
``Autograding Tests`` with one job, ``run-autograding-tests``
(https://github.com/classroom-resources/autograding-grading-reporter).

The graded suites are pristine, as in ``kata grade``: the workflow checks the
student's repository out into ``student/`` and the template, at a pinned
commit, into ``pristine/``; it copies only the student's lesson modules
(``lessons/NN/<module>.py``, regular files) into the pristine copy and runs
each lesson's suite there, with the template's ``conftest.py``, ``pyproject.toml``
and ``kata`` package.  A student who edits a test, ``conftest.py`` or the kata
in their repository changes nothing that grades them.  (They can still edit the
workflow file itself, as with any Classroom workflow; ``kata grade`` on their
repositories is the grade that can't be talked round.)

A command grader gives all of a step's points or none (its command's exit code),
so a lesson scores its points on a full pass; the step's log shows the points
per test.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from kata.checkout import Checkout
from kata.fileio import write_atomic
from kata.impl import get_lesson

DEFAULT_OUT = Path(".github/workflows/classroom.yml")
COMMAND_GRADER = "classroom-resources/autograding-command-grader@v1"
REPORTER = "classroom-resources/autograding-grading-reporter@v1"
PYTHON = "3.12"
TIMEOUT = 10  # minutes per lesson step
SLOW_TIMEOUT = 30  # the lessons that train on the full data

_COLLECT = """
import json, sys
import pytest
from kata.plugin import lesson_of, points_of

points = {}

class Points:
    def pytest_collection_modifyitems(self, items):
        for item in items:
            number, worth = lesson_of(item), points_of(item)
            if number is not None and worth is not None:
                points[number] = points.get(number, 0.0) + worth

code = pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider", *sys.argv[1:]],
                   plugins=[Points()])
print("KATA-POINTS " + json.dumps(points))
sys.exit(0 if code in (0, 5) else int(code))
"""


class ClassroomError(RuntimeError):
    """A workflow that can't be written as asked, with what to fix."""


def released_suites(checkout: Checkout, number: int) -> list[Path]:
    """The graded suites of lesson ``number`` that a ``kata release`` copy contains.

    Grading-only tests (:data:`kata.release.LEFT_OUT`) are not in the template, so
    they are not in the workflow's points either.
    """
    from kata.release import LEFT_OUT

    folder = checkout.lesson_dir(number)
    return [path for path in sorted(folder.glob("test_*.py"))
            if not any(fnmatch.fnmatch(path.name, pattern) for pattern in LEFT_OUT)]


def lesson_points(checkout: Checkout, lessons: list[int]) -> dict[int, float]:
    """Each lesson's points, summed from its released suites' ``points`` markers.

    The suites are collected (never run) by pytest in a child process, so no
    test module stays imported here.

    Args:
        checkout: the kata the template was released from.
        lessons: the lessons.

    Returns:
        ``{lesson: points}``.

    Raises:
        ClassroomError: a suite that doesn't collect, or a lesson without graded tests.
    """
    files = [str(path) for n in lessons for path in released_suites(checkout, n)]
    done = subprocess.run([sys.executable, "-c", _COLLECT, *files], cwd=checkout.root,
                          capture_output=True, text=True, check=False)
    found = [line for line in done.stdout.splitlines() if line.startswith("KATA-POINTS ")]
    if done.returncode != 0 or not found:
        raise ClassroomError("The graded suites didn't collect (pytest --collect-only):\n"
                             + (done.stdout + done.stderr)[-2000:])
    points = {int(n): float(p) for n, p in json.loads(found[-1].split(" ", 1)[1]).items()}
    empty = [f"{n:02d}" for n in lessons if not points.get(n)]
    if empty:
        raise ClassroomError(f"Lesson {', '.join(empty)} has no graded test (@pytest.mark.points) "
                             "in its released suites; leave it out with --lessons.")
    return {n: points[n] for n in lessons}


def step_id(number: int) -> str:
    """A lesson's step id, e.g. ``lesson03``: letters and digits only, as the reporter's
    ``runners`` input wants; its result is in ``LESSON03_RESULTS``."""
    return f"lesson{number:02d}"


def _quote(text: str) -> str:
    """A YAML scalar in double quotes (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def workflow(points: dict[int, float], template: str, ref: str,
             timeouts: dict[int, int] | None = None) -> str:
    """The text of ``.github/workflows/classroom.yml``.

    Args:
        points: ``{lesson: points}`` (:func:`lesson_points`), in the order of the steps.
        template: the template repository, ``owner/name``.
        ref: the template's commit whose suites grade (40 hex digits).
        timeouts: minutes per lesson step (default: :data:`TIMEOUT`, :data:`SLOW_TIMEOUT`
            for the lessons that train on the full data).

    Returns:
        The workflow, YAML.

    Raises:
        ClassroomError: ``template`` isn't ``owner/name`` or ``ref`` isn't a full commit SHA.

    Example:
        >>> print(workflow({1: 10.0}, "my-course/kata-template", "0" * 40))  # doctest: +ELLIPSIS
        # The kata's GitHub Classroom autograding...
    """
    if not re.fullmatch(r"[A-Za-z0-9-]+/[A-Za-z0-9._-]+", template):
        raise ClassroomError(f"--template {template}: name the template repository as OWNER/REPO, "
                             "e.g. my-course/fashion-mnist-kata.")
    if not re.fullmatch(r"[0-9a-f]{40}", ref):
        raise ClassroomError(f"--ref {ref}: give the template's full commit SHA (40 hex digits, "
                             "`git rev-parse HEAD` in the template), so that a later push to the "
                             "template can't change the tests a student was graded with.")
    timeouts = timeouts or {}
    modules = " ".join(f"{get_lesson(n).folder}/{get_lesson(n).filename}" for n in points)
    lines = [
        "# The kata's GitHub Classroom autograding, written by `kata classroom`: run it again",
        "# (with the new --ref) after you change the template; don't edit this by hand.",
        f"# Pristine suites: {template} at {ref}.",
        "name: Autograding Tests",
        "'on':",
        "  - push",
        "  - repository_dispatch",
        "  - workflow_dispatch",
        "permissions:",
        "  checks: write",
        "  actions: read",
        "  contents: read",
        "jobs:",
        "  run-autograding-tests:",
        "    runs-on: ubuntu-latest",
        "    if: github.actor != 'github-classroom[bot]'",
        "    env:",
        "      MPLBACKEND: Agg",
        '      TF_CPP_MIN_LOG_LEVEL: "2"',
        "    steps:",
        "      - name: Check out the student's repository",
        "        uses: actions/checkout@v4",
        "        with:",
        "          path: student",
        "      - name: Check out the pristine suites (the template at a pinned commit)",
        "        uses: actions/checkout@v4",
        "        with:",
        f"          repository: {template}",
        f"          ref: {ref}",
        "          path: pristine",
        "          persist-credentials: false",
        "      - uses: actions/setup-python@v5",
        "        with:",
        f"          python-version: {_quote(PYTHON)}",
        "      - name: Install the kata from the pristine copy, and the data",
        "        run: |",
        "          python -m pip install -e ./pristine",
        "          cd pristine && python -c 'from kata.data import load_data; load_data()'",
        "      - name: Hand in the student's lesson modules (nothing else)",
        "        run: |",
        f"          for file in {modules}; do",
        '            if [ -f "student/lessons/$file" ] && [ ! -L "student/lessons/$file" ]; then',
        '              cp "student/lessons/$file" "pristine/lessons/$file"',
        "            fi",
        "          done",
    ]
    for number, worth in points.items():
        lesson = get_lesson(number)
        name = f"lesson {lesson.folder} · {lesson.topic}"
        minutes = timeouts.get(number, SLOW_TIMEOUT if lesson.slow else TIMEOUT)
        lines += [
            f"      - name: {_quote(name)}",
            f"        id: {step_id(number)}",
            f"        uses: {COMMAND_GRADER}",
            "        with:",
            f"          test-name: {_quote(name)}",
            "          setup-command: ''",
            f"          command: python -m pytest pristine/lessons/{lesson.folder} -p no:cacheprovider",
            f"          timeout: {minutes}",
            f"          max-score: {worth:g}",
        ]
    lines += [
        "      - name: Autograding Reporter",
        f"        uses: {REPORTER}",
        "        env:",
        *(f'          {step_id(n).upper()}_RESULTS: "${{{{steps.{step_id(n)}.outputs.result}}}}"'
          for n in points),
        "        with:",
        f"          runners: {','.join(step_id(n) for n in points)}",
    ]
    return "\n".join(lines) + "\n"


def write_workflow(path: Path, text: str) -> Path | None:
    """Write the workflow; an existing, different file is first copied to a backup.

    Args:
        path: where (its folders are made).
        text: the workflow.

    Returns:
        The backup's path, or ``None`` when there was nothing to keep.
    """
    backup = None
    if path.is_file() and path.read_text(errors="replace") != text:
        backup = path.with_name(path.name + ".bak")
        counter = 1
        while backup.exists():
            backup = path.with_name(f"{path.name}.bak{counter}")
            counter += 1
        shutil.copy2(path, backup)
    elif path.exists() and not path.is_file():
        raise ClassroomError(f"{path} is not a regular file; move it away or name another --out.")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text)
    return backup


def main(args: argparse.Namespace, checkout: Checkout) -> int:
    """``kata classroom --template OWNER/REPO --ref SHA``: write the workflow, say where."""
    from rich.console import Console

    from kata.grading.submissions import SubmissionError, graded_lessons

    console = Console()
    try:
        if args.lessons is None:
            lessons = [n for n in graded_lessons(None, checkout) if not get_lesson(n).bonus]
        else:
            lessons = graded_lessons(args.lessons, checkout)
        timeouts = dict.fromkeys(lessons, args.timeout) if args.timeout else None
        workflow(dict.fromkeys(lessons, 0.0), args.template, args.ref)  # check the names first
        text = workflow(lesson_points(checkout, lessons), args.template, args.ref, timeouts)
        out = args.out or DEFAULT_OUT
        backup = write_workflow(out, text)
    except (ClassroomError, SubmissionError, OSError) as error:
        console.print(f"[red]{error}[/red]")
        return 2
    if backup is not None:
        console.print(f"The earlier {out} is kept as {backup}.")
    console.print(f"Wrote {out}: one step per lesson ({', '.join(f'{n:02d}' for n in lessons)}), "
                  f"the suites of {args.template} at {args.ref[:12]}. Commit it to the template "
                  "repository (GitHub Classroom copies it into every student's repository).")
    return 0
