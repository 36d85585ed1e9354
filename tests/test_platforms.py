"""PrairieLearn's results.json and Canvas' gradebook CSV, checked against each platform's format.

The grades are built by hand (no TensorFlow runs): a small class of three, one of
whom handed in something the grader couldn't read.  The expected numbers are
written out here, not computed by the code under test.  jsonschema comes with the
notebook extra (nbformat needs it), which tox installs.
"""

from __future__ import annotations

import base64
import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest

from kata import cli
from kata.grading import canvas, platforms, prairielearn
from kata.grading.outputs import OutputError
from kata.grading.records import LessonGrade, StudentGrade
from kata.impl import ROOT
from kata.outcome import Outcome
from kata.outcome import TestResult as Result

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "prairielearn-results.schema.json").read_text())
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def result(lesson: int, name: str, points: float, passed: bool, message: str = "") -> Result:
    return Result(lesson, name, f"lessons/{lesson:02d}/test_x.py::{name}", points,
                  points if passed else 0.0, Outcome.PASSED if passed else Outcome.FAILED, message)


def a_class() -> list[StudentGrade]:
    """ada: 10/10 and 4/10 and the bonus 3/10; grace: 10/10 and a timeout; bob: an unreadable zip."""
    ada = StudentGrade("ada", "k1", {
        1: LessonGrade(1, "ok", tests=[result(1, "test_shapes", 6, True), result(1, "test_dtype", 4, True)]),
        3: LessonGrade(3, "ok", tests=[result(3, "test_layers", 4, True),
                                       result(3, "test_output", 6, False, "expected 10 logits, got 1")]),
        11: LessonGrade(11, "ok", tests=[result(11, "test_faster", 3, True), result(11, "test_same", 7, False, "slower")]),
    }, sandbox="bwrap")
    grace = StudentGrade("grace", "k2", {
        1: LessonGrade(1, "ok", tests=[result(1, "test_shapes", 6, True), result(1, "test_dtype", 4, True)]),
        3: LessonGrade(3, "timeout", "it ran past 300 s",
                       tests=[result(3, "test_layers", 4, True), result(3, "test_output", 6, True)],
                       log_tail="Epoch 1/100"),
        11: LessonGrade(11, "missing", "no lessons/11/speed.py", tests=[result(11, "test_faster", 3, False),
                                                                          result(11, "test_same", 7, False)]),
    }, sandbox="bwrap")
    bob = StudentGrade("bob", "", {
        n: LessonGrade(n, "error", "the submission couldn't be read: bob.zip is not a readable zip file")
        for n in (1, 3, 11)
    }, error="bob.zip is not a readable zip file", sandbox="bwrap")
    return [ada, grace, bob]


# --- PrairieLearn -----------------------------------------------------------------------


def test_prairielearn_results_follow_the_published_format():
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for grade in a_class():
        results = prairielearn.results_for(grade)
        errors = [error.message for error in validator.iter_errors(results)]
        assert not errors, f"{grade.student}: {errors}"
        assert len(prairielearn.results_json(results).encode()) < prairielearn.LIMIT


def test_the_schema_itself_refuses_what_prairielearn_would():
    validator = jsonschema.Draft202012Validator(SCHEMA)
    assert not validator.is_valid({"tests": []})  # gradable by default: score is required
    assert not validator.is_valid({"score": 1.5})
    assert not validator.is_valid({"score": 0.5, "tests": [{"name": "t", "points": 1}]})
    assert validator.is_valid({"gradable": False, "format_errors": "no file"})


def test_the_score_is_the_fraction_of_the_graded_lessons_and_a_bonus_never_passes_one():
    ada, grace, _ = a_class()
    # ada: lessons 01 and 03 give 14 of 20; the bonus' 3 points count over the maximum.
    assert prairielearn.results_for(ada, chart=False)["score"] == pytest.approx(17 / 20)
    # grace: 10 of 20, the timed-out lesson 03 gives nothing.
    assert prairielearn.results_for(grace, chart=False)["score"] == pytest.approx(10 / 20)
    full = a_class()[0]
    for lesson in full.lessons.values():
        for test in lesson.tests:
            test.earned, test.outcome = test.points, Outcome.PASSED
    assert prairielearn.results_for(full, chart=False)["score"] == 1.0


def test_each_graded_test_is_a_prairielearn_test_with_its_points_and_why_it_failed():
    _, grace, _ = a_class()
    tests = {t["name"]: t for t in prairielearn.results_for(grace, chart=False)["tests"]}
    assert len(tests) == 6
    output = tests["lesson 03 · build: test_output"]
    assert (output["points"], output["max_points"]) == (0.0, 6)
    assert "0 points for this lesson: it ran past 300 s" in output["message"]
    assert output["output"] == "Epoch 1/100"
    shapes = tests["lesson 01 · load: test_shapes"]
    assert (shapes["points"], shapes["max_points"], shapes["message"]) == (6, 6, "")


