"""Lesson 03 · build the model — graded suite (10 points).

The model is judged by what it does, not by how it is spelled: ``Dense(128)`` followed by
``Activation("relu")`` or ``ReLU()`` is the same model as ``Dense(128, activation="relu")``,
``Reshape((784,))`` does what ``Flatten()`` does, and the functional API works as well as
``keras.Sequential``.
"""

import numpy as np
import pytest

from kata.i18n import _
from kata.suitekit import fail

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
_floatx = {}  # impl name -> the default float type build_model() left set (it is put back)
_clashed = {}  # impl name -> the error of a first call that clashed with layers kept from an earlier call


def call_build_model(impl):
    """impl.build_model(), called once more when Keras refuses a layer name already taken.

    Between tests Keras starts a new session, whose layer names start again at 'dense'; a layer
    made once, outside build_model() (a default argument, the top of the file), keeps its old
    name, so the next call's new layer takes it too and Keras refuses the model. The failed call
    used that name up, so a second call gets a model, and test_each_call_builds_a_new_model tells
    the shared layer (one mistake, one failing test). A model that clashes with itself fails again.
    """
    try:
        return impl.build_model()
    except NotImplementedError:
        raise
    except Exception as error:  # noqa: BLE001  (only a name clash is retried; the rest re-raised)
        text = str(error)
        if "unique" not in text or "name" not in text:
            raise
        model = impl.build_model()
        _clashed[impl.__name__] = text.splitlines()[0]
        return model


def build(impl):
    """impl.build_model(); when it raises or gives no model, the first test says why and the others
    are skipped. The global dtype policy and float type are put back as they were (the model keeps
    its own)."""
    import keras

    policy, floatx = keras.mixed_precision.global_policy(), keras.config.floatx()
    try:
        model = call_build_model(impl)
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
        if keras.config.floatx() != floatx:
            _floatx[impl.__name__] = keras.config.floatx()
        keras.config.set_floatx(floatx)
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
    _clashed.pop(impl.__name__, None)
    _floatx.pop(impl.__name__, None)
    build(impl)  # says what came back instead of a Keras model


def input_problem(model):
    """What is wrong with the model's input or the dtype of its scores, in a beginner's words, or None.

    The message of test_takes_28_by_28_images_and_gives_10_scores; the tests that judge what the
    model computes leave a model with such a problem to it (one mistake, one failing test).
    """
    shape = tuple(model.input_shape) if hasattr(model, "input_shape") else None
    if shape is None:
        return _(
            "The model has no input shape: it doesn't start with keras.Input(shape=(28, 28)), so Keras "
            "learns the size of an image only when the model first sees one, and model.summary() "
            "can't count its parameters before that. Start the list with keras.Input(shape=(28, 28))."
        )
    why = {
        2: " " + _("The images are not flattened yet: that is the Flatten layer's job, after the Input."),
        4: " " + _("The images have no colour-channel axis."),
    }.get(len(shape), "")
    if shape != (None, 28, 28):
        return _(
            "The model's input should be one 28×28 image, input shape (None, 28, 28) (None is the "
            "batch axis, which Keras adds itself); yours is {shape}. Start with keras.Input(shape=(28, 28))."
        ).format(shape=shape) + why
    images = np.random.default_rng(0).uniform(0.05, 0.95, (3, 28, 28)).astype("float32")
    out = np.asarray(model(images))
    scores = str(out.dtype)
    if scores != "float32":
        return _(
            "The model's scores come out as {dtype}, not float32: its layers compute in {dtype}. Did "
            "build_model() set a mixed-precision policy (keras.mixed_precision.set_global_policy) or "
            "a default float type (keras.config.set_floatx)? That changes every layer made afterwards "
            "in the whole program, not only this model. Leave it out: the tutorial computes in float32."
        ).format(dtype=scores)
    if structure_problem(steps(model)) is None and out.shape != (3, 10):  # else the layers test says it
        return _(
            "For 3 images of 28×28 the model should give 3 rows of 10 scores, shape (3, 10); "
            "it gave shape {shape}. Start with keras.Input(shape=(28, 28)) and end with Dense(10)."
        ).format(shape=out.shape)
    blank = np.asarray(model(np.zeros_like(images)))
    if np.allclose(out, blank):
        dtype = str(getattr(model.inputs[0], "dtype", "?")) if getattr(model, "inputs", None) else "?"
        if "int" in dtype:
            return _(
                "The model gives the same scores for normalized images (pixels between 0 and 1) as "
                "for black ones: its input has dtype {dtype}, which cuts every pixel down to a whole "
                "number, 0. Leave dtype out of keras.Input: the default, float32, keeps 0.5 as 0.5."
            ).format(dtype=dtype)
        return _(
            "The model gives the same scores whatever the image: it ignores its input. Are the "
            "weights all zero (kernel_initializer='zeros')? Keep Keras' default initializers."
        )
    return None


