"""Lesson 03 · build the model — graded suite (10 points).

The model is judged by what it does, not by how it is spelled: ``Dense(128)`` followed by
``Activation("relu")`` or ``ReLU()`` is the same model as ``Dense(128, activation="relu")``,
``Reshape((784,))`` does what ``Flatten()`` does, and the functional API works as well as
``keras.Sequential``.
"""

import numpy as np
import pytest

from kata.i18n import _


def fail(message):
    """Fail the test with this message alone (an AssertionError: the score shows the sentence,
    not a traceback through the student's code)."""
    raise AssertionError(message) from None


TUTORIAL = ["Flatten", "Dense(128)", "relu", "Dense(10)"]  # the tutorial's stack, as steps


def behaves_like(activation):
    """What an activation does to -2, 0 and 3: 'relu', 'linear', 'softmax' or its name."""
    out = np.asarray(activation(np.array([[-2.0, 0.0, 3.0]], dtype="float32")))[0]
    if np.allclose(out, [0.0, 0.0, 3.0]):
        return "relu"
    if np.allclose(out, [-2.0, 0.0, 3.0]):
        return "linear"
    if np.allclose(out.sum(), 1.0) and np.all(out > 0):
        return "softmax"
    return getattr(activation, "__name__", str(activation))


def steps(model):
    """The model's layers as the steps they compute, e.g. ['Flatten', 'Dense(128)', 'relu', 'Dense(10)'].

    A Dense layer's activation becomes a step of its own, so that Dense(128, activation="relu")
    and Dense(128) + Activation("relu") (or ReLU()) read the same; Reshape to one row is a Flatten.
    """
    import keras

    found = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.InputLayer):
            continue
        if isinstance(layer, keras.layers.Dense):
            found.append(f"Dense({layer.units})")
            kind = behaves_like(layer.activation)
            if kind != "linear":
                found.append(kind)
        elif isinstance(layer, keras.layers.Reshape) and len(layer.target_shape) == 1:
            found.append("Flatten")
        elif isinstance(layer, keras.layers.ReLU):
            found.append("relu")
        elif isinstance(layer, keras.layers.Softmax):
            found.append("softmax")
        elif isinstance(layer, keras.layers.Activation):
            kind = behaves_like(layer.activation)
            if kind != "linear":  # Activation("linear") is the identity: nothing computed
                found.append(kind)
        else:
            found.append(type(layer).__name__)
    return found


def split_output(found):
    """(the steps up to the last Dense layer, the activations after it)."""
    dense = [i for i, step in enumerate(found) if step.startswith("Dense(")]
    if not dense:
        return found, []
    return found[: dense[-1] + 1], found[dense[-1] + 1:]


def structure_problem(found):
    """What is wrong with the layers up to the output layer, in a beginner's words, or None.

    What comes after the last Dense layer (a softmax, a relu) is judged by the logits test.
    """
    body, _after = split_output(found)
    if body == TUTORIAL:
        return None
    if "Dropout" in body:
        return _(
            "Your model has a Dropout layer ({body}). It comes from TensorFlow's beginner "
            "quickstart; the tutorial this kata follows has none: leave it out."
        ).format(body=body)
    scaling = [step for step in body if step in ("Rescaling", "Normalization")]
    if scaling:
        return _(
            "Your model changes the scale of its input itself, with a {layer} layer ({body}). "
            "Lesson 02 already scales the pixels to 0–1 (divided by 255), and the tutorial's model "
            "takes them as they are: leave the {layer} layer out."
        ).format(layer=scaling[0], body=body)
    if "Flatten" not in body:
        return _(
            "Your model has no Flatten layer ({body}): each 28×28 image must become one row of "
            "784 numbers before a Dense layer. Put keras.layers.Flatten() right after the Input."
        ).format(body=body)
    dense = [step for step in body if step.startswith("Dense(")]
    if len(dense) == 2 and dense[0] != "Dense(128)":
        return _("The hidden Dense layer should have 128 units; yours has {units} ({body}).").format(
            units=dense[0][6:-1], body=body
        )
    if len(dense) == 2 and dense[1] != "Dense(10)":
        return _("The last Dense layer should have 10 units, one per class; yours has {units} ({body}).").format(
            units=dense[1][6:-1], body=body
        )
    if body == ["Flatten", "Dense(128)", "Dense(10)"]:
        return _(
            "The hidden layer has no activation: Dense(128) alone is a linear layer. "
            "Give it activation='relu', as the tutorial does."
        )
    if len(body) == 4 and body[:2] == ["Flatten", "Dense(128)"] and body[3] == "Dense(10)":
        return _("The hidden layer should use activation='relu', it uses {activation}.").format(activation=body[2])
    return _(
        "The layers should be Flatten, Dense(128) with relu, Dense(10) (the Input is not a layer); "
        "yours compute {body}."
    ).format(body=body)


