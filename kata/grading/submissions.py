"""Finding the submissions and reading their lesson modules, and nothing else.

From a submission (a folder: a clone of this repository or just its
``lessons/`` tree; or a ``.zip``, possibly with one top folder) the grader
reads ``lessons/NN/<module>.py`` for each lesson and nothing else: no tests,
no ``conftest.py``, no ini files, no ``kata/`` package, no
``sitecustomize.py``.  Symbolic links are refused (a link to the
instructor's solutions would otherwise score 100).  A lesson module larger
than 1 MiB is not read.

A submission with no lesson module at all is read as a *notebook
submission*: the lesson notebooks as ``kata notebooks`` names them
(``03-build.ipynb``, at any depth), each turned into the equivalent lesson
module by :func:`kata.notebook.submission.read_notebooks` and then graded
exactly as a file.  When a submission holds both, its lesson modules are graded.
"""

from __future__ import annotations

import dataclasses
import os
import re
import stat
import zipfile
from pathlib import Path, PurePosixPath

from kata.checkout import Checkout
from kata.impl import LESSONS, ImplError, get_lesson
from kata.notebook.convert import notebook_name
from kata.notebook.submission import read_notebooks

MAX_MODULE_BYTES = 1 << 20


@dataclasses.dataclass(frozen=True)
class Submission:
    student: str
    path: Path


class SubmissionError(ValueError):
    """A submission the grader cannot read (a broken zip, no lessons at all)."""


@dataclasses.dataclass
class HandedIn:
    """What the grader read from one submission.

    Args:
        files: the lesson modules' sources, ``{lesson: bytes}``.
        notes: per lesson, what its feedback should add (the lines a notebook's
            conversion left out).
        problems: per lesson, why it can't be graded (its notebook is unreadable
            or too large); such a lesson is graded as an error with this message.
        notebooks: the lessons came from notebooks, not lesson modules.
    """

    files: dict[int, bytes]
    notes: dict[int, str] = dataclasses.field(default_factory=dict)
    problems: dict[int, str] = dataclasses.field(default_factory=dict)
    notebooks: bool = False


