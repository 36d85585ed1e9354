"""``kata.check``'s helper: a warm process beside the kernel, whose forked children run the suites.

A kernel can't fork a child for each check, as ``kata watch``'s warm process
does: TensorFlow's threads already run in it.  So the first ``kata.check``
in a kernel runs the suite in the kernel (:mod:`kata.notebook.check`) and
then starts a helper: ``kata watch``'s warm process
(:mod:`kata.student.warm`), which imports TensorFlow once and keeps two
children warmed up for the next check, each on its own core.  From then on,
once the helper is ready, a check sends the notebook's definitions to it by
value (:mod:`kata.notebook.sent`) and its children share the suite's tests.
The report they write is the one the kernel would have written.

Whenever the helper can't take a check (still starting, the definitions
can't be sent, it broke), the check runs in the kernel as before, so the
helper only ever makes a check faster.  ``KATA_CHECK_IN_KERNEL=1`` keeps
every check in the kernel (a machine short of memory: the helper and its
children take about 0.5 GB, 1.2 GB resident with what they share).

Example::

    helper = Helper.start(checkout)   # returns at once; the helper warms up beside the kernel
    helper.run(args, payload)         # pytest's exit code and output, or None: run it in the kernel
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from kata.checkout import Checkout

IN_KERNEL_ENV = "KATA_CHECK_IN_KERNEL"
"""Set to 1 to run every ``kata.check`` in the kernel, with no helper."""

_helpers: dict[Path, Helper] = {}
_broken: dict[Path, str] = {}  # why a checkout's helper broke: this kernel starts no other


class Helper:
    """One kernel's helper process for one checkout (see the module's text).

    Args:
        checkout: the kata whose suites the helper runs.
        folder: a folder of its own for the definitions sent, the logs and
            the files its children share; removed by :meth:`close`.
    """

    def __init__(self, checkout: Checkout, folder: Path):
        from kata.student.warm import WarmRunner

        self.checkout = checkout
        self.folder = folder
        env = dict(os.environ, MPLBACKEND="Agg")  # as `pytest lessons/NN` draws: the kernel's inline backend is no file's
        self.runner = WarmRunner(checkout, env, folder=folder)
        self.checks = 0

    @classmethod
    def start(cls, checkout: Checkout) -> Helper:
        """Start a helper for ``checkout`` (it warms up in the background); stopped when the kernel ends."""
        helper = cls(checkout, Path(tempfile.mkdtemp(prefix="kata-helper-")))
        atexit.register(helper.close)
        return helper

    @property
    def broken(self) -> str | None:
        """Why the helper can take no more checks, or ``None``."""
        if self.runner.broken is None and not self.runner.running():
            return "the helper process ended"
        return self.runner.broken

    def ready(self) -> bool:
        """Whether a check sent now would start at once: the helper works and its children are warm.

        Right after a check, its next children are still warming up (two or
        three seconds of both cores); a check sent then would wait for them.
        """
        return self.runner.started() and len(self.runner.standby_pids()) >= self.runner.parts

    def wait_until_ready(self, timeout: float = 120) -> bool:
        """Wait until the helper and its children are warm, as a student's next edit gives them time to.

        The warm process forks its children only once it has said it is ready,
        so children that are warm mean a helper that has started.
        """
        return self.runner.wait_for_standby(timeout) and self.runner.started()

    def run(self, args: list[str], payload: bytes) -> tuple[int, str] | None:
        """Run ``pytest args`` in the helper's children on the definitions ``payload`` holds.

        Args:
            args: pytest's arguments, as the kernel would run them (their
                ``--impl`` tree is the one the children preload).
            payload: :func:`kata.notebook.sent.pack`'s bytes.

        Returns:
            pytest's exit code and what it printed, or ``None`` when the helper
            could not run it (:attr:`broken` says why).
        """
        self.checks += 1
        sent = self.folder / "namespace.pickle"
        sent.write_bytes(payload)
        log = self.folder / f"check-{self.checks}.log"
        try:
            # In the kernel's working folder (the notebook's), where a lesson function's relative paths lead.
            code = self.runner.pytest([*args, "-p", "kata.notebook.sent", f"--kata-namespace={sent}"], log,
                                      cwd=Path.cwd())
        except BaseException:  # interrupted while it ran (the kernel's stop button): its answer would come late
            self.close()
            raise
        try:
            output = log.read_text(encoding="utf-8", errors="replace")
            log.unlink()
        except OSError:
            output = ""
        return None if code is None else (code, output)

    def close(self) -> None:
        """Stop the helper and its children; remove its folder."""
        _helpers.pop(self.checkout.root, None)
        self.runner.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def in_kernel_only() -> bool:
    """Whether ``KATA_CHECK_IN_KERNEL`` asks for every check to run in the kernel."""
    return os.environ.get(IN_KERNEL_ENV, "") not in ("", "0")


def helper_for(checkout: Checkout) -> Helper | None:
    """This kernel's helper for ``checkout``, if one was started and can still take checks."""
    helper = _helpers.get(checkout.root)
    if helper is not None and helper.broken:
        _broken[checkout.root] = helper.broken
        helper.close()
        return None
    return helper


def start_helper(checkout: Checkout) -> Helper | None:
    """Start the helper for ``checkout`` unless one runs, one broke, or ``KATA_CHECK_IN_KERNEL`` says not to.

    Not on Windows: the helper forks its children, as ``kata watch``'s warm process does.
    """
    if in_kernel_only() or not hasattr(os, "fork"):
        return None
    helper = helper_for(checkout)  # a helper that broke is put in _broken here
    if helper is None and checkout.root not in _broken:
        helper = _helpers[checkout.root] = Helper.start(checkout)
    return helper


def wait_for_helper(checkout: Checkout, timeout: float = 120) -> bool:
    """Wait until this kernel's helper for ``checkout`` is warm; ``False`` when there is none or it broke.

    A student's edit between two checks gives the helper that time; the
    benchmark of ``kata.check`` in a kernel waits for it, as the watch's does.
    """
    helper = helper_for(checkout)
    return helper is not None and helper.wait_until_ready(timeout)
