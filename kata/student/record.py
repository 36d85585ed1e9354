"""Remember what a plain ``pytest lessons/NN`` run found, where ``kata status`` reads it.

The kata's pytest plugin calls :func:`record` once at the end of a run.  Only
runs of the student's own files count (``--impl=lessons``, the default) and
only lessons whose whole graded suite ran: a ``-k`` selection that passed 4
of 4 points is not "full points".  Nothing here imports TensorFlow, and a
failure to write never fails the student's test run.
"""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path

from kata.checkout import Checkout
from kata.impl import is_checkout
from kata.outcome import LessonResult, Outcome
from kata.report import POINTS_PER_LESSON, Report
from kata.student.state import fingerprint, save_results, untouched


def results_from_report(report: Report, checkout: Checkout) -> dict[int, LessonResult]:
    """One :class:`~kata.outcome.LessonResult` per lesson of ``report``, fingerprinted now.

    Args:
        report: what the kata plugin collected in a run on the student's files.
        checkout: the student's copy of the kata.

    Returns:
        The results by lesson number.
    """
    now = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
    results = {}
    for score in report.lessons():
        rows = [r for r in report.results if r.lesson == score.number]
        results[score.number] = LessonResult(
            number=score.number,
            earned=score.earned,
            possible=score.possible,
            passed=score.passed,
            tests=score.tests,
            not_started=score.earned == 0 and untouched(score.number, checkout),
            failures=[f"{r.name}: {r.message}" for r in rows if r.outcome != Outcome.PASSED],
            fingerprint=fingerprint(score.number, checkout),
            when=now,
        )
    return results


def record(report: Report, tree: str | os.PathLike) -> dict[int, LessonResult]:
    """Store the complete lessons of ``report`` in ``.kata/status.json`` when ``tree`` is a student's ``lessons/``.

    Args:
        report: the plugin's report of this run.
        tree: the folder the run tested (``--impl``).

    Returns:
        The results stored (empty when the run was not on a checkout's
        ``lessons/``, covered no whole suite, or the state folder can't be written).

    Example:
        >>> record(report, "/home/ada/kata/lessons")  # doctest: +SKIP
        {3: LessonResult(number=3, earned=10.0, possible=10.0, ...)}
    """
    tree = Path(tree).resolve()
    if tree.name != "lessons" or not is_checkout(tree.parent):
        return {}
    checkout = Checkout(tree.parent)
    results = {
        n: result
        for n, result in results_from_report(report, checkout).items()
        if result.possible >= POINTS_PER_LESSON  # the whole suite ran, not a -k selection
    }
    try:
        save_results(results.values(), checkout)
    except OSError:
        return {}  # a read-only copy: the test run itself must not fail for it
    return results
