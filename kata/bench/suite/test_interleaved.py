"""The goals' configurations timed side by side, round after round (see kata.bench.interleave)."""

import pytest

from kata.bench import interleave


@pytest.mark.parametrize("group", interleave.GROUPS, ids=[g.name for g in interleave.GROUPS])
def test_side_by_side(record, group, bench_data, bench_plan):
    runs = interleave.build(group, bench_data)
    if len(runs) < 2:
        pytest.skip(f"{group.name}: fewer than two of {', '.join(group.members)} can run here")
    for run in runs.values():
        run()  # warm up: tracing, XLA compiling, threads started
    rounds = max(5, 2 * bench_plan.rounds + 1)
    rates: dict[str, list[float]] = {}
    record(
        lambda: rates.update(interleave.round_robin(runs, rounds)),
        {"kind": "interleaved", "group": group.name, "batch_size": group.batch_size,
         "id": f"interleaved-{group.name}"},
        after=lambda: {"rates": rates, "titles": {m: interleave.title(m) for m in rates},
                       "families": {m: interleave.family(m) for m in rates}},
    )
