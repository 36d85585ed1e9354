"""``kata watch [N]``: check a lesson again each time its file is saved.

A save checks the lesson whose file was saved (a student who goes back to fix
lesson 03 while lesson 04 is current sees lesson 03's verdict) and then goes
on with the current lesson; when the current lesson reaches full points, the
next unfinished one becomes current and runs at once.  When every lesson has
full points the watch says so and keeps watching.  Checks are forked from a
warm process that imported TensorFlow once (:mod:`kata.student.warm`), or run
in a fresh process when it can't.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from kata.checkout import Checkout
from kata.i18n import _, translate
from kata.impl import LESSONS, get_lesson
from kata.outcome import LessonResult
from kata.student.runner import (
    RunError,
    console_or_default,
    following,
    next_lesson,
    pytest_env,
    run_one,
)
from kata.student.state import load_results


def saved_lessons(change_set: set, checkout: Checkout) -> list[int]:
    """The lessons whose folder holds a saved file, in order.

    Args:
        change_set: ``(change, path)`` pairs as :func:`watchfiles.watch` yields them.
        checkout: the student's copy of the kata.

    Returns:
        Lesson numbers (``lessons/03/build.py`` → 3); files outside a lesson
        folder (``lessons/conftest.py``) name none.

    Example:
        >>> saved_lessons({("modified", "/kata/lessons/03/build.py")}, Checkout("/kata"))  # doctest: +SKIP
        [3]
    """
    numbers = set()
    for _change, path in change_set:
        try:
            parts = Path(path).resolve().relative_to(checkout.lessons).parts
        except ValueError:
            continue
        if len(parts) > 1 and parts[0].isdigit() and int(parts[0]) in LESSONS:
            numbers.add(int(parts[0]))
    return sorted(numbers)


def watch_loop(
    changes: Iterable[set],
    checkout: Checkout,
    *,
    start: int | None = None,
    console=None,
    runner: Callable[[int, Checkout], LessonResult | None] = run_one,
    max_runs: int | None = None,
    on_result: Callable[[int, LessonResult | None], None] | None = None,
) -> int:
    """The core of ``kata watch``: run the current lesson, then the saved lessons after each change set.

    Args:
        changes: sets of ``(change, path)`` as :func:`watchfiles.watch` yields
            them; an empty set is ignored.
        checkout: the student's copy of the kata.
        start: the first lesson to run (default: the first without full points).
        console: a rich Console to print to (default: the terminal).
        runner: runs one lesson (for tests; default :func:`~kata.student.runner.run_one`).
        max_runs: stop after this many runs (for tests).
        on_result: called with each lesson and its result as soon as it is shown
            (the watch benchmark times it).

    Returns:
        The number of runs; it stops when ``changes`` ends (or after ``max_runs``).
    """
    console = console_or_default(console)
    present = checkout.present_lessons()
    runs = 0

    def check(number: int) -> LessonResult | None:
        """Run one lesson and show its verdict."""
        nonlocal runs
        lesson = get_lesson(number)
        console.print(_('running pytest lessons/{folder} …').format(folder=lesson.folder), style="dim", markup=False)
        try:
            result = runner(number, checkout)
        except RunError as error:
            console.print(str(error), style="red", markup=False)
            result = None
        runs += 1
        if result is None:
            console.print(_("lesson {folder}: no result — fix the error above and save again.").format(folder=lesson.folder))
        else:
            colour = "green" if result.full else "red"
            console.print(f"[bold {colour}]{result.line}[/bold {colour}]")
            if not result.full:
                said = set()  # one mistake, one explanation: a test stopped by the same message points back
                for failure in result.failures[:5]:
                    name, _colon, message = failure.partition(": ")
                    if message and message in said:
                        console.print(f"  ✗ {name}: " + _("the same as above"), markup=False)
                    else:
                        console.print(f"  ✗ {failure.splitlines()[0] if failure else failure}", markup=False)
                    said.add(message)
                hint = _("Edit {path} and save; stuck? `kata hint {number}`")
                shown = checkout.shown(checkout.lesson_file(number))
                console.print(hint.format(path=shown, number=number), style="dim", markup=False)
        if on_result is not None:
            on_result(number, result)
        return result

    def out_of_runs() -> bool:
        return max_runs is not None and runs >= max_runs

    def run_and_advance(number: int | None) -> int | None:
        """Run ``number`` and, while it has full points, the following lessons; the new current one."""
        while number is not None and not out_of_runs():
            result = check(number)
            if result is None or not result.full:
                return number
            number = following(number, load_results(checkout), present)
            if number is not None:
                console.print(
                    "[green]"
                    + _("Full points! On to lesson {folder} · {title}.").format(folder=f"{number:02d}", title=translate(get_lesson(number).title))
                    + "[/green]"
                )
        if number is None:
            say_all_done()
        return number

    def say_all_done() -> None:
        console.print(_('Every lesson has full points. Well done!'), style="bold green", markup=False)
        console.print(_('Still watching: save any lesson file to check it again (Ctrl-C stops).'), style="dim", markup=False)

    current = start if start is not None else next_lesson(load_results(checkout), present)
    if current is None:
        say_all_done()
    else:
        current = run_and_advance(current)
    for change_set in changes:
        if out_of_runs():
            break
        if not change_set:
            continue
        names = sorted({checkout.shown(Path(path)) for _change, path in change_set})
        console.print(_('saved: {files}').format(files=', '.join(names)), style="dim", markup=False)
        saved = [n for n in saved_lessons(change_set, checkout) if n in present]
        others = [n for n in saved if n != current]  # their verdict, then back to the current one
        if current is not None and (not saved or current in saved):
            current = run_and_advance(current)
        for number in others:
            if out_of_runs():
                break
            check(number)
        if others and current is not None:
            console.print(
                "[dim]"
                + _("Still current: lesson {folder} · {title}.").format(folder=f"{current:02d}", title=translate(get_lesson(current).title))
                + "[/dim]"
            )
    return runs


def file_changes(checkout: Checkout, *, poll: bool = False, stop_event=None) -> Iterable[set]:
    """The saves of ``.py`` files under ``lessons/``, as sets of ``(change, path)`` (:func:`watchfiles.watch`).

    Args:
        checkout: the student's copy of the kata.
        poll: poll every 0.3 s instead of waiting for file events (network drives).
        stop_event: a :class:`threading.Event` that ends the iteration when set.

    Returns:
        The iterator of change sets.
    """
    import watchfiles

    return watchfiles.watch(
        checkout.lessons,
        watch_filter=watchfiles.PythonFilter(),
        force_polling=True if poll else None,
        debounce=400,
        stop_event=stop_event,
    )


def watch(checkout: Checkout, *, start: int | None = None, poll: bool = False, warm: bool = True, console=None) -> int:
    """``kata watch``: the loop of :func:`watch_loop` fed by real file events.

    Args:
        checkout: the student's copy of the kata; its ``lessons/`` is watched.
        start: the first lesson to run (default: the first without full points).
        poll: poll for changes instead of waiting for file events (network drives).
        warm: fork each check from a warm process (default); ``False`` starts
            a fresh Python process for every check.
        console: a rich Console to print to (default: the terminal).

    Returns:
        The exit code, 0.
    """
    from kata.student.warm import WarmRunner

    console = console_or_default(console)
    how = _("polling every 0.3 s") if poll else _("file events")
    console.print(
        _("Watching {folder}/ for saved .py files ({how}). Press Ctrl-C to stop.").format(
            folder=checkout.shown(checkout.lessons), how=how
        )
    )
    changes = file_changes(checkout, poll=poll)
    warm_runner = WarmRunner(checkout, pytest_env()) if warm else None
    said_fresh = []

    def runner(number: int, where: Checkout) -> LessonResult | None:
        result = run_one(number, where, warm=warm_runner)
        if warm_runner is not None and warm_runner.broken and not said_fresh:
            said_fresh.append(True)
            text = _("Checks run in a fresh Python process from now on (slower): {why}.")
            console.print(text.format(why=warm_runner.broken), style="dim", markup=False)
        return result

    try:
        watch_loop(changes, checkout, start=start, console=console, runner=runner)
    finally:
        if warm_runner is not None:
            warm_runner.close()
    return 0


def main(args, checkout: Checkout) -> int:
    """``kata watch [N] [--poll] [--fresh]``; Ctrl-C stops it cleanly."""
    import signal

    console = console_or_default()
    # Ctrl-C must stop the watch even when the shell started it with SIGINT ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return watch(checkout, start=args.lesson, poll=args.poll, warm=not args.fresh, console=console)
    except KeyboardInterrupt:
        console.print("\n" + _("Stopped watching. Your progress is saved — `kata status` shows it. Bye!"))
        return 0
