"""What lessons 04 and 05 need from the wire, without an agent: two codecs sharing one exchange folder.

- compile settings a ``.keras`` file can't hold (a loss class without brackets)
  cross as checked data beside the model (:mod:`kata.remote.settings`), and
  hostile settings (``tests/hostile/remote/compile_settings/``) are refused;
- an optimizer shared by two models arrives shared;
- a History says whether it is its model's latest (``model.history``);
- the step budget stops every fit of a call (:mod:`kata.remote.budget`).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from kata.impl import ROOT
from kata.remote import RemoteError, settings
from kata.remote.budget import fit_budget
from kata.remote.codec import Codec

HOSTILE = ROOT / "tests" / "hostile" / "remote" / "compile_settings"


def pair(tmp_path):
    """A checker's codec and an agent's, sharing one exchange folder."""
    return Codec(tmp_path, "c"), Codec(tmp_path, "a")


def tiny():
    import keras

    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])


def test_a_model_compiled_with_the_loss_class_arrives_with_that_class(tmp_path):
    import keras

    checker, agent = pair(tmp_path)
    model = tiny()
    there = agent.decode(checker.encode(model))
    there.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy, metrics=["accuracy"])
    with pytest.raises(TypeError):  # what Keras does with it: no .keras file can hold it
        there.get_compile_config()
    assert checker.decode(agent.encode(there)) is model
    assert model.loss is keras.losses.SparseCategoricalCrossentropy
    assert isinstance(model.optimizer, keras.optimizers.Adam)
    assert np.isclose(float(np.asarray(model.optimizer.learning_rate)), 0.001)
    assert there.compiled, "the agent's model is still compiled after it was saved without its settings"


@pytest.mark.parametrize("name", sorted(path.name for path in HOSTILE.glob("*.json")))
def test_hostile_compile_settings_are_refused_and_nothing_in_them_runs(name, tmp_path, monkeypatch):
    import keras  # noqa: F401  (the settings are Keras objects)

    monkeypatch.chdir(tmp_path)
    witness = Path("/tmp/kata-hostile-settings-ran")
    witness.unlink(missing_ok=True)
    with pytest.raises(RemoteError):
        settings.rebuild(json.loads((HOSTILE / name).read_text()))
    assert not witness.exists()


def test_a_hostile_compile_description_beside_a_model_is_refused(tmp_path):
    checker, agent = pair(tmp_path)
    data = agent.encode(tiny())
    data["compile"] = json.loads((HOSTILE / "a_function_named_as_a_loss_class.json").read_text())
    with pytest.raises(RemoteError, match="not a class of Keras losses"):
        checker.decode(data)


def test_an_optimizer_shared_by_two_models_arrives_shared(tmp_path):
    import keras

    checker, agent = pair(tmp_path)
    first, second = tiny(), tiny()
    there = [agent.decode(checker.encode(m)) for m in (first, second)]
    shared = keras.optimizers.Adam()
    for model in there:
        model.compile(optimizer=shared, loss="mse")
    checker.decode(agent.encode(there[0]))
    checker.decode(agent.encode(there[1]))
    assert first.optimizer is second.optimizer
    own = [agent.decode(checker.encode(m)) for m in (tiny(), tiny())]
    for model in own:
        model.compile(optimizer="adam", loss="mse")
    a, b = checker.decode(agent.encode(own))
    assert a.optimizer is not b.optimizer


def test_a_history_says_whether_it_is_its_models_latest(tmp_path):
    checker, agent = pair(tmp_path)
    model = tiny()
    there = agent.decode(checker.encode(model))
    there.compile(optimizer="adam", loss="mse")
    first = there.fit(np.ones((8, 4)), np.zeros((8, 3)), epochs=1, verbose=0)
    latest = there.fit(np.ones((8, 4)), np.zeros((8, 3)), epochs=1, verbose=0)
    assert there.history is latest and first is not latest
    old, new = checker.decode(agent.encode([first, latest]))
    assert old.model is model and new.model is model
    assert model.history is new


def test_the_step_budget_stops_every_fit_of_the_call():
    model = tiny()
    model.compile(optimizer="adam", loss="mse")
    images, targets = np.ones((64, 4)), np.zeros((64, 3))
    with fit_budget(10):
        first = model.fit(images, targets, batch_size=8, epochs=1, verbose=0)  # 8 steps
        second = model.fit(images, targets, batch_size=8, epochs=5, verbose=0)  # stopped after 2
    assert len(first.epoch) == 1 and len(second.epoch) == 1
    assert int(model.optimizer.iterations.numpy()) == 10
    full = model.fit(images, targets, batch_size=8, epochs=2, verbose=0)
    assert len(full.epoch) == 2, "the guard ends with the call"


def test_a_model_naming_as_its_optimizer_an_object_that_is_not_one_is_refused(tmp_path):
    checker, agent = pair(tmp_path)
    array = np.zeros(3)
    sent = agent.encode(array)
    checker.decode(sent)
    model = tiny()
    model.compile(optimizer="adam", loss="mse")
    data = agent.encode(model)
    data["optimizer"] = {"id": sent["id"]}  # the array's id, as if it were an optimizer already sent
    with pytest.raises(RemoteError, match="not one"):
        checker.decode(data)
