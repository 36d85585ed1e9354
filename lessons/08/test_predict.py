"""Lesson 08 · make and plot predictions — graded suite, part one: predict and predict_one
(3 of the lesson's 10 points; test_plots.py has the plots).

The model is the tutorial's, untrained, with the Softmax of lesson 07 on top; the images are
random pixels in [0, 1] (the model needs the shape, not clothes, and the suite stays fast).
"""

import numpy as np
import pytest

from kata.i18n import N_, _, translate
from kata.suitekit import explain, some_images

N_IMAGES = 16

ONE_IMAGE_ADVICE = N_("A Keras model works on batches: add the batch axis first, "
                      "np.expand_dims(image, 0) has shape (1, 28, 28).")
KERAS_2_METHODS = ("predict_classes", "predict_proba")  # gone from Keras 3 models


def keras_2_advice(error):
    """What to write instead when `error` says a Keras 2 method is missing; None for any other error."""
    method = next((name for name in KERAS_2_METHODS if isinstance(error, AttributeError) and name in str(error)), None)
    if method is None:
        return None
    return _("model.{method}() was Keras 2's; Keras 3 models don't have it. Take the probabilities "
             "from model.predict(images) and the most likely class with np.argmax.").format(method=method)


def raise_again(error):
    raise error


def one_image_advice(error):
    return keras_2_advice(error) or translate(ONE_IMAGE_ADVICE)


def probability_model(reference):
    """The tutorial's model (lesson 03, untrained) with a Softmax on top (lesson 07)."""
    model = reference(7).probability_model(reference(3).build_model())
    model.run_eagerly = True  # predictions for a few images: quicker run as they are than traced into a graph
    return model


def scaled_images(count=N_IMAGES):
    """`count` images of 28×28 pixels in [0, 1], as lesson 02 makes them (random pixels: the
    model needs the shape, not clothes, and the suite stays fast without loading the data)."""
    return some_images(count, seed=8)[0]


# --- predict -----------------------------------------------------------------------------


@pytest.mark.points(1.5)
def test_predict_gives_a_row_of_probabilities_per_image(impl, reference):
    prob_model = probability_model(reference)
    images = scaled_images()
    # Worked out before the call: a predict() that divides the images (or changes the model) in
    # place would otherwise change what its answer is compared with.
    expected = np.asarray(prob_model(images))
    rescaled = np.asarray(prob_model(images / 255.0))
    try:
        predictions = impl.predict(prob_model, images)
    except AttributeError as error:
        if keras_2_advice(error) is None:
            raise
        explain(lambda error=error: raise_again(error), "predict(prob_model, images)", keras_2_advice)
    assert isinstance(predictions, np.ndarray), _(
        "predict() should return a NumPy array (prob_model.predict(images) gives one); "
        "it returned {type}."
    ).format(type=type(predictions).__name__)
    assert predictions.shape == (N_IMAGES, 10), (
        _("predict() should give one row of 10 probabilities per image, shape (N, 10): for "
          "{count} images ({count}, 10). It gave shape {shape} — the predicted classes? Return the "
          "probabilities, not their argmax.")
        if predictions.ndim == 1
        else _("predict() should give one row of 10 probabilities per image, shape (N, 10): for "
               "{count} images ({count}, 10). It gave shape {shape}.")
    ).format(count=N_IMAGES, shape=predictions.shape)
    assert np.issubdtype(predictions.dtype, np.floating), _(
        "The probabilities should be floats; they are {dtype}."
    ).format(dtype=predictions.dtype)
    sums = predictions.sum(axis=1)
    close = ""  # near the model's probabilities but not equal to them: rounded, or a smaller dtype
    if np.allclose(predictions, expected, atol=0.05):
        close = (
            _("They are {dtype} while the model's probabilities are {expected}: return them as "
              "the model gives them (a smaller dtype keeps fewer digits).")
            if predictions.dtype.itemsize < expected.dtype.itemsize
            else _("They are close to the model's probabilities but not equal to them: were they "
                   "rounded? Return prob_model.predict(images) as it is.")
        ).format(dtype=predictions.dtype, expected=expected.dtype)
    assert np.allclose(sums, 1.0, atol=1e-4), (
        _("Each row of probabilities should sum to 1; yours sum to {sums}...").format(
            sums=np.round(sums[np.argsort(-np.abs(sums - 1))[:4]], 4)) + " " + close
        if close
        else _(
            "Each row of probabilities should sum to 1; yours sum to {sums}... "
            "These look like logits: call the probability model (with Softmax), not the model inside it."
        ).format(sums=np.round(sums[:4], 3))
    )
    cause = (
        " " + _("It matches the model's output for images / 255: the images are already scaled to "
                "0–1 by lesson 02, don't divide them by 255 again.")
        if np.allclose(predictions, rescaled, atol=1e-5)
        else " " + close if close else ""
    )
    assert np.allclose(predictions, expected, atol=1e-5), _(
        "predict() should give the probability model's own output for these images, "
        "prob_model.predict(images); yours differs from it."
    ) + cause
    # Called again with other images (a smaller batch), predict() predicts those.
    again = impl.predict(prob_model, images[3:10])
    assert np.shape(again) == (7, 10) and np.allclose(again, expected[3:10], atol=1e-5), (
        _("predict() called again with {count} other images should give their {count} rows of "
          "probabilities; it gave the first call's answer again, shape {shape}. Predict the images "
          "it is given at each call: don't keep a result from an earlier call.")
        if np.shape(again) == predictions.shape and np.allclose(again, predictions)
        else _("predict() called again with {count} other images should give their {count} rows of "
               "probabilities, prob_model.predict(images) for those images; it gave a different answer, "
               "of shape {shape}.")
    ).format(count=7, shape=np.shape(again))
    # And with as many images as the first call, other ones (the same images, last first).
    others = impl.predict(prob_model, images[::-1].copy())
    assert np.shape(others) == expected.shape and np.allclose(others, expected[::-1], atol=1e-5), _(
        "predict() called again with {count} other images, as many as the first time, should give "
        "their rows of probabilities; it gave {what}. Predict the images it is given at each call: "
        "don't keep results by the number or shape of the images."
    ).format(count=N_IMAGES, what=_("the first call's answer again")
             if np.shape(others) == predictions.shape and np.allclose(others, predictions)
             else _("a different answer"))


