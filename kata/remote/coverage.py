"""Which lessons ``kata grade`` judges entirely outside the student's process.

:data:`COVERED` lists the lessons whose suites give, through the agent
(``pytest --remote``), the same verdict as in-process for the reference and every
mutant and alternative of the catalogue (``tests/test_remote.py`` checks it).
:data:`IN_PROCESS` names, per lesson, the checks that can't be made from data
alone, and why.
"""

from __future__ import annotations

COVERED: frozenset[int] = frozenset({1, 3, 4, 6, 7})

IN_PROCESS: dict[int, dict[str, str]] = {}
