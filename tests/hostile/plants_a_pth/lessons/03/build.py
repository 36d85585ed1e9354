"""Hostile: drop a ``.pth`` file and a ``sitecustomize`` into every site-packages folder.

Honest points: 8.  Python runs a ``.pth`` file's import lines at every start,
so this would patch every later lesson run of every student.  In the sandbox
the venv and the Python installation are read-only.
"""

import sys
from pathlib import Path

import keras

for _entry in sys.path:
    if _entry.endswith("site-packages"):
        for _name, _text in [("zz_kata_hostile.pth", "import os\n"),
                             ("sitecustomize.py", "print('patched')\n")]:
            try:
                (Path(_entry) / _name).write_text(_text)
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
