"""Lesson 01 · load the data — graded suite (10 points)."""

import numpy as np
import pytest

# The tutorial's class names: a fact of the data set (label 0 is a T-shirt/top, ...).
TUTORIAL_CLASS_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
                        'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']
TRAIN_SIZE, TEST_SIZE = 60_000, 10_000  # facts of Fashion-MNIST


def as_counts(count_per_class):
    """describe()'s counts as {label: count} with plain ints (a list of 10 counts is accepted too)."""
    if isinstance(count_per_class, dict):
        return {int(label): int(count) for label, count in count_per_class.items()}
    return {label: int(count) for label, count in enumerate(count_per_class)}


_loaded = {}


def loaded(impl):
    """impl.load_data(), called once per module under test (it takes about a second)."""
    if impl.__name__ not in _loaded:
        _loaded.clear()  # keep one copy of the data set, not one per tree tested
        _loaded[impl.__name__] = impl.load_data()
    return _loaded[impl.__name__]


def counts_of(labels):
    """How many times each label occurs, counted with numpy."""
    return {label: int(count) for label, count in enumerate(np.bincount(labels)) if count}


@pytest.mark.points(2)
def test_class_names_are_the_tutorials_ten_in_label_order(impl):
    names = impl.CLASS_NAMES
    assert isinstance(names, (list, tuple)), (
        f"CLASS_NAMES should be a list of the 10 class names; it is {names!r}. "
        "Copy the tutorial's class_names list."
    )
    assert len(names) == 10, (
        f"CLASS_NAMES should hold 10 class names, one per label 0–9; yours has {len(names)}: {list(names)}."
    )
    for label, (expected, yours) in enumerate(zip(TUTORIAL_CLASS_NAMES, names, strict=True)):
        assert yours == expected, (
            f"CLASS_NAMES[{label}] should be {expected!r} (the name of label {label}), yours is {yours!r}. "
            f"List the names in the tutorial's order: {TUTORIAL_CLASS_NAMES}."
        )


@pytest.mark.points(2)
def test_load_data_gives_60000_train_and_10000_test_images(fashion_mnist, impl):
    (train_images, train_labels), (test_images, test_labels) = loaded(impl)
    if len(train_images) == TEST_SIZE and len(test_images) == TRAIN_SIZE:
        pytest.fail(
            f"train and test are swapped: train_images holds {len(train_images):,} images and "
            f"test_images {len(test_images):,}. load_data() gives (train, test) in that order: "
            "(train_images, train_labels), (test_images, test_labels)."
        )
    shapes = {
        "train_images": (train_images.shape, (TRAIN_SIZE, 28, 28)),
        "train_labels": (train_labels.shape, (TRAIN_SIZE,)),
        "test_images": (test_images.shape, (TEST_SIZE, 28, 28)),
        "test_labels": (test_labels.shape, (TEST_SIZE,)),
    }
    for name, (yours, expected) in shapes.items():
        assert yours == expected, (
            f"{name} should have shape {expected} (60,000 training images and 10,000 test "
            f"images of 28×28 pixels); yours has shape {yours}."
        )


@pytest.mark.points(1)
def test_load_data_keeps_pixels_and_labels_as_uint8(fashion_mnist, impl):
    (train_images, train_labels), (test_images, test_labels) = loaded(impl)
    arrays = {"train_images": train_images, "train_labels": train_labels,
              "test_images": test_images, "test_labels": test_labels}
    for name, array in arrays.items():
        assert np.asarray(array).dtype == np.uint8, (
            f"{name} should be uint8 (whole numbers 0–255), as Keras loads them; yours are "
            f"{np.asarray(array).dtype}. Return the arrays as they come: no astype(), no division "
            "(lesson 02 scales the pixels)."
        )


@pytest.mark.points(1)
def test_load_data_gives_exactly_what_keras_loads(fashion_mnist, impl):
    (train_images, train_labels), (test_images, test_labels) = loaded(impl)
    (ref_train_images, ref_train_labels), (ref_test_images, ref_test_labels) = fashion_mnist
    pairs = {
        "train_images": (train_images, ref_train_images),
        "train_labels": (train_labels, ref_train_labels),
        "test_images": (test_images, ref_test_images),
        "test_labels": (test_labels, ref_test_labels),
    }
    for name, (yours, expected) in pairs.items():
        same = np.shape(yours) == expected.shape and np.array_equal(yours, expected)
        assert same, (
            f"{name} is not what keras.datasets.fashion_mnist.load_data() gives: return its arrays "
            "unchanged, in the same order (no shuffling, slicing or scaling)."
        )


@pytest.mark.points(1)
def test_describe_reports_the_shape_of_the_images(fashion_mnist, impl):
    (train_images, train_labels), (test_images, test_labels) = fashion_mnist
    for images, labels in [(train_images, train_labels), (test_images[:300], test_labels[:300])]:
        info = impl.describe(images, labels)
        shape = info.get("shape") if isinstance(info, dict) else None
        assert shape is not None and tuple(shape) == images.shape, (
            f"describe(images, labels)['shape'] should be the shape of the images, {images.shape}; "
            f"yours gave {shape!r}. Use images.shape."
        )


@pytest.mark.points(2)
def test_describe_counts_the_images_of_each_class(fashion_mnist, impl):
    (train_images, train_labels), (test_images, test_labels) = fashion_mnist
    cases = [
        ("all 60,000 training images", train_images, train_labels),
        ("the first 500 test images", test_images[:500], test_labels[:500]),
    ]
    for what, images, labels in cases:
        expected = counts_of(labels)
        info = impl.describe(images, labels)
        counts = info.get("count_per_class") if isinstance(info, dict) else None
        assert counts is not None, (
            f"describe() should return a dict with the key 'count_per_class'; yours gave {info!r}."
        )
        yours = as_counts(counts)
        assert yours == expected, (
            f"For {what}, count_per_class should say how many images have each label, "
            f"{expected}; yours gave {yours}. Count the labels (np.unique(labels, "
            "return_counts=True)), don't assume the classes are the same size."
        )


@pytest.mark.points(1)
def test_describe_reports_the_pixel_range(fashion_mnist, impl):
    (train_images, train_labels), _ = fashion_mnist
    dimmer = train_images[:200] // 2 + 10  # pixels from 10 to about 137
    for images, labels in [(train_images, train_labels), (dimmer, train_labels[:200])]:
        info = impl.describe(images, labels)
        low, high = int(images.min()), int(images.max())
        yours = (info.get("pixel_min"), info.get("pixel_max")) if isinstance(info, dict) else None
        assert yours == (low, high), (
            f"pixel_min and pixel_max should be the smallest and largest pixel value of the images "
            f"given, ({low}, {high}); yours gave {yours}. Use images.min() and images.max() over "
            "all the images, don't write the numbers in."
        )
