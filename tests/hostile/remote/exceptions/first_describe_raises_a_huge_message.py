"""Hostile (red-team review 2, issue 13): describe() raises a ValueError of 80 MB on its first call only. Honest: 9/10. Before the fix the reply was over the frame limit: the agent ended, kata grade gave 0.
"""

import keras
import numpy as np

# The labels are numbers 0–9; these are the names of the classes, in that order.
CLASS_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
               'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']


def load_data():
    """Return ``(train_images, train_labels), (test_images, test_labels)``, uint8 arrays."""
    fashion_mnist = keras.datasets.fashion_mnist
    (train_images, train_labels), (test_images, test_labels) = fashion_mnist.load_data()
    return (train_images, train_labels), (test_images, test_labels)


def _describe(images, labels):
    """Shape, images per class and pixel range of a set of images and their labels."""
    classes, counts = np.unique(labels, return_counts=True)
    return {
        "shape": images.shape,
        "count_per_class": {int(c): int(n) for c, n in zip(classes, counts, strict=True)},
        "pixel_min": int(images.min()),
        "pixel_max": int(images.max()),
    }


_calls = []


def describe(images, labels):
    _calls.append(1)
    if len(_calls) == 1:  # the first call only: the honest score is 9 (that test's point)
        raise ValueError('x' * 80_000_000)
    return _describe(images, labels)
