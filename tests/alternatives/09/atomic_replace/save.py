"""save_model() writes a temporary file with the same ending beside the target, then os.replace swaps it in; the folder's other files stay.
"""

import os
import tempfile
from pathlib import Path

import keras


def save_model(model, path):
    target = Path(path)
    if target.suffix not in {".keras", ".h5"}:
        raise ValueError(f"{target.name}: a model file must end in .keras or .h5")
    # write next to the target, then swap it in: a crash never leaves half a file
    fd, tmp = tempfile.mkstemp(suffix=target.suffix, dir=target.parent)
    os.close(fd)
    try:
        model.save(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def load_model(path):
    return keras.models.load_model(Path(path))


def export_for_serving(model, directory):
    model.export(os.fspath(directory))
    return directory
