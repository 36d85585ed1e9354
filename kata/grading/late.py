"""Late rules: when a submission came in, how late that is, and what it costs.

Two sources of the submission time:

- on Gradescope, ``/autograder/submission_metadata.json``: the submission's
  ``created_at`` against the assignment's ``due_date`` (and ``late_due_date``);
- locally, ``kata grade --due 2026-12-01T23:59``: the newest modification time
  of the submission's lesson files (``NN/<module>.py`` and lesson notebooks
  ``NN-<topic>.ipynb``; inside a ``.zip``, the times the zip stores for them).
  A time without a UTC offset is local time.

The penalty is ``--late-penalty RATE%/day`` (or ``/hour``): every *started* day
(or hour) after the due date costs RATE percent of the total, at most
``--late-cap`` (100% by default).  A submission after Gradescope's
``late_due_date`` gets the cap.  Without ``--late-penalty`` the lateness is
shown and costs nothing.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import zipfile
from datetime import datetime
from pathlib import Path

from kata.impl import LESSONS

UNITS = {"day": 86400.0, "hour": 3600.0}
LESSON_FILES = [[lesson.folder, lesson.filename] for lesson in LESSONS.values()]


class LateError(ValueError):
    """A due date, penalty or metadata file that can't be read, with what to write instead."""


@dataclasses.dataclass(frozen=True)
class Penalty:
    """``percent`` of the total per started ``unit`` late, at most ``cap`` percent."""

    percent: float = 0.0
    unit: str = "day"
    cap: float = 100.0


@dataclasses.dataclass
class Late:
    """How late one submission was and what it costs (kept in the student's record).

    Args:
        seconds: after the due date (0 or less: on time).
        penalty: the percentage taken off the total, 0 to 100.
        due: the due date, ISO 8601.
        units: started days (or hours) late.
        unit: ``"day"`` or ``"hour"``.
    """

    seconds: float
    penalty: float
    due: str
    units: int = 0
    unit: str = "day"

    @property
    def factor(self) -> float:
        """What the total is multiplied by: ``1 - penalty / 100``."""
        return 1.0 - self.penalty / 100.0

    def label(self) -> str:
        """The gradebook's ``late`` cell, e.g. ``2 days, -20%`` or ``on time``."""
        if self.seconds <= 0:
            return "on time"
        return f"{self.units} {self.unit}{'s' * (self.units != 1)}, -{self.penalty:g}%"

    def sentence(self) -> str:
        """The feedback's line about it."""
        if self.seconds <= 0:
            return f"Submitted on time (due {self.due})."
        cost = f"{self.penalty:g}% off the total" if self.penalty else "no penalty"
        return (f"Submitted late: {self.units} started {self.unit}{'s' * (self.units != 1)} after "
                f"the due date ({self.due}), {cost}.")


def parse_penalty(text: str | None, cap: str | None = None) -> Penalty:
    """``--late-penalty 10%/day`` (and ``--late-cap 50%``) as a :class:`Penalty`.

    Args:
        text: ``RATE%/day`` or ``RATE%/hour``; ``None``: no penalty.
        cap: the most taken off, ``PCT%`` (default 100%).

    Returns:
        The :class:`Penalty`.

    Raises:
        LateError: naming what to write instead.

    Example::

        parse_penalty("10%/day", "50%")   # Penalty(percent=10.0, unit="day", cap=50.0)
    """
    limit = 100.0
    if cap is not None:
        found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*%?\s*", cap)
        if not found or float(found[1]) > 100:
            raise LateError(f"--late-cap {cap}: write a percentage from 0 to 100, e.g. 50%.")
        limit = float(found[1])
    if text is None:
        return Penalty(0.0, "day", limit)
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*%\s*/\s*(day|hour)s?\s*", text)
    if not found or float(found[1]) > 100:
        raise LateError(f"--late-penalty {text}: write a percentage per day or per hour, e.g. "
                        "10%/day or 2%/hour.")
    return Penalty(float(found[1]), found[2], limit)


def parse_time(text: str, what: str = "--due") -> datetime:
    """An ISO 8601 time, local time when it has no UTC offset.

    Raises:
        LateError: it isn't one.
    """
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        raise LateError(f"{what} {text!r}: write a date and time like 2026-12-01T23:59 (local "
                        "time) or 2026-12-01T23:59+01:00.") from None
    return moment if moment.tzinfo else moment.astimezone()


