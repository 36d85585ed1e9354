"""Keras 2 habit: one-hot labels (to_categorical) with lesson 04's sparse loss.

Expect: one-hot
"""

import keras


def train(model, images, labels, epochs=10, batch_size=32):
    one_hot = keras.utils.to_categorical(labels, 10)
    return model.fit(images, one_hot, epochs=epochs, batch_size=batch_size)
