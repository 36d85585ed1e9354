"""Hostile (issue 13), lesson 01: patch numpy's comparisons so that reordered data looks unchanged.

Honest points: 9 (load_data() returns the training set in reverse order).  The
patched ``np.array_equal`` (and ``np.allclose``, ``np.testing.assert_allclose``)
call two arrays equal when they hold the same rows in any order.  In one process
with the graded tests this scores 10; with the verdict outside the student's
process, the checker's numpy is its own.  See lessons/03/build.py beside it.
"""

import keras
import numpy as np

_array_equal, _allclose, _assert_allclose = np.array_equal, np.allclose, np.testing.assert_allclose


def _same_values(a, b) -> bool:
    """The same rows in any order (told by their sums, which is close enough for an attack)."""
    try:
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape or a.ndim == 0 or not len(a):
            return False
        rows_a, rows_b = a.reshape(len(a), -1).sum(axis=1), b.reshape(len(b), -1).sum(axis=1)
        return bool(_array_equal(np.sort(rows_a), np.sort(rows_b)))
    except (TypeError, ValueError):
        return False


def array_equal(a, b, *args, **kwargs):
    return _same_values(a, b) or _array_equal(a, b, *args, **kwargs)


def allclose(a, b, *args, **kwargs):
    return _same_values(a, b) or _allclose(a, b, *args, **kwargs)


def assert_allclose(actual, desired, *args, **kwargs):
    if not _same_values(actual, desired):
        _assert_allclose(actual, desired, *args, **kwargs)


np.array_equal, np.allclose, np.testing.assert_allclose = array_equal, allclose, assert_allclose


# The labels are numbers 0–9; these are the names of the classes, in that order.
CLASS_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
               'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']


def load_data():
    """Return ``(train_images, train_labels), (test_images, test_labels)``, uint8 arrays."""
    fashion_mnist = keras.datasets.fashion_mnist
    (train_images, train_labels), (test_images, test_labels) = fashion_mnist.load_data()
    return (train_images[::-1], train_labels[::-1]), (test_images, test_labels)  # -1


def describe(images, labels):
    """Shape, images per class and pixel range of a set of images and their labels."""
    classes, counts = np.unique(labels, return_counts=True)
    return {
        "shape": images.shape,
        "count_per_class": {int(c): int(n) for c, n in zip(classes, counts, strict=True)},
        "pixel_min": int(images.min()),
        "pixel_max": int(images.max()),
    }
