"""``pytest --remote``: the same verdicts when the module under test runs in another process.

The parity test grades the reference of each lesson :data:`kata.remote.coverage.COVERED`
lists (but 10 and 11, which train on the full data) through an agent (``--remote``) and
requires the verdict it gets in-process: every
graded test passed (every case of the catalogue goes through ``kata grade``'s checker, which
uses the same proxy, in ``tests/test_mutants_through_kata_grade.py``).  The codec tests check
round trips, identity, write-back, and that what the agent sends is never loaded unsafely
(attack files under ``tests/hostile/remote/``).
"""

from __future__ import annotations

import shutil
import socket
import struct
from pathlib import Path

import numpy as np
import pytest

from kata import explain
from kata.impl import ROOT
from kata.remote import RemoteError, StudentError, protocol
from kata.remote.codec import Codec
from kata.remote.coverage import COVERED
from kata.remote.proxy import RemoteModule, start_agent

# Lessons 10 and 11 train on the full data (a minute or more each): their references, like every
# case of their catalogues, are graded through ``kata grade``'s checker, which uses the same proxy
# (tests/test_mutants_through_kata_grade.py), so CI doesn't train them a third time here.
QUICK_LESSONS = sorted(n for n in COVERED if n not in (10, 11))


@pytest.mark.slow
@pytest.mark.parametrize("lesson", QUICK_LESSONS, ids=lambda n: f"{n:02d}-reference")
def test_remote_gives_the_reference_every_point(lesson, run_suite, tmp_path, agent_zygote):
    """The reference of each covered lesson but 10 and 11 through ``pytest --remote``: every graded test passes.

    In this process the reference passes every graded test (``tests/test_mutants.py``), so
    that is the verdict ``--remote`` must give.  Every case of the catalogue (alternatives and mutants too) is compared test by test with its in-process verdict
    through ``kata grade`` (tests/test_mutants_through_kata_grade.py), whose checker runs the
    suite with the same proxy (``--remote-fd``); here ``pytest --remote`` itself, as a student or
    a developer runs it.
    """
    # A copy at another path: suites remember a module under test by its name or file (one
    # load_data() per module, one full error message per module), which must not carry over
    # from the runs of the reference earlier in the session.
    copy = shutil.copytree(ROOT / "solutions", tmp_path / "remote-tree", ignore=shutil.ignore_patterns("__pycache__"))
    there = run_suite(lesson, copy, "--remote", f"--remote-zygote={agent_zygote}")
    assert there.results, f"--remote ran no graded test of lesson {lesson:02d}"
    assert all(r.outcome == "passed" for r in there.results), (
        f"--remote judged the reference of lesson {lesson:02d} otherwise than in this process (all passed): "
        f"{[(r.name, r.outcome, r.message) for r in there.results if r.outcome != 'passed']}"
    )
    (score,) = there.lessons()
    assert score.earned == score.possible


# --- the codec, without an agent ---------------------------------------------------------

HOSTILE = ROOT / "tests" / "hostile" / "remote"


def pair(tmp_path):
    """A checker's codec and an agent's, sharing one exchange folder."""
    return Codec(tmp_path, "c"), Codec(tmp_path, "a")


def test_values_keep_their_types_across(tmp_path):
    checker, agent = pair(tmp_path)
    value = {"shape": (28, 28), 3: [1, 2.5, None, True, "x", b"\x00"], np.int64(7): np.uint8(200),
             "path": Path("/tmp/model.keras"), "small": np.arange(6, dtype=np.int16).reshape(2, 3),
             "big": np.ones((300, 300), dtype=np.float32)}
    back = checker.decode(agent.encode(value))
    assert back.keys() == value.keys()
    assert type(back["shape"]) is tuple and back["shape"] == (28, 28)
    assert back[3] == [1, 2.5, None, True, "x", b"\x00"] and type(back[3][0]) is int
    assert type(next(k for k in back if not isinstance(k, (str, int)))) is np.int64
    assert type(back[np.int64(7)]) is np.uint8 and back[np.int64(7)] == 200
    assert type(back["path"]) is type(value["path"]) and back["path"] == value["path"]
    for name in ("small", "big"):
        assert back[name].dtype == value[name].dtype and np.array_equal(back[name], value[name])
    assert not list(tmp_path.iterdir()), "the big array's file is removed once read"


