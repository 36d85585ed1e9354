"""``kata bench``: run the benchmark suite (:mod:`kata.bench.suite`) with pytest and show the rows.

The suite ships inside the package, so ``kata bench`` works wherever ``kata``
is installed: in the repository, in a ``kata release`` copy, after a plain
``pip install``.  Runs are saved (pytest-benchmark) in ``.benchmarks/`` of the
checkout the command runs in, or of the current folder outside one.
"""

from __future__ import annotations

from pathlib import Path

from kata.bench.render import comparison, goals_table, table
from kata.bench.rows import read_json, rows_from_dicts, rows_from_saved_run, saved_runs
from kata.checkout import Checkout

SUITE = Path(__file__).resolve().parent / "suite"
"""The benchmark suite (pytest-benchmark), the same ``tox -e bench`` runs."""


def home(checkout: Checkout | None) -> Path:
    """The folder a run belongs to: the checkout's root, or the current folder outside one."""
    return checkout.root if checkout is not None else Path.cwd()


def storage(checkout: Checkout | None) -> Path:
    """Where pytest-benchmark saves the runs: ``.benchmarks/`` of :func:`home`."""
    return home(checkout) / ".benchmarks"


def default_chart(checkout: Checkout | None) -> Path:
    """``.benchmarks/throughput.png`` of :func:`home`: where the chart goes unless ``--chart`` says."""
    return storage(checkout) / "throughput.png"


class ProgressPlugin:
    """A pytest plugin showing one rich progress line while the benchmarks run."""

    def __init__(self, progress):
        self.progress = progress
        self.task = None
        self.skipped: list[str] = []  # why a benchmark did not run ("... not written yet")
        self.failed: list[str] = []

    def pytest_runtest_logreport(self, report):
        if report.skipped and isinstance(report.longrepr, tuple):
            self.skipped.append(f"{report.nodeid.split('::')[-1]}: {report.longrepr[2].removeprefix('Skipped: ')}")
        elif report.failed:
            self.failed.append(f"{report.nodeid.split('::')[-1]}: {report.longreprtext.strip().splitlines()[-1]}")

    def pytest_collection_modifyitems(self, session, config, items):
        self.task = self.progress.add_task("benchmarks", total=len(items))

    def pytest_runtest_logstart(self, nodeid, location):
        if self.task is not None:
            self.progress.update(self.task, description=nodeid.split("::")[-1])

    def pytest_runtest_logfinish(self, nodeid, location):
        if self.task is not None:
            self.progress.advance(self.task)


def pytest_args(args, json_path: Path, checkout: Checkout | None = None) -> list[str]:
    """The pytest command line ``kata bench`` runs (the same suite as ``tox -e bench``).

    Args:
        args: the parsed ``kata bench`` arguments.
        json_path: where the suite writes the rows.
        checkout: the checkout the command runs in (``None`` outside one).

    Returns:
        The arguments for :func:`pytest.main`.
    """
    root = home(checkout)
    argv = [str(SUITE), f"--rootdir={root}"]
    if (root / "pyproject.toml").is_file():
        argv += ["-c", str(root / "pyproject.toml")]
    argv += [
        "-p", "kata.plugin",
        "--import-mode=importlib",
        "--benchmark-only",
        "--benchmark-autosave",
        f"--benchmark-storage=file://{storage(checkout)}",
        "--benchmark-quiet",
        "-p", "no:cacheprovider",
        "-p", "no:terminal",
        f"--impl={getattr(args, 'impl', None) or 'lessons'}",
        f"--bench-json={json_path}",
        f"--bench-chart={getattr(args, 'chart', None) or default_chart(checkout)}",
    ]  # fmt: skip
    if getattr(args, "quick", False):
        argv.append("--bench-quick")
    if getattr(args, "select", None):
        argv += ["-k", args.select]
    return argv


def main(args, checkout: Checkout | None = None) -> int:
    """``kata bench [--quick] [--json FILE] [--compare] [--impl TREE] [--chart FILE] [--select EXPR]``."""
    import tempfile

    import pytest
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console()
    if not console.is_terminal:
        console = Console(width=140)
    earlier = saved_runs(storage(checkout)) if args.compare else []
    with tempfile.TemporaryDirectory() as tmp:
        json_path = Path(args.json) if args.json else Path(tmp) / "rows.json"
        progress = Progress(
            TextColumn("[bold]kata bench[/]"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(), TextColumn("{task.description}"), console=console, transient=True,
        )
        plugin = ProgressPlugin(progress)
        with progress:
            code = pytest.main(pytest_args(args, json_path, checkout), plugins=[plugin])
        for line in plugin.skipped:
            console.print(f"[yellow]skipped[/] {escape(line)}", highlight=False)
        for line in plugin.failed:
            console.print(f"[red]failed[/] {escape(line)}", highlight=False)
        if not json_path.exists():
            console.print(f"[red]The benchmarks wrote no results (pytest exit code {int(code)}).[/]")
            return int(code) or 1
        rows = rows_from_dicts(read_json(json_path))
    console.print(table(rows))
    console.print(goals_table(rows))
    if args.compare:
        if earlier:
            chosen = earlier[-3:]
            console.print(comparison(rows, [(p.name[:4] + " " + _when(p), rows_from_saved_run(p)) for p in chosen]))
        else:
            console.print("No earlier run saved in .benchmarks/ yet: this one is the first to compare against.")
    console.print(f"Chart: {getattr(args, 'chart', None) or default_chart(checkout)} · saved run: {storage(checkout)}/ (pytest-benchmark)"
                  + (f" · rows: {args.json}" if args.json else ""))
    return 0 if int(code) in (0, 5) else int(code)


def _when(path: Path) -> str:
    parts = path.stem.split("_")
    return parts[2] + " " + parts[3][:4] if len(parts) > 3 else path.stem
