"""Right: cmap="gray_r", matplotlib's gray reversed: the same white-to-black colours as binary."""

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
        plt.imshow(images[i], cmap="gray_r")
        plt.xlabel(class_names[labels[i]])
    return figure
