"""save_model always saves in the .keras format: it swaps any other ending for .keras, so 'model.h5' becomes 'model.keras'.

Expect: legacy .h5 format
"""

from pathlib import Path

import keras

FORMATS = (".keras", ".h5")


def save_model(model, path):
    """Save the model, always in the native format."""
    model.save(Path(path).with_suffix(".keras"))


def load_model(path):
    """Load a model saved by :func:`save_model`, compiled and with its optimizer state."""
    return keras.models.load_model(path)


def export_for_serving(model, directory):
    """Export the model as a TensorFlow SavedModel in ``directory`` and return that path."""
    model.export(directory)
    return directory
