"""Lesson 05 · train the model — graded suite (10 points).

Training is the slow part, so most tests share one call of your ``train()``:
2,000 training images, ``epochs=2``, ``batch_size=50``.  While it runs, the
suite watches every ``fit`` call (how many, how many epochs, how many images
per step, which images) and stops a run that goes on far longer than asked,
so a mistake ends in seconds with a message instead of minutes of training.
Each test then looks at one thing about that run.
"""

import math
from types import SimpleNamespace

import numpy as np
import pytest

from kata.i18n import _

N_IMAGES = 2000
EPOCHS = 2
BATCH_SIZE = 50
CHANCE = 0.1  # ten classes: guessing gets one image in ten right
LEARNED = 0.3  # three times chance: the model learned from the images with their labels
BUDGET = 10  # stop a run after 10 times the training steps it was asked for

_runs = {}  # one training run per (tree, seed), shared by the tests of this file


def fresh_model(reference):
    """The tutorial's model, built and compiled by the reference lessons 03 and 04."""
    return reference(4).compile_model(reference(3).build_model())


def accuracy_of(model, images, labels):
    """The share of images whose highest score is their own label, computed with numpy."""
    scores = model.predict(images, verbose=0)
    return float(np.mean(np.argmax(scores, axis=1) == labels))


