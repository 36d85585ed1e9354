"""Lesson 07 · turn logits into probabilities — graded suite (10 points).

The model here is the tutorial's (built by the reference lesson 03); its
logits are compared with your probability model's output, computed again
here with numpy.  The output, the shared weights, the last layer, and the
model you passed in are judged apart, and a failure names what the data show
(the scores divided by their sum, a copy of the weights, a model changed in
place), never a cause the answer's behaviour does not show.
"""

import keras
import numpy as np
import pytest

from kata.i18n import _

N_IMAGES = 16


@pytest.fixture
def model(reference):
    """The tutorial's model, compiled as lesson 04 does (a trained model is): it outputs logits."""
    return reference(4).compile_model(reference(3).build_model())


@pytest.fixture
def images(reference, fashion_mnist):
    """The first 16 test images, normalized."""
    _, (test_images, _) = fashion_mnist
    return reference(2).normalize(test_images[:N_IMAGES])


def wrap(impl, model, stopped=None, policies=None):
    """Your probability_model(model), checked to be a Keras model, with its errors in words
    (``stopped(kind, error)`` words them, when given).  A global dtype policy it sets is put
    back afterwards; (the policy before, the policy it left) is added to ``policies``, when given (the outputs test
    judges it, through ``kata grade`` too: the policy crosses with the model)."""
    policy = keras.mixed_precision.global_policy()
    try:
        prob_model = impl.probability_model(model)
        if policies is not None:
            policies.append((policy.name, keras.mixed_precision.global_policy().name))
    except NotImplementedError:
        raise
    except Exception as error:
        if stopped is not None:
            raise AssertionError(stopped(type(error).__name__, first_line(error))) from None
        raise AssertionError(_(
            "probability_model(model) stopped with {kind}: {error}. It should "
            "only wrap the model: keras.Sequential([model, keras.layers.Softmax()])."
        ).format(kind=type(error).__name__, error=first_line(error))) from None
    finally:
        keras.mixed_precision.set_global_policy(policy)
    assert isinstance(prob_model, keras.Model), _(
        "probability_model() should return a Keras model (lesson 08 calls its .predict); it "
        "returned {type}. Return keras.Sequential([model, <a softmax layer>])."
    ).format(type=type(prob_model).__name__)
    return prob_model


def first_line(error):
    """The first line of an error's message, at most 300 characters (Keras may print whole arrays)."""
    lines = str(error).strip().splitlines() or [""]
    return lines[0][:300].rstrip(".")


def shape_hint(text):
    """A likely cause, in words, for an error message about shapes that don't fit; else ""."""
    if "Incompatible shapes" in text or "broadcast" in text:
        return " " + _(
            "A sum over each image's ten scores has one number per image, shape (N,), which can't "
            "divide the (N, 10) scores: keep its axis with keepdims=True, or use "
            "keras.layers.Softmax()."
        )
    if "(None, None," in text:
        return " " + _(
            "Your model expects one axis too many: model.input_shape includes the batch axis "
            "(None), but keras.Input(shape=...) takes the shape of one image: "
            "model.input_shape[1:]. Or leave the Input out: keras.Sequential([model, "
            "keras.layers.Softmax()])."
        )
    return ""


def outputs(model, images):
    """``model(images)`` as float64 numbers; an error it raises is told in words."""
    try:
        return np.asarray(model(images), dtype="float64")
    except Exception as error:  # noqa: BLE001  (any error of the student's model is told in words)
        text = first_line(error)
        raise AssertionError(_(
            "Your probability model stopped with {kind} when given {count} images of shape "
            "{shape}: {error}"
        ).format(kind=type(error).__name__, count=len(images), shape=tuple(images.shape[1:]),
                 error=text) + shape_hint(str(error))) from None


def not_float32(prob_model, model):
    """Names of ``prob_model`` and its layers (not ``model``'s own) that compute in another dtype than float32."""
    own = {id(layer) for layer in getattr(model, "layers", [])} | {id(model)}
    parts = [prob_model, *(layer for layer in prob_model.layers if id(layer) not in own)]
    return [(part.name, str(part.compute_dtype)) for part in parts
            if str(getattr(part, "compute_dtype", "float32")) != "float32"]


