"""tf.keras, the wrapper built with add(): the trained model first, then a Softmax layer."""

import tensorflow as tf


def probability_model(model):
    prob_model = tf.keras.Sequential()
    prob_model.add(model)
    prob_model.add(tf.keras.layers.Softmax())
    return prob_model
