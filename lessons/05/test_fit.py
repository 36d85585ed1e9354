"""Lesson 05 · train the model — graded suite (10 points).

Training is the slow part, so most tests share one call of your ``train()``:
2,010 training images (not a multiple of 50: the last batch holds 10),
``epochs=2``, ``batch_size=50``.  A run that goes on far
longer than asked is stopped (every ``fit`` in the call gets a step budget), so a
mistake ends in seconds with a message instead of minutes of training.  Each test
then judges one thing from what the call left behind: the ``History`` it returned
(its epochs and steps per epoch, its losses), how many steps the model's optimizer
took, the model's weights, and the arrays it was given.  A second call, on 64 images
with a model its caller compiled with slow plain SGD, checks the defaults, that the
model's optimizer comes back as it was, and that every epoch runs.
"""

import math
from types import SimpleNamespace

import numpy as np
import pytest

from kata.fitting import batches_of, changed_in_place, data_problem, order_problem
from kata.i18n import _, ngettext
from kata.remote.budget import call_within_budget
from kata.suitekit import fail, global_policy_kept

N_IMAGES = 2010  # not a multiple of BATCH_SIZE: each epoch ends with a smaller batch of 10
EPOCHS = 2
BATCH_SIZE = 50
CHANCE = 0.1  # ten classes: guessing gets one image in ten right
LEARNED = 0.3  # three times chance: the model learned from the images with their labels
BUDGET = 10  # stop a run after 10 times the training steps it was asked for
DEFAULT_BATCH = 32  # fit's own default batch size
RESCALED = 1 / 255  # the images divided by 255 once more
NOT_LEARNED = 0.05  # a class the model gets fewer than one image in 20 right was not learned (right answers:
# 0.24 and more for their weakest class, coat or shirt, in three runs; a class given no weight: 0.00)
SLOW_LEARNING_RATE = 0.001  # the second call's model learns with plain SGD at this rate: its loss drops slowly
DARKER = 0.8  # the second call's images are darker: their brightest pixel is 0.8, not 1.0
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
    """The share of images whose highest score is their own label, in all and per class (0–9), computed with numpy."""
    right = np.argmax(model.predict(images, verbose=0), axis=1) == labels
    return float(np.mean(right)), [float(np.mean(right[labels == k])) for k in range(10)]


def steps_taken(model):
    """How many training steps ``model``'s optimizer has taken (0 for a model never trained)."""
    optimizer = getattr(model, "optimizer", None)
    iterations = getattr(optimizer, "iterations", None)
    return 0 if iterations is None else int(np.asarray(iterations))


def run_train(impl, model, images, labels, max_steps, **arguments):
    """Call ``impl.train`` with every ``fit`` in it stopped after ``max_steps`` steps in all.

    Returns a namespace: ``returned`` (what train() gave back), ``error`` (what it
    raised, if anything), ``model``, ``images`` and ``labels`` (the arguments, as the
    call left them), ``count`` (how many images were given), ``fits`` (what each
    ``fit`` was given, :mod:`kata.remote.fitlog`) and ``then`` (the History's data and
    the optimizers' steps as the call left them: a later call may change them).
    """
    fits = []
    with global_policy_kept() as policies:  # as the call left it; then as it was, for the tests after
        try:
            returned = call_within_budget(impl.train, max_steps, model, images, labels, fits=fits, **arguments)
            error = None
        except Exception as raised:  # reported by the tests, with what it means
            returned, error = None, raised
    # The History's data as this call left it (a History kept from call to call changes later).
    history_model = getattr(returned, "model", None)
    then = SimpleNamespace(model=history_model, params=dict(getattr(returned, "params", None) or {}),
                           epoch=list(getattr(returned, "epoch", None) or []),
                           history={name: list(values) for name, values in (getattr(returned, "history", None) or {}).items()}
                           if isinstance(getattr(returned, "history", None), dict) else {},
                           taken={id(m): steps_taken(m) for m in (model, history_model) if m is not None},
                           policies=tuple(policies))
    return SimpleNamespace(returned=returned, error=error, model=model, images=images, labels=labels,
                           count=len(images), asked=arguments, then=then, fits=fits, max_steps=max_steps)


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


