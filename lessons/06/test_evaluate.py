"""Lesson 06 · evaluate accuracy — graded suite (10 points).

Your evaluate() is compared with a loss and an accuracy computed here
independently, with numpy, from the model's own scores (its logits), worked
out after your function ran.  Each test judges one thing: the kind of result,
the order, the accuracy, the loss, the images used, the model and the data left
as they were.
The 600 images come with those the model gets right first, so that numbers
from part of them (the first 100, say) can't pass for the numbers of all of them.
A result in the wrong order is judged once, by the order test; the accuracy
and loss tests read it the right way round.
"""

import keras
import numpy as np
import pytest

from kata.i18n import _
from kata.lending import PROBE, Answers, Lender, as_it_is, changed_settings, still
from kata.refcache import reference_weights
from kata.suitekit import mean_of_means, part_of_the_images, per_image

N_TRAIN = 1000
N_TEST = 600
TOLERANCE = 1e-3  # less than one image in 600 (1/600 ≈ 0.0017)
# A right answer's loss and accuracy, in float32 and in any batch order, are within about 1e-7 of
# numpy's (relative); rounded to 3 decimals they are off by up to 5e-4.
PRECISION = 1e-5

FEW = 32  # images in each set the model gets wrong, or right surely: one batch of model.evaluate

_trained_weights = {}  # seed → the weights, then the optimizer state, of a briefly trained model (this file's tests)
# Keras prepares model.evaluate once per model, which takes longer than evaluating 600 images: the
# tests share a model (lent again unless a test changed it) and the answers of evaluate() calls
# that changed nothing (kata/lending.py).
lender = Lender()
answers = Answers()


def fresh_model(reference):
    """The tutorial's model, built and compiled by the reference lessons 03 and 04."""
    return reference(4).compile_model(reference(3).build_model())


@pytest.fixture
def trained_model(reference, fashion_mnist, kata_seed, first_images):
    """A tutorial model trained briefly (1,000 images, 2 epochs) by the reference lesson 05.

    It comes as lesson 05 leaves it: its weights and its optimizer's state (Adam's
    step count and averages).  The reference's training never depends on your
    code, so both are kept in .kata/cache/ and the next run loads them instead of
    training again.
    """
    if kata_seed not in _trained_weights:
        (train_images, train_labels), _ = fashion_mnist

        def train():
            keras.utils.set_random_seed(kata_seed)
            model = fresh_model(reference)
            images = reference(2).normalize(train_images[:N_TRAIN])
            reference(5).train(model, images, train_labels[:N_TRAIN].copy(), epochs=2)
            return model.get_weights() + [np.array(v.numpy()) for v in model.optimizer.variables]

        _trained_weights[kata_seed] = reference_weights(
            "06-trained",
            [reference(n) for n in (2, 3, 4, 5)],
            {"seed": kata_seed, "images": train_images[:N_TRAIN], "labels": train_labels[:N_TRAIN], "epochs": 2},
            train,
        )

    def make():
        model = fresh_model(reference)
        arrays = _trained_weights[kata_seed]  # the model's weights, then its optimizer's state
        count = len(model.weights)
        model.set_weights(arrays[:count])
        model.optimizer.build(model.trainable_variables)
        for variable, value in zip(model.optimizer.variables, arrays[count:], strict=True):
            variable.assign(value)
        return model

    return lender.lend(("trained", kata_seed), make, first_images[0])


@pytest.fixture
def untrained_model(reference, kata_seed, first_images):
    """A tutorial model as built: its loss is about ln(10) ≈ 2.3, its accuracy about 0.1."""
    return lender.lend(("untrained", kata_seed), lambda: fresh_model(reference), first_images[0])


@pytest.fixture
def first_images(reference, fashion_mnist):
    """The first 600 test images (normalized) and their labels, in the data set's order."""
    _, (test_images, test_labels) = fashion_mnist
    return reference(2).normalize(test_images[:N_TEST]), test_labels[:N_TEST].copy()


@pytest.fixture
def evaluation_data(trained_model, first_images):
    """The images your evaluate() gets: ``first_images``, those the trained model gets right first,
    each part from the lowest loss to the highest.

    In this order any first part of the images scores better than all of them,
    and every other image (or every third) from the first has a lower loss than
    all of them, from the second a higher one: so numbers from part of the
    images (the first 100, or images[::2], say) can't pass for the numbers of
    all of them.
    """
    images, labels = first_images
    right, cross_entropy = per_image(trained_model, images, labels)
    order = np.lexsort((cross_entropy, ~right))
    return images[order], labels[order]


