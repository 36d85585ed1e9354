"""Dense(128) without activation='relu': the hidden layer is linear.

Expect: relu
"""

import keras


def build_model():
    model = keras.Sequential([
        keras.Input(shape=(28, 28)),
        keras.layers.Flatten(),
        keras.layers.Dense(128),
        keras.layers.Dense(10),
    ])
    return model