def test_an_unreadable_submission_is_not_gradable_and_says_why():
    bob = a_class()[2]
    results = prairielearn.results_for(bob)
    assert results["gradable"] is False
    assert "score" not in results
    assert results["format_errors"] == ["bob.zip is not a readable zip file"]


def test_the_chart_is_a_png_data_uri():
    ada = a_class()[0]
    (image,) = prairielearn.results_for(ada)["images"]
    prefix = "data:image/png;base64,"
    assert image["url"].startswith(prefix)
    assert base64.b64decode(image["url"][len(prefix):], validate=True).startswith(PNG_MAGIC)


def test_a_results_file_too_big_for_prairielearn_drops_the_chart_and_the_logs(monkeypatch):
    grace = a_class()[1]
    grace.lessons[3].log_tail = "x" * 3000
    monkeypatch.setattr(prairielearn, "LIMIT", 2000)
    results = prairielearn.results_for(grace)
    assert "images" not in results
    assert all(t["output"] == "" for t in results["tests"])
    assert results["score"] == pytest.approx(0.5)  # the grade itself is whole


def test_a_flat_prairielearn_upload_is_graded_as_a_lessons_tree(tmp_path):
    upload = tmp_path / "student"
    upload.mkdir()
    (upload / "build.py").write_text("MODEL = 1\n")
    (upload / "notes.txt").write_text("not a lesson")
    (upload / "load.py").symlink_to(upload / "notes.txt")  # a link is not handed in
    staged = prairielearn.flat_upload(upload, [1, 3], tmp_path / "staging")
    assert sorted(p.relative_to(staged).as_posix() for p in staged.rglob("*") if p.is_file()) == [
        "03/build.py"]
    tree = tmp_path / "tree"
    (tree / "lessons" / "03").mkdir(parents=True)
    assert prairielearn.flat_upload(tree, [3], tmp_path / "staging2") == tree


# --- Canvas ---------------------------------------------------------------------------------


