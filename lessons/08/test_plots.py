"""Lesson 08 · make and plot predictions — graded suite, part two: the plots (7 of the
lesson's 10 points; test_predict.py has predict and predict_one).

The plot tests look at what your functions drew, wherever they drew it, so
that one mistake fails one test; where they drew it (the current axes) is
judged once.  The three figure tests put the tutorial's ``plot_image`` and
``plot_value_array`` (written out in kata/tutorial/plots.py) in your module, so they judge only the
figure itself (the grid gets the bars without their ticks, which it does not look at: quicker).
"""

import re

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import Normalize, to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from kata.data import CLASS_NAMES
from kata.i18n import N_, _, translate
from kata.suitekit import explain
from kata.tutorial.plots import (
    tutorial_plot_image,
    tutorial_plot_value_array,
    tutorial_plot_value_array_without_ticks,
)


def pixel_images(count=3):
    """`count` images of 28×28 pixels 0–255, like the test set's, for the plots."""
    return np.random.default_rng(28).integers(0, 256, size=(count, 28, 28), dtype="uint8")


def probabilities(predicted, confidence):
    """A row of ten probabilities: `confidence` for class `predicted`, the rest shared equally."""
    row = np.full(10, (1.0 - confidence) / 9, dtype="float32")
    row[predicted] = confidence
    return row


def same_picture(image, pixels):
    """Whether the AxesImage ``image`` shows ``pixels``: the same array, or one that imshow turns
    into the same shades (``pixels`` rescaled for display, drawn with its own colour range)."""
    array = np.asarray(image.get_array(), dtype=np.float64)
    if array.shape != pixels.shape:
        return False
    if np.array_equal(array, pixels):
        return True
    expected = Normalize()(np.asarray(pixels, dtype=np.float64))
    return np.allclose(np.ma.filled(image.norm(array), np.nan), np.ma.filled(expected, np.nan), atol=1e-6)


def same_colour(a, b):
    return np.allclose(to_rgb(a), to_rgb(b))


def colour_name(colour):
    return next((name for name in ("blue", "red") if same_colour(colour, name)), to_hex(colour))


def fresh_axes():
    """A new figure with the left of two subplots current, as the tutorial draws."""
    plt.figure(figsize=(6, 3))
    plt.subplot(1, 2, 1)
    return plt.gca()


def bars_of(ax):
    return [patch for patch in ax.patches if isinstance(patch, Rectangle)]


def has_drawing(ax):
    return bool(ax.get_images() or bars_of(ax) or ax.get_xlabel())


PLOT_ADVICE = N_(
    "predictions_array is the row of ten probabilities of image i, while true_label "
    "and img are the whole arrays: take true_label[i] and img[i] first."
)
ADVICE = {
    "plot_prediction": N_("Give plot_image and plot_value_array the row of image i, predictions[i], "
                          "and the whole label and image arrays."),
    "plot_prediction_grid": N_("plt.subplot(rows, columns, k) counts k from 1 to rows × columns: "
                               "the grid has num_rows rows and 2 * num_cols columns, image i in subplots 2 * i + 1 and "
                               "2 * i + 2; give each plot the row predictions[i]."),
    "plot_single_prediction": N_("Call plot_value_array(i, predictions_array, true_label) as it is, "
                                 "then plt.xticks(range(10), CLASS_NAMES, rotation=45)."),
}


def call(impl, name, *args):
    """impl.<name>(*args); an exception from it becomes a sentence on its likely cause."""
    first = args[0]
    first = f"i={first}" if np.isscalar(first) else _("an array of shape {shape}").format(shape=np.shape(first))
    return explain(lambda: getattr(impl, name)(*args), f"{name}({first}, ...)", lambda error: advice_on(name, error))


def advice_on(name, error):
    """What to do about the `error` a function of this lesson raised."""
    if "Cannot cast ufunc" in str(error) and "output" in str(error):  # img /= 255 on the caller's uint8 images
        return _("An in-place operation (img /= ..., img *= ...) writes into the caller's array, "
                 "whose whole numbers can't hold its result, and would change the caller's data "
                 "if they could: draw the arrays as they are (imshow scales the colours itself).")
    bounds = re.search(r"index (\d+) is out of bounds for axis 0 with size (\d+)", str(error))
    if name == "plot_prediction_grid" and bounds and bounds[1] == bounds[2]:  # one past the last image
        return _("Images are counted from 0: the first is predictions[0] and images[0], the last "
                 "num_rows * num_cols - 1 (for i in range(num_rows * num_cols)). Only the subplots "
                 "count from 1: image i goes in subplots 2 * i + 1 and 2 * i + 2.")
    return translate(ADVICE.get(name, PLOT_ADVICE))


