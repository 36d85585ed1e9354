"""Hostile (issue 13), lesson 01: find the results channel's key in memory and forge the results.

Honest points: 8 (a class name is wrong).  See lessons/03/build.py beside it.
"""

import gc
import hmac
import json
import os
import stat

import keras
import numpy as np

TESTS = ["test_class_names_are_the_tutorials_ten_in_label_order",
         "test_load_data_gives_60000_train_and_10000_test_images",
         "test_load_data_keeps_pixels_and_labels_as_uint8", "test_load_data_gives_exactly_what_keras_loads",
         "test_describe_reports_the_shape_and_leaves_its_arguments_untouched",
         "test_describe_counts_the_images_of_each_class", "test_describe_reports_the_pixel_range"]
NODEIDS = [f"lessons/01/test_load.py::{name}" for name in TESTS]


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


# The labels are numbers 0–9; these are the names of the classes, in that order.
CLASS_NAMES = ['T-shirt',  # an honest mistake: -2
               'Trouser', 'Pullover', 'Dress', 'Coat',
               'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']


def load_data():
    """Return ``(train_images, train_labels), (test_images, test_labels)``, uint8 arrays."""
    fashion_mnist = keras.datasets.fashion_mnist
    (train_images, train_labels), (test_images, test_labels) = fashion_mnist.load_data()
    return (train_images, train_labels), (test_images, test_labels)


def describe(images, labels):
    """Shape, images per class and pixel range of a set of images and their labels."""
    classes, counts = np.unique(labels, return_counts=True)
    return {
        "shape": images.shape,
        "count_per_class": {int(c): int(n) for c, n in zip(classes, counts, strict=True)},
        "pixel_min": int(images.min()),
        "pixel_max": int(images.max()),
    }
