"""Hostile: patch pytest's reports and the kata plugin's score to say "passed".

Honest points: 8.  The grade comes from the signed channel, which calls the
graded test functions itself; pytest's reports decide nothing.
"""

import _pytest.reports
import keras

import kata.report

_from_item_and_call = _pytest.reports.TestReport.from_item_and_call.__func__


def _passed(cls, item, call):
    report = _from_item_and_call(cls, item, call)
    report.outcome = "passed"
    report.longrepr = None
    return report


_pytest.reports.TestReport.from_item_and_call = classmethod(_passed)
_add = kata.report.Report.add


def _add_as_passed(self, result):
    result.outcome, result.earned, result.message = "passed", result.points, ""
    _add(self, result)


kata.report.Report.add = _add_as_passed


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