@pytest.fixture(autouse=True, scope="module")
def _answers_of_one_run():
    """A run asks your evaluate() anew: no answer is kept from an earlier run (a notebook's last check)."""
    answers.clear()
    yield
    answers.clear()


def evaluated(impl, model, images, labels):
    """``impl.evaluate(model, images, labels)``, asked once per run of the same model and data.

    Each call of model.evaluate takes a tenth of a second whatever the number of
    images, so a call that left the model, its optimizer and the data exactly as
    they were is kept: a later test that asks the same of the same model reads
    its answer.  A call that changed any of them, or raised, is made again by
    every test that asks.
    """
    return answers.ask(lambda: asked(impl, model, images, labels), model, images, labels)


def asked(impl, model, images, labels):
    """``impl.evaluate(model, images, labels)``; a metric name Keras 3 doesn't give (Keras 2's habits) said plainly."""
    try:
        return impl.evaluate(model, images, labels)
    except KeyError as error:
        if str(error) not in {repr("loss"), repr("accuracy")}:  # str(), as kata grade's KeyError from your process says it
            raise AssertionError(_(
                "evaluate() raised KeyError: {key}. Keras 3 names the two values 'loss' and 'accuracy' "
                "(model.evaluate(..., return_dict=True) gives {{'accuracy': ..., 'loss': ...}}); there is "
                "no {key}. Take them by those names, or unpack the list: "
                "test_loss, test_acc = model.evaluate(...)."
            ).format(key=str(error))) from None
        names = list(model.metrics_names)
        if "compile_metrics" not in names or str(error) in {repr(name) for name in names}:
            raise
        raise AssertionError(_(
            "evaluate() raised KeyError: {key}. In Keras 3, model.metrics_names is {names}, not "
            "['loss', 'accuracy'] as in Keras 2, so a dict made from it has no such key. Unpack "
            "the list instead (test_loss, test_acc = model.evaluate(...)), or call "
            "model.evaluate(..., return_dict=True) and take the values by name."
        ).format(key=str(error), names=names)) from None


def numpy_loss_and_accuracy(model, images, labels):
    """The mean cross-entropy and the accuracy, from the logits, with numpy only."""
    right, cross_entropy = per_image(model, images, labels)
    return float(np.mean(cross_entropy)), float(np.mean(right))


def not_two_numbers(result):
    """The failure for a result that is not two numbers."""
    return AssertionError(_(
        "evaluate() should return two numbers, (test_loss, test_accuracy); it returned {result!r}."
    ).format(result=result))


def two_numbers(result):
    """``(first, second)`` from evaluate()'s result as floats, or a clear failure.

    The kind of result is judged by test_returns_a_tuple_of_two; here a list or a
    dict with 'loss' and 'accuracy' is read like the tuple it should have been.
    """
    if isinstance(result, dict) and "loss" in result:
        accuracy = [value for name, value in result.items() if "acc" in name]
        result = (result["loss"], *accuracy[:1])
    try:
        first, second = (float(np.asarray(value).reshape(-1)[0]) for value in result)
    except (TypeError, ValueError):
        raise not_two_numbers(result) from None
    return first, second


def swapped(first, second, loss, accuracy):
    """True if (first, second) looks like (accuracy, loss): the wrong order."""
    return np.isclose(first, accuracy, atol=0.01) and np.isclose(second, loss, rtol=0.01)


def loss_and_accuracy(result, expected_loss, expected_accuracy):
    """evaluate()'s result read as (loss, accuracy), turned round if it came in the wrong order."""
    first, second = two_numbers(result)
    if swapped(first, second, expected_loss, expected_accuracy):
        return second, first  # the order test says so; here the values are judged
    return first, second


def measured(impl, model, images, labels):
    """(your (loss, accuracy), the expected ones): expected those of the model as it was given.

    If your call changed the model (its weights, a layer) and gave the numbers of the model as
    it left it, those are expected here: the change is test_leaves_the_model_and_the_data_as_they_were's
    to judge, once.
    """
    expected = numpy_loss_and_accuracy(model, images, labels)
    result = evaluated(impl, model, images, labels)
    after = numpy_loss_and_accuracy(model, images, labels)
    values = loss_and_accuracy(result, *after)
    if after != expected and all(exact(v, e) for v, e in zip(values, after, strict=True)):
        return values, after
    return loss_and_accuracy(result, *expected), expected


