"""Lesson 05 · train the model — graded suite (10 points).

Training is the slow part, so most tests share one call of your ``train()``:
2,010 training images (not a multiple of 50: the last batch holds 10),
``epochs=2``, ``batch_size=50``.  A run that goes on far
longer than asked is stopped (every ``fit`` in the call gets a step budget), so a
mistake ends in seconds with a message instead of minutes of training.  Each test
then judges one thing from what the call left behind: the ``History`` it returned
(its epochs and steps per epoch, its losses), how many steps the model's optimizer
took, the model's weights, and the arrays it was given.
"""

import math
from types import SimpleNamespace

import numpy as np
import pytest

from kata.i18n import _
from kata.remote.budget import call_within_budget

N_IMAGES = 2010  # not a multiple of BATCH_SIZE: each epoch ends with a smaller batch of 10
EPOCHS = 2
BATCH_SIZE = 50
CHANCE = 0.1  # ten classes: guessing gets one image in ten right
LEARNED = 0.3  # three times chance: the model learned from the images with their labels
BUDGET = 10  # stop a run after 10 times the training steps it was asked for
DEFAULT_BATCH = 32  # fit's own default batch size
RESCALED = 1 / 255  # the images divided by 255 once more
CLEARLY_BETTER = 0.1  # nats of cross-entropy: the trained model fits one scale of the images better
LEARNED_FROM = 0.05  # nats: a model trained on images divided by 255 again fits them better than blank
# ones (by 0.14-0.16 in ten runs; a model that learned nothing, by under 0.002)

_runs = {}  # one training run per (tree, seed), shared by the tests of this file


def fresh_model(reference):
    """The tutorial's model, built and compiled by the reference lessons 03 and 04."""
    return reference(4).compile_model(reference(3).build_model())


def cross_entropy(model, images, labels):
    """The model's mean cross-entropy on (images, labels), its outputs read as logits, computed with numpy."""
    logits = np.asarray(model.predict(images, verbose=0), dtype=np.float64)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_softmax[np.arange(len(labels)), labels].mean())


def accuracy_of(model, images, labels):
    """The share of images whose highest score is their own label, computed with numpy."""
    scores = model.predict(images, verbose=0)
    return float(np.mean(np.argmax(scores, axis=1) == labels))


def steps_taken(model):
    """How many training steps ``model``'s optimizer has taken (0 for a model never trained)."""
    optimizer = getattr(model, "optimizer", None)
    iterations = getattr(optimizer, "iterations", None)
    return 0 if iterations is None else int(np.asarray(iterations))


def run_train(impl, model, images, labels, max_steps, **arguments):
    """Call ``impl.train`` with every ``fit`` in it stopped after ``max_steps`` steps in all.

    Returns a namespace: ``returned`` (what train() gave back), ``error`` (what it
    raised, if anything), ``model``, ``images`` and ``labels`` (the arguments, as the
    call left them) and ``count`` (how many images were given).
    """
    try:
        returned, error = call_within_budget(impl.train, max_steps, model, images, labels, **arguments), None
    except Exception as raised:  # reported by the tests, with what it means
        returned, error = None, raised
    return SimpleNamespace(returned=returned, error=error, model=model, images=images, labels=labels,
                           count=len(images), asked=arguments)


def batch_from_steps(steps, count, epochs, batch_size):
    """The batch size that ``steps`` per epoch over ``count`` images tell, or None if they can't.

    The batch asked for, fit's default of 32, or epochs and batch size swapped each
    give their own number of steps; any other number could be a batch size or
    images left out or added (the test of the images judges that).
    """
    for candidate in (batch_size, DEFAULT_BATCH, epochs):
        if steps == math.ceil(count / candidate):
            return candidate
    return None


