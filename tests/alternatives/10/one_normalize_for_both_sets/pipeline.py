"""The same pipeline with one normalize() call for both sets, joined and sliced apart again (a right
answer a review found losing points: both sets are normalized by lesson 02)."""

import tempfile
from pathlib import Path

import numpy as np

import kata


def run(epochs=10, out_dir=None):
    """Run lessons 01–09 end to end on the full data; return the test accuracy as a float.

    The trained model is saved as ``model.keras`` in ``out_dir`` (a temporary
    folder, deleted afterwards, when ``out_dir`` is None).
    """
    # Lesson 01: the data, as uint8 arrays.
    (train_images, train_labels), (test_images, test_labels) = kata.lesson(1).load_data()

    # Lesson 02: pixels from 0–255 to 0.0–1.0, both sets in one call, then split again.
    both = kata.lesson(2).normalize(np.concatenate([train_images, test_images]))
    train_images, test_images = both[: len(train_images)], both[len(train_images):]

    # Lessons 03 and 04: the model, compiled.
    model = kata.lesson(3).build_model()
    model = kata.lesson(4).compile_model(model)

    # Lesson 05: train on the training set.
    kata.lesson(5).train(model, train_images, train_labels, epochs=epochs)

    # Lesson 06: the accuracy on the test set, images the model has never seen.
    test_loss, test_accuracy = kata.lesson(6).evaluate(model, test_images, test_labels)
    print(f"Test accuracy: {test_accuracy:.4f}")

    # Lessons 07 and 08: probabilities for the test images.
    prob_model = kata.lesson(7).probability_model(model)
    predictions = kata.lesson(8).predict(prob_model, test_images)
    first = int(np.argmax(predictions[0]))
    print(f"First test image: {kata.lesson(1).CLASS_NAMES[first]} "
          f"({100 * np.max(predictions[0]):.0f}%), true class "
          f"{kata.lesson(1).CLASS_NAMES[test_labels[0]]}")

    # Lesson 09: save the trained model.
    if out_dir is None:
        with tempfile.TemporaryDirectory() as folder:
            kata.lesson(9).save_model(model, str(Path(folder) / "model.keras"))
    else:
        path = Path(out_dir) / "model.keras"
        kata.lesson(9).save_model(model, str(path))
        print(f"Model saved to {path}")

    return float(test_accuracy)