def plot(impl, name, *args):
    """Call a plot function on a fresh figure's left subplot; the axes it drew on."""
    plt.close("all")
    ax = fresh_axes()
    call(impl, name, *args)
    return drawn_axes(ax, name)


def drawn_axes(ax, name):
    """The axes the plot went to: `ax`, the current axes, or else any open figure's."""
    if has_drawing(ax):
        return ax
    for number in plt.get_fignums():
        for other in plt.figure(number).axes:
            if has_drawing(other):
                return other
    raise AssertionError(_(
        "{name}() drew nothing that the tests can find: draw with plt.* on the current axes "
        "(the subplot the caller picked), not on axes made outside the function."
    ).format(name=name))


# --- plot_image --------------------------------------------------------------------------


@pytest.mark.points(1)
def test_plot_image_label_says_prediction_percent_and_truth(impl):
    images = pixel_images()
    true_labels = np.array([0, 3, 0])  # image 1 is a Dress (3) ...
    row = probabilities(predicted=7, confidence=0.876)  # ... predicted as a Sneaker (7), 87.6% → 88%
    ax = plot(impl, "plot_image", 1, row, true_labels, images)
    text = " ".join(ax.get_xlabel().split())
    expected = f"{CLASS_NAMES[7]} {100 * row[7]:2.0f}% ({CLASS_NAMES[3]})"
    # Class 0 is what np.argmax gives for a single number, such as the row indexed again with [i].
    again = " " + _(
        "{name} is class 0, what np.argmax gives for a single number: predictions_array is already "
        "image i's own row of ten probabilities, don't index it with [i] again."
    ).format(name=CLASS_NAMES[0]) if text.startswith(CLASS_NAMES[0] + " ") else ""
    if text == f"{CLASS_NAMES[7]} {int(100 * row[7])}% ({CLASS_NAMES[3]})":
        again = " " + _(
            "The probability is {percent:.1f}%, and yours says {cut}%: int() cuts the fraction off; "
            "the tutorial's format {{:2.0f}} rounds it."
        ).format(percent=100 * row[7], cut=int(100 * row[7]))
    assert text == expected, _(
        "The label under the image should read {expected!r}: the predicted class, its probability "
        "in percent (100 × the highest probability), and the true class in brackets; "
        "yours reads {text!r}."
    ).format(expected=expected, text=text) + again


@pytest.mark.points(0.5)
def test_plot_image_label_is_blue_when_right_and_red_when_wrong(impl):
    images = pixel_images()
    row = probabilities(predicted=7, confidence=0.87)
    for true_labels, expected, case in (
        (np.array([0, 7, 0]), "blue", _("right (predicted Sneaker, it is a Sneaker)")),
        (np.array([7, 3, 7]), "red", _("wrong (predicted Sneaker, it is a Dress)")),
    ):
        ax = plot(impl, "plot_image", 1, row, true_labels, images)
        colour = ax.xaxis.label.get_color()
        # Judge the colour against your own label's names, so that a wrong predicted class is
        # counted once, by the label test.
        said = re.fullmatch(r"(.+?) +\d+% \((.+)\)", " ".join(ax.get_xlabel().split()))
        if said and {said[1], said[2]} <= set(CLASS_NAMES) and said[2] == CLASS_NAMES[true_labels[1]]:
            right = said[1] == said[2]
            expected = "blue" if right else "red"
            case = (_("right (your label: {label!r})") if right else _("wrong (your label: {label!r})")).format(
                label=said[0]
            )
        assert same_colour(colour, expected), _(
            "When the prediction is {case} the label should be {expected}: blue when right, "
            "red when wrong. Yours is {colour}."
        ).format(case=case, expected=expected, colour=colour_name(colour))


def shown_ticks(axis):
    """Where `axis` (ax.xaxis or ax.yaxis) shows a tick one can see, its line or its label: [0.0, 5.0, ...].

    Ticks hidden with plt.tick_params(bottom=False, labelbottom=False) are there but not seen.
    """
    if not axis.get_visible():
        return []
    places = axis.get_majorticklocs()
    seen = [
        tick.tick1line.get_visible() or tick.tick2line.get_visible()
        or tick.label1.get_visible() or tick.label2.get_visible()
        for tick in axis.get_major_ticks(len(places))
    ]
    return [round(float(place), 2) for place, visible in zip(places, seen, strict=True) if visible]


