"""A notebook submission as a lesson tree: what ``kata grade`` needs to grade notebooks.

A student hands in the lesson notebooks as ``kata notebooks`` named them
(``03-build.ipynb``, ...), in a folder or a zip file.  :func:`notebook_tree`
writes the equivalent lesson files, ``NN/<topic>.py``, into a folder, so the
submission is graded through the same path as files, and returns the
feedback on what each conversion left out (magics, shell lines).
"""

from __future__ import annotations

import json
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from kata.impl import LESSONS, get_lesson
from kata.notebook.convert import notebook_name, notebook_source

MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
"""A lesson notebook larger than this (20 MiB, outputs included) is refused, not read."""


@dataclass
class NotebookSubmission:
    """A notebook submission's lessons as lesson-file sources, with what grading should say."""

    files: dict[int, bytes] = field(default_factory=dict)  # lesson → the equivalent lesson file
    feedback: dict[int, str] = field(default_factory=dict)  # lesson → what was left out
    problems: dict[int, str] = field(default_factory=dict)  # lesson → why its notebook was unusable


@dataclass
class NotebookTree:
    """The lesson files written from a notebook submission."""

    tree: Path
    lessons: list[int] = field(default_factory=list)  # the lessons a notebook was found for
    feedback: dict[int, str] = field(default_factory=dict)
    problems: dict[int, str] = field(default_factory=dict)


def _notebooks_in(source: Path) -> dict[int, bytes]:
    """The lesson notebooks of a folder or zip, by lesson number (found at any depth)."""
    names = {notebook_name(n): n for n in LESSONS}
    found: dict[int, bytes] = {}
    if source.is_dir():
        for path in sorted(source.rglob("*.ipynb")):
            number = names.get(path.name)
            if number and number not in found and not path.is_symlink():
                if path.stat().st_size > MAX_NOTEBOOK_BYTES:
                    found[number] = b""
                else:
                    found[number] = path.read_bytes()
        return found
    with zipfile.ZipFile(source) as archive:
        for info in archive.infolist():
            # Only the member's base name counts; nothing is extracted to its path.
            number = names.get(PurePosixPath(info.filename).name)
            if number and number not in found and not info.is_dir():
                found[number] = b"" if info.file_size > MAX_NOTEBOOK_BYTES else archive.read(info)
    return found


def read_notebooks(source: str | os.PathLike) -> NotebookSubmission:
    """The lesson files equivalent to the lesson notebooks in a folder or zip.

    Args:
        source: a folder or ``.zip`` holding lesson notebooks named as
            ``kata notebooks`` names them (``NN-<topic>.ipynb``, at any depth;
            the first found per lesson counts, symlinks and other names are ignored).

    Returns:
        A :class:`NotebookSubmission`: per lesson the source of its lesson
        file (as bytes, like a submitted ``.py``), the feedback on lines left
        out, and why a notebook could not be used.

    Example::

        handed_in = read_notebooks("submissions/ada.zip")
        handed_in.files[3]          # b"# --- notebook cell 1 ---\n..."
        handed_in.feedback.get(3)   # "These notebook lines are not Python ..."
    """
    result = NotebookSubmission()
    for number, data in sorted(_notebooks_in(Path(source)).items()):
        name = notebook_name(number)
        if not data:
            result.problems[number] = (
                f"{name} is over {MAX_NOTEBOOK_BYTES // 2**20} MiB: clear its outputs and hand it "
                "in again."
            )
            continue
        try:
            notebook = json.loads(data.decode("utf-8"))
            if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
                raise ValueError("it has no list of cells")
            converted = notebook_source(notebook)
        except (ValueError, UnicodeDecodeError) as error:
            result.problems[number] = f"{name} is not a readable notebook ({error})."
            continue
        result.files[number] = converted.source.encode("utf-8")
        if converted.dropped:
            result.feedback[number] = converted.feedback()
    return result


def notebook_tree(source: str | os.PathLike, out: str | os.PathLike) -> NotebookTree:
    """Write the lesson files equivalent to a notebook submission into ``out``.

    Args:
        source: a folder or ``.zip`` of lesson notebooks (see :func:`read_notebooks`).
        out: an empty or new folder; it becomes a tree ``NN/<topic>.py`` for ``--impl``.

    Returns:
        A :class:`NotebookTree`: the tree, the lessons found, the feedback and the problems.

    Example::

        converted = notebook_tree("submissions/ada.zip", "work/ada")
        # pytest lessons/03 --impl=work/ada grades Ada's 03-build.ipynb
    """
    handed_in = read_notebooks(source)
    out = Path(out)
    for number, data in handed_in.files.items():
        lesson = get_lesson(number)
        target = out / lesson.folder / lesson.filename
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return NotebookTree(out, sorted(handed_in.files), handed_in.feedback, handed_in.problems)