def exact(value, expected):
    """True if value is expected as a right answer gives it (float32 arithmetic, any batch order)."""
    return abs(value - expected) <= PRECISION * max(1.0, abs(expected))


def rounded(value, expected):
    """True if value is expected rounded to 0-4 decimals, not expected itself (to 5 it is within PRECISION)."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return False
    if exact(value, expected):
        return False
    return any(value == round(expected, digits) for digits in range(5))


def wrong_and_sure(model, images, labels):
    """Two sets of as many images (at most ``FEW``): some the model gets wrong, some it gets right surely.

    The model's score for the label of a wrong image is at most one half, so
    there the accuracy is 0 and the loss above ln 2 ≈ 0.69; a sure image has a
    score above one half, so there the accuracy is 1 and the loss below ln 2.
    Returns their indexes in ``images``, in their order, or None if a set is empty.
    """
    right, cross_entropy = per_image(model, images, labels)
    wrong = np.flatnonzero(~right)
    sure = np.flatnonzero(cross_entropy < np.log(2))
    count = min(len(wrong), len(sure), FEW)
    if count == 0:
        return None
    surest = sure[np.argsort(cross_entropy[sure], kind="stable")][:count]
    return wrong[:count], np.sort(surest)


def ignores_its_images(impl, model, images, labels, result):
    """True if evaluate() gives the same numbers for other images with another accuracy."""
    right, _ = per_image(model, images, labels)
    others = np.flatnonzero(~right)[:FEW]  # only images the model gets wrong: accuracy 0
    if len(others) == 0 or right.mean() == 0:
        return False
    again = two_numbers(evaluated(impl, model, images[others], labels[others]))
    return np.allclose(two_numbers(result), again, rtol=0, atol=1e-9)


def divided_again(model, images, labels, loss, accuracy):
    """True if (loss, accuracy) are the model's on the images divided by 255 once more."""
    loss_then, accuracy_then = numpy_loss_and_accuracy(model, images / 255.0, labels)
    return abs(loss - loss_then) <= TOLERANCE and abs(accuracy - accuracy_then) <= TOLERANCE


def mean_of_means_hint(batches):
    """What to do about a mean of per-batch means, for ``batches`` = (batch size, images in the last batch)."""
    return " ".join([
        _("Those are the average of per-batch averages, with batches of {size} images: the last batch has "
          "only {last} images but counts as much as a full one.").format(size=batches[0], last=batches[1]),
        _("Weigh each batch by its number of images (or let model.evaluate average over all the images)."),
    ])


def divided_again_hint():
    """What to do about images divided by 255 a second time."""
    return _(
        "Those are the model's numbers on the images divided by 255 a second time: they come "
        "normalized already (lesson 02, pixels between 0 and 1), so pass them to model.evaluate as they are."
    )


def judged_by_the_images_test(impl, model, images, labels, loss, accuracy):
    """True if the values are right for other images than those given (judged by one test)."""
    right, cross_entropy = per_image(model, images, labels)
    if part_of_the_images(loss, accuracy, right, cross_entropy, TOLERANCE):
        return True
    return ignores_its_images(impl, model, images, labels, (loss, accuracy))


@pytest.mark.points(1)
def test_returns_a_tuple_of_two(impl, trained_model, evaluation_data):
    result = evaluated(impl, trained_model, *evaluation_data)
    assert isinstance(result, tuple) and len(result) == 2, _(
        "evaluate() should return a tuple of two values, (test_loss, test_accuracy); it returned "
        "a {type}: {result!r}. model.evaluate gives a list: unpack it "
        "(test_loss, test_acc = model.evaluate(...)) and return test_loss, test_acc."
    ).format(type=type(result).__name__, result=result)


@pytest.mark.points(1)
def test_values_are_python_floats(impl, trained_model, evaluation_data):
    result = evaluated(impl, trained_model, *evaluation_data)
    try:
        values = list(result.values()) if isinstance(result, dict) else list(result)
    except TypeError:
        raise not_two_numbers(result) from None
    kinds = [type(value).__name__ for value in values]
    expected = numpy_loss_and_accuracy(trained_model, *evaluation_data)
    if len(values) == 2 and all(rounded(v, e) for v, e in zip(values, expected, strict=True)):
        return  # round() made whole numbers: test_accuracy_is_the_share_classified_right says so
    assert all(type(value) is float for value in values), _(
        "Both values should be plain Python floats; yours are {kinds}. Turn a numpy number "
        "or a one-number array into a Python float with float(...), without rounding it."
    ).format(kinds=kinds)


