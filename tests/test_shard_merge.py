"""``kata grade --shard K/N`` then ``kata merge`` writes what one unsharded run writes.

A class of three (lessons 01 and 03) is graded three times by the real command, in the
sandbox, from a copy of the instructor's checkout that has a hidden test in lesson 03:
once whole, and as shards 0/2 and 1/2, which ``kata merge`` puts together.  The same runs
carry a due date and a late penalty (one student's files are dated after it), so the hidden
tests and the late rules are checked on real grading here too.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kata import cli
from kata.grading.merge import (
    MANIFEST,
    ClassShard,
    MergeError,
    merge,
    read_manifest,
    write_manifest,
)
from kata.grading.records import CACHE_FOLDER, record_key
from kata.grading.sandbox import bwrap_problem
from kata.impl import ROOT

SOLUTION_01 = (ROOT / "solutions" / "01" / "load.py").read_text()
SOLUTION_03 = (ROOT / "solutions" / "03" / "build.py").read_text()
STUB_01 = (ROOT / "lessons" / "01" / "load.py").read_text()
STUB_03 = (ROOT / "lessons" / "03" / "build.py").read_text()
RELU_OUTPUT = SOLUTION_03.replace("keras.layers.Dense(10)", 'keras.layers.Dense(10, activation="relu")')
assert RELU_OUTPUT != SOLUTION_03

# Lesson 03's hidden test: the model's outputs are logits, so some are negative.  A relu on
# the output layer fails it (and one visible test, 2 points: tests/test_grading_class.py).
HIDDEN_TEST = '''\
import numpy as np
import pytest


@pytest.mark.points(2)
def test_hidden_outputs_can_be_negative(impl):
    model = impl.build_model()
    images = np.random.default_rng(0).random((8, 28, 28)).astype("float32")
    outputs = np.asarray(model(images))
    assert (outputs < 0).any(), "SECRET: the outputs are never negative"
'''
DUE = datetime(2026, 12, 1, 23, 59, tzinfo=UTC)
# shard_of(name, 2): ada 0, bob 0, dee 1 (a SHA-256 of the name; fixed for these names)
CLASS = ["ada", "bob", "dee"]


def write(path: Path, text: str, when: datetime) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    os.utime(path, (when.timestamp(), when.timestamp()))


def instructor_copy(folder: Path) -> Path:
    """The instructor's checkout, with lesson 03's hidden test added."""
    ignore = shutil.ignore_patterns("__pycache__", ".pytest_cache")
    for name in ["kata", "lessons", "solutions"]:
        shutil.copytree(ROOT / name, folder / name, ignore=ignore)
    for name in ["conftest.py", "pyproject.toml", "README.md"]:
        shutil.copy2(ROOT / name, folder / name)
    (folder / "lessons" / "03" / "test_hidden_build.py").write_text(HIDDEN_TEST)
    return folder


def grade(*args: str) -> int:
    return cli.main(["grade", *args, "--lessons", "1,3", "--jobs", "2", "--timeout", "120",
                     "--sandbox", "bwrap", "--due", DUE.isoformat(), "--late-penalty", "10%/day"])


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    if bwrap_problem() is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must grade in the sandbox, but {bwrap_problem()}")
        pytest.skip(f"no sandbox here: {bwrap_problem()}")
    top = tmp_path_factory.mktemp("sharded")
    checkout = instructor_copy(top / "checkout")
    subs = top / "submissions"
    early, late = DUE - timedelta(days=3), DUE + timedelta(hours=36)  # 36 h: two started days
    write(subs / "ada" / "lessons" / "01" / "load.py", SOLUTION_01, early)
    write(subs / "ada" / "lessons" / "03" / "build.py", SOLUTION_03, early)
    write(subs / "bob" / "lessons" / "01" / "load.py", STUB_01, early)
    write(subs / "bob" / "lessons" / "03" / "build.py", STUB_03, early)
    write(subs / "dee" / "lessons" / "01" / "load.py", SOLUTION_01, early)
    write(subs / "dee" / "lessons" / "03" / "build.py", RELU_OUTPUT, late)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KATA_GRADE_KEY_FILE", str(top / "grade-key"))
        patch.chdir(checkout)  # kata grade grades with the checkout it stands in
        codes = {
            "whole": grade(str(subs), "--out", str(top / "whole"), "--format", "prairielearn,canvas"),
            "shard0": grade(str(subs), "--out", str(top / "shard0"), "--shard", "0/2"),
            "shard1": grade(str(subs), "--out", str(top / "shard1"), "--shard", "1/2"),
            "empty": grade(str(subs), "--out", str(top / "empty"), "--shard", "1/3"),
        }
        codes["merge"] = cli.main(["merge", str(top / "shard0"), str(top / "shard1"),
                                   "--out", str(top / "merged"), "--format", "prairielearn,canvas"])
        yield {"top": top, "codes": codes, "key": record_key(), "checkout": checkout}


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and CACHE_FOLDER not in p.parts and p.name != MANIFEST}


def gradebook(folder: Path) -> dict[str, dict]:
    with open(folder / "gradebook.csv", newline="") as stream:
        return {row["student"]: row for row in csv.DictReader(stream)}


def test_every_run_succeeds(graded):
    assert graded["codes"] == {"whole": 0, "shard0": 0, "shard1": 0, "empty": 0, "merge": 0}


def test_each_shard_grades_only_its_students(graded):
    assert sorted(gradebook(graded["top"] / "shard0")) == ["ada", "bob"]
    assert sorted(gradebook(graded["top"] / "shard1")) == ["dee"]
    assert not (graded["top"] / "empty" / "gradebook.csv").exists()
    assert (graded["top"] / "empty" / MANIFEST).is_file()  # an empty shard still says it is done


def test_merged_outputs_are_the_unsharded_ones_byte_for_byte(graded):
    whole, merged = files(graded["top"] / "whole"), files(graded["top"] / "merged")
    assert sorted(merged) == sorted(whole) == [
        "canvas.csv", "feedback/ada.md", "feedback/bob.md", "feedback/dee.md", "gradebook.csv",
        "gradescope/ada.json", "gradescope/bob.json", "gradescope/dee.json",
        "prairielearn/ada.json", "prairielearn/bob.json", "prairielearn/dee.json", "scores.png"]
    for name in whole:
        assert merged[name] == whole[name], f"{name} differs between the merged and the whole run"


def test_the_gradebook_counts_hidden_tests_and_the_late_penalty(graded):
    rows = gradebook(graded["top"] / "merged")
    # 03 is worth 12: 10 visible + 2 hidden.  dee: 10 + 8 (relu: one visible, the hidden) = 18,
    # less 20% for two started days late = 14.4.
    assert [(r["01"], r["03"], r["total"], r["max"], r["late"]) for r in rows.values()] == [
        ("10", "12", "22", "22", "on time"), ("0", "0", "0", "22", "on time"),
        ("10", "8", "14.4", "22", "2 days, -20%")]


def test_feedback_says_hidden_tests_exist_without_showing_them(graded):
    feedback = (graded["top"] / "merged" / "feedback" / "dee.md").read_text()
    assert "1 hidden test · 2 points" in feedback
    assert "test_hidden" not in feedback and "SECRET" not in feedback
    assert "Submitted late: 2 started days after the due date" in feedback
    assert "20% off the total" in feedback and "**Total: 14.4/22 points**" in feedback


def test_gradescope_shows_hidden_tests_after_the_due_date(graded):
    results = json.loads((graded["top"] / "merged" / "gradescope" / "dee.json").read_text())
    hidden = [t for t in results["tests"] if "test_hidden" in t["name"]]
    assert [(t["visibility"], t["score"], t["max_score"]) for t in hidden] == [("after_due_date", 0.0, 2.0)]
    assert all(t["visibility"] == "visible" for t in results["tests"] if t not in hidden)
    assert (results["score"], results["max_score"]) == (14.4, 22.0)


def test_merge_refuses_a_missing_or_repeated_shard(graded, tmp_path):
    top, key = graded["top"], graded["key"]
    with pytest.raises(MergeError, match=r"Shard 1/2 is missing"):
        merge([top / "shard0"], tmp_path / "out", key)
    with pytest.raises(MergeError, match=r"both shard 0/2"):
        merge([top / "shard0", top / "shard0", top / "shard1"], tmp_path / "out", key)
    assert not (tmp_path / "out").exists()


def copy_with_manifest(graded, folder: Path, **changes) -> Path:
    """A copy of shard 1's folder whose manifest, signed again with the key, has ``changes``."""
    shutil.copytree(graded["top"] / "shard1", folder)
    manifest = {**read_manifest(folder, graded["key"]), **changes}
    write_manifest(folder, ClassShard(manifest["shard"], manifest["of"]), manifest["lessons"],
                   manifest["grader"], manifest["students"], graded["key"], manifest["options"])
    return folder


