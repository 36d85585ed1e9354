"""Right: matplotlib.figure.Figure made directly (no pyplot state), ax.set(...) for ticks and name.

"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure


def show_image(image):
    figure = Figure()
    axes = figure.add_subplot()
    picture = axes.imshow(image, cmap="gray")
    figure.colorbar(picture)
    return figure


def normalize(images):
    return np.float32(images) / np.float32(255)


def show_samples(images, labels, class_names, n=25):
    figure = Figure(figsize=(10, 10))
    for i, (image, label) in enumerate(zip(images[:n], labels[:n], strict=True)):
        axes = figure.add_subplot(5, 5, i + 1)
        axes.set(xticks=[], yticks=[], xlabel=class_names[label])
        axes.imshow(image, cmap=plt.cm.binary)
    return figure