@pytest.mark.points(0.5)
def test_plot_image_shows_image_i_in_binary_without_ticks(impl):
    images = pixel_images()
    ax = plot(impl, "plot_image", 2, probabilities(5, 0.6), np.array([5, 5, 5]), images)
    shown = ax.get_images()
    assert len(shown) == 1, _("plot_image() should show one image with plt.imshow; it shows {count}.").format(
        count=len(shown)
    )
    assert same_picture(shown[0], images[2]), _(
        "plot_image(i, ...) should show img[i], image number i; it shows a different picture."
    )
    cmap = shown[0].get_cmap().name
    assert cmap == "binary", _(
        "Show the image with cmap=plt.cm.binary (dark clothes on white), as the tutorial does; "
        "yours uses the colour map {cmap!r}."
    ).format(cmap=cmap)
    label_shown = ax.axison and ax.xaxis.get_visible() and ax.xaxis.label.get_visible()
    assert label_shown, _(
        "The label under the image (the predicted class, its probability and the true class) "
        "should be seen; it is hidden along with the ticks: plt.axis('off') (or hiding the x axis) "
        "hides the axis' label too. Remove only the ticks: plt.xticks([]) and plt.yticks([])."
    )
    xticks, yticks = shown_ticks(ax.xaxis), shown_ticks(ax.yaxis)
    assert not xticks and not yticks, _(
        "The image should have no ticks (plt.xticks([]) and plt.yticks([])); "
        "it has x ticks {xticks} and y ticks {yticks}."
    ).format(xticks=xticks, yticks=yticks)
    # The colours follow the pixels: 0–255 above, 0–1 as the kata plots its test images (lesson 02).
    scaled = images / 255.0
    scaled_ax = plot(impl, "plot_image", 2, probabilities(5, 0.6), np.array([5, 5, 5]), scaled)
    for pixels, image in ((images, shown[0]), (scaled, scaled_ax.get_images()[0])):
        # Each pixel's shade, 0 to 1 along the colour map; most pixels alike means a blank picture.
        shades = np.clip(np.ma.filled(image.norm(np.asarray(image.get_array(), dtype=float)), 0), 0, 1)
        vmin, vmax = image.get_clim()
        assert np.ptp(np.percentile(shades, [5, 95])) >= 0.5, _(
            "plot_image() should show the picture with the colour range of its own pixels, "
            "plt.imshow(img, cmap=plt.cm.binary) without vmin or vmax: for pixels from {low:.3g} "
            "to {high:.3g}, yours spreads the colours from {vmin:.3g} to {vmax:.3g}, so the picture "
            "is nearly all one colour."
        ).format(low=pixels[2].min(), high=pixels[2].max(), vmin=vmin, vmax=vmax)


# --- plot_value_array --------------------------------------------------------------------


@pytest.mark.points(0.5)
def test_plot_value_array_draws_ten_bars_of_the_probabilities(impl):
    # A row as a trained model gives it: one high probability, some small, several tiny.
    row = np.array([0.002, 0.0005, 0.03, 0.05, 0.001, 0.0003, 0.04, 0.87, 0.0052, 0.001], dtype="float32")
    given = row.copy()  # the caller's row: plot_value_array() must leave it as it was
    ax = plot(impl, "plot_value_array", 1, given, np.array([0, 3, 0]))
    assert np.array_equal(given, row), _(
        "plot_value_array() changed the probabilities it was given: [{before}] became [{after}]. The "
        "caller still needs them (they are a row of the predictions): draw them as they are, or "
        "change a copy (predictions_array /= ..., predictions_array[...] = ... write into the caller's array)."
    ).format(before=", ".join(f"{v:.4f}" for v in row), after=", ".join(f"{v:.4f}" for v in given))
    heights = sorted_heights(ax)
    assert len(heights) == 10, _("plot_value_array() should draw 10 bars, one per class; it drew {count}.").format(
        count=len(heights)
    )
    assert np.allclose(heights, row, atol=1e-6), _(
        "The bars should be as tall as the ten probabilities {expected}; "
        "they are {heights}."
    ).format(expected=np.round(row, 3), heights=np.round(heights, 3))


