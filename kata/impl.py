"""Which tree a lesson module comes from, and loading it by path.

A *tree* is any folder laid out as ``NN/<topic>.py``: the student's
``lessons/``, the reference ``solutions/``, a submission being graded, or a
mutant built for the project's own tests.  Lesson folders are named by
number alone (``lessons/03``), so they cannot be imported as packages; every
module is loaded from its file path instead.

This module is the ground everything else stands on: it imports nothing
heavier than the standard library.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from kata.i18n import N_

ROOT = Path(__file__).resolve().parent.parent
"""The folder the ``kata`` package was installed from.

Only the fallback of :data:`NAMED_TREES` (and the project's own tests) use it;
the commands work on a :class:`kata.checkout.Checkout`, found from the current folder.
"""


@dataclass(frozen=True)
class Lesson:
    """One lesson: its number, names, and what the tools need to know about it."""

    number: int
    topic: str  # the short name used in score lines, e.g. "softmax-wrap"
    module: str  # the file name without ".py", e.g. "softmax"
    title: str  # a few words for humans, in English: show it as i18n.translate(lesson.title)
    bonus: bool = False
    slow: bool = False  # trains on the full data: `kata status` runs it only when due
    builds_on: tuple[int, ...] = ()  # the lessons whose student files its result depends on

    @property
    def folder(self) -> str:
        return f"{self.number:02d}"

    @property
    def filename(self) -> str:
        return f"{self.module}.py"

    @property
    def test_filename(self) -> str:
        return f"test_{self.module}.py"

    @property
    def guide(self) -> str:
        return f"docs/lessons/{self.folder}-{self.module}.md"


LESSONS: dict[int, Lesson] = {
    lesson.number: lesson
    for lesson in [
        Lesson(1, "load", "load", N_("load the data")),
        Lesson(2, "normalize", "normalize", N_("scale the pixels and look at them")),
        Lesson(3, "build", "build", N_("build the model")),
        Lesson(4, "compile", "compile", N_("compile the model")),
        Lesson(5, "fit", "fit", N_("train the model")),
        Lesson(6, "evaluate", "evaluate", N_("evaluate accuracy")),
        Lesson(7, "softmax-wrap", "softmax", N_("turn logits into probabilities")),
        Lesson(8, "predict", "predict", N_("make and plot predictions")),
        Lesson(9, "save", "save", N_("save and load the model")),
        Lesson(10, "capstone", "pipeline", N_("the whole pipeline"), slow=True,
               builds_on=tuple(range(1, 10))),
        Lesson(11, "speed", "speed", N_("train faster (bonus)"), bonus=True, slow=True,
               builds_on=tuple(range(1, 11))),
    ]
}



def is_checkout(folder: str | os.PathLike) -> bool:
    """Does ``folder`` hold a kata checkout (a ``lessons/`` folder with lesson folders)?"""
    lessons = Path(folder) / "lessons"
    return lessons.is_dir() and any((lessons / lesson.folder).is_dir() for lesson in LESSONS.values())


def find_root(start: str | os.PathLike | None = None) -> Path | None:
    """The checkout holding ``start`` (default: the current folder), searched upward as git does.

    Args:
        start: a folder inside a checkout.

    Returns:
        The checkout's root folder, or ``None`` when no folder from ``start``
        up to ``/`` is one.
    """
    folder = Path(start if start is not None else os.getcwd()).resolve()
    for candidate in (folder, *folder.parents):
        if is_checkout(candidate):
            return candidate
    return None


_HERE = find_root() or ROOT
NAMED_TREES = {"lessons": _HERE / "lessons", "solutions": _HERE / "solutions"}
"""``--impl=lessons`` and ``--impl=solutions``: the trees of the checkout pytest runs in."""

IMPL_ENV = "KATA_IMPL"
"""Environment variable naming the active tree (set by the pytest plugin)."""


class ImplError(ValueError):
    """A tree or lesson module that cannot be used, with what to do about it."""


def get_lesson(number: int | str) -> Lesson:
    """Lesson ``number`` (``3`` or ``"03"``).

    Args:
        number: the lesson's number, as an int or text.

    Returns:
        Its :class:`Lesson`.

    Raises:
        ImplError: there is no such lesson (the message lists those there are).
    """
    try:
        return LESSONS[int(number)]
    except (KeyError, ValueError):
        known = ", ".join(f"{n:02d}" for n in LESSONS)
        raise ImplError(f"There is no lesson {number!r}. The lessons are {known}.") from None


def resolve_tree(impl: str | os.PathLike | None = None) -> Path:
    """Turn ``--impl``'s value into a folder.

    ``"lessons"`` (the default) and ``"solutions"`` name the repository's own
    trees; anything else is a path to a folder laid out as ``NN/<topic>.py``.

    Args:
        impl: the ``--impl`` value; ``None`` or ``""`` for ``KATA_IMPL`` or ``lessons``.

    Returns:
        The tree's folder.

    Raises:
        ImplError: the folder is missing or holds no lesson folders.
    """
    if impl is None or impl == "":
        impl = os.environ.get(IMPL_ENV) or "lessons"
    if isinstance(impl, str) and impl in NAMED_TREES:
        return NAMED_TREES[impl]
    path = Path(impl).expanduser().resolve()
    if not path.is_dir():
        raise ImplError(
            f"--impl={impl}: there is no folder {path}. Use --impl=lessons (your own "
            "code), --impl=solutions (the reference) or the path of a folder laid "
            "out as NN/<topic>.py, e.g. lessons/03/build.py."
        )
    if not any((path / lesson.folder).is_dir() for lesson in LESSONS.values()):
        raise ImplError(
            f"--impl={impl}: the folder {path} has no lesson folders (01, 02, ...). "
            "Point --impl at the folder that holds 01/, 02/, ... (for a repository "
            "clone that is its lessons/ folder)."
        )
    return path


def module_path(tree: Path, number: int) -> Path:
    """Where lesson ``number``'s module lives in ``tree``: ``tree/NN/<module>.py``."""
    lesson = get_lesson(number)
    return Path(tree) / lesson.folder / lesson.filename


_cache: dict[Path, ModuleType] = {}


def load_module(tree: str | os.PathLike | None, number: int, *, fresh: bool = False) -> ModuleType:
    """Load lesson ``number``'s module from ``tree`` by its file path.

    Each (tree, lesson) pair gets its own module name, so the student's
    ``build.py`` and the reference's never replace each other in
    ``sys.modules``.  Modules are cached; ``fresh=True`` loads the file again.

    Args:
        tree: ``"lessons"``, ``"solutions"``, a folder laid out as ``NN/<module>.py``,
            or ``None`` for the active tree.
        number: the lesson.
        fresh: load the file again even when it is cached.

    Returns:
        The module.

    Raises:
        ImplError: the tree or the lesson's file is missing.

    Example:
        >>> load_module("solutions", 3).build_model()  # doctest: +SKIP
    """
    path = module_path(resolve_tree(tree), number).resolve()
    if not fresh and path in _cache:
        return _cache[path]
    if not path.is_file():
        lesson = get_lesson(number)
        raise ImplError(
            f"Lesson {lesson.folder} has no file {path}. Each lesson lives in "
            f"NN/{lesson.filename}; restore the stub with `kata reset {lesson.number}`."
        )
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:10]
    name = f"kata_impl_{digest}_{get_lesson(number).folder}_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    _cache[path] = module
    return module


