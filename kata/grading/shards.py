"""Shards: some lessons of one submission, graded one after another in one sandbox.

A class with at least as many submissions to grade as ``--jobs`` has one
shard per submission, or two with ``--jobs`` 2 or more (the capstone alone in
one, so that it runs beside other students' lessons); fewer submissions are
cut into ``--jobs`` shards each, of about the same length, so one submission
still uses every core.  A shard runs its lessons in ascending order.  Before
each run the shard's ``solutions/`` is set to the references that lesson's
suite needs (:func:`kata.grading.schedule.needs`): always of earlier lessons,
never the graded lesson's nor one the shard has still to grade.  Which shards
may run side by side is the :class:`~kata.grading.schedule.Gate`'s call.
"""

from __future__ import annotations

import dataclasses
import tempfile
import threading
from pathlib import Path

from kata.checkout import Checkout
from kata.grading import verdict
from kata.grading.lesson_run import Run, run_lesson
from kata.grading.records import LessonGrade, Limits, TestInfo
from kata.grading.sandbox import Sandbox, SandboxError
from kata.grading.schedule import Gate


@dataclasses.dataclass(eq=False)  # by identity: two shards of equal lessons are two shards
class Shard:
    student: str
    files: dict[int, bytes]
    lessons: list[int]  # ascending
    index: int


class Manifest:
    """The graded tests per lesson, collected once, by the first sandbox that starts."""

    def __init__(self):
        self._lock = threading.Lock()
        self._claimed = False
        self._done = threading.Event()
        self.value: dict[int, list[TestInfo]] = {}
        self.error: BaseException | None = None

    def claim(self) -> bool:
        with self._lock:
            claimed, self._claimed = self._claimed, True
            return not claimed

    def set(self, value=None, error: BaseException | None = None) -> None:
        self.value, self.error = value or {}, error
        self._done.set()

    def get(self) -> dict[int, list[TestInfo]]:
        self._done.wait()
        if self.error is not None:
            raise self.error
        return self.value


@dataclasses.dataclass
class ClassJob:
    """Everything a shard needs that is the same for the whole class."""

    checkout: Checkout
    lessons: list[int]
    limits: Limits
    mode: str
    scratch: Path
    manifest: Manifest
    keras_cache: Path
    gate: Gate
    threads: int = 0  # TensorFlow threads per sandbox (0: its default)
    skip_slow: bool = False  # kata grade --skip-slow: the tests marked slow are left out


# How long a lesson's run takes, relative to a quick one (docs/instructor.md, section 6:
# 1.3-4.9 s for each of 01-09, 37-50 s for the capstone, 16-22 s for the bonus lesson).
LESSON_WEIGHT = {10: 15.0, 11: 6.0}


def split(student: str, files: dict[int, bytes], lessons: list[int], count: int) -> list[Shard]:
    """Cut a submission's lessons into up to ``count`` shards of about the same length.

    Longest first, each to the shard with the least work so far; each shard then runs its
    lessons in ascending order (see the module's docstring).
    """
    parts: list[list[int]] = [[] for _ in range(max(1, min(count, len(lessons))))]
    load = [0.0] * len(parts)
    for number in sorted(lessons, key=lambda n: (-LESSON_WEIGHT.get(n, 1.0), n)):
        lightest = load.index(min(load))
        parts[lightest].append(number)
        load[lightest] += LESSON_WEIGHT.get(number, 1.0)
    return [Shard(student, files, sorted(part), index) for index, part in enumerate(parts) if part]


def start(shard: Shard, job: ClassJob, attempt: int) -> Sandbox:
    """A new sandbox for ``shard``; the first of the class collects the pristine suites first."""
    folder = Path(tempfile.mkdtemp(dir=job.scratch)) / "shard"  # a name no run can guess
    suites = [job.checkout.lesson_dir(n) for n in shard.lessons]
    data = any("fashion_mnist" in suite.read_text(errors="replace")
               for lesson_folder in suites for suite in lesson_folder.glob("test_*.py"))
    sandbox = Sandbox(folder, job.checkout.root, job.lessons, shard.files, job.mode,
                      job.limits.output_bytes, job.keras_cache, preload_data=data,
                      threads=job.threads)
    if job.manifest.claim():  # first request of a fresh sandbox: no student code ran here
        try:
            run = run_lesson(sandbox, job.lessons, Path("solutions"), dataclasses.replace(
                job.limits, timeout=max(job.limits.timeout, 120)), "collect", collect=True,
                skip_slow=job.skip_slow)
            job.manifest.set(verdict.manifest_of(run, job.lessons))
        except BaseException as error:
            job.manifest.set(error=error)
    return sandbox


def grade_shard(shard: Shard, job: ClassJob) -> dict[int, Run | str | None]:
    """Run a shard's lessons in its sandbox: ``{lesson: Run}``, ``None`` (missing) or a reason.

    The shard must have been admitted by ``job.gate`` (:meth:`~kata.grading.schedule.Gate.claim`);
    the caller tells the gate it left once this returns (the sandbox is closed by then).
    """
    results: dict[int, Run | str | None] = {}
    sandbox, attempt = None, 0
    try:
        for number in shard.lessons:
            if shard.files.get(number) is None:
                results[number] = None
                job.gate.after_run(shard, number)
                continue
            if sandbox is not None and sandbox.broken:
                sandbox.close()
                sandbox = None
            if sandbox is None:
                try:
                    attempt += 1
                    sandbox = start(shard, job, attempt)
                except (SandboxError, OSError) as error:
                    results[number] = f"the grader couldn't start the sandbox: {error}"
                    job.gate.after_run(shard, number)
                    continue
            references = job.gate.before_run(shard, number)
            sandbox.show_references(job.checkout.solutions, sorted(references))
            try:
                results[number] = run_lesson(sandbox, [number], sandbox.submission, job.limits,
                                             f"{number:02d}", skip_slow=job.skip_slow)
            finally:
                job.gate.after_run(shard, number)
    finally:
        if sandbox is not None:
            sandbox.close()
    return results


def lesson_grade(number: int, shard: Shard, result, tests: list[TestInfo], limits: Limits) -> LessonGrade:
    """A lesson's grade from what :func:`grade_shard` gave for it."""
    if result is None:
        return verdict.missing(number, tests)
    if isinstance(result, str):
        return LessonGrade(number, "error", result, verdict.not_run(tests))
    try:
        return verdict.lesson_grade(number, shard.files[number], result, tests, limits)
    except Exception as error:  # noqa: BLE001 - one student's odd results never stop the class
        return LessonGrade(number, "error", f"the grader could not judge this lesson's results "
                           f"({type(error).__name__}: {error})", verdict.not_run(tests))
