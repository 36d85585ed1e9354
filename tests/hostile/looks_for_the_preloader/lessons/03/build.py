"""Hostile: look for the preloader's control socket among its open files.

Honest points: 10.  A run closes every file it inherited but its two pipes
before any student code runs (and the agent of a covered lesson every file but
its own stream socket to the checker); had it found the preloader's socket, a
datagram-like SOCK_SEQPACKET one, this module would not import and the lesson
would get 0.
"""

import os
import socket
import stat

import keras

for _fd in os.listdir("/proc/self/fd"):
    try:
        _mode = os.fstat(int(_fd)).st_mode
    except OSError:
        continue
    if stat.S_ISSOCK(_mode):
        _found = socket.socket(fileno=os.dup(int(_fd)))
        _kind = _found.type
        _found.detach()
        if _kind == socket.SOCK_SEQPACKET:
            raise RuntimeError(f"found a socket on fd {_fd}: the preloader's control socket?")


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
