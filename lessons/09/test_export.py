"""Lesson 09 · save and load the model — graded suite, part two: export_for_serving, and every
function with a pathlib.Path (3 of the lesson's 10 points; test_save.py has the rest).

The Path test lives here because it exports too: an export takes longer than anything else in
the lesson, so both tests share one export with a str (the ``exports`` fixture of this module).
The Path goes to a folder whose name has a dot, so a path mistake fails that test alone.

The SavedModel is read as data, never trusting it to run code (``kata grade`` runs your
functions in another process): ``load_saved_model`` is ``tf.saved_model.load`` after checking that
it only holds what a Dense model needs (kata/remote/).
"""

from pathlib import Path, PurePath

import numpy as np
import pytest

from kata.i18n import _
from kata.remote.savedmodel import load_saved_model
from kata.suitekit import drawn_weights, explain, fail, files_in, outcome, some_images, type_name


def outputs(model, images):
    return np.asarray(model(images))


def as_given(result, given):
    """Whether export_for_serving returned its folder as it was given: the very same str for a str
    (not made absolute nor tidied up), a Path of the same folder for a Path."""
    if isinstance(given, PurePath):
        return isinstance(result, PurePath) and Path(result) == Path(given)
    return isinstance(result, str) and result == given


def small_model():
    """A model as small as one can be and still be judged: 28×28 images in, ten logits out, one
    Dense layer of random weights. The Path test judges what each function does with a path, and
    the export test whether the SavedModel serves the model's own outputs, not the model's size:
    the files they write and read are written and read quickly. It is built with the functional
    API (keras.Model(inputs, outputs)), the same layers as a Sequential: Keras exports it to a
    SavedModel a little quicker, one model call less to trace. A Dropout layer, as many models
    have, makes a model run as in training (random outputs) tell itself from the model's own."""
    import keras

    inputs = keras.Input(shape=(28, 28))
    dropped = keras.layers.Dropout(0.5)(keras.layers.Flatten()(inputs))
    return keras.Model(inputs, keras.layers.Dense(10)(dropped))


@pytest.fixture(scope="module")
def exports():
    """What export_for_serving did with a str folder, for each module under test in this run."""
    return []


def exported_with_a_str(impl, reference, exports, tmp_path_factory):
    """export_for_serving(model, '.../plain/serving/') with a str (ending in a slash, as folders are
    often written), in a folder not made yet: the model, the folder, the str given and ('ok', what
    it returned) or ('raised', the exception).

    An export takes longer than anything else here, and the export test and the Path test both
    need this one: the module under test exports once, for the first of them that asks.
    """
    for given, *done in exports:
        if given is impl:
            return done
    model = reference(4).compile_model(small_model())  # compiled, as a trained model is
    model.set_weights(drawn_weights(model, seed=90))
    directory = tmp_path_factory.mktemp("export") / "plain" / "serving"
    given = str(directory) + "/"
    try:
        done = "ok", impl.export_for_serving(model, given)
    except Exception as error:  # replayed to each test as it was raised (NotImplementedError too)
        done = "raised", error
    exports.append((impl, model, directory, given, done))
    return model, directory, given, done


def served_by(signature, name, images):
    """What the SavedModel's `signature` gives for `images` (its one output, as a NumPy array)."""
    import tensorflow as tf

    (served,) = signature(**{name: tf.constant(images)}).values()
    return np.asarray(served)


def read_saved_model(directory):
    """The SavedModel in `directory`, read as data; a function that changes variables as it serves
    (a model run as in training: Dropout's random state) is told as such."""
    try:
        return load_saved_model(directory)
    except Exception as error:
        said = str(error)
        if "AssignVariableOp" in said or "AssignAddVariableOp" in said:
            fail(_(
                "The exported SavedModel changes its own variables each time it serves: it runs the "
                "model as in training (its Dropout layer draws new random numbers on each call), so "
                "the same images get different outputs. Serve the model as it predicts, with "
                "model.export(directory), or model(images, training=False) in your own function."
            ))
        return explain(lambda refused=error: replay(("raised", refused)), f"tf.saved_model.load({directory.name!r})",
                       _("A SavedModel for TensorFlow Serving is written with model.export(directory) "
                         "(model.save only writes .keras and .h5 files in Keras 3)."))


def replay(done):
    """Return what the call returned, or raise what it raised."""
    state, value = done
    if state == "raised":
        raise value
    return value


