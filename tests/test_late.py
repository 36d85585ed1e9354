"""Late rules: Gradescope's submission metadata or ``--due`` with file times, and the penalty.

A class graded with ``--due`` and ``--late-penalty`` is checked in ``tests/test_shard_merge.py``;
here, the rules themselves and Gradescope's metadata, which a test writes as Gradescope does.
"""

from __future__ import annotations

import json
import zipfile

import pytest

from kata import cli, outcome
from kata.grading import late
from kata.grading.outputs import feedback_markdown, gradebook_csv, gradescope_results
from kata.grading.records import LessonGrade, StudentGrade
from kata.grading.submissions import Submission

PER_DAY = late.parse_penalty("10%/day")


def metadata(folder, created, due, late_due=None):
    """A ``submission_metadata.json`` as Gradescope writes it (the fields the grader reads, and some)."""
    path = folder / "submission_metadata.json"
    path.write_text(json.dumps({
        "id": 123456, "created_at": created, "submission_method": "upload",
        "assignment": {"id": 25, "title": "Fashion-MNIST kata", "release_date": "2026-11-01T00:00:00.000000+00:00",
                       "due_date": due, "late_due_date": late_due, "total_points": "100.0"},
        "users": [{"email": "ada@example.org", "id": 1, "name": "Ada"}],
        "previous_submissions": [],
    }))
    return path


def test_each_started_day_costs_the_rate_up_to_the_cap(tmp_path):
    due = "2026-12-01T23:59:00.000000+00:00"
    found = late.from_metadata(metadata(tmp_path, "2026-12-03T08:00:00.123456+00:00", due), PER_DAY)
    assert (found.units, found.penalty, found.label()) == (2, 20.0, "2 days, -20%")
    capped = late.parse_penalty("10%/day", "15%")
    assert late.from_metadata(metadata(tmp_path, "2026-12-03T08:00:00+00:00", due), capped).penalty == 15.0
    on_time = late.from_metadata(metadata(tmp_path, "2026-12-01T23:58:59-00:00", due), PER_DAY)
    assert (on_time.penalty, on_time.label()) == (0.0, "on time")
    hourly = late.from_metadata(metadata(tmp_path, "2026-12-02T02:30:00+00:00", due),
                                late.parse_penalty("2%/hour"))
    assert (hourly.units, hourly.penalty, hourly.label()) == (3, 6.0, "3 hours, -6%")


def test_an_offset_in_gradescopes_times_is_honoured(tmp_path):
    # 01:00 in UTC+02:00 is 23:00 UTC the day before: on time for a 23:59 UTC due date
    found = late.from_metadata(metadata(tmp_path, "2026-12-02T01:00:00+02:00",
                                        "2026-12-01T23:59:00+00:00"), PER_DAY)
    assert found.penalty == 0.0


def test_after_the_late_due_date_the_cap_is_taken(tmp_path):
    found = late.from_metadata(metadata(tmp_path, "2026-12-02T12:00:00+00:00", "2026-12-01T23:59:00+00:00",
                                        "2026-12-02T00:59:00+00:00"), late.parse_penalty("10%/day", "50%"))
    assert (found.units, found.penalty) == (1, 50.0)


def test_no_due_date_means_no_lateness_and_a_broken_file_says_so(tmp_path):
    assert late.from_metadata(metadata(tmp_path, "2026-12-03T08:00:00+00:00", None), PER_DAY) is None
    (tmp_path / "submission_metadata.json").write_text("{not json")
    with pytest.raises(late.LateError, match="is not Gradescope's submission metadata"):
        late.from_metadata(tmp_path / "submission_metadata.json", PER_DAY)


@pytest.mark.parametrize("text, cap, expected", [
    ("10", None, "write a percentage per day or per hour, e.g. 10%/day"),
    ("10%/week", None, "10%/day or 2%/hour"),
    ("150%/day", None, "10%/day"),
    ("10%/day", "lots", "--late-cap lots: write a percentage from 0 to 100"),
])
def test_a_penalty_that_cant_be_read_says_what_to_write(text, cap, expected):
    with pytest.raises(late.LateError, match=expected):
        late.parse_penalty(text, cap)


