"""The tutorial's pictures: drawing only (no training, no files but :func:`save_all`'s).

Each ``draw_...`` function returns one matplotlib Figure, as the tutorial
draws it:

- :func:`draw_first_image` — the first training image with its colorbar;
- :func:`draw_samples` — 25 training images with their class names (lesson 02's
  ``show_samples``);
- :func:`draw_prediction` — one test image with its prediction, and the bar chart
  of its ten probabilities (lesson 08's ``plot_image`` and ``plot_value_array``);
- :func:`draw_prediction_grid` — the same for the first 15 test images, 5 rows × 3;
- :func:`draw_training_curves` — loss and accuracy per epoch;
- :func:`draw_confusion_matrix` — which classes the model mixes up.

Two of them draw with the reference's own plotting functions (lessons 02 and
08), taken from the ``solutions`` tree they are given.  ``kata tutorial``
writes them next to its saved model; ``kata images`` into ``docs/images/``
(see :mod:`kata.tutorial.commands`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

from kata.data import CLASS_NAMES
from kata.impl import load_module

Tree = str | os.PathLike
DPI = 100
PICTURES = (
    "first_image.png", "training_samples.png", "prediction_0.png", "prediction_12.png",
    "prediction_grid.png", "training_curves.png", "confusion_matrix.png",
)
"""The file names :func:`draw_all` gives its figures (``docs/images/`` holds each one)."""


def _pyplot():
    """pyplot, drawing off screen (Agg) unless a backend was chosen already."""
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def draw_first_image(image):
    """The tutorial's first look at the data: one image, pixel values 0–255, with a colorbar."""
    plt = _pyplot()
    figure = plt.figure()
    plt.imshow(image)
    plt.colorbar()
    plt.grid(False)
    return figure


def draw_samples(images, labels, solutions: Tree = "solutions"):
    """The first 25 images in a 5×5 grid with their class names (lesson 02's ``show_samples``).

    Args:
        images: the raw training images, shape ``(n, 28, 28)``.
        labels: their class numbers.
        solutions: the reference tree whose lesson 02 draws them.

    Returns:
        The matplotlib Figure.
    """
    return load_module(solutions, 2).show_samples(images, labels, list(CLASS_NAMES), n=25)


def draw_prediction(i, predictions, labels, images, solutions: Tree = "solutions"):
    """Test image ``i`` with its predicted class, and its ten probabilities as bars (lesson 08).

    Args:
        i: which test image.
        predictions: the probabilities, shape ``(n, 10)``.
        labels: the true classes.
        images: the test images the model saw.
        solutions: the reference tree whose lesson 08 draws them.

    Returns:
        The matplotlib Figure.
    """
    plt = _pyplot()
    predict = load_module(solutions, 8)
    figure = plt.figure(figsize=(6, 3))
    plt.subplot(1, 2, 1)
    predict.plot_image(i, predictions[i], labels, images)
    plt.subplot(1, 2, 2)
    predict.plot_value_array(i, predictions[i], labels)
    return figure


def draw_prediction_grid(predictions, labels, images, rows=5, cols=3, solutions: Tree = "solutions"):
    """The first ``rows × cols`` test images, each with its bar chart; blue right, red wrong."""
    plt = _pyplot()
    predict = load_module(solutions, 8)
    figure = plt.figure(figsize=(2 * 2 * cols, 2 * rows))
    for i in range(rows * cols):
        plt.subplot(rows, 2 * cols, 2 * i + 1)
        predict.plot_image(i, predictions[i], labels, images)
        plt.subplot(rows, 2 * cols, 2 * i + 2)
        predict.plot_value_array(i, predictions[i], labels)
    plt.tight_layout()
    return figure


