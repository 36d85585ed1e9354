"""export_for_serving() with keras.export.ExportArchive: one endpoint, the model's call on a
batch of 28×28 float images; the ending checked with two comparisons.
"""

from pathlib import Path

import keras
import tensorflow as tf


def save_model(model, path):
    suffix = Path(path).suffix
    if suffix == ".keras" or suffix == ".h5":
        model.save(path)
    else:
        raise ValueError(f"Cannot save to {path}: the file must end in .keras or .h5, not {suffix!r}")


def load_model(path):
    return keras.models.load_model(Path(path))


def export_for_serving(model, directory):
    archive = keras.export.ExportArchive()
    archive.track(model)
    archive.add_endpoint(
        name="serve",
        fn=model.call,
        input_signature=[tf.TensorSpec(shape=(None, 28, 28), dtype=tf.float32)],
    )
    archive.write_out(directory)
    return directory
