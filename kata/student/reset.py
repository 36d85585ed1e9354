"""``kata reset N``: restore a lesson's pristine stub, keeping the student's file in a backup.

The pristine stub comes from the package, not from git: students commit their
work, and a zip download has no history.  ``kata/stubs/NN/<module>.py`` is
package data generated from ``lessons/`` by ``kata dev sync``, so it is there
in a clone, a zip download, a ``kata release`` copy and a plain ``pip install``.
"""

from __future__ import annotations

import datetime as _dt
import shutil
from collections.abc import Callable
from pathlib import Path

from kata.checkout import STATE_DIR, Checkout
from kata.fileio import copy_atomic
from kata.impl import get_lesson
from kata.student.runner import console_or_default


def backup_path(number: int, checkout: Checkout, now: _dt.datetime | None = None) -> Path:
    """A new, unused backup file name: ``.kata/backups/NN-<module>-<YYYYmmdd-HHMMSS>.py``.

    Args:
        number: the lesson.
        checkout: the student's copy of the kata.
        now: the time to name it by (default: now).

    Returns:
        A path no file has yet (``-2``, ``-3``, ... appended when needed).
    """
    lesson = get_lesson(number)
    stamp = (now or _dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    path = checkout.backups / f"{lesson.folder}-{lesson.module}-{stamp}.py"
    counter = 2
    while path.exists():
        path = checkout.backups / f"{lesson.folder}-{lesson.module}-{stamp}-{counter}.py"
        counter += 1
    return path


def reset(
    checkout: Checkout,
    number: int,
    *,
    yes: bool = False,
    confirm: Callable[[str], bool] | None = None,
    console=None,
) -> int:
    """Restore lesson ``number``'s stub, first saving the student's file to a named backup.

    Args:
        checkout: the student's copy of the kata.
        number: the lesson.
        yes: don't ask for confirmation.
        confirm: asks the question (default: on the terminal; no answer is no).
        console: a rich Console to print to (default: the terminal).

    Returns:
        The exit code: 0 when restored (or already the stub), 1 otherwise.
    """
    console = console_or_default(console)
    lesson = get_lesson(number)
    target = checkout.lesson_file(number)
    stub = checkout.stub_file(number)
    if not stub.is_file():
        console.print(
            f"[red]The pristine stub of lesson {lesson.folder} is missing "
            f"({checkout.shown(stub)}), so nothing was changed.[/red]"
        )
        return 1
    if target.is_file() and target.read_bytes() == stub.read_bytes():
        console.print(f"{checkout.shown(target)} is already the untouched stub: nothing to do.")
        return 0
    if not yes:
        ask = confirm or _ask
        question = (
            f"Restore the stub of lesson {lesson.folder} in {checkout.shown(target)}? "
            f"Your version is kept in {STATE_DIR}/backups/."
        )
        if not ask(question):
            console.print("Nothing changed. (`kata reset N --yes` skips this question.)")
            return 1
    if target.is_file():
        backup = backup_path(number, checkout)
        backup.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(target, backup)
        console.print(f"Your version is saved as [bold]{checkout.shown(backup)}[/bold].")
    copy_atomic(stub, target)
    console.print(f"Restored the stub of lesson {lesson.folder}: {checkout.shown(target)}.")
    return 0


def _ask(question: str) -> bool:
    """Ask on the terminal; no answer (no terminal, end of input) counts as no."""
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        print()
        return False
    return answer.strip().lower() in ("y", "yes")


def main(args, checkout: Checkout) -> int:
    """``kata reset N [--yes]``."""
    return reset(checkout, args.lesson, yes=args.yes)
