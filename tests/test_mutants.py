"""The graded suites catch real mistakes and never punish a right answer.

A *mutant* is the reference solution with one beginner's mistake.  They are
stored as data beside the solution they edit, ``solutions/NN/mutants.toml``:
the mistake in words, the edit as find → replace on the reference, the words
the failure message must contain (``expect``), the graded tests that must
catch it (``caught_by``) and those it may fail too (``also_fails``: a crash
that every test meets, a mistake that breaks two behaviours).  A failure of any
other test is a second failure for one mistake, and fails the mutant's case.
An edit whose ``find`` no longer occurs exactly once in the reference fails :func:`test_every_mutant_edit_still_applies`, so the
catalogue cannot drift from the solutions it mutates.

``tests/alternatives/NN/<variant>/<topic>.py`` is a right answer written
differently from the reference; it must score full points.

Each is swapped into a copy of the reference solutions, and the lesson's suite
runs in this process (no TensorFlow import per case).

The bonus lesson's full-data test (marked ``slow``) trains 10 epochs on 60,000
images whatever its quick tests said.  A mutant of it that the slow test is not
meant to catch is graded without it (``-m "not slow"``, as ``kata grade
--skip-slow`` does in ``tests/test_mutants_through_kata_grade.py``): the
reference, every right answer and every mutant it names still train in full.
The capstone's full run waits for its quick checks, so a mutant that fails them
costs no training there: its cases are graded whole, the waiting message too.
Its right answers differ from the reference in wiring only (paths, the order of
calls), which the quick tests judge; the full run (10 epochs on 60,000 images,
a minute and a half each on a busy runner) would add eight minutes to CI for
them. So they are graded without it, and with it under ``--every-case``
(``tox -e catalogue``). The reference's full run, and that of each mutant the
full-run test is meant to catch, still runs every time.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

from kata.catalogue import mutants
from kata.checkout import Checkout
from kata.impl import LESSONS, ROOT

ALTERNATIVES = ROOT / "tests" / "alternatives"
MUTANTS = mutants(Checkout(ROOT))


CAPSTONE = 10
"""The lesson whose right answers train on the full data only with ``--every-case``."""

SPARED_LESSONS = (11,)
"""Lessons whose mutants leave out the slow tests unless one of those is meant to catch them."""


@functools.cache
def graded_tests(lesson: int) -> tuple[ast.FunctionDef, ...]:
    """Lesson ``lesson``'s tests, the ``test_`` functions of its suite files (read once per lesson)."""
    trees = [ast.parse(path.read_text(encoding="utf-8")) for path in Checkout(ROOT).suite_files(lesson)]
    return tuple(node for tree in trees for node in ast.walk(tree)
                 if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"))


def slow_tests(lesson: int) -> frozenset[str]:
    """The names of lesson ``lesson``'s tests marked ``@pytest.mark.slow``."""
    return frozenset(node.name for node in graded_tests(lesson)
                     if any(ast.unparse(d) == "pytest.mark.slow" for d in node.decorator_list))


def without_slow_tests(mutant) -> bool:
    """Whether ``mutant`` is graded without its lesson's slow tests (see the module's docstring)."""
    return mutant.lesson.number in SPARED_LESSONS and not set(mutant.caught_by) & slow_tests(mutant.lesson.number)


def alternatives() -> list[tuple[int, Path]]:
    found = []
    for number, lesson in sorted(LESSONS.items()):
        for path in sorted((ALTERNATIVES / lesson.folder).glob(f"*/{lesson.filename}")):
            found.append((number, path))
    return found


@pytest.mark.parametrize("lesson", sorted(LESSONS), ids=lambda n: f"lesson{n:02d}")
def test_reference_solution_scores_full_points(run_suite, lesson, graded_here):
    """The catalogue's first case: every suite gives the reference its 10 points."""
    report = run_suite(lesson, "solutions")
    graded_here[f"{lesson:02d}-reference"] = report
    (score,) = report.lessons()
    failed = [f"{r.name}: {r.message}" for r in report.results if r.outcome != "passed"]
    assert score.possible == 10, f"lesson {lesson:02d} is worth {score.possible} points, not 10"
    assert score.earned == 10, f"the reference lost points in lesson {lesson:02d}: {failed}"


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: f"{m.lesson.folder}-{m.name}")
def test_mutant_loses_points_with_a_message_naming_the_mistake(mutant, run_suite, tmp_path, tree_with, graded_here):
    module = mutant.write(tmp_path / mutant.name)
    quick = ["-m", "not slow"] if without_slow_tests(mutant) else []
    report = run_suite(mutant.lesson.number, tree_with(mutant.lesson.number, module), *quick)
    graded_here[f"{mutant.lesson.folder}-{mutant.name}"] = report
    (score,) = report.lessons()
    assert score.earned < score.possible, (
        f"mutant {mutant.name} ({mutant.mistake.splitlines()[0]}) got full points in lesson {mutant.lesson.folder}"
    )
    failed = {r.name.split("[")[0]: r.message for r in report.results if r.outcome != "passed"}
    missed = [name for name in mutant.caught_by if name not in failed]
    assert not missed, f"mutant {mutant.name}: {missed} should have failed; the failures were {sorted(failed)}"
    unlisted = sorted(set(failed) - set(mutant.caught_by) - set(mutant.also_fails))
    assert not unlisted, (
        f"mutant {mutant.name} also failed {unlisted}, beyond the tests that judge it ({list(mutant.caught_by)}): "
        f"one mistake should cost one test. Make the other test leave this mistake to the one that names it, "
        f"or, if the mistake really breaks that test's behaviour too (it raises there), add it to "
        f"`also_fails` in solutions/{mutant.lesson.folder}/mutants.toml"
    )
    judged = [failed[name] for name in mutant.caught_by] or list(failed.values())
    assert any(mutant.expect.lower() in m.lower() for m in judged), (
        f"mutant {mutant.name} lost points, but no failure message of {mutant.caught_by} says "
        f"{mutant.expect!r}: {judged}"
    )


