"""Sigmoid instead of softmax: each score becomes a number in (0, 1), but the rows don't sum to 1.

Expect: sum to 1
"""

import keras


def probability_model(model):
    return keras.Sequential([model, keras.layers.Activation("sigmoid")])
