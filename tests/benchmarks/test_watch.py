"""Save-to-verdict of ``kata watch``: a real lesson file is saved and the verdict timed.

The goal is a verdict within a second of saving for lessons 01–04 and 06–09
on 2 cores (05, 10 and 11 train for longer).  The watch runs as it does for a
student: file events from watchfiles, each check forked from the warm process
(:mod:`kata.student.warm`).  It watches a copy of the checkout in which every
lesson is recorded as done, so each save checks just the saved lesson.  The
file saved is the reference solution (in a student copy without
``solutions/``, the student's own file, saved again unchanged), once the
standby children of the next check are ready, as they are after a student's
edit.  Each lesson is timed twice, side by side: checked by one process, and
shared by two (:mod:`kata.student.parts`) as the watch does on two cores; their
ratio is what sharing gains on this machine now.  Each benchmark stores the
checks' CPU seconds (the standby warm-up, the start of TensorFlow's runtime,
included), those of the warm-up done before the save, the median of the rest
(what a save costs) and the load average in ``extra_info``: on a busy machine
the wall time says more about the machine.
"""

from __future__ import annotations

import os
import queue
import shutil
import statistics
import threading
import time

import pytest

from kata.checkout import Checkout, CheckoutError
from kata.outcome import LessonResult
from kata.student.runner import pytest_env, run_one
from kata.student.state import save_results
from kata.student.warm import WarmRunner, default_parts
from kata.student.watch import file_changes, watch_loop

GOAL_SECONDS = 1.0
FAST_LESSONS = [1, 2, 3, 4, 6, 7, 8, 9]
COPIED = ["lessons", "solutions", "pyproject.toml", "conftest.py"]


PROCESSES = sorted({1, default_parts()})
"""A check in one process, and (on two cores or more) shared by two as ``kata watch`` runs it: their ratio."""


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "watched_lesson" in metafunc.fixturenames:
        quick = metafunc.config.getoption("--bench-quick", default=False)
        lessons = [3] if quick else FAST_LESSONS
        cases = [(n, parts) for n in lessons for parts in PROCESSES]  # one lesson's two ways side by side
        ids = [f"lesson-{n:02d}-{parts}-process{'es' if parts > 1 else ''}" for n, parts in cases]
        metafunc.parametrize(("watched_lesson", "processes"), cases, ids=ids)


class Watching:
    """A ``kata watch`` running in a thread on a copy of the checkout; :meth:`save` times one verdict."""

    def __init__(self, source: Checkout, root, parts: int):
        for name in COPIED:
            path = source.root / name
            if path.is_dir():
                shutil.copytree(path, root / name, ignore=shutil.ignore_patterns("__pycache__", ".kata"))
            elif path.is_file():
                shutil.copy2(path, root / name)
        self.checkout = Checkout(root)
        self.source = source
        present = self.checkout.present_lessons()
        save_results([LessonResult(number=n, earned=10, possible=10) for n in present], self.checkout)
        self.warm = WarmRunner(self.checkout, pytest_env(), parts=parts)
        self.verdicts: queue.Queue = queue.Queue()
        self.seen: queue.Queue = queue.Queue()  # every change set the watch receives
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        from rich.console import Console

        watch_loop(
            self._changes(),
            self.checkout,
            console=Console(file=open(os.devnull, "w")),  # noqa: SIM115 - lives as long as the thread
            runner=lambda n, where: run_one(n, where, warm=self.warm),
            on_result=lambda n, result: self.verdicts.put((n, result)),
        )

    def _changes(self):
        for change_set in file_changes(self.checkout, stop_event=self.stop):
            self.seen.put(change_set)
            yield change_set

    def wait_until_watching(self, timeout: float = 120) -> None:
        """Save a file outside every lesson (it runs nothing) until the watch reports it."""
        probe = self.checkout.lessons / "_probe.py"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            probe.write_text(f"# {time.monotonic()}\n")
            try:
                self.seen.get(timeout=1)
                break
            except queue.Empty:
                continue
        else:
            raise TimeoutError(f"the watch saw no save within {timeout} s")
        probe.unlink()

    def content(self, number: int) -> bytes:
        source = self.source.solution_file(number) if self.source.has_solutions else self.source.lesson_file(number)
        return source.read_bytes()

    def save(self, number: int) -> LessonResult | None:
        """Save lesson ``number``'s file and wait for its verdict."""
        self.checkout.lesson_file(number).write_bytes(self.content(number))
        while True:
            lesson, result = self.verdicts.get(timeout=300)
            if lesson == number:
                return result

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=60)
        self.warm.close()


@pytest.fixture(scope="module")
def watchings(tmp_path_factory):
    """A watch per number of processes, each on its own copy: both alive, so their cases alternate."""
    try:
        source = Checkout.find()
    except CheckoutError:
        pytest.skip("the watch benchmark needs a copy of the kata (run it inside one)")
    sessions = {parts: Watching(source, tmp_path_factory.mktemp("watched"), parts) for parts in PROCESSES}
    try:
        for session in sessions.values():
            session.wait_until_watching()
            session.save(3)  # the warm process imports TensorFlow before the first check: not timed
        yield sessions
    finally:
        for session in sessions.values():
            session.close()


def test_save_to_verdict(benchmark, watchings, watched_lesson, processes):
    watching = watchings[processes]
    verdicts, after_save = [], []

    def save():
        verdicts.append(watching.save(watched_lesson))
        if watching.warm.last_cpu is not None and watching.warm.last_warm_up_cpu is not None:
            after_save.append(watching.warm.last_cpu - watching.warm.last_warm_up_cpu)

    benchmark.extra_info.update(
        {"kind": "watch", "lesson": watched_lesson, "processes": processes, "goal_seconds": GOAL_SECONDS,
         "warm": watching.warm.broken is None}
    )
    def edit():
        # A student saves seconds after the last verdict: by then the next check's standby
        # children have warmed up (kata.student.warm); saving sooner would time their warm-up
        # too.  The other watch's must be ready as well, or their warm-up shares the cores.
        for session in watchings.values():
            session.warm.wait_for_standby()

    benchmark.pedantic(save, setup=edit, rounds=3, warmup_rounds=1, iterations=1)
    result = verdicts[-1]
    benchmark.extra_info.update(
        {
            "verdict": result.line if result else "no result",
            "check_cpu_seconds": watching.warm.last_cpu,
            "warm_up_cpu_seconds": watching.warm.last_warm_up_cpu,
            "after_save_cpu_seconds_median": statistics.median(after_save[-3:]) if after_save else None,
            "load_average": os.getloadavg()[0],
            "fell_back_to_fresh": watching.warm.broken,
        }
    )
    assert result is not None, f"lesson {watched_lesson:02d}: the watch gave no verdict"
