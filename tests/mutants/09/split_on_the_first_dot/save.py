"""save_model() takes the ending as str(path).split('.')[1]: wrong when a folder name has a dot.

Expect: dot
"""

from pathlib import Path

import keras


def save_model(model, path):
    if str(path).split(".")[1] not in ("keras", "h5"):
        raise ValueError(f"{path}: the file name must end in .keras (recommended) or .h5")
    model.save(path)


def load_model(path):
    return keras.models.load_model(path)


def export_for_serving(model, directory):
    model.export(directory)
    return directory
