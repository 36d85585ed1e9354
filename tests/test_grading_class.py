"""``kata grade`` through the sandbox: a class of honest and hostile submissions grades exactly.

The hostile submissions are files under ``tests/hostile/`` (one folder per
attack, laid out as a submission); the honest ones are made here from the
reference solution.  The class is graded once (lesson 03 only, two at a
time, short limits) by the real command, in the bubblewrap sandbox; each
test then reads one student's row.  Every hostile submission must get
exactly the points its honest lesson code earns: what ``pytest lessons/03``
gives that code alone.  The instructor's checkout, the venv and the data
cache are hashed before and after, and the outputs are read again 10 s after
the grader returned.

A sandbox test is never skipped when ``CI=true``: it fails (CI installs
bubblewrap, see ``.ci/run``).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import site
import sys
import time
import zipfile
from pathlib import Path

import pytest

from kata import cli
from kata.data import keras_cache_dir, seed_keras_cache
from kata.grading.records import CACHE_FOLDER, read_record, record_key
from kata.impl import ROOT

HOSTILE = Path(__file__).parent / "hostile"
SOLUTION_03 = (ROOT / "solutions" / "03" / "build.py").read_text()
STUB_03 = (ROOT / "lessons" / "03" / "build.py").read_text()
# Two honest mistakes whose points are fixed by the suite: a relu on the output layer loses
# the logits test (2 points), 64 hidden units the layers test (2; the parameter-count test
# then stays silent: one failure per mistake).
RELU_OUTPUT = SOLUTION_03.replace("keras.layers.Dense(10)", 'keras.layers.Dense(10, activation="relu")')
HIDDEN_64 = SOLUTION_03.replace("Dense(128,", "Dense(64,")
assert RELU_OUTPUT != SOLUTION_03 and HIDDEN_64 != SOLUTION_03

# student: (lesson 03 points, lesson status)
HONEST = {
    "perfect": (10, "ok"),
    "untouched": (0, "ok"),
    "relu_output": (8, "ok"),
    "hidden_64": (8, "ok"),
    "zip_flat": (8, "ok"),
    "zip_nested": (8, "ok"),
}
HOSTILE_EXPECTED = {
    "calls_own_reference": (0, "ok"),
    "hides_from_the_word_list": (8, "ok"),
    "searches_for_the_reference": (8, "ok"),
    "rewrites_suites": (8, "ok"),
    "ships_conftest_and_plugins": (8, "ok"),
    "patches_reporting": (8, "ok"),
    "fakes_results": (8, "ok"),
    "hogs_memory": (8, "ok"),
    # Lesson 03 is judged outside the student's process (issue 13): the agent that runs the
    # student's code holds no test to replace and no pipe to flood; both keep their honest 10.
    "replaces_test_code": (10, "ok"),
    "looks_for_the_preloader": (10, "ok"),
    "tampers_with_outputs_later": (10, "ok"),
    "rewrites_the_checkout": (8, "ok"),
    "plants_a_pth": (8, "ok"),
    "breaks_the_data_cache": (8, "ok"),
    "floods_other_runs": (10, "ok"),
    "hangs_at_import": (0, "timeout"),
    "floods_the_results_pipe": (10, "ok"),
    "exits_mid_test": (0, "crashed"),
    "floods_stdout": (0, "crashed"),
    "segfaults": (0, "crashed"),
    "symlink_to_solution": (0, "missing"),
    "signs_a_malformed_message": (0, "ok"),  # the ill-shaped signed message is dropped
    "writes_a_keyring": (10, "ok"),  # the seccomp filter refuses add_key: no wrong model
    "fills_dev_shm": (10, "ok"),  # /dev/shm is a capped tmpfs of its own, emptied after each run
    # Zips that zipfile can't read in ways other than BadZipFile: one error row each, the class goes on.
    "zip_encrypted_entry": (0, "error"),
    "zip_unknown_compression": (0, "error"),
    "zip_corrupt_stream": (0, "error"),
}
EXPECTED = {**HONEST, **HOSTILE_EXPECTED}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def make_zip(target: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return target


def build_class(folder: Path) -> Path:
    """The honest students, made from the reference, and every hostile folder, copied as is."""
    folder.mkdir()
    shutil.copytree(ROOT / "solutions", folder / "perfect" / "lessons",
                    ignore=shutil.ignore_patterns("__pycache__"))
    write(folder / "untouched" / "lessons" / "03" / "build.py", STUB_03)
    write(folder / "relu_output" / "lessons" / "03" / "build.py", RELU_OUTPUT)
    write(folder / "hidden_64" / "lessons" / "03" / "build.py", HIDDEN_64)
    make_zip(folder / "zip_flat.zip", {"lessons/03/build.py": RELU_OUTPUT, "README.md": "x"})
    make_zip(folder / "zip_nested.zip", {"kata-main/lessons/03/build.py": RELU_OUTPUT,
                                         "kata-main/README.md": "x"})
    for student in HOSTILE_EXPECTED:
        if (HOSTILE / f"{student}.zip").is_file():
            shutil.copyfile(HOSTILE / f"{student}.zip", folder / f"{student}.zip")
        else:
            shutil.copytree(HOSTILE / student, folder / student, symlinks=True)
    # The link points at this checkout's solutions from where it lies in tests/hostile/.
    link = folder / "symlink_to_solution" / "lessons" / "03" / "build.py"
    link.unlink()
    link.symlink_to(ROOT / "solutions" / "03" / "build.py")
    return folder


def tree_digest(top: Path, contents: bool = True,
                skip=(".git", "__pycache__", ".pytest_cache", ".benchmarks")) -> str:
    """Every file's path, size, modification time and (for small files) content, hashed."""
    digest = hashlib.sha256()
    for folder, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d not in skip and Path(folder, d) != ROOT / ".venv")
        for name in sorted(files):
            path = Path(folder, name)
            try:
                info = path.lstat()
            except OSError:
                continue
            digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
            if contents and info.st_size < (1 << 16) and path.is_file() and not path.is_symlink():
                digest.update(path.read_bytes())
    return digest.hexdigest()


