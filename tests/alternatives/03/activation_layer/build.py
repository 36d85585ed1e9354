"""Right: Dense(128) followed by an Activation('relu') layer.

"""

import keras


def build_model():
    model = keras.Sequential([
        keras.Input(shape=(28, 28)),
        keras.layers.Flatten(),
        keras.layers.Dense(128),
        keras.layers.Activation("relu"),
        keras.layers.Dense(10),
    ])
    return model
