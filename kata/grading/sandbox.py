"""The sandbox a submission's lessons run in: bubblewrap, the grading user, or none.

With ``bwrap`` (the default wherever it works) one sandbox serves one
*shard*: some lessons of one submission, graded one after another by the
:mod:`~kata.grading.preloader` inside it.  The sandbox has its own PID,
network, IPC, UTS, cgroup and user namespaces (uid 65534, no capabilities,
no further user namespaces), so everything started in it dies with it, it
sees no other process and has no network.  It sees, read-only: the system
(``/usr``), the Python installation and the venv, the Keras data cache, and
the shard's folder: a pristine copy of the ``kata`` package and of the
suites, the submission's lesson files and the reference solutions of the
lessons *not* still to be graded in this shard (never the graded one).
Its only writable folder is a private ``/tmp`` capped in size.  Not mounted
at all: the instructor's checkout, ``--out``, the records and every other
submission.

``user`` (Gradescope without user namespaces) runs each lesson as the
unprivileged user ``setup.sh`` creates; ``none`` runs as the grader itself
and the gradebook marks the rows "unsandboxed".
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

from kata import i18n
from kata.grading import seccomp
from kata.impl import get_lesson

GRADING_USER = "kata-grader"
INSIDE_ROOT = Path("/kata/root")
INSIDE_TMP = Path("/kata/tmp")  # not /tmp: the grader's venv may live under /tmp (a CI clone)
INSIDE_EXCHANGE = Path("/kata/exchange")
EXCHANGE_BYTES = 2 << 30
"""The size of the folder where a lesson run's checker and agent exchange big values
(kata.remote): lesson 02's normalized training set alone is 376 MB as float64.  The
student's own ``/tmp`` stays as small as the output limit."""
KERAS_INSIDE = INSIDE_TMP / ".keras" / "datasets" / "fashion-mnist"
STARTUP_TIMEOUT = 180.0
BOOTSTRAP = ("import sys; sys.path.insert(0, sys.argv[1]); "
             "from kata.grading.preloader import main; sys.exit(main(sys.argv[2:]))")
FIX = (
    "To fix it: install bubblewrap (`apt-get install bubblewrap`) and allow user namespaces "
    "(`sysctl -w kernel.unprivileged_userns_clone=1`, `sysctl -w user.max_user_namespaces=15000`; "
    "on Ubuntu 24.04 also `sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`; in Docker, "
    "run the container with `--security-opt seccomp=unconfined --security-opt apparmor=unconfined`)."
)


class SandboxError(RuntimeError):
    """The sandbox asked for can't be made here; the message says why and how to fix it."""


def bwrap_problem() -> str | None:
    """Why bubblewrap can't make our sandbox on this machine, or ``None`` when it can.

    Returns:
        ``None``, or one sentence with bubblewrap's own error.
    """
    binary = shutil.which("bwrap")
    if binary is None:
        return "bubblewrap (bwrap) is not installed"
    fd = seccomp.filter_fd()
    probe = _bwrap_args(binary, {}, 1 << 20, seccomp_fd=fd) + ["--", sys.executable, "-I", "-c", "pass"]
    try:
        done = subprocess.run(probe, capture_output=True, timeout=60, stdin=subprocess.DEVNULL,
                              pass_fds=() if fd is None else (fd,))
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bubblewrap could not start ({error})"
    finally:
        if fd is not None:
            os.close(fd)
    if done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip() or f"exit code {done.returncode}"
        return f"bubblewrap fails here: {said}"
    return None


def choose(requested: str) -> tuple[str, str]:
    """The sandbox to use and, when it isn't the one asked for, why, loudly.

    Args:
        requested: ``"auto"``, ``"bwrap"``, ``"user"`` or ``"none"``.

    Returns:
        ``(mode, warning)``: the mode and a warning to print (``""`` when none).

    Raises:
        SandboxError: ``bwrap`` was asked for and can't work, or ``user`` without root.
    """
    if requested == "none":
        return "none", ""
    if requested == "user":
        grading_user()
        return "user", ""
    problem = bwrap_problem()
    if problem is None:
        return "bwrap", ""
    if requested == "bwrap":
        raise SandboxError(f"--sandbox=bwrap: {problem}. {FIX}")
    try:
        grading_user()
        return "user", (f"NOT SANDBOXED WITH BUBBLEWRAP: {problem}. Each lesson runs as the "
                        f"unprivileged user {GRADING_USER} instead. {FIX}")
    except SandboxError:
        pass
    return "none", (f"NOT SANDBOXED: {problem}. Every lesson runs as you, with your files "
                    f"within its reach, and every gradebook row says 'unsandboxed'. {FIX} "
                    "Or pass --sandbox=none to say that this is what you want.")