_built = {}


def build(impl):
    """impl.build_model(); when it raises or gives no model, the first test says why and the others
    are skipped. The global dtype policy is put back as it was (the model keeps its own)."""
    import keras

    policy = keras.mixed_precision.global_policy()
    try:
        model = impl.build_model()
    except NotImplementedError:
        raise
    except Exception as error:  # noqa: BLE001  (any error from the student's code is explained)
        if _built.get(impl.__name__) == "reported":
            pytest.skip(_("build_model() raised an error: see the first failure of this lesson"))
        _built[impl.__name__] = "reported"
        text = f"{type(error).__name__}: {error}".splitlines()[0]
        why = ""
        if "None" in text:
            why = " " + _(
                "A None in the input shape? The batch axis is not part of the shape: Keras adds it "
                "itself. Write keras.Input(shape=(28, 28))."
            )
        fail(_("build_model() stopped with an error before it returned a model: {error}.").format(error=text) + why)
    finally:
        keras.mixed_precision.set_global_policy(policy)
    if not isinstance(model, keras.Model):
        if _built.get(impl.__name__) == "reported":
            pytest.skip(_("build_model() returned no model: see the first failure of this lesson"))
        _built[impl.__name__] = "reported"
        why = ""
        if model is None:
            why = " " + _(
                "model.summary() only prints the table of layers and returns None (and so does a "
                "function without return): call summary() in a Python shell if you like, and end "
                "build_model() with return model."
            )
        fail(_(
            "build_model() should return a Keras model (the tutorial uses keras.Sequential), "
            "but it returned {type}."
        ).format(type=type(model).__name__) + why)
    return model


@pytest.mark.points(1)
def test_returns_a_keras_model(impl):
    _built.pop(impl.__name__, None)
    build(impl)  # says what came back instead of a Keras model


@pytest.mark.points(2)
def test_takes_28_by_28_images_and_gives_10_scores(impl):
    model = build(impl)
    shape = tuple(model.input_shape) if hasattr(model, "input_shape") else None
    assert shape is not None, _(
        "The model has no input shape: it doesn't start with keras.Input(shape=(28, 28)), so Keras "
        "learns the size of an image only when the model first sees one, and model.summary() "
        "can't count its parameters before that. Start the list with keras.Input(shape=(28, 28))."
    )
    why = {
        2: " " + _("The images are not flattened yet: that is the Flatten layer's job, after the Input."),
        4: " " + _("The images have no colour-channel axis."),
    }.get(len(shape) if shape else 0, "")
    assert shape == (None, 28, 28), _(
        "The model's input should be one 28×28 image, input shape (None, 28, 28) (None is the "
        "batch axis, which Keras adds itself); yours is {shape}. Start with keras.Input(shape=(28, 28))."
    ).format(shape=shape) + why
    images = np.random.default_rng(0).uniform(0.05, 0.95, (3, 28, 28)).astype("float32")
    out = np.asarray(model(images))
    scores = str(out.dtype)
    assert scores == "float32", _(
        "The model's scores come out as {dtype}, not float32: its layers compute in {dtype}. Did "
        "build_model() set a mixed-precision policy (keras.mixed_precision.set_global_policy)? "
        "That changes every layer made afterwards in the whole program, not only this model. "
        "Leave it out: the tutorial computes in float32."
    ).format(dtype=scores)
    if structure_problem(steps(model)) is None:  # else the layers test says what is wrong, once
        assert out.shape == (3, 10), _(
            "For 3 images of 28×28 the model should give 3 rows of 10 scores, shape (3, 10); "
            "it gave shape {shape}. Start with keras.Input(shape=(28, 28)) and end with Dense(10)."
        ).format(shape=out.shape)
    blank = np.asarray(model(np.zeros_like(images)))
    if np.allclose(out, blank):
        dtype = str(getattr(model.inputs[0], "dtype", "?")) if getattr(model, "inputs", None) else "?"
        if "int" in dtype:
            fail(_(
                "The model gives the same scores for normalized images (pixels between 0 and 1) as "
                "for black ones: its input has dtype {dtype}, which cuts every pixel down to a whole "
                "number, 0. Leave dtype out of keras.Input: the default, float32, keeps 0.5 as 0.5."
            ).format(dtype=dtype))
        fail(_(
            "The model gives the same scores whatever the image: it ignores its input. Are the "
            "weights all zero (kernel_initializer='zeros')? Keep Keras' default initializers."
        ))


