"""How long ``kata grade`` takes in the sandbox (pytest-benchmark).

Run on a quiet machine (check ``uptime`` first), from the checkout's root::

    .venv/bin/python -m pytest tests/benchmarks/test_grading_speed.py --benchmark-only \\
        -p no:cacheprovider -s --benchmark-json=.benchmarks/grading.json

``-k sandbox_start`` (seconds), ``-k one_complete`` (about a minute) and ``-k class``
(a class of ``$KATA_BENCH_CLASS`` complete submissions, default 30: about 25 minutes)
pick one.  Each benchmark runs once (``pedantic``, one round) and prints its wall
time, its own CPU time (the grader and its sandboxes, counted in a ``cpuacct``
cgroup of its own when run as root, so it holds on a busy machine), the CPU
time the whole machine was busy (the grading's, on a quiet machine), the load
average before and after
and the sandbox used; the same go into the JSON's ``extra_info``.  The goals
(issue 11): one complete submission in at most 60 s and a class of 30 in at most
30 min, with ``--jobs 2`` on 2 cores.  Timings are never asserted; the grades are
(every lesson at full points).

These benchmarks run only when this file is named on the command line: ``kata
bench`` (which runs ``tests/benchmarks``) leaves them out.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from kata import cli
from kata.data import keras_cache_dir
from kata.grading import sandbox as sandbox_module
from kata.grading.records import CACHE_FOLDER, read_record, record_key
from kata.impl import ROOT


@pytest.fixture(autouse=True)
def only_when_named(request):
    if not any("test_grading_speed" in str(arg) for arg in request.config.args):
        pytest.skip("grading benchmarks run when named: pytest tests/benchmarks/test_grading_speed.py")


def machine_cpu() -> float:
    """CPU-seconds the whole machine has spent busy (``/proc/stat``: user, nice, system).

    On a quiet machine the difference over a benchmark is the grading's CPU time.  (The
    processes' own accounting misses the sandboxes': a process killed with its PID namespace is
    not reaped by anything that adds its time to ours.)
    """
    with open("/proc/stat") as stream:
        fields = stream.readline().split()[1:4]
    return sum(int(f) for f in fields) / os.sysconf("SC_CLK_TCK")


CPUACCT = Path("/sys/fs/cgroup/cpuacct")


class OwnCPU:
    """The CPU time of this process and everything it starts, sandboxes included.

    A cgroup-v1 ``cpuacct`` group of its own (as root, where the hierarchy is mounted): every
    process started inside it stays counted, even one killed with its PID namespace, so the
    number holds on a busy machine too.  Elsewhere, ``seconds`` is ``None``.
    """

    def __init__(self):
        self.group = None
        if CPUACCT.is_dir() and os.access(CPUACCT, os.W_OK):
            group = CPUACCT / f"kata-bench-{os.getpid()}"
            try:
                group.mkdir()
                (group / "cgroup.procs").write_text(str(os.getpid()))
                self.group = group
            except OSError:
                pass

    @property
    def seconds(self) -> float | None:
        return int((self.group / "cpuacct.usage").read_text()) / 1e9 if self.group else None

    def close(self) -> None:
        if self.group:
            (CPUACCT / "cgroup.procs").write_text(str(os.getpid()))
            try:
                self.group.rmdir()  # fails while a stray process of ours still lives in it
            except OSError:
                pass


def measured(benchmark, function) -> dict:
    """Run ``function`` once under pytest-benchmark; record wall, CPU and load."""
    info = {"load_before": os.getloadavg()[0], "cpu_before": machine_cpu(), "wall": 0.0}
    own = OwnCPU()
    own_before = own.seconds

    def timed():
        start = time.perf_counter()
        result = function()
        info["wall"] = time.perf_counter() - start
        return result

    try:
        result = benchmark.pedantic(timed, rounds=1, iterations=1)
        info["cpu_own"] = None if own_before is None else own.seconds - own_before
    finally:
        own.close()
    info["cpu_machine"] = machine_cpu() - info.pop("cpu_before")
    info["load_after"] = os.getloadavg()[0]
    mode, _ = sandbox_module.choose("auto")
    info["sandbox"] = mode
    benchmark.extra_info.update(info)
    own_text = "" if info["cpu_own"] is None else f"{info['cpu_own']:.0f} CPU-s its own (cgroup), "
    print(f"\n{benchmark.name}: {info['wall']:.1f} s wall, {own_text}{info['cpu_machine']:.0f} CPU-s busy on "
          f"the whole machine, load {info['load_before']:.2f} → {info['load_after']:.2f}, sandbox {mode}")
    return result


def complete_submissions(folder: Path, count: int) -> Path:
    for index in range(count):
        shutil.copytree(ROOT / "solutions", folder / f"student{index:02d}" / "lessons",
                        ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def grade(submissions: Path, out: Path) -> int:
    return cli.main(["grade", str(submissions), "--out", str(out), "--jobs", "2", "--force"])


def all_full_points(out: Path) -> dict[str, tuple[float, float]]:
    totals = {}
    for path in sorted((out / CACHE_FOLDER).glob("*.json")):
        grade_ = read_record(path.read_text(), record_key())
        totals[grade_.student] = grade_.total()
    return totals


def test_sandbox_start(benchmark, tmp_path):
    """One sandbox up to its preloader's "ready": TensorFlow, Keras, matplotlib, pytest, the data."""
    mode, _ = sandbox_module.choose("auto")

    def start():
        box = sandbox_module.Sandbox(Path(tempfile.mkdtemp(dir=tmp_path)) / "shard", ROOT, [3], {}, mode,
                                     64 << 20, keras_cache_dir())
        box.close()

    measured(benchmark, start)


def test_one_complete_submission(benchmark, tmp_path):
    submissions = complete_submissions(tmp_path / "submissions", 1)
    code = measured(benchmark, lambda: grade(submissions, tmp_path / "out"))
    assert code == 0
    totals = all_full_points(tmp_path / "out")
    assert all(earned == possible > 0 for earned, possible in totals.values()), totals


def test_a_class(benchmark, tmp_path):
    count = int(os.environ.get("KATA_BENCH_CLASS", "30"))
    submissions = complete_submissions(tmp_path / "submissions", count)
    code = measured(benchmark, lambda: grade(submissions, tmp_path / "out"))
    assert code == 0
    totals = all_full_points(tmp_path / "out")
    assert len(totals) == count
    assert all(earned == possible > 0 for earned, possible in totals.values()), totals
