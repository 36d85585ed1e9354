"""os.path.splitext and keras.saving's save_model/load_model; export with an explicit format.
"""

import os

import keras


def save_model(model, path):
    _, ending = os.path.splitext(os.fspath(path))
    if ending not in {".keras", ".h5"}:
        raise ValueError("use a file name ending in .keras or .h5, got " + repr(os.fspath(path)))
    keras.saving.save_model(model, path)


def load_model(path):
    return keras.saving.load_model(path)


def export_for_serving(model, directory):
    model.export(os.fspath(directory), format="tf_saved_model")
    return directory
