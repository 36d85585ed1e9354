"""Which lessons were solved in a notebook: the last ``kata.check(n)`` of each.

Every ``kata.check(n)`` writes its score to ``.kata/notebook-results.json``
in the kata's folder (beside ``kata status``'s own records), so the progress
made in notebooks counts wherever progress is shown.  :func:`solved` reads
it back.  The environment variable ``KATA_NOTEBOOK_RESULTS`` names another
file (the project's own tests use it, so they never touch a student's record).
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from kata.checkout import Checkout
from kata.fileio import read_json, write_json
from kata.impl import get_lesson

RESULTS_FILE = "notebook-results.json"  # in the checkout's .kata/
RESULTS_ENV = "KATA_NOTEBOOK_RESULTS"


@dataclass(frozen=True)
class NotebookScore:
    """The last ``kata.check(n)`` of one lesson in a notebook."""

    lesson: int
    earned: float
    possible: float
    line: str
    checked: str  # when, as an ISO 8601 UTC time

    @property
    def full(self) -> bool:
        return self.possible > 0 and self.earned == self.possible


def results_path(checkout: Checkout) -> Path:
    """The results file: ``$KATA_NOTEBOOK_RESULTS`` when set, else ``.kata/notebook-results.json``.

    Args:
        checkout: the kata the notebooks belong to.

    Returns:
        The file's path (it may not exist yet).
    """
    override = os.environ.get(RESULTS_ENV)
    return Path(override) if override else checkout.state / RESULTS_FILE


def load(checkout: Checkout) -> dict[int, NotebookScore]:
    """Every lesson's last notebook check.

    Args:
        checkout: the kata the notebooks belong to.

    Returns:
        ``{lesson number: NotebookScore}``; empty when no notebook was checked
        (or the file is unreadable: it is a record, never the only copy of work).
    """
    data = read_json(results_path(checkout), default={})
    lessons = data.get("lessons", {}) if isinstance(data, dict) else {}
    scores = {}
    for row in lessons.values() if isinstance(lessons, dict) else []:
        try:
            score = NotebookScore(**row)
        except TypeError:
            continue
        scores[score.lesson] = score
    return scores


def solved(checkout: Checkout) -> list[int]:
    """The lessons whose last notebook check had full points.

    Args:
        checkout: the kata the notebooks belong to.

    Returns:
        Lesson numbers, in order, e.g. ``[1, 2, 3]``.

    Example::

        >>> from kata.notebook import record
        >>> record.solved(Checkout.find())
        [1, 2, 3]
    """
    return sorted(number for number, score in load(checkout).items() if score.full)


def save(result, checkout: Checkout, now: _dt.datetime | None = None) -> Path:
    """Record a :class:`kata.notebook.result.CheckResult` as its lesson's last check.

    Args:
        result: what ``kata.check(n)`` returned.
        checkout: the kata the notebook belongs to.
        now: the time to record (default: now).

    Returns:
        The results file written.
    """
    lesson = get_lesson(result.lesson)
    when = (now or _dt.datetime.now(_dt.UTC)).isoformat(timespec="seconds")
    scores = load(checkout)
    scores[lesson.number] = NotebookScore(
        lesson.number, result.points, result.max_points, result.line, when
    )
    data = {"lessons": {f"{n:02d}": asdict(s) for n, s in sorted(scores.items())}}
    return write_json(results_path(checkout), data)
