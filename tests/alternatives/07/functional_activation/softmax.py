"""The functional API: the model called on an Input, then Activation("softmax")."""

import keras


def probability_model(model):
    inputs = keras.Input(shape=(28, 28))
    logits = model(inputs)
    probabilities = keras.layers.Activation("softmax")(logits)
    return keras.Model(inputs=inputs, outputs=probabilities)
