"""keras.Input(shape=(None, 28, 28)): the batch axis written into the input shape.

Keras adds the batch axis itself; with it in the shape, Flatten can't tell how many numbers
an example has and Dense can't be built.
Expect: batch
"""

import keras


def build_model():
    model = keras.Sequential([
        keras.Input(shape=(None, 28, 28)),
        keras.layers.Flatten(),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10),
    ])
    return model
