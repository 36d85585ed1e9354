"""normalize() rescales min..max to 0..1 instead of dividing by 255.

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
    images = images.astype(np.float32)
    return (images - images.min()) / (images.max() - images.min())


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