def grading_user() -> tuple[int, int]:
    """The uid and gid of :data:`GRADING_USER`, for ``--sandbox=user`` (the grader is root)."""
    if os.geteuid() != 0:
        raise SandboxError("--sandbox=user needs the grader to run as root (it is for Gradescope).")
    try:
        entry = pwd.getpwnam(GRADING_USER)
    except KeyError:
        raise SandboxError(f"there is no user {GRADING_USER}: create it as docs/gradescope/setup.sh "
                           f"does (`useradd --system --no-create-home {GRADING_USER}`).") from None
    for folder in {Path(sys.base_prefix), Path(sys.prefix)}:
        closed = [p for p in [folder, *folder.parents] if not os.stat(p).st_mode & 0o001]
        if closed:
            raise SandboxError(f"the grading user {GRADING_USER} can't reach Python in {folder}: "
                               f"{closed[-1]} is closed to other users. Install Python and the "
                               "venv where every user can read them (as Gradescope's image does).")
    return entry.pw_uid, entry.pw_gid


def _python_mounts(checkout: Path) -> list[Path]:
    """The folders Python needs: its installation, the venv and every prefix on ``sys.path``.

    Nothing inside the instructor's checkout but the venv itself.
    """
    wanted = {Path(p).resolve() for p in (sys.base_prefix, sys.prefix, sys.exec_prefix)}
    for entry in sys.path:  # only installed code: the script's or the current folder is not
        text = Path(entry or ".").resolve().as_posix()
        if "/lib/python" in text and Path(text).is_dir():
            wanted.add(Path(text.split("/lib/python", 1)[0]))
    checkout = checkout.resolve()
    kept = sorted(p for p in wanted if p == Path(sys.prefix).resolve()
                  or not (p == checkout or checkout in p.parents or p in checkout.parents
                          or p.parts[:2] in (("/", "tmp"), ("/", "proc"), ("/", "dev"))))
    return [p for p in kept if not any(q in p.parents for q in kept)]


def _bwrap_args(binary: str, binds: dict[Path, Path], tmp_bytes: int,
                checkout: Path | None = None, seccomp_fd: int | None = None) -> list[str]:
    args = [binary, "--unshare-all", "--unshare-user", "--uid", "65534", "--gid", "65534",
            "--disable-userns", "--die-with-parent", "--new-session", "--clearenv",
            "--ro-bind", "/usr", "/usr"]
    if seccomp_fd is not None:
        args += ["--seccomp", str(seccomp_fd)]  # no kernel keyrings (kata/grading/seccomp.py)
    for name in ["bin", "lib", "lib32", "lib64", "sbin"]:
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    for name in ["ld.so.cache", "localtime", "nsswitch.conf", "passwd", "group"]:
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    args += ["--proc", "/proc", "--dev", "/dev", "--size", str(tmp_bytes), "--tmpfs", str(INSIDE_TMP),
             "--size", str(tmp_bytes), "--tmpfs", "/dev/shm",  # /dev's own shm is not capped
             "--size", str(EXCHANGE_BYTES), "--tmpfs", str(INSIDE_EXCHANGE)]
    for path in _python_mounts(checkout or Path(__file__).resolve().parents[2]):
        args += ["--ro-bind", str(path), str(path)]
    for source, target in binds.items():
        args += ["--ro-bind", str(source), str(target)]
    return args + ["--chdir", str(INSIDE_TMP)]


