"""Inside a sandbox: TensorFlow imported once, then one lesson run forked at a time.

A fresh Python process spends seconds importing TensorFlow, Keras and
matplotlib and loading the data before its first test.  The preloader does
that once per sandbox, then forks one lesson run per request from the
grader, waits for it (with the time limit), kills every process the run left
behind, wipes the run's temporary folder and answers.  Runs never overlap in
one sandbox.

Forking is safe because the preloader has a single thread when it forks
(checked before every fork; numpy's BLAS is asked for one thread) and has
never run a TensorFlow operation: the forked run starts TensorFlow's runtime
itself, exactly as a fresh process would.  The preloader is not dumpable
(``PR_SET_DUMPABLE`` 0), so a run, though it has the same uid, can neither
trace it nor read its memory; it holds no secret anyway (the key pipe is
handed on unread).

How "every process the run left behind" is found depends on the sandbox:
in bubblewrap's PID namespace it is every process but the preloader and
the namespace's init (``kill(-1)``); as the grading user, every process of
that user; unsandboxed, every descendant (the preloader is a subreaper, so
orphans are its children).
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import signal
import socket
import sys
import time
from pathlib import Path

from kata.forks import exit_after
from kata.grading.prctl import PR_SET_CHILD_SUBREAPER, PR_SET_DUMPABLE, prctl

PRELOAD_MODULES = ["numpy", "tensorflow", "keras", "matplotlib.pyplot", "pytest", "kata.data"]


def main(argv: list[str]) -> int:
    """The preloader: ``argv`` is ``[control_fd, setup_json]``.

    ``setup_json`` says ``{"mode": "bwrap"|"user"|"none", "uid": ..., "gid": ...,
    "data": whether to load the data set now}``.
    Requests come on the Unix socket: a JSON message (the run's arguments,
    environment, folder, time limit, the folder to wipe and what to keep in
    it, the exchange folder to empty) and three file descriptors (key pipe, results pipe, log file).  The
    answer is ``{"returncode": ..., "timed_out": ...}`` or ``{"error": ...}``.
    The loop ends when the grader closes the socket.
    """
    control = socket.socket(fileno=int(argv[0]))
    setup = json.loads(argv[1])
    prctl(PR_SET_DUMPABLE, 0)
    prctl(PR_SET_CHILD_SUBREAPER, 1)
    try:
        for name in PRELOAD_MODULES:
            importlib.import_module(name)
        if setup.get("data", True):  # only when a suite of the shard uses the data
            from kata import data

            data.cached_load_data()
        threads = _thread_count()
        ready = {"ready": threads == 1, "reason": f"{threads} threads after preloading"}
    except Exception as error:  # noqa: BLE001 - told to the grader
        ready = {"ready": False, "reason": repr(error)}
    sys.stdout.flush()
    sys.stderr.flush()
    control.send(json.dumps(ready).encode())
    if not ready["ready"]:
        return 1
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, 1 << 16, 3)
        except OSError:
            return 0
        if not message:
            return 0
        try:
            if len(fds) != 3:
                raise RuntimeError(f"expected 3 file descriptors, got {len(fds)}")
            reply = _serve(json.loads(message), setup, control.fileno(), *fds)
        except Exception as error:  # noqa: BLE001 - the grader ends this sandbox
            reply = {"error": repr(error)}
        finally:
            for fd in fds:
                try:
                    os.close(fd)
                except OSError:
                    pass
        control.send(json.dumps(reply).encode())


def _thread_count() -> int:
    return len(os.listdir("/proc/self/task"))


def _serve(request: dict, setup: dict, control_fd: int, key_fd: int, result_fd: int,
           log_fd: int) -> dict:
    """Fork one run, wait for it, kill what it left, wipe its folder; say how it ended."""
    if (threads := _thread_count()) != 1:
        raise RuntimeError(f"the preloader has {threads} threads; it forks only with one")
    tmp = Path(request["tmp"])
    _fresh_folders(tmp, request, setup)
    pid = os.fork()
    if pid == 0:
        _become_run(request, setup, control_fd, key_fd, result_fd, log_fd)
    for fd in (key_fd, result_fd, log_fd):
        os.close(fd)
    deadline = time.monotonic() + float(request["timeout"])
    status, timed_out = None, False
    while status is None:
        done, raw = os.waitpid(pid, os.WNOHANG)
        if done:
            status = os.waitstatus_to_exitcode(raw)
        elif time.monotonic() > deadline:
            timed_out = True
            os.kill(pid, signal.SIGKILL)
        else:
            time.sleep(0.05)
    left = kill_the_rest(setup)
    wipe(tmp, [Path(p) for p in request.get("keep", [])])
    if request.get("exchange"):  # what the run left there, beside its checker's own folder, goes too
        wipe(Path(request["exchange"]), [])
    if setup["mode"] == "bwrap":
        wipe(Path("/dev/shm"), [])  # the sandbox's own capped tmpfs: nothing passes to the next run
    return {"returncode": status, "timed_out": timed_out, "left_behind": left}


def _fresh_folders(tmp: Path, request: dict, setup: dict) -> None:
    """The run's temporary folder, emptied, with its working, home and matplotlib folders."""
    wipe(tmp, [Path(p) for p in request.get("keep", [])])
    for folder in [tmp, tmp / "cwd", tmp / "home", tmp / "mpl"]:
        folder.mkdir(parents=True, exist_ok=True)
        if setup["mode"] == "user":
            os.chown(folder, setup["uid"], setup["gid"])


