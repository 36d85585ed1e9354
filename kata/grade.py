"""Clean-room class grading: ``kata grade SUBMISSIONS --out DIR``.

How one submission is graded
----------------------------
1. **Only the lesson modules are taken.**  From a submission (a folder — a
   clone of this repository or just its ``lessons/`` tree — or a ``.zip``,
   possibly with one top folder) the grader reads ``lessons/NN/<module>.py``
   for each lesson and nothing else: no tests, no ``conftest.py``, no ini
   files, no ``kata/`` package, no ``sitecustomize.py``.  Symbolic links are
   refused (a link to the instructor's solutions would otherwise score 100).
   The files are written into a fresh temporary tree ``NN/<module>.py``.
2. **Each lesson runs in its own process** in a fresh copy of the
   instructor's pristine suites, plugin, settings and reference solutions,
   its own session (process group), with a time limit, a memory limit
   (``RLIMIT_AS``) and an output limit (``RLIMIT_FSIZE``); its output goes to
   a log file, never to an undrained pipe.  The child's working folder,
   ``sys.path`` and environment never include the submission.  The process
   is forked from the :class:`Preloader`, which imported TensorFlow, Keras,
   matplotlib and pytest and loaded the data once, ran no TensorFlow
   operation and no student code, and forks only while it has a single
   thread; the run closes every file it inherited but its two pipes (the
   preloader's socket among them) before any student code runs.  With
   ``--fresh``, or when the preloader can't start, it is a brand-new
   ``python -I -B`` (no user site, no ``PYTHON*`` variables, no current
   folder on ``sys.path``), which gives the same grades, slower.
3. **Results come back through a signed channel.**  The grader makes a
   random key per lesson run and hands it over through a pipe the child
   reads and closes before any student code runs (never argv or the
   environment).  The child reports each graded test on a second pipe, each
   line signed with HMAC-SHA256; the grader drops unsigned lines.  A test
   earns its points only if a signed ``passed`` arrived for it; the tests and
   their points come from the grader's own collection of the pristine suites
   (``--impl=solutions``, no student code), so a submission can neither add
   tests nor change their worth.  No results file is ever read back.
4. **The verdict bypasses pytest's reporting.**  The child's channel plugin
   calls each graded test function itself (``pytest_pyfunc_call``), keeping
   the function and its code object from collection time, before any
   student code ran; "passed" is sent only when that call returns.
   Patching pytest's reports, its runner, the kata plugin's score, or
   replacing a test's code changes nothing (a replaced test fails).
5. **A lesson whose process doesn't finish cleanly earns 0**: over the
   time limit, killed by a signal (a segfault, the memory or output limit),
   ended by ``os._exit`` or ``sys.exit`` outside a test, or interrupted
   (``pytest.exit``, ``KeyboardInterrupt``).  The reason goes into the
   feedback.  A ``sys.exit()`` *inside* a test fails only that test.  The
   whole process group is killed after each lesson, and so is any process
   that escaped it: the grader is a child subreaper (Linux), so orphans of a
   lesson run become its children, and after each run it kills every child
   of its own that is not a lesson run going on now.  Every other lesson and
   every other student is still graded.

Threat model
------------
Defended: anything a submission ships besides its lesson modules; a lesson
module that rewrites test files, conftest or ini files on disk (each run
uses its own copy, collected before student code runs); one that writes
fake result or report files; one that monkeypatches pytest, pluggy or the
kata plugin; one that replaces test functions; hangs, exits, crashes,
memory hogs, output floods, floods of the results pipe, and processes left
behind to tamper with the outputs later.  A lesson module cannot change another
lesson's grade (fresh process and fresh tree per lesson).

Not defended: code that deliberately hunts for the grader *inside its own
process* — walking ``gc``, stack frames or ``sys.modules["kata.grade"]`` to
call the channel itself, replacing ``numpy``'s functions that a test relies
on, reading memory with ``ctypes`` — or that reaches outside the process
as the same Unix user while its lesson runs (reading the instructor's
solutions, signalling other processes, a fork bomb, filling the disk with many small files, the
network).  No grader that runs student code in the same process as the
test can rule that out; an operating-system sandbox (a container per
submission, as Gradescope runs it, or a separate user) can.  To make such
attempts visible, every lesson module that mentions pytest, the kata
package's internals, ``sys.modules``, ``gc``, ``inspect``, frames,
``ctypes``, ``os._exit``, ``/proc``, ``subprocess``, ``exec`` or the
solutions is flagged for review in the gradebook and the feedback.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import hashlib
import hmac
import io
import json
import os
import re
import secrets
import select
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path, PurePosixPath

import pytest

from kata import explain
from kata.impl import LESSONS, ROOT, ImplError, get_lesson

DEFAULT_TIMEOUT = 300.0  # seconds per lesson; the capstone trains on the full data
DEFAULT_MEMORY_GIB = 8.0  # TensorFlow alone maps about 2.5 GiB of address space
DEFAULT_OUTPUT_MIB = 64.0  # output (and any file) a lesson may write
MAX_MODULE_BYTES = 1 << 20  # a lesson module larger than 1 MiB is not read
MAX_CHANNEL_BYTES = 8 << 20
GRADESCOPE_SUBMISSION = Path("/autograder/submission")
GRADESCOPE_RESULTS = Path("/autograder/results")
CACHE_FOLDER = ".kata-grade"
CACHE_SCHEMA = "kata-grade/1"

# Words in a lesson module that a beginner's answer never needs; a module
# that has one is flagged for a human to look at (it is still graded).
SUSPICIOUS = re.compile(
    r"(?<![A-Za-z0-9])(_?pytest|pluggy|kata\.(?:grade|plugin|report|impl)|sys\.modules|gc|inspect"
    r"|ctypes|_getframe|f_locals|f_back|f_globals|__code__|__globals__|os\._exit|subprocess"
    r"|builtins|__builtins__|exec|eval|solutions)(?![A-Za-z0-9_])|/proc/"
)

PRISTINE_FILES = ["conftest.py", "pyproject.toml"]
PRISTINE_FOLDERS = ["kata", "solutions"]


# --- limits and results --------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Limits:
    timeout: float = DEFAULT_TIMEOUT  # seconds per lesson
    memory_gib: float = DEFAULT_MEMORY_GIB
    output_mib: float = DEFAULT_OUTPUT_MIB

    @property
    def memory_bytes(self) -> int:
        return int(self.memory_gib * (1 << 30))

    @property
    def output_bytes(self) -> int:
        return int(self.output_mib * (1 << 20))


@dataclasses.dataclass
class TestInfo:
    nodeid: str
    name: str
    lesson: int
    points: float


@dataclasses.dataclass
class TestGrade:
    name: str
    points: float
    earned: float
    outcome: str  # "passed", "failed", "error", "not started", "not run"
    message: str = ""


@dataclasses.dataclass
class LessonGrade:
    number: int
    status: str  # "ok", "missing", "timeout", "crashed", "error"
    reason: str = ""
    tests: list[TestGrade] = dataclasses.field(default_factory=list)
    seconds: float = 0.0
    flags: list[str] = dataclasses.field(default_factory=list)
    log_tail: str = ""

    @property
    def earned(self) -> float:
        return sum(t.earned for t in self.tests) if self.status == "ok" else 0.0

    @property
    def possible(self) -> float:
        return sum(t.points for t in self.tests)


@dataclasses.dataclass
class StudentGrade:
    student: str
    key: str
    lessons: dict[int, LessonGrade]
    error: str = ""

    def total(self) -> tuple[float, float]:
        graded = [g for n, g in self.lessons.items() if not get_lesson(n).bonus]
        return sum(g.earned for g in graded), sum(g.possible for g in graded)

    def to_dict(self) -> dict:
        return {
            "schema": CACHE_SCHEMA,
            "student": self.student,
            "key": self.key,
            "error": self.error,
            "lessons": [dataclasses.asdict(g) for g in self.lessons.values()],
        }

    @classmethod
    def from_dict(cls, data: dict) -> StudentGrade:
        if data.get("schema") != CACHE_SCHEMA:
            raise ValueError("not a kata grade record")
        lessons = {}
        for row in data["lessons"]:
            row = dict(row)
            row["tests"] = [TestGrade(**t) for t in row["tests"]]
            lessons[row["number"]] = LessonGrade(**row)
        return cls(data["student"], data["key"], lessons, data.get("error", ""))


# --- submissions: finding them and reading their lesson modules --------------------


@dataclasses.dataclass(frozen=True)
class Submission:
    student: str
    path: Path


class SubmissionError(ValueError):
    """A submission the grader cannot read (a broken zip, no lessons at all)."""


def find_submissions(folder: Path) -> list[Submission]:
    """Each folder or ``.zip`` in ``folder`` is one student's submission, named by it."""
    if not folder.is_dir():
        raise SubmissionError(f"{folder} is not a folder of submissions.")
    found = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(".") or entry.is_symlink():
            continue
        if entry.is_dir():
            found.append(Submission(safe_name(entry.name), entry))
        elif entry.suffix.lower() == ".zip" and entry.is_file():
            found.append(Submission(safe_name(entry.stem), entry))
    names = [s.student for s in found]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise SubmissionError(
            f"Two submissions have the same student name: {', '.join(sorted(duplicates))} "
            "(a folder and a .zip?). Keep one of each."
        )
    return found


