"""A warm process for ``kata watch``: TensorFlow imported once, each check forked from it.

A fresh ``pytest lessons/03`` spends most of its five seconds importing
TensorFlow, Keras and matplotlib and loading the data set.  ``kata watch``
starts one *warm* process (``python -m kata.student.warm``) that does all of
that once and then, for each check, forks a child that runs the lesson's
graded suite with ``pytest.main`` and exits.  As the grader's preloader
(:mod:`kata.grade`), the warm process forks only while it has a single thread
and has never run a TensorFlow operation, so each child starts TensorFlow's
runtime itself, exactly as a fresh process would; numpy's BLAS is asked for
one thread so that importing it starts none.

The protocol is one JSON line each way on the warm process's stdin and
stdout: ``{"ready": bool, "reason": str}`` once, then for every request
``{"args": [...], "cwd": str, "log": str}`` the answer ``{"code": int, "cpu":
float, "warm_up_cpu": float}`` (the children's CPU seconds, their standby
warm-up included, and those their warm-up had used when the request came) or
``{"error": str}``.  The children of the next check are forked as soon as the
warm process is ready and again as soon as a check ends; while the student
edits, each starts TensorFlow's runtime and rehearses what the suites do for
the first time in a process (a *standby* child, which never forks; see
:mod:`kata.student.rehearsal`), so a save pays only for pytest and the
lesson's own tests.  With ``--parts 2`` (the default on two cores or more)
there are two standby children and a check runs in both at once, each on its
own core, sharing the suite's tests as :mod:`kata.student.parts` says; the
last to finish writes the report, the same report one process would.  Each
standby child, when ready, adds a line with its pid to the file named by
``--standby-ready`` (the watch benchmark waits for them, as a student's edit
would).  :class:`WarmRunner` is the watch's handle on it; when the warm
process can't start or breaks, each check runs in a fresh process instead.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from kata.checkout import Checkout
from kata.forks import exit_after
from kata.student.rehearsal import draw_once, rehearse

PRELOAD_MODULES = ["numpy", "tensorflow", "keras", "matplotlib.pyplot", "pytest", "kata.report", "kata.data"]
"""What the warm process imports before it forks (no TensorFlow operation runs)."""

PLUGIN_DEPENDENCIES = ["tomllib", "xml.etree.ElementTree", "kata.explain", "kata.student.record"]
"""What pytest's configuration and the kata's plugin import, beyond the plugins themselves."""


def warm_env(base: dict[str, str]) -> dict[str, str]:
    """``base`` with numpy's BLAS on one thread, so the warm process stays single-threaded.

    pytest's plugins installed by other packages (pytest-benchmark, anyio's, ...)
    are not loaded either: the graded suites use only the kata's own plugin,
    which the checkout's ``conftest.py`` names, and each check saves their import.
    """
    return dict(base, OPENBLAS_NUM_THREADS="1", PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")


def preload_pytest_plugins() -> None:
    """Import what every ``pytest.main`` in a child imports: pytest's own plugins and what they use.

    Importing them is plain Python (no TensorFlow operation, no thread); a child
    then finds them imported.  ``kata.plugin`` itself stays out: pytest rewrites
    its asserts when the child imports it, and would warn that it can't were it
    imported already.
    """
    import importlib

    from _pytest.config import default_plugins

    for name in [*(f"_pytest.{name}" for name in default_plugins), *PLUGIN_DEPENDENCIES]:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the child imports it again and says what is wrong
            pass


def _thread_count() -> int:
    return len(os.listdir("/proc/self/task"))


def default_parts() -> int:
    """How many processes share a check: 2 when this process may run on two cores or more, else 1."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        cores = os.cpu_count() or 1
    return 2 if cores >= 2 else 1


