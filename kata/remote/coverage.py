"""Which lessons ``kata grade`` judges entirely outside the student's process.

:data:`COVERED` lists the lessons whose suites give, through the agent
(``pytest --remote``), the same verdict as in-process for the reference and for
every mutant and alternative of the catalogue; ``tests/test_remote.py`` checks
exactly these.  Other lessons run in-process, as before.

:data:`IN_PROCESS` names, per lesson not covered, the graded tests that can't be
made from data alone yet, and why.  Figures cross as checked descriptions
(:mod:`kata.remote.figures`), files the student's functions write are read as data
by the checker (:mod:`kata.remote.modelfiles`, :mod:`kata.remote.savedmodel`).

Example:
    >>> 7 in COVERED
    True
"""

from __future__ import annotations

COVERED: frozenset[int] = frozenset({1, 2, 3, 6, 7, 8, 9})

_FIT_WATCH = (
    "watches model.fit from inside: it patches keras.Model.fit and train_step to count the "
    "images, batch size, epochs and steps fit really ran, which can only be done in the process "
    "that trains (the student's), so its numbers would come from there"
)
_SPIES = (
    "spies on the calls run() makes to lessons 01-09 by replacing their functions (monkeypatch) "
    "in the process that runs the capstone: which function got which arguments is not in what "
    "run() returns"
)

IN_PROCESS: dict[int, dict[str, str]] = {
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
    10: {"*": _SPIES},
    11: {
        "test_fast_train_fits_the_dataset_with_the_fast_compile": "replaces model.fit on the model to see "
        "what fast_train passes it (a spy), in the process that trains",
        "*": "a tf.data.Dataset can't cross as data without running it; parity not shown",
    },
}
"""Per lesson, graded test name (``"*"``: the whole suite) → why it still needs the student's process."""


def verified_outside(lesson: int) -> bool:
    """Does ``kata grade`` judge every test of ``lesson`` in a process where no student code ran?"""
    return lesson in COVERED
