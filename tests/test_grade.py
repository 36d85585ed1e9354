"""``kata grade``: a class of honest, partial and hostile submissions grades exactly.

The class is built here, in a temporary folder, and graded once (lesson 03
only, two at a time, short limits) by the real command; each test then reads
one student's row.  Every hostile submission must get exactly the points its
honest lesson code earns: what ``pytest lessons/03`` gives that code alone.
The class's lesson runs are forked from the preloader (the default); the
Gradescope test runs with ``--fresh``, so both ways of starting a run are
graded against a crash.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from kata import cli
from kata import grade as grade_module
from kata.impl import LESSONS, ROOT, get_lesson

SOLUTION_03 = (ROOT / "solutions" / "03" / "build.py").read_text()
STUB_03 = (ROOT / "lessons" / "03" / "build.py").read_text()

# Two honest mistakes whose points are fixed by the suite: a relu on the
# output layer loses the logits test (2 points), 64 hidden units lose the
# layers and the parameter-count tests (2 + 2 points).
RELU_OUTPUT = SOLUTION_03.replace("keras.layers.Dense(10)", 'keras.layers.Dense(10, activation="relu")')
HIDDEN_64 = SOLUTION_03.replace("Dense(128,", "Dense(64,")
assert RELU_OUTPUT != SOLUTION_03 and HIDDEN_64 != SOLUTION_03

TEST_FILE = "lessons/03/test_build.py"
NODEIDS = [
    f"{TEST_FILE}::{name}"
    for name in [
        "test_returns_a_keras_model",
        "test_takes_28_by_28_images_and_gives_10_scores", "test_layers_are_flatten_dense128_relu_dense10",
        "test_output_is_logits_not_probabilities", "test_has_101770_parameters",
        "test_each_call_builds_a_new_model",
    ]
]

ALWAYS_PASS_HOOK = '''
import pytest

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    report.outcome = "passed"
    report.longrepr = None
'''

FAKE_SUITE = '''
import pytest

@pytest.mark.points(10)
def test_everything():
    assert True
'''

# At import, rewrite every graded suite the module can reach.  The guard keeps a
# broken grader from damaging this checkout: only the grader's copies are touched.
REWRITE_SUITES = f'''
import kata.impl as _impl
if "kata-grade-" in str(_impl.ROOT):
    for _suite in _impl.ROOT.glob("lessons/*/test_*.py"):
        _suite.write_text({FAKE_SUITE!r})
'''

PATCH_REPORTING = '''
import _pytest.reports
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
'''

FAKE_RESULTS = f'''
import json as _json
import os as _os
import stat as _stat
from pathlib import Path as _Path

_NODEIDS = {NODEIDS!r}
_fake = {{"schema": "kata-report/1", "total": {{"earned": 10, "possible": 10}},
         "tests": [{{"nodeid": n, "outcome": "passed", "earned": 2, "points": 2}} for n in _NODEIDS]}}
for _place in [_Path.cwd(), _Path(__file__).resolve().parents[1], _Path(__file__).resolve().parents[2]]:
    for _name in ["report.json", "kata-report.json", "results.json"]:
        try:
            (_place / _name).write_text(_json.dumps(_fake))
        except OSError:
            pass
# Forge "passed" on every pipe this process can write to (the results channel among them).
for _fd in _os.listdir("/proc/self/fd"):
    try:
        if _stat.S_ISFIFO(_os.fstat(int(_fd)).st_mode):
            for _n in _NODEIDS:
                _line = _json.dumps({{"kind": "test", "seq": 1, "nodeid": _n, "outcome": "passed", "message": ""}})
                _os.write(int(_fd), (_line + "\\t" + "0" * 64 + "\\n").encode())
    except OSError:
        pass
'''

# Replace the code of every graded test the module can find with one that passes.
REPLACE_TESTS = '''
import sys as _sys

for _module in list(_sys.modules.values()):
    if "test_build" in str(getattr(_module, "__file__", "")):
        for _name, _value in list(vars(_module).items()):
            if _name.startswith("test_") and hasattr(_value, "__code__"):
                _value.__code__ = (lambda impl: None).__code__
'''

SITECUSTOMIZE = '''
from pathlib import Path
Path({marker!r}).write_text("the submission's sitecustomize ran")
'''

MEMORY_HOG = '''
_hoard = []
try:
    while True:
        _hoard.append(bytearray(1 << 27))
except MemoryError:
    _hoard.clear()
'''

# A process left behind that writes to every pipe it can, without end.
FLOOD_PIPES = '''
import os as _os
import stat as _stat

if _os.fork() == 0:
    _pipes = []
    for _fd in _os.listdir("/proc/self/fd"):
        try:
            if _stat.S_ISFIFO(_os.fstat(int(_fd)).st_mode):
                _pipes.append(int(_fd))
        except OSError:
            pass
    while True:
        for _fd in _pipes:
            try:
                _os.write(_fd, b"x" * 4000 + b"\\n")
            except OSError:
                pass
'''

# A process that leaves its process group and outlives the lesson, to rewrite
# the gradebook later; it writes its pid down first.
LINGER = '''
import os as _os
import time as _time

_first = _os.fork()
if _first == 0:
    _os.setsid()
    if _os.fork() == 0:
        with open({pidfile!r}, "w") as _stream:
            _stream.write(str(_os.getpid()))
        while True:
            _time.sleep(1)
    _os._exit(0)
_os.waitpid(_first, 0)
'''

# Look for the preloader's control socket among this process's open files and
# write down what was found; a run forked from the preloader must have none.
PROBE_FDS = '''
import os as _os
import stat as _stat

_open = {{}}
for _fd in _os.listdir("/proc/self/fd"):
    try:
        _mode = _os.fstat(int(_fd)).st_mode
    except OSError:
        continue
    _open[_fd] = "socket" if _stat.S_ISSOCK(_mode) else "pipe" if _stat.S_ISFIFO(_mode) else "other"
with open({fdfile!r}, "w") as _stream:
    _stream.write(repr(_open))
'''

HANG = "while True:\n    pass\n"
FLOOD = "while True:\n    print('x' * 4096)\n"
SEGFAULT = "import ctypes\nctypes.string_at(0)\n"
EXIT_MID_TEST = SOLUTION_03.replace("    model = keras.Sequential(", "    import os\n    os._exit(0)\n    model = keras.Sequential(")
assert EXIT_MID_TEST != SOLUTION_03

# student: (lesson 03 points, lesson status)
EXPECTED = {
    "perfect": (10, "ok"),
    "untouched": (0, "ok"),
    "relu_output": (8, "ok"),
    "hidden_64": (6, "ok"),
    "zip_flat": (8, "ok"),
    "zip_nested": (8, "ok"),
    "hostile_rewrites_suites": (8, "ok"),
    "hostile_conftest": (6, "ok"),
    "hostile_patches_reporting": (8, "ok"),
    "hostile_fake_results": (6, "ok"),
    "hostile_memory_hog": (8, "ok"),
    "hostile_leaves_a_process_behind": (10, "ok"),
    "hostile_looks_for_the_preloader": (10, "ok"),
    "hostile_replaces_test_code": (0, "ok"),  # tampering with the tests costs the lesson
    "hostile_hangs_at_import": (0, "timeout"),
    "hostile_floods_the_results_pipe": (0, "crashed"),
    "hostile_exits_mid_test": (0, "crashed"),
    "hostile_floods_stdout": (0, "crashed"),
    "hostile_segfaults": (0, "crashed"),
    "hostile_symlink_to_solution": (0, "missing"),
}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def clone_with(folder: Path, build_py: str) -> Path:
    """A submission laid out as a clone of this repository, lesson 03 replaced."""
    write(folder / "lessons" / "03" / "build.py", build_py)
    write(folder / "README.md", "my kata\n")
    return folder


def make_zip(target: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return target


def build_class(folder: Path, marker: Path, pidfile: Path, fdfile: Path) -> Path:
    folder.mkdir()
    perfect = folder / "perfect"
    shutil.copytree(ROOT / "solutions", perfect / "lessons", ignore=shutil.ignore_patterns("__pycache__"))
    clone_with(folder / "untouched", STUB_03)
    clone_with(folder / "relu_output", RELU_OUTPUT)
    clone_with(folder / "hidden_64", HIDDEN_64)
    make_zip(folder / "zip_flat.zip", {"lessons/03/build.py": RELU_OUTPUT, "README.md": "x"})
    make_zip(folder / "zip_nested.zip", {"kata-main/lessons/03/build.py": RELU_OUTPUT, "kata-main/README.md": "x"})

    hostile = clone_with(folder / "hostile_rewrites_suites", RELU_OUTPUT + REWRITE_SUITES)
    write(hostile / "lessons" / "03" / "test_build.py", FAKE_SUITE)

    hostile = clone_with(folder / "hostile_conftest", HIDDEN_64)
    for place in ["conftest.py", "lessons/conftest.py", "lessons/03/conftest.py"]:
        write(hostile / place, ALWAYS_PASS_HOOK)
    write(hostile / "pytest.ini", "[pytest]\naddopts = -p no:kata.plugin\n")
    write(hostile / "lessons" / "pytest.ini", "[pytest]\naddopts = -p no:kata.plugin\n")
    write(hostile / "pyproject.toml", '[tool.pytest.ini_options]\naddopts = ["-p", "no:kata.plugin"]\n')
    write(hostile / "kata" / "__init__.py", "")
    write(hostile / "kata" / "plugin.py", ALWAYS_PASS_HOOK)
    write(hostile / "kata" / "grade.py", "def child_main(argv):\n    return 0\n")
    for place in ["sitecustomize.py", "lessons/sitecustomize.py", "lessons/03/sitecustomize.py"]:
        write(hostile / place, SITECUSTOMIZE.format(marker=str(marker)))

    clone_with(folder / "hostile_patches_reporting", RELU_OUTPUT + PATCH_REPORTING)
    clone_with(folder / "hostile_fake_results", HIDDEN_64 + FAKE_RESULTS)
    clone_with(folder / "hostile_memory_hog", MEMORY_HOG + RELU_OUTPUT)
    clone_with(folder / "hostile_leaves_a_process_behind", LINGER.format(pidfile=str(pidfile)) + SOLUTION_03)
    clone_with(folder / "hostile_replaces_test_code", SOLUTION_03 + REPLACE_TESTS)
    clone_with(folder / "hostile_looks_for_the_preloader", PROBE_FDS.format(fdfile=str(fdfile)) + SOLUTION_03)
    clone_with(folder / "hostile_hangs_at_import", HANG + SOLUTION_03)
    clone_with(folder / "hostile_floods_the_results_pipe", FLOOD_PIPES + SOLUTION_03)
    clone_with(folder / "hostile_exits_mid_test", EXIT_MID_TEST)
    clone_with(folder / "hostile_floods_stdout", FLOOD + SOLUTION_03)
    clone_with(folder / "hostile_segfaults", SEGFAULT + SOLUTION_03)
    link = folder / "hostile_symlink_to_solution" / "lessons" / "03" / "build.py"
    link.parent.mkdir(parents=True)
    link.symlink_to(ROOT / "solutions" / "03" / "build.py")
    return folder


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    top = tmp_path_factory.mktemp("class")
    marker = top / "sitecustomize-ran"
    pidfile = top / "lingering.pid"
    fdfile = top / "open-files.txt"
    submissions = build_class(top / "submissions", marker, pidfile, fdfile)
    pristine = {p: digest(p) for p in (ROOT / "lessons" / "03").glob("test_*.py")}
    out = top / "grades"
    forks = []

    class CountingPreloader(grade_module.Preloader):
        def fork(self, request, fds):
            pid = super().fork(request, fds)
            forks.append(pid)
            return pid

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(grade_module, "Preloader", CountingPreloader)
        code = cli.main([
            "grade", str(submissions), "--out", str(out), "--lessons", "3", "--jobs", "2",
            "--timeout", "90", "--memory", "3", "--output-limit", "8",
        ])
    assert code == 0
    with open(out / "gradebook.csv", newline="") as stream:
        rows = {row["student"]: row for row in csv.DictReader(stream)}
    return {"out": out, "rows": rows, "marker": marker, "pristine": pristine, "pidfile": pidfile,
            "fdfile": fdfile, "forks": forks}


def record(graded_class, student: str) -> grade_module.StudentGrade:
    path = graded_class["out"] / grade_module.CACHE_FOLDER / f"{student}.json"
    return grade_module.StudentGrade.from_dict(json.loads(path.read_text()))


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_each_submission_gets_exactly_its_honest_points(graded_class, student):
    points, status = EXPECTED[student]
    row = graded_class["rows"][student]
    lesson = record(graded_class, student).lessons[3]
    failed = [f"{t.name}: {t.outcome}: {t.message[:200]}" for t in lesson.tests if t.outcome != "passed"]
    assert (float(row["03"]), lesson.status) == (points, status), (
        f"{student} should get {points}/10 ({status}); got {row['03']} ({lesson.status}: "
        f"{lesson.reason}); failed tests: {failed}; log: {lesson.log_tail[-500:]}"
    )
    assert float(row["total"]) == points and float(row["max"]) == 10


def test_gradebook_has_one_row_per_student(graded_class):
    assert sorted(graded_class["rows"]) == sorted(EXPECTED)
    header = list(next(iter(graded_class["rows"].values())))
    assert header == ["student", "03", "total", "max", "review"]


def test_the_submission_never_touched_the_pristine_suites(graded_class):
    for path, before in graded_class["pristine"].items():
        assert digest(path) == before, f"{path} changed while grading"
    assert not graded_class["marker"].exists(), "a submission's sitecustomize.py ran"


def test_no_process_outlives_its_lesson(graded_class):
    pid = int(graded_class["pidfile"].read_text())
    try:
        with open(f"/proc/{pid}/stat") as stream:
            state = stream.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        state = "gone"
    assert state in ("gone", "Z", "X"), f"the process a submission left behind (pid {pid}) still runs"


def test_every_lesson_run_was_forked_from_the_preloader(graded_class):
    runs = sum(EXPECTED[s][1] != "missing" for s in EXPECTED) + 1  # and collecting the suites
    assert len(graded_class["forks"]) == runs and None not in graded_class["forks"], (
        f"expected {runs} lesson runs forked from the preloader, got {graded_class['forks']}"
    )


def test_a_forked_run_cannot_reach_the_preloader(graded_class):
    found = ast.literal_eval(graded_class["fdfile"].read_text())
    assert "socket" not in found.values(), (
        f"a lesson run still has a socket open (the preloader's control socket?): {found}"
    )


def test_a_dead_preloader_means_fresh_processes(tmp_path):
    preloader = grade_module.Preloader(tmp_path / "preloader")
    try:
        preloader._process.kill()
        preloader._process.wait()
        manifest = grade_module.collect_tests([3], grade_module.Limits(timeout=90), preloader)
    finally:
        preloader.close()
    assert preloader.broken, "the preloader was dead, yet it says it forked a run"
    assert [t.name for t in manifest[3]] == [n.split("::")[1] for n in NODEIDS]


def test_stopped_lessons_say_why_in_the_feedback(graded_class):
    feedback = graded_class["out"] / "feedback"
    expectations = {
        "hostile_hangs_at_import": "time limit of 90 s",
        "hostile_exits_mid_test": "ended early with exit code 0",
        "hostile_floods_the_results_pipe": "flooded the grader's results channel",
        "hostile_floods_stdout": "more output than the limit (8 MiB)",
        "hostile_segfaults": "segmentation fault",
        "hostile_symlink_to_solution": "has no lessons/03/build.py",
        "untouched": "not started yet — see docs/lessons/03-build.md",
        "hidden_64": "128 units",
        "hostile_replaces_test_code": "the test function was replaced",
    }
    for student, phrase in expectations.items():
        text = (feedback / f"{student}.md").read_text()
        assert phrase in text, f"{student}'s feedback should say {phrase!r}:\n{text}"


def test_forgery_attempts_are_flagged_for_review(graded_class):
    rows = graded_class["rows"]
    assert "unsigned line(s) on the results channel" in rows["hostile_fake_results"]["review"]
    assert "_pytest" in rows["hostile_patches_reporting"]["review"]
    assert rows["perfect"]["review"] == "" and rows["untouched"]["review"] == ""


def test_gradescope_json_has_the_fields_gradescope_reads(graded_class):
    for student, (points, _) in EXPECTED.items():
        data = json.loads((graded_class["out"] / "gradescope" / f"{student}.json").read_text())
        check_gradescope_results(data)
        assert data["score"] == points and data["max_score"] == 10


def test_chart_is_a_png(graded_class):
    assert (graded_class["out"] / "scores.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def check_gradescope_results(data: dict) -> None:
    """Gradescope's results.json, as its autograder specification describes it."""
    assert isinstance(data["score"], (int, float)) and isinstance(data["max_score"], (int, float))
    assert data["tests"], "no tests in the results"
    regular = [t for t in data["tests"] if not t["name"].startswith("bonus ")]
    assert sum(t["max_score"] for t in regular) == data["max_score"]
    assert sum(t["score"] for t in data["tests"]) == data["score"]
    for test in data["tests"]:
        assert set(test) >= {"name", "number", "score", "max_score", "status", "output", "visibility"}
        assert test["status"] in ("passed", "failed")
        assert test["visibility"] in ("hidden", "after_due_date", "after_published", "visible")
        assert isinstance(test["name"], str) and isinstance(test["output"], str)
        assert (test["status"] == "passed") == (test["score"] == test["max_score"] > 0)


