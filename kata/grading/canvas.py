"""Canvas: the class's totals as a CSV that Canvas' gradebook import reads.

Canvas' gradebook import (Grades → Import; Instructure's guide "How do I
import grades in the Gradebook?",
https://community.canvaslms.com/t5/Instructor-Guide/How-do-I-import-grades-in-the-Gradebook/ta-p/807)
reads a CSV shaped like its own export: the columns ``Student``, ``ID``,
``SIS User ID``, ``SIS Login ID``, ``Section``, then one column per
assignment, headed ``Name`` (a new assignment, created on import) or
``Name (id)`` (an existing one, by its Canvas id); the second row starts with
``Points Possible`` and gives each assignment's points.  A student is matched
by ``ID``, ``SIS User ID`` or ``SIS Login ID`` when given, else by name.

Like :mod:`kata.grading.prairielearn`, this renders the one results model,
:class:`~kata.grading.records.StudentGrade`, that Gradescope's output renders.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from kata.grading.records import StudentGrade
from kata.impl import get_lesson
from kata.outcome import fmt

IDENTITY = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
DEFAULT_ASSIGNMENT = "Fashion-MNIST kata"


class CanvasError(ValueError):
    """A roster that can't be read or doesn't list a graded student, with what to fix."""


def read_canvas_roster(path: Path) -> list[dict[str, str]]:
    """The students of a gradebook exported from Canvas (Grades → Export), one dict per row.

    Args:
        path: the exported CSV.

    Returns:
        Each student's ``Student``, ``ID``, ``SIS User ID``, ``SIS Login ID`` and ``Section``.

    Raises:
        CanvasError: the file isn't a Canvas gradebook export.
    """
    try:
        with open(path, newline="", encoding="utf-8-sig") as stream:
            rows = list(csv.DictReader(stream))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise CanvasError(f"--canvas-roster {path}: can't read it ({error}).") from None
    if not rows or not {"Student", "ID"} <= set(rows[0]):
        raise CanvasError(f"--canvas-roster {path} has no Student and ID columns: export the "
                            "gradebook from Canvas (Grades → Export → Export Entire Gradebook) "
                            "and name that file.")
    students = []
    for row in rows:
        name = (row.get("Student") or "").strip()
        if not name or name == "Points Possible" or "Student, Test" in name:
            continue  # the points row, and Canvas' own test student
        students.append({column: (row.get(column) or "").strip() for column in IDENTITY})
    return students


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9@.]+", "", text.lower())


def match_roster(grades: list[StudentGrade], roster: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """Each graded student's Canvas row: their submission's name is their SIS Login ID,
    SIS User ID, Canvas ID, or name (``Lovelace, Ada`` or ``Ada Lovelace``), letter case and
    punctuation aside.

    Returns:
        ``{student: roster row}`` for the students found; the others are left out.
    """
    index: dict[str, dict[str, str]] = {}
    for row in roster:
        names = [row["SIS Login ID"], row["SIS User ID"], row["ID"], row["Student"]]
        if "," in row["Student"]:
            last, first = row["Student"].split(",", 1)
            names.append(f"{first} {last}")
        for name in names:
            if _key(name):
                index.setdefault(_key(name), row)
    return {g.student: index[_key(g.student)] for g in grades if _key(g.student) in index}


def gradebook_csv(grades: list[StudentGrade], *, assignment: str = DEFAULT_ASSIGNMENT,
               roster: list[dict[str, str]] | None = None) -> str:
    """The class's totals as a CSV that Canvas' gradebook import reads.

    One assignment column: the total of the graded lessons, out of their points
    (a bonus lesson's points count over the maximum, as on Gradescope).

    Args:
        grades: the class.
        assignment: the column's name: ``"Kata"`` makes a new assignment on import,
            ``"Kata (12345)"`` fills the existing assignment 12345.
        roster: from :func:`read_canvas_roster`: fills each student's Canvas ID,
            SIS IDs and section; without it the Student column is the submission's name.

    Returns:
        The CSV text.

    Raises:
        CanvasError: with a roster, a graded student it doesn't list (named, so they
            can be added or renamed; nothing half-matched is written).
    """
    rows = match_roster(grades, roster) if roster is not None else {}
    if roster is not None:
        missing = [g.student for g in grades if g.student not in rows]
        if missing:
            raise CanvasError("Not in the Canvas roster (name each submission by the student's "
                                "SIS Login ID, SIS User ID or Canvas name): " + ", ".join(missing))
    possible = max((g.total()[1] for g in grades), default=0.0)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*IDENTITY, assignment])
    writer.writerow(["Points Possible", "", "", "", "", fmt(possible)])
    for grade in grades:
        earned, _ = grade.total()
        bonus = sum(g.earned for n, g in grade.lessons.items() if get_lesson(n).bonus)
        row = rows.get(grade.student) or {"Student": grade.student}
        writer.writerow([*(row.get(column, "") for column in IDENTITY), fmt(earned + bonus)])
    return buffer.getvalue()
