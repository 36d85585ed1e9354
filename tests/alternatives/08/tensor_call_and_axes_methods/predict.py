"""Calls the model directly (prob_model(x).numpy()), np.newaxis for the batch, and draws with
matplotlib's Axes methods instead of the plt.* functions."""

import matplotlib.pyplot as plt
import numpy as np

CLASS_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
               "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def predict(prob_model, images):
    return np.asarray(prob_model(np.asarray(images, dtype="float32")))


def predict_one(prob_model, image):
    row = predict(prob_model, image[np.newaxis, ...])[0]
    probabilities = row.tolist()
    label = int(np.argmax(probabilities))
    return label, probabilities[label]


def plot_image(i, predictions_array, true_label, img):
    ax = plt.gca()
    ax.imshow(img[i], cmap="binary")
    ax.set_xticks([])
    ax.set_yticks([])
    predicted = int(np.argmax(predictions_array))
    color = "b" if predicted == true_label[i] else "r"
    ax.set_xlabel(
        f"{CLASS_NAMES[predicted]} {100 * max(predictions_array):.0f}% ({CLASS_NAMES[true_label[i]]})",
        color=color,
    )


def plot_value_array(i, predictions_array, true_label):
    ax = plt.gca()
    predicted = int(np.argmax(predictions_array))
    colors = ["gray"] * 10
    colors[predicted] = "red"
    colors[true_label[i]] = "blue"
    ax.bar(np.arange(10), predictions_array, color=colors)
    ax.set_xticks(range(10))
    ax.set_yticks([])
    ax.set_ylim(0, 1)


def plot_prediction(i, predictions, true_labels, images):
    """Test image ``i`` and its ten probabilities side by side, in a new figure; return it."""
    figure = plt.figure(figsize=(6, 3))
    plt.subplot(1, 2, 1)
    plot_image(i, predictions[i], true_labels, images)
    plt.subplot(1, 2, 2)
    plot_value_array(i, predictions[i], true_labels)
    return figure


def plot_prediction_grid(predictions, true_labels, images, num_rows=5, num_cols=3):
    """The first ``num_rows * num_cols`` test images, each with its bars, in a new figure; return it."""
    num_images = num_rows * num_cols
    figure = plt.figure(figsize=(2 * 2 * num_cols, 2 * num_rows))
    for i in range(num_images):
        plt.subplot(num_rows, 2 * num_cols, 2 * i + 1)
        plot_image(i, predictions[i], true_labels, images)
        plt.subplot(num_rows, 2 * num_cols, 2 * i + 2)
        plot_value_array(i, predictions[i], true_labels)
    plt.tight_layout()
    return figure


def plot_single_prediction(i, predictions_array, true_label):
    """One image's bar chart with the class names as x ticks, in a new figure; return it."""
    figure = plt.figure()
    plot_value_array(i, predictions_array, true_label)
    plt.xticks(range(10), CLASS_NAMES, rotation=45)
    return figure
