"""The kata pytest plugin: --impl, the points marker, score lines, the JSON report."""

import json
import textwrap

import keras  # noqa: F401  (imported before pytester's in-process runs snapshot sys.modules)
import pytest

from kata.impl import ROOT

FAKE_SUITE = textwrap.dedent(
    """
    import pytest

    @pytest.mark.points(4)
    def test_right(impl):
        assert impl.answer() == 42, "answer() should be 42"

    @pytest.mark.points(3)
    def test_wrong(impl):
        got = impl.answer() + 1
        assert got == 42, f"answer() + 1 should be 42; it came back as {got}"

    @pytest.mark.points(3)
    def test_unfinished(impl):
        impl.unfinished()

    def test_not_graded():
        pass
    """
)

FAKE_MODULE = textwrap.dedent(
    """
    def answer():
        return 42

    def unfinished():
        raise NotImplementedError("lesson 03: unfinished() is not written yet")
    """
)


@pytest.fixture
def kata(pytester: pytest.Pytester):
    """A folder with a lesson 03 suite and a tree holding its module, and a runner."""
    pytester.makepyfile(**{"03/test_fake": FAKE_SUITE})
    pytester.makepyfile(**{"tree/03/build": FAKE_MODULE})
    pytester.makeini("[pytest]\naddopts = --import-mode=importlib -p kata.plugin\n")

    def run(*args):
        return pytester.runpytest_inprocess("03", f"--impl={pytester.path / 'tree'}", *args)

    return run


def test_score_line_counts_points_of_passing_tests(kata):
    result = kata()
    result.stdout.fnmatch_lines(["*kata score*", "lesson 03 · build: 4/10 points", "total: 4/10 points"])
    result.assert_outcomes(passed=2, failed=2)


def test_failure_shows_the_tests_message_not_a_traceback(kata):
    result = kata()
    result.stdout.fnmatch_lines(
        ["answer() + 1 should be 42; it came back as 43", "    (test: 03/test_fake.py:*)"]
    )
    result.stdout.fnmatch_lines(["FAILED 03/test_fake.py::test_wrong - answer() + 1 should be 42*"])
    assert "def test_wrong" not in result.stdout.str()


def test_not_implemented_reads_as_not_started(kata):
    result = kata()
    result.stdout.fnmatch_lines(["*not started yet — see docs/lessons/03-build.md*"])
    assert "NotImplementedError" not in result.stdout.str()


def test_json_report_has_every_graded_test(kata, pytester):
    kata(f"--kata-report={pytester.path / 'out' / 'report.json'}")
    data = json.loads((pytester.path / "out" / "report.json").read_text())
    assert data["total"] == {"earned": 4, "possible": 10}
    rows = {row["name"]: row for row in data["tests"]}
    assert set(rows) == {"test_right", "test_wrong", "test_unfinished"}
    assert rows["test_right"]["earned"] == 4 and rows["test_right"]["outcome"] == "passed"
    assert rows["test_wrong"]["earned"] == 0 and "it came back as 43" in rows["test_wrong"]["message"]
    assert rows["test_unfinished"]["outcome"] == "not started"
    assert all(row["lesson"] == 3 for row in data["tests"])
    assert data["lessons"][0]["line"] == "lesson 03 · build: 4/10 points"


def test_only_selected_tests_count(kata):
    result = kata("-k", "right")
    result.stdout.fnmatch_lines(["lesson 03 · build: 4/4 points"])


def test_skipped_and_erroring_graded_tests_earn_nothing(pytester):
    pytester.makepyfile(
        **{
            "03/test_fake": textwrap.dedent(
                """
                import pytest

                @pytest.fixture
                def broken():
                    raise RuntimeError("setup broke")

                @pytest.mark.points(5)
                def test_skipped():
                    pytest.skip("no reason")

                @pytest.mark.points(5)
                def test_setup_error(broken):
                    pass
                """
            )
        }
    )
    pytester.makeini("[pytest]\naddopts = --import-mode=importlib -p kata.plugin\n")
    result = pytester.runpytest_inprocess("03", f"--kata-report={pytester.path / 'r.json'}")
    result.stdout.fnmatch_lines(["lesson 03 · build: 0/10 points"])
    rows = {r["name"]: r for r in json.loads((pytester.path / "r.json").read_text())["tests"]}
    assert rows["test_skipped"]["outcome"] == "skipped"
    assert rows["test_setup_error"]["outcome"] == "error"
    assert "setup broke" in rows["test_setup_error"]["message"]


def test_impl_that_is_not_a_folder_is_a_clear_usage_error(kata, pytester):
    result = pytester.runpytest_inprocess("03", f"--impl={pytester.path / 'nowhere'}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*there is no folder*--impl=lessons*"])


def test_impl_folder_without_lessons_is_a_clear_usage_error(kata, pytester):
    (pytester.path / "empty").mkdir()
    result = pytester.runpytest_inprocess("03", f"--impl={pytester.path / 'empty'}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*has no lesson folders*"])


def test_reference_fixture_gives_the_solutions_module(pytester):
    pytester.makepyfile(
        **{
            "03/test_ref": textwrap.dedent(
                f"""
                import pytest

                @pytest.mark.points(10)
                def test_reference(reference):
                    assert reference(3).__file__ == {str(ROOT / "solutions" / "03" / "build.py")!r}
                """
            )
        }
    )
    pytester.makeini("[pytest]\naddopts = --import-mode=importlib -p kata.plugin\n")
    result = pytester.runpytest_inprocess("03")
    result.stdout.fnmatch_lines(["lesson 03 · build: 10/10 points"])


def test_seed_is_reset_before_every_graded_test(pytester):
    pytester.makepyfile(
        **{
            "03/test_seed": textwrap.dedent(
                """
                import numpy as np
                import pytest

                draws = []

                @pytest.mark.points(5)
                @pytest.mark.parametrize("attempt", [1, 2])
                def test_draw(attempt):
                    draws.append(np.random.random())
                    if attempt == 2:
                        assert draws[0] == draws[1], "the seed was not reset"
                """
            )
        }
    )
    pytester.makeini("[pytest]\naddopts = --import-mode=importlib -p kata.plugin\n")
    pytester.runpytest_inprocess("03", "--kata-seed=7").assert_outcomes(passed=2)


def test_a_lesson_file_that_does_not_import_is_one_clear_error(pytester):
    pytester.makepyfile(
        **{
            "03/test_fake": "import pytest\n\n@pytest.mark.points(10)\ndef test_it(impl):\n    impl.build_model()\n",
            "tree/03/build": "def build_model(:\n    pass\n",
        }
    )
    pytester.makeini("[pytest]\naddopts = --import-mode=importlib -p kata.plugin\n")
    result = pytester.runpytest_inprocess("03", f"--impl={pytester.path / 'tree'}")
    result.stdout.fnmatch_lines(["*tree/03/build.py could not be imported (line 1): SyntaxError*"])
    result.stdout.fnmatch_lines(["lesson 03 · build: 0/10 points"])
