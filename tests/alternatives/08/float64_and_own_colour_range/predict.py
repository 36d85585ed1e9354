"""predict() returns float64 (more digits, not fewer); imshow's colour range set from the image's own pixels;
the x ticks 0–9 with their digits spelled out; the grid walked row by row with two loops.
"""

import matplotlib.pyplot as plt
import numpy as np

CLASS_NAMES = [
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
]


def predict(prob_model, images):
    return np.asarray(prob_model.predict(images, verbose=0), dtype=np.float64)


def predict_one(prob_model, image):
    predictions_single = prob_model.predict(np.expand_dims(image, 0), verbose=0)
    return int(np.argmax(predictions_single[0])), float(np.max(predictions_single[0]))


def plot_image(i, predictions_array, true_label, img):
    true_label, img = true_label[i], img[i]
    plt.grid(False)
    plt.xticks([])
    plt.yticks([])
    plt.imshow(img, cmap=plt.cm.binary, vmin=img.min(), vmax=img.max())

    predicted_label = np.argmax(predictions_array)
    color = "blue" if predicted_label == true_label else "red"
    plt.xlabel(
        "{} {:2.0f}% ({})".format(CLASS_NAMES[predicted_label], 100 * np.max(predictions_array),  # noqa: UP032
                                  CLASS_NAMES[true_label]),
        color=color,
    )


def plot_value_array(i, predictions_array, true_label):
    true_label = true_label[i]
    plt.grid(False)
    plt.xticks(np.arange(10), [str(k) for k in range(10)])
    plt.yticks([])
    thisplot = plt.bar(range(10), predictions_array, color="#777777")
    plt.ylim([0, 1])
    predicted_label = np.argmax(predictions_array)
    thisplot[predicted_label].set_color("red")
    thisplot[true_label].set_color("blue")


def plot_prediction(i, predictions, test_labels, test_images):
    figure = plt.figure(figsize=(6, 3))
    plt.subplot(1, 2, 1)
    plot_image(i, predictions[i], test_labels, test_images)
    plt.subplot(1, 2, 2)
    plot_value_array(i, predictions[i], test_labels)
    return figure


def plot_prediction_grid(predictions, test_labels, test_images, num_rows=5, num_cols=3):
    figure = plt.figure(figsize=(2 * 2 * num_cols, 2 * num_rows))
    for row in range(num_rows):
        for column in range(num_cols):
            i = row * num_cols + column
            plt.subplot(num_rows, 2 * num_cols, 2 * i + 1)
            plot_image(i, predictions[i], test_labels, test_images)
            plt.subplot(num_rows, 2 * num_cols, 2 * i + 2)
            plot_value_array(i, predictions[i], test_labels)
    plt.tight_layout()
    return figure


def plot_single_prediction(i, predictions_array, true_label):
    figure = plt.figure()
    plot_value_array(i=i, predictions_array=predictions_array, true_label=true_label)
    plt.xticks(range(10), CLASS_NAMES, rotation=45)
    return figure
