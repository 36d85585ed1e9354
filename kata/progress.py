"""A student's own tools: ``kata status``, ``hint``, ``watch``, ``reset``, ``solution``.

Everything here works on one repository checkout (``root``, the folder with
``lessons/``; :data:`kata.impl.ROOT` by default) and runs the graded suites in
a ``python -m pytest`` subprocess, reading the JSON report the kata plugin
writes (:mod:`kata.report`).  Nothing here imports TensorFlow.

What the tools remember lives in ``.kata/`` at the root (git-ignored):

``.kata/status.json``
    the last result of every lesson (points, failures, when, and a fingerprint
    of the files it ran on), so ``kata status`` can show the capstone's last
    result without training again and skip lessons that passed and haven't
    changed (``--fresh`` runs them all), and ``kata watch`` knows where you are;
``.kata/hints.json``
    how many hints of each lesson you have seen;
``.kata/backups/``
    your own lesson files, saved by ``kata reset`` before it restores a stub,
    named ``NN-<module>-<YYYYmmdd-HHMMSS>.py`` (never overwritten).

Where ``kata reset`` gets the pristine stub
-------------------------------------------
Not from git: students commit their work, and a zip download has no history.
The kata ships a copy of every untouched stub in the package, at
``kata/stubs/NN/<module>.py``.  ``lessons/NN/<module>.py`` stays the one place
an author edits a stub; the copy is generated from it
(``python -m kata.progress --sync-stubs``) and ``tests/test_progress.py``
fails, naming that command, whenever the two differ.  The copy travels with
the ``kata`` package, so it is there in a clone, a zip download and a
``kata release`` student copy alike.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kata import report as report_module
from kata.impl import LESSONS, ROOT, get_lesson

STATE_DIR = ".kata"
STUBS_DIR = Path("kata") / "stubs"
FAST_LESSONS = tuple(n for n in LESSONS if n <= 9)
"""Lessons ``kata status`` runs every time (one subprocess, seconds each), except
those that passed last time and whose files have not changed since."""
SLOW_LESSONS = tuple(n for n in LESSONS if n > 9)
"""The capstone (full training) and the bonus lesson: run only when asked or once 01–09 are done."""


# --- state in .kata/ ---------------------------------------------------------------


def state_dir(root: Path = ROOT) -> Path:
    return Path(root) / STATE_DIR


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_json(path: Path, data: dict) -> None:
    """Write atomically, so an interrupted command never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as stream:
        json.dump(data, stream, indent=2, ensure_ascii=False)
        stream.write("\n")
    os.replace(tmp, path)


@dataclass
class LessonResult:
    """The last result of one lesson's graded suite."""

    number: int
    earned: float
    possible: float
    passed: int = 0
    tests: int = 0
    not_started: bool = False
    failures: list[str] = field(default_factory=list)  # "test name: message"
    fingerprint: str = ""  # of the lesson files it ran on
    when: str = ""  # ISO time, UTC

    @property
    def full(self) -> bool:
        return self.possible > 0 and self.earned >= self.possible

    @property
    def line(self) -> str:
        lesson = get_lesson(self.number)
        return (
            f"lesson {lesson.folder} · {lesson.topic}: "
            f"{report_module.fmt(self.earned)}/{report_module.fmt(self.possible)} points"
        )


def load_results(root: Path = ROOT) -> dict[int, LessonResult]:
    data = _read_json(state_dir(root) / "status.json")
    results = {}
    for row in data.get("lessons", []):
        try:
            result = LessonResult(**row)
        except TypeError:
            continue  # written by another version of the kata: ignore it
        results[result.number] = result
    return results


def save_results(new: Iterable[LessonResult], root: Path = ROOT) -> None:
    results = load_results(root)
    for result in new:
        results[result.number] = result
    rows = [asdict(results[n]) for n in sorted(results)]
    _write_json(state_dir(root) / "status.json", {"lessons": rows})


