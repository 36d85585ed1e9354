"""The grading package's parts, one at a time, without grading anything."""

from __future__ import annotations

import hmac
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from kata import cli
from kata.checkout import Checkout
from kata.grading import grader, outputs, records, sandbox, shards, submissions
from kata.grading.lesson_run import verify
from kata.grading.review import review_flags
from kata.impl import LESSONS, ROOT
from kata.outcome import Outcome
from kata.outcome import TestResult as Result

HOSTILE = Path(__file__).parent / "hostile"
SOLUTION_03 = (ROOT / "solutions" / "03" / "build.py").read_text()
RELU_OUTPUT = SOLUTION_03.replace("keras.layers.Dense(10)", 'keras.layers.Dense(10, activation="relu")')


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def make_zip(target: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return target


# --- reading submissions ---------------------------------------------------------------


def test_a_folder_a_zip_and_a_nested_zip_give_the_same_files(tmp_path):
    text = RELU_OUTPUT
    write(tmp_path / "clone" / "lessons" / "03" / "build.py", text)
    write(tmp_path / "bare" / "03" / "build.py", text)
    write(tmp_path / "nested" / "top" / "lessons" / "03" / "build.py", text)
    archives = [
        make_zip(tmp_path / "a.zip", {"lessons/03/build.py": text}),
        make_zip(tmp_path / "b.zip", {"kata-main/lessons/03/build.py": text, "kata-main/x.txt": ""}),
        make_zip(tmp_path / "c.zip", {"03/build.py": text}),
    ]
    for path in [tmp_path / "clone", tmp_path / "bare", tmp_path / "nested", *archives]:
        assert submissions.read_lesson_files(path, [3, 4]) == {3: text.encode()}, path


def test_only_lesson_modules_are_read_and_links_are_refused(tmp_path):
    hostile = HOSTILE / "ships_conftest_and_plugins"
    assert submissions.read_lesson_files(hostile, [3]) == {
        3: (hostile / "lessons" / "03" / "build.py").read_bytes()}
    folder = tmp_path / "s"
    write(folder / "lessons" / "03" / "build.py", SOLUTION_03)
    os.symlink(ROOT / "solutions" / "01", folder / "lessons" / "01")
    assert submissions.read_lesson_files(folder, [1, 3]) == {3: SOLUTION_03.encode()}
    linked = tmp_path / "linked"
    (linked / "lessons").mkdir(parents=True)
    os.symlink(ROOT / "solutions" / "03", linked / "lessons" / "03")
    assert submissions.read_lesson_files(linked, [3]) == {}
    assert submissions.read_lesson_files(HOSTILE / "symlink_to_solution", [3]) == {}


def test_a_broken_zip_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(submissions.SubmissionError, match="not a readable zip"):
        submissions.read_lesson_files(bad, [3])


def test_submissions_are_named_by_their_entries(tmp_path):
    (tmp_path / "ada").mkdir()
    make_zip(tmp_path / "Bob Smith.zip", {"lessons/03/build.py": ""})
    (tmp_path / ".DS_Store").write_text("")
    (tmp_path / "notes.txt").write_text("")
    assert [s.student for s in submissions.find_submissions(tmp_path)] == ["Bob_Smith", "ada"]


def lessons_with_suites(*wanted: int) -> list[int]:
    return [n for n in wanted if any((ROOT / "lessons" / f"{n:02d}").glob("test_*.py"))]


def test_lesson_selection():
    assert submissions.graded_lessons("3", Checkout(ROOT)) == [3]
    assert submissions.graded_lessons("1-3", Checkout(ROOT)) == lessons_with_suites(1, 2, 3)
    assert submissions.graded_lessons(None, Checkout(ROOT)) == lessons_with_suites(*LESSONS)
    for wrong in ["12", "three", "3-x"]:
        with pytest.raises(submissions.SubmissionError, match="--lessons"):
            submissions.graded_lessons(wrong, Checkout(ROOT))



def test_grading_the_capstone_alone_reads_the_lessons_it_runs(tmp_path):
    """``--lessons 10``: the capstone runs the student's 01-09, so they are read too (not graded)."""
    folder = tmp_path / "ada"
    shutil.copytree(ROOT / "solutions", folder / "lessons", ignore=shutil.ignore_patterns("__pycache__", "*.toml"))
    assert submissions.lessons_to_read([3]) == [3]
    read = submissions.read_submission(folder, submissions.lessons_to_read([10])).files
    assert sorted(read) == list(range(1, 11))
    assert read[3] == (ROOT / "solutions" / "03" / "build.py").read_bytes()

# --- the channel, the review list, the fingerprint ------------------------------------------


def test_the_channel_accepts_only_lines_signed_with_the_runs_key():
    key, other = b"k" * 32, b"o" * 32
    good = b'{"kind": "test", "nodeid": "t", "outcome": "passed", "message": ""}'
    signed = good + b"\t" + hmac.new(key, good, "sha256").hexdigest().encode()
    forged = good + b"\t" + hmac.new(other, good, "sha256").hexdigest().encode()
    messages, rejected = verify(b"\n".join([signed, forged, good, b"junk"]) + b"\n", key)
    assert messages == [{"kind": "test", "nodeid": "t", "outcome": "passed", "message": ""}]
    assert rejected == 3


def test_a_signed_message_of_the_wrong_shape_is_rejected_like_a_forged_one():
    """Signed with the run's key (the same-process hole) but ill-typed: dropped, never judged."""
    key = b"k" * 32
    shapes = [b'{"kind": "test", "nodeid": ["x"], "outcome": "passed", "message": ""}',
              b'{"kind": "test", "nodeid": "t", "outcome": "passed"}',
              b'{"kind": "item", "nodeid": "t", "name": "t", "lesson": "3", "points": 1}',
              b'{"kind": "done", "exitstatus": true}', b'{"kind": "other"}', b'["test"]']
    lines = [line + b"\t" + hmac.new(key, line, "sha256").hexdigest().encode() for line in shapes]
    assert verify(b"\n".join(lines) + b"\n", key) == ([], len(shapes))


def test_review_flags_ignore_docstrings_and_comments():
    honest = [*ROOT.glob("solutions/*/*.py"), *ROOT.glob("kata/stubs/*/*.py"),
              *ROOT.glob("tests/alternatives/*/*/*.py")]
    flagged = {p.relative_to(ROOT).as_posix(): review_flags(p.read_bytes()) for p in honest}
    assert not {p: f for p, f in flagged.items() if f}, "honest lesson code should not be flagged"
    replaces = (HOSTILE / "replaces_test_code" / "lessons" / "03" / "build.py").read_bytes()
    assert review_flags(replaces) == ["__code__", "sys.modules"]
    assert review_flags(b'"""pytest"""\nimport gc  # pytest\nopen("/proc/self/fd")\n') == ["/proc/", "gc"]


def test_the_word_list_is_not_a_defence():
    """Documented in docs/design/grading.md: renaming walks past it (the sandbox is what holds)."""
    hidden = (HOSTILE / "hides_from_the_word_list" / "lessons" / "03" / "build.py").read_bytes()
    assert review_flags(hidden) == []


def test_the_fingerprint_follows_the_graded_suites(tmp_path):
    for name in ["conftest.py", "pyproject.toml"]:
        write(tmp_path / name, name)
    write(tmp_path / "kata" / "plugin.py", "plugin")
    write(tmp_path / "solutions" / "03" / "build.py", "reference")
    suite = write(tmp_path / "lessons" / "03" / "test_build.py", "suite")
    stub = write(tmp_path / "lessons" / "03" / "build.py", "stub")
    before = grader.grader_fingerprint(Checkout(tmp_path), [3])
    stub.write_text("the instructor's own attempt")
    assert grader.grader_fingerprint(Checkout(tmp_path), [3]) == before
    suite.write_text("a changed suite")
    assert grader.grader_fingerprint(Checkout(tmp_path), [3]) != before
    # a class graded --skip-slow is not the record of a class graded whole, nor the other way round
    assert grader.grader_fingerprint(Checkout(tmp_path), [3], skip_slow=True) != grader.grader_fingerprint(
        Checkout(tmp_path), [3])


def test_skip_slow_is_refused_for_the_grades_a_platform_records(tmp_path, capsys):
    for platform in ("--gradescope", "--prairielearn"):
        code = cli.main(["grade", str(tmp_path), "--out", str(tmp_path / "out"), platform, "--skip-slow",
                         "--sandbox", "none"])
        assert code == 2
        assert "leave it out with --gradescope or --prairielearn" in capsys.readouterr().out
    assert not (tmp_path / "out").exists()


def test_shards_spread_the_long_lessons_and_run_in_ascending_order():
    cut = shards.split("ada", {}, list(range(1, 12)), 2)
    assert [s.lessons for s in cut] == [[10], [1, 2, 3, 4, 5, 6, 7, 8, 9, 11]]
    cut = shards.split("ada", {}, list(range(1, 12)), 3)
    assert [s.lessons for s in cut] == [[10], [7, 9, 11], [1, 2, 3, 4, 5, 6, 8]]
    assert [s.lessons for s in shards.split("ada", {}, [1, 2, 3, 4], 1)] == [[1, 2, 3, 4]]
    assert [s.lessons for s in shards.split("ada", {}, [3], 2)] == [[3]]


# --- records and outputs ------------------------------------------------------------------


def a_grade(points: float = 6.0) -> records.StudentGrade:
    tests = [Result(3, "test_a", "lessons/03/test_build.py::test_a", 4, 4, Outcome.PASSED),
             Result(3, "test_b", "lessons/03/test_build.py::test_b", 6, points - 4, Outcome.FAILED)]
    return records.StudentGrade("ada", "k", {3: records.LessonGrade(3, "ok", tests=tests)}, sandbox="bwrap")


def test_a_record_edited_under_out_is_not_trusted(tmp_path):
    key = records.record_key(tmp_path / "key")
    assert records.record_key(tmp_path / "key") == key and len(key) == 32
    assert oct((tmp_path / "key").stat().st_mode & 0o777) == "0o600"
    text = records.signed_record(a_grade(), key)
    assert records.read_record(text, key).total() == (6.0, 10.0)
    forged = text.replace('\\"earned\\": 2.0', '\\"earned\\": 6.0')
    assert forged != text
    assert records.read_record(forged, key) is None
    assert records.read_record(text, b"x" * 32) is None


def test_an_output_path_that_is_not_a_file_is_one_error_and_the_rest_is_written(tmp_path):
    out = tmp_path / "out"
    (out / "gradebook.csv").mkdir(parents=True)
    (out / "feedback").mkdir()
    os.symlink(tmp_path / "elsewhere", out / "feedback" / "ada.md")
    with pytest.raises(outputs.OutputError) as raised:
        outputs.write_outputs(out, [a_grade()], [3], b"k" * 32)
    text = str(raised.value)
    assert "gradebook.csv is a folder" in text and "ada.md is a link" in text
    assert (out / "gradescope" / "ada.json").is_file() and (out / "scores.png").is_file()
    assert (out / records.CACHE_FOLDER / "ada.json").is_file()
    assert not (tmp_path / "elsewhere").exists()


def test_unsandboxed_rows_say_so():
    grade = a_grade()
    grade.sandbox = "none"
    assert ",unsandboxed," in outputs.gradebook_csv([grade], [3]).splitlines()[1]
    assert "unsandboxed" in outputs.feedback_markdown(grade)


# --- choosing the sandbox -----------------------------------------------------------------


def test_auto_says_loudly_why_there_is_no_sandbox_and_how_to_fix_it(monkeypatch):
    monkeypatch.setattr(sandbox, "bwrap_problem", lambda: "bubblewrap fails here: No permissions to create new namespace")
    monkeypatch.setattr(sandbox, "grading_user", lambda: (_ for _ in ()).throw(sandbox.SandboxError("no user")))
    mode, warning = sandbox.choose("auto")
    assert mode == "none"
    assert "NOT SANDBOXED" in warning and "No permissions to create new namespace" in warning
    assert "apt-get install bubblewrap" in warning and "unprivileged_userns_clone" in warning
    with pytest.raises(sandbox.SandboxError, match="--sandbox=bwrap"):
        sandbox.choose("bwrap")
    assert sandbox.choose("none") == ("none", "")


def test_the_sandbox_mounts_nothing_of_the_checkout_but_the_venv(tmp_path):
    args = sandbox._bwrap_args("bwrap", {tmp_path / "root": sandbox.INSIDE_ROOT}, 1 << 20, ROOT)
    mounted = [Path(args[i + 1]) for i, a in enumerate(args) if a in ("--ro-bind", "--bind")]
    inside = [p for p in mounted if p == ROOT or ROOT in p.parents]
    venv = Path(os.sys.prefix).resolve()
    assert all(p == venv for p in inside), f"parts of the checkout are mounted: {inside}"
    assert "--bind" not in args, "nothing is mounted writable"
    for flag in ["--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent"]:
        assert flag in args


def test_bubblewrap_that_fails_here_is_named_with_its_own_error(tmp_path, monkeypatch):
    fake = write(tmp_path / "bwrap", "#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: str(fake))
    assert sandbox.bwrap_problem() == "bubblewrap fails here: bwrap: No permissions to create new namespace"
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    assert sandbox.bwrap_problem() == "bubblewrap (bwrap) is not installed"
