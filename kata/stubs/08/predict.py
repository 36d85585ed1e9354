"""Lesson 08 · make and plot predictions.

Guide: docs/lessons/08-predict.md · run the checks: pytest lessons/08 · stuck? kata hint 8
"""

import matplotlib.pyplot as plt  # noqa: F401  (you will need it)
import numpy as np  # noqa: F401  (you will need it)

# The same ten names as lesson 01, in label order (label 0 is "T-shirt/top").
# Given here so that this lesson stands on its own: use CLASS_NAMES[label] in plot_image.
CLASS_NAMES = [
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
]


def predict(prob_model, images):
    """Return the probabilities for every image, a NumPy array of shape (N, 10).

    ``prob_model`` is the probability model of lesson 07 (the trained model
    with a Softmax layer on top); ``images`` has shape (N, 28, 28).  Row ``k``
    holds the ten class probabilities of image ``k`` and sums to 1.

    Example::

        predictions = predict(probability_model, test_images)
        predictions.shape          # (10000, 10)
        np.argmax(predictions[0])  # 9, an ankle boot
    """
    raise NotImplementedError("lesson 08: predict() is not written yet — see docs/lessons/08-predict.md")


def predict_one(prob_model, image):
    """Return ``(label, confidence)`` for ONE image of shape (28, 28).

    Keras models work on batches: give the image a batch axis first, so that
    its shape becomes (1, 28, 28).  ``label`` is the most likely class as a
    Python ``int``; ``confidence`` is its probability as a Python ``float``
    between 0 and 1.

    Example::

        label, confidence = predict_one(probability_model, test_images[1])
        label, confidence          # (2, 0.99...)
        CLASS_NAMES[label]         # 'Pullover'
    """
    raise NotImplementedError("lesson 08: predict_one() is not written yet — see docs/lessons/08-predict.md")


def plot_image(i, predictions_array, true_label, img):
    """Draw image ``img[i]`` on the current axes, as the tutorial does.

    ``predictions_array`` is the row of ten probabilities for that image;
    ``true_label`` and ``img`` are the whole label and image arrays.  Show the
    image in the ``binary`` colour map with no ticks, and under it the label
    ``"<predicted class> <probability in percent>% (<true class>)"``
    (format ``"{} {:2.0f}% ({})"``), blue when the prediction is right and
    red when it is wrong.

    Example::

        plt.figure(figsize=(6, 3))
        plt.subplot(1, 2, 1)
        plot_image(0, predictions[0], test_labels, test_images)   # "Ankle boot 95% (Ankle boot)", blue
    """
    raise NotImplementedError("lesson 08: plot_image() is not written yet — see docs/lessons/08-predict.md")


def plot_value_array(i, predictions_array, true_label):
    """Draw the ten probabilities of image ``i`` as a bar chart on the current axes.

    Ten grey bars (``"#777777"``), one per class, x ticks 0–9, no y ticks,
    the y axis from 0 to 1; then the predicted class's bar turns red and the
    true class's bar blue (so a right prediction shows one blue bar).

    Example::

        plt.subplot(1, 2, 2)
        plot_value_array(0, predictions[0], test_labels)
        plt.show()
    """
    raise NotImplementedError("lesson 08: plot_value_array() is not written yet — see docs/lessons/08-predict.md")
