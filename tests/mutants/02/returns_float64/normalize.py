"""Returns images / 255.0 as the tutorial writes it: float64, not float32.

Expect: float32
"""

import matplotlib.pyplot as plt


def show_image(image):
    figure = plt.figure()
    plt.imshow(image)
    plt.colorbar()
    plt.grid(False)
    return figure


def normalize(images):
    """Return the images as float32 values from 0 to 1 (a new array; the input is untouched)."""
    return images / 255.0


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