def assess(submitted: datetime, due: datetime, penalty: Penalty,
           hard: datetime | None = None) -> Late:
    """How late ``submitted`` is for ``due`` and what ``penalty`` takes for it.

    Args:
        submitted: when the submission came in.
        due: the due date.
        penalty: the rule.
        hard: after this (Gradescope's ``late_due_date``), the cap is taken.

    Returns:
        The :class:`Late`.

    Example::

        assess(parse_time("2026-12-03T08:00"), parse_time("2026-12-01T23:59"),
               parse_penalty("10%/day")).penalty   # 20.0: two started days
    """
    seconds = (submitted - due).total_seconds()
    units = max(0, math.ceil(seconds / UNITS[penalty.unit]))
    taken = min(penalty.cap, penalty.percent * units)
    if hard is not None and submitted > hard and penalty.percent:
        taken = penalty.cap
    return Late(round(seconds, 3), taken, due.isoformat(timespec="minutes"), units, penalty.unit)


def from_metadata(path: Path, penalty: Penalty) -> Late | None:
    """The lateness in Gradescope's ``submission_metadata.json``; ``None`` without a due date.

    Raises:
        LateError: the file isn't Gradescope's metadata.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        assignment = data["assignment"]
        due, created = assignment.get("due_date"), data["created_at"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise LateError(f"{path} is not Gradescope's submission metadata ({error}).") from None
    if not due:
        return None
    hard = assignment.get("late_due_date")
    return assess(parse_time(created, "created_at"), parse_time(due, "due_date"), penalty,
                  parse_time(hard, "late_due_date") if hard else None)


def _is_lesson_file(posix: str) -> bool:
    """``.../NN/<module>.py`` of a lesson, or a lesson notebook (``NN-<topic>.ipynb``)."""
    parts = posix.split("/")
    if parts[-1].endswith(".ipynb"):
        return parts[-1][:2].isdigit()
    return len(parts) >= 2 and parts[-2:] in LESSON_FILES


def submitted_at(path: Path) -> datetime | None:
    """The newest modification time of a submission's lesson modules and lesson notebooks.

    Args:
        path: a submission folder or ``.zip`` (links are not followed).

    Returns:
        An aware time, or ``None`` when it has no lesson file.
    """
    newest = None
    if path.is_dir():
        for file in path.rglob("*"):
            if (_is_lesson_file(file.relative_to(path).as_posix()) and not file.is_symlink()
                    and file.is_file()):
                moment = datetime.fromtimestamp(file.stat().st_mtime).astimezone()
                newest = moment if newest is None else max(newest, moment)
        return newest
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if _is_lesson_file(info.filename.replace("\\", "/")):
                    moment = datetime(*info.date_time).astimezone()
                    newest = moment if newest is None else max(newest, moment)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return newest


def rules(args) -> tuple[datetime | None, Penalty]:
    """``(due, penalty)`` from ``kata grade``'s ``--due``, ``--late-penalty`` and ``--late-cap``.

    Raises:
        LateError: one of them can't be read, or a penalty has no due date (outside Gradescope).
    """
    penalty = parse_penalty(args.late_penalty, args.late_cap)
    due = parse_time(args.due) if args.due else None
    if args.late_penalty and due is None and not args.gradescope:
        raise LateError("--late-penalty needs a due date: add --due 2026-12-01T23:59.")
    return due, penalty


def as_json(due: datetime | None, penalty: Penalty) -> dict:
    """The late rules as JSON values, for a shard's manifest."""
    return {"due": due.isoformat() if due else None, **dataclasses.asdict(penalty)}


def of_class(submissions, due: datetime | None, penalty: Penalty) -> dict[str, Late]:
    """Each submission's lateness from its files' times; ``{}`` without a due date.

    A submission with no lesson file at all counts as on time.
    """
    if due is None:
        return {}
    return {s.student: assess(submitted_at(s.path) or due, due, penalty) for s in submissions}


def of_gradescope(submission, folder: Path, due: datetime | None,
                  penalty: Penalty) -> dict[str, Late]:
    """Gradescope's lateness from ``folder/submission_metadata.json``, else as :func:`of_class`."""
    metadata = folder / "submission_metadata.json"
    found = from_metadata(metadata, penalty) if metadata.is_file() else None
    if found is not None:
        return {submission.student: found}
    return of_class([submission], due, penalty)
