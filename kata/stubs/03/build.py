"""Lesson 03 · build the model.

Guide: docs/lessons/03-build.md · run the checks: pytest lessons/03 · stuck? kata hint 3
"""

import keras  # noqa: F401  (you will need it)


def build_model():
    """Return the tutorial's model as a ``keras.Sequential``.

    Layers, in order:

    1. ``keras.Input(shape=(28, 28))`` — one 28×28 image per example;
    2. ``Flatten`` — the image as a row of 784 numbers;
    3. ``Dense(128, activation="relu")`` — the hidden layer;
    4. ``Dense(10)`` — one score (a logit) per class, **no** activation.

    The model has 101,770 trainable parameters.

    Example::

        model = build_model()
        model.summary()
        model(train_images[:1]).shape   # (1, 10)
    """
    raise NotImplementedError("lesson 03: build_model() is not written yet — see docs/lessons/03-build.md")
