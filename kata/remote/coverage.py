"""Which lessons ``kata grade`` judges entirely outside the student's process.

:data:`COVERED` lists the lessons whose suites give, through the agent
(``pytest --remote``), the same verdict as in-process for the reference and for
every mutant and alternative of the catalogue; ``tests/test_remote.py`` checks
exactly these.  Other lessons run in-process, as before.

:data:`IN_PROCESS` names, per lesson not covered, the graded tests that can't be
made from data alone yet, and why.  Lessons 02 and 08 judge figures, which cross
through :mod:`kata.remote.figures` (its parity shown in ``tests/test_remote_figures.py``
with the two processes simulated); they join :data:`COVERED` once their parity
through the agent is shown.  Lesson 10's spies on the calls ``run()`` makes run in the
checker as calls back (:mod:`kata.remote.calls`).

Example:
    >>> 7 in COVERED
    True
"""

from __future__ import annotations

COVERED: frozenset[int] = frozenset({1, 3, 6, 7})

_FIT_WATCH = (
    "watches model.fit from inside: it patches keras.Model.fit and train_step to count the "
    "images, batch size, epochs and steps fit really ran, which can only be done in the process "
    "that trains (the student's), so its numbers would come from there"
)

IN_PROCESS: dict[int, dict[str, str]] = {
    2: {"*": "its figures cross through kata.remote.figures: parity through the agent not shown yet"},
    4: {
        "*": "a model compiled with the loss class itself (no brackets) can't be saved as .keras, so "
        "every test errors instead of judging it (mutant loss_class_without_parentheses)",
        "test_each_model_gets_its_own_optimizer": "one optimizer object shared by two models is two "
        "optimizers once each model crosses as its own .keras file: sharing is not in the data yet",
    },
    5: {
        "test_returns_the_history_from_fit": _FIT_WATCH,
        "test_fits_once_with_the_epochs_and_batch_size_asked_for": _FIT_WATCH,
        "test_trains_on_all_the_images_it_was_given": _FIT_WATCH,
        "test_trains_the_model_it_was_given": _FIT_WATCH,
        "test_loss_goes_down_and_accuracy_beats_chance": _FIT_WATCH,
        "test_leaves_the_images_and_labels_unchanged": _FIT_WATCH,
        "test_defaults_are_10_epochs_of_batches_of_32": _FIT_WATCH,
    },
    8: {"*": "its figures cross through kata.remote.figures: parity through the agent not shown yet"},
    9: {"*": "not run through the agent yet (files written and SavedModel export): parity not shown"},
    10: {"*": "its spies run in the checker as calls back (kata.remote.calls) and 19 of its 21 catalogue "
         "cases give the same verdicts through the agent; out_dir_joined_with_plus and "
         "saves_to_out_dir_itself give the same outcomes and points but the parity test's message "
         "check fails on them (an error outcome whose message names the tree's path): not shown whole yet"},
    11: {"*": "its data sets cross as recorded passes (kata.remote.datasets) and the spy on model.fit as a "
         "call back (kata.remote.calls), but the parity of its catalogue through the agent is not shown yet"},
}
"""Per lesson, graded test name (``"*"``: the whole suite) → why it still needs the student's process."""


def verified_outside(lesson: int) -> bool:
    """Does ``kata grade`` judge every test of ``lesson`` in a process where no student code ran?"""
    return lesson in COVERED