def numpy_softmax(logits):
    """exp of each score, divided by the sum over the row: each row sums to 1."""
    exps = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exps / exps.sum(axis=1, keepdims=True)


def axis_hint(probabilities):
    """A hint when the columns sum to 1 instead of the rows."""
    if np.allclose(probabilities.sum(axis=0), 1.0, atol=1e-4):
        return " " + _(
            "Your columns sum to 1 instead: the softmax runs over the batch axis (axis=0). "
            "It should run over the ten classes, the last axis — Softmax() does that by default."
        )
    return ""


def resembles(values, candidate):
    """Do most rows of ``values`` equal ``candidate``'s?  (Computed in float32 by Keras, so
    not to the last digit, and a row whose sum is near 0 may be far off when divided by it.)"""
    if values.shape != candidate.shape:
        return False
    with np.errstate(all="ignore"):
        rows = np.isclose(values, candidate, rtol=1e-3, atol=1e-4, equal_nan=True).all(axis=1)
    return rows.mean() >= 0.75


def what_it_computed(values, scores):
    """A sentence naming what ``values`` are, when the data show a known stand-in for a
    softmax of ``scores`` (the scores as they are, divided by their sum, a sigmoid); else ""."""
    with np.errstate(all="ignore"):
        known = [
            (scores, _("These are the scores themselves: nothing turned them into probabilities.")),
            (scores / scores.sum(axis=1, keepdims=True), _(
                "This is not softmax: the rows are the scores divided by their sum. Softmax takes "
                "the exp of each score first (never negative), then divides by the sum of those."
            )),
            (1 / (1 + np.exp(-scores)), _(
                "Each value is the sigmoid of its own score, taken alone, so a row doesn't sum to 1."
            )),
            (np.log(numpy_softmax(scores)), _(
                "These are the logarithms of the probabilities (a log_softmax), never above 0: the "
                "probabilities themselves are their exp."
            )),
            (numpy_softmax(numpy_softmax(scores)), _(
                "The softmax was taken twice: the probabilities went through a second softmax, which "
                "flattens every row towards 0.1 for each class. Take it once."
            )),
            (np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum(), _(
                "The exp of each score was divided by the sum over the whole batch, every image's "
                "scores together, instead of by its own image's sum: sum over the last axis "
                "(axis=-1, keepdims=True)."
            )),
        ]
    for candidate, sentence in known:
        if resembles(values, candidate):
            return " " + sentence + " " + _("Use keras.layers.Softmax() instead.")
    return ""


def not_the_models_weights(prob_model, model):
    """``model``'s weights (variables) that ``prob_model`` does not hold: it has a copy, or a new model."""
    held = {id(variable) for variable in prob_model.weights}
    return [v for v in model.weights if id(v) not in held]


def weights_of_its_own(prob_model, model):
    """``prob_model``'s weights (variables) that are not ``model``'s: a layer with weights after the model."""
    own = {id(variable) for variable in model.weights}
    return [v for v in prob_model.weights if id(v) not in own]


def why_not_the_softmax(probabilities, logits, prob_model, model):
    """The likely cause, from the data, of probabilities that are not the softmax of ``logits``."""
    named = axis_hint(probabilities) or what_it_computed(probabilities, logits)
    if named:
        return named
    if not_the_models_weights(prob_model, model):
        return " " + _(
            "Your probability model does not hold the model's own weights, so its scores are not "
            "the model's logits (the weights test says more). Wrap that model itself, followed "
            "by keras.layers.Softmax()."
        )
    extra = [v.path for v in weights_of_its_own(prob_model, model)]
    if extra:
        return " " + _(
            "Your probability model has weights of its own besides the model's ({extra}): they "
            "change the scores before the softmax. After the model, put only "
            "keras.layers.Softmax(), a layer without weights."
        ).format(extra=", ".join(extra))
    return " " + _("Wrap the model as it is, followed by keras.layers.Softmax(), and nothing else.")


