"""plot_image() and plot_value_array() hide their ticks with plt.tick_params (no tick lines, no tick labels): what one sees is what plt.xticks([]) gives.
"""

import matplotlib.pyplot as plt
import numpy as np

# The same ten names as lesson 01, in label order (label 0 is "T-shirt/top").
CLASS_NAMES = [
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
]


def predict(prob_model, images):
    """Return the probabilities for every image: an array of shape (N, 10)."""
    predictions = prob_model.predict(images)
    return predictions


def predict_one(prob_model, image):
    """Return ``(label, confidence)`` for one 28×28 image.

    Keras models work on batches, so the image first gets a batch axis:
    shape (28, 28) becomes (1, 28, 28), a batch of one.
    """
    batch = np.expand_dims(image, 0)
    predictions_single = prob_model.predict(batch)
    label = int(np.argmax(predictions_single[0]))
    confidence = float(np.max(predictions_single[0]))
    return label, confidence


def plot_image(i, predictions_array, true_label, img):
    """Show image ``img[i]`` with the predicted class, its probability and the true class under it."""
    true_label, img = true_label[i], img[i]
    plt.grid(False)
    plt.tick_params(left=False, bottom=False, labelleft=False, labelbottom=False)

    plt.imshow(img, cmap=plt.cm.binary)

    predicted_label = np.argmax(predictions_array)
    if predicted_label == true_label:
        color = "blue"
    else:
        color = "red"

    plt.xlabel(
        "{} {:2.0f}% ({})".format(  # noqa: UP032  (the tutorial's format call)
            CLASS_NAMES[predicted_label],
            100 * np.max(predictions_array),
            CLASS_NAMES[true_label],
        ),
        color=color,
    )


def plot_value_array(i, predictions_array, true_label):
    """Draw the ten probabilities as bars: the predicted class red, the true class blue."""
    true_label = true_label[i]
    plt.grid(False)
    plt.xticks(range(10))
    plt.tick_params(axis="y", left=False, labelleft=False)
    thisplot = plt.bar(range(10), predictions_array, color="#777777")
    plt.ylim([0, 1])
    predicted_label = np.argmax(predictions_array)

    thisplot[predicted_label].set_color("red")
    thisplot[true_label].set_color("blue")


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
