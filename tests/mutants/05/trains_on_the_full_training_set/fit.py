"""Trains on the training set loaded at import, not on the images it was given.

Expect: images you were given
"""

import keras

(train_images, train_labels), _ = keras.datasets.fashion_mnist.load_data()
train_images = train_images / 255.0


def train(model, images, labels, epochs=10, batch_size=32):
    return model.fit(train_images, train_labels, epochs=epochs, batch_size=batch_size)
