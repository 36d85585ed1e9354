"""Lesson 07 · turn logits into probabilities — graded suite (10 points).

The model here is the tutorial's (built by the reference lesson 03); its
logits are compared with your probability model's output, computed again
here with numpy.
"""

import numpy as np
import pytest

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


def outputs(model, images):
    return np.asarray(model(images), dtype="float64")


def numpy_softmax(logits):
    """exp of each score, divided by the sum over the row: each row sums to 1."""
    exps = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exps / exps.sum(axis=1, keepdims=True)


def axis_hint(probabilities):
    """A hint when the columns sum to 1 instead of the rows."""
    if np.allclose(probabilities.sum(axis=0), 1.0, atol=1e-4):
        return (
            " Your columns sum to 1 instead: the softmax runs over the batch axis (axis=0). "
            "It should run over the ten classes, the last axis — Softmax() does that by default."
        )
    return ""


@pytest.mark.points(2)
def test_rows_are_probabilities(impl, model, images):
    probabilities = outputs(impl.probability_model(model), images)
    assert probabilities.shape == (N_IMAGES, 10), (
        f"For {N_IMAGES} images the probability model should give shape ({N_IMAGES}, 10); "
        f"it gave {probabilities.shape}."
    )
    assert (probabilities >= 0).all(), (
        f"Probabilities can't be negative; the smallest value is {probabilities.min():.3f}. "
        "Put a softmax after the model."
    )
    sums = probabilities.sum(axis=1)
    assert np.allclose(sums, 1.0, atol=1e-4), (
        "Each image's ten probabilities should sum to 1; your rows sum to "
        f"{np.round(sums[:4], 3).tolist()} and so on.{axis_hint(probabilities)} "
        "Use keras.layers.Softmax(), not sigmoid or another activation."
    )


@pytest.mark.points(2)
def test_probabilities_are_the_softmax_of_the_logits(impl, model, images):
    probabilities = outputs(impl.probability_model(model), images)
    expected = numpy_softmax(outputs(model, images))
    same = probabilities.shape == expected.shape and np.allclose(probabilities, expected, atol=1e-5)
    assert same, (
        "The probabilities should be the softmax of the model's own logits. For the first image "
        f"that is {np.round(expected[0], 3).tolist()}; yours gave "
        f"{np.round(probabilities[0], 3).tolist()}.{axis_hint(probabilities)} Wrap that model "
        "as it is: keras.Sequential([model, keras.layers.Softmax()])."
    )


@pytest.mark.points(1)
def test_keeps_the_predicted_class(impl, model, images):
    probabilities = outputs(impl.probability_model(model), images)
    expected = np.argmax(outputs(model, images), axis=1)
    got = np.argmax(probabilities, axis=1)
    assert got.tolist() == expected.tolist(), (
        "The most probable class should be the class with the highest logit: softmax keeps the "
        f"order of the scores. The logits pick {expected.tolist()}; your probabilities pick "
        f"{got.tolist()}."
    )


@pytest.mark.points(2)
def test_shares_the_models_weights(impl, model, images):
    last_dense = model.layers[-1]
    prob_model = impl.probability_model(model)
    shared = {id(variable) for variable in prob_model.weights}
    missing = [v.path for v in model.weights if id(v) not in shared]
    assert not missing, (
        "The probability model should use the very weights of the model you pass in: wrap that "
        "model, don't build a new one or copy it (a copy starts from new random weights). "
        f"These weights of the model are not in the probability model: {missing}."
    )
    # Change the model's own weights (its logits become three times as big): the wrapper must follow.
    before = outputs(prob_model, images)
    last_dense.kernel.assign(last_dense.kernel.numpy() * 3.0)
    last_dense.bias.assign(last_dense.bias.numpy() * 3.0)
    after = outputs(prob_model, images)
    assert not np.allclose(after, before, atol=1e-3), (
        "After the model's weights changed, the probability model still gave the same answers: "
        "it should wrap that model and use its weights, not a copy."
    )


@pytest.mark.points(1)
def test_last_layer_is_a_softmax_over_the_classes(impl, model):
    last = impl.probability_model(model).layers[-1]
    # Three rows of ten scores: the columns can't sum to 1 when the rows do.
    scores = np.zeros((3, 10), dtype="float32")
    scores[:2, :3] = [1.0, 2.0, 3.0]
    got = np.asarray(last(scores), dtype="float64")
    expected = numpy_softmax(scores.astype("float64"))
    assert got.shape == expected.shape and np.allclose(got, expected, atol=1e-5), (
        f"The last layer should be a softmax over the ten classes; your last layer, "
        f"{type(last).__name__}, turns the scores [1, 2, 3, 0, ...] into "
        f"{np.round(got[0], 3).tolist()} instead of {np.round(expected[0], 3).tolist()}."
        f"{axis_hint(got)}"
    )


@pytest.mark.points(2)
def test_model_still_outputs_logits(impl, model, images):
    logits_before = outputs(model, images)
    layers_before = len(model.layers)
    prob_model = impl.probability_model(model)
    assert prob_model is not model and len(model.layers) == layers_before, (
        "probability_model() changed the model you gave it (model.add(...) adds a layer to it). "
        "The model should still output logits: build a new Sequential around it instead."
    )
    logits_after = outputs(model, images)
    assert np.allclose(logits_after, logits_before, atol=1e-5), (
        "After probability_model(model), the model should still output the same logits as "
        "before; they changed. Wrap the model without changing or training it."
    )
