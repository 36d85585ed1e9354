"""The benchmark goals of issues 5 and 17: measured and reported, never asserted.

Each goal is a ratio between rows of the same run, so that a busy machine,
which slows every row at once, does not decide it.
"""

from __future__ import annotations

from kata.bench.plan import TARGET_ACCURACY
from kata.bench.rows import Row

TENSORFLOW = ("keras", "tensorflow")
PEERS = ("torch", "jax")


def goals(rows: list[Row]) -> list[tuple[str, str, bool | None]]:
    """(goal, what this run measured, met?) for the benchmark goals that this run measured.

    Args:
        rows: the rows of a run.

    Returns:
        One tuple per goal whose rows were measured.
    """
    through = [r for r in rows if r.kind == "throughput" and r.samples_per_s]

    def best(pred):
        found = [r for r in through if pred(r)]
        return max(found, key=lambda r: r.samples_per_s) if found else None

    results = []
    tf32 = best(lambda r: r.family in TENSORFLOW and r.batch_size == 32)
    peer32 = best(lambda r: r.family in PEERS and r.batch_size == 32)
    if tf32 and peer32:
        ratio = tf32.samples_per_s / peer32.samples_per_s
        results.append(("fastest TensorFlow recipe at batch 32 ≥ 1.0× the best peer",
                        f"{tf32.name} {ratio:.2f}× {peer32.name}", ratio >= 1.0))
    tf512 = best(lambda r: r.family in TENSORFLOW and r.batch_size == 512)
    if tf512 and tf512.pct_roofline:
        results.append(("fastest TensorFlow recipe at batch 512 ≥ 90 % of limit",
                        f"{tf512.name}: {tf512.pct_roofline:.0f} %", tf512.pct_roofline >= 90))
    keras32 = best(lambda r: r.family == "keras" and r.batch_size == 32)
    if keras32 and keras32.x_default:
        results.append(("best Keras-only recipe at batch 32 ≥ 3× default",
                        f"{keras32.name}: {keras32.x_default:.1f}×", keras32.x_default >= 3))
    tta = [r for r in rows if r.kind == "time_to_accuracy"]
    fast = [r for r in tta if r.recipe != "fit" and r.extra.get("fraction_of_default_time")]
    if fast:
        r = min(fast, key=lambda r: r.extra["fraction_of_default_time"])
        frac = r.extra["fraction_of_default_time"]
        results.append((f"time to {TARGET_ACCURACY} ≤ 1/4 of default's", f"{r.name}: {frac:.2f} of default", frac <= 0.25))
    return results
