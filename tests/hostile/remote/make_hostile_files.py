"""Write this folder's hostile SavedModel and ``.h5`` again (run from the repository's root).

``python tests/hostile/remote/make_hostile_files.py``: ``writes_a_file_when_served/`` is a
SavedModel whose ``serving_default`` takes images as a model's does, gives ten numbers per image,
and writes ``kata-hostile-was-here.txt`` in the current folder (a ``WriteFile`` op);
``lambda_layer.h5`` is a model with a ``Lambda`` layer (Python bytecode) in the legacy format.
"""

from pathlib import Path

import keras
import tensorflow as tf

HERE = Path(__file__).resolve().parent


class WritesAFile(tf.Module):
    def __init__(self):
        super().__init__()
        self.kernel = tf.Variable(tf.zeros((784, 10)))

    @tf.function(input_signature=[tf.TensorSpec((None, 28, 28), tf.float32, name="images")])
    def serve(self, images):
        tf.io.write_file("kata-hostile-was-here.txt", "a SavedModel wrote this file when it was served")
        return {"output_0": tf.matmul(tf.reshape(images, (-1, 784)), self.kernel)}


def main() -> None:
    module = WritesAFile()
    tf.saved_model.save(module, str(HERE / "writes_a_file_when_served"),
                        signatures={"serving_default": module.serve})
    model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10),
                              keras.layers.Lambda(lambda x: x * 2)])
    model.save(HERE / "lambda_layer.h5")


if __name__ == "__main__":
    main()
