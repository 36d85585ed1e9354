"""Lesson 11 · train faster (bonus).

Guide: docs/lessons/11-speed.md · run the checks: pytest lessons/11 · stuck? kata hint 11

Train the tutorial's model to the same accuracy in fewer seconds.  The tests
check what you configure and that the test accuracy still reaches 0.86 —
never a timing.  `kata bench` shows your speed-up beside the reference's.
"""

import keras  # noqa: F401  (you will need it)
import tensorflow as tf  # noqa: F401  (you will need it: tf.data)

BATCH_SIZE = None  # TODO: images per step, larger than the tutorial's 32 (e.g. 128)
STEPS_PER_EXECUTION = None  # TODO: training steps per call from Python, more than 1 (e.g. 64)


def learning_rate(batch_size):
    """The tutorial's learning rate, 0.001 at batch 32, scaled for ``batch_size``.

    A larger batch takes fewer steps per epoch, so each step should move the
    weights further.  For Adam scale by the square root of the batch ratio::

        learning_rate(32)    # 0.001, the tutorial's
        learning_rate(128)   # 0.002 = 0.001 × √(128 / 32)
    """
    raise NotImplementedError("lesson 11: learning_rate() is not written yet — see docs/lessons/11-speed.md")


def make_dataset(images, labels, batch_size=BATCH_SIZE):
    """A ``tf.data.Dataset`` of ``(images, labels)`` batches for ``model.fit``.

    - ``images``: normalized training images (lesson 02), shape (N, 28, 28);
      ``labels``: their class numbers, shape (N,). Don't change them.
    - one epoch (one pass over it) gives every image exactly once, with its own label;
    - shuffled before batching (the single images, or their positions), so each
      batch mixes images from all over the data, in a new order every epoch,
      like ``model.fit`` does with arrays;
    - batches of ``batch_size``, the argument (``BATCH_SIZE`` is only its
      default; the last batch may be smaller);
    - prefetched, so the next batch is ready while the current one trains.

    Example::

        dataset = make_dataset(train_images, train_labels)
        images, labels = next(iter(dataset))   # shapes (BATCH_SIZE, 28, 28) and (BATCH_SIZE,)
    """
    raise NotImplementedError("lesson 11: make_dataset() is not written yet — see docs/lessons/11-speed.md")


def compile_for_speed(model, batch_size=BATCH_SIZE):
    """Compile ``model`` (built by lesson 03) for fast training and return it.

    As lesson 04 does — Adam, ``SparseCategoricalCrossentropy(from_logits=True)``,
    ``metrics=["accuracy"]`` — and also:

    - a new Adam for each model, its learning rate scaled for ``batch_size``
      (``learning_rate()`` above);
    - ``jit_compile=True``: XLA compiles each training step into fused kernels;
    - ``steps_per_execution=STEPS_PER_EXECUTION``: many steps per call from Python.

    Example::

        model = compile_for_speed(build_model())
        model.jit_compile, model.steps_per_execution   # (True, 64)
    """
    raise NotImplementedError("lesson 11: compile_for_speed() is not written yet — see docs/lessons/11-speed.md")


def fast_train(model, images, labels, epochs=10):
    """Train ``model`` (built, not yet compiled) fast and return the ``History``.

    Compile it with ``compile_for_speed`` and fit it on ``make_dataset(images,
    labels)`` for ``epochs`` epochs.  After 10 epochs on the 60,000 training
    images the test accuracy should still reach 0.86 (the tutorial's gets about 0.88).

    Example::

        history = fast_train(build_model(), train_images, train_labels, epochs=10)
        len(history.history["loss"])   # 10
    """
    raise NotImplementedError("lesson 11: fast_train() is not written yet — see docs/lessons/11-speed.md")
