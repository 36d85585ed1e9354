"""A notebook's definitions as the lesson modules the graded suites test.

The graded suites never import lesson code: their ``impl`` fixture loads
lesson ``n`` from the tree ``--impl`` names (see :mod:`kata.impl`).  A
notebook has no files, so :func:`namespace_tree` lays out a small temporary
tree, ``NN/<topic>.py`` for every lesson, and preloads each of those paths
with a module holding the notebook's definitions.  ``--impl=<that tree>``
then tests the notebook's functions with the suites unchanged, and lesson
``n``'s module is the notebook's own definitions wherever the file-based
kata would use the student's own lesson ``n`` (a release copy without
``solutions/``, the capstone's ``kata.lesson(n)``).
"""

from __future__ import annotations

import ast
import functools
import tempfile
from pathlib import Path
from types import FunctionType, ModuleType

from kata.checkout import Checkout
from kata.impl import LESSONS, get_lesson, module_path, preload

IPYTHON_NAMES = frozenset({"In", "Out", "get_ipython", "exit", "quit", "_ih", "_oh", "_dh"})
"""Names IPython puts in a notebook's namespace that are no lesson's business."""


@functools.cache
def stub_functions(number: int, checkout: Checkout) -> tuple[str, ...]:
    """The functions lesson ``number``'s stub asks for, in the order it defines them.

    Args:
        number: a lesson number, e.g. ``3``.
        checkout: the kata whose pristine stubs to read.

    Returns:
        The names of the stub's top-level functions, e.g. ``("build_model",)``.

    Example::

        >>> stub_functions(8, Checkout.find())
        ('predict', 'predict_one', 'plot_image', 'plot_value_array')
    """
    tree = ast.parse(checkout.stub_file(number).read_text(encoding="utf-8"))
    return tuple(node.name for node in tree.body if isinstance(node, ast.FunctionDef))


def lesson_module(namespace: dict, number: int, path: Path, checkout: Checkout) -> ModuleType:
    """A module holding ``namespace``'s names, standing for lesson ``number``'s file.

    The module's ``__file__`` is the file the lesson's first function was
    compiled from when the notebook defines it (an IPython cell's file), so a
    suite that asks where an error was raised finds the lesson's own code;
    otherwise ``path``.

    Args:
        namespace: the notebook's globals.
        number: the lesson the module stands for.
        path: the lesson's file in the temporary tree.
        checkout: the kata whose stubs name the lesson's functions.

    Returns:
        A new module; changing it (a suite's monkeypatch) leaves ``namespace`` alone.
    """
    lesson = get_lesson(number)
    module = ModuleType(f"kata_notebook_{lesson.folder}_{lesson.module}")
    module.__dict__.update(
        {name: value for name, value in namespace.items() if name not in IPYTHON_NAMES}
    )
    module.__name__ = f"kata_notebook_{lesson.folder}_{lesson.module}"
    module.__file__ = str(path)
    for name in stub_functions(number, checkout):
        value = namespace.get(name)
        if isinstance(value, FunctionType):
            module.__file__ = value.__code__.co_filename
            break
    return module


@functools.cache
def _tree_folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="kata-notebook-"))


def namespace_tree(namespace: dict, checkout: Checkout, tree: Path | None = None) -> Path:
    """A tree whose every lesson is ``namespace``'s definitions.

    The tree is one temporary folder per process, made again on each call:
    every lesson's path is preloaded with a fresh module (see
    :func:`lesson_module`), so the latest definitions are the ones tested.

    Args:
        namespace: the notebook's globals, e.g. ``globals()``.
        checkout: the kata whose stubs name each lesson's functions.
        tree: the folder to use; default one made for this process.  The
            helper's children (:mod:`kata.notebook.sent`) preload the folder
            the kernel made and names in ``--impl``.

    Returns:
        The tree's folder, for ``--impl``.

    Example::

        tree = namespace_tree(globals(), Checkout.find())
        kata.impl.load_module(tree, 3).build_model   # the notebook's build_model
    """
    tree = _tree_folder() if tree is None else tree
    for number in LESSONS:
        path = module_path(tree, number)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_text(
                "# Stands for a notebook's definitions (kata.notebook); never imported.\n",
                encoding="utf-8",
            )
        preload(path, lesson_module(namespace, number, path, checkout))
    return tree
