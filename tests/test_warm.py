"""``kata watch``'s warm process (kata.student.warm): checks forked from it, a fresh process when it can't."""

from __future__ import annotations

import os
import shutil

from kata.checkout import Checkout
from kata.impl import ROOT
from kata.student.runner import pytest_env, run_one
from kata.student.warm import WarmRunner


def copy_with(tmp_path, lessons: list[int]) -> Checkout:
    repo = tmp_path / "repo"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".kata")
    shutil.copytree(ROOT / "kata", repo / "kata", ignore=ignore)
    for name in ("pyproject.toml", "conftest.py"):
        shutil.copy2(ROOT / name, repo / name)
    for number in lessons:
        shutil.copytree(ROOT / "lessons" / f"{number:02d}", repo / "lessons" / f"{number:02d}", ignore=ignore)
    shutil.copytree(ROOT / "solutions", repo / "solutions", ignore=ignore)
    return Checkout(repo)


def test_checks_are_forked_from_the_warm_process_and_see_each_save(tmp_path):
    checkout = copy_with(tmp_path, [3])
    with WarmRunner(checkout, pytest_env()) as warm:
        first = run_one(3, checkout, warm=warm)
        assert warm.broken is None, f"the warm process broke: {warm.broken}\n{warm.log.read_text()[-2000:]}"
        assert warm.last_cpu is not None, "the check did not come from a forked child"
        assert first is not None and first.earned == 0 and first.not_started, first
        shutil.copyfile(checkout.solution_file(3), checkout.lesson_file(3))  # the student saves
        second = run_one(3, checkout, warm=warm)
        assert warm.broken is None, warm.broken
        assert second is not None and second.full, f"the forked check ran an old copy of the lesson: {second}"


def test_a_warm_process_that_cannot_preload_falls_back_to_a_fresh_process(tmp_path):
    checkout = copy_with(tmp_path, [3])
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "tensorflow.py").write_text("raise ImportError('no TensorFlow in this test')\n")
    env = dict(pytest_env(), PYTHONPATH=str(broken))
    with WarmRunner(checkout, env) as warm:
        assert warm.pytest(["lessons/03", "-q"], checkout.state / "log") is None
        assert warm.broken and "could not start" in warm.broken, warm.broken
        assert "no TensorFlow in this test" in warm.log.read_text(), warm.log.read_text()
        result = run_one(3, checkout, warm=warm)  # a fresh `python -m pytest`, with the real TensorFlow
    assert result is not None and result.earned == 0, result
    assert os.environ.get("PYTHONPATH") != str(broken)


def test_each_check_gets_new_standby_children_that_say_when_they_are_ready(tmp_path):
    checkout = copy_with(tmp_path, [3])
    shutil.copyfile(checkout.solution_file(3), checkout.lesson_file(3))
    with WarmRunner(checkout, pytest_env(), parts=2) as warm:
        assert warm.wait_for_standby(timeout=300), f"no standby children got ready\n{warm.log.read_text()[-2000:]}"
        first = warm.standby_pids()
        assert len(first) == 2, f"expected two standby children, found {first}"
        result = run_one(3, checkout, warm=warm)  # the rehearsal before it leaves the verdict as it is
        assert warm.broken is None, warm.broken
        assert result is not None and result.full, result
        assert warm.wait_for_standby(timeout=300), f"no standby children after the check\n{warm.log.read_text()[-2000:]}"
        second = warm.standby_pids()
        assert len(second) == 2 and not set(second) & set(first), f"children that ran the check were offered again: {first} then {second}"
        assert all(os.path.exists(f"/proc/{pid}") for pid in second)
        assert not any(os.path.exists(f"/proc/{pid}") for pid in first)