def lessons_with_suites(*wanted: int) -> list[int]:
    return [n for n in wanted if any((ROOT / "lessons" / f"{n:02d}").glob("test_*.py"))]


def test_gradescope_mode_grades_one_submission_and_a_crash_spares_other_lessons(tmp_path):
    lessons = lessons_with_suites(1, 3)
    submission = tmp_path / "submission"
    shutil.copytree(ROOT / "solutions", submission / "lessons", ignore=shutil.ignore_patterns("__pycache__"))
    write(submission / "lessons" / "03" / "build.py", EXIT_MID_TEST)
    results = tmp_path / "results"
    code = cli.main([
        "grade", "--gradescope", str(submission), "--out", str(results),
        "--lessons", ",".join(map(str, lessons)), "--timeout", "90", "--fresh",
    ])
    assert code == 0
    data = json.loads((results / "results.json").read_text())
    check_gradescope_results(data)
    lesson_03 = [t for t in data["tests"] if t["number"].startswith("3.")]
    assert lesson_03 and all(t["score"] == 0 for t in lesson_03)
    assert "ended early" in lesson_03[0]["output"]
    assert data["score"] == 10 * (len(lessons) - 1), data["output"]


def test_rerun_regrades_only_changed_submissions(tmp_path, monkeypatch):
    submissions = tmp_path / "submissions"
    clone_with(submissions / "ada", SOLUTION_03)
    clone_with(submissions / "bob", STUB_03)
    calls = []
    real_grade_lesson = grade_module.grade_lesson

    def counting(number, source, *args, **kwargs):
        calls.append(source)
        return real_grade_lesson(number, source, *args, **kwargs)

    monkeypatch.setattr(grade_module, "grade_lesson", counting)
    manifest = grade_module.collect_tests([3], grade_module.Limits(timeout=60))
    monkeypatch.setattr(grade_module, "collect_tests", lambda lessons, limits, preloader=None: manifest)
    # Other work on this checkout may change a suite between runs: hold the grader's side still.
    monkeypatch.setattr(grade_module, "grader_fingerprint", lambda lessons: "fixed")

    def run(*extra):
        calls.clear()
        assert cli.main(["grade", str(submissions), "--out", str(tmp_path / "out"),
                         "--lessons", "3", "--timeout", "60", *extra]) == 0
        with open(tmp_path / "out" / "gradebook.csv", newline="") as stream:
            return {row["student"]: row["03"] for row in csv.DictReader(stream)}, len(calls)

    assert run() == ({"ada": "10", "bob": "0"}, 2)
    assert run() == ({"ada": "10", "bob": "0"}, 0)
    write(submissions / "bob" / "lessons" / "03" / "build.py", RELU_OUTPUT)
    assert run() == ({"ada": "10", "bob": "8"}, 1)
    assert run("--force") == ({"ada": "10", "bob": "8"}, 2)