def test_an_array_bigger_than_the_file_size_limit_crosses_in_parts(tmp_path):
    """``kata grade`` caps every file a run writes (``RLIMIT_FSIZE``) at its output limit;
    lesson 02's normalized training set (376 MB as float64) must cross all the same."""
    import resource

    checker, agent = pair(tmp_path)
    value = np.random.default_rng(0).random((50, 28, 28))  # 313,600 bytes, as float64
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, limit[1]))
    try:
        sent = agent.encode(value)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, limit)
    assert len(sent["parts"]) == 7, "parts of half the limit (50,000 bytes)"
    back = checker.decode(sent)
    assert back.dtype == value.dtype and back.shape == value.shape and np.array_equal(back, value)
    assert not list(tmp_path.iterdir()), "the parts are removed once read"


def test_parts_that_do_not_add_up_are_refused(tmp_path):
    checker, _agent = pair(tmp_path)
    np.save(tmp_path / "a1.npy", np.zeros(10))
    with pytest.raises(RemoteError, match="not the \\[3, 4\\] declared"):
        checker.decode({"kind": "ndarray", "id": 1, "dtype": "<f8", "shape": [3, 4], "parts": ["a1.npy"]})
    np.save(tmp_path / "a2.npy", np.zeros(12, dtype=np.int64))
    with pytest.raises(RemoteError, match="1-D part of dtype"):
        checker.decode({"kind": "ndarray", "id": 2, "dtype": "<f8", "shape": [3, 4], "parts": ["a2.npy"]})


def test_the_same_object_arrives_as_the_same_object(tmp_path):
    checker, agent = pair(tmp_path)
    array = np.zeros(3)
    first, second = checker.decode(agent.encode([array, array]))
    assert first is second
    assert checker.decode(agent.encode(array)) is first


def test_an_argument_changed_in_place_is_written_back_into_the_senders_object(tmp_path):
    checker, agent = pair(tmp_path)
    images = np.arange(200_000, dtype=np.float32)  # big: travels as a file
    labels = [1, 2]
    there_images, there_labels = agent.decode(checker.encode(images)), agent.decode(checker.encode(labels))
    there_images /= 2
    there_labels.append(3)
    assert checker.decode(agent.encode(there_images)) is images
    assert checker.decode(agent.encode(there_labels)) is labels
    assert images[-1] == 99_999.5 and labels == [1, 2, 3]


def test_an_argument_reshaped_in_place_takes_the_new_shape_in_the_senders_object(tmp_path):
    checker, agent = pair(tmp_path)
    images = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    there = agent.decode(checker.encode(images))
    there.shape = (-1,)
    assert checker.decode(agent.encode(there)) is images
    assert images.shape == (24,) and images[-1] == 23


def test_a_read_only_array_stays_read_only(tmp_path):
    checker, agent = pair(tmp_path)
    images = np.zeros(4)
    images.flags.writeable = False
    there = agent.decode(checker.encode(images))
    with pytest.raises(ValueError, match="read-only"):
        there[0] = 1


@pytest.mark.parametrize("size", [4, 200_000])  # inline, and as a file
def test_an_array_read_only_for_good_stays_so_and_one_that_can_be_made_writable_can_there_too(tmp_path, size):
    checker, agent = pair(tmp_path)
    for_good = np.frombuffer(np.zeros(size).tobytes())  # a view of bytes: numpy can't make it writable
    there = agent.decode(checker.encode(for_good))
    with pytest.raises(ValueError, match="WRITEABLE"):
        there.setflags(write=True)
    flagged = np.zeros(size)  # owns its data: setflags(write=True) makes it writable again
    flagged.flags.writeable = False
    there = agent.decode(checker.encode(flagged))
    there.setflags(write=True)
    there[0] = 1
    assert not flagged.flags.writeable and flagged[0] == 0


def test_an_object_array_file_is_refused(tmp_path):
    checker, _agent = pair(tmp_path)
    shutil.copyfile(HOSTILE / "object_array.npy", tmp_path / "a1.npy")
    with pytest.raises(RemoteError, match="not a plain numpy array"):
        checker.decode({"kind": "ndarray", "id": 1, "file": "a1.npy"})


def test_a_model_with_code_in_it_is_refused(tmp_path):
    import keras  # noqa: F401  (the codec handles models once Keras is loaded)

    checker, _agent = pair(tmp_path)
    shutil.copyfile(HOSTILE / "lambda_layer.keras", tmp_path / "a1.keras")
    with pytest.raises(RemoteError, match="could not be loaded safely.*Lambda"):
        checker.decode({"kind": "model", "id": 1, "file": "a1.keras"})


