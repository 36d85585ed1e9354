"""Lesson 01 · load the data.

Guide: docs/lessons/01-load.md · run the checks: pytest lessons/01 · stuck? kata hint 1
"""

import keras  # noqa: F401  (you will need it)
import numpy as np  # noqa: F401  (you will need it)

# The 10 class names, in label order: CLASS_NAMES[0] is the name of label 0
# ('T-shirt/top'), ..., CLASS_NAMES[9] the name of label 9 ('Ankle boot').
CLASS_NAMES = None  # TODO: a list of the tutorial's 10 class names


def load_data():
    """Load Fashion-MNIST exactly as ``keras.datasets.fashion_mnist.load_data()`` gives it.

    Returns ``(train_images, train_labels), (test_images, test_labels)``:

    - ``train_images``: uint8 array of shape (60000, 28, 28), pixels 0–255;
    - ``train_labels``: uint8 array of shape (60000,), class numbers 0–9;
    - ``test_images``, ``test_labels``: the same for the 10,000 test images.

    Example::

        (train_images, train_labels), (test_images, test_labels) = load_data()
        train_images.shape          # (60000, 28, 28)
        CLASS_NAMES[train_labels[0]]  # 'Ankle boot'
    """
    raise NotImplementedError("lesson 01: load_data() is not written yet — see docs/lessons/01-load.md")


def describe(images, labels):
    """Describe a set of images and their labels as a dict with these keys:

    - ``"shape"``: the shape of ``images``, a tuple such as ``(60000, 28, 28)``;
    - ``"count_per_class"``: a dict ``{label: how many images have that label}``
      for every label that occurs, with plain ints, e.g. ``{0: 6000, 1: 6000, ...}``;
    - ``"pixel_min"``, ``"pixel_max"``: the smallest and largest pixel value in
      ``images``, plain ints (0 and 255 for the raw data).

    Example::

        info = describe(train_images, train_labels)
        info["shape"]               # (60000, 28, 28)
        info["count_per_class"][9]  # 6000 ankle boots
    """
    raise NotImplementedError("lesson 01: describe() is not written yet — see docs/lessons/01-load.md")
