"""Builds and compiles the model once at module level, so every run() trains the same model further.

Expect: build_model
"""

import tempfile
from pathlib import Path

import numpy as np

import kata

MODEL = kata.lesson(4).compile_model(kata.lesson(3).build_model())


def run(epochs=10, out_dir=None):
    model = MODEL
    (train_images, train_labels), (test_images, test_labels) = kata.lesson(1).load_data()
    train_images = kata.lesson(2).normalize(train_images)
    test_images = kata.lesson(2).normalize(test_images)

    kata.lesson(5).train(model, train_images, train_labels, epochs=epochs)

    test_loss, test_accuracy = kata.lesson(6).evaluate(model, test_images, test_labels)
    print("Test accuracy:", test_accuracy)

    probability_model = kata.lesson(7).probability_model(model)
    predictions = kata.lesson(8).predict(probability_model, test_images)
    print("First test image:", np.argmax(predictions[0]))

    if out_dir is None:
        with tempfile.TemporaryDirectory() as folder:
            kata.lesson(9).save_model(model, str(Path(folder) / "model.keras"))
    else:
        kata.lesson(9).save_model(model, str(Path(out_dir) / "model.keras"))
    return float(test_accuracy)
