"""Lesson 01 · load the data — graded suite (10 points)."""

import numpy as np
import pytest

from kata.i18n import _
from kata.suitekit import fail, type_name

# The tutorial's class names: a fact of the data set (label 0 is a T-shirt/top, ...).
TUTORIAL_CLASS_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
                        'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']
TRAIN_SIZE, TEST_SIZE = 60_000, 10_000  # facts of Fashion-MNIST
SHAPES = {"train_images": (TRAIN_SIZE, 28, 28), "train_labels": (TRAIN_SIZE,),
          "test_images": (TEST_SIZE, 28, 28), "test_labels": (TEST_SIZE,)}


def pairs_of(result):
    """load_data()'s result as ((train_images, train_labels), (test_images, test_labels)).

    Four arrays returned flat are regrouped here, so that only the test of the result's form
    fails for that mistake and the others still judge the arrays.
    """
    if isinstance(result, (tuple, list)) and len(result) == 4:
        return (result[0], result[1]), (result[2], result[3])
    return result


def is_plain_int(value):
    return type(value) is int


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
    if names is None:  # the stub's placeholder: shown as "not started yet", like the functions
        raise NotImplementedError("lesson 01: CLASS_NAMES is not written yet")
    assert isinstance(names, (list, tuple)), _(
        "CLASS_NAMES should be a list of the 10 class names; it is {names!r}. "
        "Copy the tutorial's class_names list."
    ).format(names=names)
    assert len(names) == 10, _(
        "CLASS_NAMES should hold 10 class names, one per label 0–9; yours has {count}: {names}."
    ).format(count=len(names), names=list(names))
    for label, (expected, yours) in enumerate(zip(TUTORIAL_CLASS_NAMES, names, strict=True)):
        assert yours == expected, _(
            "CLASS_NAMES[{label}] should be {expected!r} (the name of label {label}), yours is {yours!r}. "
            "List the names in the tutorial's order: {names}."
        ).format(label=label, expected=expected, yours=yours, names=TUTORIAL_CLASS_NAMES)


@pytest.mark.points(2)
def test_load_data_gives_60000_train_and_10000_test_images(fashion_mnist, impl):
    result = loaded(impl)
    assert isinstance(result, (tuple, list)) and len(result) == 2, _(
        "load_data() should return two pairs, (train_images, train_labels), (test_images, test_labels), "
        "as keras.datasets.fashion_mnist.load_data() does; yours returned {count} items. "
        "Return the two pairs as Keras gives them, not the four arrays one after the other."
    ).format(count=len(result) if isinstance(result, (tuple, list)) else type_name(result))
    (train_images, train_labels), (test_images, test_labels) = result
    if len(train_images) == TEST_SIZE and len(test_images) == TRAIN_SIZE:
        fail(_(
            "train and test are swapped: train_images holds {train:,} images and "
            "test_images {test:,}. load_data() gives (train, test) in that order: "
            "(train_images, train_labels), (test_images, test_labels)."
        ).format(train=len(train_images), test=len(test_images)))
    arrays = {"train_images": train_images, "train_labels": train_labels,
              "test_images": test_images, "test_labels": test_labels}
    for name, array in arrays.items():
        yours, expected = np.shape(array), SHAPES[name]
        if yours != expected:
            fail(_("{name} should have shape {expected} (60,000 training images and 10,000 test "
                   "images of 28×28 pixels); yours has shape {yours}.").format(
                name=name, expected=expected, yours=yours) + " " + shape_cause(name, yours, expected))