def large_scores_stay_probabilities(prob_model, model, last_dense, images):
    """With ``last_dense``'s weights 200 times larger (scores in the hundreds) and a blank
    image among the others (its scores all 0), the output is still the softmax of the scores."""
    last_dense.kernel.assign(last_dense.kernel.numpy() * 200)
    batch = np.array(images[:4])
    batch[1] = 0.0
    scores = outputs(model, batch)
    probabilities = outputs(prob_model, batch)
    expected = numpy_softmax(scores)
    broken = ~np.isfinite(probabilities).all(axis=1)
    if not broken.any() and np.allclose(probabilities, expected, atol=1e-3):
        return
    if broken.any():
        seen = _("your probabilities hold nan or inf (not a number) for {n} of the {count} images.").format(
            n=int(broken.sum()), count=len(batch))
    else:
        row = int(np.abs(probabilities - expected).max(axis=1).argmax())
        seen = _("for image {row} they are {yours} instead of {expected}.").format(
            row=row, yours=np.round(probabilities[row], 3).tolist(), expected=np.round(expected[row], 3).tolist())
    raise AssertionError(_(
        "For large scores the probabilities should still be their softmax. With the last layer's "
        "weights 200 times larger, the model's scores reach {top:.0f} (and a blank image's are all "
        "0); {seen} exp() of a score above about 88 is too large for float32 (inf), and exp() of a "
        "score far below the largest is 0. Softmax subtracts each image's own largest score before "
        "exp (axis=-1, keepdims=True); keras.layers.Softmax() does that for you."
    ).format(top=float(np.abs(scores).max()), seen=seen))


@pytest.mark.points(4)
def test_outputs_the_softmax_of_the_logits(impl, model, images):
    logits = outputs(model, images)  # before the call: a changed model is judged elsewhere
    last_dense = model.layers[-1]
    policies = []
    prob_model = wrap(impl, model, policies=policies)
    [(before, after)] = policies
    assert after == before, _(
        "probability_model() set the global dtype policy of the whole program to {policy} (a "
        "mixed-precision policy, keras.mixed_precision.set_global_policy): every layer and model "
        "made afterwards computes in another number type, not only this wrapper. Leave it out: "
        "the wrapper only adds a softmax."
    ).format(policy=after)
    probabilities = outputs(prob_model, images)
    assert probabilities.shape == (N_IMAGES, 10), _(
        "For {count} images the probability model should give shape ({count}, 10); "
        "it gave {shape}."
    ).format(count=N_IMAGES, shape=probabilities.shape)
    other = not_float32(prob_model, model)
    assert not other, _(
        "Your probability model computes in {dtype}, not float32 like the model ({where}): its "
        "probabilities keep only about 3 digits. Did probability_model() set a mixed-precision "
        "policy (keras.mixed_precision.set_global_policy), which changes every layer and model "
        "made afterwards in the whole program, or give a layer dtype=\"float16\"? Leave both out."
    ).format(dtype=other[0][1], where=", ".join(f"{name}: {dtype}" for name, dtype in other))
    expected = numpy_softmax(logits)
    if np.allclose(probabilities, expected, atol=1e-5):
        # A copy is judged by the weights test, a model changed in place by the logits test.
        if not not_the_models_weights(prob_model, model) and np.allclose(outputs(model, images), logits, atol=1e-5):
            large_scores_stay_probabilities(prob_model, model, last_dense, images)
        return
    sums = probabilities.sum(axis=1)
    distributions = not (probabilities < 0).any() and np.allclose(sums, 1.0, atol=1e-4)
    if distributions and not_the_models_weights(prob_model, model) and not (
        axis_hint(probabilities) or what_it_computed(probabilities, logits)
    ):
        return  # a softmax of another model's scores (a new model, a copy): the weights test says so, once
    if (probabilities < 0).any():
        seen = _("Probabilities can't be negative; the smallest value is {smallest:.3f}.").format(
            smallest=probabilities.min())
    elif not np.allclose(sums, 1.0, atol=1e-4):
        seen = _(
            "Each image's ten probabilities should sum to 1; your rows sum to {sums} and so on."
        ).format(sums=np.round(sums[:4], 3).tolist())
    else:
        seen = _(
            "The probabilities should be the softmax of the model's own logits. For the first "
            "image that is {expected}; yours gave {yours}."
        ).format(expected=np.round(expected[0], 3).tolist(), yours=np.round(probabilities[0], 3).tolist())
    raise AssertionError(seen + why_not_the_softmax(probabilities, logits, prob_model, model))