@pytest.mark.points(2)
def test_takes_28_by_28_images_and_gives_10_scores(impl):
    model = build(impl)
    changed = _floatx.get(impl.__name__)
    assert changed is None, _(
        "build_model() changed the default float type to {dtype} (keras.config.set_floatx or "
        "keras.backend.set_floatx). That changes every layer made afterwards in the whole program, "
        "not only this model. Leave it out: the tutorial computes in float32."
    ).format(dtype=changed)
    problem = input_problem(model)
    assert problem is None, problem


WEIGHT_SHAPES = [(784, 128), (128,), (128, 10), (10,)]  # the tutorial's weights, layer by layer


def suite_weights():
    """Weights of the suite's own drawing for both models: large enough that the hidden layer's
    inputs go well below 0 and well above 6, with negative entries and long kernel columns."""
    rng = np.random.default_rng(3)
    scales = [0.5, 2.0, 0.3, 1.0]
    return [rng.normal(0.0, scale, shape).astype("float32") for scale, shape in zip(scales, WEIGHT_SHAPES, strict=True)]


def suite_images(count=16):
    """Normalized images (pixels between 0 and 1, not rounded to any coarser step) and their labels."""
    rng = np.random.default_rng(4)
    return rng.random((count, 28, 28), dtype="float32"), rng.integers(0, 10, count)


def with_suite_weights(model):
    """Give ``model`` the suite's weights; False when its weights are not the tutorial's four arrays
    (the layers and parameter tests say what differs)."""
    if [tuple(weight.shape) for weight in model.weights] != WEIGHT_SHAPES:
        return False
    model.set_weights(suite_weights())
    return True


def tutorial_forward(weights, images):
    """The tutorial's model written out in NumPy, in float64: (the flattened images, the hidden
    layer's inputs, its outputs after relu, the logits)."""
    kernel, bias, out_kernel, out_bias = (np.asarray(weight, dtype="float64") for weight in weights)
    rows = np.asarray(images, dtype="float64").reshape(len(images), -1)  # Flatten
    hidden_in = rows @ kernel + bias  # Dense(128)
    hidden = np.maximum(hidden_in, 0.0)  # relu
    return rows, hidden_in, hidden, hidden @ out_kernel + out_bias  # Dense(10)


def tutorial_after_one_step(weights, images, labels, learning_rate):
    """The tutorial's weights after one step of plain SGD on the mean cross-entropy of its logits,
    worked out by hand (backpropagation through the two Dense layers)."""
    rows, hidden_in, hidden, logits = tutorial_forward(weights, images)
    scores = np.exp(logits - logits.max(axis=1, keepdims=True))
    d_logits = scores / scores.sum(axis=1, keepdims=True)  # softmax, minus one at each label
    d_logits[np.arange(len(labels)), labels] -= 1.0
    d_logits /= len(labels)  # the mean over the images
    out_kernel = np.asarray(weights[2], dtype="float64")
    d_hidden = (d_logits @ out_kernel.T) * (hidden_in > 0)
    gradients = [rows.T @ d_hidden, d_hidden.sum(axis=0), hidden.T @ d_logits, d_logits.sum(axis=0)]
    return [np.asarray(weight, dtype="float64") - learning_rate * gradient
            for weight, gradient in zip(weights, gradients, strict=True)]


def settings_of(model):
    """Each layer's settings that change what it computes or how it trains, as 'layer: setting' lines."""
    import keras

    found = []
    for layer in model.layers:
        config = layer.get_config()
        policy = getattr(getattr(layer, "dtype_policy", None), "name", "float32")
        if policy != "float32":
            found.append(("dtype", f"{layer.name}: dtype {policy}"))
        if isinstance(layer, keras.layers.InputLayer):
            continue
        if isinstance(layer, keras.layers.ReLU):
            changed = {key: config.get(key) for key, default in
                       (("max_value", None), ("negative_slope", 0.0), ("threshold", 0.0))
                       if config.get(key) not in (default, None if default is None else float(default))}
            if changed:
                found.append(("relu", f"{layer.name}: ReLU({', '.join(f'{k}={v}' for k, v in changed.items())})"))
        activation = getattr(layer, "activation", None)
        name = getattr(activation, "__name__", None)
        if name not in (None, "relu", "linear"):
            found.append(("activation", f"{layer.name}: activation {name}"))
        if not layer.trainable:
            found.append(("frozen", f"{layer.name}: trainable=False"))
        for key in ("kernel_constraint", "bias_constraint"):
            if config.get(key) is not None:
                found.append(("constraint", f"{layer.name}: {key}"))
    if not model.trainable and not any(kind == "frozen" for kind, _text in found):
        found.append(("frozen", "the model: trainable=False"))
    inputs = getattr(model, "inputs", None) or []
    if inputs and str(inputs[0].dtype) != "float32":
        found.append(("dtype", f"keras.Input: dtype {inputs[0].dtype}"))
    return found


