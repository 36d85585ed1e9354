"""``kata grade --format``: the outputs for other platforms than Gradescope, beside the gradebook.

One results model, many renderings (as otter-grader does): each platform's
module reads the same :class:`~kata.grading.records.StudentGrade` that
:mod:`kata.grading.outputs` renders for Gradescope.

- ``prairielearn``: ``out/prairielearn/<student>.json``, PrairieLearn's results.json
  (:mod:`kata.grading.prairielearn`);
- ``canvas``: ``out/canvas.csv``, for Canvas' gradebook import (:mod:`kata.grading.canvas`).
"""

from __future__ import annotations

from pathlib import Path

from kata.grading import canvas, prairielearn
from kata.grading.records import StudentGrade

FORMATS = ("prairielearn", "canvas")
OUTPUT_NAMES = {"prairielearn": "prairielearn/", "canvas": "canvas.csv"}  # what each adds to --out


class PlatformError(ValueError):
    """A platform output that can't be made as asked, with what to fix."""


def parse_formats(text: str | None) -> list[str]:
    """The platforms named by ``--format``, e.g. ``"prairielearn,canvas"``.

    Args:
        text: names separated by commas, or ``None`` for none.

    Returns:
        The names, in the order :data:`FORMATS` lists them.

    Raises:
        PlatformError: a name that isn't one of :data:`FORMATS`.
    """
    names = {name.strip().lower() for name in (text or "").split(",") if name.strip()}
    unknown = sorted(names - set(FORMATS))
    if unknown:
        raise PlatformError(f"--format {text}: unknown {', '.join(unknown)}; the formats are "
                            f"{', '.join(FORMATS)} (Gradescope's results are always written).")
    return [name for name in FORMATS if name in names]


def platform_files(out: Path, grades: list[StudentGrade], formats: list[str], *,
                   assignment: str = canvas.DEFAULT_ASSIGNMENT,
                   roster: list[dict[str, str]] | None = None) -> list[tuple[Path, object]]:
    """The platform outputs ``formats`` ask for, as ``(path, make)`` pairs for the writer.

    ``make`` is called only when the file is written, so one output that can't be
    made (a student missing from the roster) leaves the others.

    Args:
        out: ``--out``.
        grades: the class.
        formats: from :func:`parse_formats`.
        assignment: Canvas' assignment column.
        roster: Canvas' exported gradebook, read.

    Returns:
        ``out/prairielearn/<student>.json`` for each student, ``out/canvas.csv``.
    """
    files: list[tuple[Path, object]] = []
    if "prairielearn" in formats:
        for grade in grades:
            files.append((out / "prairielearn" / f"{grade.student}.json",
                          lambda g=grade: prairielearn.results_json(prairielearn.results_for(g))))
    if "canvas" in formats:
        files.append((out / "canvas.csv",
                      lambda: canvas.gradebook_csv(grades, assignment=assignment, roster=roster)))
    return files


def platform_options(args) -> tuple[list[str], list[dict[str, str]] | None]:
    """``--format`` and ``--canvas-roster`` of ``kata grade`` or ``kata merge``, read before the
    work starts, so that a typo costs no time.

    Raises:
        PlatformError: an unknown format.
        CanvasError: an unreadable roster.
    """
    formats = parse_formats(args.format)
    roster = canvas.read_canvas_roster(args.canvas_roster) if args.canvas_roster else None
    return formats, roster


def write_platform_outputs(out: Path, grades: list[StudentGrade], formats: list[str], *,
                           assignment: str = canvas.DEFAULT_ASSIGNMENT,
                           roster: list[dict[str, str]] | None = None) -> list[Path]:
    """Write the platform outputs ``formats`` ask for, each atomically, beside the gradebook.

    Args:
        out: ``--out``.
        grades: the class.
        formats: from :func:`parse_formats`.
        assignment: Canvas' assignment column.
        roster: Canvas' exported gradebook, read.

    Returns:
        The files written.

    Raises:
        OutputError: naming each output that couldn't be written or made; every other was.
    """
    from kata.grading.outputs import OutputError, write_output

    written, problems = [], []
    for path, make in platform_files(out, grades, formats, assignment=assignment, roster=roster):
        try:
            write_output(path, make())
            written.append(path)
        except (OutputError, canvas.CanvasError) as error:
            problems.append(f"{path}: {error}")
    if problems:
        raise OutputError("Some platform outputs were not written (everything else was):\n- "
                          + "\n- ".join(problems))
    return written
