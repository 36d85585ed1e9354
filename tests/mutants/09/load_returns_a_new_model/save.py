"""load_model builds a new model (with new random weights) instead of loading the saved one.

Expect: not the saved model
"""

from pathlib import Path

import keras

FORMATS = (".keras", ".h5")


def save_model(model, path):
    """Save the whole model to ``path``: ``.keras`` (recommended) or ``.h5`` (legacy HDF5)."""
    suffix = Path(path).suffix
    if suffix not in FORMATS:
        raise ValueError(
            f"Can't save the model to {str(path)!r}: the file name must end in .keras "
            "(Keras' own format, recommended) or .h5 (the older HDF5 format), e.g. "
            "'my_model.keras'. To get a TensorFlow SavedModel folder, use "
            "export_for_serving() (model.export) instead."
        )
    model.save(path)


def load_model(path):
    """Return the model, compiled."""
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10),
        ]
    )
    model.compile(
        optimizer="adam",
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model


def export_for_serving(model, directory):
    """Export the model as a TensorFlow SavedModel in ``directory`` and return that path."""
    model.export(directory)
    return directory