def shape_cause(name, yours, expected):
    """The likely cause of an array ``name`` of shape ``yours`` instead of ``expected``, in words."""
    if name.endswith("labels") and yours == (expected[0], 10):
        return _("Those are one-hot rows (keras.utils.to_categorical): keep the labels as Keras "
                 "loads them, one class number 0–9 per image (lesson 04's loss takes them so).")
    if name.endswith("labels") and len(yours) == 3:
        return _("That is a stack of images, not labels: the pairs are (images, labels), so return "
                 "(train_images, train_labels), (test_images, test_labels) as Keras gives them.")
    if len(yours) == 2 and len(expected) == 3 and yours == (expected[0], 28 * 28):
        return _("The images were flattened to rows of 784 pixels: keep them 28×28, as Keras loads "
                 "them (lesson 03's Flatten layer flattens them inside the model).")
    if len(yours) == len(expected) and yours[1:] == expected[1:] and yours[0] < expected[0]:
        return _("Some were left out: return every image and label (no slicing such as [:50000]; "
                 "lesson 05 needs no validation set).")
    return _("Return the arrays that keras.datasets.fashion_mnist.load_data() gives, unchanged.")


@pytest.mark.points(1)
def test_load_data_keeps_pixels_and_labels_as_uint8(fashion_mnist, impl):
    (train_images, train_labels), (test_images, test_labels) = pairs_of(loaded(impl))
    arrays = {"train_images": train_images, "train_labels": train_labels,
              "test_images": test_images, "test_labels": test_labels}
    for name, array in arrays.items():
        assert isinstance(array, np.ndarray), _(
            "{name} should be a NumPy array, as keras.datasets.fashion_mnist.load_data() gives it; "
            "yours is a {type}. Return Keras' arrays as they come (lesson 02 divides them with numpy): "
            "no tf.convert_to_tensor, no .tolist()."
        ).format(name=name, type=type_name(array))
        if np.shape(array) != SHAPES[name]:
            continue  # another shape (one-hot labels, say): the shape test says so, once
        assert np.asarray(array).dtype == np.uint8, _(
            "{name} should be uint8 (whole numbers 0–255), as Keras loads them; yours are "
            "{dtype}. Return the arrays as they come: no astype(), no division "
            "(lesson 02 scales the pixels)."
        ).format(name=name, dtype=np.asarray(array).dtype)


@pytest.mark.points(1)
def test_load_data_gives_exactly_what_keras_loads(fashion_mnist, impl):
    (train_images, train_labels), (test_images, test_labels) = pairs_of(loaded(impl))
    (ref_train_images, ref_train_labels), (ref_test_images, ref_test_labels) = fashion_mnist
    if len(train_images) == TEST_SIZE and len(test_images) == TRAIN_SIZE:
        # Swapped train and test lose points in the test above; judge the arrays themselves here.
        (train_images, train_labels), (test_images, test_labels) = (test_images, test_labels), (train_images, train_labels)
    pairs = {
        "train_images": (train_images, ref_train_images),
        "train_labels": (train_labels, ref_train_labels),
        "test_images": (test_images, ref_test_images),
        "test_labels": (test_labels, ref_test_labels),
    }
    for name, (yours, expected) in pairs.items():
        yours = np.asarray(yours)
        if yours.shape != expected.shape:
            continue  # images left out, flattened, labels one-hot...: the shape test says so, once
        same = np.array_equal(yours, expected)
        if not same and yours.dtype != np.uint8:
            # Converted or scaled: the uint8 test above says so; only a reordering is judged here.
            same = np.allclose(yours, expected) or np.allclose(yours, expected / 255, atol=1e-6)
        assert same, _(
            "{name} is not what keras.datasets.fashion_mnist.load_data() gives: return its arrays "
            "unchanged, in the same order (no shuffling, slicing or scaling)."
        ).format(name=name)


def shape_of(value):
    """A returned shape as a tuple to compare, or None if it is no sequence of numbers."""
    try:
        return tuple(int(size) for size in value)
    except (TypeError, ValueError):
        return None


