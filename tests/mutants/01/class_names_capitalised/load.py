"""CLASS_NAMES written from memory: 'T-Shirt/Top' and 'Ankle Boot' capitalised.

Expect: T-shirt/top
"""

import keras
import numpy as np

CLASS_NAMES = ['T-Shirt/Top', 'Trouser', 'Pullover', 'Dress', 'Coat',
               'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle Boot']


def load_data():
    return keras.datasets.fashion_mnist.load_data()


def describe(images, labels):
    classes, counts = np.unique(labels, return_counts=True)
    return {
        "shape": images.shape,
        "count_per_class": {int(c): int(n) for c, n in zip(classes, counts, strict=True)},
        "pixel_min": int(images.min()),
        "pixel_max": int(images.max()),
    }
