"""A right answer written differently: astype first, then divide; plt.subplots and the Axes API."""

import matplotlib.pyplot as plt


def show_image(image):
    figure = plt.figure()
    plt.imshow(image)
    plt.colorbar()
    plt.grid(False)
    return figure


def normalize(images):
    return images.astype("float32") / 255


def show_samples(images, labels, class_names, n=25):
    figure, axes = plt.subplots(5, 5, figsize=(10, 10))
    for i, ax in enumerate(axes.flat):
        if i >= n:
            ax.remove()
            continue
        ax.imshow(images[i], cmap="binary")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlabel(class_names[int(labels[i])])
    return figure
