"""Right: object-oriented matplotlib, ticks hidden with ax.tick_params, np.divide with dtype.

"""

import matplotlib.pyplot as plt
import numpy as np


def show_image(image):
    figure, axes = plt.subplots()
    picture = axes.imshow(image)
    figure.colorbar(picture, ax=axes)
    axes.grid(False)
    return figure


def normalize(images):
    return np.divide(images, 255, dtype=np.float32)


def show_samples(images, labels, class_names, n=25):
    figure = plt.figure(figsize=(10, 10))
    for i in range(n):
        axes = figure.add_subplot(5, 5, i + 1)
        axes.tick_params(left=False, bottom=False, labelleft=False, labelbottom=False)
        axes.imshow(images[i], cmap="binary")
        axes.set_xlabel(class_names[labels[i]])
    return figure