@pytest.mark.points(0.5)
def test_plot_value_array_predicted_bar_red_true_bar_blue(impl):
    row = probabilities(predicted=7, confidence=0.87)
    for true_labels, blue, red in ((np.array([0, 3, 0]), 3, 7), (np.array([0, 7, 0]), 7, None)):
        ax = plot(impl, "plot_value_array", 1, row, true_labels)
        bars = sorted(bars_of(ax), key=lambda b: b.get_x())
        assert len(bars) == 10, _("plot_value_array() should draw 10 bars; it drew {count}.").format(count=len(bars))
        colours = [bar.get_facecolor() for bar in bars]
        what = _("wrong") if red is not None else _("right")
        assert same_colour(colours[blue], "blue"), _(
            "The bar of the true class ({blue}) should be blue, even when the prediction is {what}; "
            "it is {colour}. Colour the predicted bar red first, then the "
            "true bar blue."
        ).format(blue=blue, what=what, colour=colour_name(colours[blue]))
        if red is not None:
            assert same_colour(colours[red], "red"), _(
                "When the prediction is wrong, the bar of the predicted class ({red}) should be "
                "red; it is {colour}."
            ).format(red=red, colour=colour_name(colours[red]))
        others = [colours[k] for k in range(10) if k not in (blue, red)]
        greys = [c[0] == c[1] == c[2] and not same_colour(c, "white") for c in others]
        assert all(greys) and all(same_colour(c, others[0]) for c in others), _(
            "The other bars should all be the same grey (color='#777777'); they are "
            "{colours}."
        ).format(colours=sorted({colour_name(c) for c in others}))


@pytest.mark.points(0.5)
def test_plot_value_array_x_ticks_0_to_9_y_axis_from_0_to_1(impl):
    ax = plot(impl, "plot_value_array", 1, probabilities(7, 0.87), np.array([0, 3, 0]))
    bottom, top = ax.get_ylim()
    assert np.isclose(bottom, 0.0) and np.isclose(top, 1.0), _(
        "The y axis should go from 0 to 1 (plt.ylim([0, 1])), so that bars of different images "
        "compare; yours goes from {bottom:.3g} to {top:.3g}."
    ).format(bottom=bottom, top=top)
    yticks = shown_ticks(ax.yaxis)
    assert not yticks, _(
        "The bar chart should have no y ticks (plt.yticks([])); it has {ticks}."
    ).format(ticks=yticks)
    xticks = shown_ticks(ax.xaxis)
    assert xticks == list(range(10)), _(
        "The bar chart should have the x ticks 0–9, one under each bar (plt.xticks(range(10))), "
        "so that each bar reads as its class; it has {ticks}."
    ).format(ticks=[int(tick) if tick.is_integer() else round(tick, 2) for tick in xticks])


# --- where the plots go ------------------------------------------------------------------


@pytest.mark.points(0.5)
def test_plots_draw_on_the_current_axes(impl):
    images, labels, row = pixel_images(), np.array([0, 3, 0]), probabilities(7, 0.87)
    for name, args in (
        ("plot_image", (1, row, labels, images)),
        ("plot_value_array", (1, row, labels)),
    ):
        plt.close("all")
        figure = plt.figure(figsize=(6, 3))
        left, right = plt.subplot(1, 2, 1), plt.subplot(1, 2, 2)
        plt.sca(left)
        call(impl, name, *args)
        assert plt.get_fignums() == [figure.number] and has_drawing(left), (
            _("{name}() should draw on the current axes, the subplot the caller picked with "
              "plt.subplot(1, 2, 1), as the tutorial's functions do: "
              "it made a new figure (plt.figure() belongs to the caller).")
            if len(plt.get_fignums()) > 1
            else _("{name}() should draw on the current axes, the subplot the caller picked with "
                   "plt.subplot(1, 2, 1), as the tutorial's functions do: "
                   "nothing landed there (don't draw on axes made outside the function).")
        ).format(name=name)
        assert not has_drawing(right), _("{name}() also drew on the other subplot.").format(name=name)


# --- the tutorial's figures ----------------------------------------------------------------


def figure_of(impl, monkeypatch, name, *args, bars=tutorial_plot_value_array):
    """impl.<name>(*args) with the tutorial's plot_image and plot_value_array (or `bars`) in your module.

    A figure with one bar is already open, as after an earlier plot: the function must make
    its own new figure."""
    monkeypatch.setattr(impl, "plot_image", tutorial_plot_image)
    monkeypatch.setattr(impl, "plot_value_array", bars)
    plt.close("all")
    already_open = plt.figure()
    plt.bar([0], [1.0])
    figure = call(impl, name, *args)
    assert isinstance(figure, Figure), _(
        "{name}() should return the matplotlib Figure it drew (figure = plt.figure(...) "
        "... return figure), not call plt.show(); it returned {type}."
    ).format(name=name, type=type(figure).__name__)
    assert figure is not already_open, _(
        "{name}() drew into the figure that was already open: make a new figure with "
        "plt.figure(...) (or plt.subplots) and return that one."
    ).format(name=name)
    return figure


