"""A lesson notebook as the equivalent lesson file.

:func:`notebook_source` takes a notebook's code cells in order and drops what
is not Python a file could hold: IPython magics (``%time``, ``%%bash``),
shell lines (``!pip install``, ``files = !ls``), help lines (``keras.Dense?``)
and the kata's own cells and calls (the Colab set-up, the earlier lessons'
loading, ``kata.check(n)``).  Each dropped line becomes ``pass`` with a
comment, so the file keeps the notebook's line numbers and every indented
block stays valid; :attr:`Converted.dropped` lists them for the feedback.
Graders and ``kata status`` use it to treat a notebook as a lesson file.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from kata.impl import get_lesson

KATA_TAGS = {"kata-setup": "the Colab set-up cell", "kata-earlier": "the earlier lessons' loading",
             "kata-check": "the kata.check cell"}
"""Cells ``kata notebooks`` writes that are not the student's lesson code, by their tag."""

BODY_MAGICS = {"time", "timeit", "capture", "prun"}
"""Cell magics whose body is Python: the ``%%`` line is dropped, the body kept."""

_SHELL_ASSIGNMENT = re.compile(r"^\s*[\w.,\s\[\]]+=\s*[!%]")
_KATA_CALL = re.compile(r"^(kata\.)?(check|hint|solution|use_earlier)\(")


@dataclass(frozen=True)
class Dropped:
    """One line of a notebook left out of the lesson file."""

    cell: int  # the cell's index in the notebook, from 0
    line: int  # the line in the lesson file, from 1
    text: str
    why: str

    def __str__(self) -> str:
        return f"cell {self.cell + 1}: `{self.text.strip()}` ({self.why})"


@dataclass
class Converted:
    """A notebook's code as a lesson file's source, and what was left out."""

    source: str
    dropped: list[Dropped] = field(default_factory=list)

    def feedback(self) -> str:
        """One sentence per dropped line, for a grader's feedback ('' when nothing was dropped)."""
        if not self.dropped:
            return ""
        lines = [
            "These notebook lines are not Python a lesson file can run, so grading left them out:"
        ]
        return "\n".join(lines + [f"  - {item}" for item in self.dropped])


def notebook_name(number: int) -> str:
    """The notebook ``kata notebooks`` writes for a lesson, named as its guide.

    Example::

        >>> notebook_name(7)
        '07-softmax.ipynb'
    """
    return Path(get_lesson(number).guide).with_suffix(".ipynb").name


def read_notebook(path: str | os.PathLike) -> dict:
    """A notebook file as a dict; a clear error when it isn't one."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValueError(
            f"{path} is not a readable notebook ({error}). Save it from Jupyter as .ipynb "
            "and try again."
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise ValueError(f"{path} is not a notebook: it has no list of cells.")
    return data


def notebook_source(notebook: dict | str | os.PathLike) -> Converted:
    """The equivalent lesson file of a notebook: its code cells, magics and shell lines dropped.

    Args:
        notebook: a notebook as a dict (``nbformat`` nodes are dicts) or the
            path of an ``.ipynb`` file.

    Returns:
        A :class:`Converted`: ``source`` to write as ``NN/<topic>.py`` and
        ``dropped``, the lines left out and why.

    Example::

        converted = notebook_source("notebooks/03-build.ipynb")
        Path("submission/03/build.py").write_text(converted.source)
        print(converted.feedback())
    """
    if not isinstance(notebook, dict):
        notebook = read_notebook(notebook)
    out: list[str] = []
    dropped: list[Dropped] = []

    def drop(index: int, text: str, why: str) -> None:
        indent = text[: len(text) - len(text.lstrip())]
        out.append(f"{indent}pass  # kata: left out of the lesson file: {text.strip()}")
        dropped.append(Dropped(index, len(out), text, why))

    for index, cell in enumerate(notebook["cells"]):
        if cell.get("cell_type") != "code":
            continue
        text = cell.get("source", "")
        lines = ("".join(text) if isinstance(text, list) else text).splitlines()
        tags = set(cell.get("metadata", {}).get("tags", []))
        if out:
            out.append("")
        out.append(f"# --- notebook cell {index + 1} ---")
        kata_tag = next((KATA_TAGS[tag] for tag in tags if tag in KATA_TAGS), None)
        if kata_tag:
            out.append(f"# kata: {kata_tag} is not part of the lesson file")
            continue
        body_only = False
        if lines and lines[0].lstrip().startswith("%%"):
            magic = lines[0].lstrip()[2:].split(maxsplit=1)[0] if lines[0].strip() != "%%" else ""
            if magic not in BODY_MAGICS:
                for line in lines:
                    drop(index, line, f"the cell magic %%{magic} is not Python")
                continue
            drop(index, lines[0], f"the cell magic %%{magic}")
            lines, body_only = lines[1:], True
        for line in lines:
            stripped = line.strip()
            if stripped.startswith(("%", "!")):
                drop(index, line, "a magic or shell command")
            elif _SHELL_ASSIGNMENT.match(line):
                drop(index, line, "a shell command's output")
            elif stripped.endswith("?") and "#" not in stripped and not stripped.startswith(("'", '"')):
                drop(index, line, "IPython help")
            elif not body_only and _KATA_CALL.match(line):
                drop(index, line, "kata's notebook helpers run the suite themselves")
            else:
                out.append(line)
    return Converted("\n".join(out) + "\n", dropped)
