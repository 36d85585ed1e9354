"""The scoring model: what became of a graded test, and the results of a test and a lesson.

:class:`Outcome` names every outcome once.  It is a ``str`` enum, so the
JSON report keeps its plain strings (``"passed"``, ``"not started"``, ...) and
a value read back from an older report compares equal to its member.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from kata.i18n import _
from kata.impl import get_lesson


class Outcome(StrEnum):
    """What became of one graded test."""

    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"  # the test could not even run (a fixture or an import broke)
    SKIPPED = "skipped"
    NOT_STARTED = "not started"  # the lesson's function still raises NotImplementedError
    NOT_RUN = "not run"  # kata grade: the lesson's run ended before this test reported


def fmt(points: float) -> str:
    """Points as a student reads them: ``10``, ``2.5``.

    Args:
        points: a number of points.

    Returns:
        The shortest text for it (``format(points, "g")``).
    """
    return f"{points:g}"


def score_line(number: int, earned: float, possible: float) -> str:
    """The score line the plugin prints and the tools show.

    Args:
        number: the lesson.
        earned: points earned.
        possible: points possible.

    Returns:
        E.g. ``lesson 03 · build: 4/10 points``.
    """
    return _("lesson {folder} · {topic}: {earned}/{possible} points").format(
        folder=f"{number:02d}", topic=get_lesson(number).topic, earned=fmt(earned), possible=fmt(possible)
    )


@dataclass
class TestResult:
    """One graded test: its lesson, points and outcome."""

    lesson: int
    name: str  # the test function's name, with parameters
    nodeid: str
    points: float  # points possible
    earned: float  # points earned: all of them on a pass, none otherwise
    outcome: str  # an Outcome (or its value, read back from JSON)
    message: str = ""
    where: str = ""  # the lesson file the error came from, when the student's code raised one


@dataclass
class LessonScore:
    """One lesson's points in a report: the sum over its graded tests."""

    number: int
    topic: str
    earned: float
    possible: float
    tests: int
    passed: int
    bonus: bool = False

    @property
    def line(self) -> str:
        """The score line: ``lesson 03 · build: 4/10 points``."""
        return score_line(self.number, self.earned, self.possible)


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
        return score_line(self.number, self.earned, self.possible)