def read_canvas(text: str) -> list[list[str]]:
    """The CSV, checked against the shape Canvas' gradebook import reads (kata/grading/canvas.py)."""
    rows = list(csv.reader(io.StringIO(text)))
    header, points = rows[0], rows[1]
    assert header[:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert len(header) == 6 and header[5]
    assert points[0] == "Points Possible" and points[1:5] == ["", "", "", ""]
    float(points[5])
    for row in rows[2:]:
        assert len(row) == 6 and row[0]
        float(row[5])
    return rows


def test_the_canvas_csv_has_canvas_columns_points_possible_and_one_row_per_student():
    rows = read_canvas(canvas.gradebook_csv(a_class(), assignment="Kata (4242)"))
    assert rows[0][5] == "Kata (4242)"
    assert rows[1][5] == "20"
    assert [(r[0], r[5]) for r in rows[2:]] == [("ada", "17"), ("grace", "10"), ("bob", "0")]


def roster_file(tmp_path: Path) -> Path:
    path = tmp_path / "export.csv"
    path.write_text(
        "Student,ID,SIS User ID,SIS Login ID,Section,Quiz 1 (11)\n"
        "    Points Possible,,,,,5\n"
        "\"Lovelace, Ada\",101,S-1,ada,Monday,5\n"
        "\"Hopper, Grace\",102,S-2,ghopper,Tuesday,4\n"
        "\"Babbage, Charles\",103,S-3,bob,Monday,\n"
        "\"Student, Test\",999,,,Monday,\n", encoding="utf-8-sig")
    return path


def test_a_canvas_roster_gives_each_student_their_ids_matched_by_login_or_name(tmp_path):
    roster = canvas.read_canvas_roster(roster_file(tmp_path))
    assert [r["Student"] for r in roster] == ["Lovelace, Ada", "Hopper, Grace", "Babbage, Charles"]
    ada, grace, bob = a_class()
    grace.student = "Grace Hopper"  # named by first and last name instead of the login
    rows = read_canvas(canvas.gradebook_csv([ada, grace, bob], roster=roster))
    assert rows[2:] == [["Lovelace, Ada", "101", "S-1", "ada", "Monday", "17"],
                        ["Hopper, Grace", "102", "S-2", "ghopper", "Tuesday", "10"],
                        ["Babbage, Charles", "103", "S-3", "bob", "Monday", "0"]]


def test_a_student_missing_from_the_roster_is_named_and_nothing_half_matched_is_written(tmp_path):
    roster = canvas.read_canvas_roster(roster_file(tmp_path))
    ada, grace, bob = a_class()
    grace.student = "gracie"
    with pytest.raises(canvas.CanvasError, match="gracie"):
        canvas.gradebook_csv([ada, grace, bob], roster=roster)
    with pytest.raises(OutputError, match="gracie"):
        platforms.write_platform_outputs(tmp_path / "out", [ada, grace, bob], ["canvas", "prairielearn"],
                                         roster=roster)
    assert not (tmp_path / "out" / "canvas.csv").exists()
    assert (tmp_path / "out" / "prairielearn" / "ada.json").is_file()  # the rest was written


def test_a_file_that_is_not_a_canvas_export_is_refused_with_what_to_do(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("name,score\nada,3\n")
    with pytest.raises(canvas.CanvasError, match="Export Entire Gradebook"):
        canvas.read_canvas_roster(path)


# --- asking for them ------------------------------------------------------------------------


def test_formats_are_named_on_the_command_line_and_a_typo_is_refused():
    assert platforms.parse_formats("canvas, PrairieLearn") == ["prairielearn", "canvas"]
    assert platforms.parse_formats(None) == []
    with pytest.raises(platforms.PlatformError, match="blackboard"):
        platforms.parse_formats("canvas,blackboard")


def test_every_asked_for_output_is_written_beside_the_gradebook(tmp_path):
    grades = a_class()
    written = platforms.write_platform_outputs(tmp_path, grades, ["prairielearn", "canvas"])
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        "canvas.csv", "prairielearn/ada.json", "prairielearn/bob.json", "prairielearn/grace.json"]
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for name in ("ada", "bob", "grace"):
        assert validator.is_valid(json.loads((tmp_path / "prairielearn" / f"{name}.json").read_text()))
    read_canvas((tmp_path / "canvas.csv").read_text())


# --- through kata grade (lesson 03 alone, unsandboxed: the sandbox has tests of its own) ----

SOLUTION_03 = (ROOT / "solutions" / "03" / "build.py").read_text()
RELU_OUTPUT = SOLUTION_03.replace("keras.layers.Dense(10)", 'keras.layers.Dense(10, activation="relu")')


def test_kata_grade_writes_prairielearn_and_canvas_outputs_when_asked(tmp_path):
    assert RELU_OUTPUT != SOLUTION_03
    for student, text in [("ada", SOLUTION_03), ("bob", RELU_OUTPUT)]:
        target = tmp_path / "submissions" / student / "lessons" / "03" / "build.py"
        target.parent.mkdir(parents=True)
        target.write_text(text)
    out = tmp_path / "out"
    code = cli.main(["grade", str(tmp_path / "submissions"), "--out", str(out), "--lessons", "3",
                     "--timeout", "120", "--sandbox", "none", "--force",
                     "--format", "prairielearn,canvas", "--canvas-assignment", "Kata (77)"])
    assert code == 0
    validator = jsonschema.Draft202012Validator(SCHEMA)
    scores = {}
    for student in ("ada", "bob"):
        results = json.loads((out / "prairielearn" / f"{student}.json").read_text())
        assert validator.is_valid(results), list(validator.iter_errors(results))
        scores[student] = results["score"]
    # a relu on the output layer loses the logits test: 2 of lesson 03's 10 points
    assert scores == {"ada": 1.0, "bob": pytest.approx(0.8)}
    rows = read_canvas((out / "canvas.csv").read_text())
    assert rows[0][5] == "Kata (77)"
    assert [(r[0], r[5]) for r in rows[1:]] == [("Points Possible", "10"), ("ada", "10"), ("bob", "8")]


def test_kata_grade_prairielearn_grades_a_flat_upload_into_results_json(tmp_path):
    upload = tmp_path / "grade" / "student"
    upload.mkdir(parents=True)
    (upload / "build.py").write_text(RELU_OUTPUT)
    results_folder = tmp_path / "grade" / "results"
    code = cli.main(["grade", "--prairielearn", str(upload), "--out", str(results_folder),
                     "--lessons", "3", "--timeout", "120", "--sandbox", "none"])
    assert code == 0
    results = json.loads((results_folder / "results.json").read_text())
    assert jsonschema.Draft202012Validator(SCHEMA).is_valid(results)
    assert results["score"] == pytest.approx(0.8)
    failed = [t for t in results["tests"] if t["points"] < t["max_points"]]
    assert len(failed) == 1 and failed[0]["max_points"] == 2 and failed[0]["message"]


def test_a_question_on_the_bonus_lesson_alone_is_scored_out_of_its_own_points():
    ada = a_class()[0]
    ada.lessons = {11: ada.lessons[11]}  # 3 of 10
    assert prairielearn.results_for(ada, chart=False)["score"] == pytest.approx(0.3)
