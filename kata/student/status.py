"""``kata status``: points per lesson, the next lesson, overall progress.

Every ``pytest lessons/NN`` run records its result (:mod:`kata.student.record`),
so ``kata status`` runs only the fast lessons that have no result yet or whose
files changed since; the slow ones (the capstone, the bonus) only with
``--all``, and otherwise it shows their last result and says when it is stale.
A lesson whose last ``kata.check(n)`` in a notebook had full points
(:mod:`kata.notebook.record`) counts as solved too.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.markup import escape
from rich.text import Text

from kata.checkout import Checkout
from kata.i18n import _, translate
from kata.impl import get_lesson
from kata.notebook import record as notebook_record
from kata.outcome import LessonResult, fmt
from kata.report import POINTS_PER_LESSON
from kata.student.runner import RunError, console_or_default, next_lesson, run_lessons
from kata.student.state import fingerprint, load_results


def status(
    checkout: Checkout,
    *,
    run_all: bool = False,
    fresh: bool = False,
    console=None,
    runner: Callable[[list[int], Checkout], dict[int, LessonResult]] = run_lessons,
) -> int:
    """Run the fast lessons whose result is missing or stale (one subprocess), and show a table.

    A recorded result whose lesson files have not changed since is shown as
    it is (lessons are graded independently).  The slow lessons
    (:attr:`kata.impl.Lesson.slow`: the capstone, the bonus) train for
    minutes: they run only with ``run_all``.

    Args:
        checkout: the student's copy of the kata.
        run_all: also run the slow lessons now.
        fresh: run every fast lesson again, even those with an up-to-date result.
        console: a rich Console to print to (default: the terminal).
        runner: runs a list of lessons (for tests; default :func:`~kata.student.runner.run_lessons`).

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
    current = {n for n in present if n in stored and stored[n].fingerprint == fingerprint(n, checkout)}
    to_run = [n for n in fast if fresh or n not in current] + (slow if run_all else [])
    results: dict[int, LessonResult] = {}
    if to_run:
        span = ", ".join(f"{n:02d}" for n in to_run)
        with console.status(_("Running the graded suites of lessons {lessons}…").format(lessons=span)):
            try:
                results = runner(to_run, checkout)
            except RunError as error:
                console.print(str(error), style="red", markup=False)
                return 1

    table = Table(title=_("Your progress"), title_justify="left")
    for heading in (_("lesson"), _("what you do"), _("points"), _("state")):
        table.add_column(heading, justify="right" if heading == _("points") else "left")
    earned_total = possible_total = 0.0
    all_results = {**stored, **results}
    in_notebook = _solved_in_notebooks(checkout, all_results)
    all_results.update(in_notebook)
    stale = []
    for n in present:
        lesson = get_lesson(n)
        result = all_results.get(n)
        if result is None:
            points, state = f"?/{POINTS_PER_LESSON}", Text(_("not run yet"), style="dim")
        else:
            points = f"{fmt(result.earned)}/{fmt(result.possible)}"
            state = _state(result)
            when = result.when[:16].replace("T", " ")
            if n in in_notebook:
                state.append(" " + _("(in a notebook: kata.check({number}), {when})").format(number=n, when=when), style="dim")
            elif n not in results and n in current:
                state.append(" " + _("(recorded {when}, files unchanged since)").format(when=when), style="dim")
            elif n not in results:
                state.append(" " + _("(stale: recorded {when}, files changed since)").format(when=when), style="yellow")
                stale.append(n)
        if not lesson.bonus:
            earned_total += result.earned if result else 0.0
            possible_total += result.possible if result else POINTS_PER_LESSON
        table.add_row(lesson.folder, translate(lesson.title), points, state)
    console.print(table)
    not_run = [n for n in slow if n not in results]
    if not_run:
        console.print(
            "[dim]"
            + escape(_("Lessons {lessons} train on the full data for minutes: they run only when you ask, "
                       "with `kata status --all` (or `pytest lessons/{first}`).").format(
                lessons=", ".join(f"{n:02d}" for n in not_run), first=f"{not_run[0]:02d}"))
            + "[/dim]"
        )  # fmt: skip
    if stale:
        console.print(
            "[yellow]"
            + escape(_("A stale result was recorded before its lesson files changed: run the lesson again to update it."))
            + "[/yellow]"
        )

    nxt = next_lesson(all_results, present)
    if nxt is None:
        console.print(_('Every lesson has full points. Well done!'), style="bold green", markup=False)
    else:
        lesson = get_lesson(nxt)
        title = _("Next: lesson {folder} · {title}").format(folder=lesson.folder, title=translate(lesson.title))
        rest = _(" — edit {path}, read {guide}, run `pytest lessons/{folder}` (stuck? `kata hint {number}`)").format(
            path=checkout.shown(checkout.lesson_file(nxt)), guide=lesson.guide, folder=lesson.folder, number=nxt
        )
        console.print(f"[bold]{escape(title)}[/bold]{escape(rest)}")
        result = all_results.get(nxt)
        if result is not None and result.failures and not result.not_started:
            first = result.failures[0].splitlines()[0][:300]
            console.print(_("  first problem: {problem}").format(problem=first), markup=False)
    bar = ProgressBar(total=possible_total or 1, completed=earned_total, width=40)
    overall = Table.grid(padding=(0, 1))
    overall.add_row(_("overall"), bar, _("{earned}/{possible} points").format(earned=fmt(earned_total), possible=fmt(possible_total)))
    console.print(overall)
    return 0


def _solved_in_notebooks(checkout: Checkout, results: dict[int, LessonResult]) -> dict[int, LessonResult]:
    """Lessons whose last ``kata.check(n)`` in a notebook had full points and whose file hasn't.

    Args:
        checkout: the student's copy of the kata.
        results: the lesson files' results.

    Returns:
        ``{lesson: LessonResult}`` made from the notebook checks, for the lessons they solve.
    """
    solved = {}
    for number, score in notebook_record.load(checkout).items():
        if score.full and not (number in results and results[number].full):
            solved[number] = LessonResult(number=number, earned=score.earned, possible=score.possible,
                                          when=score.checked)
    return solved


def _state(result: LessonResult) -> Text:
    if result.full:
        return Text(_("✓ passing"), style="green")
    if result.not_started:
        return Text(_("not started"), style="yellow")
    tests = _("({passed}/{tests} tests pass)").format(passed=result.passed, tests=result.tests)
    return Text.assemble((_("✗ failing"), "red"), " " + tests)


def main(args, checkout: Checkout) -> int:
    """``kata status [--all] [--fresh]``."""
    return status(checkout, run_all=args.all, fresh=args.fresh)
