"""Inside a lesson run: one lesson's pristine suite, its results on a signed channel.

The grader makes a random key per lesson run and hands it over through a
pipe that the run reads and closes before any student code runs (never argv
or the environment).  The run reports each graded test on a second pipe,
each line signed with HMAC-SHA256.  The channel plugin calls each graded test
function itself (``pytest_pyfunc_call``), with the function and code object
kept at collection time, before any student code ran; "passed" is sent only
when that call returns.

What this does *not* stop: student code runs in this same process, so it can
read the key from memory or patch the harness.  The sandbox limits what such
code can reach, not what it can do to its own lesson's verdict; see
``docs/design/grading.md``.
"""

from __future__ import annotations

import argparse
import hmac
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from kata import explain
from kata.impl import get_lesson
from kata.outcome import Outcome


class _Channel:
    """The child's pytest plugin: reports each graded test, signed, on a pipe.

    It calls the graded test functions itself, with the function objects it
    kept at collection time (before any student code ran), so that what
    pytest's reporting says — which a lesson module could patch — never
    decides a grade.
    """

    def __init__(self, signer: hmac.HMAC, fd: int):
        self._signer = signer
        self._fd = fd
        self._seq = 0
        self._tests: dict[str, tuple[Callable, object]] = {}

    def send(self, kind: str, **fields) -> None:
        self._seq += 1
        line = json.dumps({"kind": kind, "seq": self._seq, **fields}, ensure_ascii=True)
        mac = self._signer.copy()
        mac.update(line.encode())
        data = f"{line}\t{mac.hexdigest()}\n".encode()
        while data:
            data = data[os.write(self._fd, data):]

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
    parser.add_argument("--collect", action="store_true")
    args = parser.parse_args(argv)
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (args.memory, args.memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (args.output, args.output))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    chunks = []
    while chunk := os.read(args.key_fd, 4096):
        chunks.append(chunk)
    os.close(args.key_fd)
    signer = hmac.new(b"".join(chunks), digestmod="sha256")
    del chunks

    channel = _Channel(signer, args.result_fd)
    pytest_args = [str(args.root / "lessons" / get_lesson(n).folder) for n in args.lesson] + [
        "-c", str(args.root / "pyproject.toml"),
        f"--rootdir={args.root}",
        "-p", "no:cacheprovider",
        f"--impl={args.impl}",
        "-q", "-rN", "--no-header",
    ]
    if args.collect:
        pytest_args.append("--collect-only")
    return int(pytest.main(pytest_args, plugins=[channel]))
