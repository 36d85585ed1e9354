"""Lesson 02 · scale the pixels and look at them — graded suite (10 points)."""

import numpy as np
import pytest

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


# --- normalize() -------------------------------------------------------------------


@pytest.mark.points(1)
def test_normalize_gives_float32(impl):
    out = np.asarray(impl.normalize(RAMP.copy()))
    assert out.dtype == np.float32, (
        f"normalize() should return float32 numbers (Keras computes in float32); yours are "
        f"{out.dtype}. Dividing by 255.0 gives float64: add .astype('float32')."
    )


@pytest.mark.points(2)
def test_normalize_divides_every_pixel_by_255(fashion_mnist, impl):
    (train_images, _), _ = fashion_mnist
    for images in [RAMP.copy(), train_images[:1000].copy()]:
        out = np.asarray(impl.normalize(images), dtype=np.float64)
        assert out.shape == images.shape, (
            f"normalize() should keep the shape {images.shape}; yours gave shape {out.shape}."
        )
        expected = scaled(images).astype(np.float64)
        wrong = np.flatnonzero(~np.isclose(out, expected, rtol=0, atol=1e-6))
        if wrong.size:
            i = wrong[0]
            pixel, yours = int(images.flat[i]), float(out.flat[i])
            why = ""
            if set(np.unique(out)) <= {0.0, 1.0}:
                why = " Only 0s and 1s came back: that is integer division (//); use / 255."
            elif np.isclose(out.max(), images.max() / 256, atol=1e-6):
                why = " It looks like you divided by 256: the largest pixel, 255, must become 1.0."
            pytest.fail(
                f"normalize() should divide every pixel by 255: pixel {pixel} should become "
                f"{pixel / 255:.6f}, yours gave {yours:.6f}.{why}"
            )


@pytest.mark.points(1)
def test_normalize_leaves_its_input_untouched(fashion_mnist, impl):
    (train_images, _), _ = fashion_mnist
    original = train_images[:500]
    images = original.copy()  # a writable copy the function could change
    impl.normalize(images)
    assert images.dtype == original.dtype and np.array_equal(images, original), (
        "normalize() changed the images you gave it. Return a new array "
        "(images / 255 makes one) and leave the input as it was: the caller may still need it."
    )


@pytest.mark.points(1)
def test_normalize_works_on_read_only_images(fashion_mnist, impl):
    _, (test_images, _) = fashion_mnist
    images = test_images[:200].copy()
    images.flags.writeable = False  # as arrays from a file or a cache can be
    try:
        out = np.asarray(impl.normalize(images))
    except ValueError as error:
        pytest.fail(
            f"normalize() failed on a read-only array ({error}): it tries to change its input "
            "in place. Compute a new array instead (images / 255)."
        )
    assert np.allclose(out, scaled(images), atol=1e-6), (
        "normalize() on read-only images should give pixel / 255, like on any other array."
    )


# --- show_samples() ------------------------------------------------------------------


@pytest.mark.points(1)
def test_show_samples_returns_a_figure_with_a_5x5_grid_of_n_images(fashion_mnist, impl, reference):
    from matplotlib.figure import Figure

    images, labels = samples(fashion_mnist)
    for n in (25, 10):
        figure = impl.show_samples(images, labels, reference(1).CLASS_NAMES, n=n)
        assert isinstance(figure, Figure), (
            f"show_samples() should return the matplotlib Figure (figure = plt.figure(...) ... "
            f"return figure); yours returned {type(figure).__name__}."
        )
        shown = image_axes(figure)
        assert len(shown) == n, (
            f"show_samples(..., n={n}) should draw {n} images, one per subplot; yours drew {len(shown)}."
        )
        grids = {ax.get_subplotspec().get_geometry()[:2] for ax in shown if ax.get_subplotspec()}
        assert grids == {(5, 5)}, (
            f"The images should sit in a 5×5 grid (plt.subplot(5, 5, i + 1)); yours use grids {grids or 'none'}."
        )


@pytest.mark.points(1)
def test_show_samples_has_no_ticks_and_the_binary_colormap(fashion_mnist, impl, reference):
    images, labels = samples(fashion_mnist)
    figure = impl.show_samples(images, labels, reference(1).CLASS_NAMES)
    for number, ax in enumerate(image_axes(figure), start=1):
        ticks = len(ax.get_xticks()) + len(ax.get_yticks())
        assert ticks == 0, (
            f"Subplot {number} still has {ticks} ticks on its axes; hide them with "
            "plt.xticks([]) and plt.yticks([]) as the tutorial does."
        )
        cmap = ax.images[0].get_cmap().name
        assert cmap == "binary", (
            f"Subplot {number} draws its image with the colormap {cmap!r}; use cmap=plt.cm.binary "
            "(black clothes on white) as the tutorial does."
        )


@pytest.mark.points(2)
def test_show_samples_writes_the_class_name_under_each_image(fashion_mnist, impl, reference):
    class_names = reference(1).CLASS_NAMES
    images, labels = samples(fashion_mnist)
    figure = impl.show_samples(images, labels, class_names)
    shown = image_axes(figure)
    under = [ax.get_xlabel() for ax in shown]
    titles = [ax.get_title() for ax in shown]
    if not any(under) and any(titles):
        pytest.fail(
            "The class names are written as titles above the images; put each one under "
            "its image with plt.xlabel(...) (the xlabel), as the tutorial does."
        )
    for i, text in enumerate(under):
        expected = class_names[labels[i]]
        assert text == expected, (
            f"Image {i} is a {expected!r} (label {labels[i]}), so the text under it should be "
            f"the class name {expected!r}; yours says {text!r}. Use plt.xlabel(class_names[labels[i]])."
        )


@pytest.mark.points(1)
def test_show_samples_draws_the_given_images_in_order(fashion_mnist, impl, reference):
    images, labels = samples(fashion_mnist)
    figure = impl.show_samples(images, labels, reference(1).CLASS_NAMES)
    for i, ax in enumerate(image_axes(figure)):
        drawn = np.asarray(ax.images[0].get_array())
        same = drawn.shape == images[i].shape and np.allclose(drawn, images[i])
        assert same, (
            f"Subplot {i + 1} should show images[{i}], the {i + 1}th image given, but it shows "
            "another picture. Draw images[i] in subplot i + 1."
        )
