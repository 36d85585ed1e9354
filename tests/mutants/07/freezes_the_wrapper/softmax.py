"""Freezes the wrapper (prob.trainable = False), which freezes the trained model inside it too.

Expect: trainable
"""

import keras


def probability_model(model):
    prob = keras.Sequential([model, keras.layers.Softmax()])
    prob.trainable = False  # only used for predictions
    return prob
