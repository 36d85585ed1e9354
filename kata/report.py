"""Points per test and per lesson; the JSON report in and out.

One :class:`TestResult` per graded test, grouped into lessons.  The pytest
plugin fills a :class:`Report`; graders read it back with :func:`read`.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kata.impl import LESSONS, get_lesson

SCHEMA = "kata-report/1"
POINTS_PER_LESSON = 10


@dataclass
class TestResult:
    lesson: int
    name: str  # the test function's name, with parameters
    nodeid: str
    points: float  # points possible
    earned: float  # points earned: all of them on a pass, none otherwise
    outcome: str  # "passed", "failed", "error", "skipped", "not started"
    message: str = ""
    where: str = ""  # the lesson file the error came from, when the student's code raised one


@dataclass
class LessonScore:
    number: int
    topic: str
    earned: float
    possible: float
    tests: int
    passed: int
    bonus: bool = False

    @property
    def line(self) -> str:
        return (
            f"lesson {self.number:02d} · {self.topic}: "
            f"{fmt(self.earned)}/{fmt(self.possible)} points"
        )


@dataclass
class Report:
    results: list[TestResult] = field(default_factory=list)
    impl: str = ""
    seed: int | None = None

    def add(self, result: TestResult) -> None:
        # A test reported twice (setup and call) keeps its worst outcome.
        for i, old in enumerate(self.results):
            if old.nodeid == result.nodeid:
                if old.outcome == "passed":
                    self.results[i] = result
                return
        self.results.append(result)

    def lessons(self) -> list[LessonScore]:
        scores = []
        for number in sorted({r.lesson for r in self.results}):
            rows = [r for r in self.results if r.lesson == number]
            lesson = get_lesson(number)
            scores.append(
                LessonScore(
                    number=number,
                    topic=lesson.topic,
                    earned=sum(r.earned for r in rows),
                    possible=sum(r.points for r in rows),
                    tests=len(rows),
                    passed=sum(r.outcome == "passed" for r in rows),
                    bonus=lesson.bonus,
                )
            )
        return scores

    def total(self, bonus: bool = False) -> tuple[float, float]:
        scores = [s for s in self.lessons() if s.bonus == bonus]
        return sum(s.earned for s in scores), sum(s.possible for s in scores)

    def summary_lines(self) -> list[str]:
        lines = [score.line for score in self.lessons()]
        earned, possible = self.total()
        if possible:
            lines.append(f"total: {fmt(earned)}/{fmt(possible)} points")
        bonus_earned, bonus_possible = self.total(bonus=True)
        if bonus_possible:
            lines.append(f"bonus: {fmt(bonus_earned)}/{fmt(bonus_possible)} points")
        return lines

    def to_dict(self) -> dict:
        earned, possible = self.total()
        bonus_earned, bonus_possible = self.total(bonus=True)
        return {
            "schema": SCHEMA,
            "impl": self.impl,
            "seed": self.seed,
            "total": {"earned": earned, "possible": possible},
            "bonus": {"earned": bonus_earned, "possible": bonus_possible},
            "lessons": [
                {**asdict(s), "line": s.line} for s in self.lessons()
            ],
            "tests": [asdict(r) for r in self.results],
        }


def fmt(points: float) -> str:
    return f"{points:g}"


def write(report: Report, path: str | os.PathLike) -> None:
    """Write the report as JSON, atomically (a reader never sees half a file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as stream:
        json.dump(report.to_dict(), stream, indent=2, ensure_ascii=False)
        stream.write("\n")
    os.replace(tmp, path)


def read(path: str | os.PathLike) -> Report:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("schema") != SCHEMA:
        raise ValueError(f"{path} is not a kata report (schema {data.get('schema')!r}).")
    report = Report(impl=data.get("impl", ""), seed=data.get("seed"))
    report.results = [TestResult(**row) for row in data["tests"]]
    return report


def lesson_numbers() -> list[int]:
    return sorted(LESSONS)