def watched_train(impl, model, images, labels, max_steps, **arguments):
    """Call ``impl.train`` while recording every ``fit`` call made in it.

    Returns a namespace: ``returned`` (what train() gave back), ``error`` (what it
    raised, if anything), ``calls`` (one namespace per fit call: the model, the
    epochs and steps per epoch asked for, steps run, images per epoch, mean pixel,
    per-epoch logs, the batch size, whether the suite stopped it).
    """
    import keras
    import tensorflow as tf

    calls = []
    seen = SimpleNamespace(
        images=tf.Variable(0.0, dtype=tf.float64),
        pixels=tf.Variable(0.0, dtype=tf.float64),
        largest=tf.Variable(0.0, dtype=tf.float64),  # the biggest batch: the batch size
    )

    class Watch(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            seen.largest.assign(0.0)
            calls.append(
                SimpleNamespace(
                    model=self.model,
                    epochs=self.params.get("epochs"),
                    steps=self.params.get("steps"),
                    batches=0,
                    epoch_logs=[],
                    stopped=False,
                    start=(seen.images.numpy(), seen.pixels.numpy()),
                )
            )

        def on_train_batch_end(self, batch, logs=None):
            calls[-1].batches += 1
            if sum(call.batches for call in calls) > max_steps:
                self.model.stop_training = True
                calls[-1].stopped = True

        def on_epoch_end(self, epoch, logs=None):
            calls[-1].epoch_logs.append(dict(logs or {}))

        def on_train_end(self, logs=None):
            call = calls[-1]
            count = seen.images.numpy() - call.start[0]
            call.images_per_step = count / max(call.batches, 1)
            call.batch_size = round(seen.largest.numpy())
            call.images_per_epoch = call.images_per_step * (call.steps or call.batches)
            call.mean_pixel = (seen.pixels.numpy() - call.start[1]) / max(count * 28 * 28, 1)

    original_fit, original_step = keras.Model.fit, keras.Model.train_step

    def fit(self, *args, **kwargs):
        kwargs["callbacks"] = [*(kwargs.get("callbacks") or []), Watch()]
        return original_fit(self, *args, **kwargs)

    def train_step(self, data):
        x, _, _ = keras.utils.unpack_x_y_sample_weight(data)
        count = tf.cast(tf.shape(x)[0], tf.float64)
        seen.images.assign_add(count)
        seen.largest.assign(tf.maximum(seen.largest, count))
        seen.pixels.assign_add(tf.reduce_sum(tf.cast(x, tf.float64)))
        return original_step(self, data)

    keras.Model.fit, keras.Model.train_step = fit, train_step
    try:
        returned, error = impl.train(model, images, labels, **arguments), None
    except Exception as raised:  # reported by the tests, with what it means
        returned, error = None, raised
    finally:
        keras.Model.fit, keras.Model.train_step = original_fit, original_step
    return SimpleNamespace(returned=returned, error=error, calls=calls)


def train_once(impl, reference, fashion_mnist):
    (train_images, train_labels), _ = fashion_mnist
    images = reference(2).normalize(train_images[:N_IMAGES])
    labels = train_labels[:N_IMAGES].copy()
    given = (images.copy(), labels.copy())
    model = fresh_model(reference)
    weights_before = [w.copy() for w in model.get_weights()]
    max_steps = BUDGET * EPOCHS * math.ceil(N_IMAGES / BATCH_SIZE)
    run = watched_train(
        impl, model, images, labels, max_steps, epochs=EPOCHS, batch_size=BATCH_SIZE
    )
    run.model, run.images, run.labels, run.given = model, images, labels, given
    run.weights_before = weights_before
    run.weights_after = [w.copy() for w in model.get_weights()]
    return run


@pytest.fixture
def shared_run(impl, reference, fashion_mnist, kata_seed):
    """``shared_run()``: your train() called on 2,000 images, epochs=2, batch_size=50.

    The first test to ask trains; the others look at the same run.
    """

    def get():
        key = (impl.__file__, kata_seed)
        if key not in _runs:
            _runs[key] = train_once(impl, reference, fashion_mnist)
        return _runs[key]

    return get


def trained(run):
    """The last fit call of a run that finished; otherwise a failure saying what went wrong."""
    if isinstance(run.error, NotImplementedError):
        raise run.error  # the untouched stub: "not started yet"
    if run.error is not None and getattr(run, "error_told", False):
        raise AssertionError(_(
            "train() stopped with an error (the first failing test above says which and why)."
        ))
    if run.error is not None:
        run.error_told = True
        error = run.error
        text = f"{type(error).__name__}: {str(error).strip().splitlines()[0][:200]}"
        hint = (
            _("Train on the images and labels as you were given them: the labels are class "
              "numbers 0–9, which is what lesson 04's sparse loss expects (don't turn them into "
              "one-hot rows with to_categorical).")
            if "shape" in str(error).lower() or "rank" in str(error).lower()
            else _("Call model.fit(images, labels, epochs=epochs, batch_size=batch_size).")
        )
        raise AssertionError(_("train() stopped with an error: {error}. {hint}").format(error=text, hint=hint))
    if not run.calls:
        raise AssertionError(_(
            "train() never called model.fit, so nothing was trained. "
            "Call model.fit(images, labels, epochs=epochs, batch_size=batch_size)."
        ))
    return run.calls[-1]


@pytest.mark.points(1)
def test_returns_the_history_from_fit(shared_run):
    import keras

    run = shared_run()
    call = trained(run)
    history = run.returned
    assert isinstance(history, keras.callbacks.History), (
        _("train() should return the History that model.fit(...) gives back "
          "(history = model.fit(...); return history); it returned {type}: that is history.history, "
          "the dictionary inside the History. Return the History itself.")
        if isinstance(history, dict)
        else _("train() should return the History that model.fit(...) gives back "
               "(history = model.fit(...); return history); it returned {type}.")
    ).format(type=type(history).__name__)
    assert history.model is call.model, _(
        "The History train() returned is not the one of its last model.fit call. "
        "Return what that call gives back: history = model.fit(...); return history."
    )


@pytest.mark.points(2)
def test_fits_once_with_the_epochs_and_batch_size_asked_for(shared_run):
    run = shared_run()
    call = trained(run)
    asked = f"train(..., epochs={EPOCHS}, batch_size={BATCH_SIZE})"
    assert len(run.calls) == 1, _(
        "{asked} called model.fit {count} times, so the model trained more than once "
        "({epochs} epochs). Is the tutorial's "
        "model.fit(train_images, train_labels, epochs=10) line still there? Call fit once."
    ).format(asked=asked, count=len(run.calls), epochs=", ".join(str(c.epochs) for c in run.calls))
    batch_size = call.batch_size
    if (call.epochs, batch_size) == (BATCH_SIZE, EPOCHS):
        raise AssertionError(_(
            "{asked} trained {epochs} epochs of batches of {batch_size}: epochs and "
            "batch_size are swapped (the suite stopped the run early). model.fit's own order "
            "is fit(x, y, batch_size, epochs), so model.fit(images, labels, epochs, batch_size) "
            "mixes them up; pass them by name: epochs=epochs, batch_size=batch_size."
        ).format(asked=asked, epochs=call.epochs, batch_size=batch_size))
    assert call.epochs == EPOCHS, _(
        "{asked} trained {epochs} epochs instead of {expected}. Pass epochs=epochs to model.fit."
    ).format(asked=asked, epochs=call.epochs, expected=EPOCHS)
    hint = " " + _("That is fit's default of 32: pass batch_size=batch_size.") if batch_size == 32 else ""
    assert batch_size == BATCH_SIZE, _(
        "{asked} trained on batches of {batch_size} images instead of {expected}."
    ).format(asked=asked, batch_size=batch_size, expected=BATCH_SIZE) + hint


@pytest.mark.points(1)
def test_trains_on_all_the_images_it_was_given(shared_run):
    run = shared_run()
    call = trained(run)
    count = call.images_per_epoch
    hint = ""
    if count > N_IMAGES:
        hint = " " + _(
            "Train on the images and labels passed to train(), not on a data set loaded "
            "elsewhere (the suite stopped that run early)."
        )
    elif any(name.startswith("val_") for name in (call.epoch_logs or [{}])[-1]):
        hint = " " + _(
            "So not every image was used: validation_split (or validation_data) keeps a part "
            "of them aside; leave it out."
        )
    elif count < N_IMAGES:
        hint = " " + _("So not every image was used: give fit all the images and all the labels.")
    assert abs(count - N_IMAGES) < max(call.images_per_step, 1), _(
        "Each epoch should go over all the images you were given ({expected}) once; yours went "
        "over about {count:,.0f}."
    ).format(expected=N_IMAGES, count=count) + hint
    given = float(np.mean(run.images))  # after the call: what train() left in the array
    assert np.isclose(call.mean_pixel, given, rtol=0.01), _(
        "The images given to train() are already normalized (lesson 02): their mean pixel is "
        "{given:.4f}; the images model.fit trained on have a mean pixel of {seen:.6f}."
    ).format(given=given, seen=call.mean_pixel) + " " + (
        _("They were divided by 255 again: pass the images to fit as they are.")
        if np.isclose(call.mean_pixel * 255, given, rtol=0.01)
        else _("Pass the images to fit as they are.")
    )


@pytest.mark.points(2)
def test_trains_the_model_it_was_given(shared_run):
    run = shared_run()
    trained(run)
    changed = [
        not np.allclose(before, after)
        for before, after in zip(run.weights_before, run.weights_after, strict=True)
    ]
    assert all(changed), _(
        "The weights of the model passed to train() did not change: train() should train "
        "that model (model.fit(...)), not a new one. Weights changed per layer: "
        "{changed}."
    ).format(changed=changed)


@pytest.mark.points(2)
def test_loss_goes_down_and_accuracy_beats_chance(shared_run):
    run = shared_run()
    call = trained(run)
    losses = [logs["loss"] for logs in call.epoch_logs if "loss" in logs]
    if len(losses) >= 2 and not call.stopped:
        assert losses[-1] < losses[0], _(
            "Training should lower the loss from the first epoch to the last; the losses were "
            "{losses}."
        ).format(losses=[round(loss, 4) for loss in losses])
    # Measured on the images as fit saw them (a wrong scale is judged by another test).
    scale = call.mean_pixel / max(float(np.mean(run.images)), 1e-12)
    accuracy = accuracy_of(call.model, run.images * scale, run.labels)
    assert accuracy > LEARNED, _(
        "After {epochs} epochs on {count} images the model should get far more of them right "
        "than guessing ({chance:.0%}), at least {learned:.0%}; it gets {accuracy:.1%} right. The accuracy is "
        "measured on the images and labels you were given: train on them together, each image "
        "with its own label."
    ).format(epochs=EPOCHS, count=N_IMAGES, chance=CHANCE, learned=LEARNED, accuracy=accuracy)


@pytest.mark.points(1)
def test_leaves_the_images_and_labels_unchanged(shared_run):
    run = shared_run()
    trained(run)
    images, labels = run.given
    assert np.array_equal(run.images, images), _(
        "train() changed the images it was given (the caller's array now holds other values, "
        "mean pixel {now:.4f} instead of {before:.4f}). They are "
        "already normalized; don't divide or modify them in place (images /= 255): train on them "
        "as they are."
    ).format(now=np.mean(run.images), before=np.mean(images))
    assert np.array_equal(run.labels, labels), _(
        "train() changed the labels it was given (the caller's array now holds other values). "
        "Leave the caller's arrays alone: pass them to fit as they are."
    )


@pytest.mark.points(1)
def test_defaults_are_10_epochs_of_batches_of_32(impl, reference, fashion_mnist):
    (train_images, train_labels), _test = fashion_mnist
    images = reference(2).normalize(train_images[:64])
    run = watched_train(
        impl, fresh_model(reference), images, train_labels[:64].copy(), BUDGET * 10 * 2
    )
    call = trained(run)
    epochs, batch_size = call.epochs, call.batch_size
    if (epochs, batch_size) == (32, 10):
        return  # the defaults swapped by a positional fit call: the test above judges that
    assert (epochs, batch_size) == (10, 32), _(
        "Called without epochs or batch_size, train() should use the tutorial's defaults, "
        "epochs=10 and batch_size=32; yours trained {epochs} epochs of batches of {batch_size}. "
        "Keep the defaults in def train(..., epochs=10, batch_size=32) and pass them on to "
        "model.fit."
    ).format(epochs=epochs, batch_size=batch_size)
