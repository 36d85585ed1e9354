"""Hostile (red team), lesson 01: right answers; the agent also leaves a file in the exchange folder's root.

The checker empties only its own folder in the exchange (``kata-exchange-*``), and the preloader
emptied ``/tmp`` and ``/dev/shm`` but not the exchange: what a run wrote beside its folder (or a
run stopped before its checker cleaned up) stayed for the next run of the sandbox, though the
design said "emptied after each run".  See lessons/02/normalize.py beside it.
"""

from pathlib import Path

import keras
import numpy as np

_EXCHANGE = Path("/kata/exchange")  # the sandbox's exchange folder (bubblewrap)
if _EXCHANGE.is_dir():
    (_EXCHANGE / "left-by-lesson-01").write_bytes(b"x" * (64 << 20))  # 64 MiB of the sandbox's RAM


# The labels are numbers 0–9; these are the names of the classes, in that order.
CLASS_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
               'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']


def load_data():
    """Return ``(train_images, train_labels), (test_images, test_labels)``, uint8 arrays."""
    fashion_mnist = keras.datasets.fashion_mnist
    (train_images, train_labels), (test_images, test_labels) = fashion_mnist.load_data()
    return (train_images, train_labels), (test_images, test_labels)


def describe(images, labels):
    """Shape, images per class and pixel range of a set of images and their labels."""
    classes, counts = np.unique(labels, return_counts=True)
    return {
        "shape": images.shape,
        "count_per_class": {int(c): int(n) for c, n in zip(classes, counts, strict=True)},
        "pixel_min": int(images.min()),
        "pixel_max": int(images.max()),
    }