def server_main(argv: list[str] | None = None) -> int:
    """The warm process: preload, say whether it can fork, then fork the children of each request."""
    import gc
    import importlib

    parser = argparse.ArgumentParser(prog="python -m kata.student.warm")
    parser.add_argument("--standby-ready", type=Path, default=None, help="each standby child adds its pid when ready")
    parser.add_argument("--parts", type=int, default=1, help="how many children share each check")
    parser.add_argument("--share", type=Path, default=None, help="the file they share it by (needed with --parts 2)")
    options = parser.parse_args(argv)
    ready_file, parts = options.standby_ready, options.parts if options.share is not None else 1
    replies = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # whatever the imports print goes to the log, never into the replies
    try:
        for name in PRELOAD_MODULES:
            importlib.import_module(name)
        preload_pytest_plugins()
        from kata import data

        data.cached_load_data()
        draw_once()
        # Everything preloaded is permanent: the children's garbage collections (pytest runs
        # several as it ends) skip it, and don't touch its pages, which stay shared.
        gc.collect()
        gc.freeze()
        threads = _thread_count()
        ready = {"ready": threads == 1, "reason": f"{threads} threads after preloading"}
    except Exception as error:  # noqa: BLE001 - the watch falls back to fresh processes
        ready = {"ready": False, "reason": repr(error)}
    if not ready["ready"]:  # said in the log first, so the log is whole when the watch reads the reply
        print(f"kata watch's warm process can't fork checks: {ready['reason']}", file=sys.stderr, flush=True)
    replies.write(json.dumps(ready) + "\n")
    if not ready["ready"]:
        return 1
    standby = _try_fork_standbys(parts, replies.fileno(), ready_file)
    for line in sys.stdin:
        try:
            request = json.loads(line)
            while len(standby) < parts:  # forking failed after the last check: try once more
                standby.append(_fork_standby(replies.fileno(), ready_file))
            reply = _run(request, standby, options.share)
        except Exception as error:  # noqa: BLE001 - reported; the watch starts a fresh process
            reply = {"error": repr(error)}
        standby = []
        if ready_file is not None:  # written by the children that just ran, if they warmed up after the request came
            ready_file.unlink(missing_ok=True)
        replies.write(json.dumps(reply) + "\n")
        standby = _try_fork_standbys(parts, replies.fileno(), ready_file)  # ready before the student's next save
    return 0


def _run(request: dict, standby: list[tuple[int, int]], share: Path | None) -> dict:
    """Give ``request`` to the standby children, wait for them, and say how it went.

    Args:
        request: ``{"args": [...], "cwd": str, "log": str}`` from the watch.
        standby: the children, as :func:`_fork_standby` returns them; one runs
            the check alone, several share it through ``share``.
        share: the file of :mod:`kata.student.parts` (used when there are several).

    Returns:
        The reply: the exit code (the first that is neither 0 nor 1, else the
        highest), the children's CPU seconds and those of their warm-up.
    """
    log = Path(request["log"])
    logs = [log] + [log.with_name(f"{log.name}.part{k}") for k in range(2, len(standby) + 1)]
    if len(standby) > 1:
        share.write_text("")  # a new shared run (kata.student.parts); the plugin is not imported here, where
        # pytest could not rewrite it
        extra = ["-p", "kata.student.parts", f"--kata-share={share}", f"--kata-parts={len(standby)}"]
        request = dict(request, args=[*request["args"], *extra])
    before = [_cpu_seconds(pid) for pid, _order in standby]  # their warm-up, done before the save
    for (_pid, order), part_log in zip(standby, logs, strict=True):
        os.write(order, (json.dumps(dict(request, log=str(part_log))) + "\n").encode())
        os.close(order)
    codes, cpu = [], 0.0
    for pid, _order in standby:
        _, status, usage = os.wait4(pid, 0)
        codes.append(os.waitstatus_to_exitcode(status))
        cpu += usage.ru_utime + usage.ru_stime
    for part_log in logs[1:]:  # one log, as one process would have written
        try:
            with open(log, "a", encoding="utf-8") as whole:
                whole.write(f"\n--- {part_log.name} ---\n" + part_log.read_text(encoding="utf-8", errors="replace"))
            part_log.unlink()
        except OSError:
            pass
    code = next((c for c in codes if c not in (0, 1)), max(codes))
    warm_up = None if None in before else sum(before)
    return {"code": code, "cpu": cpu, "warm_up_cpu": warm_up}


def _try_fork_standbys(count: int, replies_fd: int, ready_file: Path | None) -> list[tuple[int, int]]:
    """Up to ``count`` :func:`_fork_standby` children; fewer (said in the log) when forking fails."""
    children = []
    for _ in range(count):
        try:
            children.append(_fork_standby(replies_fd, ready_file))
        except Exception as error:  # noqa: BLE001 - the next request tries again
            print(f"no standby child: {error!r}", file=sys.stderr)
            break
    return children


