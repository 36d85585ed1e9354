"""Every graded suite gives the untouched stubs no point (the reference's full points: ``tests/test_mutants.py``)."""

import pytest

from kata.impl import LESSONS, ROOT

PRESENT = [n for n, lesson in LESSONS.items() if (ROOT / "lessons" / lesson.folder / lesson.test_filename).exists()]


@pytest.mark.parametrize("lesson", PRESENT, ids=lambda n: f"lesson{n:02d}")
def test_untouched_stubs_pass_no_graded_test(run_suite, lesson):
    report = run_suite(lesson, ROOT / "lessons")
    passed = [r.name for r in report.results if r.outcome == "passed"]
    assert report.results, f"lesson {lesson:02d}'s suite ran no graded test"
    assert not passed, f"these graded tests of lesson {lesson:02d} pass on the untouched stub: {passed}"
    not_started = [r for r in report.results if r.outcome == "not started"]
    assert not_started, "no test said 'not started yet' for the stub"
    for result in not_started:
        assert f"docs/lessons/{lesson:02d}-" in result.message
