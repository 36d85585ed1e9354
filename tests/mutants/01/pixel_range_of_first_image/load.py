"""describe() measures the pixel range on the first image only.

images[0] happens to span 0-255 in the training data; a slice or a dimmed copy does not.
Expect: first image only
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
        "pixel_min": int(images[0].min()),
        "pixel_max": int(images[0].max()),
    }
