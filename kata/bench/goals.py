"""The benchmark goals of issues 5 and 17: measured and reported, never asserted.

Each goal is a ratio between rows of the same run, so that a busy machine,
which slows every row at once, does not decide it.  Where the run also timed
a goal's configurations side by side (:mod:`kata.bench.interleave`), that
measurement decides the goal: a change of load between two rows then can't.
"""

from __future__ import annotations

from kata.bench.plan import TARGET_ACCURACY
from kata.bench.rows import Row

TENSORFLOW = ("keras", "tensorflow")
PEERS = ("torch", "jax")
PEER_GOAL = "fastest TensorFlow recipe at batch 32 ≥ 1.0× the best peer"
LIMIT_GOAL = "fastest TensorFlow recipe at batch 512 ≥ 90 % of limit"
KERAS_GOAL = "best Keras-only recipe at batch 32 ≥ 3× default"


def goals(rows: list[Row]) -> list[tuple[str, str, bool | None]]:
    """(goal, what this run measured, met?) for the benchmark goals that this run measured.

    Args:
        rows: the rows of a run.

    Returns:
        One tuple per goal whose rows were measured.
    """
    side_by_side = _side_by_side(rows)
    through = [r for r in rows if r.kind == "throughput" and r.samples_per_s]

    def best(pred):
        found = [r for r in through if pred(r)]
        return max(found, key=lambda r: r.samples_per_s) if found else None

    # A goal measured side by side is decided there; the others by the rows of the run.
    decided = {goal for goal, _, _ in side_by_side}
    return side_by_side + [g for g in _sequential(rows, through, best) if g[0] not in decided]


def _sequential(rows, through, best) -> list[tuple[str, str, bool | None]]:
    """The goals from rows timed one after another (each a whole benchmark)."""
    results = []
    tf32 = best(lambda r: r.family in TENSORFLOW and r.batch_size == 32)
    peer32 = best(lambda r: r.family in PEERS and r.batch_size == 32)
    if tf32 and peer32:
        ratio = tf32.samples_per_s / peer32.samples_per_s
        results.append((PEER_GOAL,
                        f"{tf32.name} {ratio:.2f}× {peer32.name}", ratio >= 1.0))
    tf512 = best(lambda r: r.family in TENSORFLOW and r.batch_size == 512)
    if tf512 and tf512.pct_roofline:
        results.append((LIMIT_GOAL,
                        f"{tf512.name}: {tf512.pct_roofline:.0f} %", tf512.pct_roofline >= 90))
    keras32 = best(lambda r: r.family == "keras" and r.batch_size == 32)
    if keras32 and keras32.x_default:
        results.append((KERAS_GOAL,
                        f"{keras32.name}: {keras32.x_default:.1f}×", keras32.x_default >= 3))
    tta = [r for r in rows if r.kind == "time_to_accuracy"]
    fast = [r for r in tta if r.recipe != "fit" and r.extra.get("fraction_of_default_time")]
    if fast:
        r = min(fast, key=lambda r: r.extra["fraction_of_default_time"])
        frac = r.extra["fraction_of_default_time"]
        results.append((f"time to {TARGET_ACCURACY} ≤ 1/4 of default's", f"{r.name}: {frac:.2f} of default", frac <= 0.25))
    return results


def _side_by_side(rows: list[Row]) -> list[tuple[str, str, bool | None]]:
    """The goals from the groups timed side by side (:mod:`kata.bench.interleave`), when measured.

    Each is the median over rounds of the ratio within a round: the best of
    one side's recipes in that round against the best of the other's.
    """
    from kata.bench.interleave import CEILING, LIMITS, best_per_round, median_ratio

    groups: dict[str, dict[str, Row]] = {}
    for row in rows:
        if row.kind == "interleaved":
            groups.setdefault(row.extra["group"], {})[row.recipe] = row
    rates = {name: {m: r.extra["rates"] for m, r in members.items()} for name, members in groups.items()}

    def fastest(members: dict[str, Row], families) -> str | None:
        found = [r for r in members.values() if r.family in families]
        return max(found, key=lambda r: r.samples_per_s).extra["title"] if found else None

    results = []
    peer = groups.get("peer-b32", {})
    tf = [m for m, r in peer.items() if r.family in TENSORFLOW]
    peers = [m for m, r in peer.items() if r.family in PEERS]
    if tf and peers:
        ratio = median_ratio(best_per_round(rates["peer-b32"], tf), best_per_round(rates["peer-b32"], peers))
        rounds = len(rates["peer-b32"][tf[0]])
        results.append((PEER_GOAL, f"{fastest(peer, TENSORFLOW)} {ratio:.2f}× {fastest(peer, PEERS)} "
                                   f"(side by side, median of {rounds} rounds)", ratio >= 1.0))
    limit = groups.get("limit-b512", {})
    tf = [m for m, r in limit.items() if r.family in TENSORFLOW]
    if tf and any(m in limit for m in LIMITS):
        limits = best_per_round(rates["limit-b512"], list(LIMITS))
        share = 100 * median_ratio(best_per_round(rates["limit-b512"], tf), limits)
        ceiling = ""  # the step's matmuls alone: what no recipe can beat
        if rates["limit-b512"].get(CEILING):
            ceiling = f"; its 5 matmuls alone: {100 * median_ratio(rates['limit-b512'][CEILING], limits):.0f} %"
        results.append((LIMIT_GOAL, f"{fastest(limit, TENSORFLOW)}: {share:.0f} % "
                                    f"(side by side with the matmul{ceiling})", share >= 90))
    keras = groups.get("keras-b32", {})
    fast = [m for m, r in keras.items() if r.family == "keras" and m != "fit"]
    if fast and "fit" in keras:
        ratio = median_ratio(best_per_round(rates["keras-b32"], fast), rates["keras-b32"]["fit"])
        results.append((KERAS_GOAL, f"{fastest({m: keras[m] for m in fast}, ('keras',))}: {ratio:.1f}× "
                                    f"(side by side)", ratio >= 3))
    return results