def safe_name(name: str) -> str:
    """A student's name as a file name: letters, digits, ``.-_@``, others become ``_``."""
    cleaned = re.sub(r"[^\w.@-]", "_", name).strip("._") or "student"
    return cleaned[:100]


def _wanted(lessons: list[int]) -> dict[str, int]:
    """``{"03/build.py": 3, ...}``: a lesson module's path inside a lesson tree."""
    return {f"{get_lesson(n).folder}/{get_lesson(n).filename}": n for n in lessons}


def _pick_tree(paths: set[str], lessons: list[int]) -> str | None:
    """The prefix under which ``NN/<module>.py`` lives among ``paths`` (posix, relative).

    Accepts a repository clone (``lessons/NN/...``), a bare lessons tree
    (``NN/...``), and either inside one top folder (as zips often are).
    """
    wanted = _wanted(lessons)
    tops = {p.split("/", 1)[0] for p in paths if "/" in p}
    prefixes = ["lessons/", ""]
    if len(tops) == 1:
        (top,) = tops
        prefixes += [f"{top}/lessons/", f"{top}/"]
    best, best_count = None, 0
    for prefix in prefixes:
        count = sum(prefix + rel in paths for rel in wanted)
        if count > best_count:
            best, best_count = prefix, count
    return best


def read_lesson_files(path: Path, lessons: list[int]) -> dict[int, bytes]:
    """The submission's lesson modules, ``{lesson: source bytes}``; nothing else is read."""
    if path.is_dir():
        return _read_folder(path, lessons)
    try:
        with zipfile.ZipFile(path) as archive:
            return _read_zip(archive, lessons)
    except (zipfile.BadZipFile, OSError) as error:
        raise SubmissionError(f"{path.name} is not a readable zip file ({error}).") from None


def _read_folder(path: Path, lessons: list[int]) -> dict[int, bytes]:
    candidates = set()
    for prefix in ["lessons", "", "*/lessons", "*"]:
        for rel in _wanted(lessons):
            pattern = f"{prefix}/{rel}" if prefix else rel
            for found in path.glob(pattern):
                candidates.add(found.relative_to(path).as_posix())
    prefix = _pick_tree(candidates, lessons)
    files = {}
    if prefix is None:
        return files
    for rel, number in _wanted(lessons).items():
        file = path / (prefix + rel)
        if not _is_plain_file_inside(file, path):
            continue
        data = file.read_bytes()[: MAX_MODULE_BYTES + 1]
        if len(data) <= MAX_MODULE_BYTES:
            files[number] = data
    return files


def _is_plain_file_inside(file: Path, top: Path) -> bool:
    """A regular file, with no symbolic link on the way from ``top`` to it."""
    current = file
    while True:
        try:
            mode = os.lstat(current).st_mode
        except OSError:
            return False
        if stat.S_ISLNK(mode):
            return False
        if current == top or current.parent == current:
            break
        current = current.parent
    return stat.S_ISREG(os.lstat(file).st_mode)


def _read_zip(archive: zipfile.ZipFile, lessons: list[int]) -> dict[int, bytes]:
    members = {}
    for info in archive.infolist():
        if info.is_dir() or stat.S_ISLNK(info.external_attr >> 16):
            continue
        name = PurePosixPath(info.filename.replace("\\", "/")).as_posix()
        members[name] = info
    prefix = _pick_tree(set(members), lessons)
    files = {}
    if prefix is None:
        return files
    for rel, number in _wanted(lessons).items():
        info = members.get(prefix + rel)
        if info is None or info.file_size > MAX_MODULE_BYTES:
            continue
        with archive.open(info) as stream:
            data = stream.read(MAX_MODULE_BYTES + 1)
        if len(data) <= MAX_MODULE_BYTES:
            files[number] = data
    return files