def other_model(reference):
    """A second small model of another kind, compiled: images of 12×9 pixels, 5 classes, logits out."""
    return reference(4).compile_model(keras.Sequential([
        keras.Input(shape=(12, 9)),
        keras.layers.Flatten(),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(5),
    ]))


def wrap_other(impl, second):
    """probability_model(second) for the model of :func:`other_model`, its errors told as a
    wrapper that fits only the tutorial's image size or number of classes."""
    return wrap(impl, second, stopped=lambda kind, error: _(
        "Called for another model (images of 12×9 pixels, 5 classes), probability_model() "
        "stopped with {kind}: {error}. It should wrap whatever model it is given: don't write "
        "the image size (keras.Input(shape=(28, 28))) or the number of classes into it; "
        "keras.Sequential([model, keras.layers.Softmax()]) takes both from the model."
    ).format(kind=kind, error=error))


def follows_the_other_model(second_prob_model, second):
    """The wrapper of :func:`other_model` takes its images and gives 4 rows of 5 numbers (which
    numbers is judged on the tutorial's model, by the output test)."""
    images = np.random.default_rng(7).random((4, 12, 9), dtype="float32")
    logits = outputs(second, images)
    try:
        got = np.asarray(second_prob_model(images), dtype="float64")
    except Exception as error:  # noqa: BLE001  (a wrapper that fits only 28×28 images or 10 classes)
        got, kind, text = None, type(error).__name__, first_line(error)
    if got is not None and got.shape == logits.shape:
        return
    seen = (_("it stopped with {kind}: {error}").format(kind=kind, error=text) if got is None
            else _("it gave shape {shape}").format(shape=got.shape))
    raise AssertionError(_(
        "Called for another model (images of 12×9 pixels, 5 classes), the probability model "
        "should give 4 rows of 5 probabilities for 4 images; {seen}. It should wrap whatever model "
        "it is given: don't write the image size (keras.Input(shape=(28, 28))) or the number of "
        "classes (a Reshape((10,)), a 10) into it; keras.Sequential([model, "
        "keras.layers.Softmax()]) takes both from the model."
    ).format(seen=seen))


def follows_without_holding(prob_model, last_dense, images):
    """Does ``prob_model``'s output change when the model's last layer does (it calls the model
    without holding its weights)?  The layer's weights are put back as they were."""
    kernel, bias = last_dense.kernel.numpy(), last_dense.bias.numpy()
    try:
        before = outputs(prob_model, images)
        last_dense.kernel.assign(np.roll(kernel, 1, axis=1))
        last_dense.bias.assign(np.roll(bias, 1))
        return not np.allclose(outputs(prob_model, images), before, atol=1e-3)
    except AssertionError:  # the wrapper can't be called: the outputs test says so
        return False
    finally:
        last_dense.kernel.assign(kernel)
        last_dense.bias.assign(bias)


