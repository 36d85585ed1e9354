"""``kata release OUT``: a student copy of the repository, without the solutions.

What goes in: the lessons (untouched stubs, graded suites, hints), the
guides in ``docs/``, the ``kata`` tooling, ``README.md``, ``pyproject.toml``,
``conftest.py`` and a ``tox.ini`` of its own.  What stays out: ``solutions/``, the
project's own ``tests/`` (they check the suites against the solutions and
the mutants), the instructor's guide, the Gradescope and scale-out files, grading-only
tests (``lessons/NN/test_*_grading.py``), hidden tests (``lessons/NN/test_hidden_*.py``,
:mod:`kata.grading.hidden`), caches and version-control files.

In the copy, a lesson's tests take other lessons' functions from the
student's own earlier lessons (there is no reference to take them from; see
the ``reference`` fixture in :mod:`kata.plugin`), and ``tox`` runs the
student's lessons (``pytest lessons``) instead of the project's tests.
The lesson modules come from the packaged stubs (``kata/stubs/``), so an
instructor who worked through ``lessons/`` still hands out untouched stubs.
The copy is made of the checkout the command runs in; its ``kata`` tooling is
that checkout's ``kata/`` folder, or the installed package when the checkout
has none (a plain ``pip install``).
"""

from __future__ import annotations

import argparse
import fnmatch
import shutil
from pathlib import Path

from kata.checkout import PACKAGE, Checkout
from kata.fileio import write_atomic
from kata.grading.hidden import PATTERN as HIDDEN_TESTS
from kata.impl import LESSONS

TOP_FILES = ["README.md", "pyproject.toml", "conftest.py", "LICENSE", ".gitignore"]
TOP_FOLDERS = ["lessons", "docs"]
LEFT_OUT = [
    "__pycache__", "*.pyc", ".pytest_cache", "*.egg-info", ".DS_Store",
    "*.bak", "*.backup", "*.orig",  # backups of a student's or instructor's own work
    "test_*_grading.py",  # grading-only tests stay with the instructor
    HIDDEN_TESTS,  # and so do hidden tests: kata grade runs them
]
INSTRUCTOR_ONLY = ["docs/instructor.md", "docs/gradescope", "docs/scale", "docs/prairielearn"]


class ReleaseError(RuntimeError):
    """A release that can't be written, with what to do about it."""


def _ignoring(root: Path):
    """A :func:`shutil.copytree` ``ignore`` leaving out :data:`LEFT_OUT` and :data:`INSTRUCTOR_ONLY`."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        left_out = {n for n in names for pattern in LEFT_OUT if fnmatch.fnmatch(n, pattern)}
        relative = Path(folder).resolve().relative_to(root)
        for name in names:
            if (relative / name).as_posix() in INSTRUCTOR_ONLY:
                left_out.add(name)
        return left_out

    return ignore


STUDENT_TOX_INI = """\
# Your checks.  `tox` installs TensorFlow once and runs the graded suites of
# your lessons: one score line per lesson and your total.
[tox]
requires = tox>=4
envlist = lessons

[testenv:lessons]
description = the graded suites of your lessons: your points per lesson
package = editable
pass_env =
    FASHION_MNIST_DIR
    KERAS_HOME
    HOME
set_env =
    TF_CPP_MIN_LOG_LEVEL = 2
    MPLBACKEND = Agg
commands =
    pytest lessons -p no:cacheprovider {posargs}
"""


def release(checkout: Checkout, out: Path) -> list[Path]:
    """Write the student copy of ``checkout`` into ``out``.

    Args:
        checkout: the repository to release (it must have lessons).
        out: a new or empty folder outside the checkout.

    Returns:
        The files written.

    Raises:
        ReleaseError: ``out`` is not empty, is inside the checkout, or the
            checkout has no lesson with a graded suite; nothing was written.
    """
    out = Path(out)
    root = checkout.root
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ReleaseError(
            f"{out} already exists and is not empty. Name a new folder (kata release "
            f"student-copy) or empty this one first; nothing was written."
        )
    if out.resolve() == root or root in out.resolve().parents:
        raise ReleaseError(f"{out} is inside the repository itself; name a folder outside it.")
    if not checkout.present_lessons():
        raise ReleaseError(
            f"{checkout.lessons} has no lesson with a graded suite (lessons/NN/test_*.py), so a "
            "student copy would have nothing to do. Run `kata release` in the kata repository."
        )
    out.mkdir(parents=True, exist_ok=True)
    for name in TOP_FILES:
        if (root / name).is_file():
            shutil.copy2(root / name, out / name)
    for name in TOP_FOLDERS:
        if (root / name).is_dir():
            shutil.copytree(root / name, out / name, ignore=_ignoring(root))
    tooling = root / "kata" if (root / "kata" / "__init__.py").is_file() else PACKAGE
    shutil.copytree(tooling, out / "kata", ignore=_ignoring(tooling.parent))
    for lesson in LESSONS.values():
        stub = checkout.stub_file(lesson.number)
        target = out / "lessons" / lesson.folder / lesson.filename
        if stub.is_file() and target.parent.is_dir():
            shutil.copy2(stub, target)
    write_atomic(out / "tox.ini", STUDENT_TOX_INI)
    return sorted(p for p in out.rglob("*") if p.is_file())


def main(args: argparse.Namespace, checkout: Checkout) -> int:
    """``kata release OUT``: write the copy and say what is in it."""
    from rich.console import Console

    console = Console()
    try:
        files = release(checkout, args.out)
    except ReleaseError as error:
        console.print(f"[red]{error}[/red]")
        return 2
    lessons = sorted(p.parent.name for p in (Path(args.out) / "lessons").glob("*/test_*.py"))
    console.print(
        f"Wrote a student copy to {args.out}: {len(files)} files, lessons {', '.join(lessons)}, "
        "no solutions. Students start with: pytest lessons/01"
    )
    return 0
