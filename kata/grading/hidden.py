"""Hidden tests: graded tests the students' copy doesn't contain.

An instructor names them ``lessons/NN/test_hidden_*.py``.  ``kata release``
leaves them out (:data:`kata.release.LEFT_OUT`), ``pytest lessons/NN`` in the
instructor's repository and ``kata grade`` run them like any other suite, the
Gradescope output marks them ``"visibility": "after_due_date"``, and a
student's feedback says how many there are and what they are worth, never
their names or messages.
"""

from __future__ import annotations

import fnmatch

from kata.outcome import TestResult

PATTERN = "test_hidden_*.py"


def is_hidden(test: TestResult) -> bool:
    """Is ``test`` in a hidden test file?

    Args:
        test: a graded test; its ``nodeid`` starts with its file's path.

    Returns:
        ``True`` for a test in ``lessons/NN/test_hidden_*.py``.

    Example::

        is_hidden(TestResult(3, "test_x", "lessons/03/test_hidden_build.py::test_x", 2, 0, "failed"))
    """
    path = test.nodeid.split("::", 1)[0]
    return fnmatch.fnmatch(path.rsplit("/", 1)[-1], PATTERN)


def summary(tests: list[TestResult]) -> str:
    """The feedback's line about a lesson's hidden tests ("" when it has none)."""
    hidden = [t for t in tests if is_hidden(t)]
    if not hidden:
        return ""
    points = sum(t.points for t in hidden)
    return (f"- {len(hidden)} hidden test{'s' * (len(hidden) != 1)} · {points:g} points, counted "
            "in this lesson's score; their names and messages are not shown")
