"""``kata.check``'s helper process: the report the kernel would give, or the check stays in the kernel.

Each case checks the same definitions twice, in this process (``helper=False``,
as a kernel without a helper does) and in the helper (``helper=True``), and
compares every test's name, points, outcome and message.  The helper is
started once for the module (about ten seconds) and stopped after it.
"""

from __future__ import annotations

import os
import pickle
import re
import threading

import numpy as np
import pytest

import kata
from kata.catalogue import find
from kata.checkout import Checkout
from kata.impl import ROOT, get_lesson
from kata.notebook import helper as helper_module
from kata.notebook import record, sent

HERE = Checkout(ROOT)


@pytest.fixture(autouse=True)
def _records_aside(tmp_path, monkeypatch):
    monkeypatch.setenv(record.RESULTS_ENV, str(tmp_path / "results.json"))


@pytest.fixture(scope="module", autouse=True)
def _one_helper_for_the_module():
    yield
    for helper in list(helper_module._helpers.values()):
        helper.close()
    helper_module._broken.clear()


def reference_source(number: int) -> str:
    lesson = get_lesson(number)
    return (ROOT / "solutions" / lesson.folder / lesson.filename).read_text(encoding="utf-8")


def cell(source: str, name: str = "cell") -> dict:
    """A notebook's namespace after running ``source`` in one cell (its lines kept as IPython keeps them)."""
    import linecache

    filename = f"/tmp/ipykernel_0/{name}.py"  # never a file: the traceback's lines come from linecache alone
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    namespace = {"__name__": "__main__"}
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102
    return namespace


def outcomes(result):
    """Each test's name, points, outcome and message; each run's own temporary folder named alike."""
    return [(t.name, t.points, t.outcome, re.sub(r"pytest-\d+", "pytest-N", t.message)) for t in result.tests]


def both_ways(number: int, namespace: dict):
    in_kernel = kata.check(number, namespace, helper=False)
    in_helper = kata.check(number, namespace, helper=True)
    assert (in_kernel.ran_in, in_helper.ran_in) == ("kernel", "helper"), helper_module._broken
    return in_kernel, in_helper


CASES = [
    (3, None),
    (3, "softmax_output"),
    (6, None),
    (8, None),
    (8, "indexes_the_row_again"),
    (9, "checks_for_the_ending_anywhere"),
    (9, "saves_only_the_weights"),
]


@pytest.mark.parametrize(("number", "mistake"), CASES, ids=[f"{n:02d}-{m or 'reference'}" for n, m in CASES])
def test_the_helper_grades_as_the_kernel(number, mistake):
    source = reference_source(number) if mistake is None else find(HERE, number, mistake).source()
    in_kernel, in_helper = both_ways(number, cell(source, f"{number}-{mistake}"))
    assert outcomes(in_helper) == outcomes(in_kernel)
    assert in_helper.line == in_kernel.line
    if mistake is None:
        assert in_helper.full
    else:
        assert not in_helper.full, f"the mistake {mistake} got full points"


def test_a_traceback_in_the_helper_shows_the_students_line():
    mistaken = reference_source(1).replace("= fashion_mnist.load_data()", "= fashion_mnist_data.load_data()")
    assert mistaken != reference_source(1), "lesson 01's reference no longer calls fashion_mnist.load_data()"
    in_kernel, in_helper = both_ways(1, cell(mistaken, "01-traceback"))
    assert outcomes(in_helper) == outcomes(in_kernel)
    assert not in_helper.full
    for result in (in_kernel, in_helper):
        assert "= fashion_mnist_data.load_data()" in result.output, result.ran_in


def test_keras_settings_the_notebook_changed_hold_in_the_helper_too():
    import keras

    before = keras.config.floatx()
    try:
        namespace = cell("import keras\nkeras.config.set_floatx('float64')\n" + reference_source(3), "03-float64")
        in_kernel, in_helper = both_ways(3, namespace)
    finally:
        keras.config.set_floatx(before)
    assert not in_kernel.full, "a notebook that computes in float64 should lose points in lesson 03"
    assert outcomes(in_helper) == outcomes(in_kernel)


