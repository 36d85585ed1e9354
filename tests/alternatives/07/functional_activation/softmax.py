"""The functional API: the model called on an Input, then Activation("softmax")."""

import keras


def probability_model(model):
    inputs = keras.Input(shape=model.input_shape[1:])
    logits = model(inputs)
    probabilities = keras.layers.Activation("softmax")(logits)
    return keras.Model(inputs=inputs, outputs=probabilities)
