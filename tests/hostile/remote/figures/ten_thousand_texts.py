"""Hostile (red-team review 2, issue 13): Lesson 02's reference, with the agent's figure describer replaced: 1,000 texts in each axes (within the per-axes limit of 20,000): 10,000 in the ten subplots lesson 02's tick test asks for. The review's attack put 10,000 in each: before the fix the checker drew them (minutes); now refused past 5,000 drawn things per description, as this one is.
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


import kata.remote.figures as _figures  # noqa: E402  (the attack, below the reference it extends)

_real = _figures.describe_figure


def _forged(fig, **kwargs):
    d = _real(fig, **kwargs)
    for ax in d["axes"]:
        text = dict(ax["title"], text="x" * 10)
        ax["texts"] = [dict(text, x=float(i)) for i in range(1000)]
    return d


_figures.describe_figure = _forged