def test_a_module_beside_the_notebook_is_imported_in_the_helper_too(tmp_path, monkeypatch):
    (tmp_path / "fashion_layers.py").write_text(
        "import keras\n\n\ndef hidden_layer():\n    return keras.layers.Dense(128, activation='relu')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))  # the notebook's folder, where its kernel imports from
    source = "from fashion_layers import hidden_layer\n" + reference_source(3).replace(
        'keras.layers.Dense(128, activation="relu")', "hidden_layer()"
    )
    assert "hidden_layer()" in source, "lesson 03's reference no longer builds Dense(128, activation=\"relu\")"
    in_kernel, in_helper = both_ways(3, cell(source, "03-beside"))
    assert in_helper.full and outcomes(in_helper) == outcomes(in_kernel)


def test_the_helper_runs_in_the_notebooks_folder(tmp_path, monkeypatch):
    (tmp_path / "layers.json").write_text('{"hidden": 128}')
    monkeypatch.chdir(tmp_path)  # the kernel's working folder: the notebook's
    source = "import json\n" + reference_source(3).replace(
        'keras.layers.Dense(128, activation="relu")',
        'keras.layers.Dense(json.loads(open("layers.json").read())["hidden"], activation="relu")',
    )
    assert "layers.json" in source, "lesson 03's reference no longer builds Dense(128, activation=\"relu\")"
    in_kernel, in_helper = both_ways(3, cell(source, "03-json"))
    assert in_helper.full and outcomes(in_helper) == outcomes(in_kernel)


def test_a_lesson_function_that_cannot_be_sent_is_checked_in_the_kernel():
    namespace = cell(reference_source(3), "03-lock")
    namespace["lock"] = threading.Lock()  # no pickle can hold a lock
    namespace["build_tutorial_model"] = namespace["build_model"]
    locked = cell("def build_model():\n    with lock:\n        return build_tutorial_model()\n", "03-locked")
    namespace["build_model"] = locked["build_model"]
    locked["build_model"].__globals__.update(namespace)
    assert sent.pack(namespace, ("build_model",)) is None
    result = kata.check(3, namespace, helper=True)
    assert result.ran_in == "kernel"
    assert result.full


def test_big_arrays_and_ipython_history_stay_in_the_kernel():
    namespace = cell(reference_source(1), "01-big")
    import tensorflow as tf

    images = np.zeros((60000, 28, 28), dtype="uint8")  # 47 MB: the loaded data set
    namespace.update({
        "train_images": images,
        "fashion": ((images, np.zeros(60000, dtype="uint8")), (images[:10000], np.zeros(10000, dtype="uint8"))),
        "as_tensor": tf.zeros((1024, 1024)),  # 4 MB of float32
        "_i3": "kata.check(1)", "_3": None, "In": ["", "kata.check(1)"],
    })
    payload = sent.pack(namespace, ("load_data",))
    assert payload is not None and len(payload) < 2**20
    names = pickle.loads(pickle.loads(payload)["names"])  # noqa: S301 - made just above
    assert "load_data" in names and "CLASS_NAMES" in names
    assert not {"train_images", "fashion", "as_tensor", "_i3", "_3", "In"} & set(names)


def test_a_function_using_a_big_array_as_a_global_is_checked_in_the_kernel():
    namespace = cell(reference_source(1) + "\nBIG = None\ndef count():\n    return len(BIG)\n", "01-global")
    namespace["BIG"] = np.zeros(sent.MAX_BYTES + 1, dtype="uint8")
    assert sent.pack(namespace, ("load_data", "count")) is None


def test_in_kernel_setting_keeps_every_check_in_the_kernel(monkeypatch):
    monkeypatch.setenv(helper_module.IN_KERNEL_ENV, "1")
    assert helper_module.start_helper(HERE) is None
    result = kata.check(1, cell(reference_source(1), "01-in-kernel"), helper=True)
    assert result.ran_in == "kernel" and result.full


def test_a_helper_that_died_leaves_the_checks_to_the_kernel():
    namespace = cell(reference_source(3), "03-died")
    assert kata.check(3, namespace, helper=True).ran_in == "helper"
    helper = helper_module.helper_for(HERE)
    helper.runner._process.kill()  # as the machine's out-of-memory killer would
    helper.runner._process.wait()
    try:
        result = kata.check(3, namespace, helper=True)
        assert result.ran_in == "kernel" and result.full
        assert helper_module.helper_for(HERE) is None
        assert helper_module.start_helper(HERE) is None, "a helper that broke was started again in the same kernel"
    finally:
        helper_module._broken.clear()


def test_a_check_interrupted_in_the_helper_stops_it_and_the_next_check_works():
    import signal
    import time

    slow = cell(reference_source(3).replace("def build_model(", "def tutorial_model(")
                + "\nimport time\n\ndef build_model():\n    time.sleep(120)\n    return tutorial_model()\n", "03-slow")
    assert kata.check(1, cell(reference_source(1), "01-warm"), helper=True).ran_in == "helper"
    helper = helper_module.helper_for(HERE)
    assert helper_module.wait_for_helper(HERE), "the helper did not get warm again"
    timer = threading.Timer(3.0, os.kill, (os.getpid(), signal.SIGINT))  # the kernel's stop button: Jupyter sends SIGINT
    timer.start()
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        kata.check(3, slow, helper=True)
    assert time.monotonic() - started < 60
    assert helper.runner._process.poll() is not None, "the interrupted helper still runs"
    assert helper_module.helper_for(HERE) is None
    assert kata.check(3, cell(reference_source(3), "03-after"), helper=True).full
