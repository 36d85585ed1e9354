"""Functional API: a new Input, the model called on it, a Softmax on top.
"""

import keras


def probability_model(model):
    inputs = keras.Input(shape=model.input_shape[1:])
    outputs = keras.layers.Softmax()(model(inputs))
    return keras.Model(inputs=inputs, outputs=outputs)
