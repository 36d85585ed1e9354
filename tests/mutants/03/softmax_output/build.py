"""Softmax on the last Dense layer, though the loss says from_logits=True.

Expect: logits
"""

import keras


def build_model():
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