def test_a_due_date_that_cant_be_read_says_what_to_write():
    with pytest.raises(late.LateError, match="write a date and time like 2026-12-01T23:59"):
        late.parse_time("1 December")


def test_a_penalty_without_a_due_date_is_refused(tmp_path, capsys):
    (tmp_path / "subs" / "ada").mkdir(parents=True)
    code = cli.main(["grade", str(tmp_path / "subs"), "--out", str(tmp_path / "out"), "--lessons", "3",
                     "--sandbox", "none", "--late-penalty", "10%/day"])
    assert code == 2 and "--late-penalty needs a due date" in capsys.readouterr().out
    assert not (tmp_path / "out").exists()


def test_a_zips_stored_times_of_its_lesson_files_are_its_times(tmp_path):
    path = tmp_path / "ada.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("lessons/03/build.py", (2026, 12, 2, 10, 0, 0)), "x = 1\n")
        archive.writestr(zipfile.ZipInfo("lessons/01/load.py", (2026, 11, 20, 9, 0, 0)), "x = 1\n")
        archive.writestr(zipfile.ZipInfo("README.md", (2027, 1, 1, 0, 0, 0)), "not a lesson file")
        archive.writestr(zipfile.ZipInfo("kata/cli.py", (2027, 1, 1, 0, 0, 0)), "# nor this")
    found = late.of_class([Submission("ada", path)], late.parse_time("2026-12-01T23:59"), PER_DAY)
    assert (found["ada"].units, found["ada"].penalty) == (1, 10.0)  # local times, both of them


def test_gradescope_metadata_beside_the_submission_sets_the_score(tmp_path):
    (tmp_path / "submission").mkdir()
    metadata(tmp_path, "2026-12-03T08:00:00+00:00", "2026-12-01T23:59:00+00:00")
    found = late.of_gradescope(Submission("submission", tmp_path / "submission"), tmp_path, None, PER_DAY)
    tests = [outcome.TestResult(3, f"test_{n}", f"lessons/03/test_build.py::test_{n}", 2.0,
                        2.0 if n < 4 else 0.0, outcome.Outcome.PASSED if n < 4 else outcome.Outcome.FAILED)
             for n in range(5)]
    grade = StudentGrade("submission", "", {3: LessonGrade(3, "ok", tests=tests)}, late=found["submission"])
    results = gradescope_results(grade)
    assert (results["score"], results["max_score"]) == (6.4, 10.0)  # 8 points less 20%
    assert results["output"].startswith("Submitted late: 2 started days after the due date")
    assert "**Total: 6.4/10 points**" in feedback_markdown(grade)
    assert gradebook_csv([grade], [3]).splitlines() == [
        "student,03,total,max,review,sandbox,outside,late",
        "submission,8,6.4,10,,unsandboxed,0%,\"2 days, -20%\""]


def test_kata_grade_gradescope_takes_the_metadata_beside_the_submission(tmp_path, capsys):
    """The real command, as run_autograder runs it: the solution of lesson 03, two days late."""
    from kata.impl import ROOT

    (tmp_path / "submission" / "lessons" / "03").mkdir(parents=True)
    (tmp_path / "submission" / "lessons" / "03" / "build.py").write_text(
        (ROOT / "solutions" / "03" / "build.py").read_text())
    metadata(tmp_path, "2026-12-03T08:00:00+00:00", "2026-12-01T23:59:00+00:00")
    code = cli.main(["grade", "--gradescope", str(tmp_path / "submission"), "--out", str(tmp_path / "results"),
                     "--lessons", "3", "--sandbox", "none", "--timeout", "120", "--late-penalty", "10%/day"])
    assert code == 0, capsys.readouterr().out
    results = json.loads((tmp_path / "results" / "results.json").read_text())
    assert (results["score"], results["max_score"]) == (8.0, 10.0)
    assert results["output"].startswith("Submitted late: 2 started days after the due date (2026-12-01T23:59+00:00), 20% off")
