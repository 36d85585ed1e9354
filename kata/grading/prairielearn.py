"""PrairieLearn: the external grader's results.json, and ``kata grade --prairielearn``.

An external grader writes ``/grade/results/results.json``
(https://prairielearn.readthedocs.io/en/latest/externalGrading/, "Grading
results"): ``score`` in [0, 1] (required when gradable), ``gradable``
(``false``: no points given or taken, no attempt used; ``format_errors`` says
why), ``message``, ``output``, ``images`` (``{"label", "url"}``, the URL a
``data:image/png;base64,...`` URI) and ``tests``, each with ``name``,
``description``, ``points``, ``max_points``, ``message``, ``output``.  The whole
file must stay under 1 MB.  ``tests/schemas/prairielearn-results.schema.json``
is that section written down as a JSON Schema.  The student's files are in
``/grade/student``, flat as ``pl-file-upload`` leaves them.

Like :mod:`kata.grading.canvas`, this renders the one results model,
:class:`~kata.grading.records.StudentGrade`, that Gradescope's output renders.
"""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

from kata.grading.records import StudentGrade
from kata.grading.submissions import MAX_MODULE_BYTES
from kata.impl import get_lesson
from kata.outcome import Outcome, fmt

LIMIT = 1_000_000  # bytes: PrairieLearn's limit on results.json
OUTPUT_LIMIT = 4000  # characters of one test's message or output kept in results.json
STUDENT = Path("/grade/student")
RESULTS = Path("/grade/results")


def _clip(text: str, limit: int = OUTPUT_LIMIT) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n[... {len(text) - limit} more characters left out]"