@pytest.mark.points(2)
def test_uses_the_models_own_weights(impl, model, images, reference):
    last_dense = model.layers[-1]
    prob_model = wrap(impl, model)
    missing = not_the_models_weights(prob_model, model)
    names = ", ".join(v.path for v in missing)
    copied = missing and all(
        any(tuple(v.shape) == tuple(w.shape) and np.array_equal(v.numpy(), w.numpy()) for v in prob_model.weights)
        for w in missing
    )
    assert not copied, _(
        "The probability model should use the very weights of the model you pass in; it holds "
        "copies of them instead, other variables with the same values ({missing}): a copy of "
        "the model, or a wrapper kept from an earlier call, for another model with the same "
        "weights. Such a wrapper doesn't follow the model: when the model's weights change (when "
        "it trains on, for example), the probability model keeps the old ones. Wrap the model "
        "you are given, every call: don't copy it or keep wrappers between calls."
    ).format(missing=names)
    second = other_model(reference)  # wrapped after the copy is judged: a copy may fit 28×28 only
    second_prob_model = wrap_other(impl, second)
    assert second_prob_model is not prob_model, _(
        "Called for a second model, probability_model() returned the same wrapper as for the "
        "first: it should wrap the model it is given, every call. Don't keep the wrapper in a "
        "variable outside the function."
    )
    assert not missing or not follows_without_holding(prob_model, last_dense, images), _(
        "The probability model should hold the very weights of the model you pass in; it computes "
        "with them (its output follows when they change) but doesn't hold them: {missing} are not "
        "among its weights. A Lambda layer or a function that calls the model hides the model from "
        "Keras, so saving or training the probability model leaves the model's weights out. Put "
        "the model itself in the wrapper: keras.Sequential([model, keras.layers.Softmax()])."
    ).format(missing=names)
    assert not missing, _(
        "The probability model should use the very weights of the model you pass in; these are "
        "not in it: {missing}. It computes with other weights, whose values are not the model's "
        "(a new model, or a copy made with new random weights): wrap that model itself, don't "
        "build a new one or copy it."
    ).format(missing=names)
    # Change the model's own weights: each class's score moves to the next class, so the
    # logits change order.  A wrapper's output follows, whatever it computes per class; a
    # copy's stays as it was.
    before = outputs(prob_model, images)
    last_dense.kernel.assign(np.roll(last_dense.kernel.numpy(), 1, axis=1))
    last_dense.bias.assign(np.roll(last_dense.bias.numpy(), 1))
    after = outputs(prob_model, images)
    assert not np.allclose(after, before, atol=1e-3), _(
        "After the model's weights changed (each class's score moved to the next class), the "
        "probability model still gave the same answers: its output doesn't come from that "
        "model. Pass the images through the model itself, then through the softmax."
    )
    # A second model in the same process gets its own wrapper, with that model's weights.
    shared = {id(variable) for variable in second_prob_model.weights}
    assert all(id(v) in shared for v in second.weights), _(
        "Called for a second model, probability_model() gave a model without that second "
        "model's weights: it should wrap the model it is given, every call. Don't keep the "
        "wrapper (or the model) in a variable outside the function."
    )
    if weights_of_its_own(prob_model, model) or after.shape != (N_IMAGES, 10):
        # A layer with weights of its own after the model (a Dense(10, activation='softmax')), or
        # an output of the wrong shape for the tutorial's model itself (an argmax): the outputs
        # test names it, and the other model's shape follows from it.
        return
    follows_the_other_model(second_prob_model, second)


def not_a_layer_after_the_model(last, prob_model, model):
    """Why ``last``, the last layer of ``prob_model``, is not a layer of its own after ``model``,
    in words; ``None`` when it is one."""
    if last is model:
        return _(
            "The last layer should be a softmax layer after the model; your last layer is the "
            "model you passed in, so no softmax layer comes after it. End the new model with "
            "keras.layers.Softmax()."
        )
    if prob_model is model:
        return _(
            "The last layer should be a softmax layer after the model; probability_model() "
            "returned the model you passed in, whose last layer, {layer}, is one of its own "
            "layers, not a softmax layer. Return a new model that ends with keras.layers.Softmax()."
        ).format(layer=type(last).__name__)
    if any(last is layer for layer in model.layers):
        return _(
            "The last layer should be a softmax layer after the model; your last layer is the "
            "model's own last layer, {layer}, not a softmax layer after it. End the new model "
            "with keras.layers.Softmax()."
        ).format(layer=type(last).__name__)
    try:
        size = int(last.input.shape[-1])
    except Exception:  # noqa: BLE001  (a layer that can't say what it takes: the outputs test judges it)
        return None
    if size != 10:
        return _(
            "The last layer should be a softmax over the ten classes: it takes each image's ten "
            "scores and gives ten probabilities. Your last layer, {layer}, can't take ten scores: "
            "it takes {size} numbers per image, so it is not a softmax over them. End the new "
            "model with keras.layers.Softmax()."
        ).format(layer=type(last).__name__, size=size)
    return None


def left_as_it_was(model, images, layers_before, logits_before):
    """Whether ``model`` still has its layers and gives its logits as before the call (the logits test's question)."""
    return len(model.layers) == layers_before and np.allclose(outputs(model, images), logits_before, atol=1e-5)


