"""Issue 13: the catalogues graded through ``kata grade`` get the verdicts they get through ``pytest``.

Cases of the catalogue (the reference, the mutants in ``solutions/NN/mutants.toml``, the
alternatives in ``tests/alternatives/NN/``) of the lessons judged outside the student's
process (:data:`kata.remote.coverage.COVERED`) are put in classes and graded once by
``kata grade`` in the bubblewrap sandbox: the student's module runs in the agent, the suite
in the checker.  For each case, every graded test must have the outcome it has when
``pytest`` runs the suite with the student's module in its own process (the report
``tests/test_mutants.py`` made earlier in the session; a fresh in-process run when this
file runs alone).

Which cases: by default (``tox``) a :func:`sample` of each lesson: its reference, every
right answer, and for each graded test the first mutant the test catches, so that every
test's failure crosses the wire and every right answer is shown to keep its points there.
Each case costs a second grading, and the whole catalogue (421 cases) through ``kata grade``
took over half an hour of CI's 90 minutes; the sample is about a third of it.  With
``--every-case`` (``tox -e catalogue``) every case is graded, as before a release.

The file's name sorts after ``tests/test_mutants.py``, so in a whole run those
in-process reports exist when it starts.  The cases are packed in three classes.
A test marked ``slow`` trains on the full data; a right answer's slow test is
judged in this process by ``tests/test_mutants.py``, and the reference's, graded
here too, shows that the full run works through the wire.  So:

- Submission ``quick-K`` holds the K-th case of each lesson that has no slow test
  (01-09) and the bonus's K-th right answer or mutant its slow test is not meant
  to catch (:func:`~tests.test_mutants.without_slow_tests`).
- Submission ``quickcap-K`` holds the capstone's K-th right answer, with the
  reference's lessons 01-09 beside it.
- Submission ``whole-K`` holds the K-th other case of the capstone (its
  reference and its mutants, with the reference's lessons 01-09 beside each) and
  of the bonus (its reference and the mutants its slow test is meant to catch).

The ``quick`` classes are graded with ``kata grade --skip-slow``, which leaves out
the slow tests, and compared without them; ``whole`` with every test (a capstone
mutant that fails the quick checks costs no training: the full run waits for
them).  A submission's other lessons are absent: no suite but the capstone's
reads a student's other lessons.  Only the cases the session runs are graded
(``-k 10-``: the capstone's cases alone).

Messages: a mutant's failures must say its ``expect`` words, and where the student's
code raised (a message :mod:`kata.explain` words, naming the lesson files), kata grade's
message must be pytest's once both name files and temporary folders alike
(:func:`said_alike`).  They can't be equal as they stand, and that is not a difference
the student sees between two processes: pytest names a file from the folder it runs in
(here a tree in a temporary folder; a student reads ``lessons/10/pipeline.py``),
kata grade as ``10/pipeline.py``, in one process or two, and pytest numbers its
temporary folders per run (``pytest-2164/capstone0``), which two in-process runs of one
case already name differently.  (The ``--remote`` parity once compared such messages as
they stood, on a copy of the tree at another path: two capstone mutants "differed".)
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kata import cli
from kata.grading.records import CACHE_FOLDER, read_record, record_key
from kata.impl import ROOT, get_lesson
from kata.remote.coverage import COVERED
from tests.test_mutants import CAPSTONE, MUTANTS, alternatives, slow_tests, without_slow_tests


def catalogue() -> dict[int, list[tuple[str, object]]]:
    """Covered lesson → its cases as (case id, a Mutant or an alternative's file), reference first."""
    cases: dict[int, list[tuple[str, object]]] = {n: [(f"{n:02d}-reference", None)] for n in sorted(COVERED)}
    for mutant in MUTANTS:
        if mutant.lesson.number in COVERED:
            cases[mutant.lesson.number].append((f"{mutant.lesson.folder}-{mutant.name}", mutant))
    for number, path in alternatives():
        if number in COVERED:
            cases[number].append((f"{number:02d}-{path.parent.name}", path))
    return cases


CANNOT_CROSS = {
    "04-accuracy_of_its_own_in_numpy", "04-loss_of_its_own_in_numpy", "04-own_accuracy_with_keras_ops",
}
"""Cases whose compiled model holds a function of the student's (a metric or loss of their own).

The model crosses from the agent to the checker as data, rebuilt in Keras' safe mode, which
refuses the student's Python code: kata grade fails every test that needs the model with "the
model could not be loaded safely", where pytest, in one process, judges the function itself
(docs/instructor.md, "Where kata grade and pytest differ").  This file checks that they are
told so; a right answer among them loses its points through kata grade, as the guide says.
"""

KINDS = {"quick": ["--skip-slow"], "quickcap": ["--skip-slow"], "whole": []}
"""Each class and the options ``kata grade`` grades it with."""


def kind_of(lesson: int, entry: object) -> str:
    """The class a case goes in: ``quick``, ``quickcap`` or ``whole`` (see the module's docstring)."""
    if not slow_tests(lesson):
        return "quick"
    if isinstance(entry, Path):  # a right answer
        return "quickcap" if lesson == CAPSTONE else "quick"
    if hasattr(entry, "caught_by") and without_slow_tests(entry):
        return "quick"
    return "whole"


def places(cases: dict[int, list[tuple[str, object]]]) -> dict[str, tuple[str, int]]:
    """Case id → (the submission it goes in, its lesson)."""
    placed = {}
    for lesson, listed in cases.items():
        counts = dict.fromkeys(KINDS, 0)
        for case, entry in listed:
            kind = kind_of(lesson, entry)
            placed[case] = (f"{kind}-{counts[kind]:02d}", lesson)
            counts[kind] += 1
    return placed


def sample(cases: dict[int, list[tuple[str, object]]]) -> dict[int, list[tuple[str, object]]]:
    """Each lesson's reference, its right answers, and for each graded test the catalogue's first
    mutant that test catches (a later mutant is taken only for a test no earlier one was taken for)."""
    kept = {}
    for lesson, listed in cases.items():
        judged: set[str] = set()
        kept[lesson] = []
        for case, entry in listed:
            caught = set(getattr(entry, "caught_by", ()))
            if not caught or caught - judged:
                kept[lesson].append((case, entry))
                judged |= caught
    return kept


CASES = catalogue()
SAMPLE = sample(CASES)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """The sample's cases, or with ``--every-case`` every case of the catalogue."""
    if "case" in metafunc.fixturenames:
        chosen = CASES if metafunc.config.getoption("every_case") else SAMPLE
        metafunc.parametrize("case", [case for cases in chosen.values() for case, _ in cases])


def said_alike(message: str) -> str:
    """``message`` with its lesson files as ``NN/topic.py`` and pytest's temporary folders as ``<tmp>/``."""
    message = re.sub(r"[^\s'\"(]*pytest-of-[^/\s]+/pytest-\d+/", "<tmp>/", message)
    message = re.sub(r"[^\s'\"(]*/(\d\d/\w+\.py)\b", r"\1", message)
    # The error's own text is the library's, not kata.explain's words: it names what the process
    # made (a Keras variable's path, a layer's counted name) and can differ between two processes.
    return re.sub(r"^(.*? raised [\w.]+): .*$", r"\1: …", message, flags=re.M)


def alike(told: str, expected: str) -> bool:
    """The same message once both are :func:`said_alike` (the error's own text left out); a line
    cut short ("…", ``kata.explain`` keeps 240 characters of an error's line) is compared up to
    the shorter cut, as a path of another length before it moves the cut."""
    ours, theirs = said_alike(told).splitlines(), said_alike(expected).splitlines()
    if len(ours) != len(theirs):
        return False
    for one, other in zip(ours, theirs, strict=True):
        if one.endswith("…") or other.endswith("…"):
            cut = min(len(one), len(other)) - 1
            one, other = one[:cut], other[:cut]
        if one != other:
            return False
    return True


def module_file(case, folder: Path) -> Path:
    """The lesson module of a case: the reference's, a mutant written into ``folder``, an alternative."""
    number = int(case[0][:2])
    if case[1] is None:
        return ROOT / "solutions" / get_lesson(number).folder / get_lesson(number).filename
    if isinstance(case[1], Path):
        return case[1]
    return case[1].write(folder / case[0])  # a Mutant


def grade(submissions: Path, out: Path, lessons: list[int], timeout: int, *options: str) -> None:
    code = cli.main(["grade", str(submissions), "--out", str(out), "--lessons", ",".join(map(str, lessons)),
                     "--jobs", "2", "--timeout", str(timeout), "--sandbox", "bwrap", *options])
    assert code == 0, f"kata grade exited with {code}"


def selected_cases(session: pytest.Session) -> set[str]:
    """The cases this session runs: ``-k 10-`` grades only the capstone's."""
    return {item.callspec.params["case"] for item in session.items
            if item.originalname == "test_kata_grade_gives_the_verdict_pytest_gives"}


@pytest.fixture(scope="module")
def graded(request, tmp_path_factory, bwrap) -> tuple[dict[str, Path], dict[str, tuple[str, int]]]:
    """Grade every selected case: the grades folder of each class (:data:`KINDS`), and where each case went."""
    top = tmp_path_factory.mktemp("catalogue")
    modules = top / "modules"
    selected = selected_cases(request.session)
    placed = places({lesson: [case for case in cases if case[0] in selected] for lesson, cases in CASES.items()})
    for lesson, cases in CASES.items():
        for case in (case for case in cases if case[0] in selected):
            student, _ = placed[case[0]]
            info = get_lesson(lesson)
            target = top / student.split("-")[0] / student / "lessons" / info.folder
            target.mkdir(parents=True)
            shutil.copyfile(module_file(case, modules), target / info.filename)
            if lesson == CAPSTONE:
                for earlier in range(1, CAPSTONE):
                    before = get_lesson(earlier)
                    (target.parent / before.folder).mkdir(exist_ok=True)
                    shutil.copyfile(ROOT / "solutions" / before.folder / before.filename,
                                    target.parent / before.folder / before.filename)
    outs = {}
    for kind, options in KINDS.items():
        lessons = sorted({lesson for student, lesson in placed.values() if student.startswith(f"{kind}-")})
        if lessons:
            grade(top / kind, top / f"grades-{kind}", lessons, 900 if CAPSTONE in lessons else 300, *options)
            outs[kind] = top / f"grades-{kind}"
    return outs, placed


@pytest.mark.slow
def test_kata_grade_gives_the_verdict_pytest_gives(case, graded, graded_here, run_suite, tree_with, tmp_path):
    outs, placed = graded
    student, lesson = placed[case]
    out = outs[student.split("-")[0]]
    record = read_record((out / CACHE_FOLDER / f"{student}.json").read_text(), record_key())
    assert record is not None, f"{student}'s record is not signed with this user's key"
    there = record.lessons[lesson]
    assert there.status == "ok", f"{case} ({student}): {there.status}: {there.reason}; log: {there.log_tail[-800:]}"
    assert there.verified_outside == there.possible, f"{case}: only {there.verified_outside} points verified outside"
    if case in CANNOT_CROSS:
        told = {t.name: (t.outcome, t.message) for t in there.tests}
        assert all(outcome == "failed" and "could not be loaded safely" in message
                   for outcome, message in told.values()), f"{case} crossed to the checker after all: {told}"
        return
    here = graded_here.get(case)
    if here is None:
        (entry,) = [c for c in CASES[lesson] if c[0] == case]
        tree = ROOT / "solutions" if entry[1] is None else tree_with(lesson, module_file(entry, tmp_path))
        here = run_suite(lesson, tree, *(["-m", "not slow"] if student.startswith("quick") else []))
    left_out = slow_tests(lesson) if "--skip-slow" in KINDS[student.split("-")[0]] else frozenset()
    expected = {r.name: r.outcome for r in here.results if r.name.split("[")[0] not in left_out}
    got = {t.name: t.outcome for t in there.tests}
    mutant = next((c[1] for c in CASES[lesson] if c[0] == case and hasattr(c[1], "caught_by")), None)
    if mutant is not None:  # the mistake is named as pytest names it (tests/test_mutants.py)
        said = [t.message for t in there.tests if t.name.split("[")[0] in mutant.caught_by and t.outcome != "passed"]
        assert any(mutant.expect.lower() in m.lower() for m in said), (
            f"kata grade's feedback on {case} should say {mutant.expect!r}: {said}")
    told = {t.name: t.message for t in there.tests}
    for result in here.results:
        if result.where:  # the student's code raised: kata.explain words it in both
            assert alike(told[result.name], result.message), (
                f"kata grade tells {case}'s {result.name} otherwise than pytest:\n"
                f"{told[result.name]}\n--- pytest:\n{result.message}")
    assert got == expected, (
        f"kata grade judged {case} otherwise than pytest: "
        f"{[(t.name, t.outcome, expected.get(t.name), t.message[:300]) for t in there.tests if expected.get(t.name) != t.outcome]}"
    )