def grid_place(ax):
    """(row, column) of a subplot; from its position when it has no subplot spec."""
    spec = ax.get_subplotspec()
    if spec is not None:
        return spec.rowspan.start, spec.colspan.start
    box = ax.get_position()  # the middle: an image's fixed aspect shrinks it evenly
    return -round((box.y0 + box.y1) / 2, 2), round((box.x0 + box.x1) / 2, 2)


def panels(figure):
    """The figure's axes that hold a drawing, top row first, then left to right."""
    return sorted((ax for ax in figure.axes if has_drawing(ax)), key=grid_place)


def describe_panel(ax, images=()):
    if ax.get_images():
        shown = np.asarray(ax.get_images()[0].get_array())
        for j, image in enumerate(images):  # which of the test images, when it is one
            if np.array_equal(shown, image):
                return _("test image {j}, with label {label!r}").format(j=j, label=ax.get_xlabel())
        return _("image with label {label!r}").format(label=ax.get_xlabel())
    return _("bars of heights {heights}").format(heights=np.round(sorted_heights(ax), 2).tolist())


def sorted_heights(ax):
    return np.array([bar.get_height() for bar in sorted(bars_of(ax), key=lambda b: b.get_x())])


def check_pair(image_ax, bars_ax, k, predictions, labels, images, where, place=None):
    """Judge pair `k` of a figure; `place`, (row, pair) counted from 0, when it is in a grid."""
    expected_label = (
        f"{CLASS_NAMES[int(np.argmax(predictions[k]))]} {100 * np.max(predictions[k]):2.0f}% "
        f"({CLASS_NAMES[labels[k]]})"
    )
    row, pair = (place[0] + 1, place[1] + 1) if place else (None, None)
    assert image_ax.get_images() and np.array_equal(image_ax.get_images()[0].get_array(), images[k]), (
        _("{where} should show test image {k} (plot_image on the left of its pair); it shows "
          "{panel}.")
        if place is None
        else _("{where}: pair {pair} of row {row} (counted from 1, from the top left) should show test "
               "image {k}, as the grid fills row by row: image i in subplots 2 * i + 1 and 2 * i + 2. "
               "It shows {panel}.")
    ).format(where=where, k=k, panel=describe_panel(image_ax, images), row=row, pair=pair)
    assert " ".join(image_ax.get_xlabel().split()) == expected_label, _(
        "{where}: the label under test image {k} should be {expected!r}, from its own row "
        "predictions[{k}]; it is {label!r}."
    ).format(where=where, k=k, expected=expected_label, label=image_ax.get_xlabel())
    heights = sorted_heights(bars_ax)
    assert heights.shape == (10,) and np.allclose(heights, predictions[k], atol=1e-6), _(
        "{where}: right of test image {k} should be its ten bars, predictions[{k}] = "
        "{row}; there is {panel}."
    ).format(where=where, k=k, row=np.round(predictions[k], 2).tolist(), panel=describe_panel(bars_ax))


def figure_data(count=15):
    """`count` images, labels and rows of probabilities, every row different."""
    rng = np.random.default_rng(12)
    predictions = rng.dirichlet(np.ones(10) * 0.3, size=count).astype("float32")
    return predictions, rng.integers(0, 10, size=count), pixel_images(count)


@pytest.mark.points(1)
def test_plot_prediction_shows_image_i_and_its_bars_side_by_side(impl, monkeypatch):
    predictions, labels, images = figure_data()
    i = 12  # the tutorial's second example; not image 0, so a function that ignores i shows it
    figure = figure_of(impl, monkeypatch, "plot_prediction", i, predictions, labels, images)
    drawn = panels(figure)
    assert len(drawn) == 2, _(
        "plot_prediction({i}, ...) should draw two panels side by side, the image and its bars "
        "(plt.subplot(1, 2, 1) and (1, 2, 2)); the figure has {count}: "
        "{panels}."
    ).format(i=i, count=len(drawn), panels=[describe_panel(ax) for ax in drawn])
    check_pair(*drawn, i, predictions, labels, images, f"plot_prediction({i}, ...)")