@pytest.mark.points(1)
def test_ends_with_a_layer_after_the_model(impl, model, images):
    """The tutorial's shape: a new model whose last layer comes after the model's own.  What
    that layer computes (a softmax, or something else) is the outputs test's to judge, once; a
    softmax put into the model given (its last layer's activation, a layer added to it) is the
    logits test's, once."""
    layers_before, logits_before = len(model.layers), outputs(model, images)
    prob_model = wrap(impl, model)
    if not left_as_it_was(model, images, layers_before, logits_before):
        return
    if not_the_models_weights(prob_model, model) and prob_model is not model:
        return  # a new model or a copy of it, whatever its last layer: the weights test says so, once
    told = not_a_layer_after_the_model(prob_model.layers[-1], prob_model, model)
    assert told is None, told


@pytest.mark.points(1)
def test_model_still_outputs_logits(impl, model, images):
    logits_before = outputs(model, images)
    layers_before = len(model.layers)
    wrap(impl, model)  # what it returns is judged elsewhere; here, only the model given
    if left_as_it_was(model, images, layers_before, logits_before):
        return
    logits_after = outputs(model, images)
    told = [_("probability_model() changed the model you gave it.")]
    if len(model.layers) != layers_before:
        told.append(_("It had {before} layers; it now has {after}.").format(
            before=layers_before, after=len(model.layers)))
    if resembles(logits_after, numpy_softmax(logits_before)):
        told.append(_("It now outputs probabilities (each image's ten numbers sum to 1) instead of its logits."))
    elif not np.allclose(logits_after, logits_before, atol=1e-5):
        told.append(_("Its outputs changed: for the first image they were {before}; they are now {after}.").format(
            before=np.round(logits_before[0], 3).tolist(), after=np.round(logits_after[0], 3).tolist()))
    told.append(_(
        "The model should stay as it was, outputting logits (lesson 09 saves it and trains it "
        "on): leave it alone and build a new Sequential around it instead."
    ))
    raise AssertionError(" ".join(told))


@pytest.mark.points(2)
def test_model_still_trains_as_it_did(impl, model, images, reference, fashion_mnist):
    """The caller's model is left as it was: trainable, compiled the same, and it still learns."""
    (_train_images, _train_labels), (_test_images, test_labels) = fashion_mnist
    reference(4).compile_model(model)
    # A second metric, so that compiling again with the tutorial's settings changes them.
    model.compile(optimizer=model.optimizer, loss=model.loss,
                  metrics=["accuracy", "sparse_top_k_categorical_accuracy"])
    frozen_before = [layer.name for layer in model.layers if not layer.trainable]
    optimizer, loss, settings = model.optimizer, model.loss, model._compile_config
    wrap(impl, model)
    frozen = [layer.name for layer in model.layers if not layer.trainable]
    assert model.trainable and frozen == frozen_before, _(
        "probability_model() froze the model you gave it (trainable is now False on "
        "{what}): training it again later, "
        "after loading it in lesson 09, would change nothing. Setting trainable on the wrapper "
        "sets it on the model inside too. Leave trainable alone: wrapping trains nothing anyway."
    ).format(what=_("the model") if not model.trainable else ", ".join(frozen))
    assert model.optimizer is optimizer and model.loss is loss, _(
        "probability_model() compiled the model you gave it again: its optimizer (with the steps "
        "it has counted) and its loss were replaced. Don't compile here; the wrapper is only "
        "for predictions, and the model keeps its loss on logits (from_logits=True)."
    )
    assert model._compile_config is settings, _(
        "probability_model() compiled the model you gave it again: the settings it was compiled "
        "with (its metrics here) were replaced, even if the optimizer and loss are the same "
        "objects. Don't compile here, not even to be safe: the model stays compiled as it was, and "
        "the wrapper is only for predictions."
    )
    weights_before = [w.numpy().copy() for w in model.trainable_weights]
    model.run_eagerly = True  # one step: quicker run as it is than traced into a graph
    model.fit(images, test_labels[:N_IMAGES], epochs=1, batch_size=N_IMAGES, verbose=0)
    moved = any(
        not np.allclose(w.numpy(), b) for w, b in zip(model.trainable_weights, weights_before, strict=True)
    )
    assert weights_before and moved, _(
        "After probability_model(model), training the model no longer changes its weights. "
        "Leave the model as it was: wrap it, don't freeze or change it."
    )
