"""Hostile (issue 13): find the results channel's key in memory and forge the results.

Honest points: 8 (a relu on the output layer loses the logits test).  When
the module is loaded (the first test's fixture) it looks for a signer: the
``hmac`` objects in its own process (``gc.get_objects``), and the memory and
open files of its parent (``/proc/<ppid>/mem``, ``/proc/<ppid>/fd``).  With a
signer and a pipe it signs "passed" for every graded test and "done", then
ends the process before any real result is sent: in one process with the
graded tests this scores 10.  Without one it writes the same lines unsigned
on every pipe it has, and returns its model.  With the verdict outside the
student's process the agent is forked before the key is read and keeps no
pipe of the checker's; the checker is not dumpable, so its memory and files
are closed to the agent.
"""

import gc
import hmac
import json
import os
import stat

import keras

TESTS = ["test_returns_a_keras_model", "test_takes_28_by_28_images_and_gives_10_scores",
         "test_layers_are_flatten_dense128_relu_dense10", "test_output_is_logits_not_probabilities",
         "test_has_101770_parameters", "test_each_call_builds_a_new_model"]
NODEIDS = [f"lessons/03/test_build.py::{name}" for name in TESTS]


def _signer_and_pipe():
    """A keyed hmac object, the fd it writes to and the graded tests, from this process's objects."""
    for obj in gc.get_objects():
        try:
            fields = object.__getattribute__(obj, "__dict__")
        except Exception:  # noqa: BLE001 - no attributes of its own (or a lazy module): next
            continue
        signer, fd = fields.get("_signer"), fields.get("_fd")
        if _isinstance_hmac(signer) and type(fd) is int:
            return signer, fd, fields.get("_seq", 0), list(fields.get("_tests", NODEIDS))
    return None, None, 0, NODEIDS


def _isinstance_hmac(obj):
    return type(obj) is hmac.HMAC


def _peek_at_the_parent():
    """What the parent's memory and files give away (nothing, when it isn't dumpable)."""
    found = []
    parent = os.getppid()
    for path in [f"/proc/{parent}/mem", f"/proc/{parent}/environ", f"/proc/{parent}/cmdline"]:
        try:
            with open(path, "rb") as stream:
                found.append((path, len(stream.read(4096))))
        except OSError as error:
            found.append((path, error.errno))
    try:
        for fd in os.listdir(f"/proc/{parent}/fd"):
            found.append((fd, os.readlink(f"/proc/{parent}/fd/{fd}")))
    except OSError as error:
        found.append(("fd", error.errno))
    return found


def _pipes():
    """Every pipe this process has open (not its socket: that would only garble its own answers)."""
    found = []
    for entry in os.listdir("/proc/self/fd"):
        try:
            if int(entry) > 2 and stat.S_ISFIFO(os.fstat(int(entry)).st_mode):
                found.append(int(entry))
        except OSError:
            pass
    return found


def _forge(signer, fd, seq, nodeids):
    lines = [{"kind": "test", "nodeid": nodeid, "outcome": "passed", "message": ""} for nodeid in nodeids]
    lines.append({"kind": "done", "exitstatus": 0})
    data = b""
    for message in lines:
        seq += 1
        line = json.dumps({**message, "seq": seq}).encode()
        mac = signer.copy() if signer is not None else None
        if mac is not None:
            mac.update(line)
        data += line + b"\t" + (mac.hexdigest().encode() if mac else b"0" * 64) + b"\n"
    for target in [fd] if fd is not None else _pipes():
        try:
            os.write(target, data)
        except OSError:
            pass


_PEEKED = _peek_at_the_parent()
_SIGNER, _FD, _SEQ, _NODEIDS = _signer_and_pipe()
_forge(_SIGNER, _FD, _SEQ, _NODEIDS)
if _SIGNER is not None:
    os._exit(0)  # before a real result can say otherwise


def build_model():
    """The tutorial's model: Input(28, 28) → Flatten → Dense(128, relu) → Dense(10)."""
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="relu"),  # an honest mistake: -2
        ]
    )
