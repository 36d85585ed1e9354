"""Hostile: fill /dev/shm, RAM-backed, past the sandbox's cap, and leave it for the next run.

Honest points: 10 (the reference's model).  /dev/shm in the sandbox is a tmpfs of its own,
capped like /tmp (--output-limit, 8 MiB in the class test) and emptied after every run.  This
writes until the disk says no, up to 64 MiB; if more than 16 MiB fit, or a file of an earlier
run is still there, it gives itself away by building a wrong model (relu on the output).
"""

import os

import keras


def _attack() -> bool:
    _SHM = "/dev/shm"
    _LEFT_BEFORE = os.path.exists(os.path.join(_SHM, "kata-hostile-0"))
    _written = 0
    try:
        for _index in range(64):
            with open(os.path.join(_SHM, f"kata-hostile-{_index}"), "wb") as _file:
                _file.write(b"x" * (1 << 20))
            _written += 1 << 20
    except OSError:
        pass
    ESCAPED = _LEFT_BEFORE or _written > (16 << 20)
    return ESCAPED


ESCAPED = _attack()


def build_model():
    """Return the tutorial's model: Input(28, 28) → Flatten → Dense(128, relu) → Dense(10).

    The last layer has no activation: it outputs logits, and the loss turns
    them into probabilities (lesson 04).  101,770 parameters in all.
    """
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="relu" if ESCAPED else None),
        ]
    )
    return model
