"""What a lesson run earned, decided from its signed results alone.

A test earns its points only if a signed ``passed`` arrived for it; the
tests and their points come from the grader's own collection of the pristine
suites (no student code), so a submission can neither add tests nor change
their worth.  A failure is never overwritten by a later pass.  A lesson whose
run didn't finish cleanly earns 0, and the reason goes into the feedback:
over the time limit, killed by a signal (a segfault, the memory or output
limit), ended by ``os._exit`` or ``sys.exit`` outside a test, interrupted,
or a sandbox that stopped answering.  The grade also says how many of its
points were verified outside the student's process (:mod:`kata.grading.outside`).
"""

from __future__ import annotations

import signal

from kata.grading.lesson_run import Run
from kata.grading.outside import points_outside
from kata.grading.records import LessonGrade, Limits, TestInfo
from kata.grading.review import review_flags
from kata.impl import get_lesson
from kata.notebook.convert import notebook_name
from kata.outcome import Outcome, TestResult


def missing(number: int, tests: list[TestInfo]) -> LessonGrade:
    """The grade of a lesson whose module the submission doesn't have."""
    lesson = get_lesson(number)
    return LessonGrade(number, "missing", f"the submission has no lessons/{lesson.folder}/"
                       f"{lesson.filename} (a symbolic link doesn't count: submit the file "
                       "itself)", not_run(tests), outside=sum(t.points for t in tests))


def not_run(tests: list[TestInfo]) -> list[TestResult]:
    """Every test of a lesson that didn't run, with no points."""
    return [TestResult(t.lesson, t.name, t.nodeid, t.points, 0.0, Outcome.NOT_RUN) for t in tests]


def _outcome(value) -> Outcome:
    """A test message's outcome as an :class:`Outcome` (an unknown one is an error)."""
    try:
        return Outcome(value)
    except ValueError:
        return Outcome.ERROR


def with_handed_in(grade: LessonGrade, handed_in, tests: list[TestInfo]) -> LessonGrade:
    """A lesson's grade with what the reading of the submission has to say about it.

    Args:
        grade: the lesson's grade from its run (or ``missing``).
        handed_in: the submission as read (:class:`kata.grading.submissions.HandedIn`).
        tests: the lesson's graded tests.

    Returns:
        An error grade with the problem's message when the lesson's notebook was
        unusable; otherwise ``grade``, with the notebook's feedback as its notes.
    """
    number = grade.number
    if number in handed_in.problems:
        return LessonGrade(number, "error", handed_in.problems[number].rstrip("."), not_run(tests),
                           outside=sum(t.points for t in tests))  # no student code ran
    if handed_in.notebooks and grade.status == "missing":
        grade.reason = f"the submission has no {notebook_name(number)}"
    grade.notes = handed_in.notes.get(number, "")
    return grade


def manifest_of(run: Run, lessons: list[int]) -> dict[int, list[TestInfo]]:
    """The graded tests per lesson, from a collecting run over the pristine suites.

    Raises:
        RuntimeError: a lesson's suite has no graded test (the log's tail says why).
    """
    manifest = {}
    for number in lessons:
        tests = [TestInfo(m["nodeid"], m["name"], m["lesson"], float(m["points"]))
                 for m in run.messages if m.get("kind") == "item" and m.get("lesson") == number]
        if not tests:
            raise RuntimeError(
                f"Collecting lesson {number:02d}'s pristine suite found no graded test "
                f"(exit code {run.returncode}). Its output ends with:\n{run.log_tail}"
            )
        manifest[number] = tests
    return manifest


_SIGNAL_REASONS = {
    signal.SIGXFSZ: "wrote more output than the limit ({output:g} MiB) and was stopped",
    signal.SIGSEGV: "crashed (segmentation fault)",
    signal.SIGKILL: "was killed (it may have run out of memory)",
    signal.SIGABRT: "aborted (often: out of memory, the limit is {memory:g} GiB)",
}


