"""Lesson 08 · make and plot predictions — graded suite (10 points)."""

import numpy as np
import pytest

from kata.data import CLASS_NAMES

N_IMAGES = 16


def probability_model(reference):
    """The tutorial's model (lesson 03, untrained) with a Softmax on top (lesson 07)."""
    return reference(7).probability_model(reference(3).build_model())


def scaled_images(count=N_IMAGES):
    """`count` images of 28×28 pixels in [0, 1], as lesson 02 makes them (random pixels: the
    model needs the shape, not clothes, and the suite stays fast without loading the data)."""
    return np.random.default_rng(8).random((count, 28, 28), dtype="float32")


def pixel_images(count=3):
    """`count` images of 28×28 pixels 0–255, like the test set's, for the plots."""
    return np.random.default_rng(28).integers(0, 256, size=(count, 28, 28), dtype="uint8")


def call_predict_one(impl, prob_model, image):
    """impl.predict_one(prob_model, image), with a beginner's message if Keras refuses the image."""
    try:
        return impl.predict_one(prob_model, image)
    except NotImplementedError:
        raise
    except Exception as error:
        raise AssertionError(
            f"predict_one(prob_model, image) failed on one image of shape {image.shape} with "
            f"{type(error).__name__}. A Keras model works on batches: add the batch axis first, "
            "np.expand_dims(image, 0) has shape (1, 28, 28)."
        ) from error


def probabilities(predicted, confidence):
    """A row of ten probabilities: `confidence` for class `predicted`, the rest shared equally."""
    row = np.full(10, (1.0 - confidence) / 9, dtype="float32")
    row[predicted] = confidence
    return row


def same_colour(a, b):
    from matplotlib.colors import to_rgb

    return np.allclose(to_rgb(a), to_rgb(b))


def colour_name(colour):
    from matplotlib.colors import to_hex

    for name in ("blue", "red"):
        if same_colour(colour, name):
            return name
    return to_hex(colour)


def fresh_axes():
    """A new figure with the left of two subplots current, as the tutorial draws."""
    import matplotlib.pyplot as plt

    plt.figure(figsize=(6, 3))
    plt.subplot(1, 2, 1)
    return plt.gca()


def bars_of(ax):
    from matplotlib.patches import Rectangle

    return [patch for patch in ax.patches if isinstance(patch, Rectangle)]


# --- predict -----------------------------------------------------------------------------


@pytest.mark.points(2)
def test_predict_gives_a_row_of_probabilities_per_image(impl, reference):
    prob_model = probability_model(reference)
    images = scaled_images()
    predictions = impl.predict(prob_model, images)
    assert isinstance(predictions, np.ndarray), (
        f"predict() should return a NumPy array (prob_model.predict(images) gives one); "
        f"it returned {type(predictions).__name__}."
    )
    assert predictions.shape == (N_IMAGES, 10), (
        f"For {N_IMAGES} images predict() should give {N_IMAGES} rows of 10 probabilities, "
        f"shape ({N_IMAGES}, 10); it gave shape {predictions.shape}."
    )
    assert np.issubdtype(predictions.dtype, np.floating), (
        f"The probabilities should be floats; they are {predictions.dtype}."
    )
    sums = predictions.sum(axis=1)
    assert np.allclose(sums, 1.0, atol=1e-4), (
        f"Each row of probabilities should sum to 1; yours sum to {np.round(sums[:4], 3)}... "
        "These look like logits: call the probability model (with Softmax), not the model inside it."
    )
    expected = np.asarray(prob_model(images))
    assert np.allclose(predictions, expected, atol=1e-5), (
        "predict() should give the probability model's own output for these images, "
        "prob_model.predict(images); yours differs from it."
    )


# --- predict_one -------------------------------------------------------------------------


@pytest.mark.points(1)
def test_predict_one_gives_the_label_and_highest_probability(impl, reference):
    prob_model = probability_model(reference)
    images = scaled_images()
    rows = np.asarray(prob_model(images))
    for k in (0, 1, 5):
        label, confidence = call_predict_one(impl, prob_model, images[k])
        expected_label = int(np.argmax(rows[k]))
        assert np.array_equal(label, expected_label), (
            f"For test image {k} the most likely class is {expected_label} "
            f"(the argmax of its row of probabilities); predict_one() gave label {label!r}."
        )
        assert np.isclose(confidence, rows[k].max(), atol=1e-5), (
            f"For test image {k} the confidence should be the highest probability in its row, "
            f"{rows[k].max():.4f} (between 0 and 1); predict_one() gave {confidence!r}."
        )


@pytest.mark.points(1)
def test_predict_one_returns_a_python_int_and_a_python_float(impl, reference):
    prob_model = probability_model(reference)
    image = scaled_images()[0]
    result = call_predict_one(impl, prob_model, image)
    assert isinstance(result, tuple) and len(result) == 2, (
        f"predict_one() should return a pair (label, confidence); it returned {result!r}."
    )
    label, confidence = result
    assert isinstance(label, int) and not isinstance(label, bool), (
        f"The label should be a Python int, the class number 0–9 (int(np.argmax(...))); "
        f"it is {type(label).__name__}: {label!r}."
    )
    assert 0 <= label <= 9, f"The label should be a class number from 0 to 9; it is {label}."
    assert isinstance(confidence, float), (
        f"The confidence should be a Python float (float(np.max(...))); "
        f"it is {type(confidence).__name__}: {confidence!r}."
    )
    assert 0.0 <= confidence <= 1.0, (
        f"The confidence is a probability, so it lies between 0 and 1; it is {confidence!r}."
    )


# --- plot_image --------------------------------------------------------------------------


