"""A check shared by two processes (kata.student.parts) gives the verdict of a whole run.

``kata watch`` runs each check in two children of its warm process at once; the
last to finish writes the report.  These tests grade the same student files
both ways, through real warm processes, and compare what the student is shown.
"""

from __future__ import annotations

import re
import shutil
from types import SimpleNamespace

import pytest

from kata.catalogue import mutants
from kata.checkout import Checkout
from kata.impl import ROOT, get_lesson
from kata.student.parts import durations_file, longest_first, read_seconds
from kata.student.runner import RunError, pytest_env, run_one
from kata.student.warm import WarmRunner

LESSONS = [1, 2, 3, 4, 6, 7, 8, 9]
"""The lessons ``kata watch`` answers within a second (05, 10 and 11 train)."""

EVERY = 8
"""Every eighth mistake of each lesson's catalogue, whichever they are: a sample, not a choice."""


def checkout_in(folder) -> Checkout:
    """A copy of the kata with lessons 01-09 as the student left them (stubs), the solutions beside."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".kata")
    folder.mkdir()
    for name in ("kata", "lessons", "solutions"):
        shutil.copytree(ROOT / name, folder / name, ignore=ignore)
    for name in ("pyproject.toml", "conftest.py"):
        shutil.copy2(ROOT / name, folder / name)
    return Checkout(folder)


def shown(result) -> tuple:
    """What the watch shows of a result: the score, which tests passed, each failure's text.

    A failure may name a file in the test's ``tmp_path``, whose folder pytest
    numbers per process (``pytest-41``): the number is left out.
    """
    if result is None:
        return (None,)
    failures = tuple(re.sub(r"pytest-\d+", "pytest-N", failure) for failure in result.failures)
    return result.earned, result.possible, result.passed, result.tests, failures


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """A whole-run watch and a shared-run watch, each on its own copy of the kata."""
    whole = checkout_in(tmp_path_factory.mktemp("whole") / "kata")
    shared = checkout_in(tmp_path_factory.mktemp("shared") / "kata")
    with WarmRunner(whole, pytest_env(), parts=1) as one, WarmRunner(shared, pytest_env(), parts=2) as two:
        yield SimpleNamespace(whole=whole, shared=shared, one=one, two=two)


def grade_both(both, number: int, source: str) -> tuple[tuple, tuple]:
    """Save ``source`` as the student's lesson ``number`` in both copies; what each watch shows."""
    results = []
    for checkout, warm in ((both.whole, both.one), (both.shared, both.two)):
        checkout.lesson_file(number).write_text(source, encoding="utf-8")
        assert warm.wait_for_standby(timeout=300), f"no standby child got ready\n{warm.log.read_text()[-2000:]}"
        results.append(shown(run_one(number, checkout, warm=warm)))
        assert warm.broken is None, f"the warm process broke: {warm.broken}"
    return results[0], results[1]


SAMPLE = [m for number in LESSONS for m in [x for x in mutants(Checkout(ROOT)) if x.lesson.number == number][::EVERY]]


@pytest.mark.parametrize("mutant", SAMPLE, ids=[f"{m.lesson.folder}-{m.name}" for m in SAMPLE])
def test_a_shared_check_shows_a_mistake_as_a_whole_run_does(both, mutant):
    whole, shared = grade_both(both, mutant.lesson.number, mutant.source())
    assert whole[0] is not None and whole[0] < whole[1], f"the whole run gave the mistake full points: {whole}"
    assert shared == whole, (
        f"lesson {mutant.lesson.folder}, mistake {mutant.name!r}: two processes sharing the suite showed\n"
        f"{shared}\nwhere one process showed\n{whole}"
    )


@pytest.mark.parametrize("number", LESSONS, ids=[f"lesson-{n:02d}" for n in LESSONS])
def test_a_shared_check_gives_the_reference_the_stub_and_a_broken_file_what_a_whole_run_does(both, number):
    lesson = get_lesson(number)
    sources = {
        "the reference": both.whole.solution_file(number).read_text(encoding="utf-8"),
        "the stub": (ROOT / "lessons" / lesson.folder / lesson.filename).read_text(encoding="utf-8"),
        "a file that is not Python": "def half_written(:\n",
    }
    for what, source in sources.items():
        whole, shared = grade_both(both, number, source)
        assert shared == whole, f"lesson {lesson.folder}, {what}: shared {shared}, whole {whole}"


DIES_ON_THE_THIRD_CALL = """
import os

import keras

calls = 0


def build_model():
    global calls
    calls += 1
    if calls == 3:
        os._exit(3)  # one process ends in the middle of the suite, the other may not
    return keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten(),
                             keras.layers.Dense(128, activation="relu"), keras.layers.Dense(10)])
"""


def test_a_check_whose_process_dies_writes_no_report_shared_or_whole(both):
    """Student code that ends its process: no half report, the same 'pytest stopped' either way."""
    for checkout, warm in ((both.whole, both.one), (both.shared, both.two)):
        checkout.lesson_file(3).write_text(DIES_ON_THE_THIRD_CALL, encoding="utf-8")
        assert warm.wait_for_standby(timeout=300)
        with pytest.raises(RunError, match="pytest stopped before grading"):
            run_one(3, checkout, warm=warm)


def test_tests_are_taken_longest_first_and_never_timed_ones_before_all():
    items = [SimpleNamespace(nodeid=name) for name in ("a", "b", "c", "d")]
    order = longest_first(items, {"a": 0.1, "b": 0.5, "d": 0.1})
    assert [item.nodeid for item in order] == ["c", "b", "a", "d"]


def test_times_that_cannot_be_read_leave_the_order_of_the_collection(tmp_path):
    share = tmp_path / "warm.share"
    assert read_seconds(share) == {}, "no times kept yet"
    for text in ("not JSON", "[1, 2]", '{"a": "slow"}'):
        durations_file(share).write_text(text, encoding="utf-8")
        assert read_seconds(share) == {}, f"{text!r} holds no test's time"
    durations_file(share).write_text('{"a": 0.5, "b": "slow", "c": 2}', encoding="utf-8")
    assert read_seconds(share) == {"a": 0.5, "c": 2.0}