def computes_problem(model):
    """None when the model computes what the tutorial's does given the same weights, on images
    that take the hidden layer's inputs well below 0 and above 6; else what differs, in a
    beginner's words, with the settings that likely cause it."""
    if not with_suite_weights(model):
        return None
    images, _labels = suite_images()
    want = tutorial_forward(suite_weights(), images)[-1]
    got = np.asarray(model(images), dtype="float64")
    gap = np.abs(got - want)
    if gap.max() <= 2e-5 * (1.0 + np.abs(want).max()):
        return None
    row, column = np.unravel_index(np.argmax(gap), gap.shape)
    causes = [text for kind, text in settings_of(model) if kind in ("dtype", "relu", "activation")]
    return _(
        "Your layers read Flatten, Dense(128), relu, Dense(10), but the model does not compute what "
        "the tutorial's does. Given both the same weights, for the same image the tutorial's model "
        "scores class {column} {want:.4f}, yours {got:.4f} (a gap of up to {gap:.4f}). Likely cause: "
        "{causes}. The hidden layer should be a plain ReLU (no max_value, negative_slope or "
        "threshold; not relu6 or a leaky ReLU), and every layer, the Input included, should compute "
        "in float32 (no dtype=, no mixed-precision policy)."
    ).format(column=column, want=want[row, column], got=got[row, column], gap=gap.max(),
             causes="; ".join(causes) or _("a layer that computes something else than the tutorial's"))


def penalty_problem(model):
    """The regularizers' penalty the model adds to the loss, told in a beginner's words, or None.

    The model is called first: an activity_regularizer adds its penalty only when the model runs.
    It gets the images in the shape it declares (a wrong input is the input test's to judge, once);
    a model that can't take 28×28 pixels in any shape is left to that test.
    """
    images, _labels = suite_images(4)
    declared = tuple(getattr(model, "input_shape", (None, 28, 28))[1:])
    if declared != images.shape[1:]:
        if not all(isinstance(size, int) for size in declared) or int(np.prod(declared)) != images[0].size:
            return None
        images = images.reshape((len(images), *declared))
    model(images)
    if not model.losses:
        return None
    penalty = float(sum(np.sum(np.asarray(loss)) for loss in model.losses))
    return _(
        "Your model adds a penalty to the loss ({penalty:.4g} for 4 images with the suite's weights): "
        "one of its layers has a kernel_regularizer, bias_regularizer or activity_regularizer. "
        "Training would then make the cross-entropy plus that penalty smaller, not the tutorial's "
        "loss alone. The tutorial's layers have no regularizer: leave it out."
    ).format(penalty=penalty)


def layers_problem(model):
    """The layers test's message, or None: the steps, then (when they read as the tutorial's, with a
    right input) what the model computes, then the regularizers' penalty."""
    found = steps(model)
    shape = tuple(model.input_shape) if hasattr(model, "input_shape") else None
    if shape is not None and len(shape) == 2 and "Flatten" not in found:
        # Images taken flat already (Input(shape=(784,))): the input test says that the Flatten
        # layer's job comes after the Input; the rest of the layers is judged here.
        found = ["Flatten", *found]
    problem = structure_problem(found)
    if problem is None and found == TUTORIAL and input_problem(model) is None:
        problem = computes_problem(model)
    if problem is None and getattr(model, "built", False):
        problem = penalty_problem(model)
    return problem


@pytest.mark.points(2)
def test_layers_are_flatten_dense128_relu_dense10(impl):
    problem = layers_problem(build(impl))
    assert problem is None, problem


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
    try:
        rows = np.asarray(model(np.random.default_rng(0).random((8, *shape), dtype="float32")))
    except Exception:
        if input_problem(model) is not None:
            return  # a model that can't take images for want of a right input: the input test says so
        raise
    assert not np.allclose(rows.sum(axis=-1), 1.0, atol=1e-3), _(
        "Each row of scores sums to 1, so the model outputs probabilities (a softmax). "
        "It should output logits: leave the last layer without softmax; lesson 07 adds it."
    )


