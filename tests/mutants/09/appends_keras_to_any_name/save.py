"""save_model adds .keras to a name without it instead of raising a ValueError, so 'my_model' is saved and 'model.h5' becomes 'model.h5.keras'.

Expect: should raise a ValueError
"""

from pathlib import Path

import keras

FORMATS = (".keras", ".h5")


def save_model(model, path):
    """Save the model, adding .keras when the name lacks it."""
    path = str(path)
    if not path.endswith(".keras"):
        path += ".keras"
    model.save(path)


def load_model(path):
    """Load a model saved by :func:`save_model`, compiled and with its optimizer state."""
    return keras.models.load_model(path)


def export_for_serving(model, directory):
    """Export the model as a TensorFlow SavedModel in ``directory`` and return that path."""
    model.export(directory)
    return directory
