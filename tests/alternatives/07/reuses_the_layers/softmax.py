"""A Sequential of the model's own layers (shared, not copied) plus a Softmax.
"""

import keras


def probability_model(model):
    return keras.Sequential(model.layers + [keras.layers.Softmax()])
