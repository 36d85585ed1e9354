"""Hostile (issue 13), lesson 01: patch the channel and the plugin's report to say "passed".

Honest points: 8 (a class name is wrong).  See lessons/03/build.py beside it.
"""

import keras
import numpy as np

import kata.grading.child
import kata.report

_send = kata.grading.child._Channel.send


def _send_passed(self, kind, **fields):
    if kind == "test":
        fields.update(outcome="passed", message="")
    return _send(self, kind, **fields)


kata.grading.child._Channel.send = _send_passed
_add = kata.report.Report.add


def _add_as_passed(self, result):
    result.outcome, result.earned, result.message = "passed", result.points, ""
    _add(self, result)


kata.report.Report.add = _add_as_passed


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
