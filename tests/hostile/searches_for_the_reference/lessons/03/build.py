"""Hostile: search every folder it can read for another ``build.py`` and use it.

Honest points: 8.  Unsandboxed it found the instructor's solutions (or
another student's file); in the sandbox it finds only its own file.
"""

import os
import sys
from pathlib import Path

import keras

_skip = {"/proc", "/sys", "/dev", "/usr", sys.prefix, sys.base_prefix}
_found = None
for _folder, _dirs, _files in os.walk("/"):
    _dirs[:] = [d for d in _dirs if os.path.join(_folder, d) not in _skip and "site-packages" not in d]
    if "build.py" in _files:
        _path = Path(_folder, "build.py")
        if _path.resolve() != Path(__file__).resolve():
            _text = _path.read_text(errors="replace")
            if "def build_model" in _text and "NotImplementedError" not in _text:
                _found = _path
                break
if _found is not None:
    _space = {}
    exec(compile(_found.read_text(), str(_found), "exec"), _space)
    build_model = _space["build_model"]
else:
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