@pytest.mark.points(1)
def test_plot_image_label_says_prediction_percent_and_truth(impl):
    images = pixel_images()
    true_labels = np.array([0, 3, 0])  # image 1 is a Dress (3) ...
    row = probabilities(predicted=7, confidence=0.87)  # ... predicted as a Sneaker (7), 87%
    ax = fresh_axes()
    impl.plot_image(1, row, true_labels, images)
    text = " ".join(ax.get_xlabel().split())
    expected = f"{CLASS_NAMES[7]} {100 * 0.87:2.0f}% ({CLASS_NAMES[3]})"
    assert text == expected, (
        f"The label under the image should read {expected!r}: the predicted class, its probability "
        f"in percent (100 × the highest probability), and the true class in brackets; "
        f"yours reads {text!r}."
    )


@pytest.mark.points(1)
def test_plot_image_label_is_blue_when_right_and_red_when_wrong(impl):
    images = pixel_images()
    row = probabilities(predicted=7, confidence=0.87)
    for true_labels, expected, case in (
        (np.array([0, 7, 0]), "blue", "right (predicted Sneaker, it is a Sneaker)"),
        (np.array([7, 3, 7]), "red", "wrong (predicted Sneaker, it is a Dress)"),
    ):
        ax = fresh_axes()
        impl.plot_image(1, row, true_labels, images)
        colour = ax.xaxis.label.get_color()
        assert same_colour(colour, expected), (
            f"When the prediction is {case} the label should be {expected}: blue when right, "
            f"red when wrong. Yours is {colour_name(colour)}."
        )


@pytest.mark.points(1)
def test_plot_image_shows_image_i_in_binary_without_ticks(impl):
    images = pixel_images()
    ax = fresh_axes()
    impl.plot_image(2, probabilities(5, 0.6), np.array([5, 5, 5]), images)
    shown = ax.get_images()
    assert len(shown) == 1, f"plot_image() should show one image with plt.imshow; it shows {len(shown)}."
    assert np.array_equal(np.asarray(shown[0].get_array()), images[2]), (
        "plot_image(i, ...) should show img[i], image number i; it shows a different picture."
    )
    cmap = shown[0].get_cmap().name
    assert cmap == "binary", (
        f"Show the image with cmap=plt.cm.binary (dark clothes on white), as the tutorial does; "
        f"yours uses the colour map {cmap!r}."
    )
    xticks, yticks = list(ax.get_xticks()), list(ax.get_yticks())
    assert not xticks and not yticks, (
        f"The image should have no ticks (plt.xticks([]) and plt.yticks([])); "
        f"it has x ticks {xticks} and y ticks {yticks}."
    )


# --- plot_value_array --------------------------------------------------------------------


@pytest.mark.points(1)
def test_plot_value_array_draws_ten_bars_of_the_probabilities(impl):
    row = probabilities(predicted=7, confidence=0.87)
    ax = fresh_axes()
    impl.plot_value_array(1, row, np.array([0, 3, 0]))
    bars = bars_of(ax)
    assert len(bars) == 10, f"plot_value_array() should draw 10 bars, one per class; it drew {len(bars)}."
    heights = np.array([bar.get_height() for bar in sorted(bars, key=lambda b: b.get_x())])
    assert np.allclose(heights, row, atol=1e-6), (
        f"The bars should be as tall as the ten probabilities {np.round(row, 3)}; "
        f"they are {np.round(heights, 3)}."
    )


@pytest.mark.points(1)
def test_plot_value_array_predicted_bar_red_true_bar_blue(impl):
    row = probabilities(predicted=7, confidence=0.87)
    for true_labels, blue, red in ((np.array([0, 3, 0]), 3, 7), (np.array([0, 7, 0]), 7, None)):
        ax = fresh_axes()
        impl.plot_value_array(1, row, true_labels)
        bars = sorted(bars_of(ax), key=lambda b: b.get_x())
        assert len(bars) == 10, f"plot_value_array() should draw 10 bars; it drew {len(bars)}."
        colours = [bar.get_facecolor() for bar in bars]
        what = "wrong" if red is not None else "right"
        assert same_colour(colours[blue], "blue"), (
            f"The bar of the true class ({blue}) should be blue, even when the prediction is {what}; "
            f"it is {colour_name(colours[blue])}. Colour the predicted bar red first, then the "
            "true bar blue."
        )
        if red is not None:
            assert same_colour(colours[red], "red"), (
                f"When the prediction is wrong, the bar of the predicted class ({red}) should be "
                f"red; it is {colour_name(colours[red])}."
            )
        others = [colours[k] for k in range(10) if k not in (blue, red)]
        greys = [c[0] == c[1] == c[2] and not same_colour(c, "white") for c in others]
        assert all(greys) and all(same_colour(c, others[0]) for c in others), (
            "The other bars should all be the same grey (color='#777777'); they are "
            f"{sorted({colour_name(c) for c in others})}."
        )


@pytest.mark.points(1)
def test_plot_value_array_y_axis_goes_from_0_to_1(impl):
    ax = fresh_axes()
    impl.plot_value_array(1, probabilities(predicted=7, confidence=0.87), np.array([0, 3, 0]))
    bottom, top = ax.get_ylim()
    assert np.isclose(bottom, 0.0) and np.isclose(top, 1.0), (
        f"The y axis should go from 0 to 1 (plt.ylim([0, 1])), so that bars of different images "
        f"compare; yours goes from {bottom:.3g} to {top:.3g}."
    )
    assert not list(ax.get_yticks()), (
        f"The bar chart should have no y ticks (plt.yticks([])); it has {list(ax.get_yticks())}."
    )