def kept_from_another_fit(run):
    """Is the History the call returned one of another model's fit, while the model given was trained?

    That History was kept from an earlier call (a module-level variable, say): it says nothing of
    this call's training.  A History of another model while the model given was left untrained is
    not kept: train() trained another model (the test of the model it was given says so).
    """
    history_model = run.then.model
    return (history_model is not None and history_model is not run.model
            and run.then.taken.get(id(run.model), 0) > 0)


def the_fit(run, epochs, batch_size):
    """What the run's last fit did, from the data the call left: a namespace.

    ``model`` (the model fit trained: the History's, else the one given), ``history``
    (the History returned, or None), ``epochs`` and ``steps`` (per epoch) fit was
    asked for, ``epoch_logs`` (one dict per epoch run), ``stopped`` (the step budget
    ended it), ``taken`` (steps the trained model's optimizer took in all) and
    ``batch_size`` (told by the steps, or None).
    """
    import keras

    # A History that no fit made (History() filled by hand) says nothing of the run: the steps tell.
    # Nor does one of another model's fit while the model given was trained (a History kept from
    # an earlier call): the History test says so.
    history = (run.returned if isinstance(run.returned, keras.callbacks.History)
               and run.then.model is not None and run.then.params
               and not kept_from_another_fit(run) else None)
    model = run.then.model if history is not None else run.model
    taken = run.then.taken.get(id(model), 0)  # as the call left it: a later call may train this model again
    call = SimpleNamespace(model=model, history=history, taken=taken, epoch_logs=[], stopped=False)
    if history is not None:
        params = run.then.params
        call.epochs, call.steps = params.get("epochs"), params.get("steps")
        logs = run.then.history
        call.epoch_logs = [{name: values[i] for name, values in logs.items() if i < len(values)}
                           for i in range(len(run.then.epoch))]
        call.stopped = len(run.then.epoch) < (call.epochs or 0)  # by the budget, or else early
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

    The caller compiled this model its own way: plain SGD, learning slowly, so that
    its loss drops only a little from one epoch to the next.  Its images are darker than
    the first call's (the brightest pixel 0.8): a train() that rescales them to a maximum
    of 1 changes them.  Shared by the test of
    the defaults and the tests that train() trains the model it is given and returns its History.
    """

    def get():
        key = ("defaults", impl.__file__, kata_seed)
        if key not in _runs:
            import keras

            (train_images, train_labels), _test = fashion_mnist
            images = reference(2).normalize(train_images[:64]) * np.float32(DARKER)  # still 0.0-1.0, as normalized images are
            model = reference(3).build_model()
            model.compile(optimizer=keras.optimizers.SGD(learning_rate=SLOW_LEARNING_RATE),
                          loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
            compiled = optimizer_settings(model)
            weights_before = [w.copy() for w in model.get_weights()]
            labels = train_labels[:64].copy()
            given = (images.copy(), labels.copy())
            run = run_train(impl, model, images, labels, BUDGET * 10 * 2)
            run.given = given
            run.compiled, run.compiled_after = compiled, optimizer_settings(model)
            run.weights_before = weights_before
            run.weights_after = [w.copy() for w in model.get_weights()]
            _runs[key] = run
        return _runs[key]

    return get


def optimizer_settings(model):
    """The model's optimizer, as data: its class and its settings (learning rate and the rest)."""
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:
        return None
    config = {name: value for name, value in optimizer.get_config().items() if name != "name"}
    return type(optimizer).__name__, {name: round(value, 6) if isinstance(value, float) else value
                                      for name, value in config.items()}