def fingerprint(number: int, root: Path = ROOT) -> str:
    """A hash of the student's files a lesson's result depends on.

    The capstone runs the student's lessons 01–09 too, so its fingerprint
    covers every lesson up to it.
    """
    numbers = [n for n in LESSONS if n <= number] if number >= 10 else [number]
    digest = hashlib.sha256()
    for n in numbers:
        for path in (lesson_file(n, root), test_file(n, root)):
            digest.update(path.name.encode())
            digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    return digest.hexdigest()[:16]


# --- lessons and their files ---------------------------------------------------------


def lesson_file(number: int, root: Path = ROOT) -> Path:
    lesson = get_lesson(number)
    return Path(root) / "lessons" / lesson.folder / lesson.filename


def test_file(number: int, root: Path = ROOT) -> Path:
    lesson = get_lesson(number)
    return Path(root) / "lessons" / lesson.folder / lesson.test_filename


def stub_file(number: int, root: Path = ROOT) -> Path:
    lesson = get_lesson(number)
    return Path(root) / STUBS_DIR / lesson.folder / lesson.filename


def solution_file(number: int, root: Path = ROOT) -> Path:
    lesson = get_lesson(number)
    return Path(root) / "solutions" / lesson.folder / lesson.filename


def present_lessons(root: Path = ROOT) -> list[int]:
    """The lessons of this checkout that have a graded suite."""
    return [n for n in LESSONS if test_file(n, root).is_file()]


def shown(path: Path, root: Path = ROOT) -> str:
    """A path relative to the repository root, as a student would type it."""
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return str(path)


# --- running the graded suites -------------------------------------------------------


class RunError(RuntimeError):
    """pytest ran but wrote no report (e.g. it could not even start)."""


def run_lessons(numbers: Iterable[int], root: Path = ROOT) -> dict[int, LessonResult]:
    """Run the graded suites of ``numbers`` in ONE pytest subprocess, on the student's files.

    Returns a :class:`LessonResult` per lesson that ran, and remembers them
    in ``.kata/status.json``.
    """
    numbers = list(numbers)
    if not numbers:
        return {}
    root = Path(root)
    state_dir(root).mkdir(parents=True, exist_ok=True)
    fd, report_path = tempfile.mkstemp(dir=state_dir(root), prefix="report-", suffix=".json")
    os.close(fd)
    os.unlink(report_path)
    env = dict(os.environ, MPLBACKEND="Agg", TF_CPP_MIN_LOG_LEVEL="2")
    env.pop("KATA_IMPL", None)
    command = [
        sys.executable, "-m", "pytest",
        *[f"lessons/{get_lesson(n).folder}" for n in numbers],
        "--impl=lessons", f"--kata-report={report_path}", "-q", "-p", "no:cacheprovider",
    ]  # fmt: skip
    try:
        done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
        if not Path(report_path).is_file():
            tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
            raise RunError(f"pytest stopped before grading (exit code {done.returncode}):\n{tail}")
        report = report_module.read(report_path)
    finally:
        Path(report_path).unlink(missing_ok=True)
    now = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
    results = {}
    for score in report.lessons():
        rows = [r for r in report.results if r.lesson == score.number]
        results[score.number] = LessonResult(
            number=score.number,
            earned=score.earned,
            possible=score.possible,
            passed=score.passed,
            tests=score.tests,
            not_started=score.earned == 0 and _untouched(score.number, root),
            failures=[f"{r.name}: {r.message}" for r in rows if r.outcome != "passed"],
            fingerprint=fingerprint(score.number, root),
            when=now,
        )
    save_results(results.values(), root)
    return results


def _untouched(number: int, root: Path) -> bool:
    """Is the student's lesson file still the pristine stub?"""
    stub, mine = stub_file(number, root), lesson_file(number, root)
    return stub.is_file() and mine.is_file() and stub.read_bytes() == mine.read_bytes()


def next_lesson(results: dict[int, LessonResult], numbers: Iterable[int]) -> int | None:
    """The first lesson (not counting the bonus) without full points; ``None`` when all are done."""
    for n in numbers:
        if get_lesson(n).bonus:
            continue
        result = results.get(n)
        if result is None or not result.full:
            return n
    return None


