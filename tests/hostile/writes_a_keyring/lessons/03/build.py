"""Hostile: write into the kernel keyrings that the sandbox can see, to pass data to later runs.

Honest points: 10 (the reference's model).  Keyrings are not namespaced like files: without
the sandbox's seccomp filter a run could add keys to the keyrings of the uid the grader runs
as, and a later run (of another student, or another grading) could read them in /proc/keys.
If any write succeeds, this submission gives itself away by building a wrong model (relu on
the output: 2 points lost), and the test also looks for its key in the host's /proc/keys.
"""

import ctypes
import platform

import keras


def _attack() -> bool:
    _libc = ctypes.CDLL(None, use_errno=True)
    _libc.syscall.restype = ctypes.c_long
    _ADD_KEY = {"x86_64": 248, "aarch64": 217}
    _TARGETS = [-4, -5, -3]  # KEY_SPEC_USER_KEYRING, _USER_SESSION_KEYRING, _SESSION_KEYRING
    try:
        for _line in open("/proc/keys").read().splitlines():
            _fields = _line.split()
            if len(_fields) > 8 and _fields[7] == "keyring":
                _TARGETS.append(int(_fields[0], 16))
    except OSError:
        pass

    WROTE = False
    for _target in _TARGETS:
        _number = _ADD_KEY.get(platform.machine())
        if _number is None:
            break
        _result = _libc.syscall(ctypes.c_long(_number), b"user", b"kata-hostile-keyring",
                                b"left by a sandbox", ctypes.c_size_t(17), ctypes.c_int(_target))
        WROTE = WROTE or _result >= 0
    return WROTE


WROTE = _attack()


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
            keras.layers.Dense(10, activation="relu" if WROTE else None),
        ]
    )
    return model