def test_every_mutant_edit_still_applies():
    """Each edit's ``find`` occurs exactly once in today's reference (no TensorFlow needed)."""
    for mutant in MUTANTS:
        source = mutant.source()
        assert source != mutant.reference.read_text(encoding="utf-8"), f"mutant {mutant.name} changes nothing"
        compile(source, f"{mutant.lesson.folder}/{mutant.name}", "exec")


def full_run_left_out(number: int, config: pytest.Config) -> bool:
    """Whether a right answer of lesson ``number`` is graded without its slow tests (the module's docstring)."""
    return number == CAPSTONE and not config.getoption("every_case")


@pytest.mark.parametrize("case", alternatives(), ids=lambda c: f"{c[0]:02d}-{c[1].parent.name}")
def test_alternative_right_answer_scores_full_points(case, run_suite, tree_with, graded_here, request):
    number, path = case
    quick = ["-m", "not slow"] if full_run_left_out(number, request.config) else []
    report = run_suite(number, tree_with(number, path), *quick)
    graded_here[f"{number:02d}-{path.parent.name}"] = report
    (score,) = report.lessons()
    failed = [f"{r.name}: {r.message}" for r in report.results if r.outcome != "passed"]
    assert score.earned == score.possible, f"right answer {path.parent.name} lost points: {failed}"


def test_the_spared_lessons_slow_tests_are_found():
    """Each spared lesson marks a slow test, and a mutant it is meant to catch still runs it."""
    for number in SPARED_LESSONS:
        slow = slow_tests(number)
        assert slow, f"lesson {number:02d} marks no test slow: nothing to leave out"
        caught = [m for m in MUTANTS if m.lesson.number == number and set(m.caught_by) & slow]
        assert caught and not any(without_slow_tests(m) for m in caught)


def test_catalogue_is_complete():
    """Every lesson (bonus included) has at least 12 mistakes and 4 right answers of other forms."""
    for number, lesson in LESSONS.items():
        mutants = [m for m in MUTANTS if m.lesson.number == number]
        alternatives_here = [path for n, path in alternatives() if n == number]
        assert len(mutants) >= 12, f"lesson {lesson.folder} has {len(mutants)} mutants, needs at least 12"
        assert len(alternatives_here) >= 4, f"lesson {lesson.folder} has {len(alternatives_here)} alternatives, needs 4"
        for mutant in mutants:
            assert mutant.mistake and mutant.expect, f"mutant {lesson.folder}/{mutant.name} names no mistake"
            assert mutant.caught_by, f"mutant {lesson.folder}/{mutant.name} names no test that catches it"
            unknown = set(mutant.caught_by + mutant.also_fails) - {test.name for test in graded_tests(number)}
            assert not unknown, f"mutant {lesson.folder}/{mutant.name} names tests lesson {lesson.folder} lacks: {unknown}"
    assert len(MUTANTS) >= 150
