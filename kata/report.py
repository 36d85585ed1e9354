"""Points per test and per lesson; the JSON report in and out.

One :class:`~kata.outcome.TestResult` per graded test, grouped into lessons
(:class:`~kata.outcome.LessonScore`).  The pytest plugin fills a
:class:`Report`; graders read it back with :func:`read`.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kata.fileio import write_json
from kata.i18n import _
from kata.impl import get_lesson
from kata.outcome import LessonScore, Outcome, TestResult, fmt

SCHEMA = "kata-report/1"
POINTS_PER_LESSON = 10


@dataclass
class Report:
    results: list[TestResult] = field(default_factory=list)
    impl: str = ""
    seed: int | None = None

    def add(self, result: TestResult) -> None:
        # A test reported twice (setup and call) keeps its worst outcome.
        for i, old in enumerate(self.results):
            if old.nodeid == result.nodeid:
                if old.outcome == Outcome.PASSED:
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
                    passed=sum(r.outcome == Outcome.PASSED for r in rows),
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
            lines.append(_("total: {earned}/{possible} points").format(earned=fmt(earned), possible=fmt(possible)))
        bonus_earned, bonus_possible = self.total(bonus=True)
        if bonus_possible:
            lines.append(_("bonus: {earned}/{possible} points").format(earned=fmt(bonus_earned), possible=fmt(bonus_possible)))
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


def write(report: Report, path: str | os.PathLike) -> None:
    """Write the report as JSON, atomically (a reader never sees half a file)."""
    write_json(path, report.to_dict())


def read(path: str | os.PathLike) -> Report:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("schema") != SCHEMA:
        raise ValueError(f"{path} is not a kata report (schema {data.get('schema')!r}).")
    report = Report(impl=data.get("impl", ""), seed=data.get("seed"))
    report.results = [TestResult(**row) for row in data["tests"]]
    return report
