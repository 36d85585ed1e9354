"""Lesson 07 · turn logits into probabilities — graded suite (10 points).

The model here is the tutorial's (built by the reference lesson 03); its
logits are compared with your probability model's output, computed again
here with numpy.  Each mistake fails one test: the output, the shared
weights, the last layer, and the model you passed in are judged apart.
"""

import keras
import numpy as np
import pytest

from kata.i18n import _

N_IMAGES = 16


@pytest.fixture
def model(reference):
    """The tutorial's model: it outputs logits."""
    return reference(3).build_model()


@pytest.fixture
def images(reference, fashion_mnist):
    """The first 16 test images, normalized."""
    _, (test_images, _) = fashion_mnist
    return reference(2).normalize(test_images[:N_IMAGES])


def wrap(impl, model):
    """Your probability_model(model), checked to be a Keras model, with its errors in words."""
    try:
        prob_model = impl.probability_model(model)
    except NotImplementedError:
        raise
    except Exception as error:
        raise AssertionError(_(
            "probability_model(model) stopped with {kind}: {error}. It should "
            "only wrap the model: keras.Sequential([model, keras.layers.Softmax()])."
        ).format(kind=type(error).__name__, error=error)) from None
    assert isinstance(prob_model, keras.Model), _(
        "probability_model() should return a Keras model (lesson 08 calls its .predict); it "
        "returned {type}. Return keras.Sequential([model, <a softmax layer>])."
    ).format(type=type(prob_model).__name__)
    return prob_model


def outputs(model, images):
    return np.asarray(model(images), dtype="float64")


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


@pytest.mark.points(4)
def test_outputs_the_softmax_of_the_logits(impl, model, images):
    logits = outputs(model, images)  # before the call: a changed model is judged elsewhere
    probabilities = outputs(wrap(impl, model), images)
    assert probabilities.shape == (N_IMAGES, 10), _(
        "For {count} images the probability model should give shape ({count}, 10); "
        "it gave {shape}."
    ).format(count=N_IMAGES, shape=probabilities.shape)
    assert (probabilities >= 0).all(), _(
        "Probabilities can't be negative; the smallest value is {smallest:.3f}. "
        "Put a softmax after the model."
    ).format(smallest=probabilities.min())
    sums = probabilities.sum(axis=1)
    assert np.allclose(sums, 1.0, atol=1e-4), _(
        "Each image's ten probabilities should sum to 1; your rows sum to "
        "{sums} and so on."
    ).format(sums=np.round(sums[:4], 3).tolist()) + axis_hint(probabilities) + " " + _(
        "Use keras.layers.Softmax(), not sigmoid or another activation."
    )
    expected = numpy_softmax(logits)
    assert np.allclose(probabilities, expected, atol=1e-5), _(
        "The probabilities should be the softmax of the model's own logits, nothing else on "
        "top. For the first image that is {expected}; yours gave "
        "{yours}. Wrap the model as it is, followed by "
        "keras.layers.Softmax() (a new Dense layer would add new, untrained weights)."
    ).format(expected=np.round(expected[0], 3).tolist(), yours=np.round(probabilities[0], 3).tolist())


@pytest.mark.points(2)
def test_uses_the_models_own_weights(impl, model, images, reference):
    last_dense = model.layers[-1]
    second = reference(3).build_model()
    prob_model, second_prob_model = wrap(impl, model), wrap(impl, second)
    assert second_prob_model is not prob_model, _(
        "Called for a second model, probability_model() returned the same wrapper as for the "
        "first: it should wrap the model it is given, every call. Don't keep the wrapper in a "
        "variable outside the function."
    )
    shared = {id(variable) for variable in prob_model.weights}
    missing = [v.path for v in model.weights if id(v) not in shared]
    assert not missing, _(
        "The probability model should use the very weights of the model you pass in: wrap that "
        "model, don't build a new one or copy it (a copy starts from new random weights), and "
        "don't reuse a wrapper made earlier for another model (the second model you wrap gets "
        "its own). These weights of the model are not in the probability model: {missing}."
    ).format(missing=missing)
    # Change the model's own weights (its logits become three times as big): the wrapper must follow.
    before = outputs(prob_model, images)
    last_dense.kernel.assign(last_dense.kernel.numpy() * 3.0)
    last_dense.bias.assign(last_dense.bias.numpy() * 3.0)
    after = outputs(prob_model, images)
    assert not np.allclose(after, before, atol=1e-3), _(
        "After the model's weights changed, the probability model still gave the same answers: "
        "it should wrap that model and use its weights, not a copy."
    )
    # A second model in the same process gets its own wrapper, with that model's weights.
    shared = {id(variable) for variable in second_prob_model.weights}
    assert all(id(v) in shared for v in second.weights), _(
        "Called for a second model, probability_model() gave a model without that second "
        "model's weights: it should wrap the model it is given, every call. Don't keep the "
        "wrapper (or the model) in a variable outside the function."
    )


@pytest.mark.points(1)
def test_last_layer_is_a_softmax_over_the_classes(impl, model):
    last = wrap(impl, model).layers[-1]
    # Three rows of ten scores: the columns can't sum to 1 when the rows do.
    scores = np.zeros((3, 10), dtype="float32")
    scores[:2, :3] = [1.0, 2.0, 3.0]
    try:
        got = np.asarray(last(scores), dtype="float64")
    except Exception as error:
        raise AssertionError(_(
            "The last layer should be a softmax over the ten classes; your last layer, "
            "{layer}, can't even take rows of ten scores ({kind}). "
            "End the new model with keras.layers.Softmax()."
        ).format(layer=type(last).__name__, kind=type(error).__name__)) from None
    expected = numpy_softmax(scores.astype("float64"))
    assert got.shape == expected.shape and np.allclose(got, expected, atol=1e-5), _(
        "The last layer should be a softmax over the ten classes; your last layer, "
        "{layer}, turns the scores [1, 2, 3, 0, ...] into "
        "{got} instead of {expected}."
    ).format(layer=type(last).__name__, got=np.round(got[0], 3).tolist(),
             expected=np.round(expected[0], 3).tolist()) + axis_hint(got)


@pytest.mark.points(1)
def test_model_still_outputs_logits(impl, model, images):
    logits_before = outputs(model, images)
    layers_before = len(model.layers)
    prob_model = wrap(impl, model)
    assert prob_model is not model and len(model.layers) == layers_before, _(
        "probability_model() changed the model you gave it (model.add(...) adds a layer to it). "
        "The model should still output logits: build a new Sequential around it instead."
    )
    logits_after = outputs(model, images)
    assert np.allclose(logits_after, logits_before, atol=1e-5), _(
        "After probability_model(model), the model should still output the same logits as "
        "before; they changed (a softmax activation put on its last layer, for example). "
        "Wrap the model without changing it."
    )


@pytest.mark.points(2)
def test_model_still_trains_as_it_did(impl, model, images, reference, fashion_mnist):
    """The caller's model is left as it was: trainable, compiled the same, and it still learns."""
    (_train_images, _train_labels), (_test_images, test_labels) = fashion_mnist
    reference(4).compile_model(model)
    frozen_before = [layer.name for layer in model.layers if not layer.trainable]
    optimizer, loss = model.optimizer, model.loss
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
