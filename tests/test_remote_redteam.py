"""Red-team review of issue 13's trust boundary: attacks that worked, each now getting its honest outcome.

The attack files live under ``tests/hostile/remote/``; each test says what the attack did
before its fix and asserts the honest outcome.

A sandbox test is never skipped when ``CI=true``: it fails (CI installs bubblewrap).
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kata import cli
from kata.checkout import Checkout
from kata.grading import command as grading
from kata.impl import ROOT
from kata.release import release

HOSTILE = Path(__file__).parent / "hostile" / "remote"


# --- a checkout without solutions/: reference(n) is the student's own module --------------


@pytest.fixture(scope="module")
def graded_from_a_release(tmp_path_factory, bwrap):
    """Lessons 01 and 02 of an honest and a hostile submission, graded from a ``kata release`` copy."""
    top = tmp_path_factory.mktemp("release")
    copy = top / "release"
    release(Checkout(ROOT), copy)
    assert not (copy / "solutions").exists()
    submissions = top / "submissions"
    shutil.copytree(HOSTILE / "references_from_the_submission", submissions / "hostile")
    honest = submissions / "honest" / "lessons"
    (honest / "01").mkdir(parents=True)
    shutil.copy(ROOT / "solutions" / "01" / "load.py", honest / "01" / "load.py")  # the same answers, no attack
    shutil.copytree(submissions / "hostile" / "lessons" / "02", honest / "02")
    out = top / "grades"
    args = cli.build_parser().parse_args(["grade", str(submissions), "--out", str(out), "--lessons", "1,2",
                                          "--jobs", "1", "--timeout", "180", "--sandbox", "bwrap"])
    assert grading.main(args, Checkout(copy)) == 0
    with open(out / "gradebook.csv", newline="") as stream:
        return {row["student"]: row for row in csv.DictReader(stream)}


def test_a_reference_taken_from_the_submission_runs_in_the_agent_not_in_the_checker(graded_from_a_release):
    """Before the fix, lesson 02's checker imported the hostile lesson 01 as ``reference(1)``: it
    patched the results channel and lesson 02 scored 10 (honest 9), "100% verified outside"."""
    rows = graded_from_a_release
    for student in ("honest", "hostile"):
        assert (rows[student]["01"], rows[student]["02"]) == ("10", "9"), (student, rows[student])
        assert rows[student]["outside"] == "100%", rows[student]


# --- a handle's attributes: __array_interface__ -----------------------------------------


def test_a_handle_never_becomes_an_array_over_memory_the_agent_names(tmp_path):
    """Before the fix, ``np.asarray`` of a handle took the agent's ``__array_interface__``: an
    array over any address of the checker's (``tests/hostile/remote/array_interface_pointer.py``)."""
    import numpy as np

    from kata.remote.proxy import RemoteModule, start_agent

    tree = tmp_path / "tree"
    (tree / "02").mkdir(parents=True)
    shutil.copy(HOSTILE / "array_interface_pointer.py", tree / "02" / "normalize.py")
    connection = start_agent(tree, 2, tmp_path / "exchange")
    try:
        connection.reset(1)
        result = RemoteModule(connection).normalize(np.zeros((1, 28, 28), np.uint8))
        array = np.asarray(result)
        dtype, shape = array.dtype, array.shape  # never shown whole: its items would be the agent's pointers
        assert (dtype, shape) == (np.dtype(object), ()), "numpy built an array from the agent's __array_interface__"
        assert array[()] is result
    finally:
        connection.close()


# --- expected values worked out after the call, from what the call could change -------------


def test_a_predict_that_divides_its_images_in_place_loses_the_points_of_the_mistake(run_suite, tree_with):
    """Before the fix: 1.5/1.5 (the expected output was worked out from the images after the call)."""
    hostile = Path(__file__).parent / "hostile" / "changes_what_it_is_compared_with" / "lessons" / "08" / "predict.py"
    report = run_suite(8, tree_with(8, hostile), "-k", "test_predict_gives_a_row_of_probabilities_per_image")
    (result,) = report.results
    assert (result.outcome, result.earned) == ("failed", 0.0), result
    assert "don't divide them by 255 again" in result.message



def test_a_normalize_that_changes_the_images_it_is_judged_on_is_still_judged_on_its_values(run_suite, tree_with):
    """Before the fix: 2/2 for a division by 256 (the test skipped every input the function changed)."""
    hostile = Path(__file__).parent / "hostile" / "changes_what_it_is_compared_with" / "lessons" / "02" / "normalize.py"
    report = run_suite(2, tree_with(2, hostile), "-k", "test_normalize_divides_every_pixel_by_255")
    (result,) = report.results
    assert (result.outcome, result.earned) == ("failed", 0.0), result
    assert "should divide every pixel by 255" in result.message

# --- the exchange folder between the runs of one sandbox ------------------------------------


def test_every_run_of_a_sandbox_starts_with_an_empty_exchange_folder(tmp_path, bwrap):
    """Before the fix, a file lesson 01's agent left in ``/kata/exchange`` was still there for lesson
    02's run of the same sandbox (``tests/hostile/leaves_exchange_files``: lesson 02 then scored 9)."""
    submissions = tmp_path / "submissions"
    shutil.copytree(Path(__file__).parent / "hostile" / "leaves_exchange_files", submissions / "leaves")
    out = tmp_path / "grades"
    code = cli.main(["grade", str(submissions), "--out", str(out), "--lessons", "1,2", "--jobs", "1",
                     "--timeout", "180", "--sandbox", "bwrap"])  # one sandbox for both lessons
    assert code == 0
    with open(out / "gradebook.csv", newline="") as stream:
        (row,) = csv.DictReader(stream)
    assert (row["01"], row["02"]) == ("10", "10"), row


