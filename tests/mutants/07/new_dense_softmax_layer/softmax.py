"""Adds a new, untrained Dense(10, activation='softmax') layer on top instead of a Softmax layer.

Expect: softmax of
"""

import keras


def probability_model(model):
    return keras.Sequential([model, keras.layers.Dense(10, activation="softmax")])