def the_fit(run, epochs, batch_size):
    """What the run's last fit did, from the data the call left: a namespace.

    ``model`` (the model fit trained: the History's, else the one given), ``history``
    (the History returned, or None), ``epochs`` and ``steps`` (per epoch) fit was
    asked for, ``epoch_logs`` (one dict per epoch run), ``stopped`` (the step budget
    ended it), ``taken`` (steps the trained model's optimizer took in all) and
    ``batch_size`` (told by the steps, or None).
    """
    import keras

    history = run.returned if isinstance(run.returned, keras.callbacks.History) else None
    model = history.model if history is not None and history.model is not None else run.model
    taken = steps_taken(model)
    call = SimpleNamespace(model=model, history=history, taken=taken, epoch_logs=[], stopped=False)
    if history is not None:
        params = history.params or {}
        call.epochs, call.steps = params.get("epochs"), params.get("steps")
        logs = history.history or {}
        call.epoch_logs = [{name: values[i] for name, values in logs.items() if i < len(values)}
                           for i in range(len(history.epoch or []))]
        call.stopped = len(history.epoch or []) < (call.epochs or 0)
    elif taken == epochs * math.ceil(run.count / batch_size):  # no History: the steps must tell
        call.epochs, call.steps = epochs, math.ceil(run.count / batch_size)
    else:
        call.epochs = call.steps = None
    call.batch_size = None if call.steps is None else batch_from_steps(call.steps, run.count, epochs, batch_size)
    return call


def train_once(impl, reference, fashion_mnist):
    (train_images, train_labels), _ = fashion_mnist
    images = reference(2).normalize(train_images[:N_IMAGES])
    labels = train_labels[:N_IMAGES].copy()
    given = (images.copy(), labels.copy())
    model = fresh_model(reference)
    weights_before = [w.copy() for w in model.get_weights()]
    max_steps = BUDGET * EPOCHS * math.ceil(N_IMAGES / BATCH_SIZE)
    run = run_train(impl, model, images, labels, max_steps, epochs=EPOCHS, batch_size=BATCH_SIZE)
    run.given = given
    run.weights_before = weights_before
    run.weights_after = [w.copy() for w in model.get_weights()]
    return run


@pytest.fixture
def shared_run(impl, reference, fashion_mnist, kata_seed):
    """``shared_run()``: your train() called on 2,010 images, epochs=2, batch_size=50.

    The first test to ask trains; the others look at the same run.
    """

    def get():
        key = (impl.__file__, kata_seed)
        if key not in _runs:
            _runs[key] = train_once(impl, reference, fashion_mnist)
        return _runs[key]

    return get


@pytest.fixture
def defaults_run(impl, reference, fashion_mnist, kata_seed):
    """``defaults_run()``: a second call of your train(), on 64 images with a new model and no epochs or batch_size.

    Shared by the test of the defaults and the test that train() trains the model it is given.
    """

    def get():
        key = ("defaults", impl.__file__, kata_seed)
        if key not in _runs:
            (train_images, train_labels), _test = fashion_mnist
            images = reference(2).normalize(train_images[:64])
            model = fresh_model(reference)
            weights_before = [w.copy() for w in model.get_weights()]
            run = run_train(impl, model, images, train_labels[:64].copy(), BUDGET * 10 * 2)
            run.weights_before = weights_before
            run.weights_after = [w.copy() for w in model.get_weights()]
            _runs[key] = run
        return _runs[key]

    return get


def weights_changed(run):
    """Per weight array of the model passed to train(): did the call change it?"""
    return [not np.allclose(before, after) for before, after in zip(run.weights_before, run.weights_after, strict=True)]


def trained(run, epochs=EPOCHS, batch_size=BATCH_SIZE):
    """What the last fit of a run that finished did (:func:`the_fit`); otherwise a failure saying what went wrong."""
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
    call = the_fit(run, epochs, batch_size)
    if call.history is None and call.taken == 0:
        raise AssertionError(_(
            "train() never called model.fit, so nothing was trained. "
            "Call model.fit(images, labels, epochs=epochs, batch_size=batch_size)."
        ))
    return call


