"""describe() returns numpy uint8 numbers for the pixel range instead of plain ints.

np.uint8(255) + 1 wraps around to 0: the contract asks for plain ints.
Expect: plain Python int
"""

import keras
import numpy as np

CLASS_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
               'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']


def load_data():
    return keras.datasets.fashion_mnist.load_data()


def describe(images, labels):
    classes, counts = np.unique(labels, return_counts=True)
    return {
        "shape": images.shape,
        "count_per_class": {int(c): int(n) for c, n in zip(classes, counts, strict=True)},
        "pixel_min": images.min(),
        "pixel_max": images.max(),
    }
