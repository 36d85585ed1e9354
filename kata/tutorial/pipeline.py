"""The reference pipeline end to end on the real data (what ``kata tutorial`` runs).

It runs the reference solutions of lessons 01–09 in the tutorial's order and
prints what the tutorial shows: the shapes of the data, a Keras progress bar
per epoch, the test accuracy, and the first test image's probabilities and
predicted class.  Then it writes the tutorial's pictures (see
:mod:`kata.tutorial.figures`) and the trained model (``model.keras``) into a folder.

On 2 CPU cores the 10 epochs take about a minute.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kata import data
from kata.i18n import _
from kata.impl import load_module
from kata.tutorial import figures


@dataclass
class Result:
    """What a reference run produced: the data, the trained model and what it said."""

    train_images_raw: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray  # normalized
    test_labels: np.ndarray
    model: object
    history: object
    test_loss: float
    test_accuracy: float
    predictions: np.ndarray  # (10000, 10) probabilities


def train_reference(solutions: Path, epochs: int = 10) -> Result:
    """Lessons 01–08 with the reference solutions, printing each step as the tutorial does.

    Args:
        solutions: the reference tree (a checkout's ``solutions/``).
        epochs: training epochs (the tutorial's 10 by default).

    Returns:
        The :class:`Result`: data, trained model, history, accuracy, predictions.
    """

    def reference(number: int):
        return load_module(solutions, number)

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # hide TensorFlow's start-up chatter
    source = data.seed_keras_cache()
    where = source if source is not None else _("Keras' download (no local copy found)")
    print(_("Fashion-MNIST from {where}").format(where=where))

    names = reference(1).CLASS_NAMES
    (train_raw, train_labels), (test_raw, test_labels) = reference(1).load_data()
    print(f"train_images: {train_raw.shape} {train_raw.dtype}, train_labels: {train_labels.shape}")
    print(f"test_images:  {test_raw.shape} {test_raw.dtype}, test_labels:  {test_labels.shape}")

    train_images = reference(2).normalize(train_raw)
    test_images = reference(2).normalize(test_raw)
    print(_("pixels after normalize: {dtype} from {low} to {high}").format(dtype=train_images.dtype, low=train_images.min(), high=train_images.max()))

    model = reference(3).build_model()
    reference(4).compile_model(model)
    model.summary()

    print("\n" + _("Training for {epochs} epoch(s) on {count} images:").format(epochs=epochs, count=len(train_images)))
    history = reference(5).train(model, train_images, train_labels, epochs=epochs)

    test_loss, test_accuracy = reference(6).evaluate(model, test_images, test_labels)
    print("\n" + _("Test accuracy: {accuracy:.4f}").format(accuracy=test_accuracy))

    prob_model = reference(7).probability_model(model)
    predictions = reference(8).predict(prob_model, test_images)
    first = predictions[0]
    label = int(np.argmax(first))
    print("\n" + _("The first test image's probabilities:"))
    for number, (name, probability) in enumerate(zip(names, first, strict=True)):
        print(f"  {number} {name:<12} {probability:.4f}")
    print(
        _("Predicted class: {label} ({name}), {percent} sure; true class: {true} ({true_name})").format(
            label=label, name=names[label], percent=f"{100 * first[label]:.0f}%",
            true=int(test_labels[0]), true_name=names[test_labels[0]],
        )
    )  # fmt: skip
    return Result(
        train_raw, train_labels, test_images, test_labels, model, history,
        test_loss, test_accuracy, predictions,
    )


def draw(result: Result, solutions: Path, folder: Path) -> list[Path]:
    """Draw every picture of ``result`` and write them into ``folder``; return the paths.

    Args:
        result: what the reference run produced.
        solutions: the reference tree whose plotting functions draw.
        folder: where the PNGs go.
    """
    return figures.save_all(
        figures.draw_all(
            result.train_images_raw, result.train_labels, result.test_images,
            result.test_labels, result.predictions, result.history, solutions=solutions,
        ),
        folder,
    )


def run(solutions: Path, out: Path, epochs: int = 10) -> Result:
    """The whole tutorial: train and report, then write the pictures and the model into ``out``.

    Args:
        solutions: the reference tree.
        out: the folder for the pictures and ``model.keras``.
        epochs: training epochs.

    Returns:
        The :class:`Result`.
    """
    result = train_reference(solutions, epochs)
    out = Path(out)
    paths = draw(result, solutions, out)
    print("\n" + _("Figures written to {folder}/: {names}").format(folder=out, names=", ".join(path.name for path in paths)))
    model_path = out / "model.keras"
    load_module(solutions, 9).save_model(result.model, model_path)
    print(_("Model saved to {path}").format(path=model_path))
    return result
