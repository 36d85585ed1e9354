"""A right answer written differently: tf.keras, a tuple of names, collections.Counter."""

from collections import Counter

import tensorflow as tf

CLASS_NAMES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
               "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")


def load_data():
    train, test = tf.keras.datasets.fashion_mnist.load_data()
    return train, test


def describe(images, labels):
    return {
        "shape": tuple(images.shape),
        "count_per_class": dict(sorted(Counter(labels.tolist()).items())),
        "pixel_min": images.min().item(),
        "pixel_max": images.max().item(),
    }
