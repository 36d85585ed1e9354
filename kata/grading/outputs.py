"""The outputs: gradebook, feedback, Gradescope JSON, chart and signed records.

They are written by the grader alone, after every process of the class is
dead (:func:`kata.grading.grader.grade_class` makes sure), each atomically
(a reader sees the old file or the new one, never half).  A path that is
taken by something other than a regular file (a folder, a link, a pipe) is
not written; the others are, and :class:`OutputError` then names every path
that wasn't.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

from kata import fileio
from kata.grading.hidden import is_hidden
from kata.grading.hidden import summary as hidden_summary
from kata.grading.records import CACHE_FOLDER, StudentGrade, signed_record
from kata.i18n import _, translate
from kata.impl import get_lesson
from kata.outcome import Outcome, fmt

SANDBOX_LABELS = {"bwrap": "bwrap", "user": "grading user", "none": "unsandboxed"}


class OutputError(OSError):
    """Some outputs couldn't be written; every other output was."""


def write_output(path: Path, data: str | bytes) -> None:
    """Write an output with :func:`kata.fileio.write_atomic`, mode 0600, never through a link.

    Args:
        path: the file; its folder is created when missing.
        data: text (written as UTF-8) or bytes.

    Raises:
        OutputError: ``path`` (or a folder on the way) is something other than a regular file.
    """
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        mode = None
    except NotADirectoryError:
        raise OutputError(f"{path}: a folder on the way is a file; move it away.") from None
    if mode is not None and not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "a link" if stat.S_ISLNK(mode) else "not a file"
        raise OutputError(f"{path} is {kind}, not a regular file; move it away and grade again.")
    try:
        fileio.write_atomic(path, data, mode=0o600)  # grades are for the instructor's eyes
    except (FileExistsError, NotADirectoryError):
        raise OutputError(f"{path.parent} is not a folder; move it away and grade again.") from None


