"""Lesson 11 · train faster (bonus) — graded suite (10 points).

Graded on what your code configures and on the accuracy it still reaches,
never on a timing: machines differ, and `kata bench` shows your speed-up.
One test trains on all 60,000 images (10 epochs); the others use 2,000.
"""

import math
from collections import Counter

import numpy as np
import pytest

from kata.i18n import _
from kata.remote.datasets import pipeline_steps  # the kinds of its steps, last first
from kata.suitekit import global_policy_kept

# Keras warns that fit's shuffle=True is ignored for a tf.data.Dataset: expected, the data set shuffles.
pytestmark = pytest.mark.filterwarnings("ignore:`shuffle=True` was passed:UserWarning")

TUTORIAL_BATCH_SIZE = 32
TUTORIAL_LEARNING_RATE = 0.001
N_IMAGES = 2000
EPOCHS = 10
FIRST_IMAGES = 256  # the first images of an epoch, to see where in the data they come from
LARGE = 16_384  # more images than a shuffle buffer of 10,000, the size some TensorFlow tutorials fix
TARGET_ACCURACY = 0.86  # the tutorial's model after 10 epochs gets about 0.88; the reference's recipe
# at batch 512 or 1024 got 0.868-0.880 in six runs each (0.87 failed one run of each), at 128 0.882-0.886


def small_data(fashion_mnist, reference, n=N_IMAGES):
    (train_images, train_labels), _ = fashion_mnist
    return reference(2).normalize(train_images[:n]), train_labels[:n].copy()


def batch_size_of(impl):
    size = impl.BATCH_SIZE
    if size is None:  # the stub's placeholder
        raise NotImplementedError("lesson 11: BATCH_SIZE is not set yet")
    assert isinstance(size, int) and not isinstance(size, bool), _(
        "BATCH_SIZE should be a whole number of images per step, e.g. 128; it is {size!r}."
    ).format(size=size)
    return size


def pairs(images, labels):
    """Each (image, label) as hashable bytes, counted: the content of a data set, in any order."""
    return Counter((np.asarray(image, dtype="float32").tobytes(), int(label)) for image, label in zip(images, labels, strict=False))


def epoch_of(dataset, most=3 * N_IMAGES):
    """One pass over a data set: the list of (images, labels) batches as numpy arrays.

    An endless data set (.repeat()) is read until it gave ``most`` images: enough for the tests to
    see images come more than once, and a bounded read (it would otherwise fill the memory).
    """
    batches, count = [], 0
    for x, y in dataset:
        batches.append((np.asarray(x), np.asarray(y)))
        count += max(np.asarray(y).size, 1)
        if count >= most:
            break
    return batches


def numbered_data(n=N_IMAGES):
    """``n`` stand-in normalized images whose pixels all hold their own index, and labels ``index % 10``."""
    images = np.repeat(((np.arange(n, dtype="float32") + 1) / (n + 1))[:, None, None], 28 * 28, axis=1)
    return images.reshape(n, 28, 28), (np.arange(n) % 10).astype("uint8")


def indices_of(images, n=N_IMAGES):
    """The index each image of :func:`numbered_data` was made with."""
    return np.rint(np.asarray(images).mean(axis=(1, 2)) * (n + 1)).astype(int) - 1


def foreign(came, numbered):
    """How many of the images that ``came`` hold a pixel value no image of ``numbered`` has (divided
    again, cast to float16): their positions can't be told from them."""
    came = np.asarray(came)
    return int(np.sum(~np.isin(came.reshape(len(came), -1)[:, 0], numbered[:, 0, 0])))


def fresh_compiled(impl, reference):
    return impl.compile_for_speed(reference(3).build_model())


@pytest.mark.points(1)
def test_batch_size_is_larger_than_the_tutorials(impl):
    size = batch_size_of(impl)
    assert TUTORIAL_BATCH_SIZE < size <= 1024, _(
        "BATCH_SIZE should be larger than the tutorial's {tutorial} (fewer, bigger steps "
        "per epoch) and at most 1024 (beyond that the model learns too little per epoch); it is {size}."
    ).format(tutorial=TUTORIAL_BATCH_SIZE, size=size)


