"""Lesson 06 · evaluate accuracy — graded suite (10 points).

Your evaluate() is compared with a loss and an accuracy computed here
independently, with numpy, from the model's own scores (its logits).
"""

import numpy as np
import pytest

N_TRAIN = 1000
N_TEST = 600
TOLERANCE = 1e-3  # less than one image in 600 (1/600 ≈ 0.0017)

_trained_weights = {}  # seed → weights of a briefly trained model, shared by the tests of this file


def fresh_model(reference):
    """The tutorial's model, built and compiled by the reference lessons 03 and 04."""
    return reference(4).compile_model(reference(3).build_model())


@pytest.fixture
def trained_model(reference, fashion_mnist, kata_seed):
    """A tutorial model trained briefly (1,000 images, 2 epochs) by the reference lesson 05."""
    if kata_seed not in _trained_weights:
        (train_images, train_labels), _ = fashion_mnist
        model = fresh_model(reference)
        images = reference(2).normalize(train_images[:N_TRAIN])
        reference(5).train(model, images, train_labels[:N_TRAIN].copy(), epochs=2)
        _trained_weights[kata_seed] = model.get_weights()
    model = fresh_model(reference)
    model.set_weights(_trained_weights[kata_seed])
    return model


@pytest.fixture
def evaluation_data(reference, fashion_mnist):
    """The first 600 test images (normalized) and their labels."""
    _, (test_images, test_labels) = fashion_mnist
    return reference(2).normalize(test_images[:N_TEST]), test_labels[:N_TEST].copy()


def numpy_loss_and_accuracy(model, images, labels):
    """The mean cross-entropy and the accuracy, from the logits, with numpy only."""
    logits = np.asarray(model(images), dtype="float64")
    biggest = logits.max(axis=1, keepdims=True)
    log_sum_exp = biggest[:, 0] + np.log(np.exp(logits - biggest).sum(axis=1))
    own_logit = logits[np.arange(len(labels)), labels]
    loss = float(np.mean(log_sum_exp - own_logit))  # -log(softmax probability of the true class)
    accuracy = float(np.mean(np.argmax(logits, axis=1) == labels))
    return loss, accuracy


def two_numbers(result):
    """``(loss, accuracy)`` from evaluate()'s result, or a clear failure."""
    assert isinstance(result, (tuple, list, np.ndarray)) and len(result) == 2, (
        f"evaluate() should return two numbers, (test_loss, test_accuracy); it returned {result!r}."
    )
    return float(result[0]), float(result[1])


@pytest.mark.points(1)
def test_returns_a_tuple_of_two(impl, trained_model, evaluation_data):
    result = impl.evaluate(trained_model, *evaluation_data)
    assert isinstance(result, tuple) and len(result) == 2, (
        "evaluate() should return a tuple of two values, (test_loss, test_accuracy); it returned "
        f"a {type(result).__name__}: {result!r}. model.evaluate gives a list: unpack it "
        "(test_loss, test_acc = model.evaluate(...)) and return test_loss, test_acc."
    )


@pytest.mark.points(2)
def test_values_are_python_floats(impl, trained_model, evaluation_data):
    result = impl.evaluate(trained_model, *evaluation_data)
    two_numbers(result)
    kinds = [type(value).__name__ for value in result]
    assert all(type(value) is float for value in result), (
        f"Both values should be plain Python floats; yours are {kinds}. Turn a numpy number "
        "or a one-number array into a Python float with float(...), without rounding it."
    )


@pytest.mark.points(2)
def test_loss_comes_first_then_accuracy(impl, reference, evaluation_data):
    # An untrained model: its loss is about ln(10) ≈ 2.3, and an accuracy is never above 1.
    untrained = fresh_model(reference)
    first, second = two_numbers(impl.evaluate(untrained, *evaluation_data))
    assert first > 1.0, (
        "evaluate() should give the loss first, then the accuracy: (test_loss, test_accuracy). "
        f"For an untrained model the loss is about 2.3, but your first value is {first:.3f} "
        f"(and your second {second:.3f}). Check the order."
    )


@pytest.mark.points(2)
def test_accuracy_is_the_share_classified_right(impl, trained_model, evaluation_data):
    images, labels = evaluation_data
    _, expected = numpy_loss_and_accuracy(trained_model, images, labels)
    _, accuracy = two_numbers(impl.evaluate(trained_model, images, labels))
    hint = ""
    if accuracy > 1:
        hint = " An accuracy is a fraction between 0 and 1, not a percentage."
    assert abs(accuracy - expected) <= TOLERANCE, (
        f"The accuracy should be the share of the {len(labels)} images whose highest score is "
        f"their own label: {expected:.4f} for this model; yours gave {accuracy:.4f}.{hint} "
        "Use the accuracy model.evaluate reports."
    )


@pytest.mark.points(2)
def test_loss_is_the_mean_cross_entropy(impl, trained_model, evaluation_data):
    images, labels = evaluation_data
    expected, _ = numpy_loss_and_accuracy(trained_model, images, labels)
    loss, _ = two_numbers(impl.evaluate(trained_model, images, labels))
    assert abs(loss - expected) <= TOLERANCE, (
        f"The loss should be the model's cross-entropy averaged over the {len(labels)} images: "
        f"{expected:.4f} for this model; yours gave {loss:.4f}. Use the loss model.evaluate reports."
    )


@pytest.mark.points(1)
def test_uses_every_image(impl, trained_model, evaluation_data):
    images, labels = evaluation_data
    # Put the images the model gets right first: a part of the data now scores differently.
    right = np.argmax(np.asarray(trained_model(images)), axis=1) == labels
    order = np.argsort(~right, kind="stable")
    images, labels = images[order], labels[order]
    expected = float(np.mean(right))  # the share of right answers doesn't depend on the order
    _, accuracy = two_numbers(impl.evaluate(trained_model, images, labels))
    assert abs(accuracy - expected) <= TOLERANCE, (
        f"evaluate() should use every image it is given: on these {len(labels)} images the "
        f"accuracy is {expected:.4f}, yours gave {accuracy:.4f}. Pass all the images and labels "
        "to model.evaluate."
    )