def following(number: int, results: dict[int, LessonResult], numbers: Iterable[int]) -> int | None:
    """The lesson to go on with after ``number``: the next one without full points.

    Lessons after ``number`` come first, then the earlier ones left unfinished;
    never the bonus lesson (`kata watch 11` starts it).  ``None`` when all are done.
    """
    order = [n for n in numbers if not get_lesson(n).bonus]
    candidates = [n for n in order if n > number] + [n for n in order if n < number]
    for n in candidates:
        if n not in results or not results[n].full:
            return n
    return None


def _console(console=None):
    if console is not None:
        return console
    from rich.console import Console

    return Console(highlight=False)


# --- kata status ---------------------------------------------------------------------


def status(root: Path = ROOT, *, capstone: bool = False, fresh: bool = False, console=None) -> int:
    """Run lessons 01–09 (one subprocess), the capstone when due, and show a table.

    A lesson that had full points last time and whose files have not changed
    since is not run again (lessons are graded independently), unless ``fresh``.
    """
    from rich.progress_bar import ProgressBar
    from rich.table import Table

    console = _console(console)
    root = Path(root)
    present = present_lessons(root)
    fast = [n for n in present if n in FAST_LESSONS]
    slow = [n for n in present if n in SLOW_LESSONS]
    stored = load_results(root)

    unchanged = set()
    if not fresh:
        unchanged = {
            n for n in fast
            if n in stored and stored[n].full and stored[n].fingerprint == fingerprint(n, root)
        }  # fmt: skip
    to_run = [n for n in fast if n not in unchanged] + (slow if capstone else [])
    results = {}
    if to_run:
        with console.status(f"Running the graded suites of lessons {_span(to_run)}…"):
            try:
                results = run_lessons(to_run, root)
            except RunError as error:
                console.print(f"[red]{error}[/red]")
                return 1
    done_fast = all(n in unchanged or (n in results and results[n].full) for n in fast)
    ran_slow = capstone
    if slow and not capstone and done_fast:
        due = [n for n in slow if n not in stored or stored[n].fingerprint != fingerprint(n, root)]
        if due:
            with console.status("Lessons 01–09 are complete: running the capstone's full training…"):
                try:
                    results.update(run_lessons(due, root))
                except RunError as error:
                    console.print(f"[red]{error}[/red]")
                    return 1
            ran_slow = True

    table = Table(title="Your progress", title_justify="left")
    table.add_column("lesson")
    table.add_column("what you do")
    table.add_column("points", justify="right")
    table.add_column("state")
    earned_total = 0.0
    possible_total = 0.0
    all_results = {**stored, **results}
    for n in present:
        lesson = get_lesson(n)
        result = all_results.get(n)
        title = lesson.title
        if result is None:
            points, state = f"?/{report_module.POINTS_PER_LESSON}", "[dim]not run yet[/dim]"
        else:
            points = f"{report_module.fmt(result.earned)}/{report_module.fmt(result.possible)}"
            state = _state(result)
            if n in unchanged:
                state += " [dim](unchanged since it passed)[/dim]"
            elif n not in results:
                state += f" [dim](last run {result.when[:16].replace('T', ' ')})[/dim]"
        if not lesson.bonus:
            earned_total += result.earned if result else 0.0
            possible_total += result.possible if result else report_module.POINTS_PER_LESSON
        table.add_row(f"{lesson.folder}", title, points, state)
    console.print(table)
    if slow and not ran_slow and done_fast:
        console.print(
            "[dim]The capstone's result is from its last run: no lesson file changed since "
            "(`kata status --capstone` runs it again).[/dim]"
        )
    elif slow and not ran_slow:
        console.print(
            "[dim]The capstone trains on all 60,000 images: it runs once lessons 01–09 have "
            "full points, or now with `kata status --capstone`.[/dim]"
        )

    nxt = next_lesson(all_results, present)
    if nxt is None:
        console.print("[bold green]Every lesson has full points. Well done![/bold green]")
    else:
        lesson = get_lesson(nxt)
        console.print(
            f"Next: [bold]lesson {lesson.folder} · {lesson.title}[/bold] — edit "
            f"{shown(lesson_file(nxt, root), root)}, read {lesson.guide}, run "
            f"`pytest lessons/{lesson.folder}` (stuck? `kata hint {nxt}`)"
        )
        result = all_results.get(nxt)
        if result is not None and result.failures and not result.not_started:
            console.print(f"  first problem: {result.failures[0].splitlines()[0][:300]}", markup=False)
    bar = ProgressBar(total=possible_total or 1, completed=earned_total, width=40)
    table = Table.grid(padding=(0, 1))
    table.add_row(
        "overall",
        bar,
        f"{report_module.fmt(earned_total)}/{report_module.fmt(possible_total)} points",
    )
    console.print(table)
    return 0


