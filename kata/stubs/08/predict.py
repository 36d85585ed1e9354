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


def plot_prediction(i, predictions, true_labels, images):
    """Draw test image ``i`` and its bar chart side by side in a new figure, and return the figure.

    The tutorial's figure for test images 0 and 12: a new figure of size
    (6, 3), ``plot_image`` on the left of two subplots, ``plot_value_array``
    on the right.  ``predictions`` is the whole (N, 10) array of ``predict``;
    ``true_labels`` and ``images`` are the whole test arrays.  Use your own
    ``plot_image`` and ``plot_value_array``.  Don't call ``plt.show()``:
    return the ``matplotlib.figure.Figure`` (the caller shows or saves it).

    Example::

        figure = plot_prediction(12, predictions, test_labels, test_images)
        figure.savefig("prediction_12.png")
    """
    raise NotImplementedError("lesson 08: plot_prediction() is not written yet — see docs/lessons/08-predict.md")


def plot_prediction_grid(predictions, true_labels, images, num_rows=5, num_cols=3):
    """Draw the first ``num_rows * num_cols`` test images with their bar charts; return the figure.

    The tutorial's grid: a new figure of size (2 * 2 * num_cols, 2 * num_rows)
    with ``num_rows`` rows of ``2 * num_cols`` subplots.  Test image ``k`` takes
    two neighbouring subplots, numbers ``2 * k + 1`` (``plot_image``) and
    ``2 * k + 2`` (``plot_value_array``), counted from the top left as
    ``plt.subplot`` counts.  Use your own two functions; return the
    ``matplotlib.figure.Figure`` without ``plt.show()``.

    Example::

        figure = plot_prediction_grid(predictions, test_labels, test_images)   # 15 images
        len(figure.axes)   # 30
    """
    raise NotImplementedError(
        "lesson 08: plot_prediction_grid() is not written yet — see docs/lessons/08-predict.md"
    )


def plot_single_prediction(i, predictions_array, true_label):
    """Draw one image's bar chart with the class names as x ticks in a new figure; return the figure.

    The tutorial's chart for the single image it predicts: a new figure,
    your ``plot_value_array(i, predictions_array, true_label)``, then the ten
    class names under the bars, turned by 45 degrees so that they fit
    (``plt.xticks(range(10), CLASS_NAMES, rotation=45)``).
    ``predictions_array`` is that image's row of ten probabilities.  Return
    the ``matplotlib.figure.Figure`` without ``plt.show()``.

    Example::

        img = np.expand_dims(test_images[1], 0)            # a batch of one
        predictions_single = probability_model.predict(img)
        figure = plot_single_prediction(1, predictions_single[0], test_labels)
    """
    raise NotImplementedError(
        "lesson 08: plot_single_prediction() is not written yet — see docs/lessons/08-predict.md"
    )
