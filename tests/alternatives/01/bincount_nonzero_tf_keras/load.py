"""Right: tf.keras' loader, np.bincount keeping only the labels that occur, np.min/np.max.

"""

import numpy as np

CLASS_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
               'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']


def load_data():
    import tensorflow as tf

    train, test = tf.keras.datasets.fashion_mnist.load_data()
    train_images, train_labels = train
    test_images, test_labels = test
    return (train_images, train_labels), (test_images, test_labels)


def describe(images, labels):
    counts = np.bincount(np.asarray(labels).ravel())
    return dict(
        shape=np.shape(images),
        count_per_class={label: int(n) for label, n in enumerate(counts) if n > 0},
        pixel_min=int(np.min(images)),
        pixel_max=int(np.max(images)),
    )
