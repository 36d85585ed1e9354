"""The benchmark suite ``kata bench`` and ``tox -e bench`` run (pytest-benchmark)."""
