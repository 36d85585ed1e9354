"""``kata.use_earlier(n)``: the earlier lessons' functions, from the student's own notebooks.

In files, lesson ``n`` reaches lesson ``m`` with ``kata.lesson(m)``.  In a
notebook the earlier lessons are the notebooks beside it (``01-load.ipynb``,
...), as ``kata notebooks`` named them.  :func:`use_earlier` takes the
definitions of each (imports, functions, classes, UPPER_CASE constants; no
cell that trains or plots) and defines them in the notebook; a lesson
without a notebook beside it comes from its lesson file.  Afterwards
``kata.lesson(m)`` in the notebook gives the notebook's own definitions too.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

from kata.checkout import Checkout
from kata.impl import IMPL_ENV, LESSONS
from kata.notebook.convert import notebook_name, notebook_source
from kata.notebook.help import Shown
from kata.notebook.namespace import namespace_tree

KEPT = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def definitions_only(source: str, filename: str) -> ast.Module:
    """The statements of ``source`` that define something and do no work.

    Args:
        source: a lesson's Python source.
        filename: where it came from, for error messages.

    Returns:
        A module of its imports, functions, classes and UPPER_CASE constants.
    """
    tree = ast.parse(source, filename)
    body = []
    for node in tree.body:
        if isinstance(node, KEPT):
            body.append(node)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if all(isinstance(t, ast.Name) and t.id.isupper() for t in targets):
                body.append(node)
    return ast.Module(body=body, type_ignores=[])


def earlier_lessons(number: int) -> list[int]:
    """The lessons before ``number`` that a notebook can use (not the capstone, not bonuses)."""
    return [n for n, lesson in LESSONS.items() if n < number and n != 10 and not lesson.bonus]


def use_earlier(number: int, folder: str | os.PathLike, namespace: dict, checkout: Checkout) -> Shown:
    """Define lessons 01 … ``number - 1`` in ``namespace`` from their notebooks in ``folder``.

    Args:
        number: the lesson of the notebook asking.
        folder: where the lesson notebooks are (the notebook's own folder).
        namespace: the notebook's globals.
        checkout: the kata whose lesson files stand in for a missing notebook.

    Returns:
        Which lesson came from where, e.g. ``lesson 01 from 01-load.ipynb``.

    Raises:
        SyntaxError: an earlier notebook's code is not valid Python; the
            message names the notebook.

    Example::

        kata.use_earlier(5)
        (train_images, train_labels), _ = load_data()
    """
    lines = []
    for earlier in earlier_lessons(number):
        notebook = Path(folder) / notebook_name(earlier)
        if notebook.is_file():
            source, where = notebook_source(notebook).source, str(notebook)
        else:
            path = checkout.lesson_file(earlier)
            source, where = path.read_text(encoding="utf-8"), str(path)
        code = compile(definitions_only(source, where), where, "exec")
        exec(code, namespace)
        lines.append(f"- lesson {earlier:02d} from `{where}`")
    if lines:
        # kata.lesson(m) outside a lesson file uses the tree this names: the notebook's own.
        os.environ[IMPL_ENV] = str(namespace_tree(namespace, checkout))
    return Shown("Your earlier lessons, defined here:\n\n" + "\n".join(lines) if lines else "")
