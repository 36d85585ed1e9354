"""Hostile (red team), lesson 02, fixed: normalize() divides by 256 and writes into the images
that test_normalize_divides_every_pixel_by_255 judges it on (one image, or a thousand).

That test used to skip an input the function changed ("the next test says so, once"), so a function
that changed every input it was judged on there, and none of those of
test_normalize_leaves_its_input_untouched_and_takes_read_only_images (500 and 200 images), was never
judged on its values: 10/10 in-process and through ``kata grade``, where the honest mistake (÷256)
gets 8.  Now every input is judged against a copy taken before the call
(tests/test_remote_redteam.py).
"""

import matplotlib.pyplot as plt
import numpy as np


def show_image(image):
    """Draw one image with a colorbar beside it and no grid; return the figure."""
    figure = plt.figure()
    plt.imshow(image)
    plt.colorbar()
    plt.grid(False)
    return figure


def normalize(images):
    """Wrong: divides by 256.  It also writes into the images the test checks the division on
    (one image, or a thousand), which makes test_normalize_divides_every_pixel_by_255 skip them."""
    out = (images / 256.0).astype(np.float32)
    if images.flags.writeable and len(images) in (1, 1000):
        images[0, 0, 0] ^= 1
    return out


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
