"""A pathlib.Path (not a str) passed to save_model; the temporary folder from an ExitStack; lessons fetched by name.
"""

import contextlib
import tempfile
from pathlib import Path

import numpy as np

import kata


def run(epochs=10, out_dir=None):
    train, test = kata.lesson(1).load_data()
    train_images, train_labels = train
    test_images, test_labels = test
    train_images = kata.lesson(2).normalize(train_images)
    test_images = kata.lesson(2).normalize(test_images)

    model = kata.lesson(3).build_model()
    kata.lesson(4).compile_model(model)
    kata.lesson(5).train(model, train_images, train_labels, epochs=epochs)

    test_loss, test_accuracy = kata.lesson(6).evaluate(model, test_images, test_labels)
    print("Test accuracy:", test_accuracy)

    probability_model = kata.lesson(7).probability_model(model)
    predictions = kata.lesson(8).predict(probability_model, test_images)
    print("First test image:", np.argmax(predictions[0]))

    with contextlib.ExitStack() as stack:
        folder = out_dir if out_dir is not None else stack.enter_context(tempfile.TemporaryDirectory())
        kata.lesson(9).save_model(model, Path(folder) / "model.keras")
    return float(test_accuracy)
