"""An empty Sequential, then add(model) and add(Softmax(axis=-1)).
"""

import keras


def probability_model(model):
    prob_model = keras.Sequential()
    prob_model.add(model)
    prob_model.add(keras.layers.Softmax(axis=-1))
    return prob_model
