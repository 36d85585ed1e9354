"""Lesson 02 · scale the pixels and look at them — graded suite (10 points)."""

import numpy as np
import pytest

from kata.i18n import _
from kata.suitekit import fail

RAMP = np.arange(256, dtype=np.uint8).reshape(1, 16, 16)  # every pixel value 0–255 once


def scaled(images):
    """What normalize() should give, worked out with numpy: pixel / 255 as float32."""
    return (images.astype(np.float64) / 255).astype(np.float32)


def samples(fashion_mnist, count=100, start=100):
    """A slice of training images, scaled as lesson 02 asks, and their labels."""
    (train_images, train_labels), _ = fashion_mnist
    return scaled(train_images[start:start + count]), train_labels[start:start + count]


def image_axes(figure):
    """The subplots of a figure that show an image, in the order they were made."""
    return [ax for ax in figure.axes if ax.images]


def last_drawn(figure, n):
    """The subplots with an image; only the last ``n`` (the last call's) if there are more than a 5×5
    grid holds: one figure drawn into on every call, a mistake the test of a new figure judges, once."""
    shown = image_axes(figure)
    return shown[-n:] if len(shown) > 25 else shown


def lenient(class_names, count=25):
    """The class names, lenient about the index: padded with stand-ins up to ``count`` names, so a
    wrong index (class_names[i] for i up to 24) loses points in the class-name test only, not in
    every test that draws.  (A plain list: it crosses to the student's process as data.)"""
    return list(class_names) + [f"(class_names[{i}])" for i in range(len(class_names), count)]


def drawn(impl, *args, **kwargs):
    """The figure impl.show_samples(...) drew: the one it returned, else the current one
    (a missing ``return figure`` loses points in the test of the returned figure only)."""
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    figure = impl.show_samples(*args, **kwargs)
    return figure if isinstance(figure, Figure) else plt.gcf()


def which_image(picture, images, default):
    """The index of the image among ``images`` that ``picture`` shows, or ``default``."""
    shown = np.asarray(picture.get_array(), dtype=np.float64)
    for j, image in enumerate(images):
        if shown.shape == image.shape and np.allclose(shown, image):
            return j
    return default


def same_colours(cmap, name):
    """Whether the colormap ``cmap`` gives the colours of matplotlib's colormap ``name`` for every
    value (another name for the same colours, 'gray_r' for 'binary', draws the same picture)."""
    import matplotlib

    values = np.linspace(0.0, 1.0, 256)
    return np.allclose(cmap(values), matplotlib.colormaps[name](values), atol=1 / 255)


def visible_ticks(ax):
    """How many tick marks or tick labels on the axes' x and y axis would be drawn."""
    if not ax.axison:
        return 0
    count = 0
    for axis in (ax.xaxis, ax.yaxis):
        if not axis.get_visible():  # ax.xaxis.set_visible(False) hides its ticks
            continue
        axis.get_majorticklabels()  # gives the labels their texts, as drawing would
        for tick in axis.get_major_ticks():
            parts = (tick.tick1line, tick.tick2line, tick.label1, tick.label2)
            count += any(part.get_visible() and (part not in (tick.label1, tick.label2) or part.get_text())
                         for part in parts)
    return count


def check_upright(picture, what):
    """Fail if an image is drawn upside down (origin='lower' puts its first row at the bottom)."""
    assert picture.origin == "upper", _(
        "{what} is drawn upside down: origin={origin!r} puts its first row at the bottom. Leave "
        "origin out, as the tutorial does: plt.imshow draws the first row at the top."
    ).format(what=what, origin=picture.origin)


# --- normalize() -------------------------------------------------------------------


@pytest.mark.points(1)
def test_normalize_gives_float32(impl):
    returned = impl.normalize(RAMP.copy())
    assert isinstance(returned, np.ndarray), _(
        "normalize() should return a NumPy array, as images / 255.0 gives; yours returned an "
        "object of type {type}. A TensorFlow tensor has no .max() or other NumPy methods the lessons use: "
        "divide the NumPy array itself, or turn the tensor into one with .numpy()."
    ).format(type=type(returned).__name__)
    out = np.asarray(returned)
    assert out.dtype == np.float32, _(
        "normalize() should return float32 numbers (Keras computes in float32); yours are "
        "{dtype}. Dividing by 255.0 gives float64: add .astype('float32')."
    ).format(dtype=out.dtype)
    # Whole numbers of another type: np.array([[0, 17, 255]]) holds int64.
    out = np.asarray(impl.normalize(RAMP.astype(np.int64)))
    assert out.dtype == np.float32, _(
        "normalize() should return float32 numbers whatever type the images have; for images of "
        "int64 (np.array of a Python list gives that) yours are {dtype}. numpy keeps float32 only "
        "for small types such as uint8: convert the result with .astype('float32')."
    ).format(dtype=out.dtype)


