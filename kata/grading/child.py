"""Inside a lesson run: one lesson's pristine suite, its results on a signed channel.

The grader makes a random key per lesson run and hands it over through a
pipe that the run reads and closes before any student code runs (never argv
or the environment).  The run reports each graded test on a second pipe,
each line signed with HMAC-SHA256.  The channel plugin calls each graded test
function itself (``pytest_pyfunc_call``), with the function and code object
kept at collection time, before any student code ran; "passed" is sent only
when that call returns.

For a lesson the remote wire covers (:mod:`kata.grading.outside`), the run is
two processes.  Before the key is read it makes itself non-dumpable and forks
an *agent*, which closes every file but its end of a socket and serves the
student's module (:func:`kata.remote.agent.serve`); this process, the
*checker*, then reads the key and runs the suite with ``--remote-fd``: it
never imports the submission, and what the student's functions return comes
to it as data.  The agent can't read the key (it was not read yet when the
agent was made, and the pipe is closed in it), can't write on the results
pipe (closed in it), and can't trace the checker or open its memory or files
(``/proc/<pid>/mem``, ``/proc/<pid>/fd``: the checker is not dumpable).

For the other lessons student code runs in this same process, so it can read
the key from memory or patch the harness.  The sandbox limits what such code
can reach, not what it does to its own lesson's verdict; see
``docs/design/grading.md``.
"""

from __future__ import annotations

import argparse
import hmac
import json
import os
import shutil
import signal
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kata import explain
from kata.forks import exit_after
from kata.grading.outside import is_remote_run
from kata.grading.prctl import PR_SET_DUMPABLE, prctl
from kata.impl import get_lesson
from kata.outcome import Outcome


class _Channel:
    """The child's pytest plugin: reports each graded test, signed, on a pipe.

    It calls the graded test functions itself, with the function objects it
    kept at collection time (before any student code ran), so that what
    pytest's reporting says — which a lesson module could patch — never
    decides a grade.
    """

    def __init__(self, signer: hmac.HMAC, fd: int, agent_pid: int | None = None):
        self._signer = signer
        self._fd = fd
        self._seq = 0
        self._tests: dict[str, tuple[Callable, object]] = {}
        self._agent_pid = agent_pid

    def send(self, kind: str, **fields) -> None:
        self._seq += 1
        line = json.dumps({"kind": kind, "seq": self._seq, **fields}, ensure_ascii=True)
        mac = self._signer.copy()
        mac.update(line.encode())
        data = f"{line}\t{mac.hexdigest()}\n".encode()
        while data:
            data = data[os.write(self._fd, data):]

    @pytest.hookimpl(trylast=True)  # after ``-m`` deselected (kata grade --skip-slow): the tests that run
    def pytest_collection_modifyitems(self, session, config, items) -> None:
        from kata.plugin import lesson_of, points_of

        for item in items:
            points, number = points_of(item), lesson_of(item)
            if points is None or number is None or not hasattr(item, "obj"):
                continue
            self._tests[item.nodeid] = (item.obj, item.obj.__code__)
            self.send("item", nodeid=item.nodeid, name=item.name, lesson=number, points=points)

    @pytest.hookimpl(tryfirst=True)
    def pytest_pyfunc_call(self, pyfuncitem):
        kept = self._tests.get(pyfuncitem.nodeid)
        if kept is None:
            return None
        function, code = kept
        if function.__code__ is not code:
            self.send("test", nodeid=pyfuncitem.nodeid, outcome=Outcome.ERROR,
                      message="the test function was replaced while the lesson ran")
            raise RuntimeError("the graded test function was replaced")
        kwargs = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        try:
            function(**kwargs)
        except BaseException as error:  # noqa: BLE001 - every way out is a failure
            outcome, message = _failure(error, self._lesson(pyfuncitem))
            self.send("test", nodeid=pyfuncitem.nodeid, outcome=outcome, message=message)
            raise
        self.send("test", nodeid=pyfuncitem.nodeid, outcome=Outcome.PASSED, message="")
        return True

    def pytest_runtest_logreport(self, report) -> None:
        # Failures outside the call (a fixture, the lesson module's import) for
        # the feedback.  Only failures: a pass is never taken from a report.
        if report.when != "call" and report.failed and report.nodeid in self._tests:
            crash = getattr(report.longrepr, "reprcrash", None)
            message = crash.message if crash is not None else str(report.longrepr)
            self.send("test", nodeid=report.nodeid, outcome=Outcome.ERROR,
                      message=_short(f"failed before the test could run: {message}"))

    def pytest_sessionfinish(self, session, exitstatus) -> None:
        if self._agent_pid is not None:  # the agent lives until the plugin says bye, after this
            try:
                pid, status = os.waitpid(self._agent_pid, os.WNOHANG)
            except ChildProcessError:
                pid, status = self._agent_pid, 1 << 8
            if pid:  # it ended by itself: os._exit, a crash, a limit, a signal
                self.send("agent", returncode=os.waitstatus_to_exitcode(status))
        self.send("done", exitstatus=int(exitstatus))

    @staticmethod
    def _lesson(item) -> int:
        from kata.plugin import lesson_of

        return lesson_of(item) or 0


