"""plt.subplots for the figures, plt.sca to pick each panel, nested row/column loops, and setp for the rotated names.
"""

import matplotlib.pyplot as plt
import numpy as np

CLASS_NAMES = [
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
]


def predict(prob_model, images):
    return prob_model.predict(images, verbose=0)


def predict_one(prob_model, image):
    img = np.expand_dims(image, 0)
    predictions_single = prob_model.predict(img, verbose=0)
    return int(np.argmax(predictions_single[0])), float(np.max(predictions_single[0]))


def plot_image(i, predictions_array, true_label, img):
    true_label, img = true_label[i], img[i]
    plt.grid(False)
    plt.xticks([])
    plt.yticks([])

    plt.imshow(img, cmap=plt.cm.binary)

    predicted_label = np.argmax(predictions_array)
    if predicted_label == true_label:
        color = "blue"
    else:
        color = "red"

    plt.xlabel("{} {:2.0f}% ({})".format(CLASS_NAMES[predicted_label],  # noqa: UP032
                                         100 * np.max(predictions_array),
                                         CLASS_NAMES[true_label]),
               color=color)


def plot_value_array(i, predictions_array, true_label):
    true_label = true_label[i]
    plt.grid(False)
    plt.xticks(range(10))
    plt.yticks([])
    thisplot = plt.bar(range(10), predictions_array, color="#777777")
    plt.ylim([0, 1])
    predicted_label = np.argmax(predictions_array)

    thisplot[predicted_label].set_color("red")
    thisplot[true_label].set_color("blue")


def plot_prediction(i, predictions, test_labels, test_images):
    fig, axes = plt.subplots(1, 2, figsize=(6, 3))
    plt.sca(axes[0])
    plot_image(i, predictions[i], test_labels, test_images)
    plt.sca(axes[1])
    plot_value_array(i, predictions[i], test_labels)
    return fig


def plot_prediction_grid(predictions, test_labels, test_images, num_rows=5, num_cols=3):
    fig, axes = plt.subplots(num_rows, 2 * num_cols, figsize=(4 * num_cols, 2 * num_rows), squeeze=False)
    for row in range(num_rows):
        for col in range(num_cols):
            i = row * num_cols + col
            plt.sca(axes[row, 2 * col])
            plot_image(i, predictions[i], test_labels, test_images)
            plt.sca(axes[row, 2 * col + 1])
            plot_value_array(i, predictions[i], test_labels)
    fig.tight_layout()
    return fig


def plot_single_prediction(i, predictions_array, true_label):
    fig, ax = plt.subplots()
    plot_value_array(i, predictions_array, true_label)
    ax.set_xticklabels(CLASS_NAMES)
    plt.setp(ax.get_xticklabels(), rotation=45)
    return fig
