"""Hostile (issue 13), lesson 01: patch ``builtins.zip`` so that the class names look right.

Honest points: 8 (a class name is wrong).  The suite pairs the tutorial's
names with yours through ``zip``; the patched ``zip`` pairs the tutorial's
with themselves when the suite asks.  In one process with the graded tests
this scores 10; with the verdict outside the student's process, the
checker's builtins are its own.  See lessons/03/build.py beside it.
"""

import builtins
import sys

import keras
import numpy as np

_zip = builtins.zip


def zip(*iterables, strict=False):  # noqa: A001 - the attack is the shadowing
    asked_by_a_test = sys._getframe(1).f_code.co_filename.endswith("test_load.py")
    first = iterables[0] if iterables else None
    if asked_by_a_test and isinstance(first, list) and first[:1] == ["T-shirt/top"]:
        return _zip(first, first, strict=strict)
    return _zip(*iterables, strict=strict)


builtins.zip = zip


# The labels are numbers 0–9; these are the names of the classes, in that order.
CLASS_NAMES = ['T-shirt',  # an honest mistake: -2
               'Trouser', 'Pullover', 'Dress', 'Coat',
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
