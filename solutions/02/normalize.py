"""Lesson 02 · scale the pixels and look at them — reference solution.

The pixels are whole numbers from 0 to 255.  The network learns better from
small numbers, so every pixel is divided by 255: 0 stays 0, 255 becomes 1.
Before that, the first image is drawn on its own with a colorbar, to see
the raw pixel values.  Then 25 training images are drawn with their class
names, to check that the data looks right before training on it.
"""

import matplotlib.pyplot as plt
import numpy as np


def show_image(image):
    """Draw one image with a colorbar beside it and no grid; return the figure."""
    figure = plt.figure()
    plt.imshow(image)
    plt.colorbar()
    plt.grid(False)
    return figure


def normalize(images):
    """Return the images as float32 values from 0 to 1 (a new array; the input is untouched)."""
    return (images / 255.0).astype(np.float32)


def show_samples(images, labels, class_names, n=25):
    """Draw the first ``n`` images in a 5×5 grid, each with its class name under it."""
    figure = plt.figure(figsize=(10, 10))
    for i in range(n):
        plt.subplot(5, 5, i + 1)
        plt.xticks([])
        plt.yticks([])
        plt.grid(False)
        plt.imshow(images[i], cmap=plt.cm.binary)
        plt.xlabel(class_names[labels[i]])
    return figure
