"""Hostile: conftest, ini files, a ``kata`` package and ``sitecustomize`` beside the lesson.

Honest points: 8 (64 hidden units: lesson 03 names that one mistake once).  None of the other files is read.
"""

import keras


def build_model():
    """The tutorial's model: Input(28, 28) → Flatten → Dense(128, relu) → Dense(10)."""
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(64, activation="relu"),  # an honest mistake: -4
            keras.layers.Dense(10),
        ]
    )
    return model
