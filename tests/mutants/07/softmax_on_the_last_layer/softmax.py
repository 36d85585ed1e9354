"""Switches the caller's last Dense layer to a softmax activation instead of wrapping: the model no longer outputs logits.

Expect: logits
"""

import keras


def probability_model(model):
    model.layers[-1].activation = keras.activations.softmax
    return keras.Sequential([model])