@pytest.mark.points(1)
def test_dataset_gives_batches_of_the_images_with_their_labels(impl, reference, fashion_mnist):
    import tensorflow as tf

    images, labels = small_data(fashion_mnist, reference)
    originals, original_labels = images.copy(), labels.copy()
    expected = pairs(originals, original_labels)
    for size in (batch_size_of(impl), 96):  # BATCH_SIZE, and another batch_size passed as argument
        dataset = impl.make_dataset(images, labels, batch_size=size)
        assert np.array_equal(images, originals) and np.array_equal(labels, original_labels), _(
            "make_dataset() changed the images or labels arrays it was given: the caller's arrays. "
            "Don't shuffle them in place (np.random.shuffle shuffles images and labels apart, so "
            "each image loses its label); let the data set shuffle: .shuffle(len(images))."
        )
        assert isinstance(dataset, tf.data.Dataset), _(
            "make_dataset() should return a tf.data.Dataset (built with tf.data.Dataset.from_tensor_slices(...) "
            "or tf.data.Dataset.range(...)); "
            "it returned {type}."
        ).format(type=type(dataset).__name__)
        batches = epoch_of(dataset)
        # Every batch but one (the last, smaller one: the batches may come in any order) holds
        # `size` images of 28×28 and `size` labels.
        shapes = sorted({(x.shape, y.shape) for x, y in batches}, key=lambda s: -s[0][0])
        full = ((size, 28, 28), (size,))
        sizes = [len(y) for _, y in batches]
        # More images than given (an endless .repeat()) is the next check's: it says why.
        assert (shapes[0] == full and sum(n != size for n in sizes) <= 1) or sum(sizes) > len(images), _(
            "make_dataset(images, labels, batch_size={size}) should give batches of {size} images of "
            "28×28 and their {size} labels (the last one may be smaller); its batches have shapes "
            "{shapes}. Batch by the batch_size argument: "
            "dataset.batch(batch_size) (BATCH_SIZE is only its default)."
        ).format(size=size, shapes=[tuple(map(tuple, s)) for s in shapes][:3])
        # Numbered images whose labels are their own positions 0 … N-1: one epoch, sorted, is 0 … N-1.
        numbered, positions = numbered_data()[0], np.arange(N_IMAGES)
        numbered_batches = epoch_of(impl.make_dataset(numbered, positions, batch_size=size))
        got_labels = np.concatenate([y for _, y in numbered_batches]).astype(int)
        counts = np.bincount(got_labels, minlength=N_IMAGES)
        assert len(got_labels) == N_IMAGES and np.array_equal(np.sort(got_labels), positions), _(
            "One epoch (one pass over the data set) should give each of the {count} images exactly once; "
            "with batch_size={size} it gave {got} images: {never} never came, "
            "{twice} came more than once. Keep the last, smaller batch (no "
            "drop_remainder=True) and don't .repeat() the data set: model.fit repeats it, once per epoch."
        ).format(count=N_IMAGES, size=size, got=len(got_labels), never=int(np.sum(counts == 0)),
                 twice=int(np.sum(counts > 1)))
        came = np.concatenate([x for x, _ in numbered_batches])
        other = foreign(came, numbered)
        assert other == 0, _(
            "make_dataset() should give the images' pixels as they are (they come normalized already); "
            "in one epoch {other} of {count} images came with other pixel values. Don't divide them by "
            "255 again or cast them to another type (float16, say): tf.data.Dataset.from_tensor_slices"
            "((images, labels)) keeps them as they are."
        ).format(other=other, count=N_IMAGES)
        wrong = int(np.sum(indices_of(came) != got_labels))
        assert wrong == 0, _(
            "Each image should come with its own label; in one epoch {wrong} of {count} images came "
            "with another image's label. Shuffle images and labels together: one shuffled order for both "
            "(.shuffle on the (image, label) pairs, or on their positions, then gather both at those positions)."
        ).format(wrong=wrong, count=N_IMAGES)
        seen = pairs(np.concatenate([x for x, _ in batches]), np.concatenate([y for _, y in batches]))
        assert seen == expected, _(
            "One pass over the data set should give each of the {count} images exactly once, with its "
            "own label and its pixels unchanged (they come normalized already); it gave "
            "{got} images, {right} of them with their own labels. "
            "Build it from the arrays as they are: tf.data.Dataset.from_tensor_slices((images, labels)), "
            "or tf.gather(images, positions) and tf.gather(labels, positions)."
        ).format(count=N_IMAGES, got=sum(seen.values()), right=sum((seen & expected).values()))