@pytest.mark.points(1)
def test_plot_prediction_grid_pairs_each_image_with_its_bars(impl, monkeypatch):
    predictions, labels, images = figure_data()
    # The default 5 × 3 grid judges the layout (as many rows as columns would hide a swap); the
    # 2 × 1 grid, small and quick, judges that the arguments are used: every number it needs
    # (rows, subplot columns, images, inches) differs from the default grid's.  The bars come
    # without x ticks: this test reads their heights, not their ticks (the tests of
    # plot_value_array judge those).
    for args, rows, cols in (((), 5, 3), ((2, 1), 2, 1)):
        figure = figure_of(impl, monkeypatch, "plot_prediction_grid", predictions, labels, images, *args,
                           bars=tutorial_plot_value_array_without_ticks)
        what = f"plot_prediction_grid(predictions, labels, images{''.join(f', {a}' for a in args)})"
        drawn = panels(figure)
        assert len(drawn) == 2 * rows * cols, _(
            "{what} should draw {rows} rows of {cols} images, each beside its bars: "
            "{panels} panels in a grid of {rows} × {columns} subplots; it drew {count}. "
            "Use num_rows and num_cols, 2 * num_cols columns of subplots, and give image i "
            "subplots 2 * i + 1 and 2 * i + 2."
        ).format(what=what, rows=rows, cols=cols, panels=2 * rows * cols, columns=2 * cols, count=len(drawn))
        tops = {grid_place(ax)[0] for ax in drawn}
        assert len(tops) == rows, _(
            "{what} should lay the panels out in {rows} rows; they are in {count}. "
            "plt.subplot(num_rows, 2 * num_cols, ...) makes that grid."
        ).format(what=what, rows=rows, count=len(tops))
        for k in range(rows * cols):
            check_pair(drawn[2 * k], drawn[2 * k + 1], k, predictions, labels, images, what, divmod(k, cols))
        size = tuple(round(float(inches), 2) for inches in figure.get_size_inches())
        assert size == (2 * 2 * cols, 2 * rows), _(
            "{what} should make a figure of {width} × {height} inches, as the tutorial's "
            "plt.figure(figsize=(2 * 2 * num_cols, 2 * num_rows)) does, so that every panel keeps "
            "its size whatever the grid; yours is {size_width:g} × {size_height:g}. Compute the "
            "figure size from num_rows and num_cols."
        ).format(what=what, width=2 * 2 * cols, height=2 * rows, size_width=size[0], size_height=size[1])


@pytest.mark.points(1)
def test_plot_single_prediction_names_the_classes_under_the_bars(impl, monkeypatch):
    predictions, labels, _images = figure_data()
    i = 2  # neither 0 nor the tutorial's 1, so that a function that ignores i colours another bar
    figure = figure_of(impl, monkeypatch, "plot_single_prediction", i, predictions[i], labels)
    drawn = panels(figure)
    assert len(drawn) == 1, _(
        "plot_single_prediction() should draw one bar chart in its figure; it has {count} panels."
    ).format(count=len(drawn))
    (ax,) = drawn
    heights = sorted_heights(ax)
    assert heights.shape == (10,) and np.allclose(heights, predictions[i], atol=1e-6), _(
        "plot_single_prediction({i}, row, labels) should draw the ten bars of that row "
        "{row}; it drew {heights}."
    ).format(i=i, row=np.round(predictions[i], 2).tolist(), heights=np.round(heights, 2).tolist())
    bars = sorted(bars_of(ax), key=lambda bar: bar.get_x())
    blue = [k for k, bar in enumerate(bars) if same_colour(bar.get_facecolor(), "blue")]
    assert blue == [labels[i]], _(
        "In plot_single_prediction({i}, row, labels) the bar of image {i}'s true class, {label}, "
        "should be blue, as plot_value_array({i}, row, labels) colours it; the blue bars are {blue}. "
        "Pass i on to plot_value_array as it is."
    ).format(i=i, label=labels[i], blue=blue)
    names = [label.get_text() for label in ax.get_xticklabels()]
    assert names == list(CLASS_NAMES) and list(ax.get_xticks()) == list(range(10)), _(
        "Under the bars, the x ticks 0–9 should carry the ten class names in label order "
        "(plt.xticks(range(10), CLASS_NAMES, ...)); they read {names}."
    ).format(names=names)
    angles = sorted({round(label.get_rotation()) for label in ax.get_xticklabels()})
    assert angles == [45], _(
        "The class names should be turned by 45 degrees so that they don't overlap "
        "(rotation=45); they are turned by {angles}."
    ).format(angles=angles)