@pytest.mark.points(2)
def test_loss_comes_first_then_accuracy(impl, trained_model, evaluation_data):
    images, labels = evaluation_data
    # All the images, then some the model gets wrong: there the accuracy is 0 and the loss
    # above ln 2 ≈ 0.69 (as an untrained model's, 2.3, is above its accuracy, 0.1); then as
    # many it gets right surely: there the accuracy is 1 and the loss below ln 2. An order
    # chosen by which number is larger is wrong on one side or the other.
    probes = [(images, labels)]
    pair = wrong_and_sure(trained_model, images, labels)
    if pair is not None:
        probes += [(images[indexes], labels[indexes]) for indexes in pair]
    in_order = 0  # images of an earlier probe that came in the right order
    for k, (some_images, their_labels) in enumerate(probes):
        try:
            result = evaluated(impl, trained_model, some_images, their_labels)
        except Exception:
            if k == 0:
                raise
            continue  # it fails with fewer images: test_uses_every_image_it_is_given judges that
        loss, accuracy = numpy_loss_and_accuracy(trained_model, some_images, their_labels)
        first, second = two_numbers(result)
        hint = ""
        if in_order:
            hint = " " + _(
                "For {count} other images it gave the loss first: the order must not depend on "
                "which of the two numbers is larger."
            ).format(count=in_order)
        assert not swapped(first, second, loss, accuracy), _(
            "evaluate() should give the loss first, then the accuracy: (test_loss, test_accuracy). "
            "Yours gives the accuracy first: ({first:.4f}, {second:.4f}), where the loss is "
            "{loss:.4f} and the accuracy {accuracy:.4f}. model.evaluate returns [loss, accuracy] "
            "in that order (a dict from return_dict=True lists 'accuracy' before 'loss', so take "
            "the values by name). Check the order."
        ).format(first=first, second=second, loss=loss, accuracy=accuracy) + hint
        if swapped(second, first, loss, accuracy) and not in_order:
            in_order = len(their_labels)


@pytest.mark.points(2)
def test_accuracy_is_the_share_classified_right(impl, trained_model, evaluation_data):
    images, labels = evaluation_data
    (loss, accuracy), (expected_loss, expected) = measured(impl, trained_model, images, labels)
    off = not exact(accuracy, expected)
    if off and judged_by_the_images_test(impl, trained_model, images, labels, loss, accuracy):
        return  # computed on other images: test_uses_every_image_it_is_given judges that
    if off and abs(accuracy - expected) <= TOLERANCE and rounded(accuracy, expected) and rounded(loss, expected_loss):
        return  # both rounded to a few decimals: one mistake, told by test_loss_is_the_mean_cross_entropy
    hint = " " + _("Use the accuracy model.evaluate reports.")
    if accuracy > 1:
        hint = " " + _("An accuracy is a fraction between 0 and 1, not a percentage.") + hint
    elif off and accuracy in (0.0, 1.0) and not rounded(loss, expected_loss):
        hint = " " + _(
            "An accuracy of exactly 1 (or 0) means every image is right (or every image wrong), and "
            "this model gets some right and some wrong: the accuracy is the share of all {count} "
            "images it gets right, not whether one image is right."
        ).format(count=len(labels)) + hint
    elif rounded(accuracy, expected):
        hint = " " + _(
            "It is rounded: return plain Python floats as model.evaluate gives them, with float(...), "
            "not round(...) (which also makes whole numbers ints)."
        ) + hint
    elif off and divided_again(trained_model, images, labels, loss, accuracy):
        hint = " " + divided_again_hint()
    elif off and (batches := mean_of_means(trained_model, images, labels, loss, accuracy, TOLERANCE / 10)):
        hint = " " + mean_of_means_hint(batches)
    assert not off, _(
        "The accuracy should be the share of the {count} images whose highest score is "
        "their own label: {expected:.6f} for this model; yours gave {accuracy:.6f}."
    ).format(count=len(labels), expected=expected, accuracy=accuracy) + hint


