"""predict_one passes the 28×28 image straight to predict(), without the batch axis.

Expect: batch axis
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
    predictions_single = prob_model.predict(image)
    label = int(np.argmax(predictions_single[0]))
    confidence = float(np.max(predictions_single[0]))
    return label, confidence


def plot_image(i, predictions_array, true_label, img):
    """Show image ``img[i]`` with the predicted class, its probability and the true class under it."""
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

    plt.xlabel(
        "{} {:2.0f}% ({})".format(
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
    plt.yticks([])
    thisplot = plt.bar(range(10), predictions_array, color="#777777")
    plt.ylim([0, 1])
    predicted_label = np.argmax(predictions_array)

    thisplot[predicted_label].set_color("red")
    thisplot[true_label].set_color("blue")