@pytest.mark.points(1)
def test_every_function_takes_a_pathlib_path_in_any_folder(impl, reference, tmp_path, exports, tmp_path_factory):
    """A pathlib.Path, in a folder whose name has a dot, does what a str in a plain folder does.

    Only the difference is judged here: what each call does with a str is judged by the others.
    """
    model = small_model()  # the paths are judged here, not what the files hold
    plain, dotted = tmp_path / "plain", tmp_path / "run.1"
    plain.mkdir()
    dotted.mkdir()
    advice = _(
        "Every function here should take a str or a pathlib.Path (lesson 10 passes a Path), in "
        "any folder: str methods such as .endswith() or + don't work on a Path, and "
        "str(path).split('.') is fooled by the dot in a folder name such as 'run.1/'. Take the "
        "file name's ending with Path(path).suffix."
    )
    images, _labels = some_images(4, seed=6)
    expected = outputs(model, images)
    for name in ("fashion.keras", "fashion.h5", "my_model"):
        with_str = outcome(lambda name=name: impl.save_model(model, str(plain / name)))[0]
        with_path = outcome(lambda name=name: impl.save_model(model, dotted / name))
        assert (with_path[0], files_in(dotted)) == (with_str, files_in(plain)), (
            _("save_model(model, Path('run.1/{name}')) should do what save_model(model, "
              "'plain/{name}') does ({str_outcome}, writing {str_files}); it raised {kind} and wrote "
              "{path_files}. {advice}")
            if with_path[0] == "raised"
            else _("save_model(model, Path('run.1/{name}')) should do what save_model(model, "
                   "'plain/{name}') does ({str_outcome}, writing {str_files}); it returned and wrote "
                   "{path_files}. {advice}")
        ).format(name=name, str_outcome=with_str, str_files=files_in(plain), kind=with_path[1],
                 path_files=files_in(dotted), advice=advice)
    for name in ("fashion.keras", "fashion.h5"):
        model.save(dotted / f"ref-{name}")
        with_str = outcome(lambda name=name: impl.load_model(str(dotted / f"ref-{name}")))
        with_path = outcome(lambda name=name: impl.load_model(dotted / f"ref-{name}"))
        from_str = outputs(with_str[1], images) if with_str[0] == "ok" else None
        same = with_str[0] == with_path[0] and (
            with_str[0] == "raised"
            # A str that doesn't give the saved model back either is the load test's business.
            or not np.allclose(from_str, expected, atol=1e-6)
            or np.allclose(from_str, outputs(with_path[1], images), atol=1e-6)
        )
        assert same, _(
            "load_model(Path('run.1/ref-{name}')) should give the model that load_model with the "
            "same path as a str gives; with the str it {str_outcome}, with the Path it "
            "{path_outcome} {kind}. {advice}"
        ).format(name=name, str_outcome=with_str[0], path_outcome=with_path[0],
                 kind=with_path[1] if with_path[0] == "raised" else "", advice=advice)
    # The export with a str is the export test's own ('plain/serving', its parent not made yet);
    # the Path goes to 'run.1/serving', its parent not made yet either.
    exported, str_folder, given, done = exported_with_a_str(impl, reference, exports, tmp_path_factory)
    path_folder = tmp_path / "export" / "run.1" / "serving"
    with_str = outcome(lambda: replay(done))
    with_path = outcome(lambda: impl.export_for_serving(exported, path_folder))
    returned = [r is not None and Path(r) == folder for (_, r), folder in ((with_str, str_folder), (with_path, path_folder))]
    # A wrong return for the str as well is the export test's business: judged here only if the str's was right.
    assert (with_path[0], files_in(path_folder) if path_folder.is_dir() else []) == (
        with_str[0], files_in(str_folder) if str_folder.is_dir() else []
    ) and (returned[1] or not returned[0]), (
        _("export_for_serving(model, Path('run.1/serving')) should do what it does with the str "
          "'plain/serving' ({str_outcome}); with the Path it raised {kind}. {advice}")
        if with_path[0] == "raised"
        else _("export_for_serving(model, Path('run.1/serving')) should do what it does with the str "
               "'plain/serving' ({str_outcome}); with the Path it wrote something else or returned "
               "something else. {advice}")
    ).format(str_outcome=with_str[0], kind=with_path[1], advice=advice)
    # Given as it was given: a Path back for a Path (a str given is the export test's business).
    if with_path[0] == "ok" and returned[1] and as_given(with_str[1], given):
        assert as_given(with_path[1], path_folder), _(
            "export_for_serving(model, Path('run.1/serving')) should return the folder as it was "
            "given, a Path; it returned the {type} {result!r}. Return directory itself, not "
            "str(directory) or os.fspath(directory)."
        ).format(type=type_name(with_path[1]), result=with_path[1])


# --- export_for_serving ------------------------------------------------------------------