def run_env(tmp: Path, threads: int = 0) -> dict[str, str]:
    """The environment of the preloader and of every lesson run: nothing of the grader's.

    Args:
        tmp: the sandbox's writable folder.
        threads: TensorFlow's thread pools' size, or 0 for its default (every core).  Sandboxes
            side by side each get their share of the cores: two pools of two threads on two
            cores spend a fifth more CPU time on the same training (the capstone: 60 → 48
            CPU-seconds, measured on a 2-vCPU Xeon).
    """
    env = {name: os.environ[name] for name in ["LANG", "LC_ALL", "OMP_NUM_THREADS",
                                                "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"]
           if name in os.environ}
    env.update(PATH="/usr/local/bin:/usr/bin:/bin", HOME=str(tmp / "home"), TMPDIR=str(tmp),
               KERAS_HOME=str(tmp / ".keras"), MPLCONFIGDIR=str(tmp / "mpl"), MPLBACKEND="Agg",
               TF_CPP_MIN_LOG_LEVEL="2", OPENBLAS_NUM_THREADS="1")
    if threads > 0:
        env.update(TF_NUM_INTRAOP_THREADS=str(threads), TF_NUM_INTEROP_THREADS=str(threads))
    env[i18n.LANG_ENV] = i18n.language()  # the feedback's failure messages: kata grade --lang
    return env


def pristine_copy(checkout: Path, target: Path, lessons: list[int]) -> Path:
    """A copy of the instructor's ``kata`` package, settings and the lessons' suites.

    ``target/solutions`` starts empty (:meth:`Sandbox.show_references` fills it); there is
    none when the checkout has none (a student copy), as the suites expect.
    """
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    target.mkdir(parents=True)
    for name in ["conftest.py", "pyproject.toml"]:
        if (checkout / name).is_file():
            shutil.copy2(checkout / name, target / name)
    shutil.copytree(checkout / "kata", target / "kata", ignore=ignore)
    (target / "lessons").mkdir()
    if (checkout / "lessons" / "conftest.py").is_file():
        shutil.copy2(checkout / "lessons" / "conftest.py", target / "lessons" / "conftest.py")
    for number in lessons:
        folder = get_lesson(number).folder
        (target / "lessons" / folder).mkdir()
        for file in (checkout / "lessons" / folder).iterdir():
            if file.is_file() and (file.name.startswith("test_") or file.name == "conftest.py"):
                shutil.copy2(file, target / "lessons" / folder / file.name)
    if (checkout / "solutions").is_dir():
        (target / "solutions").mkdir()
    return target