def lesson_grade(number: int, source: bytes, run: Run, tests: list[TestInfo],
                 limits: Limits) -> LessonGrade:
    """The grade of lesson ``number`` from its run's signed messages and how the run ended.

    Args:
        number: the lesson.
        source: the submission's lesson module (for the review word list only).
        run: what the run reported (:func:`kata.grading.lesson_run.run_lesson`).
        tests: the lesson's graded tests from the pristine collection.
        limits: the limits the run had (for the reasons given).

    Returns:
        The :class:`~kata.grading.records.LessonGrade`.
    """
    flags = review_flags(source)

    verdicts: dict[str, tuple[str, str]] = {}
    done = agent = None  # agent: how the process running the student's code ended, when early
    for message in run.messages:
        if message.get("kind") == "test":
            nodeid, outcome = message.get("nodeid"), message.get("outcome")
            old = verdicts.get(nodeid)
            if old is None or old[0] == Outcome.PASSED:  # a failure is never overwritten by a pass
                verdicts[nodeid] = (outcome, str(message.get("message", "")))
        elif message.get("kind") == "done" and done is None:
            done = message.get("exitstatus")
        elif message.get("kind") == "agent" and agent is None:
            agent = message.get("returncode")
    if run.rejected:
        flags.append(f"{run.rejected} unsigned line(s) on the results channel (ignored)")

    grades = []
    for test in tests:
        outcome, message = verdicts.get(test.nodeid,
                                        (Outcome.NOT_RUN, "no result arrived for this test"))
        grades.append(TestResult(test.lesson, test.name, test.nodeid, test.points,
                                 test.points if outcome == Outcome.PASSED else 0.0,
                                 _outcome(outcome), message))
    status, reason = "ok", ""
    if run.sandbox_failed:
        status, reason = "crashed", (f"the sandbox stopped answering and was ended "
                                     f"({run.sandbox_failed})")
    elif run.timed_out:
        status, reason = "timeout", (f"ran longer than the time limit of {limits.timeout:g} s "
                                     "for one lesson and was stopped (an endless loop?)")
    elif run.flooded:
        status, reason = "crashed", ("something in the lesson's test run flooded the grader's "
                                     "results channel, so its results can't be trusted")
    elif run.returncode < 0 or (agent is not None and agent < 0):
        signum = -run.returncode if run.returncode < 0 else -agent
        name = signal.Signals(signum).name
        text = _SIGNAL_REASONS.get(signum, f"was ended by signal {name}")
        status, reason = "crashed", f"the lesson's test run {text.format(output=limits.output_mib, memory=limits.memory_gib)} ({name})"
    elif done is None or agent is not None:
        code = run.returncode if agent is None else agent
        status, reason = "crashed", (f"the lesson's test run ended early with exit code "
                                     f"{code} before finishing (os._exit() or sys.exit() "
                                     "outside a test?)")
    elif _hit_output_limit(run, verdicts.values(), limits):
        status, reason = "crashed", (f"the lesson's test run wrote more output than the limit "
                                     f"({limits.output_mib:g} MiB) and was stopped")
    elif done not in (0, 1) or run.returncode not in (0, 1):
        status, reason = "crashed", (f"the lesson's test run was interrupted (pytest exit "
                                     f"status {done}; pytest.exit() or KeyboardInterrupt?)")
    return LessonGrade(number, status, reason, grades, round(run.seconds, 1), flags,
                       run.log_tail if status != "ok" else "", outside=points_outside(number, tests))


def _hit_output_limit(run: Run, verdicts, limits: Limits) -> bool:
    """Did the run reach ``RLIMIT_FSIZE``?  Python ignores SIGXFSZ: writes fail with EFBIG."""
    too_large = "[Errno 27] File too large"
    return (run.returncode not in (0, 1) and too_large in run.log_tail) or any(
        too_large in message for _, message in verdicts) or run.log_bytes >= limits.output_bytes


