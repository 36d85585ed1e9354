"""How long ``kata.check(n)`` takes in a warm Jupyter kernel: the goal is ≤ 2 s on 2 cores.

The kernel is a real one, as in Jupyter: ipykernel started by jupyter_client,
matplotlib's inline backend, kept for the whole module.  For each lesson a
cell runs the reference code (standing for the notebook's definitions; those
of earlier lessons stay defined, as in a notebook), a first ``kata.check(n)``
warms the kernel (TensorFlow imported, the data loaded) and starts the
helper process (:mod:`kata.notebook.helper`).  Then each round waits until
the helper is warm again (as a student's edit gives it time to) and runs a
cell ``kata.check(n)``, timed from the request to the reply: what a student
waits for.  Each lesson is timed twice: as a student gets it (``helper``)
and, as the baseline of the same run, with ``helper=False`` (``kernel``).
The CPU seconds of the kernel and of the helper's children go in ``extra_info``.
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


def timed_check(kernel, number: int, helper: bool | None = None) -> tuple[bool, str, float, float]:
    """Run a cell ``kata.check(number, helper=helper)`` in ``kernel``.

    Returns:
        Whether it gave full points, where it ran (``kernel`` or ``helper``), the
        kernel's CPU seconds and those the helper's children used after the request came.
    """
    printed = kernel(
        "_start = time.process_time()\n"
        f"_result = kata.check({number}, helper={helper})\n"
        "_helper = helper_for(Checkout.here_or_installed())\n"
        f"print({MARK!r}, _result.full, _result.ran_in, time.process_time() - _start,"
        " (_helper.runner.last_cpu or 0.0) - (_helper.runner.last_warm_up_cpu or 0.0)"
        " if _helper and _result.ran_in == 'helper' else 0.0)"
    )
    line = next(line for line in printed.splitlines() if line.startswith(MARK))
    _mark, full, ran_in, kernel_cpu, helper_cpu = line.split()
    return full == "True", ran_in, float(kernel_cpu), float(helper_cpu)


def wait_for_the_helper(kernel) -> None:
    printed = kernel(f"print({MARK!r}, wait_for_helper(Checkout.here_or_installed()))")
    assert f"{MARK} True" in printed, f"the kernel's helper did not get ready: {printed}"


@pytest.mark.parametrize("where", ["kernel", "helper"])
@pytest.mark.parametrize("number", LESSONS)
def test_check_in_a_warm_kernel(benchmark, kernel, number, where):
    """``where="helper"`` is what a student gets; ``"kernel"`` (``helper=False``) is the baseline, timed beside it."""
    lesson = get_lesson(number)
    kernel((ROOT / "solutions" / lesson.folder / lesson.filename).read_text(encoding="utf-8"))
    kernel("import time\nimport kata\nfrom kata.checkout import Checkout\n"
           "from kata.notebook.helper import helper_for, wait_for_helper")
    full, *_ = timed_check(kernel, number)  # warm: TensorFlow, the data, the suite's imports; the helper starts
    assert full, f"lesson {lesson.folder}'s reference code did not get full points in the kernel"
    benchmark.extra_info.update({"lesson": lesson.folder, "goal_s": GOAL_SECONDS, "where": f"jupyter kernel, {where}"})
    checks = []  # where each ran, and the CPU seconds: on a busy machine they say more than the wall time

    def check():
        full, ran_in, kernel_cpu, helper_cpu = timed_check(kernel, number, None if where == "helper" else False)
        checks.append((ran_in, kernel_cpu, helper_cpu))
        return full

    full = benchmark.pedantic(check, rounds=3, iterations=1, setup=lambda: wait_for_the_helper(kernel))
    benchmark.extra_info.update({
        "ran_in": sorted({ran_in for ran_in, _k, _h in checks}),
        "kernel_cpu_seconds_median": sorted(k for _r, k, _h in checks)[len(checks) // 2],
        "helper_cpu_seconds_median": sorted(h for _r, _k, h in checks)[len(checks) // 2],
        "load_average": os.getloadavg()[0],
    })
    assert full
    assert {ran_in for ran_in, _k, _h in checks} == {where}, f"not every check ran in the {where}: {checks}"
