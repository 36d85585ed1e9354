"""Hostile (red-team review 2, issue 13): describe() raises an exception whose __str__ calls itself. Honest: 6/10. Before the fix, pytest in one process stopped with an INTERNALERROR in kata.explain (no score); through the wire it was 6.
"""
import keras

# The labels are numbers 0–9; these are the names of the classes, in that order.
CLASS_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
               'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']


def load_data():
    """Return ``(train_images, train_labels), (test_images, test_labels)``, uint8 arrays."""
    fashion_mnist = keras.datasets.fashion_mnist
    (train_images, train_labels), (test_images, test_labels) = fashion_mnist.load_data()
    return (train_images, train_labels), (test_images, test_labels)


class Loop(ValueError):
    def __str__(self):
        return str(self)


def describe(images, labels):
    error = Loop()
    error.args = (error,)
    raise error
