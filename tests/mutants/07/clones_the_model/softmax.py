"""Clones the model first "to keep the original safe": clone_model copies the layers, not the weights.

Expect: wrap that model
"""

import keras


def probability_model(model):
    copy = keras.models.clone_model(model)
    return keras.Sequential([copy, keras.layers.Softmax()])
