"""Hostile: write fake result files, and forge "passed" lines on every pipe it holds.

Honest points: 8 (64 hidden units: lesson 03 names that one mistake once).  No results file is ever read, and the
forged lines carry no valid signature: they are dropped, and the row is
flagged for review ("unsigned line(s) on the results channel").
"""

import json
import os
import stat
from pathlib import Path

import keras

_NODEIDS = [
    f"lessons/03/test_build.py::{name}"
    for name in [
        "test_returns_a_keras_model",
        "test_takes_28_by_28_images_and_gives_10_scores",
        "test_layers_are_flatten_dense128_relu_dense10",
        "test_output_is_logits_not_probabilities",
        "test_has_101770_parameters",
        "test_each_call_builds_a_new_model",
    ]
]
_fake = {"schema": "kata-report/1", "total": {"earned": 10, "possible": 10},
         "tests": [{"nodeid": n, "outcome": "passed", "earned": 2, "points": 2} for n in _NODEIDS]}
for _place in [Path.cwd(), *Path(__file__).resolve().parents]:
    for _name in ["report.json", "kata-report.json", "results.json"]:
        try:
            (_place / _name).write_text(json.dumps(_fake))
        except OSError:
            pass
for _fd in os.listdir("/proc/self/fd"):
    try:
        if stat.S_ISFIFO(os.fstat(int(_fd)).st_mode):
            for _n in _NODEIDS:
                _line = json.dumps({"kind": "test", "seq": 1, "nodeid": _n, "outcome": "passed",
                                    "message": ""})
                os.write(int(_fd), (_line + "\t" + "0" * 64 + "\n").encode())
    except OSError:
        pass


def build_model():
    """The tutorial's model: Input(28, 28) → Flatten → Dense(128, relu) → Dense(10)."""
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(64, activation="relu"),  # an honest mistake: -4
            keras.layers.Dense(10),
        ]
    )
    return model
