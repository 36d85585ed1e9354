"""Re-running ``kata grade``: signed records skip unchanged work; forged ones are not trusted."""

from __future__ import annotations

import csv
import json

import pytest

from kata import cli
from kata.grading import grader, verdict
from kata.grading.records import CACHE_FOLDER
from kata.impl import ROOT

SOLUTION_03 = (ROOT / "solutions" / "03" / "build.py").read_text()
STUB_03 = (ROOT / "lessons" / "03" / "build.py").read_text()
RELU_OUTPUT = SOLUTION_03.replace("keras.layers.Dense(10)", 'keras.layers.Dense(10, activation="relu")')


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.fixture
def counted(monkeypatch):
    """Count the lessons actually graded; hold the grader's side still (others edit this checkout)."""
    calls = []
    real = verdict.lesson_grade

    def counting(number, source, *args, **kwargs):
        calls.append(number)
        return real(number, source, *args, **kwargs)

    monkeypatch.setattr(verdict, "lesson_grade", counting)
    monkeypatch.setattr(grader, "grader_fingerprint", lambda checkout, lessons, skip_slow=False: "fixed")
    return calls


def run(tmp_path, calls, *extra):
    calls.clear()
    code = cli.main(["grade", str(tmp_path / "submissions"), "--out", str(tmp_path / "out"),
                     "--lessons", "3", "--timeout", "60", "--jobs", "2", "--sandbox", "none", *extra])
    with open(tmp_path / "out" / "gradebook.csv", newline="") as stream:
        return code, {row["student"]: row["03"] for row in csv.DictReader(stream)}, len(calls)


def test_rerun_regrades_only_changed_submissions_and_distrusts_edited_records(tmp_path, counted):
    submissions = tmp_path / "submissions"
    write(submissions / "ada" / "lessons" / "03" / "build.py", SOLUTION_03)
    write(submissions / "bob" / "lessons" / "03" / "build.py", STUB_03)
    assert run(tmp_path, counted) == (0, {"ada": "10", "bob": "0"}, 2)
    assert run(tmp_path, counted) == (0, {"ada": "10", "bob": "0"}, 0)
    write(submissions / "bob" / "lessons" / "03" / "build.py", RELU_OUTPUT)
    assert run(tmp_path, counted) == (0, {"ada": "10", "bob": "8"}, 1)

    # bob (or anyone who can write --out) gives himself full marks in his record
    path = tmp_path / "out" / CACHE_FOLDER / "bob.json"
    wrapper = json.loads(path.read_text())
    wrapper["record"] = wrapper["record"].replace('"earned": 0.0', '"earned": 2.0')
    path.write_text(json.dumps(wrapper))
    assert run(tmp_path, counted) == (0, {"ada": "10", "bob": "8"}, 1)
    assert run(tmp_path, counted, "--force") == (0, {"ada": "10", "bob": "8"}, 2)


def test_a_folder_where_the_gradebook_goes_is_one_error_and_the_rest_is_written(tmp_path, counted):
    submissions = tmp_path / "submissions"
    write(submissions / "ada" / "lessons" / "03" / "build.py", SOLUTION_03)
    run(tmp_path, counted)
    out = tmp_path / "out"
    (out / "gradebook.csv").unlink()
    (out / "gradebook.csv").mkdir()
    (out / "feedback" / "ada.md").unlink()
    code = cli.main(["grade", str(submissions), "--out", str(out), "--lessons", "3",
                     "--sandbox", "none"])
    assert code == 1
    assert (out / "gradebook.csv").is_dir() and (out / "feedback" / "ada.md").is_file()
