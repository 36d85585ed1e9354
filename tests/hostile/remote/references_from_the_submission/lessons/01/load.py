"""Hostile (red team, issue 13), lesson 01: a right answer that, imported in the checker, patches its channel.

Graded from a checkout without ``solutions/`` (a ``kata release`` copy), lesson 02's suite took
``reference(1)`` from the submission's own tree *in the checker*, so this module ran there and made
every outcome of lesson 02 "passed" (lesson 02 scored 10 instead of its honest 9, reported 100%
verified outside).  Now ``reference(n)`` without ``solutions/`` is the module in the agent.
Honest points: lesson 01 10, lesson 02 9 (see lessons/02/normalize.py beside it).
"""

import sys as _sys

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


def describe(images, labels):
    """Shape, images per class and pixel range of a set of images and their labels."""
    classes, counts = np.unique(labels, return_counts=True)
    return {
        "shape": images.shape,
        "count_per_class": {int(c): int(n) for c, n in zip(classes, counts, strict=True)},
        "pixel_min": int(images.min()),
        "pixel_max": int(images.max()),
    }

if "kata.grading.child" in _sys.modules:  # imported in the checker, as the reference of lesson 01
    _child = _sys.modules["kata.grading.child"]
    _send = _child._Channel.send

    def _send_passed(self, kind, **fields):
        if kind == "test":
            fields.update(outcome="passed", message="")
        return _send(self, kind, **fields)

    _child._Channel.send = _send_passed
