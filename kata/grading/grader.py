"""Grade one class: every submission's shards through the gate, each in its sandbox.

:func:`grade_class` reads the submissions, reuses a student's signed record when
nothing changed, cuts the rest into shards (:mod:`kata.grading.shards`), lets
the class-wide :class:`~kata.grading.schedule.Gate` say which shards may live
together, and writes the outputs once every process of the class is dead.
``kata grade`` (:mod:`kata.grading.command`) and the platform modes call it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import queue
import shutil
import signal
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kata import i18n
from kata.checkout import Checkout
from kata.grading import late as late_rules
from kata.grading import verdict
from kata.grading.outputs import OutputError, write_output, write_outputs
from kata.grading.prctl import not_dumpable
from kata.grading.records import (
    CACHE_FOLDER,
    LessonGrade,
    Limits,
    StudentGrade,
    load_cached,
    record_key,
    signed_record,
)
from kata.grading.schedule import Gate, needs
from kata.grading.shards import (
    ClassJob,
    Manifest,
    Shard,
    grade_shard,
    lesson_grade,
    split,
    start,
)
from kata.grading.submissions import (
    HandedIn,
    Submission,
    SubmissionError,
    lessons_to_read,
    read_submission,
)

PRISTINE = ["conftest.py", "pyproject.toml"]


def submission_key(handed_in: HandedIn, lessons: list[int], limits: Limits,
                   fingerprint: str) -> str:
    """A hash of a submission's lesson files and everything else that decides its grade."""
    digest = hashlib.sha256(fingerprint.encode())
    digest.update(json.dumps([lessons, dataclasses.asdict(limits), handed_in.notes,
                              handed_in.problems, handed_in.notebooks], sort_keys=True).encode())
    for number in sorted(handed_in.files):
        digest.update(f"\0{number}\0".encode())
        digest.update(hashlib.sha256(handed_in.files[number]).digest())
    return digest.hexdigest()


def grader_fingerprint(checkout: Checkout, lessons: list[int], skip_slow: bool = False) -> str:
    """A hash of everything on the instructor's side that decides these lessons' grades."""
    digest = hashlib.sha256(b"skip-slow\0" if skip_slow else b"")
    files = [checkout.root / name for name in PRISTINE]
    for folder in [checkout.root / "kata", checkout.solutions]:
        files += sorted(folder.rglob("*.py"))
    for number in lessons:
        folder = checkout.lesson_dir(number)
        files += sorted(folder.glob("test_*.py")) + sorted(folder.glob("conftest.py"))
    files += sorted((checkout.root / "kata" / "locale").rglob("*.mo"))  # the messages' translations
    for file in files:
        if file.is_file() and "__pycache__" not in file.parts:
            digest.update(file.relative_to(checkout.root).as_posix().encode() + b"\0")
            digest.update(file.read_bytes())
    digest.update(f"language={i18n.language()}".encode())  # kata grade --lang: the feedback's words
    return digest.hexdigest()


def grade_class(submissions: list[Submission], out: Path, lessons: list[int], limits: Limits,
                *, checkout: Checkout, jobs: int = 1, force: bool = False, console=None,
                fresh: bool = False, mode: str = "bwrap",
                late: dict[str, late_rules.Late] | None = None,
                skip_slow: bool = False) -> list[StudentGrade]:
    """Grade every submission, write every output, return the grades.

    Args:
        submissions: from :func:`~kata.grading.submissions.find_submissions`.
        out: the output folder.
        lessons: the lessons to grade.
        limits: per lesson run.
        checkout: the instructor's checkout (the pristine suites, ``kata``, ``solutions``).
        jobs: shards graded at the same time.
        force: grade again even a submission whose signed record is up to date.
        console: a rich console for the progress bar, or ``None``.
        fresh: a new sandbox (and preloader) for every lesson run; slower.
        mode: ``"bwrap"``, ``"user"`` or ``"none"`` (:func:`kata.grading.sandbox.choose`).
        late: per student, how late the submission was (:mod:`kata.grading.late`).
        skip_slow: leave out the tests marked ``slow`` (they train on the full data): a quick
            trial of a grading set-up; their points count neither earned nor possible.

    Returns:
        The grades, in the order of ``submissions``.

    Raises:
        OutputError: an output path was taken (every other output was written).
    """
    from kata.data import keras_cache_dir, seed_keras_cache

    seed_keras_cache()  # once, here: a lesson run never writes Keras' cache itself
    key = record_key()
    fingerprint = grader_fingerprint(checkout, lessons, skip_slow)
    grades: dict[str, StudentGrade] = {}
    unreadable: list[tuple[Submission, str]] = []
    work: list[tuple[Submission, HandedIn, str]] = []
    for submission in submissions:
        try:
            handed_in = read_submission(submission.path, lessons_to_read(lessons))
        except (SubmissionError, OSError) as error:
            unreadable.append((submission, f"the submission couldn't be read: {error}"))
            continue
        digest = submission_key(handed_in, lessons, limits, fingerprint)
        cached = None if force else load_cached(out, submission.student, key)
        if cached is not None and cached.key == digest and sorted(cached.lessons) == lessons:
            grades[submission.student] = cached
        else:
            work.append((submission, handed_in, digest))

    # Every run's key is in this process while its sandbox lives: not traceable by a lesson run of
    # our uid (--sandbox none, tests/hostile/remote/reads_the_graders_memory).
    with not_dumpable():
        scratch = Path(tempfile.mkdtemp(prefix="kata-grade-"))
        try:
            gate = Gate({n: needs(checkout.lesson_dir(n), n) for n in lessons})
            job = ClassJob(checkout, lessons, limits, mode, scratch, Manifest(), keras_cache_dir(), gate,
                           threads=sandbox_threads(jobs, mode), skip_slow=skip_slow)
            if unreadable and not work:  # no shard will collect the tests: collect them alone
                start(Shard("collect", {}, [], 0), job, 0).close()
            grades.update(_grade_work(work, job, jobs, fresh, len(grades) + len(unreadable),
                                      len(submissions), console, out, key))
            for submission, reason in unreadable:
                manifest = job.manifest.get()
                grades[submission.student] = StudentGrade(submission.student, "", {
                    n: LessonGrade(n, "error", reason, verdict.not_run(manifest[n]),
                                   outside=sum(t.points for t in manifest[n]))  # no student code ran
                    for n in lessons
                }, error=reason, sandbox=mode)
        finally:
            end_strays()
            shutil.rmtree(scratch, ignore_errors=True)
    ordered = [grades[s.student] for s in submissions]
    for grade in ordered:  # applied after grading, so a cached record takes today's due date
        grade.late = (late or {}).get(grade.student)
    write_outputs(out, ordered, lessons, key)  # every process of the class is dead by now
    return ordered