@pytest.mark.points(2)
def test_normalize_divides_every_pixel_by_255(fashion_mnist, impl):
    (train_images, _labels), _test = fashion_mnist
    dark = train_images[:1000] // 2 + 20  # a darker set: pixels 20 to 147
    black = np.minimum(train_images[:100], 1)  # nearly black raw images: pixels 0 and 1 only
    earlier = []  # the right results of the calls before: a result kept from one of them is no scaling
    floats = RAMP.astype(np.float32)  # pixels 0 to 255 stored as floats: still raw, still divided by 255
    for images in [RAMP.copy(), train_images[:1000].copy(), dark, black, floats]:
        before = images.copy()
        out = np.asarray(impl.normalize(images), dtype=np.float64)
        # Judged against the images as they were given, even if the function wrote into them.
        assert out.shape == before.shape, _(
            "normalize() should keep the shape {expected}; yours gave shape {shape}."
        ).format(expected=before.shape, shape=out.shape)
        expected = scaled(before).astype(np.float64)
        wrong = np.flatnonzero(~np.isclose(out, expected, rtol=0, atol=1e-6))
        if wrong.size:
            i = wrong[0]
            pixel, yours = int(before.flat[i]), float(out.flat[i])
            why = ""
            if not np.array_equal(images, before):
                why = " " + _(
                    "It also wrote into the images it was given, which hold whole numbers 0 to 255 and "
                    "can't keep fractions: return a new array instead (images / 255.0 makes one)."
                )
            elif before.max() <= 1 and np.array_equal(out, before):
                why = " " + _(
                    "These raw images are nearly black (their pixels are 0 and 1), and they came back "
                    "as they were: your normalize() took pixels no larger than 1 for images normalized "
                    "already. Don't guess from the values: divide by 255 on every call."
                )
            elif before.dtype.kind == "f" and np.array_equal(out, before):
                why = " " + _(
                    "These images are floats holding pixels 0 to 255, and they came back as they were: "
                    "your normalize() took float images for normalized ones (tf.image.convert_image_dtype "
                    "does that too). Divide by 255 whatever type the images have."
                )
            elif set(np.unique(out)) <= {0.0, 1.0}:
                why = " " + _("Only 0s and 1s came back: that is integer division (//); use / 255.")
            elif np.isclose(out.max(), before.max() / 256, atol=1e-6):
                why = " " + _("It looks like you divided by 256: the largest pixel, 255, must become 1.0.")
            elif any(result.shape == out.shape and np.allclose(out, result, rtol=0, atol=1e-6) for result in earlier):
                why = " " + _(
                    "It is not the result for these images but for images of an earlier call: "
                    "compute it from the images given each time, don't keep results from one call "
                    "to the next."
                )
            elif np.isclose(out.max(), 1.0, atol=1e-6) and before.max() < 255:
                why = " " + _(
                    "These images' brightest pixel is {brightest}, and yours became 1.0: you "
                    "scaled by the images' own range (images.max(), or min to max). Divide by 255, the "
                    "largest value any pixel can take, so that a darker image stays darker."
                ).format(brightest=int(before.max()))
            fail(_(
                "normalize() should divide every pixel by 255: pixel {pixel} should become "
                "{expected:.6f}, yours gave {yours:.6f}."
            ).format(pixel=pixel, expected=pixel / 255, yours=yours) + why)
        earlier.append(expected)


