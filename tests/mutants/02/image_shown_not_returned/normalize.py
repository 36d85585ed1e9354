"""show_image() ends with plt.show() and returns None.

Expect: return
"""

import matplotlib.pyplot as plt
import numpy as np


def show_image(image):
    plt.figure()
    plt.imshow(image)
    plt.colorbar()
    plt.grid(False)
    plt.show()


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