def _become_run(request: dict, setup: dict, control_fd: int, key_fd: int, result_fd: int,
                log_fd: int) -> None:
    """In the forked run: become a fresh lesson process, run the suite, exit."""

    def run() -> int:
        os.setsid()
        os.close(control_fd)  # never let student code talk to the preloader
        stdin = os.open(os.devnull, os.O_RDONLY)
        os.dup2(stdin, 0)
        os.dup2(log_fd, 1)
        os.dup2(log_fd, 2)
        for entry in os.listdir("/proc/self/fd"):
            if int(entry) > 2 and int(entry) not in (key_fd, result_fd):
                try:
                    os.close(int(entry))
                except OSError:
                    pass
        if setup["mode"] == "user":  # Gradescope without a sandbox: the grading user
            os.setgroups([])
            os.setgid(setup["gid"])
            os.setuid(setup["uid"])
        prctl(PR_SET_DUMPABLE, 1)  # its own /proc/self, as in any process
        os.chdir(Path(request["tmp"]) / "cwd")
        os.environ.clear()
        os.environ.update(request["env"])
        from kata.grading.child import child_main

        return child_main(request["args"] + ["--key-fd", str(key_fd), "--result-fd", str(result_fd)])

    exit_after(run)


def _processes() -> dict[int, tuple[int, int]]:
    """``{pid: (parent pid, uid)}`` of every process this one can see."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as stream:
                fields = dict(line.split(":", 1) for line in stream if ":" in line)
            found[int(entry)] = (int(fields["PPid"]), int(fields["Uid"].split()[0]))
        except (OSError, ValueError, KeyError):
            continue
    return found


def _targets(setup: dict) -> set[int]:
    me = os.getpid()
    processes = _processes()
    if setup["mode"] == "bwrap":  # our own PID namespace: everything but init and us
        return {pid for pid in processes if pid not in (1, me)}
    if setup["mode"] == "user":
        return {pid for pid, (_, uid) in processes.items() if uid == setup["uid"] and pid != me}
    descendants, frontier = set(), {me}
    while frontier:
        frontier = {pid for pid, (parent, _) in processes.items() if parent in frontier} - descendants
        descendants |= frontier
    return descendants


def kill_the_rest(setup: dict, rounds: int = 50) -> int:
    """SIGKILL every process a run left behind (see the module's docstring) and reap it.

    Returns how many were found.  Repeats until none is left, so that a
    process forking as fast as it can is still caught.
    """
    seen: set[int] = set()
    for _ in range(rounds):
        if setup["mode"] == "bwrap":
            try:
                os.kill(-1, signal.SIGKILL)  # every process of this namespace but init and us
            except ProcessLookupError:
                pass
        targets = _targets(setup)
        for pid in targets:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        _reap()
        seen |= targets
        if not targets:
            break
        time.sleep(0.02)
    return len(seen)


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def wipe(folder: Path, keep: list[Path]) -> None:
    """Empty ``folder`` except the paths in ``keep`` (mount points) and the folders above them."""
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        return
    for entry in folder.iterdir():
        if entry in keep:
            continue
        if any(entry in k.parents for k in keep):
            wipe(entry, keep)
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, onerror=_writable_and_again)
        else:
            entry.unlink(missing_ok=True)


def _writable_and_again(function, path, _info) -> None:
    os.chmod(os.path.dirname(path), 0o700)
    try:
        os.chmod(path, 0o700)
    except OSError:
        pass
    function(path)
