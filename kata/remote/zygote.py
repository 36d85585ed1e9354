"""A warm process that forks agents: ``pytest --remote`` without importing TensorFlow per agent.

``pytest lessons/NN --remote`` starts one agent per lesson tree
(``python -m kata.remote.agent``); most of its start is importing TensorFlow,
Keras and matplotlib, about 5 CPU seconds.  The project's parity tests start an
agent for every catalogue case, hundreds in a run, so they ask a *zygote*
instead: one process that imported all of that once and forks an agent per
request, while it has a single thread and has never run a TensorFlow operation
(as the grader's preloader and ``kata watch``'s warm process do), so each agent
starts TensorFlow's runtime itself, as a fresh process would.

The zygote listens on a Unix socket.  A request is one connection carrying a
JSON line ``{"tree": ..., "lesson": N, "exchange": ...}`` and, as ancillary
data (``SCM_RIGHTS``), the agent's end of a socket pair; the forked agent
serves on it exactly as :func:`kata.remote.agent.serve` does in a fresh
process.  ``pytest --remote --remote-zygote=SOCKET`` uses one.

Example:
    >>> zygote = Zygote.start(tmp_path / "zygote.sock")  # doctest: +SKIP
    >>> connection = Connection(fork_agent(zygote.path, tree, 3, exchange), exchange)  # doctest: +SKIP
    >>> zygote.close()  # doctest: +SKIP
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from kata.forks import exit_after

PRELOAD = ["numpy", "tensorflow", "keras", "matplotlib.pyplot", "kata.remote.agent", "kata.remote.models"]
"""What the zygote imports before it forks (no TensorFlow operation runs)."""


def _threads() -> int:
    return len(os.listdir("/proc/self/task"))


def serve_forever(listener: socket.socket) -> None:
    """Answer requests on ``listener``: fork one agent for each, never wait for it.

    Raises:
        RuntimeError: the process has more than one thread (forking would be unsafe).
    """
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # agents are reaped by the kernel
    while True:
        connection, _ = listener.accept()
        with connection:
            message, fds, _, _ = socket.recv_fds(connection, 1 << 16, 1)
            if len(fds) != 1:
                for fd in fds:
                    os.close(fd)
                continue
            request = json.loads(message)
            if (threads := _threads()) != 1:
                os.close(fds[0])
                raise RuntimeError(f"the zygote has {threads} threads; it forks only with one")
            if os.fork() == 0:
                listener.close()
                connection.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                _agent(fds[0], request)
            os.close(fds[0])


def _agent(fd: int, request: dict) -> None:
    """In the forked child: be the agent on ``fd``, then exit without returning to the loop."""

    def serve() -> None:
        from kata.remote import agent

        with socket.socket(fileno=fd) as sock:
            agent.serve(sock, Path(request["exchange"]), Path(request["tree"]), int(request["lesson"]))

    exit_after(serve)


def main(argv: list[str] | None = None) -> None:
    """``python -m kata.remote.zygote --listen SOCKET``: preload, then fork agents on request."""
    import gc
    import importlib

    parser = argparse.ArgumentParser(prog="python -m kata.remote.zygote", description=__doc__.splitlines()[0])
    parser.add_argument("--listen", type=Path, required=True, help="the Unix socket to listen on")
    options = parser.parse_args(argv)
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    for name in PRELOAD:
        importlib.import_module(name)
    gc.collect()
    gc.freeze()  # preloaded objects stay out of the agents' collections, their pages shared
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listening = options.listen.with_name(options.listen.name + ".new")
    listener.bind(str(listening))
    listener.listen(8)
    listening.rename(options.listen)  # the path appears once requests are accepted
    serve_forever(listener)


def fork_agent(path: Path, tree: Path, lesson: int, exchange: Path) -> socket.socket:
    """Ask the zygote listening on ``path`` for an agent serving lesson ``lesson`` of ``tree``.

    Args:
        path: the zygote's Unix socket.
        tree: the lesson tree (``--impl``'s folder).
        lesson: the lesson's number.
        exchange: the agent's exchange folder (it exists).

    Returns:
        The checker's end of a stream socket to the new agent: pass it to
        :class:`kata.remote.proxy.Connection`.
    """
    ours, theirs = socket.socketpair()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as request:
        request.connect(str(path))
        message = {"tree": str(Path(tree).resolve()), "lesson": lesson, "exchange": str(Path(exchange).resolve())}
        socket.send_fds(request, [json.dumps(message).encode()], [theirs.fileno()])
    theirs.close()
    return ours


class Zygote:
    """The handle on a zygote process (see the module's docstring).

    Args:
        process: the zygote.
        path: the Unix socket it listens on.
    """

    def __init__(self, process: subprocess.Popen, path: Path):
        self.process = process
        self.path = path

    @classmethod
    def start(cls, path: Path, timeout: float = 120.0) -> Zygote:
        """Start a zygote listening on ``path`` and wait until it listens.

        Args:
            path: where its Unix socket goes (a path that does not exist yet).
            timeout: seconds to wait for it to preload.

        Returns:
            The handle.

        Raises:
            RuntimeError: it ended or did not listen in time.
        """
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1")  # importing numpy then starts no thread
        process = subprocess.Popen([sys.executable, "-m", "kata.remote.zygote", "--listen", str(path)],
                                   env=env, stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while not path.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"the agent zygote did not start (exit code {process.poll()})")
            time.sleep(0.05)
        return cls(process, path)

    def close(self) -> None:
        """Stop the zygote (agents it forked end when their checker says bye)."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


if __name__ == "__main__":
    main()