def described(settings, other):
    """An optimizer's settings in a few words: its class, its learning rate, its other settings that differ from ``other``'s."""
    if settings is None:
        return _("no optimizer")
    name, config = settings
    same_class = other is not None and other[0] == name
    shown = [key for key in config if key == "learning_rate" or (same_class and config[key] != other[1].get(key))]
    return name + " (" + ", ".join(f"{key}={config[key]}" for key in shown) + ")"


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


def epochs_folded(call):
    """Did the shared call's fit take the epochs asked for as fewer, longer ones?

    That is what data that repeats does (a tf.data pipeline with ``.repeat(epochs)``):
    fit runs one epoch over the images twice, the steps of two epochs in all.  The fits
    test names it; the test of the images stays out (each image was trained on as often
    as asked).
    """
    per_epoch = math.ceil(N_IMAGES / BATCH_SIZE)
    return bool(call.epochs and call.steps and call.epochs < EPOCHS
                and call.epochs * call.steps == EPOCHS * per_epoch)


def seen_images(run, call):
    """The images fit trained on, as the trained model tells: ``(how, images)``.

    ``how`` is ``"given"`` (the images as given), ``"rescaled"`` (divided by 255
    once more) or ``"whole"`` (cast to whole numbers, as ``astype(np.uint8)`` or
    ``astype(int)`` do: every pixel below 1 becomes 0).  Both changed forms are
    nearly blank, so a model that learned nothing from its images (labels shuffled,
    say) fits them about as well as blank images, and often better than the images
    it was given.  A changed form is the answer only when the model fits it clearly
    better than both the images as given and blank images: it learned from it.  The
    forms are tried in turn, the first that fits is the answer (both are nearly blank:
    a model trained on images divided by 255 also fits whole numbers better than blank).
    """
    if getattr(run, "seen", None) is None:
        run.seen = ("given", run.images)
        best = cross_entropy(call.model, run.images, run.labels) - CLEARLY_BETTER
        blank = cross_entropy(call.model, np.zeros_like(run.images), run.labels) - LEARNED_FROM
        for how, images in (("rescaled", run.images * RESCALED), ("whole", np.trunc(run.images))):
            loss = cross_entropy(call.model, images, run.labels)
            if loss < best and loss < blank:
                run.seen = (how, images)
                break
    return run.seen


@pytest.mark.points(1)
def test_returns_the_history_from_fit(shared_run, defaults_run):
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
    for call in (run, defaults_run()):  # two calls, each with its own model: each History holds its own epochs
        assert call.error is not None or not kept_from_another_fit(call), (_(
            "Called a second time, with another model, train() trained that model but returned the "
            "History of the first call's model.fit. Is a History kept from call to call (in a "
            "module-level variable, say)? Return what this call's model.fit gives back: "
            "history = model.fit(...); return history."
        ) if call.then.model is run.model else _(
            "train() trained the model it was given but returned the History of another model's "
            "fit. Return what the fit of the model it was given gives back: "
            "history = model.fit(...); return history."
        ))
        if call.error is None and isinstance(call.returned, keras.callbacks.History):
            losses, epochs = len(call.then.history.get("loss", [])), len(call.then.epoch)
            assert losses == epochs, _(
                "The History train() returned holds {losses} losses for the {epochs} epochs its call "
                "ran: it still holds the epochs of an earlier call. Is one History kept for every "
                "call (made once, outside train(), and passed to fit in callbacks)? Let each "
                "model.fit make its own: history = model.fit(...); return history."
            ).format(losses=losses, epochs=epochs)