@pytest.mark.points(1)
def test_describe_reports_the_shape_and_leaves_its_arguments_untouched(fashion_mnist, impl):
    (train_images, train_labels), (test_images, test_labels) = fashion_mnist
    cropped = test_images[:300, 2:26, 4:24]  # 24×20 pixels: the shape must be measured, not assumed
    results = []  # (info, the shape it said): an earlier result must not change with a later call
    for original_images, original_labels in [(train_images, train_labels), (test_images[:300], test_labels[:300]),
                                             (cropped, test_labels[:300])]:
        images, labels = original_images.copy(), original_labels.copy()  # copies describe() could change
        expected = original_images.shape  # taken from the original: describe() may reshape its copy
        info = impl.describe(images, labels)
        shape = info.get("shape") if isinstance(info, dict) else None
        if shape_of(shape) == (len(original_images), 28, 28) and expected[1:] != (28, 28):
            fail(_(
                "describe(images, labels)['shape'] should be the shape of the images, {expected}: "
                "these images are {height}×{width} pixels. Yours gave {shape!r}, the 28×28 of "
                "Fashion-MNIST written in. Use images.shape, which measures every size."
            ).format(expected=expected, height=expected[1], width=expected[2], shape=shape))
        assert shape is not None and shape_of(shape) == expected, _(
            "describe(images, labels)['shape'] should be the shape of the images, {expected}; "
            "yours gave {shape!r}. Use images.shape."
        ).format(expected=expected, shape=shape)
        assert isinstance(shape, tuple), _(
            "describe(images, labels)['shape'] should be a tuple, {expected}, as images.shape "
            "is; yours is a {type}: {shape!r}. Return images.shape as it is, without list(...)."
        ).format(expected=expected, type=type_name(shape), shape=shape)
        for name, yours, original in [("images", images, original_images), ("labels", labels, original_labels)]:
            if yours.shape != original.shape:
                fail(_(
                    "describe() changed the shape of the {name} it was given, from {before} to {after}: "
                    "setting {name}.shape (or calling {name}.resize(...)) reshapes the caller's array. "
                    "Only read them: .min() and .max() already look at every pixel, whatever the shape."
                ).format(name=name, before=original.shape, after=yours.shape))
            assert np.array_equal(yours, original), _(
                "describe() changed the {name} it was given (sorted or overwritten them). Only read "
                "them: np.unique(...), .min() and .max() give new values and leave {name} as they were."
            ).format(name=name)
        for earlier, said in results:
            assert earlier is not info and shape_of(earlier.get("shape")) == said, _(
                "describe() should return a new dict on every call: after it described images of shape "
                "{expected}, the dict it returned earlier for images of shape {said} says "
                "{now!r}. Build the dict inside describe() (return {{...}}) instead of filling one "
                "kept outside the function."
            ).format(expected=expected, said=said, now=earlier.get("shape"))
        results.append((info, shape_of(shape)))