def python_folders() -> list[Path]:
    """The venv and every site-packages folder on ``sys.path``."""
    folders = [sys.prefix, *site.getsitepackages(), *(p for p in sys.path if p.endswith("site-packages"))]
    return sorted({Path(p).resolve() for p in folders if Path(p).is_dir()})


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def lingering() -> list[int]:
    """Processes named ``kata-linger`` (what tampers_with_outputs_later calls itself)."""
    found = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            if Path(f"/proc/{entry}/comm").read_text().strip() == "kata-linger":
                found.append(int(entry))
        except OSError:
            pass
    return found


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory, bwrap):
    top = tmp_path_factory.mktemp("class")
    submissions = build_class(top / "submissions")
    seed_keras_cache()  # the grader's own first step, which may refresh the "verified" stamp
    guarded = {"checkout": ROOT, "data cache": keras_cache_dir(),
               **{f"python {p}": p for p in python_folders()}}

    def digests():
        return {name: tree_digest(path, contents=not name.startswith("python"))
                for name, path in guarded.items()}

    before = digests()
    out = top / "grades"
    code = cli.main(["grade", str(submissions), "--out", str(out), "--lessons", "3", "--jobs", "2",
                     "--timeout", "90", "--memory", "3", "--output-limit", "8",
                     "--sandbox", "bwrap"])
    at_return = snapshot(out)
    alive = lingering()
    keys = Path("/proc/keys").read_text() if Path("/proc/keys").exists() else ""
    time.sleep(10)
    after = digests()
    assert code == 0
    with open(out / "gradebook.csv", newline="") as stream:
        rows = {row["student"]: row for row in csv.DictReader(stream)}
    return {"out": out, "rows": rows, "before": before, "after": after, "at_return": at_return,
            "later": snapshot(out), "alive": alive, "keys": keys}


def record(graded_class, student: str):
    text = (graded_class["out"] / CACHE_FOLDER / f"{student}.json").read_text()
    grade = read_record(text, record_key())
    assert grade is not None, f"{student}'s record is not signed with this user's key"
    return grade


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
    assert row["sandbox"] == "bwrap"


def test_gradebook_has_one_row_per_student(graded_class):
    assert sorted(graded_class["rows"]) == sorted(EXPECTED)
    header = list(next(iter(graded_class["rows"].values())))
    assert header == ["student", "03", "total", "max", "review", "sandbox", "outside"]


