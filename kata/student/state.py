"""What the student commands remember, in ``.kata/`` of the checkout (git-ignored).

``.kata/status.json``
    the last result of every lesson (points, failures, when, and a fingerprint
    of the files it ran on), so ``kata status`` can show the capstone's last
    result without training again and skip lessons that passed and haven't
    changed, and ``kata watch`` knows where you are;
``.kata/hints.json``
    how many hints of each lesson you have seen;
``.kata/backups/``
    your own lesson files, saved by ``kata reset`` before it restores a stub.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import asdict

from kata.checkout import Checkout
from kata.fileio import read_json, write_json
from kata.impl import get_lesson
from kata.outcome import LessonResult


def load_results(checkout: Checkout) -> dict[int, LessonResult]:
    """The last result of every lesson that has run in this checkout.

    Args:
        checkout: the student's copy of the kata.

    Returns:
        A :class:`~kata.outcome.LessonResult` by lesson number; rows written
        by another version of the kata are ignored.
    """
    data = read_json(checkout.state / "status.json", default={})
    results = {}
    for row in data.get("lessons", []) if isinstance(data, dict) else []:
        try:
            result = LessonResult(**row)
        except TypeError:
            continue  # written by another version of the kata: ignore it
        results[result.number] = result
    return results


def save_results(new: Iterable[LessonResult], checkout: Checkout) -> None:
    """Remember ``new`` results beside the others in ``.kata/status.json``.

    Args:
        new: the results to store; each replaces its lesson's older one.
        checkout: the student's copy of the kata.
    """
    results = load_results(checkout)
    for result in new:
        results[result.number] = result
    rows = [asdict(results[n]) for n in sorted(results)]
    write_json(checkout.state / "status.json", {"lessons": rows})


def load_hints_seen(checkout: Checkout) -> dict[str, int]:
    """How many hints of each lesson (by folder, ``"03"``) the student has seen."""
    data = read_json(checkout.state / "hints.json", default={})
    return data if isinstance(data, dict) else {}


def save_hints_seen(seen: dict[str, int], checkout: Checkout) -> None:
    """Remember how many hints of each lesson the student has seen."""
    write_json(checkout.state / "hints.json", seen)


def fingerprint(number: int, checkout: Checkout) -> str:
    """A hash of the student's files a lesson's result depends on.

    The capstone runs the student's earlier lessons too, so its fingerprint
    covers every lesson it builds on (:attr:`kata.impl.Lesson.builds_on`).

    Args:
        number: the lesson.
        checkout: the student's copy of the kata.

    Returns:
        16 hex digits; they change whenever one of those files does.
    """
    numbers = [*get_lesson(number).builds_on, number]
    digest = hashlib.sha256()
    for n in numbers:
        for path in (checkout.lesson_file(n), *checkout.suite_files(n)):
            digest.update(path.name.encode())
            digest.update(path.read_bytes() if path.is_file() else b"<missing>")
    return digest.hexdigest()[:16]


def untouched(number: int, checkout: Checkout) -> bool:
    """Is the student's lesson file still the pristine stub?"""
    stub, mine = checkout.stub_file(number), checkout.lesson_file(number)
    return stub.is_file() and mine.is_file() and stub.read_bytes() == mine.read_bytes()