@pytest.mark.points(2)
def test_describe_counts_the_images_of_each_class(fashion_mnist, impl):
    (train_images, train_labels), (test_images, test_labels) = fashion_mnist
    some = np.isin(test_labels, [0, 3, 7])  # only three classes occur here
    cases = [
        (_("all 60,000 training images"), train_images, train_labels),
        # As many images as the training set, but other ones: an answer known for one data set won't do.
        (_("50,000 training images and the 10,000 test images"), np.concatenate([train_images[:50000], test_images]),
         np.concatenate([train_labels[:50000], test_labels])),
        (_("the first 500 test images"), test_images[:500], test_labels[:500]),
        (_("the test images of labels 0, 3 and 7 only"), test_images[some], test_labels[some]),
    ]
    earlier = []  # (what, count_per_class returned, what it held then): a later call must not change it
    for what, images, labels in cases:
        expected = counts_of(labels)
        # Writeable copies: a describe() that sorts or changes its arguments in place loses its
        # point in the test of its arguments above, not here again with numpy's "read-only" error
        # (the data set's own arrays are read-only).
        info = impl.describe(images.copy(), labels.copy())
        counts = info.get("count_per_class") if isinstance(info, dict) else None
        assert isinstance(counts, dict), _(
            "describe() should return a dict whose 'count_per_class' is a dict {{label: count}}; "
            "yours gave {counts!r}."
        ).format(counts=counts)
        for said, returned, held in earlier:
            assert returned is not counts and returned == held, _(
                "describe() should return a new count_per_class on every call: after it described "
                "{what}, the count_per_class it returned earlier for {said} changed from {held} to "
                "{now}. Build the dict inside describe() (counts = {{}} in the function, not outside it "
                "nor as a default argument)."
            ).format(what=what, said=said, held=held, now=dict(returned))
        earlier.append((what, counts, dict(counts)))
        names = [key for key in counts if isinstance(key, str)]
        assert not names, _(
            "count_per_class should be keyed by the label numbers (0, 1, ..., 9), as "
            "{expected}; yours uses names such as {name!r}. Keep the numbers: "
            "CLASS_NAMES[label] turns one into a name when it is needed."
        ).format(expected=expected, name=names[0])
        numpy_numbers = [(k, v) for k, v in counts.items() if not (is_plain_int(k) and is_plain_int(v))]
        assert not numpy_numbers, _(
            "count_per_class should hold plain Python ints as labels and counts; yours holds "
            "{label_type} and {count_type} (e.g. {example}). numpy's small ints wrap around and can't be written as "
            "JSON: convert with int(label) and int(count)."
        ).format(label_type=type_name(numpy_numbers[0][0]), count_type=type_name(numpy_numbers[0][1]),
                 example=numpy_numbers[0])
        absent = sorted(label for label, count in counts.items() if label not in expected)
        assert not absent, (_(
            "For {what}, count_per_class should list only the labels that occur, {expected}; "
            "yours also lists {absent} (with counts {counts}). Leave out labels "
            "with no image: np.unique(labels, return_counts=True) gives only the labels that occur."
        ) if not any(counts[a] for a in absent) else _(
            "For {what}, count_per_class should list only the labels that occur, {expected}; "
            "yours also lists {absent}, with counts {counts}, though no image here has those labels. "
            "Key each count by its label (np.unique(labels, return_counts=True) gives the labels and "
            "their counts side by side), not by its position in a list or a histogram's bins, and "
            "start from an empty dict on every call."
        )).format(what=what, expected=sorted(expected), absent=absent, counts=[counts[a] for a in absent])
        if counts != expected:
            fail(wrong_counts(what, expected, counts, len(labels), earlier[:-1]))


def wrong_counts(what, expected, counts, given, earlier):
    """Why ``counts`` are not the ``expected`` counts of ``given`` labels, in words (``earlier``:
    the calls before, as (what, count_per_class returned, what it held then))."""
    total = sum(value for value in counts.values() if isinstance(value, int))
    said = next((said for said, _returned, held in earlier if held == counts), None)
    if counts == {label: count % 256 for label, count in expected.items()}:
        cause = _("each count modulo 256. A counter of dtype uint8 (the labels' own dtype) wraps "
                  "around at 256: count with plain ints or np.unique(labels, return_counts=True).")
    elif said is not None and len(set(counts.values())) == 1:
        cause = _("the counts of {said}, as describe() gave them before, the same for every class. "
                  "Count the labels given on every call (np.unique(labels, return_counts=True)): "
                  "don't assume the classes are the same size, nor keep an answer from an earlier "
                  "call (a cache keyed by len(labels), say).").format(said=said)
    elif said is not None:
        cause = _("the counts describe() gave before, for {said}. Count the labels given on every "
                  "call: an answer kept from an earlier call (a cache keyed by len(labels), say) is "
                  "another data set's.").format(said=said)
    elif total > given:
        cause = _("they add up to {total:,}, more than the {given:,} labels given: counts from an "
                  "earlier call were added to. Start from an empty dict inside describe() on every "
                  "call.").format(total=total, given=given)
    elif len(set(counts.values())) == 1 and len(set(expected.values())) > 1:
        cause = _("every class gets the same count. Count the labels (np.unique(labels, "
                  "return_counts=True)), don't assume the classes are the same size.")
    else:
        cause = _("Count the labels given (np.unique(labels, return_counts=True)).")
    return _("For {what}, count_per_class should say how many images have each label, {expected}; "
             "yours gave {counts}: {cause}").format(what=what, expected=expected, counts=counts, cause=cause)


