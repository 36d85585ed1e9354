"""save_model() checks '.keras' in str(path): 'model.keras.bak' passes that check, and model.save raises Keras' own ValueError for it.
"""

import keras


def save_model(model, path):
    if ".keras" not in str(path) and ".h5" not in str(path):
        raise ValueError(f"{path}: the file name must end in .keras (recommended) or .h5")
    model.save(path)


def load_model(path):
    return keras.models.load_model(path)


def export_for_serving(model, directory):
    model.export(directory)
    return directory
