"""Right: Reshape((784,)) instead of Flatten, a ReLU layer, activation=None written out.

"""

import keras


def build_model():
    model = keras.Sequential([
        keras.Input(shape=(28, 28)),
        keras.layers.Reshape((28 * 28,)),
        keras.layers.Dense(units=128),
        keras.layers.ReLU(),
        keras.layers.Dense(units=10, activation=None),
    ])
    return model
