"""keras.Input(shape=(28, 28, 1)), a CNN habit: the model wants a channel axis the data doesn't have.

Expect: (28, 28)
"""

import keras


def build_model():
    model = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        keras.layers.Flatten(),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10),
    ])
    return model
