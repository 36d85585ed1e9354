"""The ending by rsplit('.', 1)[-1] (a dot in a folder or earlier in the name doesn't fool it); the old file removed before saving, the old export folder before exporting.
"""

import os
import shutil

import keras


def save_model(model, path):
    ending = os.fspath(path).rsplit(".", 1)[-1]
    if ending not in ("keras", "h5"):
        raise ValueError("save_model: the name must end in .keras or .h5, e.g. 'fashion.keras'")
    if os.path.exists(path):
        os.remove(path)
    model.save(path)


def load_model(path):
    return keras.models.load_model(os.fspath(path))


def export_for_serving(model, directory):
    shutil.rmtree(directory, ignore_errors=True)   # a clean folder each time
    model.export(directory, verbose=False)
    return directory