@pytest.mark.parametrize("changes, expected", [
    ({"grader": "another grader"}, "a different grader"),
    ({"lessons": [3]}, "different lessons"),
    ({"options": {"limits": {"timeout": 1.0}}}, "other limits or late rules"),
    ({"of": 3}, "a different number of shards"),
])
def test_merge_refuses_shards_graded_otherwise(graded, tmp_path, changes, expected):
    other = copy_with_manifest(graded, tmp_path / "other", **changes)
    with pytest.raises(MergeError, match=expected):
        merge([graded["top"] / "shard0", other], tmp_path / "out", graded["key"])
    assert not (tmp_path / "out").exists()


def test_merge_refuses_a_student_in_two_shards(graded, tmp_path):
    other = copy_with_manifest(graded, tmp_path / "other", students=[["ada", "ada"], ["dee", "dee"]])
    shutil.copy2(graded["top"] / "shard0" / CACHE_FOLDER / "ada.json", other / CACHE_FOLDER / "ada.json")
    with pytest.raises(MergeError, match="ada was graded in both"):
        merge([graded["top"] / "shard0", other], tmp_path / "out", graded["key"])


def test_merge_trusts_no_record_edited_or_signed_with_another_key(graded, tmp_path):
    top, key = graded["top"], graded["key"]
    other = tmp_path / "other"
    shutil.copytree(top / "shard1", other)
    record = other / CACHE_FOLDER / "dee.json"
    wrapper = json.loads(record.read_text())
    wrapper["record"] = wrapper["record"].replace('"penalty": 20.0', '"penalty": 0.0')
    record.write_text(json.dumps(wrapper))
    with pytest.raises(MergeError, match="dee.json is missing or not signed"):
        merge([top / "shard0", other], tmp_path / "out", key)
    with pytest.raises(MergeError, match="not signed with the record key"):
        merge([top / "shard0", top / "shard1"], tmp_path / "out", b"another key" * 4)


def test_a_bad_shard_says_what_to_write(graded, capsys):
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(graded["checkout"])
        for shard, expected in [("2/2", "K counts from 0, so it must be 0 to 1"),
                                ("1/0", "N, the number of shards, must be 1 or more"),
                                ("first", "write K/N")]:
            assert grade(str(graded["top"] / "submissions"), "--out",
                         str(graded["top"] / "never"), "--shard", shard) == 2
            assert expected in capsys.readouterr().out.replace("\n", " ")
    assert not (graded["top"] / "never").exists()
