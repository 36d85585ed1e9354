"""The output is followed by a Softmax layer: the model gives probabilities, not logits.

Expect: softmax
"""

import keras


def build_model():
    model = keras.Sequential([
        keras.Input(shape=(28, 28)),
        keras.layers.Flatten(),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10),
        keras.layers.Softmax(),
    ])
    return model
