"""What ``kata.check(n)`` found: points, per-test outcomes, the score line.

A :class:`CheckResult` shows itself as an HTML table in Jupyter
(``_repr_html_``) and as plain text everywhere else (``str``), with the same
tests, points, messages and score line that ``pytest lessons/NN`` prints.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from kata.impl import get_lesson
from kata.report import LessonScore, TestResult, fmt

MARKS = {"passed": "✓", "failed": "✗", "error": "✗", "not started": "·", "skipped": "–"}
COLOURS = {"passed": "#1a7f37", "not started": "#6e7781", "skipped": "#6e7781"}
FAILED_COLOUR = "#cf222e"


@dataclass
class CheckResult:
    """The graded suite of one lesson, run on a notebook's definitions.

    Attributes:
        lesson: the lesson number.
        points: points earned.
        max_points: points possible (10 for every lesson).
        tests: one :class:`kata.report.TestResult` per graded test, in the
            suite's order (``name``, ``points``, ``earned``, ``outcome``, ``message``).
        line: the score line, e.g. ``"lesson 03 · build: 4/10 points"``.
        output: everything pytest printed, as ``pytest lessons/NN -q`` would.
        note: a word before the table, e.g. the lesson functions the notebook
            does not define (a cell not run yet).
        ran_in: where the suite ran: ``"kernel"`` (this process) or
            ``"helper"`` (:mod:`kata.notebook.helper`).

    Example::

        result = kata.check(3)
        result.points, result.max_points        # (4.0, 10.0)
        [t.name for t in result.tests if t.outcome != "passed"]
    """

    lesson: int
    points: float
    max_points: float
    tests: list[TestResult] = field(default_factory=list)
    line: str = ""
    output: str = ""
    note: str = ""
    ran_in: str = "kernel"

    @classmethod
    def from_score(cls, score: LessonScore, tests: list[TestResult], output: str) -> CheckResult:
        return cls(score.number, score.earned, score.possible, tests, score.line, output)

    @property
    def full(self) -> bool:
        """Whether every point was earned."""
        return self.max_points > 0 and self.points == self.max_points

    def next_step(self) -> str:
        lesson = get_lesson(self.lesson)
        if self.full:
            return f"Full points. `kata.solution({lesson.number})` shows the reference to compare."
        return (
            f"next: fill in the code cell above · guide {lesson.guide} · "
            f"hint: kata.hint({lesson.number})"
        )

    def __str__(self) -> str:
        lines = [self.note] if self.note else []
        lines.append(self.line)
        for test in self.tests:
            mark = MARKS.get(test.outcome, "✗")
            lines.append(
                f"  {mark} {test.outcome:<11} {fmt(test.earned)}/{fmt(test.points)}  {test.name}"
            )
            if test.message:
                lines.extend(f"        {row}" for row in test.message.splitlines())
        lines.append(f"  {self.next_step()}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        printer.text(str(self))

    def _repr_html_(self) -> str:
        colour = COLOURS["passed"] if self.full else FAILED_COLOUR
        rows = []
        for test in self.tests:
            tint = COLOURS.get(test.outcome, FAILED_COLOUR)
            message = html.escape(test.message).replace("\n", "<br>")
            rows.append(
                "<tr>"
                f'<td style="color:{tint};text-align:left">{MARKS.get(test.outcome, "✗")} '
                f"{html.escape(test.outcome)}</td>"
                f'<td style="text-align:right">{fmt(test.earned)}/{fmt(test.points)}</td>'
                f'<td style="text-align:left"><code>{html.escape(test.name)}</code>'
                + (f'<div style="white-space:pre-wrap">{message}</div>' if message else "")
                + "</td></tr>"
            )
        note = f"<p>{html.escape(self.note)}</p>" if self.note else ""
        return (
            f'<div class="kata-check">{note}'
            f'<p style="color:{colour};font-weight:bold;font-size:1.1em">'
            f"{html.escape(self.line)}</p>"
            '<table><thead><tr><th style="text-align:left">outcome</th><th>points</th>'
            '<th style="text-align:left">test · what went wrong</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
            f"<p>{html.escape(self.next_step())}</p></div>"
        )
