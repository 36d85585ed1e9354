"""Returns a plain Python function computing the softmax instead of a Keras model (no .predict).

Expect: Keras model
"""

import keras


def probability_model(model):
    def prob(images):
        return keras.ops.softmax(model(images))
    return prob