# --- reading submissions (no subprocess) ---------------------------------------------


def test_a_folder_a_zip_and_a_nested_zip_give_the_same_files(tmp_path):
    text = RELU_OUTPUT
    clone_with(tmp_path / "clone", text)
    write(tmp_path / "bare" / "03" / "build.py", text)
    write(tmp_path / "nested" / "top" / "lessons" / "03" / "build.py", text)
    archives = [
        make_zip(tmp_path / "a.zip", {"lessons/03/build.py": text}),
        make_zip(tmp_path / "b.zip", {"kata-main/lessons/03/build.py": text, "kata-main/x.txt": ""}),
        make_zip(tmp_path / "c.zip", {"03/build.py": text}),
    ]
    for path in [tmp_path / "clone", tmp_path / "bare", tmp_path / "nested", *archives]:
        assert grade_module.read_lesson_files(path, [3, 4]) == {3: text.encode()}, path


def test_only_lesson_modules_are_read_and_links_are_refused(tmp_path):
    folder = clone_with(tmp_path / "s", SOLUTION_03)
    write(folder / "lessons" / "03" / "conftest.py", ALWAYS_PASS_HOOK)
    os.symlink(ROOT / "solutions" / "01", folder / "lessons" / "01")
    assert grade_module.read_lesson_files(folder, [1, 3]) == {3: SOLUTION_03.encode()}
    linked = tmp_path / "linked"
    (linked / "lessons").mkdir(parents=True)
    os.symlink(ROOT / "solutions" / "03", linked / "lessons" / "03")
    assert grade_module.read_lesson_files(linked, [3]) == {}


