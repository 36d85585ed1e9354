"""Hostile (issue 13): patch ``builtins`` so that the suite doesn't see a layer.

Honest points: 8 (a ReLU layer after the output layer loses the logits test).
The suite walks the model's layers with ``isinstance``; the patched
``builtins.isinstance`` says the ReLU layer is an ``InputLayer`` when the
suite asks (Keras, asking too, gets the truth), and the suite skips it
(``len`` and ``abs`` are patched too, harmlessly, as a careless attacker
would).  In one process with the graded tests this scores 10.  With
the verdict outside the student's process, the checker's builtins are its
own: the patch changes only the agent's.
"""

import builtins
import sys

import keras

_isinstance, _len, _abs = builtins.isinstance, builtins.len, builtins.abs


def isinstance(obj, kinds):  # noqa: A001 - the attack is the shadowing
    asked_by_a_test = sys._getframe(1).f_code.co_filename.endswith("test_build.py")
    if asked_by_a_test and kinds is keras.layers.InputLayer and _isinstance(obj, keras.layers.ReLU):
        return True
    return _isinstance(obj, kinds)


builtins.isinstance = isinstance
builtins.len = lambda obj: _len(obj)
builtins.abs = lambda x: _abs(x)


def build_model():
    """The tutorial's model: Input(28, 28) → Flatten → Dense(128, relu) → Dense(10)."""
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10),
            keras.layers.ReLU(),  # an honest mistake: -2
        ]
    )
