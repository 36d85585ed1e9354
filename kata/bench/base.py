"""What every recipe stands on: the data, the tutorial's model and loss, a timed run.

TensorFlow, PyTorch and JAX are imported only inside the functions that need them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

STEPS_PER_EXECUTION = 64
LEARNING_RATE = 0.001  # Keras' Adam default, as the tutorial uses it


@dataclass
class Data:
    """Fashion-MNIST scaled to [0, 1] as float32, the labels as int32."""

    train_images: object
    train_labels: object
    test_images: object
    test_labels: object


def load(n_train: int | None = None) -> Data:
    """The data set, scaled, with only the first ``n_train`` training images when given.

    Args:
        n_train: how many training images to keep (default: all 60,000).

    Returns:
        A :class:`Data`.
    """
    import numpy as np

    from kata import data

    (train_images, train_labels), (test_images, test_labels) = data.cached_load_data()
    n_train = n_train or len(train_images)
    return Data(
        train_images=(train_images[:n_train] / np.float32(255.0)).astype("float32"),
        train_labels=train_labels[:n_train].astype("int32"),
        test_images=(test_images / np.float32(255.0)).astype("float32"),
        test_labels=test_labels.astype("int32"),
    )


@dataclass
class Run:
    """One configuration, built and ready to time.

    Calling it trains once over the data and returns the number of images used.

    Args:
        step: the function that trains once.
        model: the model it trains, when it has one (time to accuracy tests it).
        batch_size: the batch size it chose, when the recipe chooses (lesson 11).
    """

    step: Callable[[], int]
    model: object = None
    batch_size: int | None = None

    def __call__(self) -> int:
        return self.step()


def tutorial_model():
    """The tutorial's model: Input(28, 28) → Flatten → Dense(128, relu) → Dense(10).

    Written here rather than taken from ``solutions/``, so that ``kata bench``
    runs in a student copy too.
    """
    import keras

    return keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10),
        ]
    )


def tutorial_loss():
    import keras

    return keras.losses.SparseCategoricalCrossentropy(from_logits=True)


def batched(data: Data, batch_size: int):
    """The training images as whole batches: shapes (steps, batch, 28, 28) and (steps, batch).

    Args:
        data: the images.
        batch_size: images per batch; the last partial batch is left out.

    Returns:
        ``(images, labels)`` as NumPy arrays.
    """
    steps = len(data.train_images) // batch_size
    n = steps * batch_size
    images = data.train_images[:n].reshape(steps, batch_size, 28, 28)
    labels = data.train_labels[:n].reshape(steps, batch_size)
    return images, labels


def epoch_loop(train_step, steps: int, jit_compile: bool):
    """One ``tf.function`` that runs ``train_step`` over a whole pre-batched epoch.

    ``for i in tf.range(steps)`` becomes a ``tf.while_loop``: Python runs once per
    epoch instead of once per batch; with ``jit_compile=True`` XLA compiles the loop
    together with the step.

    Args:
        train_step: ``(images, labels) -> loss`` for one batch, traceable by ``tf.function``.
        steps: batches per epoch.
        jit_compile: compile with XLA (otherwise the graph runs oneDNN's kernels).

    Returns:
        ``train_epoch(images, labels)`` over tensors shaped (steps, batch, ...); it returns
        the last batch's loss.
    """
    import tensorflow as tf

    @tf.function(jit_compile=jit_compile)
    def train_epoch(images, labels):
        loss = tf.constant(0.0)
        for i in tf.range(steps):
            loss = train_step(images[i], labels[i])
        return loss

    return train_epoch


def pre_batched_run(model, train_step, data: Data, batch_size: int, jit_compile: bool) -> Run:
    """A :class:`Run` that trains one epoch per call, in the same batch order every epoch.

    Args:
        model: the model ``train_step`` trains (kept on the run for its accuracy).
        train_step: ``(images, labels) -> loss`` for one batch.
        data: the images to train on.
        batch_size: images per step (the last partial batch is left out).
        jit_compile: compile the epoch with XLA.

    Returns:
        The ready run; each call returns the images it trained on.
    """
    import tensorflow as tf

    images, labels = (tf.constant(a) for a in batched(data, batch_size))
    steps = int(images.shape[0])
    train_epoch = epoch_loop(train_step, steps, jit_compile)

    def run():
        float(train_epoch(images, labels))
        return steps * batch_size

    return Run(run, model=model)