class Sandbox:
    """One shard's sandbox and the preloader in it.

    Args:
        folder: the shard's own empty folder on the grader's side.
        checkout: the instructor's checkout (suites, ``kata``, ``solutions``).
        lessons: every lesson whose suite the shard may run (all copied, pristine).
        files: the submission's lesson modules, ``{lesson: bytes}``.
        mode: ``"bwrap"``, ``"user"`` or ``"none"`` (from :func:`choose`).
        tmp_bytes: the size of the private ``/tmp``.
        keras_cache: the grader's Keras data folder (mounted read-only).
        preload_data: load the data set in the preloader (when a suite of the shard uses it).
    """

    def __init__(self, folder: Path, checkout: Path, lessons: list[int], files: dict[int, bytes],
                 mode: str, tmp_bytes: int, keras_cache: Path, preload_data: bool = True,
                 threads: int = 0):
        self.mode, self.folder, self.checkout, self.threads = mode, folder, checkout, threads
        self.lock = threading.Lock()
        folder.mkdir(parents=True)
        root = pristine_copy(checkout, folder / "root", lessons)
        submission = folder / "submission"
        for number, data in files.items():
            lesson = get_lesson(number)
            (submission / lesson.folder).mkdir(parents=True, exist_ok=True)
            (submission / lesson.folder / lesson.filename).write_bytes(data)
        submission.mkdir(exist_ok=True)
        (folder / "logs").mkdir()
        setup = {"mode": mode, "data": preload_data}
        if mode == "bwrap":
            self.root, self.submission, self.tmp = INSIDE_ROOT, Path("/kata/submission"), INSIDE_TMP
            self.exchange = INSIDE_EXCHANGE
            self.keep = [KERAS_INSIDE]
            binds = {root: INSIDE_ROOT, submission: self.submission}
            if keras_cache.is_dir():
                binds[keras_cache] = KERAS_INSIDE
            filter_fd = seccomp.filter_fd()
            command = _bwrap_args(shutil.which("bwrap") or "bwrap", binds, tmp_bytes, checkout,
                                  filter_fd)
            for name, value in run_env(self.tmp, threads).items():
                command += ["--setenv", name, value]
            command.append("--")
        else:
            filter_fd = None
            self.root, self.submission, self.tmp = root, submission, folder / "tmp"
            self.exchange = folder / "exchange"
            self.exchange.mkdir()
            data = self.tmp / ".keras" / "datasets" / "fashion-mnist"
            if keras_cache.is_dir():
                shutil.copytree(keras_cache, data, ignore=shutil.ignore_patterns(".*"))
            self.keep = [data]
            command = []
            if mode == "user":
                setup["uid"], setup["gid"] = grading_user()
                for path in [self.tmp, self.tmp / ".keras", self.tmp / ".keras" / "datasets", self.exchange]:
                    path.mkdir(parents=True, exist_ok=True)
                    os.chown(path, setup["uid"], setup["gid"])  # Keras wants KERAS_HOME writable
                for path in [folder.parent, folder.parent.parent]:
                    os.chmod(path, 0o711)
                for path in [folder, root, submission]:
                    os.chmod(path, 0o755)
                for path in [*root.rglob("*"), *submission.rglob("*")]:
                    os.chmod(path, 0o755 if path.is_dir() else 0o644)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        command += [sys.executable, "-I", "-B", "-c", BOOTSTRAP, str(self.root),
                    str(theirs.fileno()), json.dumps(setup)]
        self.log = folder / "logs" / "preloader.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                command, env=run_env(self.tmp, threads) if mode != "bwrap" else {}, cwd=folder,
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                pass_fds=(theirs.fileno(),) + (() if filter_fd is None else (filter_fd,)),
                start_new_session=True)
        theirs.close()
        if filter_fd is not None:
            os.close(filter_fd)
        self.control = ours
        self.broken = ""
        try:
            ours.settimeout(STARTUP_TIMEOUT)
            answer = json.loads(ours.recv(1 << 16) or b"{}")
        except (OSError, ValueError) as error:
            answer = {"ready": False, "reason": repr(error)}
        ours.settimeout(None)
        self._inner = _children_of(self.process.pid)  # bwrap's init, adopted by us at the end
        if not answer.get("ready"):
            self.close()
            raise SandboxError(f"the {mode} sandbox's preloader didn't start: "
                               f"{answer.get('reason', 'it ended')}; its output ends with:\n"
                               f"{tail(self.log)}")

    def show_references(self, checkout_solutions: Path, visible: list[int]) -> None:
        """Make the shard's ``solutions/`` hold exactly the references of ``visible`` lessons."""
        target = self.folder / "root" / "solutions"
        if not target.is_dir():
            return
        for entry in list(target.iterdir()):
            shutil.rmtree(entry)
        for number in visible:
            lesson = get_lesson(number)
            source = checkout_solutions / lesson.folder / lesson.filename
            if source.is_file():
                (target / lesson.folder).mkdir()
                shutil.copy2(source, target / lesson.folder / lesson.filename)
                if self.mode == "user":
                    os.chmod(target / lesson.folder, 0o755)
                    os.chmod(target / lesson.folder / lesson.filename, 0o644)

    def close(self) -> None:
        """End the sandbox; when this returns, no process of it is left."""
        try:
            self.control.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self.kill()

    def kill(self) -> None:
        """SIGKILL the sandbox (its whole PID namespace dies with bwrap) and wait for it."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()
        for pid in self._inner:  # dies with bwrap (--die-with-parent); reap it
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        if self.mode == "user":
            from kata.grading.preloader import kill_the_rest

            kill_the_rest({"mode": "user", "uid": grading_user()[0]})


def _children_of(parent: int) -> list[int]:
    found = []
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/stat") as stream:
                if int(stream.read().rsplit(")", 1)[1].split()[1]) == parent:
                    found.append(int(entry))
        except (OSError, ValueError, IndexError):
            continue
    return found


def tail(path: Path, lines: int = 15, limit: int = 2000) -> str:
    """The last lines of a log file, each cut at 200 characters."""
    try:
        with open(path, "rb") as stream:
            stream.seek(max(0, path.stat().st_size - 16384))
            text = stream.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
    rows = [row if len(row) <= 200 else row[:200] + " …" for row in text.splitlines()[-lines:]]
    return "\n".join(rows)[-limit:]
