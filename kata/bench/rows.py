"""Rows: from pytest-benchmark's records to what ``kata bench`` reports; JSON and saved runs."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from kata.bench.plan import FLOPS_PER_SAMPLE, TARGET_ACCURACY
from kata.fileio import read_json as _read_json
from kata.fileio import write_json as _write_json


@dataclass
class Row:
    """One line of the table: a configuration and what this run measured of it."""

    name: str
    kind: str  # "throughput", "time_to_accuracy" or "roofline"
    recipe: str
    family: str
    batch_size: int | None
    samples_per_s: float | None
    x_default: float | None = None
    pct_roofline: float | None = None
    samples_per_s_best: float | None = None
    seconds_per_round: float | None = None
    rounds: int | None = None
    id: str = ""
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        data = {k: v for k, v in self.__dict__.items() if k != "extra"}
        data.update(self.extra)
        return data


def rows_from_benchmarks(benchmarks: list[dict]) -> list[Row]:
    """Rows from pytest-benchmark records (``{"extra_info": ..., "stats": ...}``, as it saves them).

    Each record's ``extra_info`` says what it measured (``kind``, ``recipe``,
    ``batch_size``, ``samples_per_round`` or, for the roofline,
    ``flops_per_round``); ``stats`` has the seconds per round.  An accuracy
    record's test accuracy is also copied to the throughput row of the same
    recipe and batch size (``test_accuracy``, ``accuracy_epochs``).  The limit
    comes from the best roofline record, "× default" from the ``fit`` record
    at batch 32.  A record without what a column needs leaves it ``None``.
    """
    limit = None
    gflops = [
        b["extra_info"]["flops_per_round"] / b["stats"]["min"] / 1e9
        for b in benchmarks
        if b.get("extra_info", {}).get("kind") == "roofline" and b["stats"].get("min")
    ]
    if gflops:
        limit = max(gflops) * 1e9 / FLOPS_PER_SAMPLE
    rows = []
    for record in benchmarks:
        info, stats = record.get("extra_info", {}), record.get("stats", {})
        kind = info.get("kind")
        if kind == "throughput":
            median = stats.get("median")
            samples = info["samples_per_round"]
            rows.append(
                Row(
                    name=info["name"], kind=kind, recipe=info["recipe"], family=info.get("family", ""),
                    batch_size=info["batch_size"], id=info.get("id", ""),
                    samples_per_s=samples / median if median else None,
                    samples_per_s_best=samples / stats["min"] if stats.get("min") else None,
                    seconds_per_round=median, rounds=stats.get("rounds"),
                )
            )
        elif kind == "time_to_accuracy":
            seconds = info["seconds"]
            rows.append(
                Row(
                    name=info["name"], kind=kind, recipe=info["recipe"], family=info.get("family", ""),
                    batch_size=info["batch_size"], id=info.get("id", ""),
                    samples_per_s=info["samples"] / seconds if seconds else None,
                    extra={
                        "seconds_to_target": seconds if info["reached"] else None,
                        "seconds_trained": seconds,
                        "target_accuracy": info.get("target", TARGET_ACCURACY),
                        "epochs": info["epochs"],
                        "test_accuracy": info["test_accuracy"],
                        "reached": info["reached"],
                    },
                )
            )
        elif kind == "accuracy":
            seconds = info.get("seconds")
            rows.append(
                Row(
                    name=info["name"], kind=kind, recipe=info["recipe"], family=info.get("family", ""),
                    batch_size=info["batch_size"], id=info.get("id", ""),
                    samples_per_s=info["samples"] / seconds if seconds else None,
                    extra={"test_accuracy": info["test_accuracy"], "epochs": info["epochs"]},
                )
            )
        elif kind == "interleaved":
            rows += _interleaved_rows(info)
        elif kind == "roofline":
            best = stats.get("min")
            g = info["flops_per_round"] / best / 1e9 if best else None
            rows.append(
                Row(
                    name=info["name"], kind=kind, recipe=info["recipe"], family=info.get("family", ""),
                    batch_size=None, id=info.get("id", ""),
                    samples_per_s=g * 1e9 / FLOPS_PER_SAMPLE if g else None,
                    extra={"gflops": g, "matmul_size": info.get("matmul_size")},
                )
            )
    default = next(
        (r.samples_per_s for r in rows if r.kind == "throughput" and r.recipe == "fit" and r.batch_size == 32),
        None,
    )
    default_tta = next(
        (r.extra["seconds_to_target"] for r in rows if r.kind == "time_to_accuracy" and r.recipe == "fit"),
        None,
    )
    accuracy = {(r.recipe, r.batch_size): r.extra for r in rows if r.kind == "accuracy"}
    for row in rows:
        if row.kind == "throughput" and (row.recipe, row.batch_size) in accuracy:
            found = accuracy[(row.recipe, row.batch_size)]
            row.extra.update(test_accuracy=found["test_accuracy"], accuracy_epochs=found["epochs"])
        if row.samples_per_s is not None and row.kind != "interleaved":  # compared within its group
            if default and row.kind not in ("roofline", "accuracy"):
                row.x_default = row.samples_per_s / default
            if limit:
                row.pct_roofline = 100.0 * row.samples_per_s / limit
        if row.kind == "time_to_accuracy":
            mine = row.extra["seconds_to_target"]
            row.extra["fraction_of_default_time"] = mine / default_tta if mine and default_tta else None
    return rows


def _interleaved_rows(info: dict) -> list[Row]:
    """One row per member of a group timed side by side (:mod:`kata.bench.interleave`).

    "× default" and "% of limit" are the medians over rounds of the ratio to
    the group's own ``fit``, or to the better of its matmuls, in the same round.
    """
    import statistics

    from kata.bench.interleave import LIMITS, best_per_round, median_ratio

    rates: dict[str, list[float]] = info["rates"]
    limit = best_per_round(rates, list(LIMITS))
    rows = []
    for member, values in rates.items():
        if not values:
            continue
        rows.append(Row(
            name=f"{info['titles'][member]}, side by side", kind="interleaved", recipe=member,
            family=info["families"][member], batch_size=info["batch_size"],
            id=f"{info['group']}-{member}", samples_per_s=statistics.median(values),
            samples_per_s_best=max(values), rounds=len(values),
            x_default=median_ratio(values, rates["fit"]) if rates.get("fit") else None,
            pct_roofline=100 * median_ratio(values, limit) if limit else None,
            extra={"group": info["group"], "rates": list(values), "title": info["titles"][member]},
        ))
    return rows


def limit_samples_per_s(rows: list[Row]) -> float | None:
    """The machine's limit in training samples per second (the best roofline row), or ``None``."""
    values = [r.samples_per_s for r in rows if r.kind == "roofline" and r.samples_per_s]
    return max(values) if values else None


