"""``kata dev sync`` and ``kata dev check``: for authors of the kata, as rustlings' ``dev``.

``lessons/NN/<module>.py`` is the one place an author edits a stub.  ``kata dev
sync`` copies every stub into ``kata/stubs/NN/<module>.py``, the package data
``kata reset`` and ``kata release`` restore from.  ``kata dev check`` verifies
that the copies are in sync, that every untouched stub scores 0 and that every
reference solution scores full points.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from kata import report as report_module
from kata.checkout import Checkout
from kata.fileio import copy_atomic
from kata.impl import LESSONS, get_lesson
from kata.student.runner import pytest_env


def out_of_sync(checkout: Checkout) -> list[int]:
    """The lessons whose packaged stub differs from (or lacks) ``lessons/NN/<module>.py``.

    Args:
        checkout: the repository (the folder with ``lessons/`` and ``kata/``).

    Returns:
        Their numbers, in order.
    """
    differ = []
    for number in LESSONS:
        source = checkout.lesson_file(number)
        target = checkout.source_stubs / get_lesson(number).folder / get_lesson(number).filename
        if source.is_file() and (not target.is_file() or target.read_bytes() != source.read_bytes()):
            differ.append(number)
    return differ


def sync(checkout: Checkout) -> list[Path]:
    """Copy every lesson's stub to ``kata/stubs/NN/<module>.py``.

    Args:
        checkout: the repository.

    Returns:
        The files written (only those that differed).
    """
    written = []
    for number in out_of_sync(checkout):
        lesson = get_lesson(number)
        target = checkout.source_stubs / lesson.folder / lesson.filename
        written.append(copy_atomic(checkout.lesson_file(number), target))
    return written


def score(checkout: Checkout, numbers: list[int], tree: Path) -> report_module.Report:
    """Run the graded suites of ``numbers`` on ``tree`` (one pytest subprocess).

    Args:
        checkout: the repository whose suites run.
        numbers: the lessons.
        tree: a folder laid out as ``NN/<module>.py``.

    Returns:
        The :class:`kata.report.Report` the plugin wrote.
    """
    with tempfile.TemporaryDirectory() as folder:
        report_path = Path(folder) / "report.json"
        done = subprocess.run(
            [sys.executable, "-m", "pytest", *[f"lessons/{get_lesson(n).folder}" for n in numbers],
             f"--impl={tree}", f"--kata-report={report_path}", "-q", "-p", "no:cacheprovider"],
            cwd=checkout.root, env=pytest_env(), capture_output=True, text=True,
        )
        if not report_path.is_file():
            raise RuntimeError(f"pytest wrote no report (exit code {done.returncode}):\n{done.stdout[-2000:]}")
        return report_module.read(report_path)


def check(checkout: Checkout, *, skip_slow: bool = False) -> list[str]:
    """Everything that is wrong with the stubs and the references, in words.

    Args:
        checkout: the repository (it needs ``solutions/``).
        skip_slow: leave out the lessons that train on the full data.

    Returns:
        One line per problem; empty when all is well.
    """
    problems = [
        f"kata/stubs/ differs from lessons/{n:02d}/{get_lesson(n).filename}: run `kata dev sync`"
        for n in out_of_sync(checkout)
    ]
    numbers = [n for n in checkout.present_lessons() if not (skip_slow and get_lesson(n).slow)]
    if not numbers:
        return problems
    for score_ in score(checkout, numbers, checkout.source_stubs).lessons():
        if score_.earned != 0:
            problems.append(f"the untouched stub earns points: {score_.line}")
    if not checkout.has_solutions:
        return [*problems, "there is no solutions/ folder: the references were not checked"]
    for score_ in score(checkout, numbers, checkout.solutions).lessons():
        if score_.possible == 0 or score_.earned < score_.possible:
            problems.append(f"the reference loses points: {score_.line}")
    return problems


def main(args, checkout: Checkout) -> int:
    """``kata dev sync`` / ``kata dev check [--skip-slow]``."""
    if args.dev_command == "sync":
        written = sync(checkout)
        for path in written:
            print(f"wrote {checkout.shown(path)}")
        print(f"kata/stubs/ is in sync with lessons/ ({len(written)} written).")
        return 0
    problems = check(checkout, skip_slow=args.skip_slow)
    for problem in problems:
        print(f"✗ {problem}")
    if not problems:
        print("✓ stubs in sync, every stub scores 0, every reference full points.")
    return 1 if problems else 0