def _span(numbers: list[int]) -> str:
    return ", ".join(f"{n:02d}" for n in numbers)


def _state(result: LessonResult) -> str:
    if result.full:
        return "[green]✓ passing[/green]"
    if result.not_started:
        return "[yellow]not started[/yellow]"
    return f"[red]✗ failing[/red] ({result.passed}/{result.tests} tests pass)"


# --- kata hint -----------------------------------------------------------------------


def hints_file(number: int, root: Path = ROOT) -> Path:
    return Path(root) / "lessons" / get_lesson(number).folder / "hints.md"


def parse_hints(text: str) -> list[str]:
    """The hints of a ``hints.md``: the text under each ``## Hint N`` heading, in order."""
    parts = re.split(r"^##\s+Hint\s+\d+\s*$", text, flags=re.MULTILINE)
    return [part.strip() for part in parts[1:]]


def hint(number: int, root: Path = ROOT, *, show_all: bool = False, console=None) -> int:
    """Show the next hint of a lesson (or all of them), remembering how many were shown."""
    from rich.markdown import Markdown

    console = _console(console)
    lesson = get_lesson(number)
    path = hints_file(number, root)
    if not path.is_file():
        console.print(f"Lesson {lesson.folder} has no hints yet ({shown(path, root)} is missing).")
        return 1
    hints = parse_hints(path.read_text(encoding="utf-8"))
    if not hints:
        console.print(f"{shown(path, root)} has no '## Hint 1' section.")
        return 1
    memory_path = state_dir(root) / "hints.json"
    memory = _read_json(memory_path)
    seen = int(memory.get(lesson.folder, 0))
    if show_all:
        chosen = range(len(hints))
        seen = len(hints)
    elif seen >= len(hints):
        chosen = [len(hints) - 1]
        console.print(
            f"[dim]You have seen all {len(hints)} hints of lesson {lesson.folder}; "
            "here is the last one again (`--all` shows every hint).[/dim]"
        )
    else:
        chosen = [seen]
        seen += 1
    for i in chosen:
        console.rule(f"Lesson {lesson.folder} · hint {i + 1} of {len(hints)}")
        console.print(Markdown(hints[i]))
    memory[lesson.folder] = seen
    _write_json(memory_path, memory)
    if seen < len(hints):
        console.print(f"[dim]Still stuck? `kata hint {number}` again shows hint {seen + 1}.[/dim]")
    else:
        console.print(f"[dim]That was the last hint. The guide: {lesson.guide}[/dim]")
    return 0


# --- kata watch ----------------------------------------------------------------------


def run_one(number: int, root: Path = ROOT) -> LessonResult | None:
    """Run one lesson's graded suite; ``None`` if it produced no result."""
    return run_lessons([number], root).get(number)


