"""Lesson 09 · save and load the model — reference solution.

Keras 3 saves a whole model (layers, weights, and the optimizer's state) to
one file, and picks the format from the file name: ``.keras`` is Keras' own
format (a zip archive), ``.h5`` the older HDF5 format.  For TensorFlow
Serving, ``model.export()`` writes a TensorFlow SavedModel folder instead.
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
    """Load a model saved by :func:`save_model`, compiled and with its optimizer state."""
    return keras.models.load_model(path)


def export_for_serving(model, directory):
    """Export the model as a TensorFlow SavedModel in ``directory`` and return that path."""
    model.export(directory)
    return directory
