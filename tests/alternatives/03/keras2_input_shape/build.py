"""Right, with a warning: TensorFlow 2.3's Flatten(input_shape=(28, 28)) and no keras.Input.

"""

import keras


def build_model():
    model = keras.Sequential([
        keras.layers.Flatten(input_shape=(28, 28)),
        keras.layers.Dense(128, activation=keras.activations.relu),
        keras.layers.Dense(10, activation="linear"),
    ])
    return model
