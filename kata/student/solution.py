"""``kata solution N``: a lesson's reference, shown once the student's version has full points."""

from __future__ import annotations

from collections.abc import Callable

from rich.markup import escape

from kata.checkout import Checkout
from kata.i18n import _
from kata.impl import get_lesson
from kata.outcome import LessonResult
from kata.student.runner import RunError, console_or_default, run_one


def solution(
    checkout: Checkout,
    number: int,
    *,
    force: bool = False,
    console=None,
    runner: Callable[[int, Checkout], LessonResult | None] = run_one,
) -> int:
    """Show lesson ``number``'s reference once the student's version has full points.

    Args:
        checkout: the student's copy of the kata.
        number: the lesson.
        force: show it without running the lesson's suite first.
        console: a rich Console to print to (default: the terminal).
        runner: runs one lesson (for tests; default :func:`~kata.student.runner.run_one`).

    Returns:
        The exit code: 0 when shown, 1 otherwise (and why is printed).
    """
    from rich.syntax import Syntax

    console = console_or_default(console)
    lesson = get_lesson(number)
    path = checkout.solution_file(number)
    if not checkout.has_solutions:
        console.print(
            escape(_("This copy of the kata has no solutions/ folder (a student release): the reference "
                     "solutions stay with your instructor. `kata hint {number}` gives hints.").format(number=number))
        )  # fmt: skip
        return 1
    if not path.is_file():
        console.print(_("There is no reference solution for lesson {folder} ({path}).").format(folder=lesson.folder, path=checkout.shown(path)), markup=False)
        return 1
    if force:
        text = _("Shown with --force: the reference of lesson {folder}, without checking your points.")
        console.print(f"[yellow]{escape(text.format(folder=lesson.folder))}[/yellow]")
    else:
        with console.status(_("Running pytest lessons/{folder} to check your points…").format(folder=lesson.folder)):
            try:
                result = runner(number, checkout)
            except RunError as error:
                console.print(f"[red]{escape(str(error))}[/red]")
                return 1
        if result is None or not result.full:
            line = result.line if result else _("lesson {folder}: no result").format(folder=lesson.folder)
            text = _("{line}. The reference is shown once your lesson has full points — "
                     "try `kata hint {number}`, or `kata solution {number} --force` to see it anyway.")
            console.print(escape(text.format(line=line, number=number)))  # fmt: skip
            return 1
        console.print(f"[green]{escape(result.line)}[/green]" + escape(_(" — here is the reference to compare with yours.")))
    console.rule(checkout.shown(path))
    console.print(Syntax(path.read_text(encoding="utf-8"), "python", line_numbers=True))
    return 0


def main(args, checkout: Checkout) -> int:
    """``kata solution N [--force]``."""
    return solution(checkout, args.lesson, force=args.force)