def _grade_work(work, job: ClassJob, jobs: int, fresh: bool, done: int, total: int,
                console, out: Path, key: bytes) -> dict[str, StudentGrade]:
    """Grade the submissions that need it, ``jobs`` shards at a time, with a progress bar.

    A student's signed record is saved as soon as every sandbox of theirs is closed, so that an
    interrupted class loses nothing: the same command again grades only the rest.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    if job.mode == "user":  # every run has the same uid: runs side by side could see each other
        jobs = 1
    shards = [shard for submission, handed_in, _ in work
              for shard in split(submission.student, handed_in.files, job.lessons,
                                 shard_count(len(job.lessons), len(work), jobs, fresh))]
    order = {submission.student: place for place, (submission, _, _) in enumerate(work)}
    shards.sort(key=lambda s: (order[s.student], -len(s.lessons)))
    keys = {submission.student: digest for submission, _, digest in work}
    handed = {submission.student: handed_in for submission, handed_in, _ in work}
    become_subreaper()
    grades: dict[str, StudentGrade] = {}
    finished: dict[str, dict[int, LessonGrade]] = {}
    graded: queue.Queue = queue.Queue()
    pending = list(shards)

    def worker() -> None:
        try:
            while (shard := job.gate.claim(pending, lambda unit: unit.lessons)) is not None:
                try:
                    graded.put((shard, grade_shard(shard, job)))
                finally:
                    job.gate.leave(shard)  # its sandbox is closed: what it saw died with it
        except BaseException as error:  # noqa: BLE001 - raised again in the main thread
            graded.put((None, error))

    progress = Progress(TextColumn("[bold]grading"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("lessons"), TimeElapsedColumn(), console=console,
                        disable=console is None)
    with progress, ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        task = progress.add_task("grading", total=total * len(job.lessons),
                                 completed=done * len(job.lessons))
        for _ in range(max(1, jobs)):
            pool.submit(worker)
        for _ in shards:
            shard, results = graded.get()
            if isinstance(results, BaseException):
                job.gate.cancel(pending)  # the other workers stop after their shard
                raise results
            manifest = job.manifest.get()
            for number, result in results.items():
                finished.setdefault(shard.student, {})[number] = verdict.with_handed_in(
                    lesson_grade(number, shard, result, manifest[number], job.limits),
                    handed[shard.student], manifest[number])
            progress.advance(task, len(shard.lessons))
            if len(finished[shard.student]) == len(job.lessons):
                lessons = {n: finished[shard.student][n] for n in job.lessons}
                grades[shard.student] = StudentGrade(shard.student, keys[shard.student], lessons,
                                                     sandbox=job.mode)
                try:
                    write_output(out / CACHE_FOLDER / f"{shard.student}.json",
                                 signed_record(grades[shard.student], key))
                except OutputError:
                    pass  # said at the end, when every output is written
    return grades


def sandbox_threads(jobs: int, mode: str) -> int:
    """TensorFlow's threads in each sandbox: the cores shared by the sandboxes side by side.

    Returns:
        0 (TensorFlow's default, every core) when one sandbox runs at a time (``--jobs 1``, or the
        ``user`` sandbox, which runs one at a time), else at least 1.
    """
    if jobs <= 1 or mode == "user":
        return 0
    return max(1, (os.cpu_count() or 1) // jobs)


def shard_count(lessons: int, submissions: int, jobs: int, fresh: bool) -> int:
    """Into how many shards each submission is cut.

    Args:
        lessons: how many lessons are graded.
        submissions: how many submissions need grading.
        jobs: shards graded at the same time.
        fresh: a sandbox for every lesson run.

    Returns:
        ``lessons`` when ``fresh``; ``jobs`` for fewer submissions than ``jobs`` (one submission
        still uses every core); else 2 with ``jobs`` above 1 (the long lessons, such as the
        capstone, alone in one: it needs no reference and runs beside anything), else 1.
    """
    if fresh:
        return lessons
    if submissions < jobs:
        return jobs
    return 2 if jobs > 1 and lessons > 1 else 1


def become_subreaper() -> bool:
    """Adopt every orphan of our sandboxes (Linux ``PR_SET_CHILD_SUBREAPER``)."""
    from kata.grading.prctl import PR_SET_CHILD_SUBREAPER, prctl

    return prctl(PR_SET_CHILD_SUBREAPER, 1)


def end_strays() -> None:
    """SIGKILL and reap every child of the grader left now that every sandbox is closed."""
    me = os.getpid()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stream:
                parent = int(stream.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if parent == me:
            try:
                os.kill(int(entry), signal.SIGKILL)
                os.waitpid(int(entry), 0)
            except (ProcessLookupError, ChildProcessError):
                pass