def _cpu_seconds(pid: int) -> float | None:
    """The CPU seconds a running process has used so far (all its threads), from ``/proc``."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    except (OSError, ValueError, IndexError):
        return None


def _fork_standby(replies_fd: int, ready_file: Path | None = None) -> tuple[int, int]:
    """Fork the child of the next check now; it warms up and waits for its request on a pipe.

    Args:
        replies_fd: the warm process's replies, which the child closes.
        ready_file: where the child writes its pid once warmed up (or ``None``).

    Returns:
        The child's pid and the pipe's write end for the request.

    Raises:
        RuntimeError: the warm process is not single-threaded (forking would be unsafe).
    """
    if (threads := _thread_count()) != 1:
        raise RuntimeError(f"the warm process has {threads} threads; it forks only with one")
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(write)
        os.close(replies_fd)
        _standby(read, ready_file)
    os.close(read)
    return pid, write


def _standby(read: int, ready_file: Path | None = None) -> None:
    """In a standby child: start TensorFlow's runtime and :func:`rehearse`, say so, wait, run the check."""
    import gc

    try:
        import tensorflow as tf

        tf.constant(1.0) + 1.0  # starts the runtime and its threads: safe here, this process never forks
        rehearse()
    except Exception as error:  # noqa: BLE001 - the check itself will report a broken TensorFlow
        print(f"the standby child's warm-up stopped: {error!r}", file=sys.stderr, flush=True)
    gc.collect()
    gc.freeze()  # what the runtime and the rehearsal keep: the check's collections skip it
    if ready_file is not None:
        try:
            with open(ready_file, "a", encoding="utf-8") as ready:  # one short line: the other child's can't cut into it
                ready.write(f"{os.getpid()}\n")
        except OSError:
            pass
    # The request is one line: the pipe's end-of-file can't say it is whole, as a standby child forked
    # later holds a copy of this one's write end.
    request = b""
    while not request.endswith(b"\n") and (chunk := os.read(read, 1 << 16)):
        request += chunk
    os.close(read)
    if not request.endswith(b"\n"):
        os._exit(0)  # the warm process ended without a request
    _child(json.loads(request))


def _child(request: dict) -> None:
    """In the forked child: run pytest with the request's arguments, output to its log, exit."""

    def run() -> int:
        log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        os.chdir(request["cwd"])
        import pytest

        return int(pytest.main(request["args"]))

    exit_after(run)


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

    Example:
        >>> warm = WarmRunner(checkout, env)  # doctest: +SKIP
        >>> warm.pytest(["lessons/03", "-q"], log)  # doctest: +SKIP
        0
        >>> warm.close()  # doctest: +SKIP
    """

    def __init__(self, checkout: Checkout, env: dict[str, str], parts: int | None = None):
        self.checkout = checkout
        self.parts = default_parts() if parts is None else parts
        self.broken: str | None = None
        self.last_cpu: float | None = None  # CPU seconds of the last forked run (with its warm-up)
        self.last_warm_up_cpu: float | None = None  # of those, the ones its warm-up used before the request
        self._ready: bool | None = None
        checkout.state.mkdir(parents=True, exist_ok=True)
        self.log = checkout.state / "warm.log"
        self.standby_ready = checkout.state / "warm.standby"  # a line per standby child that is ready: its pid
        self.standby_ready.unlink(missing_ok=True)
        share = checkout.state / "warm.share"  # how the children of a check share its tests
        with open(self.log, "wb") as log:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "kata.student.warm", f"--standby-ready={self.standby_ready}",
                 f"--parts={self.parts}", f"--share={share}"],
                cwd=checkout.root, env=warm_env(env), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=log, text=True, start_new_session=True,  # Ctrl-C in the terminal stops the watch, not it
            )  # fmt: skip

    def pytest(self, args: list[str], log: Path) -> int | None:
        """Run ``pytest args`` in a forked child, its output to ``log``; its exit code, or ``None``."""
        if self._ready is None:
            answer = self._answer()
            self._ready = bool(answer.get("ready"))
            if not self._ready:
                why = answer.get("reason") or answer.get("error")
                self.broken = f"the warm process could not start: {why} (see {self.checkout.shown(self.log)})"
        if not self._ready or self.broken:
            return None
        try:
            self._process.stdin.write(json.dumps({"args": args, "cwd": str(self.checkout.root), "log": str(log)}) + "\n")
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


if __name__ == "__main__":
    sys.exit(server_main())
