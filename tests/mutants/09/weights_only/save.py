"""save_model saves only the weights (save_weights) and load_model builds a new model and loads them: the optimizer and compile settings are lost.

Expect: no optimizer
"""

from pathlib import Path

import keras

FORMATS = (".keras", ".h5")


def save_model(model, path):
    """Save the weights."""
    model.save_weights(str(path) + ".weights.h5")


def load_model(path):
    """Rebuild the model and load the saved weights into it."""
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10),
        ]
    )
    model.load_weights(str(path) + ".weights.h5")
    return model


def export_for_serving(model, directory):
    """Export the model as a TensorFlow SavedModel in ``directory`` and return that path."""
    model.export(directory)
    return directory
