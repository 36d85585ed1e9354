"""Benchmarks of training throughput (pytest-benchmark); see docs/benchmarks.md.

Run them with ``kata bench`` or ``tox -e bench`` (``pytest kata/bench/suite
--benchmark-only``).  They ship with the package, so ``kata bench`` works in a
student copy too.  Without ``--benchmark-only`` they are skipped: they train
for minutes and are never graded.

Each benchmark stores what it measured in pytest-benchmark's ``extra_info``
(so saved runs can be compared later) and in this session's records, from
which :func:`kata.bench.rows_from_benchmarks` makes the rows, the table, the
chart and the ``--bench-json`` file at the end of the run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kata import bench

RECORDS = pytest.StashKey[list]()
SUITE = Path(__file__).resolve().parent


def default_chart(config: pytest.Config) -> Path:
    """``.benchmarks/throughput.png`` in pytest's root folder."""
    return Path(config.rootpath) / ".benchmarks" / "throughput.png"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("kata-bench", "kata benchmarks")
    group.addoption("--bench-quick", action="store_true", help="a short run (under 8 minutes on 2 quiet cores)")
    group.addoption("--bench-json", metavar="FILE", default=None, help="write the result rows as JSON to FILE")
    group.addoption("--bench-chart", metavar="FILE", default=None,
                    help="the PNG bar chart of samples/s (default .benchmarks/throughput.png)")


def pytest_configure(config: pytest.Config) -> None:
    config.stash[RECORDS] = []


def quick(config: pytest.Config) -> bool:
    return bool(config.getoption("--bench-quick"))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    config = metafunc.config
    if "config" in metafunc.fixturenames:
        configs = bench.configurations(quick(config), config.getoption("--impl") or "lessons")
        metafunc.parametrize("config", configs, ids=[c.id for c in configs])
    if "tta_recipe" in metafunc.fixturenames:
        metafunc.parametrize("tta_recipe", bench.TIME_TO_ACCURACY)
    if "acc_recipe" in metafunc.fixturenames:
        metafunc.parametrize("acc_recipe", bench.ACCURACY_RECIPES)
    if "library" in metafunc.fixturenames:
        metafunc.parametrize("library", ["numpy", "tensorflow"])
    if "when" in metafunc.fixturenames:
        metafunc.parametrize("when", ["start", "end"])


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The limit is measured at the start and again at the end (the best counts): a busy
    # moment on a shared machine then spoils only one of the two.
    items.sort(key=lambda item: item.name.endswith("-end]"))
    if config.getoption("benchmark_only"):
        return
    skip = pytest.mark.skip(reason="benchmarks run with `kata bench` or `tox -e bench` (--benchmark-only)")
    for item in items:
        if item.path.resolve().is_relative_to(SUITE):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def bench_plan(pytestconfig: pytest.Config) -> bench.Plan:
    return bench.plan(quick(pytestconfig))


@pytest.fixture(scope="session")
def bench_data(bench_plan: bench.Plan) -> bench.Data:
    """The training images each timed round goes through once (all 60,000, fewer with --bench-quick)."""
    return bench.load(bench_plan.samples_per_round)


@pytest.fixture(scope="session")
def full_data() -> bench.Data:
    return bench.load()


@pytest.fixture
def record(benchmark, pytestconfig: pytest.Config):
    """``record(run, info, ...)``: time ``run`` with pytest-benchmark and keep what it measured.

    ``info`` goes into ``extra_info``; ``after()``, when given, adds what is
    known only once the run is over.
    """

    def time_it(run, info: dict, rounds: int = 1, warmup_rounds: int = 0, after=None):
        benchmark.extra_info.update(info)
        benchmark.pedantic(run, rounds=rounds, warmup_rounds=warmup_rounds, iterations=1)
        if after is not None:
            benchmark.extra_info.update(after())
        stats = benchmark.stats.stats
        pytestconfig.stash[RECORDS].append(
            {
                "name": info.get("id", ""),
                "extra_info": dict(benchmark.extra_info),
                "stats": {"min": stats.min, "median": stats.median, "mean": stats.mean, "rounds": stats.rounds},
            }
        )

    return time_it


def _rows(config: pytest.Config) -> list[bench.Row]:
    return bench.rows_from_benchmarks(config.stash.get(RECORDS, []))


def pytest_sessionfinish(session: pytest.Session) -> None:
    config = session.config
    rows = _rows(config)
    if not rows:
        return
    if config.getoption("--bench-json"):
        bench.write_json(rows, config.getoption("--bench-json"))
    bench.chart(rows, config.getoption("--bench-chart") or default_chart(config))


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    rows = _rows(config)
    if not rows:
        return
    from rich.console import Console

    console = Console(file=terminalreporter._tw._file, force_terminal=terminalreporter.hasmarkup)
    console.print(bench.table(rows))
    console.print(bench.goals_table(rows))
    console.print(f"chart: {config.getoption('--bench-chart') or default_chart(config)}")