def seen_scale(run, call):
    """By what the images fit trained on were scaled: 1, or 1/255 if the trained model clearly fits those better.

    Images divided by 255 once more are nearly blank (every pixel below 0.004), so
    a model that learned nothing from its images (labels shuffled, say) fits them
    about as well as blank images, and often better than the images it was given.
    1/255 is the answer only when the model fits those images clearly better than
    both the images as given and blank images: it learned from them.
    """
    if getattr(run, "scale", None) is None:
        as_given = cross_entropy(call.model, run.images, run.labels)
        rescaled = cross_entropy(call.model, run.images * RESCALED, run.labels)
        blank = cross_entropy(call.model, np.zeros_like(run.images), run.labels)
        learned_from_rescaled = rescaled < as_given - CLEARLY_BETTER and rescaled < blank - LEARNED_FROM
        run.scale = RESCALED if learned_from_rescaled else 1.0
    return run.scale


@pytest.mark.points(1)
def test_returns_the_history_from_fit(shared_run):
    import keras

    run = shared_run()
    trained(run)
    history = run.returned
    assert isinstance(history, keras.callbacks.History), (
        _("train() should return the History that model.fit(...) gives back "
          "(history = model.fit(...); return history); it returned {type}: that is history.history, "
          "the dictionary inside the History. Return the History itself.")
        if isinstance(history, dict)
        else _("train() should return the History that model.fit(...) gives back "
               "(history = model.fit(...); return history); it returned {type}.")
    ).format(type=type(history).__name__)
    assert history.model is not None and getattr(history.model, "history", None) is history, _(
        "The History train() returned is not the one of its last model.fit call. "
        "Return what that call gives back: history = model.fit(...); return history."
    )


