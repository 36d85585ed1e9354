"""``kata hint N``: the next hint of a lesson, in the chosen language, remembering how many were shown."""

from __future__ import annotations

import re
from pathlib import Path

from rich.markup import escape

from kata.checkout import Checkout
from kata.i18n import _, language
from kata.impl import get_lesson
from kata.student.runner import console_or_default
from kata.student.state import load_hints_seen, save_hints_seen


def parse_hints(text: str) -> list[str]:
    """The hints of a ``hints.md``: the text under each ``## Hint N`` heading, in order.

    Args:
        text: the file's text.

    Returns:
        One string per hint, stripped.

    Example:
        >>> parse_hints("## Hint 1\\nfirst\\n## Hint 2\\nsecond\\n")
        ['first', 'second']
    """
    parts = re.split(r"^##\s+Hint\s+\d+\s*$", text, flags=re.MULTILINE)
    return [part.strip() for part in parts[1:]]


FENCE = re.compile(r"^```(\w*)[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
"""A fenced code block of a hint: its language, then its code."""


def show_hint(console, text: str) -> None:
    """Print one hint: its text as Markdown, its code line for line.

    rich wraps a code block's long lines at the console's width (80 columns
    when the output is not a terminal), and wrapped Python doesn't run when
    pasted; each code line is printed whole instead (the terminal folds it
    only on the screen), coloured as Python.

    Args:
        console: a rich Console.
        text: the hint, Markdown.

    Example::

        show_hint(Console(), "Use `plt.xticks([])`:\n\n```python\nplt.xticks([])\n```\n")
    """
    from rich.markdown import Markdown
    from rich.syntax import Syntax

    start = 0
    for block in FENCE.finditer(text):
        if text[start:block.start()].strip():
            console.print(Markdown(text[start:block.start()]))
        code = block[2].rstrip("\n")
        console.print()
        console.print(Syntax(code, block[1] or "text", background_color="default").highlight(code), soft_wrap=True)
        console.print()
        start = block.end()
    if text[start:].strip():
        console.print(Markdown(text[start:]))


def hints_path(checkout: Checkout, number: int) -> Path:
    """The hints of lesson ``number`` in the chosen language: ``hints.zh_CN.md`` beside ``hints.md``.

    Args:
        checkout: the student's copy of the kata.
        number: the lesson.

    Returns:
        The translated file when there is one, else ``hints.md``.

    Example:
        >>> hints_path(Checkout.find(), 3).name  # doctest: +SKIP
        'hints.zh_CN.md'
    """
    english = checkout.hints_file(number)
    translated = english.with_name(f"hints.{language()}.md")
    return translated if translated.is_file() else english


def hint(checkout: Checkout, number: int, *, show_all: bool = False, console=None) -> int:
    """Show the next hint of lesson ``number`` (or all of them).

    Args:
        checkout: the student's copy of the kata.
        number: the lesson.
        show_all: show every hint of the lesson.
        console: a rich Console to print to (default: the terminal).

    Returns:
        The exit code: 0, or 1 when the lesson has no hints.
    """
    console = console_or_default(console)
    lesson = get_lesson(number)
    path = hints_path(checkout, number)
    if not path.is_file():
        console.print(_("Lesson {folder} has no hints yet ({path} is missing).").format(folder=lesson.folder, path=checkout.shown(path)), markup=False)
        return 1
    hints = parse_hints(path.read_text(encoding="utf-8"))
    if not hints:
        console.print(_("{path} has no '## Hint 1' section.").format(path=checkout.shown(path)), markup=False)
        return 1
    memory = load_hints_seen(checkout)
    seen = int(memory.get(lesson.folder, 0))
    if show_all:
        chosen = range(len(hints))
        seen = len(hints)
    elif seen >= len(hints):
        chosen = [len(hints) - 1]
        text = _("You have seen all {count} hints of lesson {folder}; here is the last one again (`--all` shows every hint).")
        console.print(text.format(count=len(hints), folder=lesson.folder), style="dim", markup=False)
    else:
        chosen = [seen]
        seen += 1
    for i in chosen:
        console.rule(escape(_("Lesson {folder} · hint {n} of {count}").format(folder=lesson.folder, n=i + 1, count=len(hints))))
        show_hint(console, hints[i])
    memory[lesson.folder] = seen
    save_hints_seen(memory, checkout)
    if seen < len(hints):
        console.print(_('Still stuck? `kata hint {number}` again shows hint {n}.').format(number=number, n=seen + 1), style="dim", markup=False)
    else:
        console.print(_('That was the last hint. The guide: {guide}').format(guide=lesson.guide), style="dim", markup=False)
    return 0


def main(args, checkout: Checkout) -> int:
    """``kata hint N [--all]``."""
    return hint(checkout, args.lesson, show_all=args.all)
