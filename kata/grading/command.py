"""``kata grade``: grade a class, shard by shard, each shard in a sandbox of its own.

A *shard* is some lessons of one submission, graded one after another, in
ascending order, by one sandbox's preloader.  A class with at least as many
submissions to grade as ``--jobs`` has one shard per submission; fewer
submissions are cut into ``--jobs`` shards each, of about the same length (the
capstone alone in one), so one submission still uses every core.  Before each run the shard's ``solutions/`` is set to the
references of every lesson *not still to be graded in this shard*: never the
graded lesson's, nor one a later run of the same sandbox will be graded on,
so nothing a run leaves behind in the sandbox can carry a reference to the
lesson it grades.  (Each suite only uses references of lessons before its
own, which are always there.)

The outputs are written after every sandbox is closed and every process of
the class is dead.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import signal
import tempfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from kata import i18n
from kata.checkout import Checkout
from kata.grading import verdict
from kata.grading.outputs import (
    OutputError,
    gradescope_results,
    summary_table,
    write_output,
    write_outputs,
)
from kata.grading.records import (
    CACHE_FOLDER,
    DEFAULT_MEMORY_GIB,
    DEFAULT_OUTPUT_MIB,
    DEFAULT_TIMEOUT,
    LessonGrade,
    Limits,
    StudentGrade,
    load_cached,
    record_key,
    signed_record,
)
from kata.grading.sandbox import SandboxError, choose
from kata.grading.shards import ClassJob, Manifest, Shard, grade_shard, lesson_grade, split, start
from kata.grading.submissions import (
    HandedIn,
    Submission,
    SubmissionError,
    find_submissions,
    graded_lessons,
    gradescope_submission,
    read_submission,
)
from kata.outcome import fmt

GRADESCOPE_SUBMISSION = Path("/autograder/submission")
GRADESCOPE_RESULTS = Path("/autograder/results")
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


def grader_fingerprint(checkout: Checkout, lessons: list[int]) -> str:
    """A hash of everything on the instructor's side that decides these lessons' grades."""
    digest = hashlib.sha256()
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
                fresh: bool = False, mode: str = "bwrap") -> list[StudentGrade]:
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

    Returns:
        The grades, in the order of ``submissions``.

    Raises:
        OutputError: an output path was taken (every other output was written).
    """
    from kata.data import keras_cache_dir, seed_keras_cache

    seed_keras_cache()  # once, here: a lesson run never writes Keras' cache itself
    key = record_key()
    fingerprint = grader_fingerprint(checkout, lessons)
    grades: dict[str, StudentGrade] = {}
    unreadable: list[tuple[Submission, str]] = []
    work: list[tuple[Submission, HandedIn, str]] = []
    for submission in submissions:
        try:
            handed_in = read_submission(submission.path, lessons)
        except (SubmissionError, OSError) as error:
            unreadable.append((submission, f"the submission couldn't be read: {error}"))
            continue
        digest = submission_key(handed_in, lessons, limits, fingerprint)
        cached = None if force else load_cached(out, submission.student, key)
        if cached is not None and cached.key == digest and sorted(cached.lessons) == lessons:
            grades[submission.student] = cached
        else:
            work.append((submission, handed_in, digest))

    scratch = Path(tempfile.mkdtemp(prefix="kata-grade-"))
    try:
        job = ClassJob(checkout, lessons, limits, mode, scratch, Manifest(), keras_cache_dir())
        if unreadable and not work:  # no shard will collect the tests: collect them alone
            start(Shard("collect", {}, [], 0), job, 0).close()
        grades.update(_grade_work(work, job, jobs, fresh, len(grades) + len(unreadable),
                                  len(submissions), console, out, key))
        for submission, reason in unreadable:
            manifest = job.manifest.get()
            grades[submission.student] = StudentGrade(submission.student, "", {
                n: LessonGrade(n, "error", reason, verdict.not_run(manifest[n])) for n in lessons
            }, error=reason, sandbox=mode)
    finally:
        end_strays()
        shutil.rmtree(scratch, ignore_errors=True)
    ordered = [grades[s.student] for s in submissions]
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
    count = len(job.lessons) if fresh else (1 if len(work) >= jobs else jobs)
    shards = [shard for submission, handed_in, _ in work
              for shard in split(submission.student, handed_in.files, job.lessons, count)]
    shards.sort(key=lambda s: (s.index, -max(s.lessons)))
    keys = {submission.student: digest for submission, _, digest in work}
    handed = {submission.student: handed_in for submission, handed_in, _ in work}
    become_subreaper()
    grades: dict[str, StudentGrade] = {}
    finished: dict[str, dict[int, LessonGrade]] = {}
    progress = Progress(TextColumn("[bold]grading"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("lessons"), TimeElapsedColumn(), console=console,
                        disable=console is None)
    with progress, ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        task = progress.add_task("grading", total=total * len(job.lessons),
                                 completed=done * len(job.lessons))
        futures = {pool.submit(grade_shard, shard, job): shard for shard in shards}
        for future in as_completed(futures):
            shard = futures[future]
            manifest = job.manifest.get()
            for number, result in future.result().items():
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


def become_subreaper() -> bool:
    """Adopt every orphan of our sandboxes (Linux ``PR_SET_CHILD_SUBREAPER``)."""
    from kata.grading.preloader import PR_SET_CHILD_SUBREAPER, prctl

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


def main(args, checkout: Checkout) -> int:
    """The ``kata grade`` command.

    Args:
        args: the parsed arguments (:mod:`kata.cli`).
        checkout: the instructor's checkout, whose pristine suites grade.

    Returns:
        The exit code.
    """
    from rich.console import Console

    console = Console(stderr=False)
    limits = Limits(
        timeout=args.timeout if args.timeout is not None else DEFAULT_TIMEOUT,
        memory_gib=args.memory if args.memory is not None else DEFAULT_MEMORY_GIB,
        output_mib=args.output_limit if args.output_limit is not None else DEFAULT_OUTPUT_MIB,
    )
    try:
        mode, warning = choose(args.sandbox)
        lessons = graded_lessons(args.lessons, checkout)
        if warning:
            console.print(f"[bold red]{warning}[/bold red]")
        if args.gradescope:
            return _gradescope(args, checkout, lessons, limits, mode, console)
        if args.submissions is None:
            console.print("[red]Name the folder of submissions: kata grade SUBMISSIONS --out DIR "
                          "(or run kata grade --gradescope inside Gradescope).[/red]")
            return 2
        submissions = find_submissions(args.submissions)
    except (SubmissionError, SandboxError) as error:
        console.print(f"[red]{error}[/red]")
        return 2
    if not submissions:
        console.print(f"[red]{args.submissions} holds no submissions (folders or .zip files).[/red]")
        return 2
    out = args.out or Path("grades")
    console.print(f"Grading {len(submissions)} submission{'s' * (len(submissions) != 1)}, lessons "
                  f"{', '.join(f'{n:02d}' for n in lessons)}, {args.jobs} at a time, sandbox: "
                  f"{mode}; limits per lesson: {limits.timeout:g} s, {limits.memory_gib:g} GiB, "
                  f"{limits.output_mib:g} MiB of output.")
    try:
        grades = grade_class(submissions, out, lessons, limits, checkout=checkout, jobs=args.jobs,
                             force=args.force, console=console, fresh=args.fresh, mode=mode)
    except (OutputError, RuntimeError) as error:
        console.print(f"[red]{error}[/red]")
        return 1
    console.print(summary_table(grades, lessons))
    console.print(f"Written to {out}: gradebook.csv, feedback/, gradescope/, scores.png")
    return 0


def _gradescope(args, checkout: Checkout, lessons: list[int], limits: Limits, mode: str,
                console) -> int:
    folder = args.submissions or GRADESCOPE_SUBMISSION
    out = args.out or GRADESCOPE_RESULTS
    with tempfile.TemporaryDirectory(prefix="kata-gradescope-") as temp:
        (grade,) = grade_class([gradescope_submission(folder)], Path(temp), lessons, limits,
                               checkout=checkout, jobs=args.jobs, force=True, console=console, fresh=args.fresh,
                               mode=mode)
    # grade_class returned: every process of every sandbox is dead.  As the grading user, end
    # every process of that user once more, whatever started it, before results.json exists.
    if mode == "user":
        from kata.grading.preloader import kill_the_rest
        from kata.grading.sandbox import grading_user

        kill_the_rest({"mode": "user", "uid": grading_user()[0]})
    try:
        write_output(out / "results.json",
                     json.dumps(gradescope_results(grade), indent=2, ensure_ascii=False) + "\n")
    except OutputError as error:
        console.print(f"[red]{error}[/red]")
        return 1
    earned, possible = grade.total()
    console.print(f"{fmt(earned)}/{fmt(possible)} points · {out / 'results.json'}")
    return 0
