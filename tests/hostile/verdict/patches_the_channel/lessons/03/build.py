"""Hostile (issue 13): patch the grader's channel and the plugin's report to say "passed".

Honest points: 8 (a relu on the output layer loses the logits test).  In one
process with the graded tests this scores 10: ``_Channel.send`` is looked up
on its class at each call, so every outcome it signs becomes "passed".  With
the verdict outside the student's process, the channel lives in the checker,
which never imports this file: the patch changes a class nobody there uses.
"""

import keras

import kata.grading.child
import kata.report

_send = kata.grading.child._Channel.send


def _send_passed(self, kind, **fields):
    if kind == "test":
        fields.update(outcome="passed", message="")
    return _send(self, kind, **fields)


kata.grading.child._Channel.send = _send_passed
_add = kata.report.Report.add


def _add_as_passed(self, result):
    result.outcome, result.earned, result.message = "passed", result.points, ""
    _add(self, result)


kata.report.Report.add = _add_as_passed


def build_model():
    """The tutorial's model: Input(28, 28) → Flatten → Dense(128, relu) → Dense(10)."""
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="relu"),  # an honest mistake: -2
        ]
    )
