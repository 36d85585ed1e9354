"""Hostile: reach the reference through names the review word list doesn't know.

Honest points: 8 (its own code has a relu on the output layer).  No review
flag is raised: the word list is not a defence; the sandbox is.
"""

import keras

_names = globals()["__buil" + "tins__"]
_names = _names if isinstance(_names, dict) else vars(_names)
_loader = getattr(_names["__im" + "port__"]("im" + "portlib"), "import_" + "module")
try:
    build_model = _loader("ka" + "ta").lesson(3, "sol" + "utions").build_model
except Exception:  # noqa: BLE001 - not there: fall back on its own code
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
