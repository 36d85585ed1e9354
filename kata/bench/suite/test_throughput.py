"""Training throughput of each configuration: images per second over whole rounds of training."""

import importlib.util

import pytest

from kata import bench
from kata.impl import ImplError


def test_throughput(record, config, bench_data, bench_plan):
    peer = bench.peer_module(config)
    if peer and importlib.util.find_spec(peer) is None:
        pytest.skip(f"{peer} is not installed (optional: pip install -e '.[bench-peers]')")
    try:
        run = bench.prepare(config, bench_data)
    except NotImplementedError as error:
        pytest.skip(f"{config.name}: not written yet, nothing to measure ({error})")
    except ImplError as error:
        pytest.skip(f"{config.name}: {error}")
    batch_size = run.batch_size or config.batch_size
    samples = run()  # warm up (tracing, XLA compiling) and count the images in a round
    record(
        run,
        {"kind": "throughput", "recipe": config.recipe, "family": config.family, "id": config.id,
         "name": config.name, "batch_size": batch_size, "samples_per_round": samples},
        rounds=bench_plan.rounds,
        warmup_rounds=bench_plan.warmup_rounds - 1,
    )
