"""The same layers written with Keras' functional API instead of Sequential."""

import keras


def build_model():
    inputs = keras.Input(shape=(28, 28))
    x = keras.layers.Flatten()(inputs)
    x = keras.layers.Dense(128, activation="relu")(x)
    outputs = keras.layers.Dense(10)(x)
    return keras.Model(inputs=inputs, outputs=outputs)
