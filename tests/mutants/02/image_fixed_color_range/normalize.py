"""show_image() fixes the colour range to 0..1 (vmin=0, vmax=1), as if the image were normalized.

A raw image's colorbar then stops at 1 and nearly every pixel has the same colour.
Expect: 0 to 255
"""

import matplotlib.pyplot as plt
import numpy as np


def show_image(image):
    figure = plt.figure()
    plt.imshow(image, vmin=0, vmax=1)
    plt.colorbar()
    plt.grid(False)
    return figure


def normalize(images):
    return (images / 255.0).astype(np.float32)


def show_samples(images, labels, class_names, n=25):
    figure = plt.figure(figsize=(10, 10))
    for i in range(n):
        plt.subplot(5, 5, i + 1)
        plt.xticks([])
        plt.yticks([])
        plt.grid(False)
        plt.imshow(images[i], cmap=plt.cm.binary)
        plt.xlabel(class_names[labels[i]])
    return figure
