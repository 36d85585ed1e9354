"""save_model() raises a plain Exception instead of a ValueError for a bad name.

Expect: ValueError
"""

from pathlib import Path

import keras


def save_model(model, path):
    if Path(path).suffix not in (".keras", ".h5"):
        raise Exception(f"{path}: the file name must end in .keras (recommended) or .h5")
    model.save(path)


def load_model(path):
    return keras.models.load_model(path)


def export_for_serving(model, directory):
    model.export(directory)
    return directory