def draw_training_curves(history):
    """Loss and accuracy after each epoch (``history`` is a ``History`` or its ``.history`` dict)."""
    plt = _pyplot()
    values = getattr(history, "history", history)
    epochs = np.arange(1, len(values["loss"]) + 1)
    figure, (loss_axes, accuracy_axes) = plt.subplots(1, 2, figsize=(10, 4))
    loss_axes.plot(epochs, values["loss"], marker="o")
    loss_axes.set_title("Training loss")
    loss_axes.set_xlabel("epoch")
    loss_axes.set_ylabel("loss")
    accuracy_axes.plot(epochs, values["accuracy"], marker="o", color="tab:green")
    accuracy_axes.set_title("Training accuracy")
    accuracy_axes.set_xlabel("epoch")
    accuracy_axes.set_ylabel("accuracy")
    for axes in (loss_axes, accuracy_axes):
        axes.set_xticks(epochs)
        axes.grid(True, alpha=0.3)
    figure.tight_layout()
    return figure


def confusion_counts(labels, predicted, classes=10):
    """``counts[true, predicted]``: how many images of each class got each prediction.

    Args:
        labels: the true classes.
        predicted: the predicted classes.
        classes: the number of classes.

    Returns:
        A ``(classes, classes)`` integer array.

    Example:
        >>> confusion_counts([0, 1, 1], [0, 1, 0], classes=2).tolist()
        [[1, 0], [1, 1]]
    """
    counts = np.zeros((classes, classes), dtype=int)
    np.add.at(counts, (np.asarray(labels), np.asarray(predicted)), 1)
    return counts


def draw_confusion_matrix(labels, predicted):
    """A 10×10 table of counts: rows the true class, columns the predicted one."""
    plt = _pyplot()
    names = list(CLASS_NAMES)
    counts = confusion_counts(labels, predicted, len(names))
    figure, axes = plt.subplots(figsize=(8, 7))
    picture = axes.imshow(counts, cmap="Blues")
    figure.colorbar(picture, ax=axes)
    axes.set_xticks(range(len(names)), names, rotation=45, ha="right")
    axes.set_yticks(range(len(names)), names)
    axes.set_xlabel("predicted class")
    axes.set_ylabel("true class")
    axes.set_title("Confusion matrix (test set)")
    middle = counts.max() / 2
    for true in range(len(names)):
        for guess in range(len(names)):
            axes.text(guess, true, counts[true, guess], ha="center", va="center", fontsize=8,
                      color="white" if counts[true, guess] > middle else "black")
    figure.tight_layout()
    return figure


def draw_all(train_images, train_labels, test_images, test_labels, predictions, history,
             solutions: Tree = "solutions"):
    """Every picture of the tutorial, by file name.

    Args:
        train_images: the raw 0–255 training pixels (the first picture shows that range).
        train_labels: their classes.
        test_images: the test images the model saw (normalized).
        test_labels: their classes.
        predictions: the model's probabilities for the test images.
        history: ``fit``'s ``History`` (or its ``.history`` dict).
        solutions: the reference tree whose plotting functions draw.

    Returns:
        A dict from file name (:data:`PICTURES`) to Figure.
    """
    predicted = np.argmax(predictions, axis=1)
    return {
        "first_image.png": draw_first_image(train_images[0]),
        "training_samples.png": draw_samples(train_images, train_labels, solutions),
        "prediction_0.png": draw_prediction(0, predictions, test_labels, test_images, solutions),
        "prediction_12.png": draw_prediction(12, predictions, test_labels, test_images, solutions),
        "prediction_grid.png": draw_prediction_grid(predictions, test_labels, test_images, solutions=solutions),
        "training_curves.png": draw_training_curves(history),
        "confusion_matrix.png": draw_confusion_matrix(test_labels, predicted),
    }


def save_all(figures, folder, dpi=DPI):
    """Write each figure as a PNG into ``folder`` and close it.

    Args:
        figures: a dict from file name to Figure (as :func:`draw_all` returns).
        folder: where to write; created when missing.
        dpi: the PNGs' resolution.

    Returns:
        The paths written.
    """
    plt = _pyplot()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, figure in figures.items():
        path = folder / name
        figure.savefig(path, dpi=dpi, bbox_inches="tight")
        plt.close(figure)
        written.append(path)
    return written
