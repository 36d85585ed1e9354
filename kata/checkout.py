"""Where things are in one copy of the kata: a :class:`Checkout`.

A checkout is a folder holding ``lessons/``: a clone of the repository, a
zip download, or a ``kata release`` student copy.  The commands find it from
the folder the user stands in, upward, as git finds its repository, and pass
it on explicitly; nothing rebinds a global root.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kata.impl import LESSONS, find_root, get_lesson, is_checkout

PACKAGE = Path(__file__).resolve().parent
"""The running ``kata`` package (in a checkout, or in site-packages).

Taken from this module's own file, not ``kata.__file__``: a folder named ``kata/`` without
the package in it (a partial copy) makes ``kata`` a namespace package with no file."""
PACKAGE_STUBS = PACKAGE / "stubs"
"""The pristine stubs shipped as package data (``kata dev sync`` writes them)."""
STATE_DIR = ".kata"


class CheckoutError(RuntimeError):
    """No kata checkout where one is needed, with what to do about it."""


@dataclass(frozen=True)
class Checkout:
    """One copy of the kata, by its root folder.

    Args:
        root: the folder holding ``lessons/`` (and, in the repository,
            ``solutions/``).

    Example:
        >>> here = Checkout.find()  # doctest: +SKIP
        >>> here.lesson_file(3)  # doctest: +SKIP
        PosixPath('/home/ada/kata/lessons/03/build.py')
    """

    root: Path

    def __post_init__(self):
        object.__setattr__(self, "root", Path(self.root).resolve())

    # --- finding one ---------------------------------------------------------------

    @classmethod
    def find(cls, start: str | os.PathLike | None = None) -> Checkout:
        """The checkout holding ``start`` (default: the current folder), searched upward.

        Args:
            start: any folder inside the checkout.

        Returns:
            The :class:`Checkout`.

        Raises:
            CheckoutError: no folder from ``start`` upward holds ``lessons/``.
        """
        root = find_root(start)
        if root is None:
            where = Path(start) if start is not None else Path.cwd()
            raise CheckoutError(
                f"{where} is not inside a copy of the kata (no lessons/ folder here or above). "
                "cd into the folder that holds lessons/ (your clone or student copy) and run "
                "the command again."
            )
        return cls(root)

    @classmethod
    def installed(cls) -> Checkout | None:
        """The checkout the running package was installed from (editable installs), or ``None``."""
        return cls(PACKAGE.parent) if is_checkout(PACKAGE.parent) else None

    @classmethod
    def here_or_installed(cls, start: str | os.PathLike | None = None) -> Checkout:
        """:meth:`find`, falling back to :meth:`installed` (e.g. ``kata tutorial`` run anywhere).

        Raises:
            CheckoutError: neither the current folder nor the install is a checkout.
        """
        try:
            return cls.find(start)
        except CheckoutError:
            installed = cls.installed()
            if installed is None:
                raise
            return installed

    # --- folders ---------------------------------------------------------------------

    @property
    def lessons(self) -> Path:
        """``lessons/``: the student's modules, the graded suites, the hints."""
        return self.root / "lessons"

    @property
    def solutions(self) -> Path:
        """``solutions/``: the reference (missing in a student copy)."""
        return self.root / "solutions"

    @property
    def has_solutions(self) -> bool:
        """Does this copy have the reference solutions (a student release has none)?"""
        return self.solutions.is_dir()

    @property
    def docs(self) -> Path:
        """``docs/``: the guides and pictures."""
        return self.root / "docs"

    @property
    def state(self) -> Path:
        """``.kata/``: what the student commands remember (git-ignored)."""
        return self.root / STATE_DIR

    @property
    def backups(self) -> Path:
        """``.kata/backups/``: the student's files saved by ``kata reset``."""
        return self.state / "backups"

    @property
    def source_stubs(self) -> Path:
        """``kata/stubs/`` of this checkout: where ``kata dev sync`` writes."""
        return self.root / "kata" / "stubs"

    @property
    def stubs(self) -> Path:
        """The pristine stubs: this checkout's ``kata/stubs/``, else the installed package's."""
        return self.source_stubs if self.source_stubs.is_dir() else PACKAGE_STUBS

    # --- files of one lesson -------------------------------------------------------

    def lesson_dir(self, number: int) -> Path:
        """``lessons/NN/``."""
        return self.lessons / get_lesson(number).folder

    def lesson_file(self, number: int) -> Path:
        """The student's module of lesson ``number``: ``lessons/NN/<module>.py``."""
        return self.lesson_dir(number) / get_lesson(number).filename

    def test_file(self, number: int) -> Path:
        """Lesson ``number``'s graded suite, its first file: ``lessons/NN/test_<module>.py``."""
        return self.lesson_dir(number) / get_lesson(number).test_filename

    def suite_files(self, number: int) -> list[Path]:
        """Every file of lesson ``number``'s graded suite, ``lessons/NN/test_*.py``, in order.

        A suite that grew is split by concern (lesson 09: ``test_save.py``, ``test_export.py``);
        ``pytest lessons/NN`` runs them all, and so does everything that runs a lesson.
        """
        return sorted(self.lesson_dir(number).glob("test_*.py"))

    def hints_file(self, number: int) -> Path:
        """``lessons/NN/hints.md``."""
        return self.lesson_dir(number) / "hints.md"

    def solution_file(self, number: int) -> Path:
        """The reference of lesson ``number``: ``solutions/NN/<module>.py``."""
        return self.solutions / get_lesson(number).folder / get_lesson(number).filename

    def stub_file(self, number: int) -> Path:
        """The pristine stub ``kata reset`` restores."""
        return self.stubs / get_lesson(number).folder / get_lesson(number).filename

    def present_lessons(self) -> list[int]:
        """The lessons of this checkout that have a graded suite, in order."""
        return [n for n in LESSONS if self.test_file(n).is_file()]

    def shown(self, path: str | os.PathLike) -> str:
        """``path`` relative to the root, as a student would type it (absolute when outside)."""
        try:
            return Path(path).resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)