@pytest.mark.points(2)
def test_loss_is_the_mean_cross_entropy(impl, trained_model, evaluation_data):
    images, labels = evaluation_data
    compiled_loss = trained_model.loss
    (loss, accuracy), (expected, expected_accuracy) = measured(impl, trained_model, images, labels)
    if exact(loss, expected):
        return
    if judged_by_the_images_test(impl, trained_model, images, labels, loss, accuracy):
        return  # computed on other images: test_uses_every_image_it_is_given judges that
    if (rounded(loss, expected) and rounded(accuracy, expected_accuracy)
            and abs(accuracy - expected_accuracy) > TOLERANCE):
        return  # both rounded to 0-2 decimals: one mistake, told by test_accuracy_is_the_share_classified_right
    again = divided_again(trained_model, images, labels, loss, accuracy)
    if again and abs(accuracy - expected_accuracy) > TOLERANCE:
        return  # images divided again: one mistake, told by test_accuracy_is_the_share_classified_right
    batches = mean_of_means(trained_model, images, labels, loss, accuracy, TOLERANCE / 10)
    if batches and not exact(accuracy, expected_accuracy):
        return  # a mean of per-batch means: one mistake, told by test_accuracy_is_the_share_classified_right
    logits = np.asarray(trained_model(images))
    as_probabilities = keras.losses.SparseCategoricalCrossentropy(from_logits=False)
    hint = " " + _("Use the loss model.evaluate reports.")
    if trained_model.loss is not compiled_loss:
        hint = " " + _(
            "evaluate() compiled the model again, with another loss: don't compile in "
            "evaluate(); the model comes compiled (lesson 04), so just call model.evaluate."
        )
    elif again:
        hint = " " + divided_again_hint()
    elif np.isclose(loss, float(as_probabilities(labels, logits)), rtol=1e-3):
        hint = " " + _(
            "That is the cross-entropy of the outputs read as probabilities: the model gives "
            "logits, so a loss computed by hand needs from_logits=True (or use model.evaluate)."
        )
    elif batches:
        hint = " " + mean_of_means_hint(batches)
    elif rounded(loss, expected):
        hint = " " + _("It is rounded: don't round it, return it as model.evaluate gives it, with float(...).")
    elif np.isclose(loss, expected * len(labels), rtol=1e-3):
        hint = " " + _(
            "That is the total over the {count} images: the loss is their average "
            "(model.evaluate gives it)."
        ).format(count=len(labels))
    raise AssertionError(_(
        "The loss should be the model's cross-entropy averaged over the {count} images: "
        "{expected:.4f} for this model; yours gave {loss:.4f}."
    ).format(count=len(labels), expected=expected, loss=loss) + hint)