def watch_loop(
    changes: Iterable[set],
    *,
    root: Path = ROOT,
    start: int | None = None,
    console=None,
    runner: Callable[[int, Path], LessonResult | None] = run_one,
    max_runs: int | None = None,
) -> int:
    """The core of ``kata watch``: run the current lesson, then again after each change set.

    ``changes`` yields sets of ``(change, path)`` as :func:`watchfiles.watch`
    does; an empty set is ignored.  When the current lesson reaches full
    points, the next lesson becomes current and runs at once.  Stops after
    ``max_runs`` runs (for tests), when ``changes`` ends, or when every lesson
    is done.  Returns the number of runs.
    """
    console = _console(console)
    root = Path(root)
    present = present_lessons(root)
    current = start if start is not None else next_lesson(load_results(root), present)
    runs = 0

    def run_and_advance() -> int | None:
        nonlocal runs
        lesson_number = current
        while lesson_number is not None:
            if max_runs is not None and runs >= max_runs:
                return lesson_number
            lesson = get_lesson(lesson_number)
            console.print(f"[dim]running pytest lessons/{lesson.folder} …[/dim]")
            try:
                result = runner(lesson_number, root)
            except RunError as error:
                console.print(f"[red]{error}[/red]")
                result = None
            runs += 1
            if result is None:
                console.print(f"lesson {lesson.folder}: no result — fix the error above and save again.")
                return lesson_number
            colour = "green" if result.full else "red"
            console.print(f"[bold {colour}]{result.line}[/bold {colour}]")
            if not result.full:
                for failure in result.failures[:5]:
                    console.print(f"  ✗ {failure.splitlines()[0] if failure else failure}")
                console.print(
                    f"[dim]Edit {shown(lesson_file(lesson_number, root), root)} and save; "
                    f"stuck? `kata hint {lesson_number}`[/dim]"
                )
                return lesson_number
            lesson_number = following(lesson_number, load_results(root), present)
            if lesson_number is not None:
                console.print(
                    f"[green]Full points! On to lesson {lesson_number:02d} · "
                    f"{get_lesson(lesson_number).title}.[/green]"
                )
        return None

    if current is None:
        console.print("[bold green]Every lesson already has full points.[/bold green]")
        return runs
    current = run_and_advance()
    for change_set in changes:
        if current is None or (max_runs is not None and runs >= max_runs):
            break
        if not change_set:
            continue
        names = sorted({shown(Path(path), root) for _, path in change_set})
        console.print(f"[dim]saved: {', '.join(names)}[/dim]")
        current = run_and_advance()
    if current is None:
        console.print("[bold green]Every lesson has full points. Well done![/bold green]")
    return runs


def watch(root: Path = ROOT, *, start: int | None = None, poll: bool = False, console=None) -> int:
    """``kata watch``: the loop of :func:`watch_loop` fed by real file events."""
    import watchfiles

    console = _console(console)
    root = Path(root)
    how = "polling every 0.3 s" if poll else "file events"
    console.print(
        f"Watching {shown(root / 'lessons', root)}/ for saved .py files ({how}). "
        "Press Ctrl-C to stop."
    )
    changes = watchfiles.watch(
        root / "lessons",
        watch_filter=watchfiles.PythonFilter(),
        force_polling=True if poll else None,
        debounce=400,
    )
    watch_loop(changes, root=root, start=start, console=console)
    return 0


# --- kata reset ----------------------------------------------------------------------