# --- --sandbox none as an ordinary user: the grader's memory ----------------------------------


def test_an_unsandboxed_run_cannot_read_the_key_from_the_graders_memory(tmp_path):
    """Before the fix, with ``--sandbox none`` and no capability (an ordinary user, or root's
    dropped), the agent read the dumpable grader's ``/proc/<pid>/mem``, found this run's key,
    wrote signed passes into the grader's end of the results pipe and glued every line the checker
    signed after them: 10/10 for two stubs (honest 0), "100% verified outside"
    (``tests/hostile/remote/reads_the_graders_memory``).  The grader is now not dumpable while it
    grades.  The honest student beside it keeps its 10."""
    submissions = tmp_path / "submissions"
    shutil.copytree(HOSTILE / "reads_the_graders_memory", submissions / "hostile")
    (submissions / "honest" / "lessons" / "01").mkdir(parents=True)
    shutil.copy(ROOT / "solutions" / "01" / "load.py", submissions / "honest" / "lessons" / "01" / "load.py")
    out = tmp_path / "grades"
    drop = ["setpriv", "--bounding-set=-all", "--inh-caps=-all",
            "--securebits=+noroot,+noroot_locked"] if os.geteuid() == 0 else []  # no CAP_SYS_PTRACE
    grade = "import sys; from kata.cli import main; sys.exit(main(sys.argv[1:]))"
    done = subprocess.run([*drop, sys.executable, "-c", grade, "grade", str(submissions), "--out", str(out),
                           "--lessons", "1", "--jobs", "1", "--timeout", "180", "--sandbox", "none"],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    with open(out / "gradebook.csv", newline="") as stream:
        rows = {row["student"]: row for row in csv.DictReader(stream)}
    assert rows["hostile"]["01"] == "0", rows["hostile"]
    assert "unsigned" not in rows["hostile"]["review"], rows["hostile"]
    assert rows["honest"]["01"] == "10", rows["honest"]


def test_the_grader_is_dumpable_again_after_grading():
    """``not_dumpable`` gives the process back its setting (a test session, a notebook that graded)."""
    import ctypes

    from kata.grading.prctl import PR_GET_DUMPABLE, not_dumpable

    def dumpable():
        return ctypes.CDLL(None).prctl(PR_GET_DUMPABLE, 0, 0, 0, 0)

    assert dumpable() == 1
    with not_dumpable() as done:
        assert done and dumpable() == 0
    assert dumpable() == 1


# --- exceptions of the student's code that are not Exceptions, or too big ----------------------

EXCEPTIONS = HOSTILE / "exceptions"


@pytest.mark.parametrize("attack", ["first_describe_raises_systemexit", "first_describe_raises_generatorexit",
                                    "first_describe_raises_a_huge_message",
                                    "first_describe_returns_a_huge_string"])
def test_an_error_of_one_call_costs_that_test_only(attack, run_suite, tree_with):
    """Before the fix the agent ended on a SystemExit or GeneratorExit (it sent back only
    ``Exception``\\ s) or on a reply over the frame limit, and every later test errored: through
    ``kata grade`` 0 (the agent ended early), through ``--remote`` 6, where one process gives 9."""
    report = run_suite(1, tree_with(1, EXCEPTIONS / f"{attack}.py"), "--remote")
    failed = [r.name for r in report.results if r.outcome != "passed"]
    assert failed == ["test_describe_reports_the_shape_and_leaves_its_arguments_untouched"], report.results
    assert sum(r.earned for r in report.results) == 9


def test_an_error_whose_str_fails_is_told_in_one_process_too(run_suite, tree_with):
    """Before the fix ``pytest lessons/01`` stopped with an INTERNALERROR in kata.explain: no score."""
    report = run_suite(1, tree_with(1, EXCEPTIONS / "raises_a_recursive_str.py"))
    assert sum(r.earned for r in report.results) == 6, report.results
    assert all("Loop" in r.message for r in report.results if r.outcome != "passed"), report.results


def test_a_forged_error_description_is_rebuilt_within_bounds(run_suite, tree_with):
    """A "raised" reply naming a million ancestors and frames: the checker built classes until the
    lesson's time limit (0, timed out); now it keeps 64 names and 200 frames, and the other tests count."""
    report = run_suite(1, tree_with(1, EXCEPTIONS / "forges_a_huge_error_description.py"), "--remote")
    assert sum(r.earned for r in report.results) == 6, report.results


# --- figure descriptions that cost the checker minutes to draw ----------------------------------


@pytest.mark.parametrize("attack", ["ten_thousand_ticks", "ten_thousand_texts"])
def test_a_figure_description_that_draws_too_much_is_refused(attack, run_suite, tree_with):
    """Within every per-axes limit, 100,000 ticks took the checker about 95 s per crossing to draw
    (250,000 texts: minutes, and passed); now at most 5,000 ticks, texts and artists in all.  The
    attacks here claim 10,000 in the ten subplots the test draws (twice the cap): the review's
    40,000 spent 40-100 s of every test run building, sending and decoding the description
    before the same refusal."""
    report = run_suite(2, tree_with(2, HOSTILE / "figures" / f"{attack}.py"), "--remote",
                       "-k", "show_samples_has_no_ticks")
    (result,) = report.results
    assert result.earned == 0 and "at most 5000 ticks, texts and other artists" in result.message, result
