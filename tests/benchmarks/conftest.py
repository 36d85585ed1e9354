"""The project's own speed benchmarks (the student loop, notebooks, grading).

Training throughput lives in ``kata/bench/suite/`` and ships with the package;
these need a full checkout (solutions, suites) and measure the kata's tooling.
Like those, they run only with ``--benchmark-only`` (``tox -e bench``) and are
skipped, with that reason, in an ordinary test run.
"""

from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("benchmark_only"):
        return
    skip = pytest.mark.skip(reason="benchmarks run with `tox -e bench` (--benchmark-only)")
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(skip)