@pytest.mark.points(1)
def test_normalize_leaves_its_input_untouched_and_takes_read_only_images(fashion_mnist, impl):
    (train_images, _labels), (test_images, _test_labels) = fashion_mnist
    original = train_images[:500]
    images = original.copy()  # a writable copy the function could change
    try:
        impl.normalize(images)
    except TypeError as error:  # numpy refuses images /= 255 on whole numbers
        fail(_(
            "normalize() tried to divide the images in place ({error}). Return a new array "
            "instead (images / 255 makes one) and leave the input as it was."
        ).format(error=error))
    assert images.dtype == original.dtype and np.array_equal(images, original), _(
        "normalize() changed the images you gave it. Return a new array "
        "(images / 255 makes one) and leave the input as it was: the caller may still need it."
    )
    floats = RAMP.astype(np.float32)  # pixels 0 to 255 already as float32, as a caller may have them
    impl.normalize(floats)
    assert np.array_equal(floats, RAMP), _(
        "normalize() changed the float32 images you gave it (pixels 0 to 255 stored as floats). "
        "For images that already are float32, astype(np.float32, copy=False) or np.asarray(...) "
        "gives back the same array, so dividing it in place (/= 255) divides the caller's images "
        "too. Compute a new array instead: images / 255."
    )
    # Read-only for good, as arrays read from a file or bytes are: setflags(write=True) can't change that.
    images = np.frombuffer(test_images[:200].tobytes(), dtype=np.uint8).reshape(200, 28, 28)
    try:
        out = np.asarray(impl.normalize(images))
    except ValueError as error:
        fail(_(
            "normalize() failed on a read-only array ({error}): it tries to change its input "
            "in place, or to make it writable (setflags). Leave the array as it is and compute a new "
            "one (images / 255)."
        ).format(error=error))
    writable = np.asarray(impl.normalize(images.copy()))
    assert out.shape == writable.shape and np.array_equal(out, writable), _(
        "normalize() gives other numbers for read-only images than for the same images in a "
        "writable array: it should compute pixel / 255 the same way for both."
    )


# --- show_image() --------------------------------------------------------------------


@pytest.mark.points(2)
def test_show_image_draws_the_image_with_a_colorbar_and_no_grid(fashion_mnist, impl):
    from matplotlib.figure import Figure

    (train_images, _labels), (test_images, _test_labels) = fashion_mnist
    raw = train_images[0].copy()  # pixels 0–255, as the tutorial shows it
    dim = scaled(test_images[7:8])[0] * 0.5  # a normalized image, pixels 0 to about 0.5
    small = scaled(RAMP)[0]  # 16×16: show_image draws an image of any size
    figures = []
    for image in (raw, dim, small):
        given = image.copy()
        try:
            figure = impl.show_image(image)
        except RuntimeError as error:
            if "mappable" in str(error).lower():
                fail(_(
                    "plt.colorbar() found no image to make a colorbar for: call plt.imshow(image) "
                    "first, then plt.colorbar() (matplotlib said: {error})."
                ).format(error=error))
            raise
        assert isinstance(figure, Figure), _(
            "show_image() should return the matplotlib Figure it drew (figure = plt.figure() ... "
            "return figure); yours returned {type}. Return it instead of plt.show()."
        ).format(type=type(figure).__name__)
        assert np.array_equal(image, given), _("show_image() changed the image it was given: only draw it.")
        figures.append(figure)
        shown = image_axes(figure)
        assert shown, _(
            "The figure show_image() returned shows no image. Draw the image on that figure with "
            "plt.imshow(image) (plt.matshow(...) would make a figure of its own)."
        )
        assert len(shown) == 1 and len(shown[0].images) == 1, _(
            "show_image() should draw one image in its figure; the figure has {count} "
            "images. Make a new figure on every call with plt.figure(), or the images pile up."
        ).format(count=sum(len(a.images) for a in shown))
        (picture,) = shown[0].images
        drawn_array = np.asarray(picture.get_array(), dtype=np.float64)
        assert drawn_array.shape == image.shape, _(
            "show_image(image) should draw the image it is given, of any size: it was given an image "
            "of {shape} and drew one of {drawn}. Don't reshape it to a fixed size: plt.imshow(image)."
        ).format(shape=image.shape, drawn=drawn_array.shape)
        assert np.allclose(drawn_array, image), _(
            "show_image(image) should draw the image it is given, unchanged: plt.imshow(image)."
        )
        check_upright(picture, _("The image"))
        assert picture.colorbar is not None, _(
            "The image has no colorbar beside it: add plt.colorbar() after plt.imshow(image), "
            "so the figure says which colour stands for which pixel value."
        )
        low, high = (float(v) for v in picture.get_clim())
        lo, hi = float(image.min()), float(image.max())
        assert np.isclose(low, lo, atol=1e-6) and np.isclose(high, hi, atol=1e-6), _(
            "The colorbar should run from {lo:g} to {hi:g}, this image's smallest to largest pixel; "
            "yours runs from {low:g} to {high:g}. Let plt.imshow choose the range: leave out vmin= and vmax=."
        ).format(lo=lo, hi=hi, low=low, high=high)
        grid = [line for line in shown[0].get_xgridlines() + shown[0].get_ygridlines() if line.get_visible()]
        assert not grid, _(
            "The image is drawn with a grid over it. plt.grid(False) turns the grid off; "
            "plt.grid() with no argument switches it on."
        )
    assert len({id(figure) for figure in figures}) == len(figures), _(
        "show_image() returned the same figure twice: make a new figure with plt.figure() on every "
        "call, or each image is drawn over the last."
    )


