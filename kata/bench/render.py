"""Showing rows: the rich table, the goals, the PNG chart, the comparison with saved runs."""

from __future__ import annotations

import os
from pathlib import Path

from kata.bench.goals import goals
from kata.bench.plan import TARGET_ACCURACY
from kata.bench.rows import Row, limit_samples_per_s


def _fmt(value, spec: str) -> str:
    return "–" if value is None else format(value, spec)


def table(rows: list[Row], title: str = "Training throughput, tutorial model, Fashion-MNIST"):
    """A rich table of the rows.

    Args:
        rows: the rows of a run.
        title: the table's title.

    Returns:
        A ``rich.table.Table``.
    """
    from rich.table import Table

    out = Table(title=title)
    for column, justify in [("configuration", "left"), ("batch", "right"), ("samples/s", "right"),
                            ("× default", "right"), ("% of limit", "right"), ("note", "left")]:
        out.add_column(column, justify=justify)
    for row in rows:
        note = ""
        if row.kind == "accuracy":
            continue  # shown in the note of the recipe's throughput row
        if row.kind == "throughput" and row.extra.get("test_accuracy") is not None:
            note = f"test accuracy {row.extra['test_accuracy']:.3f} after {row.extra['accuracy_epochs']} epochs"
        elif row.kind == "roofline":
            note = f"{row.extra['gflops']:.0f} GFLOP/s → limit" if row.extra.get("gflops") else ""
        elif row.kind == "time_to_accuracy":
            e = row.extra
            target = e.get("target_accuracy", TARGET_ACCURACY)
            if e["reached"]:
                note = f"{e['seconds_to_target']:.1f} s to {target} ({e['epochs']} epochs)"
                if e.get("fraction_of_default_time"):
                    note += f", {e['fraction_of_default_time']:.2f} of default's time"
            else:
                note = f"not {target} after {e['epochs']} epochs ({e['test_accuracy']:.3f})"
        out.add_row(row.name, _fmt(row.batch_size, "d"), _fmt(row.samples_per_s, ",.0f"),
                    _fmt(row.x_default, ".2f"), _fmt(row.pct_roofline, ".1f"), note)
    return out


def goals_table(rows: list[Row]):
    from rich.table import Table

    out = Table(title="Goals (issues 5 and 17), this run")
    out.add_column("goal")
    out.add_column("measured")
    out.add_column("met")
    for goal, measured, met in goals(rows):
        out.add_row(goal, measured, "yes" if met else "no")
    return out


def chart(rows: list[Row], path: str | os.PathLike, title: str = "") -> Path:
    """A PNG bar chart of samples/s per configuration, with the limit as a line.

    Args:
        rows: the rows of a run (only throughput rows become bars).
        path: the PNG file to write.
        title: the chart's title.

    Returns:
        The path written.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    through = [r for r in rows if r.kind == "throughput" and r.samples_per_s]
    limit = limit_samples_per_s(rows)
    colours = {"keras": "tab:orange", "tensorflow": "tab:red", "lesson": "tab:green", "torch": "tab:purple", "jax": "tab:blue"}
    fig, ax = plt.subplots(figsize=(9, 0.32 * len(through) + 1.6), layout="constrained")
    labels = [f"{r.name} · b{r.batch_size}" for r in through]
    values = [r.samples_per_s for r in through]
    y = list(range(len(through)))[::-1]
    ax.barh(y, values, color=[colours.get(r.family, "tab:gray") for r in through])
    ax.set_yticks(y, labels, fontsize=8)
    for yi, row in zip(y, through, strict=True):
        text = f" {row.samples_per_s:,.0f}" + (f" ({row.x_default:.1f}×)" if row.x_default else "")
        ax.text(row.samples_per_s, yi, text, va="center", fontsize=7)
    if limit:
        ax.axvline(limit, color="black", linestyle="--", linewidth=1)
        ax.text(limit, len(through) - 0.4, f" limit {limit:,.0f}", fontsize=8, va="bottom")
    from matplotlib.patches import Patch

    shown = dict.fromkeys(r.family for r in through)
    ax.legend(handles=[Patch(color=colours.get(f, "tab:gray"), label=f) for f in shown], loc="lower right", fontsize=8)
    ax.set_xlabel("training samples per second (higher is better)")
    ax.set_title(title or "Tutorial model on Fashion-MNIST: training throughput", fontsize=10)
    ax.set_xlim(0, max(values + ([limit] if limit else [])) * 1.25 if values or limit else 1)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def comparison(rows: list[Row], earlier: list[tuple[str, list[Row]]]):
    """A rich table: samples/s now beside earlier saved runs (same configuration id).

    Args:
        rows: this run's rows.
        earlier: ``(label, rows)`` of earlier runs.

    Returns:
        A ``rich.table.Table``.
    """
    from rich.table import Table

    out = Table(title="samples/s, this run against earlier saved runs")
    out.add_column("configuration")
    out.add_column("batch", justify="right")
    out.add_column("now", justify="right")
    for label, _ in earlier:
        out.add_column(label, justify="right")
    for row in rows:
        if row.kind != "throughput":
            continue
        cells = []
        for _, old_rows in earlier:
            old = next((o for o in old_rows if o.id == row.id and o.kind == "throughput"), None)
            if old and old.samples_per_s and row.samples_per_s:
                cells.append(f"{old.samples_per_s:,.0f} ({row.samples_per_s / old.samples_per_s:.2f}×)")
            else:
                cells.append("–")
        out.add_row(row.name, _fmt(row.batch_size, "d"), _fmt(row.samples_per_s, ",.0f"), *cells)
    return out
