"""Which references a run sees, and which sandboxes live together (kata/grading/schedule.py).

The attack: two sandboxes side by side can talk (flock() on the read-only
system files they share).  A submission whose lesson 07 is graded in a
sandbox that shows the reference of lesson 03 sends it; another submission's
lesson 03, graded at the same moment, receives it and runs it.  The red team
scored 0 → 10 with it on ``--jobs 2``.  The attack is a class of files under
``tests/hostile/covert_channel/``; the gate must leave the receiver nobody to
talk to.
"""

from __future__ import annotations

import csv
import random
import shutil
import threading
import time
from pathlib import Path

from kata import cli
from kata.checkout import Checkout
from kata.grading.schedule import Gate, needs
from kata.impl import LESSONS, ROOT

COVERT = Path(__file__).parent / "hostile" / "covert_channel"


def suite(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "test_x.py").write_text(text)
    return folder


def test_needs_reads_the_references_a_suite_asks_for(tmp_path):
    folder = suite(tmp_path / "06", "def test_a(reference):\n    reference(2).f(reference(4))\n")
    assert needs(folder, 6) == {2, 4}


def test_needs_is_every_earlier_lesson_when_the_number_is_not_written_out(tmp_path):
    folder = suite(tmp_path / "05", "def test_a(reference):\n    for n in (1, 2):\n        reference(n)\n")
    assert needs(folder, 5) == {1, 2, 3, 4}


def test_needs_never_names_the_lesson_itself_or_a_later_one(tmp_path):
    folder = suite(tmp_path / "04", "def test_a(reference):\n    reference(4); reference(9); reference(1)\n")
    assert needs(folder, 4) == {1}


def test_every_real_suite_needs_only_earlier_lessons():
    checkout = Checkout(ROOT)
    for number in LESSONS:
        assert all(n < number for n in needs(checkout.lesson_dir(number), number)), number


def test_the_gate_never_lets_a_sandbox_that_saw_a_reference_live_beside_its_lesson():
    """Many shards with random lessons, four workers, random run lengths: the rule holds at every
    run and the class finishes."""
    checkout = Checkout(ROOT)
    requirements = {n: needs(checkout.lesson_dir(n), n) for n in LESSONS}
    gate = Gate(requirements)
    rng = random.Random(7)
    units = [sorted(rng.sample(sorted(LESSONS), rng.randint(1, 5))) for _ in range(40)]
    pending = [list(unit) for unit in units]  # distinct list objects: units by identity
    lock = threading.Lock()
    alive: dict[int, dict] = {}  # id(unit) -> {"seen": set, "running": lesson or None}
    broken: list[str] = []
    finished: list[int] = []

    def worker():
        while (unit := gate.claim(pending, lambda u: u)) is not None:
            with lock:
                alive[id(unit)] = {"seen": set(), "running": None}
            for number in unit:
                shown = gate.before_run(unit, number)
                with lock:
                    me = alive[id(unit)]
                    me["seen"] |= shown
                    me["running"] = number
                    if number in shown:
                        broken.append(f"lesson {number} shown its own reference")
                    for other_id, other in alive.items():
                        if other_id == id(unit):
                            continue
                        if number in other["seen"]:
                            broken.append(f"lesson {number} runs beside a sandbox that saw it")
                        if other["running"] in me["seen"]:
                            broken.append(f"saw {other['running']} while it runs elsewhere")
                time.sleep(rng.random() * 0.004)
                with lock:
                    me["running"] = None
                gate.after_run(unit, number)
            with lock:
                del alive[id(unit)]
                finished.append(len(unit))
            gate.leave(unit)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "the gate deadlocked"
    assert not broken, broken[:5]
    assert len(finished) == len(units)


def test_two_sandboxes_that_need_nothing_of_each_other_run_together():
    gate = Gate({3: frozenset(), 10: frozenset()})
    pending = [[3], [10]]
    first = gate.claim(pending, lambda u: u)
    assert gate.claim(pending, lambda u: u) is not first and not pending


def test_a_sandbox_that_saw_a_reference_keeps_its_lesson_out_until_it_closes():
    gate = Gate({3: frozenset(), 7: frozenset({2, 3, 4})})
    seven = [7]
    pending = [seven]
    assert gate.claim(pending, lambda u: u) is seven
    assert gate.before_run(seven, 7) == {2, 3, 4}
    gate.after_run(seven, 7)
    assert not gate.admissible([3]), "lesson 03 may not start while the sandbox that saw it lives"
    gate.leave(seven)
    assert gate.admissible([3])


def test_a_flock_channel_between_two_sandboxes_carries_nothing(tmp_path, bwrap):
    """The red team's attack, graded as a class of two, two at a time: each gets its honest points."""
    submissions = tmp_path / "submissions"
    shutil.copytree(COVERT, submissions)
    out = tmp_path / "out"
    code = cli.main(["grade", str(submissions), "--out", str(out), "--lessons", "3,7", "--jobs", "2",
                     "--timeout", "40", "--sandbox", "bwrap"])
    assert code == 0
    with open(out / "gradebook.csv", newline="") as stream:
        rows = {row["student"]: row for row in csv.DictReader(stream)}
    assert (rows["passes_the_reference_on"]["03"], rows["passes_the_reference_on"]["07"]) == ("10", "10")
    assert (rows["waits_for_the_reference"]["03"], rows["waits_for_the_reference"]["07"]) == ("0", "0"), (
        "the lesson 03 that only waits for another sandbox to send the reference earned points: "
        "the channel carried it"
    )


def test_cancel_wakes_a_worker_waiting_for_a_shard_it_may_not_start():
    gate = Gate({3: frozenset(), 7: frozenset({2, 3, 4})})
    seven, three = [7], [3]
    pending = [seven]
    gate.claim(pending, lambda u: u)
    gate.before_run(seven, 7)  # seven has seen reference 03: a shard with lesson 03 must wait
    pending.append(three)
    claimed = []
    waiter = threading.Thread(target=lambda: claimed.append(gate.claim(pending, lambda u: u)))
    waiter.start()
    waiter.join(timeout=0.2)
    assert waiter.is_alive(), "lesson 03 started beside a sandbox that saw its reference"
    gate.cancel(pending)
    waiter.join(timeout=5)
    assert not waiter.is_alive() and claimed == [None]
