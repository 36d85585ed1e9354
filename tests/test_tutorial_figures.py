"""The tutorial's pictures (kata/tutorial/figures.py): each drawing function returns the expected Figure.

Fast: random images and probabilities stand in for a trained model.
"""

import numpy as np
import pytest
from matplotlib.figure import Figure

from kata.checkout import Checkout
from kata.data import CLASS_NAMES
from kata.impl import ROOT
from kata.tutorial import figures

N = 40


@pytest.fixture
def sample():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(N, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=N)
    logits = rng.normal(size=(N, 10))
    logits[np.arange(N), labels] += 3.0  # mostly right, some wrong
    predictions = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    history = {"loss": [0.5, 0.37, 0.33], "accuracy": [0.82, 0.86, 0.88]}
    yield images, labels, predictions, history
    import matplotlib.pyplot as plt

    plt.close("all")


def test_first_image_has_a_colorbar(sample):
    images, *_ = sample
    figure = figures.draw_first_image(images[0])
    assert isinstance(figure, Figure)
    image_axes, colorbar_axes = figure.axes
    assert np.array_equal(image_axes.images[0].get_array(), images[0])
    assert colorbar_axes.get_label() == "<colorbar>"


def test_samples_are_a_5x5_grid_with_class_names(sample):
    images, labels, _, _ = sample
    figure = figures.draw_samples(images, labels)
    assert isinstance(figure, Figure)
    assert len(figure.axes) == 25
    assert [axes.get_xlabel() for axes in figure.axes] == [CLASS_NAMES[label] for label in labels[:25]]
    assert all(not axes.get_xticks().size and not axes.get_yticks().size for axes in figure.axes)


@pytest.mark.parametrize("i", range(6))
def test_prediction_shows_the_image_and_ten_bars_in_the_right_colour(sample, i):
    images, labels, predictions, _ = sample
    figure = figures.draw_prediction(i, predictions, labels, images / 255.0)
    image_axes, bar_axes = figure.axes
    predicted = int(np.argmax(predictions[i]))
    assert image_axes.get_xlabel().startswith(CLASS_NAMES[predicted])
    colour = "blue" if predicted == labels[i] else "red"
    assert image_axes.xaxis.label.get_color() == colour
    assert len(bar_axes.patches) == 10


def test_prediction_grid_is_5_rows_of_3_images_with_bars(sample):
    images, labels, predictions, _ = sample
    figure = figures.draw_prediction_grid(predictions, labels, images / 255.0)
    assert isinstance(figure, Figure)
    assert len(figure.axes) == 5 * 3 * 2
    assert [len(axes.patches) for axes in figure.axes[1::2]] == [10] * 15
    assert all(axes.images for axes in figure.axes[0::2])


def test_training_curves_plot_loss_and_accuracy_per_epoch(sample):
    *_, history = sample
    figure = figures.draw_training_curves(history)
    loss_axes, accuracy_axes = figure.axes
    for axes, key in ((loss_axes, "loss"), (accuracy_axes, "accuracy")):
        (line,) = axes.get_lines()
        assert list(line.get_xdata()) == [1, 2, 3]
        assert list(line.get_ydata()) == history[key]
        assert axes.get_xlabel() == "epoch" and axes.get_ylabel() == key


def test_confusion_counts():
    counts = figures.confusion_counts([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 2, 0], classes=3)
    assert counts.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]


def test_confusion_matrix_counts_true_against_predicted(sample):
    _, labels, predictions, _ = sample
    predicted = np.argmax(predictions, axis=1)
    figure = figures.draw_confusion_matrix(labels, predicted)
    matrix_axes, colorbar_axes = figure.axes
    counts = np.asarray(matrix_axes.images[0].get_array())
    assert counts.shape == (10, 10) and counts.sum() == N
    assert np.trace(counts) == int((predicted == labels).sum())
    assert [tick.get_text() for tick in matrix_axes.get_yticklabels()] == list(CLASS_NAMES)
    assert colorbar_axes.get_label() == "<colorbar>"


def test_draw_all_and_save_all_write_every_picture(sample, tmp_path):
    images, labels, predictions, history = sample
    drawn = figures.draw_all(images, labels, images / 255.0, labels, predictions, history)
    assert tuple(drawn) == figures.PICTURES
    assert all(isinstance(figure, Figure) for figure in drawn.values())
    paths = figures.save_all(drawn, tmp_path)
    assert sorted(path.name for path in paths) == sorted(drawn)
    for path in paths:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"


def test_the_guides_pictures_are_committed():
    missing = [name for name in figures.PICTURES if not (Checkout(ROOT).docs / "images" / name).is_file()]
    assert not missing, f"docs/images lacks {missing}: run `kata images` and commit the pictures"