def test_a_broken_zip_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(grade_module.SubmissionError, match="not a readable zip"):
        grade_module.read_lesson_files(bad, [3])


def test_submissions_are_named_by_their_entries(tmp_path):
    (tmp_path / "ada").mkdir()
    make_zip(tmp_path / "Bob Smith.zip", {"lessons/03/build.py": ""})
    (tmp_path / ".DS_Store").write_text("")
    (tmp_path / "notes.txt").write_text("")
    names = [s.student for s in grade_module.find_submissions(tmp_path)]
    assert names == ["Bob_Smith", "ada"]


def test_the_channel_accepts_only_lines_signed_with_the_runs_key():
    import hmac

    key, other = b"k" * 32, b"o" * 32
    good = b'{"kind": "test", "outcome": "passed"}'
    signed = good + b"\t" + hmac.new(key, good, "sha256").hexdigest().encode()
    forged = good + b"\t" + hmac.new(other, good, "sha256").hexdigest().encode()
    messages, rejected = grade_module._verify(b"\n".join([signed, forged, good, b"junk"]) + b"\n", key)
    assert messages == [{"kind": "test", "outcome": "passed"}] and rejected == 3


def test_review_flags_ignore_docstrings_and_comments():
    honest = [*ROOT.glob("solutions/*/*.py"), *ROOT.glob("kata/stubs/*/*.py"),
              *ROOT.glob("tests/alternatives/*/*/*.py")]
    flagged = {p.relative_to(ROOT).as_posix(): grade_module.review_flags(p.read_bytes()) for p in honest}
    assert not {p: f for p, f in flagged.items() if f}, "honest lesson code should not be flagged"
    assert grade_module.review_flags(REPLACE_TESTS.encode()) == ["__code__", "sys.modules"]
    flagged = grade_module.review_flags(b'"""pytest"""\nimport gc  # pytest\nopen("/proc/self/fd")\n')
    assert flagged == ["/proc/", "gc"]


