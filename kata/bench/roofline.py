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


def step_shapes(batch_size: int) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The five matmuls one training step of the tutorial's model does, as ``(a.shape, b.shape)`` pairs.

    Forward: images × kernel 1, hidden × kernel 2.  Backward: the gradient of
    the logits × kernel 2ᵀ (for the hidden layer), hiddenᵀ × that gradient
    (kernel 2's gradient), imagesᵀ × the hidden layer's gradient (kernel 1's).
    The images need no gradient, so there is no sixth.

    Args:
        batch_size: images per step.

    Returns:
        Five ``((m, k), (k, n))`` pairs.
    """
    b = batch_size
    return [((b, 784), (784, 128)), ((b, 128), (128, 10)),
            ((b, 10), (10, 128)), ((128, b), (b, 10)), ((784, b), (b, 128))]


def step_matmuls(library: str, batch_size: int, steps: int = 16) -> Callable[[], float]:
    """The five matmuls of :func:`step_shapes`, back to back, ``steps`` times: the ceiling of any recipe.

    A training step can't be faster than its matmuls; timing them alone, at
    the step's shapes, says how much of the 2048² matmul's rate (the limit)
    a recipe could reach at best.

    Args:
        library: ``"numpy"`` or ``"tensorflow"`` (oneDNN, in one ``tf.function``).
        batch_size: images per step.
        steps: steps per call (one call then takes a few milliseconds).

    Returns:
        ``run()``, which multiplies ``steps`` times and returns the images those steps would train.

    Example:
        >>> run = step_matmuls("numpy", 512)  # doctest: +SKIP
        >>> run()  # 16 steps of 512 images  # doctest: +SKIP
        8192
    """
    import numpy as np

    rng = np.random.default_rng(0)
    pairs = [(rng.random(a, dtype="float32"), rng.random(b, dtype="float32")) for a, b in step_shapes(batch_size)]
    if library == "numpy":

        def run():
            for _ in range(steps):
                for a, b in pairs:
                    a @ b
            return steps * batch_size

        return run
    import tensorflow as tf

    tensors = [(tf.constant(a), tf.constant(b)) for a, b in pairs]

    @tf.function
    def products():
        total = tf.constant(0.0)
        for _ in tf.range(steps):
            for a, b in tensors:  # each product feeds the total: none can be skipped
                total += tf.linalg.matmul(a, b)[0, 0]
        return total

    def run():
        float(products())
        return steps * batch_size

    return run
