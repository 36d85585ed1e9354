"""The kata in Jupyter and Colab: check, hint and solution from a notebook.

``import kata`` gives ``kata.check(n)``, ``kata.hint(n)`` and
``kata.solution(n)``; they grade and help with the functions the notebook
defines, as ``pytest lessons/NN``, ``kata hint`` and ``kata solution`` do
with the lesson files.  ``kata notebooks OUT/`` writes the lesson notebooks
(:mod:`kata.notebook.build`); :mod:`kata.notebook.convert` turns a lesson
notebook back into the equivalent lesson file.

Modules, one job each: ``namespace`` (a notebook's globals as lesson
modules), ``check`` (the in-process suite run), ``result`` (its display),
``helper`` (the warm process beside the kernel that runs the
checks once it is ready), ``sent`` (the definitions sent to it by value),
``record`` (which lessons were solved in a notebook), ``help`` (hints and the
gated solution), ``convert`` (notebook to lesson source), ``submission`` (a
folder or zip of notebooks to a lesson tree, for grading), ``earlier``
(loading earlier lessons' notebooks), ``build`` (writing the notebooks).

Each works on a :class:`kata.checkout.Checkout` passed to it; the functions
here find it from the notebook's folder upward, else the installed copy
(Colab's set-up cell installs a clone).
"""

from __future__ import annotations

import sys


def _checkout():
    """The kata holding the notebook's folder, else the one the package was installed from."""
    from kata.checkout import Checkout

    return Checkout.here_or_installed()


def check(number: int, namespace: dict | None = None, *, seed: int | None = None,
          helper: bool | None = None):
    """Grade the notebook's functions with lesson ``number``'s graded suite.

    See :func:`kata.notebook.check.check` (``helper``: where the suite runs).

    Example::

        import kata
        kata.check(3)
    """
    from kata.notebook.check import check as run

    caller = sys._getframe(1).f_globals if namespace is None else namespace
    return run(number, caller, checkout=_checkout(), seed=seed, helper=helper)


def hint(number: int, *, show_all: bool = False):
    """The next hint of lesson ``number``, as ``kata hint`` gives it.

    See :func:`kata.notebook.help.hint`.

    Example::

        kata.hint(3)
    """
    from kata.notebook.help import hint as show

    return show(number, show_all=show_all, checkout=_checkout())


def solution(number: int, namespace: dict | None = None, *, force: bool = False):
    """Lesson ``number``'s reference, once the notebook's version has full points.

    See :func:`kata.notebook.help.solution`.

    Example::

        kata.solution(3)
    """
    from kata.notebook.help import solution as show

    caller = sys._getframe(1).f_globals if namespace is None else namespace
    return show(number, caller, force=force, checkout=_checkout())


def use_earlier(number: int, folder: str = ".", namespace: dict | None = None):
    """Define the earlier lessons' functions here, from their notebooks.

    See :func:`kata.notebook.earlier.use_earlier`.

    Example::

        kata.use_earlier(5)    # load_data, normalize, build_model, compile_model
    """
    from kata.notebook.earlier import use_earlier as load

    caller = sys._getframe(1).f_globals if namespace is None else namespace
    return load(number, folder, caller, _checkout())