@pytest.mark.points(1)
def test_uses_every_image_it_is_given(impl, trained_model, evaluation_data, request):
    images, labels = evaluation_data  # right answers first: any first part scores differently from the whole
    # Your evaluate() gets copies here: a change it makes to its data is the last test's to judge.
    then = as_it_is(trained_model, images, labels)
    result = evaluated(impl, trained_model, images.copy(), labels.copy())
    expected_loss, expected = numpy_loss_and_accuracy(trained_model, images, labels)
    loss, accuracy = loss_and_accuracy(result, expected_loss, expected)
    right, cross_entropy = per_image(trained_model, images, labels)
    part = part_of_the_images(loss, accuracy, right, cross_entropy, TOLERANCE)
    assert not part, _(
        "evaluate() should use every image you were given: your numbers ({loss:.4f}, "
        "{accuracy:.4f}) are those of {part} of the {count} images, not all of them "
        "({expected_loss:.4f}, {expected:.4f}). Pass all the images and labels to model.evaluate."
    ).format(loss=loss, accuracy=accuracy, part=part, count=len(labels), expected_loss=expected_loss,
             expected=expected)
    pair = wrong_and_sure(trained_model, images, labels)
    wrong_result = None
    if pair is not None:
        wrong_result = evaluated(impl, trained_model, images[pair[0]], labels[pair[0]])
    if off_somewhere(trained_model, (loss, accuracy), (expected_loss, expected), pair, wrong_result, evaluation_data):
        # Something is off: is it an answer that changes from one call to the next?
        again = loss_and_accuracy(asked(impl, trained_model, images.copy(), labels.copy()), expected_loss, expected)
        if still(as_it_is(trained_model, images, labels), then):
            assert np.allclose(again, (loss, accuracy), rtol=0, atol=TOLERANCE), _(
                "evaluate() should give the same numbers each time it measures the same model on "
                "the same images: it gave ({loss:.4f}, {accuracy:.4f}), then ({loss_again:.4f}, "
                "{accuracy_again:.4f}), where they are ({expected_loss:.4f}, {expected:.4f}). "
                "Something carries over from one call to the next, such as a Keras metric made "
                "once, outside evaluate(), and never reset: it adds up every image it has seen. "
                "Make new metrics inside evaluate() (or call reset_state() first), or just call "
                "model.evaluate."
            ).format(loss=loss, accuracy=accuracy, loss_again=again[0], accuracy_again=again[1],
                     expected_loss=expected_loss, expected=expected)
    if ignores_its_images(impl, trained_model, images, labels, result):
        other_model = request.getfixturevalue("untrained_model")
        other = two_numbers(evaluated(impl, other_model, images, labels))
        assert not np.allclose(two_numbers(result), other, rtol=0, atol=1e-9), _(
            "evaluate() should measure the model and the images it is given, at every call: it gave "
            "the same numbers ({loss:.4f}, {accuracy:.4f}) for other images, where the accuracy is 0, "
            "and for another model. That is a result kept from an earlier call: call model.evaluate "
            "on the model, images and labels it receives each time, and return what it gives."
        ).format(loss=loss, accuracy=accuracy)
        other_expected = numpy_loss_and_accuracy(other_model, images, labels)
        assert not np.allclose(sorted(other), sorted(other_expected), rtol=0, atol=TOLERANCE), _(
            "evaluate() should measure the images it is given, at every call: for another model "
            "its first answer was right, but for this model it gave the same numbers "
            "({loss:.4f}, {accuracy:.4f}) for other images, where the accuracy is 0. That is a "
            "result kept from an earlier call for the same model (a cache per model, say): call "
            "model.evaluate on the images and labels it receives each time, and return what it gives."
        ).format(loss=loss, accuracy=accuracy)
        raise AssertionError(_(
            "evaluate() should measure the images you were given: it gives the same numbers "
            "({loss:.4f}, {accuracy:.4f}) for other images, where the accuracy is 0. Pass the "
            "images and labels it receives to model.evaluate, not a data set loaded elsewhere."
        ).format(loss=loss, accuracy=accuracy))
    if pair is None:
        return
    wrong, sure = pair
    sure_result = evaluated(impl, trained_model, images[sure], labels[sure])
    wrong_loss, _accuracy = numpy_loss_and_accuracy(trained_model, images[wrong], labels[wrong])
    sure_loss, _accuracy = numpy_loss_and_accuracy(trained_model, images[sure], labels[sure])
    first, second = two_numbers(sure_result)
    assert not np.allclose(two_numbers(wrong_result), (first, second), rtol=0, atol=1e-9), _(
        "evaluate() should measure the images it is given, at every call: it gave the same "
        "numbers ({first:.4f}, {second:.4f}) for {count} images the model gets wrong (loss "
        "{wrong_loss:.4f}, accuracy 0) and for {count} other images it gets right (loss "
        "{sure_loss:.4f}, accuracy 1). That is a result kept from an earlier call with as many "
        "images (a cache keyed by the number of images or by the model, say): call model.evaluate on the images "
        "and labels it receives each time, and return what it gives."
    ).format(first=first, second=second, count=len(wrong), wrong_loss=wrong_loss, sure_loss=sure_loss)


def off_somewhere(model, measured_values, expected_values, pair, wrong_result, evaluation_data):
    """True if evaluate()'s numbers are off, for all the images or for those the model gets wrong."""
    if not np.allclose(measured_values, expected_values, rtol=0, atol=TOLERANCE):
        return True
    if wrong_result is None:
        return False
    images, labels = evaluation_data
    wrong = pair[0]
    expected_loss, expected_accuracy = numpy_loss_and_accuracy(model, images[wrong], labels[wrong])
    values = loss_and_accuracy(wrong_result, expected_loss, expected_accuracy)
    return not np.allclose(values, (expected_loss, expected_accuracy), rtol=0, atol=TOLERANCE)