def _failure(error: BaseException, number: int) -> tuple[str, str]:
    # Raised by the student's code: which function of which file, what it means (as pytest shows it).
    student = explain.student_error(error, number, lambda path: f"{path.parent.name}/{path.name}") if number else None
    if student is not None and not (isinstance(error, NotImplementedError) and student.lesson == number):
        return ("failed" if isinstance(error, NotImplementedError) else "error"), _short(student.message)
    if isinstance(error, NotImplementedError) and number:
        return "not started", f"not started yet — see {get_lesson(number).guide}"
    if isinstance(error, pytest.skip.Exception):  # as pytest reports it: skipped, no points
        return "skipped", _short(error.msg or "skipped")
    if isinstance(error, AssertionError):
        text = str(error)
        return "failed", (text.split("\nassert ")[0].strip() or text.strip() or "assertion failed")
    return "error", _short(f"{type(error).__name__}: {error}")


def _short(text: str, limit: int = 2000) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 20] + " … (cut)"


def child_main(argv: list[str]) -> int:
    """Run one lesson's pristine suite (or only collect it) and report on the channel."""
    parser = argparse.ArgumentParser(prog="kata-grade-child")
    parser.add_argument("--lesson", type=int, nargs="+", required=True)
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--impl", required=True)
    parser.add_argument("--key-fd", type=int, required=True)
    parser.add_argument("--result-fd", type=int, required=True)
    parser.add_argument("--memory", type=int, required=True)
    parser.add_argument("--output", type=int, required=True)
    parser.add_argument("--exchange", type=Path, default=None, help="where the agent's exchange folder goes")
    parser.add_argument("--collect", action="store_true")
    parser.add_argument("--skip-slow", action="store_true", help="leave out the tests marked slow (kata grade --skip-slow)")
    args = parser.parse_args(argv)
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (args.memory, args.memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (args.output, args.output))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    agent = None
    if is_remote_run(args.lesson, args.collect):
        from kata.remote.agent import serve

        exchange = Path(tempfile.mkdtemp(prefix="kata-exchange-", dir=args.exchange))
        agent = fork_agent(serve, exchange, Path(args.impl), args.lesson[0])
    chunks = []
    while chunk := os.read(args.key_fd, 4096):
        chunks.append(chunk)
    os.close(args.key_fd)
    signer = hmac.new(b"".join(chunks), digestmod="sha256")
    del chunks

    channel = _Channel(signer, args.result_fd, agent.pid if agent is not None else None)
    pytest_args = [str(args.root / "lessons" / get_lesson(n).folder) for n in args.lesson] + [
        "-c", str(args.root / "pyproject.toml"),
        f"--rootdir={args.root}",
        "-p", "no:cacheprovider",
        f"--impl={args.impl}",
        "-q", "-rN", "--no-header",
    ]
    if args.skip_slow:
        pytest_args += ["-m", "not slow"]
    if args.collect:
        pytest_args.append("--collect-only")
    if agent is None:
        return int(pytest.main(pytest_args, plugins=[channel]))
    pytest_args += [f"--remote-fd={agent.socket.fileno()}", f"--remote-exchange={agent.exchange}"]
    try:
        return int(pytest.main(pytest_args, plugins=[channel]))
    finally:
        agent.end()
        shutil.rmtree(agent.exchange, ignore_errors=True)  # the next lesson run gets the space


class Agent:
    """The checker's view of the forked agent: its socket, the exchange folder, its pid."""

    def __init__(self, sock: socket.socket, exchange: Path, pid: int):
        self.socket, self.exchange, self.pid = sock, exchange, pid

    def end(self, grace: float = 5.0) -> None:
        """Close the socket (the agent's cue to leave), wait ``grace`` seconds, then kill it."""
        self.socket.close()
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            try:
                if os.waitpid(self.pid, os.WNOHANG)[0]:
                    return
            except ChildProcessError:
                return
            time.sleep(0.05)
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


def fork_agent(serve: Callable, exchange: Path, tree: Path, lesson: int) -> Agent:
    """Make this process the checker and fork the agent that runs the student's code.

    Call it before the key is read: the agent is a copy of this process at the fork, so it
    holds nothing secret.  This process becomes non-dumpable first (the agent, same uid,
    can then neither trace it nor open its ``/proc/<pid>/mem`` or ``/proc/<pid>/fd``); the
    agent closes every file but its end of the socket (and 0–2, the run's log), becomes an
    ordinary dumpable process and calls ``serve(sock, exchange, tree, lesson)`` until the
    checker closes the socket.

    Args:
        serve: :func:`kata.remote.agent.serve` (another callable in the tests).
        exchange: the folder both sides read and write large values in.
        tree: the submission's lesson tree, as the sandbox sees it.
        lesson: the lesson whose module the agent loads.

    Returns:
        The :class:`Agent`, for ``--remote-fd`` and to end it.

    Example:
        >>> agent = fork_agent(serve, exchange, Path("/kata/submission"), 3)  # doctest: +SKIP
    """
    if not prctl(PR_SET_DUMPABLE, 0):
        raise RuntimeError("the checker can't make itself non-dumpable (prctl failed)")
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the agent

        def be_the_agent() -> None:
            ours.close()
            _close_all_but({0, 1, 2, theirs.fileno()})
            prctl(PR_SET_DUMPABLE, 1)  # its own /proc/self, as in any process; it holds no secret
            serve(theirs, exchange, tree, lesson)

        exit_after(be_the_agent)
    theirs.close()
    return Agent(ours, exchange, pid)


def _close_all_but(keep: set[int]) -> None:
    for entry in os.listdir("/proc/self/fd"):
        if int(entry) not in keep:
            try:
                os.close(int(entry))
            except OSError:
                pass
