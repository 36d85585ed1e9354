"""Hidden layer of 64 units instead of 128.

Expect: 128 units
"""

import keras


def build_model():
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(10),
        ]
    )