def told_by_the_loss_test(model, compiled_loss, result, images, labels):
    """True if evaluate() compiled the model with another loss and returned a wrong loss:
    test_loss_is_the_mean_cross_entropy tells that mistake."""
    if model.loss is compiled_loss:
        return False
    try:
        two_numbers(result)
    except AssertionError:
        return False
    expected_loss, expected_accuracy = numpy_loss_and_accuracy(model, images, labels)
    loss, _accuracy = loss_and_accuracy(result, expected_loss, expected_accuracy)
    return abs(loss - expected_loss) > TOLERANCE


@pytest.mark.points(1)
def test_leaves_the_model_and_the_data_as_they_were(impl, trained_model, evaluation_data):
    images, labels = evaluation_data
    images_before, labels_before = images.copy(), labels.copy()
    before = [weights.copy() for weights in trained_model.get_weights()]
    compiled_loss = trained_model.loss
    trainable_before = len(trained_model.trainable_weights)
    settings_before = trained_model.optimizer.get_config()
    steps_before = int(trained_model.optimizer.iterations)
    state_before = [np.array(variable.numpy()) for variable in trained_model.optimizer.variables]
    outputs_before = np.asarray(trained_model(images_before[:PROBE]))
    result = asked(impl, trained_model, images, labels)  # asked anew: a kept answer would hide a changed layer
    after = trained_model.get_weights()
    same = all(np.array_equal(b, a) for b, a in zip(before, after, strict=True))
    assert same, _(
        "evaluate() changed the model's weights: it trained the model (model.fit) on the test "
        "images. Measuring must not change the model; call only model.evaluate, so the test "
        "images stay images the model has never learned from."
    )
    trainable = len(trained_model.trainable_weights)
    assert trainable == trainable_before, _(
        "evaluate() froze the model: it came with {before} trainable weights and went back with "
        "{after}. Setting trainable = False (on the model or a layer) stops any later training "
        "from changing them. Measuring changes no weights, so there is nothing to freeze: don't "
        "set trainable in evaluate(), just call model.evaluate."
    ).format(before=trainable_before, after=trainable)
    steps = int(trained_model.optimizer.iterations)
    state = [np.array(variable.numpy()) for variable in trained_model.optimizer.variables]
    same_state = len(state) == len(state_before) and all(
        np.array_equal(b, a) for b, a in zip(state_before, state, strict=True)
    )
    told = told_by_the_loss_test(trained_model, compiled_loss, result, images, labels)
    if not told and steps == steps_before:  # the same optimizer (a new one, compiled again, has taken no step)
        changes = changed_settings(trained_model.optimizer.get_config(), settings_before)
        assert not changes, " ".join([
            _("evaluate() changed the settings of the model's optimizer: {changes}.").format(changes=changes),
            _("Training the model later goes on with them: with a learning rate of 0, for instance, it learns nothing."),
            _("Measuring never trains the model, so there is nothing to guard against: leave "
              "model.optimizer as it is in evaluate() and just call model.evaluate."),
        ])
    if not told:
        assert steps == steps_before and same_state, _(
            "evaluate() reset the model's optimizer: it came with {before} training steps behind it "
            "and Adam's averages, and went back with {after} steps. Calling model.compile does that: "
            "it gives the model a new optimizer, and the trained model loses its state. The model "
            "comes compiled (lesson 04): don't compile in evaluate(), just call model.evaluate."
        ).format(before=steps_before, after=steps)
    outputs = np.asarray(trained_model(images_before[:PROBE]))
    gap = float(np.max(np.abs(outputs - outputs_before))) if outputs.shape == outputs_before.shape else np.inf
    assert gap <= 1e-6, " ".join([
        _("evaluate() changed what the model computes: for the same {count} images it now gives other "
          "outputs (up to {gap:.4f} apart), with the same weights.").format(count=PROBE, gap=gap),
        _("Something in the model changed, such as a layer's activation (the last layer's set to softmax, say)."),
        _("Measuring must leave the model as it came: don't change its layers in evaluate(), just call model.evaluate."),
    ])
    changed_images = int(np.sum(np.any((images != images_before).reshape(len(images), -1), axis=1)))
    changed_labels = int(np.sum(labels != labels_before))
    assert not (changed_images or changed_labels), _(
        "evaluate() changed the data it was given: {images} of the {count} images and {labels} of "
        "their labels are not as they were. The code that calls evaluate() still needs them: don't "
        "write into them (images /= 255, images[:] = ..., labels[...] = ..., out=...); make a "
        "new array if you must change them (images = images[order]), or pass them to model.evaluate as they are."
    ).format(images=changed_images, count=len(labels), labels=changed_labels)