# --- predict_one -------------------------------------------------------------------------


@pytest.mark.points(1.5)
def test_predict_one_gives_the_label_and_highest_probability(impl, reference):
    """One test for predict_one's answer: the values, then their types (one mistake, one failure)."""
    prob_model = probability_model(reference)
    images = scaled_images()
    rows = np.asarray(prob_model(images))
    # Two images (each call is a Keras predict): with the default seed their classes differ.
    for k in (1, 5):
        image = images[k].copy()  # the caller's image: predict_one() must leave it as it was
        result = explain(lambda image=image: impl.predict_one(prob_model, image),
                         "predict_one(image)", one_image_advice)
        assert image.shape == (28, 28) and np.array_equal(image, images[k]), _(
            "predict_one() changed the image it was given: it now has shape {shape}{values}. The "
            "caller still needs it as it was: make a new array with the batch axis, "
            "np.expand_dims(image, 0) (image.shape = ..., image.resize(...) or image[...] = ... "
            "change the caller's array)."
        ).format(shape=image.shape, values="" if image.size == images[k].size
                 and np.array_equal(image.reshape(-1), images[k].reshape(-1)) else _(" and other pixels"))
        assert isinstance(result, tuple) and len(result) == 2, _(
            "predict_one() should return a pair (label, confidence); it returned {result!r}."
        ).format(result=result)
        label, confidence = result
        assert np.ndim(label) == 0 and np.ndim(confidence) == 0, _(
            "The label should be one class number (a Python int) and the confidence one "
            "probability; predict_one() gave arrays of shapes {label_shape} and "
            "{confidence_shape}. The prediction has shape (1, 10): take its row [0] first."
        ).format(label_shape=np.shape(label), confidence_shape=np.shape(confidence))
        expected_label = int(np.argmax(rows[k]))
        assert np.array_equal(label, expected_label), _(
            "For test image {k} the most likely class is {expected} "
            "(the argmax of its row of probabilities); predict_one() gave label {label!r}."
        ).format(k=k, expected=expected_label, label=label)
        assert np.isclose(confidence, rows[k].max(), atol=1e-5), _(
            "For test image {k} the confidence should be the highest probability in its row, "
            "{expected:.4f} (between 0 and 1); predict_one() gave {confidence!r}."
        ).format(k=k, expected=rows[k].max(), confidence=confidence)
        assert isinstance(label, int) and not isinstance(label, bool), _(
            "The label should be a Python int, the class number 0–9 (int(np.argmax(...))); "
            "it is {type}: {label!r}."
        ).format(type=type(label).__name__, label=label)
        assert isinstance(confidence, float), _(
            "The confidence should be a Python float (float(np.max(...))); "
            "it is {type}: {confidence!r}."
        ).format(type=type(confidence).__name__, confidence=confidence)
