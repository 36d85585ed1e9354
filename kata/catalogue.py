"""The mistake catalogue: beginners' mistakes as edits of the reference solutions.

A *mutant* is the reference solution with one beginner's mistake.  Mutants are
stored as data beside the solution they edit, ``solutions/NN/mutants.toml``:
the mistake in words, the edit as find → replace on the reference, the words
the failure message must contain (``expect``), the graded tests that must
catch it (``caught_by``) and, where one mistake costs more than one test, the
others it may fail too (``also_fails``).  ``tests/test_mutants.py`` grades
every one, and fails a mutant that fails a test neither list names; other
tests take a mutant from here when they need a typical wrong answer.

Example:
    >>> from kata.checkout import Checkout
    >>> mutant = find(Checkout.find(), 3, "softmax_output")  # doctest: +SKIP
    >>> "softmax" in mutant.source()  # doctest: +SKIP
    True
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from kata.checkout import Checkout
from kata.impl import LESSONS, Lesson

FILENAME = "mutants.toml"


class CatalogueError(AssertionError):
    """A mutant no longer applies to today's reference, or does not exist."""


@dataclass(frozen=True)
class Mutant:
    """One beginner's mistake in one lesson.

    Args:
        lesson: the lesson whose reference it edits.
        name: its name, unique within the lesson.
        mistake: the mistake in words.
        expect: words a failure message must contain.
        caught_by: names of the graded tests that must fail.
        also_fails: names of other graded tests it may fail too: a mistake that makes the
            function raise meets every test that calls it, and some break two behaviours.
            Any other failure is a second failure for one mistake.
        edits: ``(find, replace)`` pairs applied to the reference in order.
        reference: the reference solution file it edits.
    """

    lesson: Lesson
    name: str
    mistake: str
    expect: str
    caught_by: tuple[str, ...]
    also_fails: tuple[str, ...]
    edits: tuple[tuple[str, str], ...]
    reference: Path

    def source(self) -> str:
        """The reference with this mutant's edits applied.

        Returns:
            The mistaken module's source.

        Raises:
            CatalogueError: an edit's ``find`` does not occur exactly once in the reference.
        """
        text = self.reference.read_text(encoding="utf-8")
        for number, (find_, replace) in enumerate(self.edits, 1):
            count = text.count(find_)
            if count != 1:
                raise CatalogueError(
                    f"mutant {self.lesson.folder}/{self.name}: edit {number}'s `find` occurs {count} "
                    f"times in {self.reference}, not once. The reference changed: update the edit "
                    f"in solutions/{self.lesson.folder}/{FILENAME}.\nfind:\n{find_}"
                )
            text = text.replace(find_, replace)
        return text

    def write(self, folder: Path) -> Path:
        """Write the mistaken module into ``folder`` under the lesson's file name.

        Returns:
            The file written.
        """
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / self.lesson.filename
        path.write_text(self.source(), encoding="utf-8")
        return path


def mutants(checkout: Checkout) -> list[Mutant]:
    """Every mutant of every lesson in the checkout's ``solutions/``, lesson by lesson."""
    found = []
    for lesson in LESSONS.values():
        path = checkout.solutions / lesson.folder / FILENAME
        if not path.is_file():
            continue
        for entry in tomllib.loads(path.read_text(encoding="utf-8")).get("mutant", []):
            found.append(
                Mutant(
                    lesson=lesson,
                    name=entry["name"],
                    mistake=entry["mistake"],
                    expect=entry["expect"],
                    caught_by=tuple(entry.get("caught_by", ())),
                    also_fails=tuple(entry.get("also_fails", ())),
                    edits=tuple((e["find"], e["replace"]) for e in entry["edit"]),
                    reference=checkout.solution_file(lesson.number),
                )
            )
    return found


def find(checkout: Checkout, lesson: int, name: str) -> Mutant:
    """The mutant called ``name`` of lesson ``lesson``.

    Raises:
        CatalogueError: there is none.
    """
    for mutant in mutants(checkout):
        if mutant.lesson.number == lesson and mutant.name == name:
            return mutant
    raise CatalogueError(f"lesson {lesson:02d} has no mutant called {name!r} in solutions/*/{FILENAME}")