def review_flags(source: bytes) -> list[str]:
    """Words in a lesson module's code that a beginner's answer doesn't need (``SUSPICIOUS``).

    Docstrings and comments are left out: the stubs' docstrings say "pytest".
    """
    text = _code_only(source.decode("utf-8", errors="replace"))
    return sorted({match.group(0) for match in SUSPICIOUS.finditer(text)})


def _code_only(text: str) -> str:
    import ast
    import tokenize

    lines = text.splitlines(keepends=True)
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return text
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            for index in range(body[0].lineno - 1, body[0].end_lineno):
                lines[index] = "\n"
    try:
        tokens = tokenize.generate_tokens(io.StringIO("".join(lines)).readline)
        comments = [(t.start[0], t.start[1]) for t in tokens if t.type == tokenize.COMMENT]
    except (tokenize.TokenError, SyntaxError):
        comments = []
    for row, column in comments:
        lines[row - 1] = lines[row - 1][:column] + "\n"
    return "".join(lines)


# --- the child: one lesson's suite in its own process -------------------------------


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
            self.send("test", nodeid=pyfuncitem.nodeid, outcome="error",
                      message="the test function was replaced while the lesson ran")
            raise RuntimeError("the graded test function was replaced")
        kwargs = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        try:
            function(**kwargs)
        except BaseException as error:  # noqa: BLE001 - every way out is a failure
            outcome, message = _failure(error, self._lesson(pyfuncitem))
            self.send("test", nodeid=pyfuncitem.nodeid, outcome=outcome, message=message)
            raise
        self.send("test", nodeid=pyfuncitem.nodeid, outcome="passed", message="")
        return True

    def pytest_runtest_logreport(self, report) -> None:
        # Failures outside the call (a fixture, the lesson module's import) for
        # the feedback.  Only failures: a pass is never taken from a report.
        if report.when != "call" and report.failed and report.nodeid in self._tests:
            crash = getattr(report.longrepr, "reprcrash", None)
            message = crash.message if crash is not None else str(report.longrepr)
            self.send("test", nodeid=report.nodeid, outcome="error",
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


# --- the preloader: TensorFlow imported once, a lesson run forked from it -----------
#
# A fresh Python process spends seconds importing TensorFlow, Keras and
# matplotlib and loading the data set before its first test, once per lesson
# run: a complete submission took 112 CPU-seconds in fresh processes and 74-82
# forked (docs/instructor.md, section 6).  The preloader is a process that
# does the imports once, then forks one lesson run per request.  It is safe because the preloader has a
# single thread when it forks (checked before every fork; numpy's BLAS is asked
# for one thread) and has never run a TensorFlow operation: the forked run
# starts TensorFlow's runtime itself, exactly as a fresh process would.  Each
# run is forked through a middle process that ends at once, so the run becomes
# the grader's own child (the grader is a subreaper) and is waited for, timed
# and killed exactly like a fresh process.

PRELOAD_MODULES = ["numpy", "tensorflow", "keras", "matplotlib.pyplot", "pytest", "kata.data"]


def preloader_main(argv: list[str]) -> int:
    """The preloader: import :data:`PRELOAD_MODULES`, load the data, then fork on request.

    Requests come on a Unix socket (fd ``argv[0]``): a JSON message with the
    run's arguments and three file descriptors (key pipe, results pipe, log
    file).  The reply is ``{"pid": ...}`` or ``{"error": ...}``.  The loop ends
    when the grader closes the socket.
    """
    import importlib
    import socket

    control = socket.socket(fileno=int(argv[0]))
    try:
        for name in PRELOAD_MODULES:
            importlib.import_module(name)
        from kata import data

        data.cached_load_data()
        threads = _thread_count()
        ready = {"ready": threads == 1, "reason": f"{threads} threads after preloading"}
    except Exception as error:  # noqa: BLE001 - the grader falls back to fresh processes
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
            if (threads := _thread_count()) != 1:
                raise RuntimeError(f"the preloader has {threads} threads; it forks only with one")
            reply = {"pid": _fork_lesson_run(json.loads(message), control.fileno(), *fds)}
        except Exception as error:  # noqa: BLE001 - reported; the grader starts a fresh process
            reply = {"error": repr(error)}
        finally:
            for fd in fds:
                os.close(fd)
        control.send(json.dumps(reply).encode())


def _thread_count() -> int:
    return len(os.listdir("/proc/self/task"))


def _fork_lesson_run(request: dict, control_fd: int, key_fd: int, result_fd: int,
                     log_fd: int) -> int:
    """Fork the run through a middle process that exits at once; return the run's pid."""
    pid_read, pid_write = os.pipe()
    middle = os.fork()
    if middle == 0:  # the middle process: fork the run, say its pid, end
        try:
            os.close(pid_read)
            run = os.fork()
            if run == 0:
                os.close(pid_write)
                _forked_lesson_run(request, control_fd, key_fd, result_fd, log_fd)
            os.write(pid_write, str(run).encode())
        finally:
            os._exit(0)
    os.close(pid_write)
    answer = b""
    while chunk := os.read(pid_read, 64):
        answer += chunk
    os.close(pid_read)
    os.waitpid(middle, 0)  # once it has ended, the run is the grader's child
    return int(answer)


def _forked_lesson_run(request: dict, control_fd: int, key_fd: int, result_fd: int,
                       log_fd: int) -> None:
    """In the forked run: become a fresh lesson process, run :func:`child_main`, exit."""
    code = 1
    try:
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
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        _use_root(Path(request["root"]))
        code = child_main(request["args"] + ["--key-fd", str(key_fd), "--result-fd", str(result_fd)])
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:  # noqa: BLE001 - like an uncaught exception in a fresh process
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code & 0xFF)


def _use_root(root: Path) -> None:
    """Point the preloaded ``kata`` package at this run's own pristine copy."""
    import kata
    import kata.impl

    global ROOT
    preloaded = str(Path(kata.__file__).resolve().parent.parent)
    sys.path[:] = [str(root)] + [entry for entry in sys.path if entry != preloaded]
    kata.__path__[:] = [str(root / "kata")]
    kata.impl.ROOT = ROOT = root
    kata.impl.NAMED_TREES.update(lessons=root / "lessons", solutions=root / "solutions")


