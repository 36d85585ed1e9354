"""One lesson run, seen from the grader: the request, the signed channel, how it ended.

The grader makes a random key per run and writes it into a pipe whose read
end goes to the run (through the preloader, unread); the run reports on a
second pipe, each line signed with HMAC-SHA256 under that key
(:mod:`kata.grading.child`).  Lines whose signature doesn't check out are
counted and dropped; at most ``MAX_CHANNEL_BYTES`` are read.  The preloader
answers once the run and everything it started are dead, so the results
pipe then reaches end of file.  A preloader that doesn't answer in time is
killed with its whole sandbox.
"""

from __future__ import annotations

import dataclasses
import hmac
import json
import os
import secrets
import select
import socket
import time
from pathlib import Path

from kata.grading.records import Limits
from kata.grading.sandbox import Sandbox, run_env, tail

MAX_CHANNEL_BYTES = 8 << 20
GRACE = 30.0  # seconds the preloader may take beyond the run's own time limit


@dataclasses.dataclass
class Run:
    """What the grader learnt from one lesson run."""

    timed_out: bool
    returncode: int
    messages: list[dict]
    rejected: int
    seconds: float
    log_tail: str
    flooded: bool = False  # more than MAX_CHANNEL_BYTES arrived on the results channel
    sandbox_failed: str = ""  # the preloader didn't answer: the sandbox was killed
    log_bytes: int = 0  # the size of the run's log (its stdout and stderr, the agent's too)


def run_lesson(sandbox: Sandbox, lessons: list[int], impl: Path, limits: Limits, name: str,
               collect: bool = False, skip_slow: bool = False) -> Run:
    """Run ``lessons``' pristine suites in ``sandbox`` on the tree ``impl`` (a path inside it).

    Args:
        sandbox: a started :class:`~kata.grading.sandbox.Sandbox`; one run at a time.
        lessons: the suites to run (one lesson, or several to collect).
        impl: the tree under test, as the sandbox sees it.
        limits: time, memory and output limits.
        name: the log file's name in the shard's ``logs/``.
        collect: only collect the tests (no test runs, no student code).
        skip_slow: leave out the tests marked ``slow`` (those that train on the full data).

    Returns:
        A :class:`Run`.
    """
    key = secrets.token_bytes(32)
    key_read, key_write = os.pipe()
    result_read, result_write = os.pipe()
    os.write(key_write, key)
    os.close(key_write)
    args = ["--lesson", *map(str, lessons), "--root", str(sandbox.root), "--impl", str(impl),
            "--memory", str(limits.memory_bytes), "--output", str(limits.output_bytes),
            "--exchange", str(sandbox.exchange)]
    args += ["--collect"] if collect else []
    args += ["--skip-slow"] if skip_slow else []
    request = {"args": args, "timeout": limits.timeout,
               "tmp": str(sandbox.tmp), "keep": [str(p) for p in sandbox.keep],
               "exchange": str(sandbox.exchange),
               "env": run_env(sandbox.tmp, sandbox.threads)}
    log_path = sandbox.folder / "logs" / f"{name}.log"
    start = time.monotonic()
    with sandbox.lock:
        try:
            with open(log_path, "wb") as log:
                socket.send_fds(sandbox.control, [json.dumps(request).encode()],
                                [key_read, result_write, log.fileno()])
        except OSError as error:
            sandbox.broken = f"the preloader is gone ({error})"
        finally:
            os.close(key_read)
            os.close(result_write)
        data, reply = _read(sandbox, result_read, start + limits.timeout + GRACE)
    seconds = time.monotonic() - start
    messages, rejected = verify(bytes(data), key)
    try:
        log_bytes = log_path.stat().st_size
    except OSError:
        log_bytes = 0
    if reply is None or "error" in reply:
        sandbox.broken = sandbox.broken or (
            f"the preloader failed: {reply['error']}" if reply else "the preloader didn't answer")
        sandbox.kill()
        return Run(False, -9, messages, rejected, seconds, tail(log_path),
                   flooded=len(data) >= MAX_CHANNEL_BYTES, sandbox_failed=sandbox.broken,
                   log_bytes=log_bytes)
    return Run(bool(reply["timed_out"]), int(reply["returncode"]), messages, rejected, seconds,
               tail(log_path), flooded=len(data) >= MAX_CHANNEL_BYTES, log_bytes=log_bytes)


def _read(sandbox: Sandbox, result_read: int, deadline: float) -> tuple[bytearray, dict | None]:
    """Drain the results pipe until the preloader answers and the pipe ends (or the deadline)."""
    data = bytearray()
    reply, eof = None, False
    try:
        while not (eof and reply is not None) and not sandbox.broken:
            remaining = deadline - time.monotonic()
            if remaining <= 0:  # checked on every turn: a flood on the pipe can't hold us
                break
            watched = ([] if eof else [result_read]) + ([] if reply is not None else [sandbox.control])
            ready = select.select(watched, [], [], min(0.5, remaining))[0]
            if sandbox.control in ready:
                raw = sandbox.control.recv(1 << 16)
                reply = json.loads(raw) if raw else {"error": "the preloader ended"}
            if result_read in ready:
                chunk = os.read(result_read, 65536)
                if not chunk:
                    eof = True
                elif len(data) < MAX_CHANNEL_BYTES:
                    data += chunk
                elif reply is not None:
                    break  # the run is over and something still floods the pipe
    finally:
        os.close(result_read)
    return data, reply


def verify(data: bytes, key: bytes) -> tuple[list[dict], int]:
    """The channel's lines whose signature checks out, and how many didn't.

    Args:
        data: what arrived on the results pipe.
        key: this run's key.

    Returns:
        ``(messages, rejected)``: the signed messages, decoded, and the count of the others.
    """
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
            message = json.loads(line)
        except ValueError:
            rejected += 1
            continue
        if _well_formed(message):
            messages.append(message)
        else:
            rejected += 1
    return messages, rejected


# The fields of each kind of message and their types; a signed message of another shape is
# rejected like a forged one, so the verdict never meets a value it can't handle.
_SHAPES: dict[str, dict[str, type | tuple[type, ...]]] = {
    "item": {"nodeid": str, "name": str, "lesson": int, "points": (int, float)},
    "test": {"nodeid": str, "outcome": str, "message": str},
    "done": {"exitstatus": int},
    "agent": {"returncode": int},  # the agent ended before the suite did (kata.grading.child)
}


def _well_formed(message) -> bool:
    if not isinstance(message, dict) or message.get("kind") not in _SHAPES:
        return False
    for field, kind in _SHAPES[message["kind"]].items():
        value = message.get(field)
        if isinstance(value, bool) or not isinstance(value, kind):
            return False
    return True
