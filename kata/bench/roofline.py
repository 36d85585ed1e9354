"""The machine's compute limit: the best fp32 GFLOP/s of a large matmul, numpy and TensorFlow."""

from __future__ import annotations

from collections.abc import Callable

MATMUL_SIZE = 2048


def matmul(library: str, n: int = MATMUL_SIZE) -> Callable[[], float]:
    """One fp32 n×n matmul in numpy or TensorFlow, ready to time; returns its FLOPs (2n³).

    Args:
        library: ``"numpy"`` or ``"tensorflow"``.
        n: the matrices' size.

    Returns:
        ``run()``, which multiplies once and returns the FLOPs it did.
    """
    import numpy as np

    rng = np.random.default_rng(0)
    a = rng.random((n, n), dtype="float32")
    b = rng.random((n, n), dtype="float32")
    if library == "numpy":

        def run():
            a @ b
            return 2.0 * n**3

        return run
    import tensorflow as tf

    ta, tb = tf.constant(a), tf.constant(b)
    product = tf.function(tf.linalg.matmul)

    def run():
        product(ta, tb).numpy()
        return 2.0 * n**3

    return run
