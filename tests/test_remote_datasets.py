"""``tf.data`` data sets across the wire (:mod:`kata.remote.datasets`), and the attacks on their decoder.

A data set crosses as the kinds of its steps, its element spec and two recorded passes;
the checker replays them as a real ``tf.data.Dataset``.  The attack files under
``tests/hostile/remote/`` are descriptions a hostile agent could send instead.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from kata.impl import ROOT
from kata.remote import RemoteError
from kata.remote.codec import Codec
from kata.remote.datasets import pipeline_steps  # as lesson 11's suite reads them

HOSTILE = ROOT / "tests" / "hostile" / "remote"


def pair(tmp_path):
    return Codec(tmp_path, "c"), Codec(tmp_path, "a")


def test_a_data_set_is_replayed_pass_after_pass_with_its_steps(tmp_path):
    import tensorflow as tf

    checker, agent = pair(tmp_path)
    images, labels = np.arange(20, dtype="float32").reshape(10, 2), np.arange(10)
    there = tf.data.Dataset.from_tensor_slices((images, labels)).shuffle(10, seed=1).batch(4).prefetch(1)
    here = checker.decode(agent.encode(there))
    assert isinstance(here, tf.data.Dataset)
    assert pipeline_steps(there) == ["_PrefetchDataset", "_BatchDataset", "_ShuffleDataset", "_TensorSliceDataset"]
    assert pipeline_steps(here) == pipeline_steps(there)
    first, second, third = ([y.numpy().tolist() for _, y in here] for _ in range(3))
    assert [len(batch) for batch in first] == [4, 4, 2]
    assert sorted(sum(first, [])) == list(range(10)) and first != second and third == first
    for x, y in here:
        assert np.array_equal(x.numpy(), images[y.numpy()])
    assert not list(tmp_path.iterdir()), "the passes' files are removed once read"


@pytest.mark.filterwarnings("ignore:`shuffle=True` was passed:UserWarning")
def test_a_model_fits_on_the_replay(tmp_path):
    import keras
    import tensorflow as tf

    checker, agent = pair(tmp_path)
    there = tf.data.Dataset.from_tensor_slices((np.ones((64, 3), "float32"), np.arange(64) % 2)).batch(16)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = model.fit(checker.decode(agent.encode(there)), epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2 and history.params["steps"] == 4


def test_a_data_set_going_back_is_the_senders_own(tmp_path):
    import tensorflow as tf

    checker, agent = pair(tmp_path)
    there = tf.data.Dataset.range(3)
    assert agent.decode(checker.encode(checker.decode(agent.encode(there)))) is there


@pytest.mark.parametrize(("name", "refusal"), [
    ("dataset_claims_more_values.json", "hold more values than were sent"),
    ("dataset_step_is_code.json", "not a short list of class names"),
    ("dataset_object_dtype.json", "not a few plain tensors"),
    ("dataset_lies_about_its_spec.json", r"of shape \[2, 2\] where its element spec says \[None, 3\]"),
    ("dataset_huge_batch.json", "hold more values than were sent"),
])
def test_a_hostile_data_set_description_is_refused(tmp_path, name, refusal):
    import tensorflow as tf  # noqa: F401  (the codec handles data sets once TensorFlow is loaded)

    checker, _agent = pair(tmp_path)
    with pytest.raises(RemoteError, match=refusal):
        checker.decode(json.loads((HOSTILE / name).read_text(encoding="utf-8")))


def test_a_model_from_the_agent_with_replaced_methods_is_refused(tmp_path):
    import keras

    checker, _agent = pair(tmp_path)
    keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)]).save(tmp_path / "a1.keras")
    with pytest.raises(RemoteError, match="replaced methods, which only the checker may send"):
        checker.decode(json.loads((HOSTILE / "model_with_methods.json").read_text(encoding="utf-8")))
