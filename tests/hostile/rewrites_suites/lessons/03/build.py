"""Hostile: rewrite every graded suite it can reach, and ship a fake suite of its own.

Honest points: 8.  Only the lesson module is taken from a submission (its
``test_build.py`` is never read) and the suites it can reach in the sandbox
are read-only copies.
"""

from pathlib import Path

import keras

import kata.impl

_FAKE = "import pytest\n\n\n@pytest.mark.points(10)\ndef test_everything():\n    assert True\n"
for _suite in Path(kata.impl.ROOT).glob("lessons/*/test_*.py"):
    try:
        _suite.write_text(_FAKE)
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
