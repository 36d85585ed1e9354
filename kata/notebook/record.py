"""Which lessons were solved in a notebook: the last ``kata.check(n)`` of each.

Every ``kata.check(n)`` writes its score to ``.kata/notebook-results.json``
in the kata's folder (beside ``kata status``'s own records), so the progress
made in notebooks counts wherever progress is shown.  :func:`solved` reads
it back.  The environment variable ``KATA_NOTEBOOK_RESULTS`` names another
file (the project's own tests use it, so they never touch a student's record).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from kata.impl import ROOT, get_lesson

RESULTS_FILE = Path(".kata") / "notebook-results.json"
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


def results_path(root: str | os.PathLike = ROOT) -> Path:
    """The results file: ``$KATA_NOTEBOOK_RESULTS`` when set, else ``<root>/.kata/notebook-results.json``."""
    override = os.environ.get(RESULTS_ENV)
    return Path(override) if override else Path(root) / RESULTS_FILE


def load(root: str | os.PathLike = ROOT) -> dict[int, NotebookScore]:
    """Every lesson's last notebook check.

    Args:
        root: the kata's folder (the one holding ``lessons/``).

    Returns:
        ``{lesson number: NotebookScore}``; empty when no notebook was checked
        (or the file is unreadable: it is a record, never the only copy of work).
    """
    try:
        data = json.loads(results_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    scores = {}
    for row in data.get("lessons", {}).values():
        try:
            score = NotebookScore(**row)
        except TypeError:
            continue
        scores[score.lesson] = score
    return scores


def solved(root: str | os.PathLike = ROOT) -> list[int]:
    """The lessons whose last notebook check had full points.

    Args:
        root: the kata's folder.

    Returns:
        Lesson numbers, in order, e.g. ``[1, 2, 3]``.

    Example::

        >>> from kata.notebook import record
        >>> record.solved()
        [1, 2, 3]
    """
    return sorted(number for number, score in load(root).items() if score.full)


def save(result, root: str | os.PathLike = ROOT, now: _dt.datetime | None = None) -> Path:
    """Record a :class:`kata.notebook.result.CheckResult` as its lesson's last check.

    Args:
        result: what ``kata.check(n)`` returned.
        root: the kata's folder.
        now: the time to record (default: now).

    Returns:
        The results file written.
    """
    lesson = get_lesson(result.lesson)
    when = (now or _dt.datetime.now(_dt.UTC)).isoformat(timespec="seconds")
    scores = load(root)
    scores[lesson.number] = NotebookScore(
        lesson.number, result.points, result.max_points, result.line, when
    )
    path = results_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"lessons": {f"{n:02d}": asdict(s) for n, s in sorted(scores.items())}}
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as stream:
        json.dump(data, stream, indent=2, ensure_ascii=False)
        stream.write("\n")
    os.replace(tmp, path)
    return path