# --- the parent: running a child and reading what it says ---------------------------


@dataclasses.dataclass
class _Run:
    timed_out: bool
    returncode: int
    messages: list[dict]
    rejected: int
    seconds: float
    log_tail: str
    flooded: bool = False  # more than MAX_CHANNEL_BYTES arrived on the results channel


def _pristine_copy(target: Path, lessons: list[int]) -> Path:
    """A fresh copy of the instructor's suites, plugin, settings and solutions."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in PRISTINE_FILES:
        shutil.copy2(ROOT / name, target / name)
    for name in PRISTINE_FOLDERS:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, target / name, ignore=ignore)
    for number in lessons:
        folder = get_lesson(number).folder
        source = ROOT / "lessons" / folder
        destination = target / "lessons" / folder
        destination.mkdir(parents=True)
        for file in source.iterdir():
            if file.is_file() and (file.name.startswith("test_") or file.name == "conftest.py"):
                shutil.copy2(file, destination / file.name)
    if (ROOT / "lessons" / "conftest.py").is_file():
        shutil.copy2(ROOT / "lessons" / "conftest.py", target / "lessons" / "conftest.py")
    return target


def _child_env(home: Path) -> dict[str, str]:
    keep = ["PATH", "HOME", "LANG", "LC_ALL", "KERAS_HOME", "FASHION_MNIST_DIR", "TMPDIR",
            "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS"]
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env.setdefault("PATH", "/usr/bin:/bin")
    env["TF_CPP_MIN_LOG_LEVEL"] = "2"
    env["OPENBLAS_NUM_THREADS"] = "1"  # the preloader must have one thread to fork safely
    env["MPLBACKEND"] = "Agg"
    env["MPLCONFIGDIR"] = str(home / "mpl")
    return env


def _run_child(lessons: list[int], root: Path, impl: Path | str, work: Path, limits: Limits,
               collect: bool = False, preloader: Preloader | None = None) -> _Run:
    """One lesson run: forked from ``preloader`` when there is one, else a fresh ``python -I``."""
    key = secrets.token_bytes(32)
    key_read, key_write = os.pipe()
    result_read, result_write = os.pipe()
    os.write(key_write, key)
    os.close(key_write)
    args = [
        "--lesson", *map(str, lessons), "--root", str(root), "--impl", str(impl),
        "--memory", str(limits.memory_bytes), "--output", str(limits.output_bytes),
    ] + (["--collect"] if collect else [])
    cwd = work / "cwd"
    cwd.mkdir(exist_ok=True)
    log_path = work / "output.log"
    start = time.monotonic()
    try:
        with open(log_path, "wb") as log, _children_lock:
            process = None
            if preloader is not None:
                pid = preloader.fork({"args": args, "root": str(root), "cwd": str(cwd),
                                      "env": _child_env(work)}, [key_read, result_write, log.fileno()])
            if preloader is None or pid is None:
                process = _start_python(
                    root, "child_main",
                    [*args, "--key-fd", str(key_read), "--result-fd", str(result_write)],
                    cwd, _child_env(work), log, (key_read, result_write),
                )
                pid = process.pid
            _children.add(pid)
    finally:
        os.close(key_read)
        os.close(result_write)
    data = bytearray()
    timed_out = False
    deadline = start + limits.timeout
    try:
        eof = False
        while True:
            exited = _has_exited(pid)
            remaining = deadline - time.monotonic()
            if remaining <= 0:  # checked on every turn: a flood on the pipe can't hold us
                timed_out = not exited
                break
            if eof:
                if exited:
                    break
                time.sleep(min(0.1, remaining))
                continue
            if not select.select([result_read], [], [], 0 if exited else min(0.5, remaining))[0]:
                if exited:
                    break
                continue
            chunk = os.read(result_read, 65536)
            if not chunk:
                eof = True
            elif len(data) < MAX_CHANNEL_BYTES:
                data += chunk
            elif exited:
                break  # the lesson is over and something still floods the pipe
    finally:
        os.close(result_read)
        _kill_group(pid)
        if process is not None:
            returncode = process.wait()
        else:
            returncode = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        with _children_lock:
            _children.discard(pid)
        _kill_strays()
    seconds = time.monotonic() - start
    messages, rejected = _verify(bytes(data), key)
    return _Run(timed_out, returncode, messages, rejected, seconds, _tail(log_path),
                flooded=len(data) >= MAX_CHANNEL_BYTES)


def _start_python(code: Path, entry: str, args: list[str], cwd: Path, env: dict[str, str],
                  log, pass_fds: tuple[int, ...]) -> subprocess.Popen:
    """``python -I -B`` running ``kata.grade.<entry>(args)`` from the copy of ``kata`` in ``code``.

    Its own session, stdin from ``/dev/null``, stdout and stderr to ``log``.
    """
    bootstrap = (
        f"import sys; sys.path.insert(0, {str(code)!r}); "
        f"from kata.grade import {entry}; sys.exit({entry}(sys.argv[1:]))"
    )
    return subprocess.Popen(
        [sys.executable, "-I", "-B", "-c", bootstrap, *args], cwd=cwd, env=env,
        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, pass_fds=pass_fds,
        start_new_session=True,
    )


class PreloadError(RuntimeError):
    """The preloader could not start; lesson runs start fresh processes instead."""


class Preloader:
    """The grader's handle on the preloader process (see :func:`preloader_main`).

    :meth:`fork` returns the pid of a new lesson run, or ``None`` when the
    preloader is gone or refused, and then the caller starts a fresh process.
    """

    STARTUP_TIMEOUT = 180.0

    def __init__(self, work: Path):
        import socket

        self._lock = threading.Lock()
        self.broken = ""
        code = work / "code"
        code.mkdir(parents=True)
        shutil.copytree(ROOT / "kata", code / "kata",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.log = work / "preloader.log"
        with open(self.log, "wb") as log, _children_lock:
            self._process = _start_python(code, "preloader_main", [str(theirs.fileno())], work,
                                          _child_env(work), log, (theirs.fileno(),))
            _children.add(self._process.pid)  # not a stray: _kill_strays leaves it alone
        theirs.close()
        self._socket = ours
        try:
            ours.settimeout(self.STARTUP_TIMEOUT)
            answer = json.loads(ours.recv(1 << 16) or b"{}")
        except (OSError, ValueError) as error:
            answer = {"ready": False, "reason": repr(error)}
        if not answer.get("ready"):
            self.close()
            raise PreloadError(f"{answer.get('reason', 'it ended')}; its output ends with:\n"
                               f"{_tail(self.log)}")
        ours.settimeout(60)
        shutil.rmtree(code)  # everything is imported: nothing on disk is shared between runs

    def fork(self, request: dict, fds: list[int]) -> int | None:
        import socket

        with self._lock:
            if self.broken:
                return None
            try:
                socket.send_fds(self._socket, [json.dumps(request).encode()], fds)
                answer = json.loads(self._socket.recv(1 << 16) or b"{}")
            except (OSError, ValueError) as error:
                answer = {"error": repr(error)}
            if "pid" in answer:
                return int(answer["pid"])
            self.broken = str(answer.get("error", "the preloader ended"))
            return None

    def close(self) -> None:
        self._socket.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _kill_group(self._process.pid)
            self._process.wait()
        with _children_lock:
            _children.discard(self._process.pid)


def _has_exited(pid: int) -> bool:
    """Has the child ended?  Doesn't reap it: its process group stays killable."""
    try:
        info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return True
    return info is not None


