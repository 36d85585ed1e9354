"""Accuracy beside speed: time to accuracy, and each recipe's test accuracy after 10 epochs."""

from __future__ import annotations

import time

from kata.bench.base import Data
from kata.bench.plan import ACCURACY_EPOCHS, TARGET_ACCURACY
from kata.bench.recipes import RECIPES, keras_fit, tf_loop

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


def accuracy_after_epochs(recipe: str, data: Data, epochs: int = ACCURACY_EPOCHS, batch_size: int = 32) -> dict:
    """Train a recipe for ``epochs`` epochs on ``data`` and test it: is its speed bought with accuracy?

    Every recipe trains the same model with the same Adam and loss, so after
    the same number of epochs their test accuracies should agree to within the
    run-to-run spread (about ±0.005); one clearly lower would be a recipe that
    is fast because it learns less.

    Args:
        recipe: a name in :data:`kata.bench.recipes.RECIPES` whose run has a model.
        data: the full data set (all 60,000 training images).
        epochs: how many epochs to train.
        batch_size: images per step.

    Returns:
        ``test_accuracy``, ``epochs``, ``seconds`` (of training) and ``samples``.

    Example:
        >>> accuracy_after_epochs("fit-jit-spe-batches", load())["test_accuracy"]  # doctest: +SKIP
        0.889
    """
    run = RECIPES[recipe].build(data, batch_size, "lessons")
    if run.model is None:
        raise ValueError(f"recipe {recipe!r} has no Keras model to test")
    seconds, samples = 0.0, 0
    for _ in range(epochs):
        start = time.perf_counter()
        samples += run()
        seconds += time.perf_counter() - start
    return {"test_accuracy": test_accuracy(run.model, data), "epochs": epochs, "seconds": seconds, "samples": samples}