def backup_path(number: int, root: Path = ROOT, now: _dt.datetime | None = None) -> Path:
    """A new, unused backup file name: ``.kata/backups/NN-<module>-<YYYYmmdd-HHMMSS>.py``."""
    lesson = get_lesson(number)
    stamp = (now or _dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    folder = state_dir(root) / "backups"
    path = folder / f"{lesson.folder}-{lesson.module}-{stamp}.py"
    counter = 2
    while path.exists():
        path = folder / f"{lesson.folder}-{lesson.module}-{stamp}-{counter}.py"
        counter += 1
    return path


def reset(
    number: int,
    root: Path = ROOT,
    *,
    yes: bool = False,
    confirm: Callable[[str], bool] | None = None,
    console=None,
) -> int:
    """Restore lesson ``number``'s stub, first saving the student's file to a named backup."""
    console = _console(console)
    lesson = get_lesson(number)
    target = lesson_file(number, root)
    stub = stub_file(number, root)
    if not stub.is_file():
        console.print(
            f"[red]The pristine stub of lesson {lesson.folder} is missing ({shown(stub, root)}), "
            "so nothing was changed.[/red]"
        )
        return 1
    if target.is_file() and target.read_bytes() == stub.read_bytes():
        console.print(f"{shown(target, root)} is already the untouched stub: nothing to do.")
        return 0
    if not yes:
        ask = confirm or _ask
        question = (
            f"Restore the stub of lesson {lesson.folder} in {shown(target, root)}? "
            f"Your version is kept in {STATE_DIR}/backups/."
        )
        if not ask(question):
            console.print("Nothing changed. (`kata reset N --yes` skips this question.)")
            return 1
    if target.is_file():
        backup = backup_path(number, root)
        backup.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(target, backup)
        console.print(f"Your version is saved as [bold]{shown(backup, root)}[/bold].")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(stub, target)
    console.print(f"Restored the stub of lesson {lesson.folder}: {shown(target, root)}.")
    return 0


def _ask(question: str) -> bool:
    """Ask on the terminal; no answer (no terminal, end of input) counts as no."""
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        print()
        return False
    return answer.strip().lower() in ("y", "yes")


# --- kata solution -------------------------------------------------------------------


def solution(
    number: int,
    root: Path = ROOT,
    *,
    force: bool = False,
    console=None,
    runner: Callable[[int, Path], LessonResult | None] = run_one,
) -> int:
    """Show lesson ``number``'s reference once the student's version has full points."""
    from rich.syntax import Syntax

    console = _console(console)
    lesson = get_lesson(number)
    path = solution_file(number, root)
    if not (Path(root) / "solutions").is_dir():
        console.print(
            "This copy of the kata has no solutions/ folder (a student release): the reference "
            "solutions stay with your instructor. `kata hint "
            f"{number}` gives hints."
        )
        return 1
    if not path.is_file():
        console.print(f"There is no reference solution for lesson {lesson.folder} ({shown(path, root)}).")
        return 1
    if force:
        console.print(
            f"[yellow]Shown with --force: the reference of lesson {lesson.folder}, without "
            "checking your points.[/yellow]"
        )
    else:
        with console.status(f"Running pytest lessons/{lesson.folder} to check your points…"):
            try:
                result = runner(number, Path(root))
            except RunError as error:
                console.print(f"[red]{error}[/red]")
                return 1
        if result is None or not result.full:
            line = result.line if result else f"lesson {lesson.folder}: no result"
            console.print(
                f"{line}. The reference is shown once your lesson has full points — "
                f"try `kata hint {number}`, or `kata solution {number} --force` to see it anyway."
            )
            return 1
        console.print(f"[green]{result.line}[/green] — here is the reference to compare with yours.")
    console.rule(shown(path, root))
    console.print(Syntax(path.read_text(encoding="utf-8"), "python", line_numbers=True))
    return 0


# --- keeping kata/stubs/ in step with lessons/ ----------------------------------------


def sync_stubs(root: Path = ROOT) -> list[Path]:
    """Copy every lesson's stub to ``kata/stubs/NN/<module>.py`` (for authors; returns those written)."""
    written = []
    for number in LESSONS:
        source = lesson_file(number, root)
        if not source.is_file():
            continue
        target = stub_file(number, root)
        if target.is_file() and target.read_bytes() == source.read_bytes():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(target)
    return written


# --- entry points from kata.cli ------------------------------------------------------


def main_status(args) -> int:
    return status(ROOT, capstone=args.capstone, fresh=args.fresh)


def main_hint(args) -> int:
    return hint(args.lesson, ROOT, show_all=args.all)


def main_watch(args) -> int:
    import signal

    console = _console()
    # Ctrl-C must stop the watch even when the shell started it with SIGINT ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return watch(ROOT, start=args.lesson, poll=args.poll, console=console)
    except KeyboardInterrupt:
        console.print("\nStopped watching. Your progress is saved — `kata status` shows it. Bye!")
        return 0


def main_reset(args) -> int:
    return reset(args.lesson, ROOT, yes=args.yes)


def main_solution(args) -> int:
    return solution(args.lesson, ROOT, force=args.force)


if __name__ == "__main__":
    if sys.argv[1:] == ["--sync-stubs"]:
        for written in sync_stubs():
            print(f"wrote {shown(written)}")
        sys.exit(0)
    sys.exit("usage: python -m kata.progress --sync-stubs   (copies lessons/NN stubs to kata/stubs/)")
