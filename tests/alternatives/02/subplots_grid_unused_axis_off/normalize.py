"""Right: plt.subplots(5, 5) filled through axes.flat; the cells past n switched off with ax.axis("off").

A 5×5 grid made at once has 25 cells; with n=10 the 15 cells no image is drawn in would show
empty boxes with ticks, so each is switched off. normalize() converts first and divides after,
on a copy (astype makes one), so float32 input is left as it was.
"""

import matplotlib.pyplot as plt
import numpy as np


def show_image(image):
    figure, ax = plt.subplots()
    picture = ax.imshow(image)
    figure.colorbar(picture, ax=ax)
    ax.grid(False)
    return figure


def normalize(images):
    scaled = np.array(images, dtype=np.float32)  # always a new array
    scaled /= 255
    return scaled


def show_samples(images, labels, class_names, n=25):
    figure, axes = plt.subplots(5, 5, figsize=(10, 10))
    for i, ax in enumerate(axes.flat):
        if i >= n:
            ax.axis("off")
            continue
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        ax.imshow(images[i], cmap=plt.cm.binary)
        ax.set_xlabel(class_names[labels[i]])
    return figure
