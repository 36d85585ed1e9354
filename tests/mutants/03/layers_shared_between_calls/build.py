"""The layers are made once at module level: every model build_model() returns shares the same weights.

Training a second model changes the first one.
Expect: share
"""

import keras

FLATTEN = keras.layers.Flatten()
HIDDEN = keras.layers.Dense(128, activation="relu")
OUTPUT = keras.layers.Dense(10)


def build_model():
    return keras.Sequential([keras.Input(shape=(28, 28)), FLATTEN, HIDDEN, OUTPUT])
