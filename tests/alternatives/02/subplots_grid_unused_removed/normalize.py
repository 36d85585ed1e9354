"""Right: plt.subplots(5, 5) with axes.flat, unused cells removed, multiply by 1/255.

"""

import matplotlib.pyplot as plt


def show_image(image):
    figure = plt.figure(figsize=(6, 5))
    plt.imshow(image, cmap=plt.cm.binary)
    plt.colorbar(label="pixel value")
    return figure


def normalize(images):
    return (images * (1.0 / 255)).astype("float32")


def show_samples(images, labels, class_names, n=25):
    figure, grid = plt.subplots(5, 5, figsize=(10, 10))
    for i, axes in enumerate(grid.flat):
        if i >= n:
            axes.remove()
            continue
        axes.set_xticks([])
        axes.set_yticks([])
        axes.imshow(images[i], cmap=plt.cm.binary)
        axes.set_xlabel(class_names[int(labels[i])])
    return figure
