"""keras.Input(shape=(784,)): the input declared as an already-flattened row of pixels.

The images are 28×28; the model refuses them (and Flatten has nothing left to do).
Expect: (None, 28, 28)
"""

import keras


def build_model():
    model = keras.Sequential([
        keras.Input(shape=(784,)),
        keras.layers.Flatten(),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10),
    ])
    return model