@pytest.mark.points(2)
def test_layers_are_flatten_dense128_relu_dense10(impl):
    model = build(impl)
    problem = structure_problem(steps(model))
    assert problem is None, problem
    penalty = float(sum(np.sum(np.asarray(loss)) for loss in model.losses))
    assert not model.losses, _(
        "Your model adds a penalty of {penalty:.4f} to the loss: one of its layers has a "
        "kernel_regularizer, bias_regularizer or activity_regularizer. Training would then make the "
        "cross-entropy plus that penalty smaller, not the tutorial's loss alone. The tutorial's "
        "layers have no regularizer: leave it out."
    ).format(penalty=penalty)


@pytest.mark.points(2)
def test_output_is_logits_not_probabilities(impl):
    model = build(impl)
    _body, after = split_output(steps(model))
    assert not after, _(
        "The model's output goes through {after} after the last Dense layer. It should "
        "output logits, any real numbers: the loss (from_logits=True) turns them into probabilities, "
        "and lesson 07 adds the softmax. Write Dense(10) with no activation and nothing after it."
    ).format(after=" and ".join(after))
    shape = tuple(model.input_shape[1:]) if hasattr(model, "input_shape") else (28, 28)
    shape = (28, 28) if None in shape else shape  # a wrong input shape is judged above, once
    rows = np.asarray(model(np.random.default_rng(0).random((8, *shape), dtype="float32")))
    assert not np.allclose(rows.sum(axis=-1), 1.0, atol=1e-3), _(
        "Each row of scores sums to 1, so the model outputs probabilities (a softmax). "
        "It should output logits: leave the last layer without softmax; lesson 07 adds it."
    )


@pytest.mark.points(2)
def test_has_101770_parameters(impl):
    model = build(impl)
    if structure_problem(steps(model)) is not None:
        return  # a wrong layer changes the count too: the layers test says what is wrong, once
    if not model.built:
        return  # no keras.Input, so nothing to count yet: test_takes_28_by_28_images_... says so
    count = model.count_params()
    assert count == 784 * 128 + 128 + 128 * 10 + 10 == 101_770, _(
        "The tutorial's model has 101,770 parameters (784×128 + 128 + 128×10 + 10); yours has {count:,}. "
        "Keep the Dense layers' biases (no use_bias=False)."
    ).format(count=count)


@pytest.mark.points(1)
def test_each_call_builds_a_new_model(impl):
    first, second = build(impl), build(impl)
    assert first is not second, _(
        "build_model() returned the same model object twice. Build a new model on every call, "
        "so every training run starts from fresh weights."
    )
    shared = [layer.name for layer in first.layers for other in second.layers if layer is other]
    assert not shared, _(
        "Two models from build_model() share the layers {shared}, so they share their weights: "
        "training one changes the other. Make the layers inside build_model(), not once at the "
        "top of the file."
    ).format(shared=shared)
    # The randomly drawn weights only (not zero biases, nor weights a test above finds all zero).
    drawn = [(a, b) for a, b in zip(first.get_weights(), second.get_weights(), strict=False)
             if a.shape == b.shape and np.ptp(a) > 0]
    assert not drawn or not all(np.array_equal(a, b) for a, b in drawn), _(
        "build_model() gives the same starting weights on every call, so every training run starts "
        "from the same numbers. Did it set a random seed (keras.utils.set_random_seed)? That also "
        "resets the random numbers of the whole program each time a model is built. Leave the seed "
        "out of build_model(): every call should start from fresh random weights."
    )