@pytest.mark.points(2)
def test_export_for_serving_writes_a_savedmodel_that_serves_the_same_outputs(impl, reference, exports,
                                                                            tmp_path_factory):
    import tensorflow as tf

    # A compiled model of one Dense layer (what is judged is that the SavedModel serves its outputs).
    model, directory, given, done = exported_with_a_str(impl, reference, exports, tmp_path_factory)
    untracked = done[0] == "raised" and "untracked" in str(done[1])
    result = explain(
        lambda: replay(done),
        "export_for_serving(model, directory)",
        _("TensorFlow can't save a function that uses something it doesn't track: most often the model "
          "run as in training (training=True), whose Dropout layer draws random numbers with a seed of "
          "its own. Serve the model as it predicts: model.export(directory), or "
          "model(images, training=False) in your own function.") if untracked else
        _("A SavedModel for TensorFlow Serving is written with model.export(directory) "
          "(model.save only writes .keras and .h5 files in Keras 3)."),
    )
    assert (directory / "saved_model.pb").is_file(), _(
        "After export_for_serving(model, directory) the folder {folder}/ should hold "
        "saved_model.pb (a TensorFlow SavedModel); it doesn't. Export into exactly that folder "
        "with model.export(directory)."
    ).format(folder=directory.name)
    assert result is not None and Path(result) == directory, _(
        "export_for_serving() should return the folder it exported to, {folder!r}; "
        "it returned {result!r}."
    ).format(folder=str(directory), result=result)
    assert isinstance(result, str), _(
        "export_for_serving(model, {folder!r}) should return the folder as it was given, a str; "
        "it returned the {type} {result!r}. Return directory itself, without turning it into "
        "a Path."
    ).format(folder=given, type=type_name(result), result=result)
    assert as_given(result, given), _(
        "export_for_serving(model, {folder!r}) should return the folder exactly as it was given, "
        "{folder!r}; it returned {result!r}, the same folder written another way (made absolute, "
        "or tidied up by Path or os.path), which the caller doesn't recognize as theirs. Return "
        "directory itself."
    ).format(folder=given, result=result)
    loaded = read_saved_model(directory)
    serving = loaded.signatures.get("serving_default")
    assert serving is not None, _(
        "The SavedModel has no 'serving_default' signature, so TensorFlow Serving can't call it. "
        "Export with model.export(directory)."
    )
    images, _labels = some_images(4, seed=5)
    (name,) = serving.structured_input_signature[1]
    call = _("the SavedModel's serving_default signature, called with 4 images of 28×28 pixels,")
    advice = _("It should take a batch of any number of images of 28×28 float32 pixels, as the "
               "model does: export with model.export(directory).")
    served = explain(lambda: served_by(serving, name, images), call, advice)
    logits = outputs(model, images)
    if not np.allclose(served, logits, atol=1e-5) and not np.allclose(
        served, explain(lambda: served_by(serving, name, images), call, advice), atol=1e-6
    ):
        fail(_(
            "The exported SavedModel should give the model's own outputs (its logits); it gives "
            "different outputs on each call for the same images: it runs the model as in training "
            "(its Dropout layer drops at random). Serve the model as it predicts, with "
            "model.export(directory), or model(images, training=False) in your own function."
        ))
    if not np.allclose(served, logits, atol=1e-5):
        probabilities = served.shape == logits.shape and bool(
            np.all(served >= 0) and np.allclose(served.sum(axis=-1), 1.0, atol=1e-4)
        )
        fail(_(
            "The exported SavedModel should give the model's own outputs, its 10 logits per image; "
            "it gives probabilities instead (each row is positive and sums to 1). Export the model "
            "itself, without a Softmax added: whoever calls the served model applies softmax."
        ) if probabilities else _(
            "The exported SavedModel should give the model's own outputs (its logits) for the same "
            "images; it gives different ones."
        ))
    serve = getattr(loaded, "serve", None)
    assert serve is not None, _(
        "The SavedModel has no serve function: reloaded.serve(test_images[:1]), as in the example "
        "of export_for_serving(), fails with AttributeError. model.export(directory) writes it "
        "(with serving_default); tf.saved_model.save(model, directory) doesn't."
    )
    by_serve = explain(lambda: np.asarray(serve(tf.constant(images))),
                       "reloaded.serve(images), with 4 images of 28×28 pixels,", advice)
    assert np.allclose(by_serve, logits, atol=1e-5), _(
        "The SavedModel's serve function should give the model's own outputs (its logits) for the "
        "same images; it gives different ones. Export with model.export(directory)."
    )
    frozen = [layer.name for layer in model.layers if not layer.trainable]
    assert model.trainable and not frozen, _(
        "export_for_serving() froze the model it was given (trainable is now False on {what}): "
        "training it again later would change nothing. Exporting changes nothing in the model: "
        "leave trainable alone."
    ).format(what=_("the model") if not model.trainable else ", ".join(frozen))
    # Trained further (new weights, as after more epochs), the model is exported to the same folder
    # again: the folder must serve it as it is now, not as it was exported the first time.
    weights = model.get_weights()
    model.set_weights(drawn_weights(model, seed=92))
    explain(lambda: impl.export_for_serving(model, given), "export_for_serving(model, directory)",
            _("Export again over what is in the folder: model.export(directory)."))
    serving = load_saved_model(directory).signatures["serving_default"]
    (served_again,) = serving(**{name: tf.constant(images)}).values()
    again = np.asarray(served_again)
    if not np.allclose(again, outputs(model, images), atol=1e-5):
        fail(_(
            "Exported again into the same folder after its weights changed, the model should be "
            "served as it is now; the folder still serves the model exported there before. "
            "Export on every call, even into a folder exported to before."
        ) if np.allclose(again, served, atol=1e-5) else _(
            "Exported again into the same folder after its weights changed, the model should be "
            "served as it is now; the folder serves different outputs."
        ))
    model.set_weights(weights)