@pytest.mark.points(1)
def test_describe_reports_the_pixel_range(fashion_mnist, impl):
    (train_images, train_labels), _test = fashion_mnist
    dimmer = train_images[:200] // 2 + 10  # pixels from 10 to about 137
    mixed = train_images[:200] // 3 + 20  # pixels from 20 to 105 ...
    mixed[150] = train_images[150]  # ... except image 150, which keeps its full range
    late = train_images[:4000, ::7, ::7] // 4 + 30  # 4,000 small images (4×4), pixels 30 to 93 ...
    late[3, 2, 1], late[-1, 1, 2] = 0, 255  # ... but for a 0 early and a 255 in the last image: a sample misses one
    cases = [
        (_("all training images"), train_images, train_labels),
        (_("dimmed images"), dimmer, train_labels[:200]),
        (_("dimmed images but one"), mixed, train_labels[:200]),
        (_("4,000 small dimmed images"), late, train_labels[:4000]),
    ]
    for what, images, labels in cases:
        info = impl.describe(images.copy(), labels.copy())  # copies: see the count test
        low, high = int(images.min()), int(images.max())
        yours = (info.get("pixel_min"), info.get("pixel_max")) if isinstance(info, dict) else None
        if yours == (int(images[0].min()), int(images[0].max())) and yours != (low, high):
            fail(_(
                "For {what}, pixel_min and pixel_max should span every image, ({low}, {high}); "
                "yours gave {yours}, the range of the first image only. Take images.min() and "
                "images.max() over the whole array, not images[0]."
            ).format(what=what, low=low, high=high, yours=yours))
        inside = (yours is not None and yours != (low, high) and all(isinstance(v, (int, np.integer)) for v in yours)
                  and low <= yours[0] <= yours[1] <= high and (images == yours[0]).any() and (images == yours[1]).any())
        if inside:  # pixels of these images, but not all of them were looked at
            value = high if yours[1] != high else low
            index = int(np.flatnonzero((images == value).any(axis=tuple(range(1, images.ndim))))[0])
            fail(_(
                "For {what}, pixel_min and pixel_max should span all {total:,} images, ({low}, {high}); "
                "yours gave {yours}, the range of only some of them: image {index} holds the pixel "
                "{value}, which yours misses. Take images.min() and images.max() over the whole "
                "array, not over a sample: numpy measures millions of pixels in a few milliseconds."
            ).format(what=what, total=len(images), low=low, high=high, yours=yours, index=index, value=value))
        assert yours == (low, high), _(
            "For {what}, pixel_min and pixel_max should be the smallest and largest pixel value of the "
            "images given, ({low}, {high}); yours gave {yours}. Use images.min() and images.max() over "
            "all the images, don't write the numbers in (nor take them from the dtype)."
        ).format(what=what, low=low, high=high, yours=yours)
        for key in ("pixel_min", "pixel_max"):
            if isinstance(info[key], (float, np.floating)):
                fail(_(
                    "{key} should be a plain Python int, as the pixels are whole numbers; yours is "
                    "a {type}, {value!r}. Convert with int(images.min()), not float(...)."
                ).format(key=key, type=type_name(info[key]), value=info[key]))
            assert is_plain_int(info[key]), _(
                "{key} should be a plain Python int; yours is {type}. numpy's uint8 "
                "wraps around (np.uint8(255) + 1 gives 0): convert with int(images.min())."
            ).format(key=key, type=type_name(info[key]))

