"""Which lessons ``kata grade`` judges entirely outside the student's process.

:data:`COVERED` lists the lessons whose suites give, through ``kata grade``'s checker
and agent, the same verdict as ``pytest`` in-process for the reference and for every
mutant and alternative of the catalogue: ``tests/test_mutants_through_kata_grade.py`` checks
exactly these (and ``tests/test_remote.py`` their right answers through ``pytest
--remote``).  Other lessons run in-process, as before.

:data:`IN_PROCESS` names, per lesson not covered, the graded tests that can't be
made from data alone yet, and why.  Figures cross as checked descriptions
(:mod:`kata.remote.figures`), files the student's functions write are read as data
by the checker (:mod:`kata.remote.modelfiles`, :mod:`kata.remote.savedmodel`),
lesson 10's spies on the calls ``run()`` makes run in the checker as calls back
(:mod:`kata.remote.calls`), and lesson 11's ``tf.data`` pipelines cross as the kinds of
their steps and recorded passes (:mod:`kata.remote.datasets`), its spy on ``model.fit``
as a call back: every lesson, 01 to 11, is covered.

Example:
    >>> 7 in COVERED
    True
"""

from __future__ import annotations

COVERED: frozenset[int] = frozenset({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})

IN_PROCESS: dict[int, dict[str, str]] = {}
"""Per lesson, graded test name (``"*"``: the whole suite) → why it still needs the student's process."""


def verified_outside(lesson: int) -> bool:
    """Does ``kata grade`` judge every test of ``lesson`` in a process where no student code ran?"""
    return lesson in COVERED
