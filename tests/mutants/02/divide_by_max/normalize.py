"""normalize() divides by images.max() instead of 255.

Right when the brightest pixel is 255, wrong on darker images.
Expect: 255
"""

import matplotlib.pyplot as plt
import numpy as np


def show_image(image):
    figure = plt.figure()
    plt.imshow(image)
    plt.colorbar()
    plt.grid(False)
    return figure


def normalize(images):
    return (images / images.max()).astype(np.float32)


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
