"""Which verdicts ``kata grade`` makes outside the student's process.

A lesson the remote wire covers (:data:`kata.remote.coverage.COVERED`) is
graded by two processes: a *checker* that runs the pristine suite and never
imports the submission, and an *agent* that imports the student's module and
runs its functions when the checker asks (:mod:`kata.grading.child`).  The
tests the wire still can't judge from data alone are named, per lesson, in
:mod:`kata.remote.coverage`; their verdict depends on what the student's
process says.  Every other lesson runs in one process, as before.

This module is the grader's single answer to "was this verdict made where no
student code ran?": the lesson run (inside the sandbox) asks it whether to
fork an agent, and the verdict (outside) asks it how many points to report as
verified outside the student's process.  It imports nothing heavy.
"""

from __future__ import annotations

from collections.abc import Iterable


def covered_lessons() -> frozenset[int]:
    """The lessons whose suites run in a checker with the student's code in an agent.

    Returns:
        ``kata.remote.coverage.COVERED``, or no lesson where the wire isn't installed.

    Example:
        >>> 3 in covered_lessons()  # doctest: +SKIP
        True
    """
    try:
        from kata.remote import coverage
    except ImportError:
        return frozenset()
    return frozenset(int(n) for n in coverage.COVERED)


def in_process_checks(number: int) -> dict[str, str]:
    """The tests of lesson ``number`` that still need the student's process, with why.

    Args:
        number: a lesson.

    Returns:
        ``{test name: why}`` from :mod:`kata.remote.coverage` (empty for a lesson it doesn't
        name); every test of a lesson not covered at all is left to the caller.
    """
    try:
        from kata.remote.coverage import IN_PROCESS
    except ImportError:  # the wire isn't installed: covered_lessons() names none
        return {}
    return {str(name): str(why) for name, why in IN_PROCESS.get(number, {}).items()}


def is_remote_run(lessons: Iterable[int], collect: bool) -> bool:
    """Does this lesson run fork an agent?  One covered lesson, its tests run (not collected)."""
    lessons = list(lessons)
    return not collect and len(lessons) == 1 and lessons[0] in covered_lessons()


def points_outside(number: int, tests: Iterable) -> float:
    """The points of lesson ``number``'s ``tests`` whose verdict its run makes outside the student.

    Args:
        number: the lesson.
        tests: its graded tests (anything with ``name`` and ``points``).

    Returns:
        Every test's points but those of :func:`in_process_checks`, for a covered lesson; 0 for
        a lesson whose suite runs in the student's process.
    """
    if number not in covered_lessons():
        return 0.0
    needs_student = in_process_checks(number)
    return float(sum(t.points for t in tests
                     if t.name not in needs_student and _base_name(t.name) not in needs_student))


def _base_name(name: str) -> str:
    """A test's name without its parameters: ``test_x[3]`` → ``test_x``."""
    return name.split("[", 1)[0]
