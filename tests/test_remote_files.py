"""Files the student's code wrote (lesson 09) are read by the checker as data, never run.

``kata.remote.modelfiles`` loads ``.keras`` and ``.h5`` files in safe mode, an ``.h5``'s
configs checked first; ``kata.remote.savedmodel`` loads a SavedModel only after checking its
graph against the ops a Flatten/Dense/softmax model needs. The attack files are in
``tests/hostile/remote/`` (``make_hostile_files.py`` writes them again).
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from kata.impl import ROOT
from kata.remote.modelfiles import ModelFileRefused, load_model_file
from kata.remote.savedmodel import SavedModelRefused, check_saved_model_proto, load_saved_model

HOSTILE = ROOT / "tests" / "hostile" / "remote"
WRITTEN = "kata-hostile-was-here.txt"


def serve(loaded, images):
    import tensorflow as tf

    serving = loaded.signatures["serving_default"]
    (name,) = serving.structured_input_signature[1]
    return serving(**{name: tf.constant(images)})


def test_a_savedmodel_that_writes_a_file_when_served_is_refused(tmp_path, monkeypatch):
    import tensorflow as tf

    folder = shutil.copytree(HOSTILE / "writes_a_file_when_served", tmp_path / "hostile")
    monkeypatch.chdir(tmp_path)
    images = np.zeros((1, 28, 28), dtype="float32")
    # The attack is real: loaded as TensorFlow loads it, serving it writes a file.
    serve(tf.saved_model.load(str(folder)), images)
    assert (tmp_path / WRITTEN).is_file()
    (tmp_path / WRITTEN).unlink()
    with pytest.raises(SavedModelRefused, match="WriteFile"):
        load_saved_model(folder)
    assert not (tmp_path / WRITTEN).exists()


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """A plain model's export (``model.export``), as lesson 09's reference writes it."""
    import keras

    model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(4, activation="relu"),
                              keras.layers.Dense(10), keras.layers.Softmax()])
    folder = tmp_path_factory.mktemp("export") / "model"
    model.export(str(folder), verbose=False)
    return model, folder


def test_a_plain_models_export_loads_and_serves_its_outputs(exported):
    model, folder = exported
    images = np.random.default_rng(0).random((3, 28, 28), dtype="float32")
    (served,) = serve(load_saved_model(folder), images).values()
    assert np.allclose(np.asarray(served), np.asarray(model(images)), atol=1e-5)


def edited(folder, edit):
    from tensorflow.core.protobuf import saved_model_pb2

    proto = saved_model_pb2.SavedModel()
    proto.ParseFromString((folder / "saved_model.pb").read_bytes())
    edit(proto.meta_graphs[0])
    return proto.SerializeToString()


def serving_function(meta):
    return next(f for f in meta.graph_def.library.function if any(n.op == "MatMul" for n in f.node_def))


def reads_a_file(meta):
    node = serving_function(meta).node_def.add(name="steal", op="ReadFile")
    node.input.append("some_path")


def calls_the_save_function(meta):
    saver = next(f for f in meta.graph_def.library.function if any(n.op == "SaveV2" for n in f.node_def))
    node = serving_function(meta).node_def.add(name="save_elsewhere", op="StatefulPartitionedCall")
    node.attr["f"].func.name = saver.signature.name


def runs_python(meta):
    serving_function(meta).node_def.add(name="python", op="EagerPyFunc")


def has_a_resource(meta):
    meta.object_graph_def.nodes.add().resource.device = ""


def has_a_registered_class(meta):
    meta.object_graph_def.nodes[0].registered_name = "my_package.Revived"


def is_tensorflow_1(meta):
    meta.ClearField("object_graph_def")


@pytest.mark.parametrize(("edit", "said"), [
    (reads_a_file, "ReadFile"), (calls_the_save_function, "traced_save"), (runs_python, "EagerPyFunc"),
    (has_a_resource, "resource"), (has_a_registered_class, "my_package.Revived"), (is_tensorflow_1, "TensorFlow 1"),
])
def test_a_savedmodel_that_could_do_more_than_serve_is_refused(exported, edit, said):
    check_saved_model_proto((exported[1] / "saved_model.pb").read_bytes())  # the export itself passes
    with pytest.raises(SavedModelRefused, match=said):
        check_saved_model_proto(edited(exported[1], edit))


def test_a_savedmodel_with_files_an_export_doesnt_write_is_refused(exported, tmp_path):
    folder = shutil.copytree(exported[1], tmp_path / "model")
    (folder / "assets" / "secrets.txt").parent.mkdir(exist_ok=True)
    (folder / "assets" / "secrets.txt").write_text("x", encoding="utf-8")
    with pytest.raises(SavedModelRefused, match="assets/secrets.txt"):
        load_saved_model(folder)


def test_an_h5_model_with_a_lambda_layer_is_refused_before_keras_reads_it(tmp_path):
    path = shutil.copyfile(HOSTILE / "lambda_layer.h5", tmp_path / "model.h5")
    with pytest.raises(ModelFileRefused, match="Lambda"):
        load_model_file(path)


def test_a_keras_model_with_a_lambda_layer_is_refused(tmp_path):
    path = shutil.copyfile(HOSTILE / "lambda_layer.keras", tmp_path / "model.keras")
    with pytest.raises(ValueError, match="Lambda"):
        load_model_file(path)


def test_a_link_where_the_model_file_should_be_is_refused(tmp_path):
    (tmp_path / "model.h5").symlink_to(HOSTILE / "lambda_layer.h5")
    with pytest.raises(ModelFileRefused, match="plain file"):
        load_model_file(tmp_path / "model.h5")
