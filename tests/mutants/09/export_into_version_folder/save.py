"""export_for_serving exports into a sub-folder directory/1 instead of the directory it was given.

Expect: saved_model.pb
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
    model.export(str(Path(directory) / "1"))
    return directory
