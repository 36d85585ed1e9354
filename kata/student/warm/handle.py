"""The watch's handle on a warm process: :class:`WarmRunner`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from kata.checkout import Checkout
from kata.student.warm.server import default_parts, warm_env


class WarmRunner:
    """The watch's handle on a warm process, started in ``checkout``'s root.

    Call :meth:`pytest` with pytest's arguments to run them in a child forked
    from the warm process; it returns ``None`` when that can't be done (the
    warm process could not preload, or broke), and the caller runs a fresh
    process instead.  :attr:`broken` says why.

    Args:
        checkout: the student's copy of the kata; the warm process imports
            its ``kata`` package, as a fresh ``python -m pytest`` there would.
        env: the environment of the runs.
        parts: how many children share each check (:mod:`kata.student.parts`);
            default :func:`default_parts`, 2 on two cores or more.
        folder: where its log and the files its children share go; default
            the checkout's ``.kata/`` (``kata.check`` in a notebook gives a
            folder of its own, so a ``kata watch`` of the same checkout keeps its).

    Example:
        >>> warm = WarmRunner(checkout, env)  # doctest: +SKIP
        >>> warm.pytest(["lessons/03", "-q"], log)  # doctest: +SKIP
        0
        >>> warm.close()  # doctest: +SKIP
    """

    def __init__(self, checkout: Checkout, env: dict[str, str], parts: int | None = None,
                 folder: Path | None = None):
        self.checkout = checkout
        self.parts = default_parts() if parts is None else parts
        self.broken: str | None = None
        self.last_cpu: float | None = None  # CPU seconds of the last forked run (with its warm-up)
        self.last_warm_up_cpu: float | None = None  # of those, the ones its warm-up used before the request
        self._ready: bool | None = None
        folder = checkout.state if folder is None else folder
        folder.mkdir(parents=True, exist_ok=True)
        self.log = folder / "warm.log"
        self.standby_ready = folder / "warm.standby"  # a line per standby child that is ready: its pid
        self.standby_ready.unlink(missing_ok=True)
        share = folder / "warm.share"  # how the children of a check share its tests
        with open(self.log, "wb") as log:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "kata.student.warm", f"--standby-ready={self.standby_ready}",
                 f"--parts={self.parts}", f"--share={share}"],
                cwd=checkout.root, env=warm_env(env), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=log, text=True, start_new_session=True,  # Ctrl-C in the terminal stops the watch, not it
            )  # fmt: skip

    def started(self) -> bool:
        """Whether the warm process has said it is ready, without waiting for it.

        ``False`` while it still preloads, and for good when it could not
        (:attr:`broken` says why); :meth:`pytest` would wait for it otherwise.
        """
        if self._ready is None:
            import select

            if not select.select([self._process.stdout], [], [], 0)[0]:
                return False
            self._take_ready(self._answer())
        return bool(self._ready) and not self.broken

    def pytest(self, args: list[str], log: Path, cwd: Path | None = None) -> int | None:
        """Run ``pytest args`` in a forked child, its output to ``log``; its exit code, or ``None``.

        ``cwd`` is the child's working folder: the checkout's root unless given.
        """
        if self._ready is None:
            self._take_ready(self._answer())
        if not self._ready or self.broken:
            return None
        try:
            request = {"args": args, "cwd": str(cwd or self.checkout.root), "log": str(log)}
            self._process.stdin.write(json.dumps(request) + "\n")
            self._process.stdin.flush()
        except OSError as error:
            self.broken = f"the warm process is gone ({error})"
            return None
        answer = self._answer()
        if "code" not in answer:
            self.broken = answer.get("error", "the warm process ended")
            return None
        self.last_cpu = answer.get("cpu")
        self.last_warm_up_cpu = answer.get("warm_up_cpu")
        return int(answer["code"])

    def running(self) -> bool:
        """Whether the warm process is still there (it may have been killed, e.g. short of memory)."""
        return self._process.poll() is None

    def standby_pids(self) -> list[int]:
        """The pids of the standby children that are ready for the next check."""
        try:
            return [int(line) for line in self.standby_ready.read_text(encoding="utf-8").split()]
        except (OSError, ValueError):
            return []

    def wait_for_standby(self, timeout: float = 120) -> bool:
        """Wait until the children of the next check have warmed up, as a student's edit gives them time to.

        Returns:
            ``True`` when they are ready; ``False`` after ``timeout`` seconds, or
            when the warm process has ended.
        """
        import time

        deadline = time.monotonic() + timeout
        while len(self.standby_pids()) < self.parts:
            if time.monotonic() > deadline or self._process.poll() is not None:
                return False
            time.sleep(0.05)
        return True

    def _take_ready(self, answer: dict) -> None:
        self._ready = bool(answer.get("ready"))
        if not self._ready:
            why = answer.get("reason") or answer.get("error")
            self.broken = f"the warm process could not start: {why} (see {self.checkout.shown(self.log)})"

    def _answer(self) -> dict:
        line = self._process.stdout.readline()
        try:
            return json.loads(line) if line else {"error": "the warm process ended"}
        except ValueError:
            return {"error": f"the warm process said {line[:200]!r}"}

    def close(self) -> None:
        """Stop the warm process and any check it is running."""
        try:
            os.killpg(self._process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        for stream in (self._process.stdin, self._process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        self._process.wait()

    def __enter__(self) -> WarmRunner:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
