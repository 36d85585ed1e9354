"""A Dropout(0.2) layer copied from TensorFlow's beginner quickstart.

Expect: Dropout
"""

import keras


def build_model():
    model = keras.Sequential([
        keras.Input(shape=(28, 28)),
        keras.layers.Flatten(),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dropout(0.2),
        keras.layers.Dense(10),
    ])
    return model