def write_json(rows: list[Row], path: str | os.PathLike) -> Path:
    """``--json FILE``: the rows as a JSON list, one object per row.

    Args:
        rows: the rows of a run.
        path: the file to write.

    Returns:
        The path written.
    """
    return _write_json(path, [row.as_dict() for row in rows])


def read_json(path: str | os.PathLike) -> list[dict]:
    """The list of row dicts in a ``--json`` file."""
    return _read_json(path)


def saved_runs(storage: Path) -> list[Path]:
    """pytest-benchmark's saved runs in ``storage``, oldest first (every machine's folder)."""
    runs = [p for p in Path(storage).glob("*/[0-9][0-9][0-9][0-9]_*.json")]
    return sorted(runs, key=lambda p: (p.stat().st_mtime, p.name))


def rows_from_saved_run(path: Path) -> list[Row]:
    """The rows of one run pytest-benchmark saved."""
    data = _read_json(path)
    return rows_from_benchmarks(data.get("benchmarks", []))


def rows_from_dicts(dicts: list[dict]) -> list[Row]:
    """Rows back from ``--json``'s list (the inverse of :meth:`Row.as_dict`)."""
    names = set(Row.__dataclass_fields__) - {"extra"}
    return [Row(**{k: v for k, v in d.items() if k in names}, extra={k: v for k, v in d.items() if k not in names}) for d in dicts]
