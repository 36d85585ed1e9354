"""``pytest --remote``: the same verdicts when the module under test runs in another process.

The parity tests grade every catalogue case (mutants, alternatives, the
reference) of the lessons :data:`kata.remote.coverage.COVERED` lists twice, in
this process and through an agent (``--remote``), and require the same outcome
for every graded test; they reuse the catalogue machinery of
``tests/test_mutants.py``.  The codec tests check round trips, identity,
write-back, and that what the agent sends is never loaded unsafely (attack
files under ``tests/hostile/remote/``).
"""

from __future__ import annotations

import pytest

from kata.impl import ROOT
from kata.remote.coverage import COVERED
from tests.test_mutants import MUTANTS, alternatives

CASES = (
    [pytest.param(n, "reference", None, id=f"{n:02d}-reference") for n in sorted(COVERED)]
    + [pytest.param(m.lesson.number, "mutant", m, id=f"{m.lesson.folder}-{m.name}")
       for m in MUTANTS if m.lesson.number in COVERED]
    + [pytest.param(n, "alternative", path, id=f"{n:02d}-{path.parent.name}")
       for n, path in alternatives() if n in COVERED]
)


def verdicts(report) -> dict[str, str]:
    return {r.name: r.outcome for r in report.results}


@pytest.mark.slow
@pytest.mark.parametrize(("lesson", "kind", "case"), CASES)
def test_remote_gives_the_same_verdict_as_in_process(lesson, kind, case, run_suite, tree_with, tmp_path):
    if kind == "reference":
        tree = ROOT / "solutions"
    elif kind == "mutant":
        tree = tree_with(lesson, case.write(tmp_path / case.name))
    else:
        tree = tree_with(lesson, case)
    here = run_suite(lesson, tree)
    there = run_suite(lesson, tree, "--remote")
    assert verdicts(there) == verdicts(here), (
        f"--remote judged {kind} {getattr(case, 'name', case)} otherwise: "
        f"{[(r.name, r.outcome, r.message) for r in there.results if verdicts(here)[r.name] != r.outcome]}"
    )
    messages = {r.name: r.message for r in here.results}
    if kind == "mutant":
        failed = [r.message for r in there.results if r.name.split("[")[0] in case.caught_by and r.outcome != "passed"]
        assert any(case.expect.lower() in m.lower() for m in failed), (case.expect, failed)
    (score,) = there.lessons()
    assert score.earned == here.lessons()[0].earned
    assert all(r.message == messages[r.name] or r.outcome == "failed" for r in there.results), (
        [(r.message, messages[r.name]) for r in there.results if r.message != messages[r.name]]
    )