_children: set[int] = set()  # the lesson runs going on now, and the preloader
_children_lock = threading.Lock()


def become_subreaper() -> bool:
    """Adopt every orphan of our lesson runs (Linux ``PR_SET_CHILD_SUBREAPER``).

    A process a lesson leaves behind — even one that escaped its process
    group with ``setsid`` — becomes the grader's child when its parent ends,
    so :func:`_kill_strays` can find and end it.
    """
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _kill_strays() -> None:
    """End (and reap) every child of the grader that is not a lesson run going on now."""
    me = os.getpid()
    with _children_lock:
        for entry in os.listdir("/proc"):
            if not entry.isdigit() or int(entry) in _children:
                continue
            try:
                with open(f"/proc/{entry}/stat") as stream:
                    parent = int(stream.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if parent == me:
                _kill_group(int(entry))
                try:
                    os.kill(int(entry), signal.SIGKILL)
                    os.waitpid(int(entry), 0)
                except (ProcessLookupError, ChildProcessError):
                    pass


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _verify(data: bytes, key: bytes) -> tuple[list[dict], int]:
    """The channel's lines whose signature checks out, and how many didn't."""
    messages, rejected = [], 0
    for raw in data.split(b"\n"):
        if not raw:
            continue
        line, _, signature = raw.rpartition(b"\t")
        expected = hmac.new(key, line, "sha256").hexdigest().encode()
        if not line or not hmac.compare_digest(signature, expected):
            rejected += 1
            continue
        try:
            messages.append(json.loads(line))
        except ValueError:
            rejected += 1
    return messages, rejected


def _tail(path: Path, lines: int = 15, limit: int = 2000) -> str:
    try:
        with open(path, "rb") as stream:
            stream.seek(max(0, path.stat().st_size - 16384))
            text = stream.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
    rows = [row if len(row) <= 200 else row[:200] + " …" for row in text.splitlines()[-lines:]]
    return "\n".join(rows)[-limit:]


def collect_tests(lessons: list[int], limits: Limits,
                  preloader: Preloader | None = None) -> dict[int, list[TestInfo]]:
    """The graded tests and their points, collected from the pristine suites (no student code)."""
    manifest: dict[int, list[TestInfo]] = {}
    with tempfile.TemporaryDirectory(prefix="kata-collect-") as temp:
        work = Path(temp)
        root = work / "root"
        root.mkdir()
        _pristine_copy(root, lessons)
        run = _run_child(lessons, root, root / "solutions", work,
                         dataclasses.replace(limits, timeout=max(limits.timeout, 120)),
                         collect=True, preloader=preloader)
        for number in lessons:
            tests = [TestInfo(m["nodeid"], m["name"], m["lesson"], float(m["points"]))
                     for m in run.messages if m.get("kind") == "item" and m.get("lesson") == number]
            if not tests:
                raise RuntimeError(
                    f"Collecting lesson {number:02d}'s pristine suite found no graded test "
                    f"(exit code {run.returncode}). Its output ends with:\n{run.log_tail}"
                )
            manifest[number] = tests
    return manifest


_SIGNAL_REASONS = {
    signal.SIGXFSZ: "wrote more output than the limit ({output:g} MiB) and was stopped",
    signal.SIGSEGV: "crashed (segmentation fault)",
    signal.SIGKILL: "was killed (it may have run out of memory)",
    signal.SIGABRT: "aborted (often: out of memory, the limit is {memory:g} GiB)",
}


def grade_lesson(number: int, source: bytes | None, tree_files: dict[int, bytes],
                 tests: list[TestInfo], limits: Limits, work: Path,
                 preloader: Preloader | None = None) -> LessonGrade:
    """One lesson of one submission, in its own process and its own copy of everything."""
    lesson = get_lesson(number)
    blank = [TestGrade(t.name, t.points, 0.0, "not run") for t in tests]
    if source is None:
        return LessonGrade(number, "missing", f"the submission has no lessons/{lesson.folder}/"
                           f"{lesson.filename} (a symbolic link doesn't count: submit the file "
                           "itself)", blank)
    work.mkdir(parents=True)
    tree = work / "tree"
    for other, data in tree_files.items():
        info = get_lesson(other)
        (tree / info.folder).mkdir(parents=True, exist_ok=True)
        (tree / info.folder / info.filename).write_bytes(data)
    root = work / "root"
    root.mkdir()
    _pristine_copy(root, [number])
    run = _run_child([number], root, tree, work, limits, preloader=preloader)
    flags = review_flags(source)

    verdicts: dict[str, tuple[str, str]] = {}
    done = None
    for message in run.messages:
        if message.get("kind") == "test":
            nodeid, outcome = message.get("nodeid"), message.get("outcome")
            old = verdicts.get(nodeid)
            if old is None or old[0] == "passed":  # a failure is never overwritten by a pass
                verdicts[nodeid] = (outcome, str(message.get("message", "")))
        elif message.get("kind") == "done" and done is None:
            done = message.get("exitstatus")
    if run.rejected:
        flags.append(f"{run.rejected} unsigned line(s) on the results channel (ignored)")

    grades = []
    for test in tests:
        outcome, message = verdicts.get(test.nodeid, ("not run", "no result arrived for this test"))
        grades.append(TestGrade(test.name, test.points,
                                test.points if outcome == "passed" else 0.0, outcome, message))
    status, reason = "ok", ""
    if run.timed_out:
        status, reason = "timeout", (f"ran longer than the time limit of {limits.timeout:g} s "
                                     "for one lesson and was stopped (an endless loop?)")
    elif run.flooded:
        status, reason = "crashed", ("something in the lesson's test run flooded the grader's "
                                     "results channel, so its results can't be trusted")
    elif run.returncode < 0:
        name = signal.Signals(-run.returncode).name
        text = _SIGNAL_REASONS.get(-run.returncode, f"was ended by signal {name}")
        status, reason = "crashed", f"the lesson's test run {text.format(output=limits.output_mib, memory=limits.memory_gib)} ({name})"
    elif done is None:
        status, reason = "crashed", (f"the lesson's test run ended early with exit code "
                                     f"{run.returncode} before finishing (os._exit() or sys.exit() "
                                     "outside a test?)")
    elif _hit_output_limit(run, verdicts.values(), limits):
        status, reason = "crashed", (f"the lesson's test run wrote more output than the limit "
                                     f"({limits.output_mib:g} MiB) and was stopped")
    elif done not in (0, 1) or run.returncode not in (0, 1):
        status, reason = "crashed", (f"the lesson's test run was interrupted (pytest exit "
                                     f"status {done}; pytest.exit() or KeyboardInterrupt?)")
    return LessonGrade(number, status, reason, grades, round(run.seconds, 1), flags,
                       run.log_tail if status != "ok" else "")


def _hit_output_limit(run: _Run, verdicts, limits: Limits) -> bool:
    """Did the run reach ``RLIMIT_FSIZE``?  Python ignores SIGXFSZ: writes fail with EFBIG."""
    too_large = "[Errno 27] File too large"
    return (run.returncode not in (0, 1) and too_large in run.log_tail) or any(
        too_large in message for _, message in verdicts)


def submission_key(files: dict[int, bytes], lessons: list[int], limits: Limits,
                   fingerprint: str) -> str:
    digest = hashlib.sha256(fingerprint.encode())
    digest.update(json.dumps([lessons, dataclasses.asdict(limits)]).encode())
    for number in sorted(files):
        digest.update(f"\0{number}\0".encode())
        digest.update(hashlib.sha256(files[number]).digest())
    return digest.hexdigest()


def grader_fingerprint(lessons: list[int]) -> str:
    """A hash of everything on the instructor's side that decides these lessons' grades."""
    digest = hashlib.sha256()
    files = [ROOT / name for name in PRISTINE_FILES]
    for folder in PRISTINE_FOLDERS:
        files += sorted((ROOT / folder).rglob("*.py"))
    for number in lessons:
        folder = ROOT / "lessons" / get_lesson(number).folder
        files += sorted(folder.glob("test_*.py")) + sorted(folder.glob("conftest.py"))
    for file in files:
        if file.is_file() and "__pycache__" not in file.parts:
            digest.update(file.relative_to(ROOT).as_posix().encode() + b"\0")
            digest.update(file.read_bytes())
    return digest.hexdigest()


def _unreadable(submission: Submission, lessons: list[int],
                manifest: dict[int, list[TestInfo]], reason: str) -> StudentGrade:
    return StudentGrade(submission.student, "", {
        n: LessonGrade(n, "error", reason,
                       [TestGrade(t.name, t.points, 0.0, "not run") for t in manifest[n]])
        for n in lessons}, error=reason)


def _grade_one_lesson(number: int, files: dict[int, bytes], tests: list[TestInfo],
                      limits: Limits, preloader: Preloader | None = None) -> LessonGrade:
    """:func:`grade_lesson` in a temporary folder of its own; never raises."""
    try:
        with tempfile.TemporaryDirectory(prefix="kata-grade-") as temp:
            return grade_lesson(number, files.get(number), files, tests, limits,
                                Path(temp) / f"{number:02d}", preloader)
    except Exception as error:  # the grader's own trouble: say so, keep going
        return LessonGrade(number, "error", f"the grader couldn't run this lesson: {error!r}",
                           [TestGrade(t.name, t.points, 0.0, "not run") for t in tests])


# --- outputs ------------------------------------------------------------------------


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write a file so that a reader sees the old one or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as stream:
        stream.write(data.encode("utf-8") if isinstance(data, str) else data)
    os.replace(temp, path)


def fmt(points: float) -> str:
    return f"{points:g}"


def gradebook_csv(grades: list[StudentGrade], lessons: list[int]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", *(f"{n:02d}" for n in lessons), "total", "max", "review"])
    for grade in grades:
        earned, possible = grade.total()
        review = "; ".join(
            f"{n:02d}: {', '.join(grade.lessons[n].flags)}" for n in lessons if grade.lessons[n].flags
        )
        writer.writerow([grade.student, *(fmt(grade.lessons[n].earned) for n in lessons),
                         fmt(earned), fmt(possible), review])
    return buffer.getvalue()


def feedback_markdown(grade: StudentGrade) -> str:
    earned, possible = grade.total()
    lines = [f"# Feedback for {grade.student}", "", f"**Total: {fmt(earned)}/{fmt(possible)} points**", ""]
    if grade.error:
        lines += [f"The grader couldn't read this submission: {grade.error}", ""]
    for number, lesson_grade in grade.lessons.items():
        lesson = get_lesson(number)
        lines.append(f"## Lesson {lesson.folder} · {lesson.title}: "
                     f"{fmt(lesson_grade.earned)}/{fmt(lesson_grade.possible)} points")
        lines.append("")
        if lesson_grade.reason:
            lines += [f"**0 points for this lesson: {lesson_grade.reason}.**", ""]
        if lesson_grade.flags:
            lines += [f"Flagged for review: {', '.join(lesson_grade.flags)}.", ""]
        for test in lesson_grade.tests:
            mark = "pass" if test.outcome == "passed" else "FAIL"
            lines.append(f"- {mark} · `{test.name}` · {fmt(test.earned)}/{fmt(test.points)}")
            if test.message and test.outcome != "passed":
                lines += ["", "  ```text", *("  " + row for row in test.message.splitlines()), "  ```"]
        if lesson_grade.log_tail:
            lines += ["", "The last lines the test run printed:", "", "```text",
                      lesson_grade.log_tail, "```"]
        lines.append("")
    return "\n".join(lines)


def gradescope_results(grade: StudentGrade) -> dict:
    """Gradescope's results.json: score, max_score and one entry per graded test."""
    tests = []
    for number, lesson_grade in grade.lessons.items():
        lesson = get_lesson(number)
        for index, test in enumerate(lesson_grade.tests, start=1):
            earned = test.earned if lesson_grade.status == "ok" else 0.0
            output = test.message if test.outcome != "passed" else ""
            if lesson_grade.reason:
                output = f"0 points for this lesson: {lesson_grade.reason}. {output}".strip()
            tests.append({
                "name": f"{'bonus ' if lesson.bonus else ''}lesson {lesson.folder} · {lesson.topic}: {test.name}",
                "number": f"{number}.{index}",
                "score": earned,
                "max_score": test.points,
                "status": "passed" if earned == test.points and test.points else "failed",
                "output": output,
                "visibility": "visible",
            })
    earned, possible = grade.total()
    bonus = sum(g.earned for n, g in grade.lessons.items() if get_lesson(n).bonus)
    return {
        "score": earned + bonus,  # a bonus lesson is extra credit over max_score
        "max_score": possible,
        "output": f"{fmt(earned)}/{fmt(possible)} points. "
        + " ".join(f"lesson {n:02d}: {fmt(g.earned)}/{fmt(g.possible)}." for n, g in grade.lessons.items()),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def chart_png(grades: list[StudentGrade], lessons: list[int]) -> bytes:
    """Small multiples: for each lesson, how many students got 0, 1, ..., 10 points."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    columns = min(5, len(lessons))
    rows = -(-len(lessons) // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(3 * columns, 2.4 * rows), squeeze=False,
                                sharey=True)
    for ax in axes.flat[len(lessons):]:
        ax.set_visible(False)
    for ax, number in zip(axes.flat, lessons, strict=False):
        scores = [g.lessons[number].earned for g in grades]
        possible = max((g.lessons[number].possible for g in grades), default=10) or 10
        values = list(range(int(possible) + 1))
        counts = [sum(round(s) == v for s in scores) for v in values]
        ax.bar(values, counts, color="tab:blue")
        average = sum(scores) / len(scores) if scores else 0
        ax.set_title(f"lesson {number:02d} · {get_lesson(number).topic}\naverage {average:.1f}",
                     fontsize=9)
        ax.set_xlabel("points", fontsize=8)
        ax.set_xticks(values[:: 2 if len(values) > 6 else 1])
    axes[0][0].set_ylabel("students")
    axes[0][0].yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    figure.suptitle(f"Score distribution per lesson ({len(grades)} student{'s' * (len(grades) != 1)})")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    plt.close(figure)
    return buffer.getvalue()


def write_outputs(out: Path, grades: list[StudentGrade], lessons: list[int]) -> None:
    write_atomic(out / "gradebook.csv", gradebook_csv(grades, lessons))
    for grade in grades:
        write_atomic(out / "feedback" / f"{grade.student}.md", feedback_markdown(grade))
        write_atomic(out / "gradescope" / f"{grade.student}.json",
                     json.dumps(gradescope_results(grade), indent=2, ensure_ascii=False) + "\n")
    if grades:
        write_atomic(out / "scores.png", chart_png(grades, lessons))


def _load_cached(out: Path, student: str) -> StudentGrade | None:
    try:
        return StudentGrade.from_dict(json.loads((out / CACHE_FOLDER / f"{student}.json").read_text()))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _save_cached(out: Path, grade: StudentGrade) -> None:
    write_atomic(out / CACHE_FOLDER / f"{grade.student}.json", json.dumps(grade.to_dict(), indent=1))


# --- the command --------------------------------------------------------------------


def graded_lessons(selection: str | None) -> list[int]:
    """The lessons to grade: ``"3,4"`` or ``"1-5"``, default every lesson with a suite."""
    present = [n for n, lesson in LESSONS.items()
               if (ROOT / "lessons" / lesson.folder / lesson.test_filename).is_file()]
    if not selection:
        return present
    chosen = []
    try:
        for part in selection.split(","):
            part = part.strip()
            if "-" in part:
                low, high = part.split("-", 1)
                chosen += [get_lesson(n).number for n in range(int(low), int(high) + 1)]
            elif part:
                chosen.append(get_lesson(part).number)
    except (ImplError, ValueError) as error:
        raise SubmissionError(f"--lessons {selection}: {error} Write e.g. 3,4 or 1-10.") from None
    missing = [n for n in chosen if n not in present]
    if missing:
        raise SubmissionError(
            "These lessons have no graded suite in this repository: "
            + ", ".join(f"{n:02d}" for n in missing)
        )
    return sorted(set(chosen))


def grade_class(submissions: list[Submission], out: Path, lessons: list[int], limits: Limits,
                jobs: int = 1, force: bool = False, console=None,
                fresh: bool = False) -> list[StudentGrade]:
    """Grade every submission, write every output, return the grades.

    The unit of work is one lesson of one submission, ``jobs`` at a time, so
    that even a single submission uses every worker; a submission's lessons
    are started last to first, because the last ones (the capstone, the
    bonus) take longest.  A student's record is saved in ``out/.kata-grade/``
    as soon as their last lesson is graded, and a submission whose lesson
    files (and the grader's side) haven't changed since then is not graded
    again unless ``force``.  Lesson runs are forked from a :class:`Preloader`
    unless ``fresh`` (or the preloader can't start): then each is a brand-new
    Python process.
    """
    from kata.data import seed_keras_cache

    seed_keras_cache()  # once, here: a lesson run never writes Keras' cache itself
    subreaper = become_subreaper()
    fingerprint = grader_fingerprint(lessons)
    grades: dict[str, StudentGrade] = {}
    unreadable: list[tuple[Submission, str]] = []
    work: list[tuple[Submission, dict[int, bytes], str]] = []
    for submission in submissions:
        try:
            files = read_lesson_files(submission.path, lessons)
        except (SubmissionError, OSError) as error:
            unreadable.append((submission, f"the submission couldn't be read: {error}"))
            continue
        key = submission_key(files, lessons, limits, fingerprint)
        cached = None if force else _load_cached(out, submission.student)
        if cached is not None and cached.key == key and sorted(cached.lessons) == lessons:
            grades[submission.student] = cached
        else:
            work.append((submission, files, key))

    with tempfile.TemporaryDirectory(prefix="kata-preloader-") as temp:
        preloader = None
        # Only a subreaper can adopt the forked runs as its own children.
        if work and subreaper and not fresh:
            try:
                preloader = Preloader(Path(temp))
            except (PreloadError, OSError) as error:
                if console is not None:
                    console.print(f"[yellow]Each lesson starts a fresh Python process (slower): "
                                  f"the preloader didn't start: {error}[/yellow]")
        try:
            manifest = collect_tests(lessons, limits, preloader)
            for submission, reason in unreadable:
                grades[submission.student] = _unreadable(submission, lessons, manifest, reason)
            grades.update(_grade_work(work, out, lessons, limits, jobs, manifest, preloader,
                                      done=len(grades), total=len(submissions), console=console))
        finally:
            if preloader is not None:
                preloader.close()
    ordered = [grades[s.student] for s in submissions]
    write_outputs(out, ordered, lessons)
    return ordered


def _grade_work(work: list[tuple[Submission, dict[int, bytes], str]], out: Path,
                lessons: list[int], limits: Limits, jobs: int,
                manifest: dict[int, list[TestInfo]], preloader: Preloader | None,
                done: int, total: int, console) -> dict[str, StudentGrade]:
    """Grade the submissions that need it, ``jobs`` lesson runs at a time, with a progress bar."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    grades: dict[str, StudentGrade] = {}
    progress = Progress(TextColumn("[bold]grading"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("lessons"), TimeElapsedColumn(), console=console)
    with progress, ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        task = progress.add_task("grading", total=total * len(lessons),
                                 completed=done * len(lessons))
        futures = {}
        for submission, files, key in work:
            for number in sorted(lessons, reverse=True):
                future = pool.submit(_grade_one_lesson, number, files, manifest[number], limits,
                                     preloader)
                futures[future] = (submission.student, key, number)
        finished: dict[str, dict[int, LessonGrade]] = {}
        for future in as_completed(futures):
            student, key, number = futures[future]
            finished.setdefault(student, {})[number] = future.result()
            progress.advance(task)
            if len(finished[student]) == len(lessons):
                grade = StudentGrade(student, key, {n: finished[student][n] for n in lessons})
                _save_cached(out, grade)
                grades[student] = grade
    return grades


def summary_table(grades: list[StudentGrade], lessons: list[int]):
    from rich.table import Table

    table = Table(title=f"{len(grades)} submission{'s' * (len(grades) != 1)}")
    table.add_column("lesson")
    table.add_column("average", justify="right")
    table.add_column("full marks", justify="right")
    table.add_column("0 points", justify="right")
    table.add_column("stopped (time, crash)", justify="right")
    for number in lessons:
        rows = [g.lessons[number] for g in grades]
        average = sum(r.earned for r in rows) / len(rows) if rows else 0.0
        full = sum(r.earned == r.possible and r.possible > 0 for r in rows)
        zero = sum(r.earned == 0 for r in rows)
        stopped = sum(r.status in ("timeout", "crashed") for r in rows)
        possible = max((r.possible for r in rows), default=10)
        table.add_row(f"{number:02d} · {get_lesson(number).topic}",
                      f"{average:.1f}/{fmt(possible)}", str(full), str(zero), str(stopped))
    totals = [g.total() for g in grades]
    if totals:
        average = sum(e for e, _ in totals) / len(totals)
        table.add_row("total", f"{average:.1f}/{fmt(totals[0][1])}",
                      str(sum(e == p for e, p in totals)), str(sum(e == 0 for e, _ in totals)), "",
                      style="bold")
    return table


def _gradescope_submission(folder: Path) -> Submission:
    """Gradescope's upload: the files themselves, or one .zip among them."""
    zips = [p for p in folder.iterdir() if p.suffix.lower() == ".zip" and p.is_file()] if folder.is_dir() else []
    try:
        has_lessons = bool(_read_folder(folder, list(LESSONS)))
    except OSError:
        has_lessons = False
    if not has_lessons and len(zips) == 1:
        return Submission("submission", zips[0])
    return Submission("submission", folder)


def main(args: argparse.Namespace) -> int:
    from rich.console import Console

    console = Console(stderr=False)
    limits = Limits(
        timeout=args.timeout if args.timeout is not None else DEFAULT_TIMEOUT,
        memory_gib=args.memory if args.memory is not None else DEFAULT_MEMORY_GIB,
        output_mib=args.output_limit if args.output_limit is not None else DEFAULT_OUTPUT_MIB,
    )
    try:
        lessons = graded_lessons(args.lessons)
        if args.gradescope:
            folder = args.submissions or GRADESCOPE_SUBMISSION
            out = args.out or GRADESCOPE_RESULTS
            with tempfile.TemporaryDirectory(prefix="kata-gradescope-") as temp:
                (grade,) = grade_class([_gradescope_submission(folder)], Path(temp), lessons,
                                       limits, jobs=args.jobs, force=True, console=console,
                                       fresh=args.fresh)
            write_atomic(out / "results.json",
                         json.dumps(gradescope_results(grade), indent=2, ensure_ascii=False) + "\n")
            earned, possible = grade.total()
            console.print(f"{fmt(earned)}/{fmt(possible)} points · {out / 'results.json'}")
            return 0
        if args.submissions is None:
            console.print("[red]Name the folder of submissions: kata grade SUBMISSIONS --out DIR "
                          "(or run kata grade --gradescope inside Gradescope).[/red]")
            return 2
        submissions = find_submissions(args.submissions)
    except SubmissionError as error:
        console.print(f"[red]{error}[/red]")
        return 2
    if not submissions:
        console.print(f"[red]{args.submissions} holds no submissions (folders or .zip files).[/red]")
        return 2
    out = args.out or Path("grades")
    console.print(f"Grading {len(submissions)} submission{'s' * (len(submissions) != 1)}, lessons "
                  f"{', '.join(f'{n:02d}' for n in lessons)}, {args.jobs} at a time; "
                  f"limits per lesson: {limits.timeout:g} s, {limits.memory_gib:g} GiB, "
                  f"{limits.output_mib:g} MiB of output.")
    grades = grade_class(submissions, out, lessons, limits, jobs=args.jobs, force=args.force,
                         console=console, fresh=args.fresh)
    console.print(summary_table(grades, lessons))
    console.print(f"Written to {out}: gradebook.csv, feedback/, gradescope/, scores.png")
    return 0
