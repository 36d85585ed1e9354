"""How long ``kata.check(n)`` takes in a warm Jupyter kernel: the goal is ≤ 2 s on 2 cores.

The kernel is a real one, as in Jupyter: ipykernel started by jupyter_client,
matplotlib's inline backend, kept for the whole module.  For each lesson a
cell runs the reference code (standing for the notebook's definitions; those
of earlier lessons stay defined, as in a notebook), a first ``kata.check(n)``
warms the kernel (TensorFlow imported, the data loaded), then each round runs
a cell ``kata.check(n)``, timed from the request to the reply: what a student
waits for.  The kernel's CPU seconds for each check go in ``extra_info``.
Lessons 05, 10 and 11 train and are left out of the goal.  Run with
``pytest tests/benchmarks/test_notebook_check.py --benchmark-only`` (or ``tox -e bench``).

Timed in the pytest process itself instead (as this benchmark did until
28 Nov), lesson 08's check took about half as long again as the same check
in a kernel, on the same machine minutes apart; the cause was not found, and
a kernel is what the goal is about.
"""

from __future__ import annotations

import os

import pytest

from kata.impl import ROOT, get_lesson

GOAL_SECONDS = 2.0
LESSONS = [1, 2, 3, 4, 6, 7, 8, 9]
MARK = "KATA-BENCH"  # starts the line a timed cell prints: whether the check gave full points, its CPU seconds


@pytest.fixture(scope="module")
def kernel(tmp_path_factory, jupyter_kernel):
    """``run(source) -> str``: run one cell in a Jupyter kernel kept for the module; what it printed."""
    import nbformat
    from nbclient import NotebookClient

    records = tmp_path_factory.mktemp("records") / "results.json"  # the student's own records stay as they are
    manager = jupyter_kernel({"KATA_NOTEBOOK_RESULTS": str(records)})
    client = NotebookClient(nbformat.v4.new_notebook(cells=[]), km=manager, timeout=600,
                            resources={"metadata": {"path": str(ROOT)}})
    with client.setup_kernel():

        def run(source: str) -> str:
            cell = nbformat.v4.new_code_cell(source)
            client.nb.cells.append(cell)
            client.execute_cell(cell, len(client.nb.cells) - 1)  # a cell that raises fails the benchmark
            return "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stdout")

        yield run


def timed_check(kernel, number: int) -> tuple[bool, float]:
    """Run a cell ``kata.check(number)`` in ``kernel``: whether it gave full points, and its CPU seconds."""
    printed = kernel(
        "_start = time.process_time()\n"
        f"_result = kata.check({number})\n"
        f"print({MARK!r}, _result.full, time.process_time() - _start)"
    )
    line = next(line for line in printed.splitlines() if line.startswith(MARK))
    _mark, full, seconds = line.split()
    return full == "True", float(seconds)


@pytest.mark.parametrize("number", LESSONS)
def test_check_in_a_warm_kernel(benchmark, kernel, number):
    lesson = get_lesson(number)
    kernel((ROOT / "solutions" / lesson.folder / lesson.filename).read_text(encoding="utf-8"))
    kernel("import time\nimport kata")
    full, _seconds = timed_check(kernel, number)  # warm: TensorFlow, the data, the suite's imports
    assert full, f"lesson {lesson.folder}'s reference code did not get full points in the kernel"
    benchmark.extra_info.update({"lesson": lesson.folder, "goal_s": GOAL_SECONDS, "where": "jupyter kernel"})
    cpu = []  # the kernel's CPU seconds for each check: on a busy machine they say more than the wall time

    def check():
        full, seconds = timed_check(kernel, number)
        cpu.append(seconds)
        return full

    full = benchmark.pedantic(check, rounds=3, iterations=1)
    benchmark.extra_info.update({"cpu_seconds_median": sorted(cpu)[len(cpu) // 2], "load_average": os.getloadavg()[0]})
    assert full
