"""export_for_serving() with tf.saved_model.save, TensorFlow's own SavedModel writer.
"""

from pathlib import Path

import keras
import tensorflow as tf


def save_model(model, path):
    if Path(path).suffix not in (".keras", ".h5"):
        raise ValueError(f"{path}: the file name must end in .keras (recommended) or .h5")
    model.save(path)


def load_model(path):
    return keras.models.load_model(path)


def export_for_serving(model, directory):
    tf.saved_model.save(model, directory)
    return directory