# --- show_samples() ------------------------------------------------------------------


@pytest.mark.points(1)
def test_show_samples_returns_a_new_figure_with_a_5x5_grid_of_n_images(fashion_mnist, impl, reference):
    from matplotlib.figure import Figure

    images, labels = samples(fashion_mnist)
    figures = []
    for n in (25, 10):
        figure = impl.show_samples(images, labels, lenient(reference(1).CLASS_NAMES), n=n)
        assert isinstance(figure, Figure), _(
            "show_samples() should return the matplotlib Figure (figure = plt.figure(...) ... "
            "return figure); yours returned {type}. Return it instead of calling plt.show()."
        ).format(type=type(figure).__name__)
        assert all(figure is not earlier for earlier in figures), _(
            "show_samples() returned the same figure twice: make a new figure with "
            "plt.figure(figsize=(10, 10)) on every call, or each call draws over the last."
        )
        figures.append(figure)
        shown = image_axes(figure)
        assert len(shown) == n, _(
            "show_samples(..., n={n}) should draw {n} images, one per subplot; yours drew {count}."
        ).format(n=n, count=len(shown))
        grids = {ax.get_subplotspec().get_geometry()[:2] for ax in shown if ax.get_subplotspec()}
        assert grids == {(5, 5)}, _(
            "The images should sit in a 5×5 grid (plt.subplot(5, 5, i + 1)); yours use grids {grids}."
        ).format(grids=grids or _("none"))


@pytest.mark.points(1)
def test_show_samples_has_no_ticks_and_the_binary_colormap(fashion_mnist, impl, reference):
    images, labels = samples(fashion_mnist)
    images = images * np.float32(0.5)  # dimmed, pixels 0 to 0.5: the colour range must follow them
    figure = drawn(impl, images, labels, lenient(reference(1).CLASS_NAMES), n=10)  # ten say as much as 25
    empty = [ax for ax in figure.axes if not ax.images and ax.get_visible() and getattr(ax, "_colorbar", None) is None]
    boxes = sum(1 for ax in empty if visible_ticks(ax))
    assert not boxes, _(
        "show_samples(..., n=10) draws 10 images, but its figure also shows {boxes} empty subplots "
        "with ticks: plt.subplots(5, 5) makes all 25 cells at once. Remove the cells no image is "
        "drawn in (ax.remove(), or ax.axis('off')), or make one subplot per image with "
        "plt.subplot(5, 5, i + 1)."
    ).format(boxes=boxes)
    for number, ax in enumerate(image_axes(figure), start=1):
        ticks = visible_ticks(ax)
        assert ticks == 0, _(
            "Subplot {number} still shows {ticks} ticks (tick marks or the numbers beside them) on its "
            "axes; hide them with plt.xticks([]) and plt.yticks([]) as the tutorial does, after "
            "plt.subplot(...): they act on the current subplot. (ax.tick_params hides the numbers "
            "only with labelbottom=False and labelleft=False.)"
        ).format(number=number, ticks=ticks)
        cmap = ax.images[0].get_cmap()
        assert same_colours(cmap, "binary"), _(
            "Subplot {number} draws its image with the colormap {cmap!r}; use cmap=plt.cm.binary "
            "(black clothes on white) as the tutorial does."
        ).format(number=number, cmap=cmap.name)
        picture = ax.images[0]
        shown = np.asarray(picture.get_array(), dtype=np.float64)
        low, high = (float(v) for v in picture.get_clim())
        assert np.isclose(low, shown.min(), atol=1e-6) and np.isclose(high, shown.max(), atol=1e-6), _(
            "Subplot {number}'s colours run from {low:g} to {high:g}, but its image's pixels from "
            "{lo:g} to {hi:g}, so it is drawn too dark or too light. Let plt.imshow choose the range "
            "for each image: leave out vmin= and vmax=."
        ).format(number=number, low=low, high=high, lo=shown.min(), hi=shown.max())


