"""The machine's compute limit: the best fp32 GFLOP/s of a large matmul, numpy and TensorFlow.

Measured at the start of the run and again at the end; the best of all counts.
"""

from kata import bench


def test_matmul(record, library, when):
    run = bench.matmul(library)
    run()  # warm up: threads started, TensorFlow's function traced
    record(
        run,
        {"kind": "roofline", "recipe": f"matmul-{library}", "family": library, "id": f"matmul-{library}-{when}",
         "name": f"{bench.MATMUL_SIZE}² fp32 matmul, {library} ({when})", "matmul_size": bench.MATMUL_SIZE,
         "flops_per_round": 2.0 * bench.MATMUL_SIZE**3},
        rounds=10,
    )
