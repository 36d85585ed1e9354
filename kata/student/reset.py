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

from rich.markup import escape

from kata.checkout import STATE_DIR, Checkout
from kata.fileio import copy_atomic
from kata.i18n import _
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
    confirm: Callable[[str], bool | None] | None = None,
    console=None,
) -> int:
    """Restore lesson ``number``'s stub, first saving the student's file to a named backup.

    Args:
        checkout: the student's copy of the kata.
        number: the lesson.
        yes: don't ask for confirmation.
        confirm: asks the question: yes, no, or ``None`` for no answer (default: on the terminal).
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
            "[red]"
            + escape(_("The pristine stub of lesson {folder} is missing ({path}), so nothing was changed.").format(
                folder=lesson.folder, path=checkout.shown(stub)))
            + "[/red]"
        )  # fmt: skip
        return 1
    if target.is_file() and target.read_bytes() == stub.read_bytes():
        console.print(_("{path} is already the untouched stub: nothing to do.").format(path=checkout.shown(target)), markup=False)
        return 0
    if not yes:
        ask = confirm or _ask
        question = _("Restore the stub of lesson {folder} in {path}? Your version is kept in {backups}/.").format(
            folder=lesson.folder, path=checkout.shown(target), backups=f"{STATE_DIR}/backups"
        )
        answer = ask(question)
        if answer is None:
            console.print(
                escape(_("Nothing changed: there is no terminal to answer the question. "
                         "To restore the stub (your version is kept in {backups}/), run: kata reset {number} --yes").format(
                    backups=f"{STATE_DIR}/backups", number=number))
            )  # fmt: skip
            return 1
        if not answer:
            console.print(escape(_("Nothing changed. (`kata reset {number} --yes` skips this question.)").format(number=number)))
            return 1
    if target.is_file():
        backup = backup_path(number, checkout)
        backup.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(target, backup)
        console.print(_("Your version is saved as {path}.").format(path=f"[bold]{escape(checkout.shown(backup))}[/bold]"))
    copy_atomic(stub, target)
    console.print(
        _("Restored the stub of lesson {folder}: {path}.").format(folder=lesson.folder, path=checkout.shown(target)),
        markup=False,
    )
    return 0


def _ask(question: str) -> bool | None:
    """Ask on the terminal: ``True`` for yes, ``False`` for anything else, ``None`` when there is no answer.

    No terminal and an empty standard input (an editor's run button, a script)
    give no answer: the caller then says how to confirm with ``--yes``.
    """
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        print()
        return None
    return answer.strip().lower() in ("y", "yes", "是")


def main(args, checkout: Checkout) -> int:
    """``kata reset N [--yes]``."""
    return reset(checkout, args.lesson, yes=args.yes)
