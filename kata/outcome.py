"""The scoring model: what became of a graded test, and the result of a lesson.

:class:`Outcome` names every outcome once.  It is a ``str`` enum, so the
JSON report keeps its plain strings (``"passed"``, ``"not started"``, ...) and
a value read back from an older report compares equal to its member.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Outcome(StrEnum):
    """What became of one graded test."""

    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"  # the test could not even run (a fixture or an import broke)
    SKIPPED = "skipped"
    NOT_STARTED = "not started"  # the lesson's function still raises NotImplementedError


def fmt(points: float) -> str:
    """Points as a student reads them: ``10``, ``2.5``.

    Args:
        points: a number of points.

    Returns:
        The shortest text for it (``format(points, "g")``).
    """
    return f"{points:g}"


@dataclass
class LessonResult:
    """The last result of one lesson's graded suite, as ``kata status`` remembers it."""

    number: int
    earned: float
    possible: float
    passed: int = 0
    tests: int = 0
    not_started: bool = False
    failures: list[str] = field(default_factory=list)  # "test name: message"
    fingerprint: str = ""  # of the lesson files it ran on
    when: str = ""  # ISO time, UTC

    @property
    def full(self) -> bool:
        """Did the lesson get every point it can give?"""
        return self.possible > 0 and self.earned >= self.possible

    @property
    def line(self) -> str:
        """The score line, as the pytest plugin prints it: ``lesson 03 · build: 4/10 points``."""
        from kata.impl import get_lesson

        lesson = get_lesson(self.number)
        return f"lesson {lesson.folder} · {lesson.topic}: {fmt(self.earned)}/{fmt(self.possible)} points"
