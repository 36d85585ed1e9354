# Hostile (tests/test_grading_schedule.py): an honest lesson 03; lesson 07 beside it sends.
"""Lesson 03 · build the model — reference solution.

The tutorial's network: flatten each 28×28 image into 784 numbers, one
hidden layer of 128 ReLU units, and 10 output units, one score (a *logit*)
per class.
"""

import keras


def build_model():
    """Return the tutorial's model: Input(28, 28) → Flatten → Dense(128, relu) → Dense(10).

    The last layer has no activation: it outputs logits, and the loss turns
    them into probabilities (lesson 04).  101,770 parameters in all.
    """
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10),
        ]
    )
    return model