def after_one_step(model, learning_rate):
    """The model's weights after one step of plain SGD on the suite's images, as fit takes it: the
    cross-entropy of the logits plus the model's own penalties, gradients for its trainable
    weights, and the optimizer's update (which applies any constraint).

    Written out with a GradientTape rather than compile() and train_on_batch(): the same step,
    without building a training function."""
    import keras
    import tensorflow as tf

    images, labels = suite_images()
    cross_entropy = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    with tf.GradientTape() as tape:
        loss = cross_entropy(labels, model(images, training=True))
        loss = loss + sum(model.losses)  # regularizers' penalties, as fit adds them
    variables = model.trainable_variables
    keras.optimizers.SGD(learning_rate=learning_rate).apply(tape.gradient(loss, variables), variables)
    return [np.asarray(weight, dtype="float64") for weight in model.get_weights()]


def training_problem(model):
    """None when one training step changes the model's weights as it changes the tutorial's (both
    from the suite's weights, on the same images); else what differs and the likely cause."""
    if not with_suite_weights(model):
        return None
    start = suite_weights()
    images, labels = suite_images()
    want = tutorial_after_one_step(start, images, labels, learning_rate=0.5)
    got = after_one_step(model, learning_rate=0.5)
    moved = max(float(np.abs(w - s).max()) for w, s in zip(want, start, strict=True))
    gaps = [float(np.abs(g - w).max()) for g, w in zip(got, want, strict=True)]
    if max(gaps) <= 1e-4 * moved:
        return None
    names = ["hidden kernel", "hidden biases", "output kernel", "output biases"]
    worst = int(np.argmax(gaps))
    yours = float(np.abs(got[worst] - start[worst]).max())
    causes = [text for kind, text in settings_of(model) if kind in ("frozen", "constraint")]
    return _(
        "Your model does not train as the tutorial's does. From the same weights, one step of "
        "training on the same images moves the tutorial's {weights} by up to {want:.4f}; yours by up "
        "to {got:.4f}, and they end up to {gap:.4f} apart. Likely cause: {causes}. All 101,770 "
        "parameters should be trainable and free: no trainable=False, no kernel_constraint or "
        "bias_constraint."
    ).format(weights=names[worst], want=float(np.abs(want[worst] - start[worst]).max()), got=yours,
             gap=gaps[worst], causes="; ".join(causes) or _("a setting of a layer that changes how it trains"))


@pytest.mark.points(2)
def test_has_101770_parameters(impl):
    model = build(impl)
    if layers_problem(model) is not None or split_output(steps(model))[1]:
        return  # a wrong layer changes the count or the training too: the layers test says what is wrong, once
    if not model.built or not model.weights or input_problem(model) is not None:
        return  # no input shape, so no weights yet: test_takes_28_by_28_images_... says so
    count = model.count_params()
    assert count == 784 * 128 + 128 + 128 * 10 + 10 == 101_770, _(
        "The tutorial's model has 101,770 parameters (784×128 + 128 + 128×10 + 10); yours has {count:,}. "
        "Keep the Dense layers' biases (no use_bias=False)."
    ).format(count=count)
    problem = training_problem(model)
    assert problem is None, problem


@pytest.mark.points(1)
def test_each_call_builds_a_new_model(impl):
    first, second = build(impl), build(impl)
    assert first is not second, _(
        "build_model() returned the same model object twice: is it made once (at the top of the "
        "file, as a default argument, or kept in a cache such as functools.cache) and handed out "
        "again? Build a new model on every call, so every training run starts from fresh weights."
    )
    shared = [layer.name for layer in first.layers for other in second.layers if layer is other]
    clash = _clashed.get(impl.__name__)
    assert not shared and not clash, _(
        "Two models from build_model() share the layers {shared}, so they share their weights: "
        "training one changes the other. Make the layers inside build_model(), not once at the "
        "top of the file or as a default argument (a default is made once, when Python reads the def)."
    ).format(shared=shared or "") + ("" if not clash else " " + _(
        "Keras even refused a model once, because a layer kept from an earlier model had a name a "
        "new layer took: {error}"
    ).format(error=clash))
    # The randomly drawn weights only (not zero biases, nor weights a test above finds all zero).
    drawn = [(a, b) for a, b in zip(first.get_weights(), second.get_weights(), strict=False)
             if a.shape == b.shape and np.ptp(a) > 0]
    assert not drawn or not all(np.array_equal(a, b) for a, b in drawn), _(
        "build_model() gives the same starting weights on every call, so every training run starts "
        "from the same numbers. Was a seed set in build_model() (keras.utils.set_random_seed, or "
        "seed= on an initializer), or were weights kept from an earlier model and set again? Leave "
        "the seed out and set no weights: every call should start from fresh random weights."
    )
