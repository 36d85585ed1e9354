"""``kata.check(n)``: lesson ``n``'s graded suite on a notebook's definitions.

The suite runs with ``pytest.main``, exactly as ``pytest lessons/NN`` runs it
(same tests, fixtures, seed, points and messages), but with ``--impl``
pointing at a tree whose lesson modules are the notebook's globals
(:mod:`kata.notebook.namespace`).  In a Jupyter kernel, the first check runs
in the kernel and starts a helper process beside it; once that is warm, the
checks run in its forked children, on the definitions sent to it by value
(:mod:`kata.notebook.helper`).  Either way the same report comes back.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import sys
import tempfile
from pathlib import Path

from kata import report as report_module
from kata.checkout import Checkout
from kata.impl import get_lesson
from kata.notebook import record, sent
from kata.notebook.helper import Helper, helper_for, in_kernel_only, start_helper
from kata.notebook.namespace import namespace_tree, stub_functions
from kata.notebook.result import CheckResult


class CheckError(RuntimeError):
    """The suite could not run at all (no test file, a broken install), with what to do."""


def check(number: int, namespace: dict | None = None, *, checkout: Checkout,
          seed: int | None = None, helper: bool | None = None) -> CheckResult:
    """Grade the notebook's functions with lesson ``number``'s graded suite.

    Args:
        number: the lesson, e.g. ``3``.
        namespace: where the functions are defined; the caller's globals (the
            notebook's) when None.
        checkout: the kata whose graded suite runs (and where the score is recorded).
        seed: the random seed set before every test, as ``--kata-seed``
            (default: the suites' own, 1234).
        helper: where the suite runs.  ``None`` (the default): in a Jupyter
            kernel, in the helper process once it is ready, else here;
            ``False``: here; ``True``: in the helper, started and waited for
            if need be (here when it can't take the definitions).

    Returns:
        A :class:`kata.notebook.result.CheckResult`: ``points``,
        ``max_points``, ``tests`` and the score ``line``.  Jupyter shows it
        as a table; ``print(result)`` gives the same as text.

    Raises:
        CheckError: when the suite cannot run (its test file is missing).

    Example::

        import kata
        kata.check(3)      # lesson 03 · build: 10/10 points (kata.check finds the checkout)
    """
    lesson = get_lesson(number)
    if namespace is None:
        namespace = sys._getframe(1).f_globals
    suite = checkout.test_file(number)
    if not suite.is_file():
        raise CheckError(
            f"Lesson {lesson.folder}'s graded suite {suite} is missing; the notebooks need "
            "the kata's repository (git clone it and `pip install -e '.[notebook]'`)."
        )
    tree = namespace_tree(namespace, checkout)
    with tempfile.TemporaryDirectory(prefix="kata-check-") as folder:
        report_file = Path(folder) / "report.json"
        args = [
            *map(str, checkout.suite_files(number)),
            f"--rootdir={checkout.root}",
            "-c",
            str(checkout.root / "pyproject.toml"),
            f"--impl={tree}",
            f"--kata-report={report_file}",
            "-p",
            "no:cacheprovider",
            # Its gc.collect() at the end costs ~0.8 s in a kernel full of TensorFlow objects;
            # it only turns unraisable exceptions into warnings, never a grade.
            "-p",
            "no:unraisableexception",
            "-q",
        ]
        if seed is not None:
            args.append(f"--kata-seed={seed}")
        code, output, ran_in = _run(args, namespace, number, checkout, helper, report_file)
        if not report_file.exists():
            raise CheckError(
                f"The suite of lesson {lesson.folder} gave no result (pytest exit code {code}). "
                f"What pytest said:\n{output}"
            )
        report = report_module.read(report_file)
    (score,) = report.lessons() or [None]
    if score is None:
        raise CheckError(f"The suite of lesson {lesson.folder} ran no graded test:\n{output}")
    result = CheckResult.from_score(score, report.results, output)
    result.ran_in = ran_in
    missing = [name for name in stub_functions(number, checkout) if not callable(namespace.get(name))]
    if missing:
        names = ", ".join(f"{name}()" for name in missing)
        result.note = (
            f"This notebook does not define {names} of lesson {lesson.folder}: write it in a "
            "code cell and run that cell, then check again."
        )
    with contextlib.suppress(OSError):
        record.save(result, checkout)
    return result


def _run(args: list[str], namespace: dict, number: int, checkout: Checkout, use_helper: bool | None,
         report_file: Path) -> tuple[int, str, str]:
    """Run the suite in the helper when it can take it, else here: pytest's code and output, and where it ran."""
    if use_helper is False or in_kernel_only() or (use_helper is None and "ipykernel" not in sys.modules):
        return (*_run_pytest(args, checkout), "kernel")
    helper: Helper | None = helper_for(checkout)
    if use_helper and helper is None:
        helper = start_helper(checkout)
    if use_helper and helper is not None:
        helper.wait_until_ready()
    if helper is not None and helper.ready():
        payload = sent.pack(namespace, stub_functions(number, checkout))
        if payload is not None and (answer := helper.run(args, payload)) is not None and report_file.exists():
            return (*answer, "helper")
    answer = _run_pytest(args, checkout)
    start_helper(checkout)  # after the check, so that starting it never slows this one down
    return (*answer, "kernel")


def _run_pytest(args: list[str], checkout: Checkout) -> tuple[int, str]:
    """``pytest.main(args)`` with its output kept; the environment, folder and suites as they were.

    The suite's modules (``lessons/NN/test_*.py``) are imported afresh for
    the run and forgotten after it, as each ``pytest lessons/NN`` imports
    them in a new process: several keep what the lesson's functions
    returned, by the lesson module's name, and the next check of the same
    notebook would otherwise be graded on the answers of the last.

    The kernel's objects (TensorFlow's, the notebook's) are frozen for the run
    (:func:`gc.freeze`): the suite's drawings and models allocate enough to set
    off many garbage collections, and each would walk all of them again.  They
    are unfrozen after it, unless something else had frozen objects before.
    """
    import pytest

    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    _forget_suites(checkout)
    out = io.StringIO()
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    try:
        with contextlib.redirect_stdout(out):
            code = pytest.main(args)
    finally:
        if freeze:
            gc.unfreeze()
        os.environ.clear()
        os.environ.update(saved_env)
        os.chdir(saved_cwd)
        _forget_suites(checkout)
    return int(code), out.getvalue()


def _forget_suites(checkout: Checkout) -> None:
    """Take the modules loaded from the checkout's ``lessons/`` (the suites) out of ``sys.modules``."""
    lessons = f"{checkout.lessons}{os.sep}"
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if isinstance(file, str) and file.startswith(lessons):
            del sys.modules[name]
