"""Time to accuracy: seconds of training until the test accuracy first reaches the target."""

from __future__ import annotations

import time

from kata.bench.base import Data
from kata.bench.plan import TARGET_ACCURACY
from kata.bench.recipes import keras_fit, tf_loop

TIME_TO_ACCURACY_RECIPES = {
    "fit": lambda data, batch_size: keras_fit(data, batch_size),
    "tf-loop": lambda data, batch_size: tf_loop(data, batch_size, shuffle=True),
}
"""The recipes time to accuracy can train; ``tf-loop`` shuffles every epoch, as ``fit`` does."""


def test_accuracy(model, data: Data) -> float:
    """The share of test images the model classifies right."""
    import numpy as np

    logits = np.asarray(model(data.test_images, training=False))
    return float(np.mean(np.argmax(logits, axis=1) == data.test_labels))


def time_to_accuracy(recipe: str, data: Data, target: float = TARGET_ACCURACY, max_epochs: int = 20, batch_size: int = 32) -> dict:
    """Train epoch by epoch until test accuracy reaches ``target``; time training only.

    Returns seconds of training (testing excluded), epochs, the accuracy
    after each epoch, and whether ``target`` was reached.

    Args:
        recipe: a name in :data:`TIME_TO_ACCURACY_RECIPES` (``"fit"`` or ``"tf-loop"``).
        data: the full data set (all 60,000 training images).
        target: the test accuracy to reach.
        max_epochs: give up after this many epochs.
        batch_size: images per step.

    Example:
        >>> time_to_accuracy("tf-loop", load(), max_epochs=12)["reached"]  # doctest: +SKIP
        True
    """
    if recipe not in TIME_TO_ACCURACY_RECIPES:
        raise ValueError(f"no time-to-accuracy recipe {recipe!r}")
    run = TIME_TO_ACCURACY_RECIPES[recipe](data, batch_size)
    seconds, accuracies, samples = 0.0, [], 0
    for _ in range(max_epochs):
        start = time.perf_counter()
        samples += run()
        seconds += time.perf_counter() - start
        accuracies.append(test_accuracy(run.model, data))
        if accuracies[-1] >= target:
            break
    return {
        "seconds": seconds,
        "epochs": len(accuracies),
        "accuracies": accuracies,
        "test_accuracy": accuracies[-1],
        "reached": accuracies[-1] >= target,
        "samples": samples,
    }