@pytest.mark.points(1)
def test_dataset_shuffles_again_every_epoch(impl, reference, fashion_mnist):
    images, labels = small_data(fashion_mnist, reference)
    dataset = impl.make_dataset(images, labels, batch_size=batch_size_of(impl))
    first = np.concatenate([y for _, y in epoch_of(dataset)])
    second = np.concatenate([y for _, y in epoch_of(dataset)])
    assert not np.array_equal(first[: len(labels)], labels[: len(first)]), _(
        "The data set gives the images in the order they came in: shuffle them, or their positions "
        "(dataset.shuffle(len(images)) before .batch), as model.fit does with arrays."
    )
    if np.array_equal(first, second):
        raise AssertionError(_(
            "Two epochs gave the images in the same shuffled order: the data set should shuffle "
            "again every epoch, as model.fit does with arrays. {cause}"
        ).format(cause=why_the_same_order(pipeline_steps(dataset))))
    # Each batch should mix images from all over the data set, as model.fit's shuffling does.
    images, labels = numbered_data()
    came = [x for x, _ in epoch_of(impl.make_dataset(images, labels, batch_size=batch_size_of(impl)))]
    if any(foreign(x, images) for x in came):
        return  # pixels changed (divided again, cast): the test of the batches says so, and positions can't be told
    batches = [indices_of(x) for x in came]
    spread = float(np.median([np.subtract(*np.percentile(batch, [75, 25])) for batch in batches if len(batch) > 8]))
    assert spread > N_IMAGES / 4, _(
        "The batches hold images that were near each other in the data (the middle half of a "
        "batch spans {spread:.0f} positions of {count}; shuffled well, about {half}). "
        "Shuffle the single images (or their positions) before batching, with a buffer as large as the data: "
        ".shuffle(len(images)) then .batch(batch_size). (.batch then .shuffle only reorders whole "
        "batches; a small buffer only mixes neighbours.)"
    ).format(spread=spread, count=N_IMAGES, half=N_IMAGES // 2)
    # Shuffled over the whole data, the first images of an epoch come from anywhere in it: the
    # largest position among the first FIRST_IMAGES is below 90 % of the data with probability
    # 0.9 ** 256 < 1e-11. A shuffle buffer of B images draws them from the first B + 255 only.
    # Seen on LARGE images, so that a buffer of a fixed size that only the small data fit shows too.
    images, labels = numbered_data(LARGE)
    dataset = impl.make_dataset(images, labels, batch_size=batch_size_of(impl))
    came = np.concatenate([x for x, _ in epoch_of(dataset, most=FIRST_IMAGES)])
    if foreign(came, images):
        return
    first_images = indices_of(came, LARGE)[:FIRST_IMAGES]
    largest = int(first_images.max())
    assert largest >= 0.9 * LARGE, _(
        "The first {first} images of an epoch all came from the first {largest} of the {count} "
        "images: shuffled over the whole data, they come from anywhere in it (the largest "
        "position near {count}). A shuffle buffer smaller than the data only mixes neighbours: "
        "each image is drawn from the next buffer_size images. Shuffle with a buffer as large "
        "as the data, whatever its size: .shuffle(len(images)), not a fixed number."
    ).format(first=len(first_images), largest=largest + 1, count=LARGE)


def why_the_same_order(steps):
    """The likely cause of a data set giving the same order every epoch, from its steps (last first)."""
    shuffles = [i for i, step in enumerate(steps) if "Shuffle" in step]
    caches = [i for i, step in enumerate(steps) if "Cache" in step]
    if not shuffles:
        return _(
            "The data set does not shuffle: the order was made once, before it (e.g. a permutation "
            "made with numpy when make_dataset() ran), and each epoch repeats it. Let the data set "
            "shuffle: .shuffle(len(images)) before .batch(...)."
        )
    if caches and min(caches) < max(shuffles):
        return _(
            "It .cache()s after shuffling: the cache keeps the first epoch's order and gives it "
            "again. Cache before .shuffle(...), or not at all."
        )
    return _(
        "It shuffles once and keeps that order (.shuffle(..., reshuffle_each_iteration=False)): "
        "leave reshuffle_each_iteration out; its default, True, makes a new order every epoch."
    )


@pytest.mark.points(1)
def test_dataset_prefetches(impl, reference, fashion_mnist):
    images, labels = small_data(fashion_mnist, reference, n=256)
    dataset = impl.make_dataset(images, labels, batch_size=batch_size_of(impl))
    steps = pipeline_steps(dataset)  # last first
    assert any("Prefetch" in step for step in steps), _(
        "The data set should prefetch, so the next batch is ready while the current one trains: "
        "end the pipeline with .prefetch(tf.data.AUTOTUNE). Its steps are {steps}."
    ).format(steps=steps[::-1])
    prefetch = min(i for i, step in enumerate(steps) if "Prefetch" in step)
    batch = min((i for i, step in enumerate(steps) if "Batch" in step), default=len(steps))
    assert prefetch < batch, _(
        "The data set should prefetch whole batches, so the next batch is ready while the current "
        "one trains; it prefetches before batching (single images). Put .prefetch(tf.data.AUTOTUNE) "
        "last, after .batch(...). Its steps are {steps}."
    ).format(steps=steps[::-1])


@pytest.mark.points(2)
def test_compiled_with_xla_and_many_steps_per_execution(impl, reference):
    model = reference(3).build_model()
    with global_policy_kept() as policies:
        compiled = impl.compile_for_speed(model)
    policy, changed = policies
    assert changed == policy, _(
        "compile_for_speed() changed Keras' global dtype policy from {before!r} to {after!r}: every "
        "model built afterwards, anywhere in the program, computes in it. Compile only the model you "
        "were given (jit_compile and steps_per_execution); leave keras.mixed_precision alone."
    ).format(before=policy, after=changed)
    assert compiled is model, _(
        "compile_for_speed(model) should compile the model it was given and return it "
        "(model.compile(...); return model); it returned {type}."
    ).format(type=type(compiled).__name__)
    assert model.jit_compile is True, _(
        "The model should be compiled with jit_compile=True, so XLA fuses each training step; "
        "model.jit_compile is {jit!r}."
    ).format(jit=model.jit_compile)
    steps = int(model.steps_per_execution)
    assert steps > 1, _(
        "The model should run many training steps per call from Python: compile it with "
        "steps_per_execution=STEPS_PER_EXECUTION (e.g. 64); model.steps_per_execution is {steps}."
    ).format(steps=steps)


@pytest.mark.points(1)
def test_learning_rate_matches_the_batch_and_loss_is_the_tutorials(impl, reference):
    import keras

    size = batch_size_of(impl)
    tutorial = float(impl.learning_rate(TUTORIAL_BATCH_SIZE))
    assert math.isclose(tutorial, TUTORIAL_LEARNING_RATE, rel_tol=0.01), _(
        "learning_rate(32) should be the tutorial's learning rate, {expected}; it is {rate}."
    ).format(expected=TUTORIAL_LEARNING_RATE, rate=tutorial)
    model = fresh_compiled(impl, reference)
    assert isinstance(model.optimizer, keras.optimizers.Adam), _(
        "Keep the tutorial's optimizer, Adam; the model uses {type}."
    ).format(type=type(model.optimizer).__name__)
    rate = float(model.optimizer.learning_rate)
    low = TUTORIAL_LEARNING_RATE * math.sqrt(size / TUTORIAL_BATCH_SIZE)
    high = TUTORIAL_LEARNING_RATE * size / TUTORIAL_BATCH_SIZE
    assert low * 0.95 <= rate <= high * 1.05, _(
        "With batches of {size} the learning rate should grow to match: from {low:.4g} "
        "(0.001 × √({size}/32)) to at most {high:.4g} (0.001 × {size}/32). Adam's learning rate is "
        "{rate:.4g}; use keras.optimizers.Adam(learning_rate=learning_rate(batch_size))."
    ).format(size=size, low=low, high=high, rate=rate)
    rates = {odd: float(impl.learning_rate(odd)) for odd in (48, 64, 100)}  # not only powers of two
    for odd, rate in rates.items():
        low = TUTORIAL_LEARNING_RATE * math.sqrt(odd / TUTORIAL_BATCH_SIZE)
        high = TUTORIAL_LEARNING_RATE * odd / TUTORIAL_BATCH_SIZE
        assert low * 0.99 <= rate <= high * 1.01, (_(
            "learning_rate(batch_size) should grow with batch_size; it gives {rate:.4g} for 48, 64 "
            "and 100 alike. Compute it from its batch_size argument, not from BATCH_SIZE."
        ) if len(set(rates.values())) == 1 else _(
            "learning_rate({size}) should be between {low:.4g} (0.001 × √({size}/32)) and {high:.4g} "
            "(0.001 × {size}/32); it is {rate:.4g}. Divide with / (// rounds {size}/32 down to a whole "
            "number) and don't round the result."
        )).format(size=odd, low=low, high=high, rate=rate)
    other = 256 if size != 256 else 512
    rate = float(impl.compile_for_speed(reference(3).build_model(), batch_size=other).optimizer.learning_rate)
    low, high = TUTORIAL_LEARNING_RATE * math.sqrt(other / 32), TUTORIAL_LEARNING_RATE * other / 32
    assert low * 0.95 <= rate <= high * 1.05, _(
        "compile_for_speed(model, batch_size={size}) should scale the learning rate for batches of "
        "{size} (from {low:.4g} to {high:.4g}); Adam's learning rate is {rate:.4g}. Use the "
        "batch_size argument: learning_rate(batch_size) (BATCH_SIZE is only its default)."
    ).format(size=other, low=low, high=high, rate=rate)
    second = fresh_compiled(impl, reference)
    assert second.optimizer is not model.optimizer, _(
        "compile_for_speed() gave two models the same optimizer object. An optimizer keeps state "
        "for the variables of the one model it trains (the second model then fails with 'Unknown "
        "variable'): make a new keras.optimizers.Adam(...) inside compile_for_speed, for each model."
    )
    config = model.loss.get_config() if hasattr(model.loss, "get_config") else {}
    assert config.get("from_logits") is True, _(
        "Keep the tutorial's loss, keras.losses.SparseCategoricalCrossentropy(from_logits=True): the "
        "model outputs logits. The model's loss is {loss!r}."
    ).format(loss=model.loss)


@pytest.mark.points(1)
def test_fast_train_fits_the_dataset_with_the_fast_compile(impl, reference, fashion_mnist):
    import tensorflow as tf

    images, labels = small_data(fashion_mnist, reference)
    model = reference(3).build_model()
    calls = []
    real_fit = type(model).fit

    def spy_fit(*args, **kwargs):
        calls.append((args, kwargs))
        return real_fit(model, *args, **kwargs)

    model.fit = spy_fit
    history = impl.fast_train(model, images, labels, epochs=2)
    assert calls, _("fast_train() should train the model it was given with model.fit(...); fit was never called.")
    assert len(calls) == 1, _(
        "fast_train(..., epochs=2) should call model.fit once, with epochs=epochs; it called it {count} "
        "times, so the model trained more epochs than asked (a warm-up fit counts too: XLA compiles "
        "on the first steps of the one fit)."
    ).format(count=len(calls))
    args, kwargs = calls[-1]
    data = args[0] if args else kwargs.get("x")
    assert isinstance(data, tf.data.Dataset), _(
        "fast_train() should give model.fit the tf.data pipeline, model.fit(make_dataset(images, labels), "
        "epochs=epochs); it gave {type}."
    ).format(type=type(data).__name__)
    assert model.jit_compile is True and int(model.steps_per_execution) > 1, _(
        "fast_train() should compile the model with compile_for_speed(model) before training; the "
        "model trained with jit_compile={jit!r}, steps_per_execution={steps}."
    ).format(jit=model.jit_compile, steps=int(model.steps_per_execution))
    losses = getattr(history, "history", {}).get("loss", [])
    assert len(losses) == 2, _(
        "fast_train(..., epochs=2) should return the History of 2 epochs; it has {count} loss values. "
        "Pass epochs=epochs to model.fit and return what it gives back."
    ).format(count=len(losses))
    batch = max(len(y) for _images, y in epoch_of(data))
    rate, expected = float(model.optimizer.learning_rate), float(impl.learning_rate(batch))
    assert math.isclose(rate, expected, rel_tol=1e-4), _(
        "fast_train() trains on batches of {batch} but compiled the model with the learning rate "
        "for another batch size ({rate:.6g}; learning_rate({batch}) is {expected:.6g}). Give "
        "compile_for_speed and make_dataset the same batch_size."
    ).format(batch=batch, rate=rate, expected=expected)


@pytest.mark.slow
@pytest.mark.points(2)
def test_fast_train_still_reaches_the_tutorials_accuracy(impl, reference, fashion_mnist):
    (train_images, train_labels), (test_images, test_labels) = fashion_mnist
    normalize = reference(2).normalize
    model = reference(3).build_model()
    impl.fast_train(model, normalize(train_images), train_labels.copy(), epochs=EPOCHS)
    scores = model.predict(normalize(test_images), verbose=0)
    accuracy = float(np.mean(np.argmax(scores, axis=1) == test_labels))
    assert accuracy >= TARGET_ACCURACY, _(
        "After {epochs} epochs on the 60,000 training images the test accuracy should still reach "
        "{target} (the tutorial's model gets about 0.88); yours reached {accuracy:.3f}. A "
        "learning rate too large or too small for your batch size, or data not shuffled, can cost it."
    ).format(epochs=EPOCHS, target=TARGET_ACCURACY, accuracy=accuracy)
