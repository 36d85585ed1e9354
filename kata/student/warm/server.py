"""The warm process itself (``python -m kata.student.warm``): preload once, fork each check.

See :mod:`kata.student.warm` for what it does and the protocol on its stdin
and stdout; :class:`~kata.student.warm.handle.WarmRunner` starts it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

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
            _dismiss(standby)
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
        # A new shared run: an empty file (kata.student.parts, which is not imported here: pytest
        # could not rewrite a plugin imported before it starts).
        share.write_text("")
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


def _dismiss(standby: list[tuple[int, int]]) -> None:
    """End standby children that will get no request (their request pipe closes) and wait for them."""
    for pid, order in standby:
        try:
            os.close(order)
        except OSError:
            pass  # it had its request already
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass


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
