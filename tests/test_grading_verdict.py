"""Issue 13: the verdict comes from a process where no student code ran.

Two parts.  The plumbing of :func:`kata.grading.child.fork_agent`, with a spy
for an agent: what the agent is left with (its socket, no key pipe, no results
pipe) and what it can't reach of the checker (``/proc/<checker>/mem``,
``environ``, ``fd``: the checker is not dumpable), beside a control that shows
the same spy reaches a dumpable parent.  Then the attacks, as files under
``tests/hostile/verdict/``: each patches what decided its verdict in one
process (the channel, pytest, numpy, builtins) or hunts the channel's key,
around a wrong answer in lessons 01 and 03.  Graded through ``kata grade`` in
the bubblewrap sandbox beside honest submissions with the same mistakes, each
gets exactly its honest points.  Against the grader without the checker
(``main`` before issue 13) each scored 10: the numbers are in
``docs/design/grading.md``.

A sandbox test is never skipped when ``CI=true``: it fails (CI installs
bubblewrap, see ``.ci/run``).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kata import cli
from kata.grading.outside import covered_lessons
from kata.grading.records import CACHE_FOLDER, read_record, record_key
from kata.impl import ROOT

ATTACKS = Path(__file__).parent / "hostile" / "verdict"
LESSONS = [1, 3]
SOLUTION = {n: (ROOT / "solutions" / f"{n:02d}" / name).read_text() for n, name in [(1, "load.py"), (3, "build.py")]}
FILES = {1: "lessons/01/load.py", 3: "lessons/03/build.py"}


def mistake(lesson: int, old: str, new: str) -> str:
    source = SOLUTION[lesson].replace(old, new)
    assert source != SOLUTION[lesson], f"{old!r} is not in the reference of lesson {lesson:02d}"
    return source


OUTPUT = "keras.layers.Dense(10),"
# Honest submissions with the attacks' wrong answers (and no attack): {lesson: (source, points)}.
HONEST = {
    "perfect": {1: (SOLUTION[1], 10), 3: (SOLUTION[3], 10)},
    "typo_and_relu_output": {  # a wrong class name (-2); a relu on the output layer (-2)
        1: (mistake(1, "['T-shirt/top',", "['T-shirt',"), 8),
        3: (mistake(3, OUTPUT, 'keras.layers.Dense(10, activation="relu"),'), 8)},
    "reverses_and_softmax_output": {  # the training set in reverse order (-1); a softmax output (-2)
        1: (mistake(1, "return (train_images, train_labels),", "return (train_images[::-1], train_labels[::-1]),"), 9),
        3: (mistake(3, OUTPUT, 'keras.layers.Dense(10, activation="softmax"),'), 8)},
    "relu_layer_after": {1: (SOLUTION[1], 10),  # a ReLU layer after the output (-2)
                         3: (mistake(3, OUTPUT, OUTPUT + " keras.layers.ReLU(),"), 8)},
}
# Each attack's honest points per lesson: what its lesson code earns without the attack
# (the same mistakes as the honest submissions above; each file's docstring says which).
ATTACKED = {
    "patches_the_channel": {1: 8, 3: 8},
    "patches_pytest": {1: 8, 3: 8},
    "patches_numpy": {1: 9, 3: 8},
    "patches_builtins": {1: 8, 3: 8},
    "hunts_the_key": {1: 8, 3: 8},
}
EXPECTED = {**{s: {n: p for n, (_, p) in lessons.items()} for s, lessons in HONEST.items()}, **ATTACKED}
CASES = [(student, lesson) for student in sorted(EXPECTED) for lesson in LESSONS]

SPY = r"""
import json, os, sys
from pathlib import Path
from kata.grading import child

def spy(sock, exchange, tree, lesson):
    parent, seen = os.getppid(), {"socket": sock.fileno(), "args": [str(exchange), str(tree), lesson]}
    seen["fds"] = {}
    for entry in os.listdir("/proc/self/fd"):
        try:
            seen["fds"][entry] = os.fstat(int(entry)).st_ino
        except OSError:
            pass  # listdir's own
    for name in ["mem", "environ"]:
        try:
            with open(f"/proc/{parent}/{name}", "rb") as stream:
                stream.read(1)
            seen[name] = "read"
        except OSError as error:
            seen[name] = error.strerror
    seen["parent fds"] = []  # opening the checker's files through /proc (listing may work)
    for fd in range(3, 16):
        try:
            os.close(os.open(f"/proc/{parent}/fd/{fd}", os.O_RDONLY | os.O_NONBLOCK))
            seen["parent fds"].append(fd)
        except OSError as error:
            if error.errno != 2:  # no such file: the checker has no fd of that number
                seen["parent fds"].append(error.strerror)
    sock.sendall(json.dumps(seen).encode())
    sock.close()

