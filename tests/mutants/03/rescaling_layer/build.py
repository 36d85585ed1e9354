"""A Rescaling(1/255) layer in the model: lesson 02 already divides by 255, so pixels are divided twice.

Expect: Rescaling
"""

import keras


def build_model():
    model = keras.Sequential([
        keras.Input(shape=(28, 28)),
        keras.layers.Rescaling(1.0 / 255),
        keras.layers.Flatten(),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10),
    ])
    return model
