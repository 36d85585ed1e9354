"""Forgot the Flatten layer: Dense works on each row of the image, not on the whole image.

Expect: no Flatten layer
"""

import keras


def build_model():
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10),
        ]
    )
