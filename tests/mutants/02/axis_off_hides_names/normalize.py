"""show_samples() hides the ticks with plt.axis('off'), which hides the class names too.

Expect: axis
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
    return (images / 255.0).astype(np.float32)


def show_samples(images, labels, class_names, n=25):
    figure = plt.figure(figsize=(10, 10))
    for i in range(n):
        plt.subplot(5, 5, i + 1)
        plt.axis("off")
        plt.grid(False)
        plt.imshow(images[i], cmap=plt.cm.binary)
        plt.xlabel(class_names[labels[i]])
    return figure
