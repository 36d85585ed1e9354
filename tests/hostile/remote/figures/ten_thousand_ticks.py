"""Hostile (red-team review 2, issue 13): Lesson 02's reference, with the agent's figure describer replaced: every axes claims 250 major and 250 minor ticks on each axis (within the per-axis limit of 1,000): 1,000 per axes, 10,000 in the ten subplots lesson 02's tick test asks for. The review's attack claimed 1,000 of each (4,000 per axes): before the fix the checker took about 95 s per crossing to draw them; now refused (at most 5,000 drawn things per description), as this one is, at twice the cap and a quarter of the wire's bytes.
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


def _tick(loc, label):
    return {"loc": float(loc), "label": label, "label2": label, "tick1": True, "tick2": True, "grid": True}


def _forged(fig, **kwargs):
    d = _real(fig, **kwargs)
    for ax in d["axes"]:
        for axis in ("xaxis", "yaxis"):
            label = dict(ax[axis]["label"], text="t")
            ax[axis]["major"] = [_tick(i, label) for i in range(250)]
            ax[axis]["minor"] = [_tick(i + 0.5, label) for i in range(250)]
    return d


_figures.describe_figure = _forged
