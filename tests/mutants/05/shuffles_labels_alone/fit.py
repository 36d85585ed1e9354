"""Shuffles the labels to mix the data up, but not the images with them: pairs no longer match.

Expect: each image with its own label
"""

import numpy as np


def train(model, images, labels, epochs=10, batch_size=32):
    rng = np.random.default_rng()
    labels = rng.permutation(labels)
    history = model.fit(images, labels, epochs=epochs, batch_size=batch_size)
    return history