def tree_of(file: str | os.PathLike) -> Path | None:
    """The tree that a lesson file belongs to (``.../lessons/03/build.py`` → ``.../lessons``)."""
    folder = Path(file).resolve().parent
    if folder.name.isdigit() and int(folder.name) in LESSONS:
        return folder.parent
    return None


def lesson(number: int, tree: str | os.PathLike | None = None) -> ModuleType:
    """Lesson ``number``'s module from the same tree as the caller.

    The capstone uses it to reach the other lessons::

        model = kata.lesson(3).build_model()

    Called from ``lessons/10/pipeline.py`` it gives ``lessons/03/build.py``;
    from ``solutions/10/pipeline.py``, the reference's; from a submission,
    the submission's.  Elsewhere it uses the active tree (``--impl``, or the
    ``KATA_IMPL`` environment variable; the student's ``lessons/`` by default).
    """
    if tree is None:
        caller = sys._getframe(1).f_globals.get("__file__")
        tree = tree_of(caller) if caller else None
    return load_module(tree, number)


def beside(module, number: int):
    """Lesson ``number``'s module from the same tree as ``module``: what ``kata.lesson(number)`` gives the code in it.

    ``module`` may be the proxy of a module running in an agent process
    (``pytest --remote``, :class:`kata.remote.proxy.RemoteModule`): then the
    result is the proxy of that lesson's module in the same agent, so a test can
    spy on the functions the module under test calls.

    Example:
        >>> beside(load_module("solutions", 10), 3).build_model  # doctest: +SKIP
    """
    remote = getattr(type(module), "beside", None)
    if remote is not None:
        return remote(module, number)
    return load_module(tree_of(module.__file__), number)


def preload(path: str | os.PathLike, module: ModuleType) -> None:
    """Make :func:`load_module` return ``module`` for the lesson file at ``path``.

    A notebook's definitions are not a file: :mod:`kata.notebook` wraps them
    in a module and preloads it under the lesson's path in a temporary tree,
    so the graded suites (``--impl=<that tree>``) test them unchanged.

    Args:
        path: the lesson file the module stands for, e.g. ``<tree>/03/build.py``.
        module: the module to return for it.
    """
    _cache[Path(path).resolve()] = module
