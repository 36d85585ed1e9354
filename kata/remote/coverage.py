"""Which lessons ``kata grade`` judges entirely outside the student's process.

:data:`COVERED` lists the lessons whose suites give, through the agent
(``pytest --remote``), the same verdict as in-process for the reference and for
every mutant and alternative of the catalogue; ``tests/test_remote.py`` checks
exactly these.  Other lessons run in-process, as before.

:data:`IN_PROCESS` names, per lesson not covered, the graded tests that can't be
made from data alone yet, and why.  Lessons 02 and 08 judge figures, which cross
through :mod:`kata.remote.figures` (its parity shown in ``tests/test_remote_figures.py``
with the two processes simulated); they join :data:`COVERED` once their parity
through the agent is shown.

Example:
    >>> 7 in COVERED
    True
"""

from __future__ import annotations

COVERED: frozenset[int] = frozenset({1, 3, 4, 5, 6, 7})

_SPIES = (
    "spies on the calls run() makes to lessons 01-09 by replacing their functions (monkeypatch) "
    "in the process that runs the capstone: which function got which arguments is not in what "
    "run() returns"
)

IN_PROCESS: dict[int, dict[str, str]] = {
    2: {"*": "its figures cross through kata.remote.figures: parity through the agent not shown yet"},
    8: {"*": "its figures cross through kata.remote.figures: parity through the agent not shown yet"},
    9: {"*": "not run through the agent yet (files written and SavedModel export): parity not shown"},
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
