"""The graded suites catch real mistakes and never punish a right answer.

``tests/mutants/NN/<mistake>/<topic>.py`` is a whole lesson module with one
mistake a beginner makes while following the tutorial.  Its docstring's first
line names the mistake; a line ``Expect: <phrase>`` gives the words the
failing test's message must contain, so the student is told what is wrong.

``tests/alternatives/NN/<variant>/<topic>.py`` is a right answer written
differently from the reference; it must score full points.

Each is swapped into a copy of the reference solutions, and the lesson's suite
runs in this process (no TensorFlow import per mutant).
"""

import ast
from pathlib import Path

import pytest

from kata.impl import LESSONS, ROOT

MUTANTS = ROOT / "tests" / "mutants"
ALTERNATIVES = ROOT / "tests" / "alternatives"


def modules(base: Path) -> list[tuple[int, Path]]:
    found = []
    for number, lesson in sorted(LESSONS.items()):
        for path in sorted((base / lesson.folder).glob(f"*/{lesson.filename}")):
            found.append((number, path))
    return found


def docstring(path: Path) -> str:
    return ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""


def expected_phrase(path: Path) -> str:
    for line in docstring(path).splitlines():
        if line.strip().lower().startswith("expect:"):
            return line.split(":", 1)[1].strip().strip("\"'")
    raise AssertionError(f"{path} has no 'Expect: <phrase>' line in its docstring")


def ident(case) -> str:
    number, path = case
    return f"{number:02d}-{path.parent.name}"


@pytest.mark.parametrize("case", modules(MUTANTS), ids=ident)
def test_mutant_loses_points_with_a_message_naming_the_mistake(case, run_suite, tree_with):
    number, path = case
    report = run_suite(number, tree_with(number, path))
    (score,) = report.lessons()
    assert score.earned < score.possible, (
        f"mutant {path.parent.name} ({docstring(path).splitlines()[0]}) got full points in lesson {number:02d}"
    )
    phrase = expected_phrase(path)
    messages = [r.message for r in report.results if r.outcome != "passed"]
    assert any(phrase.lower() in m.lower() for m in messages), (
        f"mutant {path.parent.name} lost points, but no failure message says {phrase!r}: {messages}"
    )


@pytest.mark.parametrize("case", modules(ALTERNATIVES), ids=ident)
def test_alternative_right_answer_scores_full_points(case, run_suite, tree_with):
    number, path = case
    report = run_suite(number, tree_with(number, path))
    (score,) = report.lessons()
    failed = [f"{r.name}: {r.message}" for r in report.results if r.outcome != "passed"]
    assert score.earned == score.possible, f"right answer {path.parent.name} lost points: {failed}"


def test_catalogue_is_complete():
    """At least 4 mutants and 1 alternative for every lesson (bonus included); 40 mutants in all."""
    mutants = modules(MUTANTS)
    alternatives = modules(ALTERNATIVES)
    for number in LESSONS:
        count = sum(1 for n, _ in mutants if n == number)
        assert count >= 4, f"lesson {number:02d} has {count} mutants, needs at least 4"
        assert any(n == number for n, _ in alternatives), f"lesson {number:02d} has no alternative"
    assert len(mutants) >= 40
    for _, path in mutants:
        first = path.read_text(encoding="utf-8").lstrip().splitlines()[0]
        assert first.startswith(('"""', "'''")), f"{path}: the first line must be a docstring naming the mistake"
