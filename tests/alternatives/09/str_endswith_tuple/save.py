"""str(path).endswith((".keras", ".h5")), which works on str and Path alike.
"""

import keras


def save_model(model, path):
    if not str(path).endswith((".keras", ".h5")):
        raise ValueError(f"{path}: the file name must end in .keras (recommended) or .h5")
    model.save(path)


def load_model(path):
    return keras.models.load_model(path)


def export_for_serving(model, directory):
    model.export(directory)
    return directory