@pytest.mark.points(1)
def test_show_samples_writes_the_class_name_under_each_image(fashion_mnist, impl, reference):
    tutorials = reference(1).CLASS_NAMES
    class_names = [name.upper() for name in tutorials]  # the names given, not the tutorial's list
    images, labels = samples(fashion_mnist)
    try:
        figure = drawn(impl, images, labels, list(class_names))
    except IndexError as error:
        fail(_(
            "show_samples() asked class_names for a class name that isn't there ({error}): there are 10 "
            "names, one per label. Name image i by its label, class_names[labels[i]], not by its "
            "position i."
        ).format(error=error))
    shown = last_drawn(figure, 25)
    under = [ax.get_xlabel() for ax in shown]
    titles = [ax.get_title() for ax in shown]
    if not any(under) and any(titles):
        fail(_(
            "The class names are written as titles above the images; put each one under "
            "its image with plt.xlabel(...) (the xlabel), as the tutorial does."
        ))
    for i, ax in enumerate(shown):
        # The name must fit the picture drawn above it (which picture is drawn is judged below).
        j = which_image(ax.images[0], images, default=i)
        expected = class_names[labels[j]]
        text = ax.get_xlabel()
        assert text != tutorials[labels[j]], _(
            "The text under image {j} is {text!r}, the tutorial's name for label {label}, but "
            "show_samples() was given other names: it should write {expected!r}. Use the class_names "
            "argument, class_names[labels[i]], not a list of your own."
        ).format(j=j, text=text, label=labels[j], expected=expected)
        assert text == expected, _(
            "Image {j} is a {expected!r} (label {label}), so the text under it should be "
            "the class name {expected!r}; yours says {text!r}. Use plt.xlabel(class_names[labels[i]])."
        ).format(j=j, expected=expected, label=labels[j], text=text)
        assert ax.axison and ax.xaxis.label.get_visible(), _(
            "The class name under image {i} is hidden: plt.axis('off') hides the whole axis, its "
            "xlabel too. Hide only the ticks, with plt.xticks([]) and plt.yticks([])."
        ).format(i=i)


@pytest.mark.points(1)
def test_show_samples_draws_the_given_images_in_order(fashion_mnist, impl, reference):
    images, labels = samples(fashion_mnist)
    given_images, given_labels = images.copy(), labels.copy()
    figure = drawn(impl, images, labels, lenient(reference(1).CLASS_NAMES), n=10)  # ten say as much as 25
    assert np.array_equal(images, given_images) and np.array_equal(labels, given_labels), _(
        "show_samples() changed the images or labels it was given: only draw them."
    )
    for i, ax in enumerate(last_drawn(figure, 10)):
        drawn_image = np.asarray(ax.images[0].get_array())
        same = drawn_image.shape == images[i].shape and np.allclose(drawn_image, images[i])
        if not same:
            j = which_image(ax.images[0], images, default=None)
            what = f"images[{j}]" if j is not None else _("another picture")
            top = float(np.max(drawn_image)) if drawn_image.shape == images[i].shape else 0.0
            if j is None and top > 0 and images[i].max() > 0 and np.allclose(drawn_image * (images[i].max() / top), images[i], atol=1e-6):
                what = _("images[{i}] with its pixels scaled (× {factor:.4g}): the images come normalized "
                         "already, draw them as they are").format(i=i, factor=top / images[i].max())
            fail(_(
                "Subplot {number} should show images[{i}], but it shows {what}. "
                "Draw images[i] in subplot i + 1, counting i from 0."
            ).format(number=i + 1, i=i, what=what))
        check_upright(ax.images[0], _("Subplot {number}'s image").format(number=i + 1))