def student_chart_png(grade: StudentGrade) -> bytes:
    """One student's points per lesson as a small bar chart (PNG), earned over possible.

    Args:
        grade: the student's grade.

    Returns:
        The PNG's bytes (a few tens of kB at 80 dpi).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    numbers = list(grade.lessons)
    labels = [f"{n:02d}" + ("\nbonus" if get_lesson(n).bonus else "") for n in numbers]
    possible = [grade.lessons[n].possible for n in numbers]
    earned = [grade.lessons[n].earned for n in numbers]
    figure, ax = plt.subplots(figsize=(max(3.0, 0.6 * len(numbers) + 1.5), 2.6))
    ax.bar(labels, possible, color="lightgray", label="possible")
    ax.bar(labels, earned, color="tab:blue", label="earned")
    ax.set_xlabel("lesson")
    ax.set_ylabel("points")
    total, out_of = grade.total()
    ax.set_title(f"{fmt(total)}/{fmt(out_of)} points", fontsize=10)
    ax.legend(fontsize=7, loc="upper right")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80)
    plt.close(figure)
    return buffer.getvalue()


def results_for(grade: StudentGrade, *, chart: bool = True) -> dict:
    """PrairieLearn's results.json for one student: score 0–1, one entry per graded test.

    A bonus lesson's points count over the maximum (as on Gradescope) but the
    score never passes 1; graded alone, it is out of its own points.  A submission the grader couldn't read at all is not
    gradable: PrairieLearn then gives no points and takes no attempt.

    Args:
        grade: the student's grade.
        chart: add the student's points per lesson as an image (matplotlib).

    Returns:
        The results, ready for :func:`json.dumps`.

    Example:
        >>> results = results_for(grade)  # doctest: +SKIP
        >>> results["score"], results["tests"][0]["max_points"]  # doctest: +SKIP
        (0.6, 2.0)
    """
    if grade.error:
        return {"gradable": False, "format_errors": [grade.error],
                "message": f"The grader couldn't read this submission: {grade.error}"}
    earned, possible = grade.total()
    bonus = sum(g.earned for n, g in grade.lessons.items() if get_lesson(n).bonus)
    if not possible:  # a question on the bonus lesson alone: its points are the score
        earned, possible, bonus = bonus, sum(g.possible for g in grade.lessons.values()), 0.0
    tests = []
    for number, lesson_grade in grade.lessons.items():
        lesson = get_lesson(number)
        for test in lesson_grade.tests:
            points = test.earned if lesson_grade.status == "ok" else 0.0
            message = "" if test.outcome == Outcome.PASSED else test.message
            if lesson_grade.reason:
                message = f"0 points for this lesson: {lesson_grade.reason}. {message}".strip()
            tests.append({
                "name": f"lesson {lesson.folder} · {lesson.topic}: {test.name}",
                "description": f"{'Bonus lesson' if lesson.bonus else 'Lesson'} {lesson.folder}: "
                               f"{lesson.title}",
                "points": points,
                "max_points": test.points,
                "message": _clip(message),
                "output": _clip(lesson_grade.log_tail) if lesson_grade.log_tail and message else "",
            })
    score = min(1.0, (earned + bonus) / possible) if possible else 0.0
    results = {
        "gradable": True,
        "score": score,
        "message": f"{fmt(earned)}/{fmt(possible)} points. "
        + " ".join(f"lesson {n:02d}: {fmt(g.earned)}/{fmt(g.possible)}." for n, g in grade.lessons.items()),
        "output": "\n\n".join(f"Lesson {n:02d}: {g.notes}" for n, g in grade.lessons.items() if g.notes),
        "tests": tests,
    }
    if chart and grade.lessons:
        url = "data:image/png;base64," + base64.b64encode(student_chart_png(grade)).decode("ascii")
        results["images"] = [{"label": "Your points per lesson", "url": url}]
    if len(results_json(results).encode()) > LIMIT:
        results.pop("images", None)  # the chart goes first, then the long outputs
        for test in results["tests"]:
            test["output"] = ""
    return results


def results_json(results: dict) -> str:
    """``results`` as the text of results.json."""
    return json.dumps(results, indent=2, ensure_ascii=False) + "\n"


def flat_upload(folder: Path, lessons: list[int], staging: Path) -> Path:
    """A PrairieLearn upload as a lessons tree the grader reads.

    ``pl-file-upload`` and ``pl-file-editor`` put the student's files flat in
    ``/grade/student`` (``build.py``, not ``03/build.py``).  Each regular file
    named as one of ``lessons``' modules is copied to ``staging/NN/<module>.py``;
    a folder that already holds a tree (``lessons/NN/...`` or a zip) is
    returned as it is.

    Args:
        folder: PrairieLearn's ``/grade/student``.
        lessons: the graded lessons.
        staging: an empty folder of the grader's.

    Returns:
        The folder to grade.
    """
    copied = False
    for number in lessons:
        lesson = get_lesson(number)
        file = folder / lesson.filename
        if file.is_file() and not file.is_symlink():
            target = staging / lesson.folder / lesson.filename
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(file, "rb") as handle:  # past the limit, the grader's reader refuses it
                target.write_bytes(handle.read(MAX_MODULE_BYTES + 1))
            copied = True
    return staging if copied else folder


def grade_prairielearn(args, checkout, lessons: list[int], limits, mode: str, console) -> int:
    """``kata grade --prairielearn``: grade ``/grade/student``, write ``/grade/results/results.json``.

    Args:
        args: the parsed arguments (``submissions`` and ``out`` override the two folders).
        checkout: the instructor's checkout.
        lessons: the graded lessons (a question usually grades one: ``--lessons 3``).
        limits: per lesson run.
        mode: the sandbox.
        console: a rich console.

    Returns:
        The exit code.
    """
    import tempfile

    from kata.grading.grader import grade_class
    from kata.grading.outputs import OutputError, write_output
    from kata.grading.submissions import gradescope_submission

    folder = args.submissions or STUDENT
    out = args.out or RESULTS
    with tempfile.TemporaryDirectory(prefix="kata-prairielearn-") as temp:
        staged = flat_upload(folder, lessons, Path(temp) / "upload") if folder.is_dir() else folder
        (grade,) = grade_class([gradescope_submission(staged)], Path(temp) / "out", lessons, limits,
                               checkout=checkout, jobs=args.jobs, force=True, console=console,
                               fresh=args.fresh, mode=mode)
    if mode == "user":  # as for Gradescope: no process of the grading user outlives the grade
        from kata.grading.preloader import kill_the_rest
        from kata.grading.sandbox import grading_user

        kill_the_rest({"mode": "user", "uid": grading_user()[0]})
    try:
        write_output(out / "results.json", results_json(results_for(grade)))
    except OutputError as error:
        console.print(f"[red]{error}[/red]")
        return 1
    earned, possible = grade.total()
    console.print(f"{fmt(earned)}/{fmt(possible)} points · {out / 'results.json'}")
    return 0