@pytest.mark.points(2)
def test_fits_once_with_the_epochs_and_batch_size_asked_for(impl, shared_run):
    run = shared_run()
    call = trained(run)
    asked = f"train(..., epochs={EPOCHS}, batch_size={BATCH_SIZE})"
    expected = EPOCHS * math.ceil(N_IMAGES / BATCH_SIZE)
    assert len(run.fits) <= 1, (_(
        "{asked} called model.fit {times} times, as if model.fit(..., epochs=1) ran in a loop; call it "
        "once, with epochs=epochs: fit runs the epochs itself (and the History of a loop's last fit holds "
        "only its last epoch)."
    ) if call.epochs == 1 else _(
        "{asked} trained the model more than once: it called model.fit {times} times. Is the tutorial's "
        "model.fit(train_images, train_labels, epochs=10) line still there? Call fit once."
    )).format(asked=asked, times=len(run.fits))
    if call.history is None:
        assert call.steps is not None, _(
            "{asked} made the model take {taken} training steps; one model.fit with these settings "
            "takes {expected} ({epochs} epochs of {steps} batches). Call fit once: "
            "model.fit(images, labels, epochs=epochs, batch_size=batch_size)."
        ).format(asked=asked, taken=call.taken, expected=expected, epochs=EPOCHS,
                 steps=math.ceil(N_IMAGES / BATCH_SIZE))
    elif not call.stopped:
        own = len(run.then.epoch) * (call.steps or 0)
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
    if call.stopped and call.taken >= run.max_steps and call.history is not None and call.steps is None:
        fail(_(
            "{asked} never finished its first epoch: the data given to fit has no end (a tf.data "
            "pipeline with .repeat(), or a generator), so fit trained on for {taken} steps until the "
            "suite stopped it; {epochs} epochs of {steps} batches take {expected}. Leave .repeat() out "
            "(fit goes over the data once per epoch), or tell fit where an epoch ends: "
            "steps_per_epoch=math.ceil(len(images) / batch_size)."
        ).format(asked=asked, taken=call.taken, epochs=EPOCHS, steps=math.ceil(N_IMAGES / BATCH_SIZE),
                 expected=expected))
    per_epoch = math.ceil(N_IMAGES / BATCH_SIZE)
    if epochs_folded(call):
        fail(ngettext(
            "{asked} trained {epochs} epoch of {steps} batches, where {expected} epochs of {per_epoch} "
            "were asked for: the data given to fit goes over the images {times} times (a tf.data "
            "pipeline with .repeat(epochs), say), so fit took the epochs for one. Leave .repeat() out "
            "and pass epochs=epochs to model.fit: fit goes over the data once per epoch.",
            "{asked} trained {epochs} epochs of {steps} batches, where {expected} epochs of {per_epoch} "
            "were asked for: the data given to fit goes over the images {times} times (a tf.data "
            "pipeline with .repeat(epochs), say), so fit took the epochs for one. Leave .repeat() out "
            "and pass epochs=epochs to model.fit: fit goes over the data once per epoch.",
            call.epochs,
        ).format(asked=asked, epochs=call.epochs, steps=call.steps, expected=EPOCHS, per_epoch=per_epoch,
                 times=call.steps // per_epoch))
    assert call.epochs == EPOCHS, ngettext(
        "{asked} trained {epochs} epoch instead of {expected}. Pass epochs=epochs to model.fit.",
        "{asked} trained {epochs} epochs instead of {expected}. Pass epochs=epochs to model.fit.",
        call.epochs or 0,
    ).format(asked=asked, epochs=call.epochs, expected=EPOCHS)
    hint = " " + _("That is fit's default of 32: pass batch_size=batch_size.") if batch_size == 32 else ""
    # Steps per epoch that tell no batch size: images left out or added (the next test says so).
    assert batch_size in (BATCH_SIZE, None), _(
        "{asked} trained on batches of {batch_size} images instead of {expected}."
    ).format(asked=asked, batch_size=batch_size, expected=BATCH_SIZE) + hint
    batches = batches_of(run)
    assert not batches or batches[0] == BATCH_SIZE, _(
        "{asked} gave fit a tf.data data set whose batches hold {sizes} images, not {expected}: batch it "
        "with .batch(batch_size). Dataset.from_tensor_slices((images, labels)) makes one element per "
        "image; from_tensors makes a single element of them all."
    ).format(asked=asked, sizes=", ".join(map(str, batches[:3])), expected=BATCH_SIZE)
    order = order_problem(impl, EPOCHS, BATCH_SIZE)
    assert order is None, order


@pytest.mark.points(1)
def test_trains_on_all_the_images_it_was_given(shared_run, defaults_run):
    run = shared_run()
    call = trained(run)
    expectation = _("Each epoch should go over all the images you were given ({expected:,}) once, as they "
                    "are.").format(expected=N_IMAGES)
    if epochs_folded(call):
        return  # the data repeats, the epochs taken for one: the fits test names it
    kind, problem = data_problem(run)
    # Each step takes one batch: the batch the steps tell, else a tf.data set's own, else the one asked for.
    per_step = call.batch_size or (batches_of(run) or [BATCH_SIZE])[0]
    count = call.steps * per_step if call.steps is not None else N_IMAGES
    hint = ""
    if count > N_IMAGES and call.taken <= EPOCHS * math.ceil(N_IMAGES / per_step):
        hint = " " + _(
            "fit was told to take {steps} steps per epoch, but your {count} images make only "
            "{whole} batches, so the images ran out: steps_per_epoch was set too high. Leave "
            "steps_per_epoch out; fit counts the steps itself."
        ).format(steps=call.steps, count=N_IMAGES, whole=math.ceil(N_IMAGES / per_step))
    elif count > N_IMAGES and kind == "count":  # the record of what fit was given says how
        hint = " " + problem
    elif count > N_IMAGES:
        hint = " " + _(
            "Train on the images and labels passed to train(), not on a data set loaded "
            "elsewhere (the suite stopped that run early)."
        )
    elif any(name.startswith("val_") for name in (call.epoch_logs or [{}])[-1]):
        hint = " " + _(
            "So not every image was used: validation_split (or validation_data) keeps a part "
            "of them aside; leave it out."
        )
    elif kind == "count" and not batches_of(run) and count < N_IMAGES:  # arrays sliced: the record says how
        hint = " " + problem
    elif call.steps is not None and call.steps == N_IMAGES // per_step:
        hint = " " + _(
            "The last, smaller batch of each epoch ({rest} images) was left out: steps_per_epoch="
            "{count} // {batch} rounds the steps down, and a tf.data pipeline batched with "
            "drop_remainder=True drops that batch. Keep it: leave steps_per_epoch out and don't "
            "drop the remainder."
        ).format(rest=N_IMAGES % per_step, count=N_IMAGES, batch=per_step)
    elif count < N_IMAGES:
        hint = " " + _("So not every image was used: give fit all the images and all the labels.")
    # Steps times batch covers every image, the last batch smaller: N <= count < N + batch.
    assert N_IMAGES <= count < N_IMAGES + per_step, _(
        "Each epoch should go over all the images you were given ({expected}) once; yours went "
        "over about {count:,.0f}."
    ).format(expected=N_IMAGES, count=count) + hint
    assert kind != "count", expectation + " " + problem
    given = float(np.mean(run.images))  # after the call: what train() left in the array
    how, seen = seen_images(run, call)  # the images the trained model fits best
    assert how == "given", _(
        "The images given to train() are already normalized (lesson 02): their mean pixel is "
        "{given:.4f}; the images model.fit trained on have a mean pixel of {seen:.6f}."
    ).format(given=given, seen=float(np.mean(seen))) + " " + (
        _("They were divided by 255 again: pass the images to fit as they are.")
        if how == "rescaled"
        else _("They were turned into whole numbers (a cast to uint8 or int does that): every pixel "
               "below 1 became 0. Keep them as they are, floats between 0 and 1, and pass them to fit.")
    )
    assert problem is None, expectation + " " + problem
    second = defaults_run()  # darker images: a train() that rescales its images to a maximum of 1 changes them
    if second.error is None:
        _kind, problem = data_problem(second)
        assert problem is None, _(
            "Called again with {count} darker images (the brightest pixel {darker}, not 1.0), train() "
            "should train on them as they are. {problem} Don't rescale them (images / images.max()): "
            "they come normalized."
        ).format(count=second.count, darker=DARKER, problem=problem)


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
        changed = weights_changed(second)  # any: images made blank (darker ones cast to uint8) leave the first layer as it was
        assert any(changed), _(
            "Called a second time with another new model, train() did not train that one: its "
            "weights did not change (per layer: {changed}). Don't keep a model from an earlier "
            "call (in a module-level variable, say): train the model you are given on each call."
        ).format(changed=changed)
        before, after = second.compiled, second.compiled_after
        assert after == before, _(
            "train() changed the optimizer of the model it was given: called a second time, with a "
            "model its caller compiled its own way, with {before}, it gave it back with {after}. The "
            "model comes compiled, with the optimizer "
            "and learning rate its caller chose (lesson 04): don't call model.compile in train() "
            "and don't change model.optimizer; just call model.fit."
        ).format(before=described(before, after), after=described(after, before))


@pytest.mark.points(2)
def test_loss_goes_down_and_accuracy_beats_chance(shared_run, defaults_run):
    run = shared_run()
    call = trained(run)
    _kind, other_data = data_problem(run)
    if other_data or changed_in_place(run):
        # Trained on other data than given (images changed, labels paired with other images, some
        # left out), or on the caller's arrays changed in place: the test of the images or of the
        # arrays says so, and what the model learned from that data is no measure of train().
        return
    second = defaults_run()
    if second.error is None and second.compiled != second.compiled_after:
        # train() compiled the model again (its own optimizer, maybe a loss without from_logits): the
        # test of the model it was given says so, and the model learned by another recipe than its caller's.
        return
    losses = [logs["loss"] for logs in call.epoch_logs if "loss" in logs]
    # After another fit (the tutorial's line left in), the last fit starts trained: its losses may
    # not go down, and the fits test says fit ran twice.
    if len(losses) >= 2 and not call.stopped and len(run.fits) <= 1:
        assert losses[-1] < losses[0], _(
            "Training should lower the loss from the first epoch to the last; the losses were "
            "{losses}."
        ).format(losses=[round(loss, 4) for loss in losses])
    # Measured on the images as fit saw them (changed images are judged by another test).
    how, seen = seen_images(run, call)
    accuracy, per_class = accuracy_of(call.model, seen, run.labels)
    expected = EPOCHS * math.ceil(N_IMAGES / BATCH_SIZE)
    cause = (_("it took only {taken} training steps instead of {expected} (a test above says why): too few to "
               "learn from.").format(taken=call.taken, expected=expected)
             if call.taken < expected // 2 and not call.stopped else None)
    assert accuracy > LEARNED, _(
        "After {epochs} epochs on {count} images the model should get far more of them right "
        "than guessing ({chance:.0%}), at least {learned:.0%}; it gets {accuracy:.1%} right. The accuracy is "
        "measured on the images and labels you were given: train on them together, each image "
        "with its own label."
    ).format(epochs=EPOCHS, count=N_IMAGES, chance=CHANCE, learned=LEARNED, accuracy=accuracy) + (
        " " + cause if cause else "")
    missed = [k for k, share in enumerate(per_class) if share < NOT_LEARNED]
    assert not (how == "given" and missed and cause), _(
        "After training, the model gets almost none of the images of class {classes} right (per class "
        "0–9: {per_class}): {cause}"
    ).format(classes=", ".join(map(str, missed)), per_class=[round(share, 2) for share in per_class], cause=cause)
    # Images changed into nearly blank ones lose what tells some classes apart: the test above says so.
    assert how != "given" or not missed, _(
        "After training, the model gets almost none of the images of class {classes} right "
        "(per class 0–9: {per_class}), although it gets {accuracy:.1%} of all the images right: "
        "it never learned those classes. Did those images count for nothing in training (a weight "
        "of 0 in sample_weight or class_weight; integer division // makes weights below 1 into 0), "
        "or were they left out? Train on every image and label as given, each with the same weight."
    ).format(classes=", ".join(map(str, missed)), per_class=[round(share, 2) for share in per_class],
             accuracy=accuracy)


@pytest.mark.points(1)
def test_leaves_the_images_and_labels_unchanged(shared_run, defaults_run):
    run = shared_run()
    trained(run)
    for each in (run, defaults_run()):  # the second call's darker images: rescaling them to a maximum of 1 changes them
        changed = changed_in_place(each)
        assert changed is None, changed
        before, after = each.then.policies
        assert before == after, _(
            "train() changed Keras' global dtype policy from {before!r} to {after!r}: every model built "
            "afterwards, anywhere in the program, computes in it (the model you were given was built "
            "before, so it doesn't even train faster). Train the model as it is; leave "
            "keras.mixed_precision alone."
        ).format(before=before, after=after)


@pytest.mark.points(1)
def test_defaults_are_10_epochs_of_batches_of_32(shared_run, defaults_run):
    run = defaults_run()
    call = trained(run, epochs=10, batch_size=32)
    epochs, batch_size = call.epochs, call.batch_size
    if (epochs, batch_size) == (32, 10):
        return  # the defaults swapped by a positional fit call: the test above judges that
    if len(run.fits) > 1 and call.taken == 10 * math.ceil(run.count / 32):
        return  # fit in a loop, 10 epochs of batches of 32 in all: the test above judges the loop
    ran = len(run.then.epoch) if call.history is not None else epochs
    # This model learns slowly (plain SGD): its loss drops only a little per epoch, yet every epoch must run.
    first = max((record.get("initial_epoch") or 0 for record in run.fits), default=0)
    assert not (call.stopped and call.taken < run.max_steps and first > 0), _(
        "Called without epochs, train() should train 10 epochs; model.fit ran {ran} of them: it was "
        "told initial_epoch={first}, so it counted from epoch {first} up to 10. initial_epoch is for "
        "going on with a run that stopped; leave it out (fit starts at 0)."
    ).format(ran=ran, first=first)
    assert not (call.stopped and call.taken < run.max_steps), _(
        "Called without epochs, train() should train 10 epochs; model.fit stopped after {ran} "
        "of them. Something ended training early: an EarlyStopping callback, say, which stops "
        "when the loss (or accuracy) improves too little. Train every epoch asked for: leave "
        "such callbacks out."
    ).format(ran=ran)
    # A setting the first call did not pass on to fit either (epochs=1 written in, say) is one
    # mistake, which the fits test names: judged here is only what the first call got right.
    first = shared_run()
    asked = the_fit(first, EPOCHS, BATCH_SIZE) if first.error is None else None
    epochs_not_passed = asked is not None and not asked.stopped and asked.epochs not in (EPOCHS, None)
    batch_not_passed = asked is not None and asked.batch_size not in (BATCH_SIZE, None)
    # Steps per epoch that tell no batch size: images left out or added (judged above).
    assert (epochs == 10 or epochs_not_passed) and (batch_size in (32, None) or batch_not_passed), ngettext(
        "Called without epochs or batch_size, train() should use the tutorial's defaults, "
        "epochs=10 and batch_size=32; yours trained {epochs} epoch of batches of {batch_size}. "
        "Keep the defaults in def train(..., epochs=10, batch_size=32) and pass them on to "
        "model.fit.",
        "Called without epochs or batch_size, train() should use the tutorial's defaults, "
        "epochs=10 and batch_size=32; yours trained {epochs} epochs of batches of {batch_size}. "
        "Keep the defaults in def train(..., epochs=10, batch_size=32) and pass them on to "
        "model.fit.",
        epochs or 0,
    ).format(epochs=epochs, batch_size=batch_size)
