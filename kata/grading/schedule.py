"""Which references a run may see, and which sandboxes may be alive together.

A lesson's suite uses the reference solutions of some earlier lessons
(``reference(3)`` in lesson 05's tests); :func:`needs` reads which from the
suite itself.  A run is shown exactly those, never its own lesson's.

That keeps a reference out of its own lesson's sandbox, but sandboxes run side
by side: a submission graded on lesson 05 sees the reference of lesson 03 and
could pass it, through any channel two processes on one machine share (file
locks on the read-only system files, the CPU's timing), to another
submission's sandbox being graded on lesson 03 at the same moment.  No
sandbox can close every such channel, so the :class:`Gate` makes sure there
is nobody to talk to.  It keeps, for every living sandbox, the references it
has *seen* (knowledge lives as long as the sandbox's processes and its
private ``/tmp``) and the lessons it has *still to grade*, and holds to one
rule:

    no living sandbox has seen the reference of a lesson that another
    living sandbox has still to grade.

A sandbox is admitted only when no living one has seen a lesson it has to
grade; a run is started only when none of the references it needs is still to
be graded by another living sandbox.  The sandbox with the smallest next
lesson is never held back (everything it needs comes before anything anyone
has still to grade), so the class always moves on.

Example:
    >>> gate = Gate({5: frozenset({2, 3, 4}), 3: frozenset()})
    >>> gate.admissible([3])
    True
"""

from __future__ import annotations

import ast
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from kata.impl import LESSONS


def needs(suite_folder: Path, number: int) -> frozenset[int]:
    """The lessons whose references lesson ``number``'s suite asks for.

    Read from the suite's source: every ``reference(<number>)`` call.  A call
    whose argument is not a plain number could ask for any earlier lesson, so
    then it is all of them.

    Args:
        suite_folder: the lesson's folder of pristine suites (``lessons/NN``).
        number: the lesson.

    Returns:
        The lesson numbers, all earlier than ``number``.
    """
    earlier = frozenset(n for n in LESSONS if n < number)
    found: set[int] = set()
    for path in sorted(suite_folder.glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "reference"):
                continue
            argument = node.args[0] if node.args else None
            if isinstance(argument, ast.Constant) and isinstance(argument.value, int):
                found.add(argument.value)
            else:
                return earlier
    return frozenset(found) & earlier


class Gate:
    """The class-wide rule on which sandboxes live and run together (see the module).

    Args:
        needs: for each lesson, the references its suite needs.

    Every method is thread-safe; :meth:`claim` and :meth:`before_run` wait.
    """

    def __init__(self, needs: dict[int, frozenset[int]]):
        self._needs = needs
        self._changed = threading.Condition()
        # by id(unit): a unit is anything the caller hands in, compared by identity
        self._seen: dict[int, set[int]] = {}
        self._remaining: dict[int, set[int]] = {}

    def _conflicts(self, unit: object, lessons: Iterable[int], references: Iterable[int]) -> bool:
        lessons, references = set(lessons), set(references)
        for other in self._seen:
            if other == id(unit):
                continue
            if lessons & self._seen[other] or references & self._remaining[other]:
                return True
        return False

    def admissible(self, lessons: Iterable[int]) -> bool:
        """Whether a new sandbox that has ``lessons`` to grade may start now."""
        with self._changed:
            return not self._conflicts(None, lessons, ())

    def claim(self, pending: list, lessons_of: Callable[[object], list[int]]):
        """Take the first of ``pending`` that may start now, waiting until one may.

        Args:
            pending: units not yet started (shared by the workers; the one taken is removed).
            lessons_of: a unit's lessons.

        Returns:
            The unit, now admitted (call :meth:`leave` when its sandbox is closed),
            or ``None`` when ``pending`` is empty.
        """
        with self._changed:
            while pending:
                for place, unit in enumerate(pending):
                    if not self._conflicts(unit, lessons_of(unit), ()):
                        del pending[place]
                        self._seen[id(unit)] = set()
                        self._remaining[id(unit)] = set(lessons_of(unit))
                        return unit
                self._changed.wait()
            self._changed.notify_all()  # the other workers find pending empty too
            return None

    def cancel(self, pending: list) -> None:
        """Start nothing more of ``pending``: every :meth:`claim` waiting on it returns ``None``."""
        with self._changed:
            pending.clear()
            self._changed.notify_all()

    def before_run(self, unit: object, number: int) -> frozenset[int]:
        """Wait until ``unit`` may be shown the references lesson ``number`` needs; return them."""
        references = self._needs.get(number, frozenset())
        with self._changed:
            while self._conflicts(unit, (), references):
                self._changed.wait()
            self._seen[id(unit)] |= references
        return references

    def after_run(self, unit: object, number: int) -> None:
        """``unit`` has graded lesson ``number``: it no longer has it to grade."""
        with self._changed:
            self._remaining[id(unit)].discard(number)
            self._changed.notify_all()

    def leave(self, unit: object) -> None:
        """``unit``'s sandbox is closed and every process of it is dead: it knows nothing now."""
        with self._changed:
            self._seen.pop(id(unit), None)
            self._remaining.pop(id(unit), None)
            self._changed.notify_all()
