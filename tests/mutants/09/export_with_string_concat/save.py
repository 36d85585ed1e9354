"""export_for_serving() exports to directory + "/" (string habit): fine on a str, a TypeError on a pathlib.Path.

Expect: Path
"""

from pathlib import Path

import keras


def save_model(model, path):
    if Path(path).suffix not in (".keras", ".h5"):
        raise ValueError(f"{path}: the file name must end in .keras (recommended) or .h5")
    model.save(path)


def load_model(path):
    return keras.models.load_model(path)


def export_for_serving(model, directory):
    model.export(directory + "/")
    return directory