def test_a_model_compiled_again_there_comes_back_with_a_fresh_optimizer(tmp_path):
    """Lesson 06: compile() with the same settings replaces a trained optimizer; the checker sees that too."""
    import keras

    checker, agent = pair(tmp_path)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(np.ones((8, 2)), np.zeros((8, 3)), epochs=2, verbose=0)
    there = agent.decode(checker.encode(model))
    assert int(there.optimizer.iterations.numpy()) == 2
    # Named as in the agent's own process, where it is the only optimizer: the same compile settings.
    there.compile(optimizer=keras.optimizers.Adam(name=there.optimizer.name), loss="mse")
    assert there.get_compile_config() == model.get_compile_config()
    assert checker.decode(agent.encode(there)) is model
    assert int(model.optimizer.iterations.numpy()) == 0


def test_models_and_histories_come_back_as_the_checkers_own_objects(tmp_path):
    import keras

    checker, agent = pair(tmp_path)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3)])
    there = agent.decode(checker.encode(model))
    there.compile(optimizer="adam", loss="mse")
    history = there.fit(np.ones((8, 2)), np.zeros((8, 3)), epochs=2, verbose=0)
    wrapper = keras.Sequential([there, keras.layers.Softmax()])
    back, came = checker.decode(agent.encode([history, wrapper]))
    assert back.model is model and back.history.keys() == history.history.keys() and back.epoch == [0, 1]
    assert came.layers[0] is model, "a wrapped model is the checker's own model, sharing its weights"
    assert model.optimizer is not None and int(model.optimizer.iterations.numpy()) == 2
    for mine, theirs in zip(model.get_weights(), there.get_weights(), strict=True):
        assert np.array_equal(mine, theirs)


@pytest.mark.parametrize("name", ["../a1.npy", "/etc/passwd", "a1.npy.txt", "secret.npy"])
def test_only_the_codecs_own_file_names_are_read(tmp_path, name):
    checker, _agent = pair(tmp_path)
    with pytest.raises(RemoteError, match="not one the codec writes"):
        checker.decode({"kind": "ndarray", "id": 1, "file": name})


def test_a_link_in_the_exchange_folder_is_refused(tmp_path):
    checker, _agent = pair(tmp_path)
    np.save(tmp_path / "elsewhere.npy", np.zeros(3))
    (tmp_path / "a1.npy").symlink_to(tmp_path / "elsewhere.npy")
    with pytest.raises(RemoteError, match="can't be opened"):
        checker.decode({"kind": "ndarray", "id": 1, "file": "a1.npy"})


def test_a_frame_over_the_limit_is_refused():
    ours, theirs = socket.socketpair()
    with ours, theirs:
        ours.sendall(struct.pack(">I", protocol.MAX_FRAME + 1))
        with pytest.raises(RemoteError, match="over the limit"):
            protocol.receive(theirs)


# --- an agent process ------------------------------------------------------------------

AGENT_LESSON = '''
CLASS_NAMES = ["a", "b"]


def halve(images):
    images /= 2
    return images


def refuse(value):
    raise ValueError(f"no {value}")
'''


def test_an_agent_runs_the_module_and_sends_back_data(tmp_path):
    (tmp_path / "tree" / "01").mkdir(parents=True)
    (tmp_path / "tree" / "01" / "load.py").write_text(AGENT_LESSON, encoding="utf-8")
    connection = start_agent(tmp_path / "tree", 1, tmp_path / "exchange")
    try:
        impl = RemoteModule(connection)
        assert impl.CLASS_NAMES == ["a", "b"] and impl.__file__.endswith("01/load.py")
        images = np.full(4, 8.0)
        assert impl.halve(images) is images and images.tolist() == [4.0] * 4
        with pytest.raises(ValueError, match="no 3") as raised:
            impl.refuse(3)
        assert isinstance(raised.value, StudentError) and type(raised.value).__name__ == "ValueError"
        told = explain.student_error(raised.value, 1, str)
        assert "refuse() in" in told.message and "raise ValueError" in told.message
        with pytest.raises(AttributeError):
            impl.not_there  # noqa: B018
    finally:
        connection.close()


def test_an_agent_says_why_the_module_does_not_import(tmp_path):
    (tmp_path / "tree" / "01").mkdir(parents=True)
    (tmp_path / "tree" / "01" / "load.py").write_text("def f(:\n", encoding="utf-8")
    connection = start_agent(tmp_path / "tree", 1, tmp_path / "exchange")
    try:
        assert connection.import_error["type"] == "SyntaxError" and connection.import_error["lineno"] == 1
    finally:
        connection.close()