@pytest.mark.points(2)
def test_fits_once_with_the_epochs_and_batch_size_asked_for(shared_run):
    run = shared_run()
    call = trained(run)
    asked = f"train(..., epochs={EPOCHS}, batch_size={BATCH_SIZE})"
    expected = EPOCHS * math.ceil(N_IMAGES / BATCH_SIZE)
    if call.history is None:
        assert call.steps is not None, _(
            "{asked} made the model take {taken} training steps; one model.fit with these settings "
            "takes {expected} ({epochs} epochs of {steps} batches). Call fit once: "
            "model.fit(images, labels, epochs=epochs, batch_size=batch_size)."
        ).format(asked=asked, taken=call.taken, expected=expected, epochs=EPOCHS,
                 steps=math.ceil(N_IMAGES / BATCH_SIZE))
    elif not call.stopped:
        own = len(call.history.epoch or []) * (call.steps or 0)
        looped = call.epochs == 1 and own and call.taken % own == 0
        assert call.taken <= own, (_(
            "{asked} trained the model more than once: its optimizer took {taken} training steps, "
            "but the model.fit call whose History train() returned ran only {own}: one epoch, as "
            "if model.fit(..., epochs=1) ran in a loop, {times} times. Call fit once, with "
            "epochs=epochs: fit runs the epochs itself."
        ) if looped else _(
            "{asked} trained the model more than once: its optimizer took {taken} training steps, "
            "but the model.fit call whose History train() returned ran only {own}. Is the tutorial's "
            "model.fit(train_images, train_labels, epochs=10) line still there? Call fit once."
        )).format(asked=asked, taken=call.taken, own=own, times=call.taken // own if own else 0)
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
    # Steps per epoch that tell no batch size: images left out or added (the next test says so).
    assert batch_size in (BATCH_SIZE, None), _(
        "{asked} trained on batches of {batch_size} images instead of {expected}."
    ).format(asked=asked, batch_size=batch_size, expected=BATCH_SIZE) + hint


@pytest.mark.points(1)
def test_trains_on_all_the_images_it_was_given(shared_run):
    run = shared_run()
    call = trained(run)
    # Each step takes one batch: the batch the steps tell, else the one asked for.
    per_step = call.batch_size or BATCH_SIZE
    count = call.steps * per_step if call.steps is not None else N_IMAGES
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
    elif call.steps is not None and call.steps == N_IMAGES // per_step:
        hint = " " + _(
            "The last, smaller batch of each epoch ({rest} images) was left out: {count} // {batch} "
            "rounds the steps down. Let fit count the steps itself (leave steps_per_epoch out)."
        ).format(rest=N_IMAGES % per_step, count=N_IMAGES, batch=per_step)
    elif count < N_IMAGES:
        hint = " " + _("So not every image was used: give fit all the images and all the labels.")
    # Steps times batch covers every image, the last batch smaller: N <= count < N + batch.
    assert N_IMAGES <= count < N_IMAGES + per_step, _(
        "Each epoch should go over all the images you were given ({expected}) once; yours went "
        "over about {count:,.0f}."
    ).format(expected=N_IMAGES, count=count) + hint
    given = float(np.mean(run.images))  # after the call: what train() left in the array
    seen = given * seen_scale(run, call)  # the images the trained model fits best
    assert np.isclose(seen, given, rtol=0.01), _(
        "The images given to train() are already normalized (lesson 02): their mean pixel is "
        "{given:.4f}; the images model.fit trained on have a mean pixel of {seen:.6f}."
    ).format(given=given, seen=seen) + " " + (
        _("They were divided by 255 again: pass the images to fit as they are.")
        if np.isclose(seen * 255, given, rtol=0.01)
        else _("Pass the images to fit as they are.")
    )


@pytest.mark.points(2)
def test_trains_the_model_it_was_given(shared_run, defaults_run):
    run = shared_run()
    trained(run)
    changed = weights_changed(run)
    assert all(changed), _(
        "The weights of the model passed to train() did not change: train() should train "
        "that model (model.fit(...)), not a new one. Weights changed per layer: "
        "{changed}."
    ).format(changed=changed)
    second = defaults_run()  # a second call, with another new model
    if second.error is None:
        changed = weights_changed(second)
        assert all(changed), _(
            "Called a second time with another new model, train() did not train that one: its "
            "weights did not change (per layer: {changed}). Don't keep a model from an earlier "
            "call (in a module-level variable, say): train the model you are given on each call."
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
    accuracy = accuracy_of(call.model, run.images * seen_scale(run, call), run.labels)
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
    rearranged = np.array_equal(np.sort(run.images, axis=None), np.sort(images, axis=None))
    assert np.array_equal(run.images, images), (_(
        "train() rearranged the images it was given in place: the caller's array holds the same "
        "pixels in another order. fit already shuffles the images every epoch; if you shuffle "
        "yourself, shuffle copies (images[order] with order = np.random.permutation(len(images)) "
        "makes one) and leave the caller's arrays as they were."
    ) if rearranged else _(
        "train() changed the images it was given (the caller's array now holds other values, "
        "mean pixel {now:.4f} instead of {before:.4f}). They are "
        "already normalized; don't divide or modify them in place (images /= 255): train on them "
        "as they are."
    ).format(now=np.mean(run.images), before=np.mean(images)))
    assert np.array_equal(run.labels, labels), _(
        "train() changed the labels it was given (the caller's array now holds other values). "
        "Leave the caller's arrays alone: pass them to fit as they are."
    )


@pytest.mark.points(1)
def test_defaults_are_10_epochs_of_batches_of_32(defaults_run):
    run = defaults_run()
    call = trained(run, epochs=10, batch_size=32)
    epochs, batch_size = call.epochs, call.batch_size
    if (epochs, batch_size) == (32, 10):
        return  # the defaults swapped by a positional fit call: the test above judges that
    # Steps per epoch that tell no batch size: images left out or added (judged above).
    assert epochs == 10 and batch_size in (32, None), _(
        "Called without epochs or batch_size, train() should use the tutorial's defaults, "
        "epochs=10 and batch_size=32; yours trained {epochs} epochs of batches of {batch_size}. "
        "Keep the defaults in def train(..., epochs=10, batch_size=32) and pass them on to "
        "model.fit."
    ).format(epochs=epochs, batch_size=batch_size)
