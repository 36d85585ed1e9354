"""Right: a plain loop counts the labels; the tutorial's two-step loader.

"""

import keras

CLASS_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
               'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']


def load_data():
    fashion_mnist = keras.datasets.fashion_mnist
    (train_images, train_labels), (test_images, test_labels) = fashion_mnist.load_data()
    return (train_images, train_labels), (test_images, test_labels)


def describe(images, labels):
    count_per_class = {}
    for label in labels:
        label = int(label)
        count_per_class[label] = count_per_class.get(label, 0) + 1
    smallest, largest = int(images.min()), int(images.max())
    return {"shape": images.shape, "count_per_class": count_per_class,
            "pixel_min": smallest, "pixel_max": largest}