@pytest.mark.parametrize("guarded", ["checkout", "data cache", "python"])
def test_nothing_of_the_instructor_changed(graded_class, guarded):
    changed = [name for name in graded_class["before"] if name.startswith(guarded)
               and graded_class["before"][name] != graded_class["after"][name]]
    assert not changed, f"changed while grading the hostile class: {changed}"


def test_the_outputs_read_10_s_later_are_those_at_return(graded_class):
    assert graded_class["alive"] == [], "a process a submission left behind outlived the grader"
    assert graded_class["later"] == graded_class["at_return"], "the outputs changed after the grader returned"
    assert (graded_class["out"] / "gradebook.csv").is_file()


def test_stopped_lessons_say_why_in_the_feedback(graded_class):
    feedback = graded_class["out"] / "feedback"
    expectations = {
        "hangs_at_import": "time limit of 90 s",
        "exits_mid_test": "ended early with exit code 0",
        "floods_stdout": "more output than the limit (8 MiB)",
        "segfaults": "segmentation fault",
        "symlink_to_solution": "has no lessons/03/build.py",
        "untouched": "not started yet — see docs/lessons/03-build.md",
        "hidden_64": "128 units",
        "calls_own_reference": "has no file",
        "zip_encrypted_entry": "is not a readable zip file",
        "zip_corrupt_stream": "is not a readable zip file",
    }
    for student, phrase in expectations.items():
        text = (feedback / f"{student}.md").read_text()
        assert phrase in text, f"{student}'s feedback should say {phrase!r}:\n{text}"


def test_forged_lines_never_reach_the_channel_and_honest_students_are_not_flagged(graded_class):
    """Lesson 03 is judged outside the student's process: the agent holds no pipe of the
    channel, so fakes_results' forged lines go nowhere (before issue 13 they arrived unsigned
    and were flagged)."""
    rows = graded_class["rows"]
    assert "unsigned line" not in rows["fakes_results"]["review"]
    for student in HONEST:
        assert rows[student]["review"] == "", f"{student} is honest but flagged: {rows[student]['review']}"


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


def test_gradescope_mode_in_the_sandbox_hides_the_graded_reference(tmp_path, bwrap):
    """The hostile that scored 10/10 in Gradescope (the solutions ship in the autograder)."""
    submission = tmp_path / "submission"
    shutil.copytree(ROOT / "solutions", submission / "lessons", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(HOSTILE / "calls_own_reference" / "lessons" / "03" / "build.py",
                    submission / "lessons" / "03" / "build.py")
    results = tmp_path / "results"
    code = cli.main(["grade", "--gradescope", str(submission), "--out", str(results),
                     "--lessons", "1,3", "--timeout", "90", "--fresh", "--sandbox", "bwrap"])
    assert code == 0
    data = json.loads((results / "results.json").read_text())
    check_gradescope_results(data)
    lesson_03 = [t for t in data["tests"] if t["number"].startswith("3.")]
    assert lesson_03 and all(t["score"] == 0 for t in lesson_03), lesson_03
    assert data["score"] == 10, data["output"]


def test_a_run_that_kills_its_preloader_costs_only_its_own_lesson(tmp_path, bwrap):
    """Lesson 01 kills the sandbox's preloader; lesson 03, next in the same shard, gets a new sandbox."""
    submissions = tmp_path / "submissions"
    shutil.copytree(HOSTILE / "kills_the_preloader", submissions / "kills_the_preloader")
    write(submissions / "honest" / "lessons" / "03" / "build.py", SOLUTION_03)
    code = cli.main(["grade", str(submissions), "--out", str(tmp_path / "out"), "--lessons", "1,3",
                     "--jobs", "1", "--timeout", "90", "--sandbox", "bwrap"])
    assert code == 0
    with open(tmp_path / "out" / "gradebook.csv", newline="") as stream:
        rows = {row["student"]: row for row in csv.DictReader(stream)}
    assert (rows["kills_the_preloader"]["01"], rows["kills_the_preloader"]["03"]) == ("0", "10")
    assert (rows["honest"]["01"], rows["honest"]["03"]) == ("0", "10")
    feedback = (tmp_path / "out" / "feedback" / "kills_the_preloader.md").read_text()
    assert "the sandbox stopped answering" in feedback, feedback


def test_no_keyring_holds_what_a_run_wrote(graded_class):
    """writes_a_keyring tried to add a key to every keyring it could name; none holds it."""
    assert "kata-hostile-keyring" not in graded_class["keys"]
