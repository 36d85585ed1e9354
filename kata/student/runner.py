"""Running lessons' graded suites for the student commands, and choosing what comes next."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from kata import report as report_module
from kata.checkout import Checkout
from kata.impl import IMPL_ENV, get_lesson
from kata.outcome import LessonResult
from kata.student.record import results_from_report
from kata.student.state import save_results
from kata.student.warm import WarmRunner


class RunError(RuntimeError):
    """pytest ran but wrote no report (e.g. it could not even start)."""


def pytest_env() -> dict[str, str]:
    """The environment of a lesson run: this one, quiet TensorFlow, no display, no inherited tree."""
    env = dict(os.environ, MPLBACKEND="Agg", TF_CPP_MIN_LOG_LEVEL="2")
    env.pop(IMPL_ENV, None)
    return env


def run_lessons(
    numbers: Iterable[int], checkout: Checkout, *, warm: WarmRunner | None = None
) -> dict[int, LessonResult]:
    """Run the graded suites of ``numbers`` in ONE pytest process, on the student's files.

    Args:
        numbers: the lessons to run.
        checkout: the student's copy of the kata; pytest runs in its root.
        warm: a warm process to fork the run from (:mod:`kata.student.warm`);
            without one, or when it can't, a fresh ``python -m pytest`` runs.

    Returns:
        A :class:`~kata.outcome.LessonResult` per lesson that ran; they are
        also remembered in ``.kata/status.json``.

    Raises:
        RunError: pytest stopped before it could grade anything.
    """
    numbers = list(numbers)
    if not numbers:
        return {}
    checkout.state.mkdir(parents=True, exist_ok=True)
    fd, report_path = tempfile.mkstemp(dir=checkout.state, prefix="report-", suffix=".json")
    os.close(fd)
    os.unlink(report_path)
    args = [
        *[f"lessons/{get_lesson(n).folder}" for n in numbers],
        "--impl=lessons", f"--kata-report={report_path}", "-q", "-p", "no:cacheprovider",
    ]  # fmt: skip
    try:
        code = warm.pytest(args, checkout.state / "last-run.log") if warm is not None else None
        if code is not None:
            output = (checkout.state / "last-run.log").read_text(encoding="utf-8", errors="replace")
        else:
            command = [sys.executable, "-m", "pytest", *args]
            done = subprocess.run(command, cwd=checkout.root, env=pytest_env(), capture_output=True, text=True)
            code, output = done.returncode, done.stdout + done.stderr
        if not Path(report_path).is_file():
            tail = "\n".join(output.strip().splitlines()[-15:])
            raise RunError(f"pytest stopped before grading (exit code {code}):\n{tail}")
        report = report_module.read(report_path)
    finally:
        Path(report_path).unlink(missing_ok=True)
    results = results_from_report(report, checkout)
    save_results(results.values(), checkout)
    return results


def run_one(number: int, checkout: Checkout, *, warm: WarmRunner | None = None) -> LessonResult | None:
    """Run one lesson's graded suite (forked from ``warm`` when given); ``None`` if it produced no result."""
    return run_lessons([number], checkout, warm=warm).get(number)


def next_lesson(results: dict[int, LessonResult], numbers: Iterable[int]) -> int | None:
    """The first lesson (not counting the bonus) without full points.

    Args:
        results: the last result of each lesson.
        numbers: the lessons of the checkout, in order.

    Returns:
        Its number, or ``None`` when all are done.
    """
    for n in numbers:
        if get_lesson(n).bonus:
            continue
        result = results.get(n)
        if result is None or not result.full:
            return n
    return None


def following(number: int, results: dict[int, LessonResult], numbers: Iterable[int]) -> int | None:
    """The lesson to go on with after ``number``: the next one without full points.

    Lessons after ``number`` come first, then the earlier ones left unfinished;
    never the bonus lesson (``kata watch 11`` starts it).

    Args:
        number: the lesson just finished.
        results: the last result of each lesson.
        numbers: the lessons of the checkout, in order.

    Returns:
        Its number, or ``None`` when all are done.
    """
    order = [n for n in numbers if not get_lesson(n).bonus]
    candidates = [n for n in order if n > number] + [n for n in order if n < number]
    for n in candidates:
        if n not in results or not results[n].full:
            return n
    return None


def console_or_default(console=None):
    """``console``, or a new rich Console without syntax highlighting."""
    if console is not None:
        return console
    from rich.console import Console

    return Console(highlight=False)
