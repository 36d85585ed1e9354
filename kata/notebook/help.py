"""``kata.hint(n)`` and ``kata.solution(n)`` in a notebook, as the CLI gives them.

Hints come from ``lessons/NN/hints.md``, one more each time, and the count
is shared with ``kata hint`` (``.kata/hints.json``).  The reference is shown
under the CLI's rule: not in a release copy without ``solutions/``, and
otherwise only once the lesson has full points, here the notebook's own
version, checked with :func:`kata.notebook.check.check` (``force=True``
shows it anyway, with a note).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from kata.checkout import Checkout
from kata.impl import get_lesson
from kata.student.hint import parse_hints
from kata.student.state import load_hints_seen, save_hints_seen


@dataclass
class Shown:
    """Text for the notebook: Markdown in Jupyter, plain text elsewhere."""

    markdown: str
    html: str | None = None

    def __str__(self) -> str:
        return self.markdown

    def __repr__(self) -> str:
        return self.markdown

    def _repr_markdown_(self) -> str | None:
        return None if self.html else self.markdown

    def _repr_html_(self) -> str | None:
        return self.html


def hint(number: int, *, checkout: Checkout, show_all: bool = False) -> Shown:
    """The next hint of lesson ``number`` (or all of them), counting it as seen.

    Args:
        number: the lesson.
        checkout: the kata whose hints to give (and where the count is kept).
        show_all: every hint of the lesson at once.

    Returns:
        The hint as a :class:`Shown` (Jupyter renders its Markdown).

    Example::

        kata.hint(3)          # hint 1 of 3
        kata.hint(3)          # hint 2 of 3
    """
    lesson = get_lesson(number)
    path = checkout.hints_file(number)
    if not path.is_file():
        return Shown(f"Lesson {lesson.folder} has no hints yet ({path} is missing).")
    hints = parse_hints(path.read_text(encoding="utf-8"))
    if not hints:
        return Shown(f"{path} has no '## Hint 1' section.")
    memory = load_hints_seen(checkout)
    seen = int(memory.get(lesson.folder, 0))
    notes = []
    if show_all:
        chosen, seen = range(len(hints)), len(hints)
    elif seen >= len(hints):
        chosen = [len(hints) - 1]
        notes.append(
            f"*You have seen all {len(hints)} hints of lesson {lesson.folder}; here is the last "
            f"one again (`kata.hint({number}, show_all=True)` shows every hint).*"
        )
    else:
        chosen, seen = [seen], seen + 1
    parts = notes + [
        f"**Lesson {lesson.folder} · hint {i + 1} of {len(hints)}**\n\n{hints[i]}" for i in chosen
    ]
    if seen < len(hints):
        parts.append(f"*Still stuck? `kata.hint({number})` again shows hint {seen + 1}.*")
    else:
        parts.append(f"*That was the last hint. The guide: {lesson.guide}*")
    memory[lesson.folder] = seen
    save_hints_seen(memory, checkout)
    return Shown("\n\n".join(parts))


def solution(number: int, namespace: dict, *, checkout: Checkout, force: bool = False) -> Shown:
    """Lesson ``number``'s reference solution, once the notebook's version has full points.

    Args:
        number: the lesson.
        namespace: the notebook's globals, checked with the lesson's suite first.
        checkout: the kata whose reference (and graded suite) to use.
        force: show it without checking, as ``kata solution N --force``.

    Returns:
        The reference (highlighted in Jupyter), or why it is not shown yet.

    Example::

        kata.solution(3)      # after kata.check(3) gave 10/10
    """
    lesson = get_lesson(number)
    path = checkout.solution_file(number)
    if not checkout.has_solutions:
        return Shown(
            "This copy of the kata has no solutions/ folder (a student release): the reference "
            f"solutions stay with your instructor. `kata.hint({number})` gives hints."
        )
    if not path.is_file():
        return Shown(f"There is no reference solution for lesson {lesson.folder} ({path}).")
    if force:
        note = (
            f"*Shown with force=True: the reference of lesson {lesson.folder}, without "
            "checking your points.*"
        )
    else:
        from kata.notebook.check import check

        result = check(number, namespace, checkout=checkout)
        if not result.full:
            return Shown(
                f"{result.line}. The reference is shown once your lesson has full points — "
                f"try `kata.hint({number})`, or `kata.solution({number}, force=True)` to see "
                "it anyway."
            )
        note = f"**{result.line}** — here is the reference to compare with yours."
    code = path.read_text(encoding="utf-8")
    return Shown(f"{note}\n\n```python\n{code}```\n", html=_highlighted(note, code))


def _highlighted(note: str, code: str) -> str:
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    note_html = html.escape(note.strip("*")).replace("**", "")
    return f"<p>{note_html}</p>" + highlight(code, PythonLexer(), HtmlFormatter(noclasses=True))
