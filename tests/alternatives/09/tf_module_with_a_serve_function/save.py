"""export_for_serving() with a tf.Module whose tf.function serve (training=False) is also the serving_default signature, written by tf.saved_model.save.
"""

from pathlib import Path

import keras
import tensorflow as tf


def save_model(model, path):
    if Path(path).suffix not in (".keras", ".h5"):
        raise ValueError("the file name must end in .keras or .h5")
    model.save(path)


def load_model(path):
    return keras.models.load_model(path)


class _Serving(tf.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    @tf.function(input_signature=[tf.TensorSpec([None, 28, 28], tf.float32)])
    def serve(self, images):
        return self.model(images, training=False)


def export_for_serving(model, directory):
    module = _Serving(model)
    tf.saved_model.save(module, str(directory), signatures={"serving_default": module.serve})
    return directory