def read_submission(path: Path, lessons: list[int]) -> HandedIn:
    """A submission's lessons: its lesson modules, else its lesson notebooks as modules.

    Args:
        path: the submission, a folder or a ``.zip``.
        lessons: the lessons to read.

    Returns:
        A :class:`HandedIn`.

    Raises:
        SubmissionError: the zip can't be read.

    Example::

        handed_in = read_submission(Path("submissions/ada.zip"), [1, 3])
        handed_in.files[3]           # the source of lessons/03/build.py (or of 03-build.ipynb)
    """
    files = read_lesson_files(path, lessons)
    if files:
        return HandedIn(files)
    try:
        converted = read_notebooks(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise SubmissionError(f"{path.name} couldn't be read ({error}).") from None
    if not (converted.files or converted.problems):
        return HandedIn({})
    handed_in = HandedIn({}, notebooks=True)
    for number in lessons:
        data = converted.files.get(number)
        if number in converted.problems:
            handed_in.problems[number] = converted.problems[number]
        elif data is not None and len(data) > MAX_MODULE_BYTES:
            handed_in.problems[number] = (f"the code of {notebook_name(number)} is over "
                                          f"{MAX_MODULE_BYTES >> 20} MiB")
        elif data is not None:
            handed_in.files[number] = data
            if converted.feedback.get(number):
                handed_in.notes[number] = converted.feedback[number]
    return handed_in


def lessons_to_read(lessons: list[int]) -> list[int]:
    """The lessons to read from a submission to grade ``lessons``: them and those they run.

    The capstone runs the student's own lessons 01-09 (:attr:`kata.impl.Lesson.builds_on`),
    so ``kata grade --lessons 10`` reads them too; only ``lessons`` are graded.

    Example:
        >>> lessons_to_read([3, 10])
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    """
    return sorted({n for number in lessons for n in (number, *get_lesson(number).builds_on)})


def find_submissions(folder: Path) -> list[Submission]:
    """Each folder or ``.zip`` in ``folder`` is one student's submission, named by it."""
    if not folder.is_dir():
        raise SubmissionError(f"{folder} is not a folder of submissions.")
    found = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(".") or entry.is_symlink():
            continue
        if entry.is_dir():
            found.append(Submission(safe_name(entry.name), entry))
        elif entry.suffix.lower() == ".zip" and entry.is_file():
            found.append(Submission(safe_name(entry.stem), entry))
    names = [s.student for s in found]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise SubmissionError(
            f"Two submissions have the same student name: {', '.join(sorted(duplicates))} "
            "(a folder and a .zip?). Keep one of each."
        )
    return found


def safe_name(name: str) -> str:
    """A student's name as a file name: letters, digits, ``.-_@``, others become ``_``."""
    cleaned = re.sub(r"[^\w.@-]", "_", name).strip("._") or "student"
    return cleaned[:100]


def _wanted(lessons: list[int]) -> dict[str, int]:
    """``{"03/build.py": 3, ...}``: a lesson module's path inside a lesson tree."""
    return {f"{get_lesson(n).folder}/{get_lesson(n).filename}": n for n in lessons}


def _pick_tree(paths: set[str], lessons: list[int]) -> str | None:
    """The prefix under which ``NN/<module>.py`` lives among ``paths`` (posix, relative).

    Accepts a repository clone (``lessons/NN/...``), a bare lessons tree
    (``NN/...``), and either inside one top folder (as zips often are).
    """
    wanted = _wanted(lessons)
    tops = {p.split("/", 1)[0] for p in paths if "/" in p}
    prefixes = ["lessons/", ""]
    if len(tops) == 1:
        (top,) = tops
        prefixes += [f"{top}/lessons/", f"{top}/"]
    best, best_count = None, 0
    for prefix in prefixes:
        count = sum(prefix + rel in paths for rel in wanted)
        if count > best_count:
            best, best_count = prefix, count
    return best


def read_lesson_files(path: Path, lessons: list[int]) -> dict[int, bytes]:
    """The submission's lesson modules, ``{lesson: source bytes}``; nothing else is read."""
    if path.is_dir():
        return _read_folder(path, lessons)
    try:
        with zipfile.ZipFile(path) as archive:
            return _read_zip(archive, lessons)
    except Exception as error:  # noqa: BLE001 - any broken archive is this student's problem alone
        # zipfile raises many kinds for a crafted archive (BadZipFile, OSError, RuntimeError for an
        # encrypted entry, NotImplementedError for an unknown compression, zlib.error, EOFError...).
        raise SubmissionError(
            f"{path.name} is not a readable zip file ({type(error).__name__}: {error}). "
            "Zip the lesson files again with an ordinary zip tool (no password, deflate or store)."
        ) from None


def _read_folder(path: Path, lessons: list[int]) -> dict[int, bytes]:
    candidates = set()
    for prefix in ["lessons", "", "*/lessons", "*"]:
        for rel in _wanted(lessons):
            pattern = f"{prefix}/{rel}" if prefix else rel
            for found in path.glob(pattern):
                candidates.add(found.relative_to(path).as_posix())
    prefix = _pick_tree(candidates, lessons)
    files = {}
    if prefix is None:
        return files
    for rel, number in _wanted(lessons).items():
        file = path / (prefix + rel)
        if not _is_plain_file_inside(file, path):
            continue
        with open(file, "rb") as handle:  # never more than the limit in memory, whatever the file's size
            data = handle.read(MAX_MODULE_BYTES + 1)
        if len(data) <= MAX_MODULE_BYTES:
            files[number] = data
    return files


def _is_plain_file_inside(file: Path, top: Path) -> bool:
    """A regular file, with no symbolic link on the way from ``top`` to it."""
    current = file
    while True:
        try:
            mode = os.lstat(current).st_mode
        except OSError:
            return False
        if stat.S_ISLNK(mode):
            return False
        if current == top or current.parent == current:
            break
        current = current.parent
    return stat.S_ISREG(os.lstat(file).st_mode)


def _read_zip(archive: zipfile.ZipFile, lessons: list[int]) -> dict[int, bytes]:
    members = {}
    for info in archive.infolist():
        if info.is_dir() or stat.S_ISLNK(info.external_attr >> 16):
            continue
        name = PurePosixPath(info.filename.replace("\\", "/")).as_posix()
        members[name] = info
    prefix = _pick_tree(set(members), lessons)
    files = {}
    if prefix is None:
        return files
    for rel, number in _wanted(lessons).items():
        info = members.get(prefix + rel)
        if info is None or info.file_size > MAX_MODULE_BYTES:
            continue
        with archive.open(info) as stream:
            data = stream.read(MAX_MODULE_BYTES + 1)
        if len(data) <= MAX_MODULE_BYTES:
            files[number] = data
    return files


def graded_lessons(selection: str | None, checkout: Checkout) -> list[int]:
    """The lessons to grade.

    Args:
        selection: ``--lessons``: ``"3,4"`` or ``"1-5"``; ``None`` for every lesson with a suite.
        checkout: the instructor's checkout.

    Returns:
        Lesson numbers, ascending.

    Raises:
        SubmissionError: a lesson that doesn't exist or has no graded suite here.
    """
    present = checkout.present_lessons()
    if not selection:
        return present
    chosen = []
    try:
        for part in selection.split(","):
            part = part.strip()
            if "-" in part:
                low, high = part.split("-", 1)
                chosen += [get_lesson(n).number for n in range(int(low), int(high) + 1)]
            elif part:
                chosen.append(get_lesson(part).number)
    except (ImplError, ValueError) as error:
        raise SubmissionError(f"--lessons {selection}: {error} Write e.g. 3,4 or 1-10.") from None
    missing = [n for n in chosen if n not in present]
    if missing:
        raise SubmissionError(
            "These lessons have no graded suite in this repository: "
            + ", ".join(f"{n:02d}" for n in missing)
        )
    return sorted(set(chosen))


def gradescope_submission(folder: Path) -> Submission:
    """Gradescope's upload: the files themselves, or one .zip among them."""
    zips = [p for p in folder.iterdir() if p.suffix.lower() == ".zip" and p.is_file()] if folder.is_dir() else []
    try:
        has_lessons = bool(_read_folder(folder, list(LESSONS)))
    except OSError:
        has_lessons = False
    if not has_lessons and len(zips) == 1:
        return Submission("submission", zips[0])
    return Submission("submission", folder)


