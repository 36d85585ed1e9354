"""The benchmark goals of issue 5: measured and reported, never asserted."""

from __future__ import annotations

from kata.bench.plan import TARGET_ACCURACY
from kata.bench.rows import Row


def goals(rows: list[Row]) -> list[tuple[str, str, bool | None]]:
    """(goal, what this run measured, met?) for the benchmark goals; None when not measured."""
    through = [r for r in rows if r.kind == "throughput" and r.samples_per_s]

    def best(pred):
        found = [r for r in through if pred(r)]
        return max(found, key=lambda r: r.samples_per_s) if found else None

    results = []
    tf32 = best(lambda r: r.family in ("keras", "tensorflow") and r.batch_size == 32)
    if tf32 and tf32.x_default:
        results.append(("fastest TensorFlow recipe at batch 32 ≥ 6× default", f"{tf32.name}: {tf32.x_default:.1f}×", tf32.x_default >= 6))
    keras32 = best(lambda r: r.family == "keras" and r.batch_size == 32)
    if keras32 and keras32.x_default:
        results.append(("best Keras-only recipe at batch 32 ≥ 3× default", f"{keras32.name}: {keras32.x_default:.1f}×", keras32.x_default >= 3))
    tf512 = best(lambda r: r.family in ("keras", "tensorflow") and r.batch_size == 512)
    if tf512 and tf512.pct_roofline:
        results.append(("fastest TensorFlow recipe at batch 512 ≥ 80 % of limit", f"{tf512.name}: {tf512.pct_roofline:.0f} %", tf512.pct_roofline >= 80))
    tta = [r for r in rows if r.kind == "time_to_accuracy"]
    fast = [r for r in tta if r.recipe != "fit" and r.extra.get("fraction_of_default_time")]
    if fast:
        r = min(fast, key=lambda r: r.extra["fraction_of_default_time"])
        frac = r.extra["fraction_of_default_time"]
        results.append((f"time to {TARGET_ACCURACY} ≤ 1/4 of default's", f"{r.name}: {frac:.2f} of default", frac <= 0.25))
    return results