key_read, key_write = os.pipe()
os.write(key_write, b"k" * 32)
os.close(key_write)
result_read, result_write = os.pipe()
if sys.argv[1] == "agent":
    agent = child.fork_agent(spy, Path("/exchange"), Path("/tree"), 3)
    sock, end = agent.socket, agent.end
else:  # the control: the same spy, forked from a dumpable parent
    import socket
    ours, theirs = socket.socketpair()
    if os.fork() == 0:
        ours.close()
        spy(theirs, Path("/exchange"), Path("/tree"), 3)
        os._exit(0)
    theirs.close()
    sock, end = ours, ours.close
data = b""
while chunk := sock.recv(65536):
    data += chunk
key = os.read(key_read, 64)  # the checker reads the key after the fork
end()
print(json.dumps({"seen": json.loads(data), "key": key.decode(),
                  "pipes": [os.fstat(key_read).st_ino, os.fstat(result_write).st_ino]}))
"""


def spy_on(kind: str) -> dict:
    """Run the spy as the sandbox runs a lesson: without capabilities (root's are dropped)."""
    drop = ["setpriv", "--bounding-set=-all", "--inh-caps=-all",
            "--securebits=+noroot,+noroot_locked"] if os.geteuid() == 0 else []
    done = subprocess.run([*drop, sys.executable, "-c", SPY, kind], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_agent_has_only_its_socket_and_cannot_reach_the_checker():
    found = spy_on("agent")
    seen = found["seen"]
    assert seen["args"] == ["/exchange", "/tree", 3]
    assert found["key"] == "k" * 32, "the checker should read the key after the fork"
    assert set(seen["fds"]) == {"0", "1", "2", str(seen["socket"])}, (
        f"the agent should keep only 0-2 and its socket: {seen['fds']}")
    assert not set(found["pipes"]) & set(seen["fds"].values()), "the agent kept the key or results pipe"
    for name in ["mem", "environ"]:
        assert seen[name] == "Permission denied", f"the agent reached the checker's {name}: {seen[name]}"
    assert seen["parent fds"] and set(seen["parent fds"]) == {"Permission denied"}, (
        f"the agent opened the checker's files through /proc: {seen['parent fds']}")


def test_the_control_spy_reaches_a_dumpable_parent():
    """Without fork_agent the same spy reads its parent: the test above can fail."""
    seen = spy_on("control")["seen"]
    assert seen["environ"] == "read" and 3 in seen["parent fds"], seen


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def graded(tmp_path_factory, bwrap):
    top = tmp_path_factory.mktemp("verdict")
    submissions = top / "submissions"
    for student, lessons in HONEST.items():
        for lesson, (source, _points) in lessons.items():
            write(submissions / student / FILES[lesson], source)
    for student in ATTACKED:
        shutil.copytree(ATTACKS / student, submissions / student)
    out = top / "grades"
    code = cli.main(["grade", str(submissions), "--out", str(out), "--lessons", "1,3", "--jobs", "2",
                     "--timeout", "120", "--sandbox", "bwrap"])
    assert code == 0
    with open(out / "gradebook.csv", newline="") as stream:
        rows = {row["student"]: row for row in csv.DictReader(stream)}
    return {"out": out, "rows": rows}


def lesson_grade(graded, student: str, lesson: int):
    grade = read_record((graded["out"] / CACHE_FOLDER / f"{student}.json").read_text(), record_key())
    assert grade is not None, f"{student}'s record is not signed with this user's key"
    return grade.lessons[lesson]


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_lesson_is_judged_outside_the_students_process(lesson):
    assert lesson in covered_lessons(), f"lesson {lesson:02d} should be in kata.remote.coverage.COVERED"


@pytest.mark.parametrize(("student", "lesson"), CASES)
def test_each_gets_exactly_its_honest_points(graded, student, lesson):
    points = EXPECTED[student][lesson]
    grade = lesson_grade(graded, student, lesson)
    failed = [f"{t.name}: {t.outcome}: {t.message[:200]}" for t in grade.tests if t.outcome != "passed"]
    got = graded["rows"][student][f"{lesson:02d}"]
    assert (float(got), grade.status) == (points, "ok"), (
        f"{student} should get {points}/10 in lesson {lesson:02d}; got {got} ({grade.status}: "
        f"{grade.reason}); failed: {failed}; log: {grade.log_tail[-800:]}")


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_every_point_is_verified_outside(graded, student):
    for lesson in LESSONS:
        assert lesson_grade(graded, student, lesson).verified_outside == 10
    assert graded["rows"][student]["outside"] == "100%"
    feedback = (graded["out"] / "feedback" / f"{student}.md").read_text()
    assert "20/20 points (100%) verified outside" in feedback, feedback[:600]
