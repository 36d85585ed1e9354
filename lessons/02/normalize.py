"""Lesson 02 · scale the pixels and look at them.

Guide: docs/lessons/02-normalize.md · run the checks: pytest lessons/02 · stuck? kata hint 2
"""

import matplotlib.pyplot as plt  # noqa: F401  (you will need it)
import numpy as np  # noqa: F401  (you will need it)


def show_image(image):
    """Draw one image with a colorbar beside it, no grid, and return the matplotlib Figure.

    The tutorial's first look at the data: a new figure, the image drawn with
    ``plt.imshow`` (its default colormap, or any other), ``plt.colorbar()``
    beside it saying which colour stands for which pixel value, and
    ``plt.grid(False)``.  Let ``imshow`` pick the colour range itself: it spans
    the image's own smallest to largest pixel, so a raw image's colorbar runs
    from 0 to 255 and a normalized one's from 0 to 1.  Don't change ``image``.
    Return the figure instead of calling ``plt.show()``.

    Example::

        figure = show_image(train_images[0])
        figure.savefig("first_image.png")
    """
    raise NotImplementedError("lesson 02: show_image() is not written yet — see docs/lessons/02-normalize.md")


def normalize(images):
    """Scale pixel values from 0–255 down to 0–1.

    Returns a **new** float32 array of the same shape: every pixel divided by
    255, so 0 stays 0.0 and 255 becomes 1.0.  The array you are given is left
    as it was (it may even be read-only).

    Example::

        train_images = normalize(train_images)
        train_images.dtype   # float32
        train_images.max()   # 1.0
    """
    raise NotImplementedError("lesson 02: normalize() is not written yet — see docs/lessons/02-normalize.md")


def show_samples(images, labels, class_names, n=25):
    """Draw the first ``n`` images (at most 25) in a 5×5 grid and return the matplotlib Figure.

    Like the tutorial: one subplot per image in a 5×5 grid, no ticks on the
    axes, the image drawn with ``cmap=plt.cm.binary``, and its class name
    (``class_names[labels[i]]``) written under it with ``plt.xlabel``.
    Return the figure instead of calling ``plt.show()``.

    Example::

        figure = show_samples(train_images, train_labels, CLASS_NAMES)
        figure.savefig("samples.png")
    """
    raise NotImplementedError("lesson 02: show_samples() is not written yet — see docs/lessons/02-normalize.md")
