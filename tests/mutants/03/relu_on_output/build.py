"""ReLU on the output layer too: logits can't be negative any more.

Expect: no activation
"""

import keras


def build_model():
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="relu"),
        ]
    )