def test_lesson_selection():
    assert grade_module.graded_lessons("3") == [3]
    assert grade_module.graded_lessons("1-3") == lessons_with_suites(1, 2, 3)
    assert grade_module.graded_lessons(None) == lessons_with_suites(*LESSONS)
    for wrong in ["12", "three", "3-x"]:
        with pytest.raises(grade_module.SubmissionError, match="--lessons"):
            grade_module.graded_lessons(wrong)
    without = [n for n in LESSONS if not lessons_with_suites(n)]
    if without:
        with pytest.raises(grade_module.SubmissionError, match="no graded suite"):
            grade_module.graded_lessons(str(without[0]))


def test_the_fingerprint_follows_the_graded_suites(tmp_path, monkeypatch):
    for name in ["conftest.py", "pyproject.toml"]:
        write(tmp_path / name, name)
    write(tmp_path / "kata" / "plugin.py", "plugin")
    write(tmp_path / "solutions" / "03" / "build.py", "reference")
    suite = write(tmp_path / "lessons" / "03" / "test_build.py", "suite")
    stub = write(tmp_path / "lessons" / "03" / "build.py", "stub")
    monkeypatch.setattr(grade_module, "ROOT", tmp_path)
    before = grade_module.grader_fingerprint([3])
    stub.write_text("the instructor's own attempt")
    assert grade_module.grader_fingerprint([3]) == before
    suite.write_text("a changed suite")
    assert grade_module.grader_fingerprint([3]) != before


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("KATA_GRADE_FULL"), reason="set KATA_GRADE_FULL=1: grades every lesson (minutes)")
def test_the_reference_solutions_grade_full_points_on_every_lesson(tmp_path):
    submissions = tmp_path / "submissions"
    shutil.copytree(ROOT / "solutions", submissions / "reference" / "lessons",
                    ignore=shutil.ignore_patterns("__pycache__"))
    assert cli.main(["grade", str(submissions), "--out", str(tmp_path / "out"), "--jobs", "2"]) == 0
    record = grade_module.StudentGrade.from_dict(
        json.loads((tmp_path / "out" / grade_module.CACHE_FOLDER / "reference.json").read_text()))
    lost = {n: [(t.name, t.message[:200]) for t in g.tests if t.outcome != "passed"] or g.reason
            for n, g in record.lessons.items() if g.earned != g.possible}
    assert not lost, f"the reference lost points when graded: {lost}"
    earned, possible = record.total()
    assert earned == possible == 10 * sum(not get_lesson(n).bonus for n in record.lessons)
