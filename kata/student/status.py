"""``kata status``: points per lesson, the next lesson, overall progress."""

from __future__ import annotations

from kata.checkout import Checkout
from kata.impl import get_lesson
from kata.outcome import LessonResult, fmt
from kata.report import POINTS_PER_LESSON
from kata.student.runner import RunError, console_or_default, next_lesson, run_lessons
from kata.student.state import fingerprint, load_results


def status(checkout: Checkout, *, capstone: bool = False, fresh: bool = False, console=None) -> int:
    """Run the fast lessons (one subprocess), the slow ones when due, and show a table.

    A lesson that had full points last time and whose files have not changed
    since is not run again (lessons are graded independently), unless ``fresh``.
    The slow lessons (:attr:`kata.impl.Lesson.slow`: the capstone, the bonus)
    run with ``capstone``, or by themselves once every fast lesson has full
    points and their files changed.

    Args:
        checkout: the student's copy of the kata.
        capstone: run the slow lessons now.
        fresh: run every fast lesson, even those that passed and haven't changed.
        console: a rich Console to print to (default: the terminal).

    Returns:
        The exit code: 0, or 1 when pytest could not run.
    """
    from rich.progress_bar import ProgressBar
    from rich.table import Table

    console = console_or_default(console)
    present = checkout.present_lessons()
    fast = [n for n in present if not get_lesson(n).slow]
    slow = [n for n in present if get_lesson(n).slow]
    stored = load_results(checkout)

    unchanged = set()
    if not fresh:
        unchanged = {
            n for n in fast
            if n in stored and stored[n].full and stored[n].fingerprint == fingerprint(n, checkout)
        }  # fmt: skip
    to_run = [n for n in fast if n not in unchanged] + (slow if capstone else [])
    results = {}
    if to_run:
        with console.status(f"Running the graded suites of lessons {_span(to_run)}…"):
            try:
                results = run_lessons(to_run, checkout)
            except RunError as error:
                console.print(f"[red]{error}[/red]")
                return 1
    done_fast = all(n in unchanged or (n in results and results[n].full) for n in fast)
    ran_slow = capstone
    if slow and not capstone and done_fast:
        due = [n for n in slow if n not in stored or stored[n].fingerprint != fingerprint(n, checkout)]
        if due:
            with console.status("Lessons 01–09 are complete: running the capstone's full training…"):
                try:
                    results.update(run_lessons(due, checkout))
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
        if result is None:
            points, state = f"?/{POINTS_PER_LESSON}", "[dim]not run yet[/dim]"
        else:
            points = f"{fmt(result.earned)}/{fmt(result.possible)}"
            state = _state(result)
            if n in unchanged:
                state += " [dim](unchanged since it passed)[/dim]"
            elif n not in results:
                state += f" [dim](last run {result.when[:16].replace('T', ' ')})[/dim]"
        if not lesson.bonus:
            earned_total += result.earned if result else 0.0
            possible_total += result.possible if result else POINTS_PER_LESSON
        table.add_row(f"{lesson.folder}", lesson.title, points, state)
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
            f"{checkout.shown(checkout.lesson_file(nxt))}, read {lesson.guide}, run "
            f"`pytest lessons/{lesson.folder}` (stuck? `kata hint {nxt}`)"
        )
        result = all_results.get(nxt)
        if result is not None and result.failures and not result.not_started:
            console.print(f"  first problem: {result.failures[0].splitlines()[0][:300]}", markup=False)
    bar = ProgressBar(total=possible_total or 1, completed=earned_total, width=40)
    table = Table.grid(padding=(0, 1))
    table.add_row("overall", bar, f"{fmt(earned_total)}/{fmt(possible_total)} points")
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


def main(args, checkout: Checkout) -> int:
    """``kata status [--capstone] [--fresh]``."""
    return status(checkout, capstone=args.capstone, fresh=args.fresh)
