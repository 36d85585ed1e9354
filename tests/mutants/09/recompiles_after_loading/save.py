"""load_model() compiles the loaded model again, as in the tutorial: a fresh Adam, the saved optimizer state is gone.

Expect: optimizer
"""

from pathlib import Path

import keras


def save_model(model, path):
    if Path(path).suffix not in (".keras", ".h5"):
        raise ValueError(f"{path}: the file name must end in .keras (recommended) or .h5")
    model.save(path)


def load_model(path):
    model = keras.models.load_model(path)
    model.compile(optimizer="adam",
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model


def export_for_serving(model, directory):
    model.export(directory)
    return directory