def gradebook_csv(grades: list[StudentGrade], lessons: list[int]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    late = any(grade.late is not None for grade in grades)  # a due date was given
    writer.writerow(["student", *(f"{n:02d}" for n in lessons), "total", "max", "review",
                     "sandbox", "outside", *(["late"] if late else [])])
    for grade in grades:
        earned, possible = grade.total()
        review = "; ".join(
            f"{n:02d}: {', '.join(grade.lessons[n].flags)}" for n in lessons if grade.lessons[n].flags
        )
        writer.writerow([grade.student, *(fmt(grade.lessons[n].earned) for n in lessons),
                         fmt(earned), fmt(possible), review, SANDBOX_LABELS[grade.sandbox],
                         share_outside(grade),
                         *([grade.late.label() if grade.late else ""] if late else [])])
    return buffer.getvalue()


def share_outside(grade: StudentGrade) -> str:
    """The share of a submission's points verified outside the student's process, e.g. ``"85%"``.

    Args:
        grade: the submission's grade.

    Returns:
        The percentage, rounded down to a whole number (so that "100%" means all of them).

    Example:
        >>> share_outside(grade)  # doctest: +SKIP
        '100%'
    """
    return _percent(*grade.verified_outside())


def feedback_markdown(grade: StudentGrade) -> str:
    """A student's feedback file, in the language the grader runs in (``kata grade --lang``)."""
    earned, possible = grade.total()
    lines = ["# " + _("Feedback for {student}").format(student=grade.student), "",
             "**" + _("Total: {earned}/{possible} points").format(earned=fmt(earned), possible=fmt(possible)) + "**", ""]
    if grade.late is not None:
        lines += [grade.late.sentence(), ""]
    outside, possible = grade.verified_outside()
    lines += [_("{outside}/{possible} points ({share}) verified outside the process that ran your code.").format(
        outside=fmt(outside), possible=fmt(possible), share=share_outside(grade)), ""]
    if grade.error:
        lines += [_("The grader couldn't read this submission: {error}").format(error=grade.error), ""]
    if grade.sandbox == "none":
        lines += [_("Graded without a sandbox (unsandboxed)."), ""]
    for number, lesson_grade in grade.lessons.items():
        lesson = get_lesson(number)
        lines.append("## " + _("Lesson {folder} · {title}: {earned}/{possible} points").format(
            folder=lesson.folder, title=translate(lesson.title), earned=fmt(lesson_grade.earned), possible=fmt(lesson_grade.possible)))
        lines.append("")
        if lesson_grade.reason:
            lines += ["**" + _("0 points for this lesson: {reason}.").format(reason=lesson_grade.reason) + "**", ""]
        if lesson_grade.flags:
            lines += [_("Flagged for review: {flags}.").format(flags=", ".join(lesson_grade.flags)), ""]
        if lesson_grade.notes:
            lines += [lesson_grade.notes, ""]
        for test in lesson_grade.tests:
            if is_hidden(test):
                continue
            mark = _("pass") if test.outcome == Outcome.PASSED else _("FAIL")
            lines.append(f"- {mark} · `{test.name}` · {fmt(test.earned)}/{fmt(test.points)}")
            if test.message and test.outcome != Outcome.PASSED:
                lines += ["", "  ```text", *("  " + row for row in test.message.splitlines()), "  ```"]
        if hidden_summary(lesson_grade.tests):
            lines.append(hidden_summary(lesson_grade.tests))
        if lesson_grade.log_tail:
            lines += ["", _("The last lines the test run printed:"), "", "```text",
                      lesson_grade.log_tail, "```"]
        lines.append("")
    return "\n".join(lines)


def gradescope_results(grade: StudentGrade) -> dict:
    """Gradescope's results.json: score, max_score and one entry per graded test."""
    tests = []
    for number, lesson_grade in grade.lessons.items():
        lesson = get_lesson(number)
        for index, test in enumerate(lesson_grade.tests, start=1):
            earned = test.earned if lesson_grade.status == "ok" else 0.0
            output = test.message if test.outcome != Outcome.PASSED else ""
            if lesson_grade.reason:
                output = f"0 points for this lesson: {lesson_grade.reason}. {output}".strip()
            tests.append({
                "name": f"{'bonus ' if lesson.bonus else ''}lesson {lesson.folder} · {lesson.topic}: {test.name}",
                "number": f"{number}.{index}",
                "score": earned,
                "max_score": test.points,
                "status": "passed" if earned == test.points and test.points else "failed",
                "output": output,
                "visibility": "after_due_date" if is_hidden(test) else "visible",
            })
    earned, possible = grade.total()  # after any late penalty
    bonus = grade.after_penalty(sum(g.earned for n, g in grade.lessons.items() if get_lesson(n).bonus))
    return {
        "score": round(earned + bonus, 2),  # a bonus lesson is extra credit over max_score
        "max_score": possible,
        "output": (f"{grade.late.sentence()} " if grade.late else "")
        + f"{fmt(earned)}/{fmt(possible)} points. "
        + " ".join(f"lesson {n:02d}: {fmt(g.earned)}/{fmt(g.possible)}." for n, g in grade.lessons.items())
        + "".join(f"\n\nLesson {n:02d}: {g.notes}" for n, g in grade.lessons.items() if g.notes),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def chart_png(grades: list[StudentGrade], lessons: list[int]) -> bytes:
    """Small multiples: for each lesson, how many students got 0, 1, ..., 10 points."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    columns = min(5, len(lessons))
    rows = -(-len(lessons) // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(3 * columns, 2.4 * rows), squeeze=False,
                                sharey=True)
    for ax in axes.flat[len(lessons):]:
        ax.set_visible(False)
    for ax, number in zip(axes.flat, lessons, strict=False):
        scores = [g.lessons[number].earned for g in grades]
        possible = max((g.lessons[number].possible for g in grades), default=10) or 10
        values = list(range(int(possible) + 1))
        counts = [sum(round(s) == v for s in scores) for v in values]
        ax.bar(values, counts, color="tab:blue")
        average = sum(scores) / len(scores) if scores else 0
        ax.set_title(f"lesson {number:02d} · {get_lesson(number).topic}\naverage {average:.1f}",
                     fontsize=9)
        ax.set_xlabel("points", fontsize=8)
        ax.set_xticks(values[:: 2 if len(values) > 6 else 1])
    axes[0][0].set_ylabel("students")
    axes[0][0].yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    figure.suptitle(f"Score distribution per lesson ({len(grades)} student{'s' * (len(grades) != 1)})")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    plt.close(figure)
    return buffer.getvalue()


def write_outputs(out: Path, grades: list[StudentGrade], lessons: list[int],
                  record_key: bytes | None = None) -> None:
    """Write every output of the class (and, with ``record_key``, the signed records).

    Raises:
        OutputError: naming each path that couldn't be written; all the others were.
    """
    files: list[tuple[Path, object]] = [(out / "gradebook.csv", lambda: gradebook_csv(grades, lessons))]
    for grade in grades:
        files.append((out / "feedback" / f"{grade.student}.md", lambda g=grade: feedback_markdown(g)))
        files.append((out / "gradescope" / f"{grade.student}.json",
                      lambda g=grade: json.dumps(gradescope_results(g), indent=2,
                                                 ensure_ascii=False) + "\n"))
        if record_key is not None:
            files.append((out / CACHE_FOLDER / f"{grade.student}.json",
                          lambda g=grade: signed_record(g, record_key)))
    if grades:
        files.append((out / "scores.png", lambda: chart_png(grades, lessons)))
    problems = []
    for path, make in files:
        try:
            write_output(path, make())
        except OutputError as error:
            problems.append(str(error))
    if problems:
        raise OutputError("Some outputs were not written (everything else was):\n- "
                          + "\n- ".join(problems))


def summary_table(grades: list[StudentGrade], lessons: list[int]):
    from rich.table import Table

    table = Table(title=f"{len(grades)} submission{'s' * (len(grades) != 1)}")
    table.add_column("lesson")
    table.add_column("average", justify="right")
    table.add_column("full marks", justify="right")
    table.add_column("0 points", justify="right")
    table.add_column("stopped (time, crash)", justify="right")
    table.add_column("verified outside", justify="right")
    for number in lessons:
        rows = [g.lessons[number] for g in grades]
        outside = _percent(sum(r.verified_outside for r in rows), sum(r.possible for r in rows))
        average = sum(r.earned for r in rows) / len(rows) if rows else 0.0
        full = sum(r.earned == r.possible and r.possible > 0 for r in rows)
        zero = sum(r.earned == 0 for r in rows)
        stopped = sum(r.status in ("timeout", "crashed") for r in rows)
        possible = max((r.possible for r in rows), default=10)
        table.add_row(f"{number:02d} · {get_lesson(number).topic}",
                      f"{average:.1f}/{fmt(possible)}", str(full), str(zero), str(stopped), outside)
    totals = [g.total() for g in grades]
    if totals:
        average = sum(e for e, _ in totals) / len(totals)
        table.add_row("total", f"{average:.1f}/{fmt(totals[0][1])}",
                      str(sum(e == p for e, p in totals)), str(sum(e == 0 for e, _ in totals)), "",
                      _percent(*map(sum, zip(*(g.verified_outside() for g in grades), strict=True))),
                      style="bold")
    return table


def _percent(part: float, whole: float) -> str:
    return f"{int(100 * part // whole) if whole else 100}%"


