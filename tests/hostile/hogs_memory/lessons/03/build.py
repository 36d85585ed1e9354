"""Hostile: take all the memory there is before the tests run.

Honest points: 8.  The run's address space is limited; it gets a
MemoryError, lets go, and its own code is graded.
"""

import keras

_hoard = []
try:
    while True:
        _hoard.append(bytearray(1 << 27))
except MemoryError:
    _hoard.clear()


def build_model():
    """The tutorial's model: Input(28, 28) → Flatten → Dense(128, relu) → Dense(10)."""
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="relu"),  # an honest mistake: -2
        ]
    )
    return model
