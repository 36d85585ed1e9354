"""``kata watch [N]``: run the current lesson again each time a lesson file is saved."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from kata.checkout import Checkout
from kata.impl import get_lesson
from kata.outcome import LessonResult
from kata.student.runner import RunError, console_or_default, following, next_lesson, run_one
from kata.student.state import load_results


def watch_loop(
    changes: Iterable[set],
    checkout: Checkout,
    *,
    start: int | None = None,
    console=None,
    runner: Callable[[int, Checkout], LessonResult | None] = run_one,
    max_runs: int | None = None,
) -> int:
    """The core of ``kata watch``: run the current lesson, then again after each change set.

    When the current lesson reaches full points, the next lesson becomes
    current and runs at once.

    Args:
        changes: sets of ``(change, path)`` as :func:`watchfiles.watch` yields
            them; an empty set is ignored.
        checkout: the student's copy of the kata.
        start: the first lesson to run (default: the first without full points).
        console: a rich Console to print to (default: the terminal).
        runner: runs one lesson (for tests; default :func:`~kata.student.runner.run_one`).
        max_runs: stop after this many runs (for tests).

    Returns:
        The number of runs; it stops when ``changes`` ends or every lesson is done.
    """
    console = console_or_default(console)
    present = checkout.present_lessons()
    current = start if start is not None else next_lesson(load_results(checkout), present)
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
                result = runner(lesson_number, checkout)
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
                    f"[dim]Edit {checkout.shown(checkout.lesson_file(lesson_number))} and save; "
                    f"stuck? `kata hint {lesson_number}`[/dim]"
                )
                return lesson_number
            lesson_number = following(lesson_number, load_results(checkout), present)
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
        names = sorted({checkout.shown(Path(path)) for _, path in change_set})
        console.print(f"[dim]saved: {', '.join(names)}[/dim]")
        current = run_and_advance()
    if current is None:
        console.print("[bold green]Every lesson has full points. Well done![/bold green]")
    return runs


def watch(checkout: Checkout, *, start: int | None = None, poll: bool = False, console=None) -> int:
    """``kata watch``: the loop of :func:`watch_loop` fed by real file events.

    Args:
        checkout: the student's copy of the kata; its ``lessons/`` is watched.
        start: the first lesson to run (default: the first without full points).
        poll: poll for changes instead of waiting for file events (network drives).
        console: a rich Console to print to (default: the terminal).

    Returns:
        The exit code, 0.
    """
    import watchfiles

    console = console_or_default(console)
    how = "polling every 0.3 s" if poll else "file events"
    console.print(
        f"Watching {checkout.shown(checkout.lessons)}/ for saved .py files ({how}). "
        "Press Ctrl-C to stop."
    )
    changes = watchfiles.watch(
        checkout.lessons,
        watch_filter=watchfiles.PythonFilter(),
        force_polling=True if poll else None,
        debounce=400,
    )
    watch_loop(changes, checkout, start=start, console=console)
    return 0


def main(args, checkout: Checkout) -> int:
    """``kata watch [N] [--poll]``; Ctrl-C stops it cleanly."""
    import signal

    console = console_or_default()
    # Ctrl-C must stop the watch even when the shell started it with SIGINT ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return watch(checkout, start=args.lesson, poll=args.poll, console=console)
    except KeyboardInterrupt:
        console.print("\nStopped watching. Your progress is saved — `kata status` shows it. Bye!")
        return 0
