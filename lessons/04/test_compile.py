"""Lesson 04 · compile the model — graded suite (10 points).

Each test looks at one part of the compile call (the model returned, the
optimizer, the loss, the metric) and judges it by what it does: the loss and
the metric are worked out here with numpy from the outputs of lesson 03's model
(the model as it was given to compile_model(), which should leave it as it is).
"""

import re
import weakref

import numpy as np
import pytest

from kata.i18n import _
from kata.suitekit import said

_told = {}  # tree → the message of its compile_model() error, told once in full, then pointed back to
_as_given = weakref.WeakKeyDictionary()  # each model given to compile_model(): (its layers, its outputs)
_left_changed = weakref.WeakKeyDictionary()  # model → the global settings its compile_model() call changed


def global_settings():
    """Keras' process-wide settings a model built later takes: {"dtype policy": name, "floatx": name}."""
    import keras

    return {"dtype policy": keras.mixed_precision.global_policy().name, "floatx": keras.backend.floatx()}


def restore_global_settings(settings):
    """Give Keras back the process-wide ``settings`` of :func:`global_settings`."""
    import keras

    keras.backend.set_floatx(settings["floatx"])
    keras.mixed_precision.set_global_policy(settings["dtype policy"])


def compiled(impl, reference):
    """(model, what compile_model returned), for a fresh model from the reference lesson 03.

    An error in compile_model() is told in full once; later tests say the same message, which
    the report shortens to one line pointing back to the first.
    """
    model = reference(3).build_model()
    _as_given[model] = (layer_kinds(model), np.asarray(model(small_batch()[0])))
    return model, compile_it(impl, model)


def compile_it(impl, model):
    """What ``impl.compile_model(model)`` returns; an error is told as :func:`compiled` says.

    Keras' process-wide settings the call changed (e.g. a mixed-precision policy) are put
    back and remembered for ``model``: test_returns_the_same_model_it_was_given judges them.
    """
    before = global_settings()
    try:
        return impl.compile_model(model)
    except NotImplementedError:
        raise  # the untouched stub: "not started yet"
    except Exception as error:
        if impl.__file__ not in _told:  # the same message again: the report points back to the first
            _told[impl.__file__] = error_message(error)
        raise AssertionError(_told[impl.__file__]) from None
    finally:
        after = global_settings()
        if after != before:
            _left_changed[model] = {key: (before[key], after[key]) for key in before if after[key] != before[key]}
            restore_global_settings(before)


def error_message(error):
    """What to say about the ``error`` compile_model() stopped with: Keras' words and the likely cause."""
    text = " ".join(str(error).split())
    if len(text) > 240:  # Keras often puts the value it received at the very end: keep both ends
        text = text[:150] + " … " + text[-80:]
    hint = _("Check the three arguments against the guide.")
    if "'lr'" in text:
        hint = _("Keras 3's optimizers call it learning_rate=, not lr= (or just write 'adam').")
    elif "learning_rate" in text:
        hint = _("Adam's learning rate is a number such as 0.001 (or just write 'adam').")
        if re.search(r"learning_rate=0\b", text):
            hint += " " + _("Yours is 0, and a rate of 0 never changes the weights. If you computed it, 1 // 1000 and "
                          "int(0.001) both give 0: write 0.001 (or 1e-3).")
    elif "legacy" in text:
        hint = _("keras.optimizers.legacy is Keras 2's; Keras 3 has one Adam: keras.optimizers.Adam() "
                 "(or just write 'adam').")
    elif "metrics" in text:
        hint = _("metrics takes a list, even for one metric: metrics=['accuracy'].")
    elif "interpret optimizer identifier: <class" in text:
        hint = _("The optimizer given is the class itself, without brackets: write keras.optimizers.Adam() "
                 "(or just 'adam'), which makes an optimizer.")
    return _("compile_model() stopped with an error: {kind}: {error}. {hint}").format(
        kind=type(error).__name__, error=text, hint=hint)


def the_model(model, returned):
    """The compiled model to inspect: what came back if it is a model, else the one passed in.

    A model that is not compiled has no optimizer, loss or metrics to judge: each test that
    inspects one says so, in the same words (the report shortens them to one line after the first).
    """
    import keras

    inspected = returned if isinstance(returned, keras.Model) else model
    assert getattr(inspected, "compiled", False), _(
        "compile_model() gave back a model that is not compiled (model.compile(...) was never "
        "called on it), so it has no optimizer, loss or metrics. Call model.compile(...) on the "
        "very model you are given, on every call (not on a copy of it, not only the first time), "
        "and return that model."
    )
    return inspected


def layer_kinds(model):
    """The kinds of the model's layers, in order, e.g. ['Flatten', 'Dense', 'Dense']."""
    return [type(layer).__name__ for layer in model.layers]


def logits_of(model, images):
    """The logits of lesson 03's model for small_batch()'s ``images``, as model.predict gives them.

    They are the model's outputs as it was given to compile_model(): the loss and the
    metric are judged on them also when compile_model() changed the model (the first
    test judges that). A model compile_model() made itself gives its own outputs.
    """
    if model in _as_given:
        return _as_given[model][1]
    return np.asarray(model(images))


def how_it_changed(model):
    """How compile_model() changed the model it was given, in words, or None if it did not."""
    if model not in _as_given:
        return None
    kinds, outputs = _as_given[model]
    now = layer_kinds(model)
    if now != kinds:
        return _("it had the layers {before} and now has {after}").format(
            before=", ".join(kinds), after=", ".join(now))
    after = np.asarray(model(small_batch()[0]))
    if after.shape != outputs.shape or not np.allclose(after, outputs, rtol=1e-5, atol=1e-6):
        return _("its layers are the same, but its outputs for the same 64 images are not")
    return None


def small_batch(count=64):
    """64 made-up 28×28 images with pixels in 0–1, and made-up labels 0–9 (no data set needed)."""
    rng = np.random.default_rng(4)
    return rng.random((count, 28, 28), dtype=np.float32), rng.integers(0, 10, size=count)


def cross_entropy_of_logits(logits, labels):
    """Sparse categorical cross-entropy worked out with numpy: mean of -log softmax(logits)[label]."""
    logits = np.asarray(logits, dtype=np.float64)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_softmax[np.arange(len(labels)), labels].mean())


def loss_function(model):
    """The loss given to compile, as something to call; a class or nothing is a clear failure."""
    import keras

    loss = getattr(model, "loss", None)
    if loss is None:
        raise AssertionError(_("The model has no loss: pass loss=... to model.compile (see the guide)."))
    if isinstance(loss, type):
        raise AssertionError(_(
            "The loss is the class {name} itself, not a loss object: the brackets are "
            "missing. Write keras.losses.{name}(from_logits=True), with (...), so that "
            "Keras gets a loss made with your settings."
        ).format(name=loss.__name__))
    return keras.losses.get(loss) if isinstance(loss, str) else loss


def rate_after(optimizer, steps):
    """The learning rate ``optimizer`` uses once it has taken ``steps`` training steps (a schedule's
    value there), its own step count put back afterwards."""
    counter = getattr(optimizer, "_iterations", None)
    if counter is None:
        counter = optimizer.iterations
    if not hasattr(counter, "assign"):  # a step count Keras computes (gradient accumulation): the rate now
        return float(np.asarray(optimizer.learning_rate))
    taken = int(np.asarray(counter))
    counter.assign(steps)
    try:
        return float(np.asarray(optimizer.learning_rate))
    finally:
        counter.assign(taken)


def settings_changed(optimizer, defaults=False):
    """The settings of an Adam ``optimizer`` that differ from Adam()'s, as {name: value}
    (Adam()'s values with ``defaults``); its learning rate and weight decay are judged apart."""
    import keras

    tutorial = keras.optimizers.Adam().get_config()
    mine = optimizer.get_config()
    if not mine.get("use_ema"):  # the moving average's settings do nothing without use_ema
        for key in ("ema_momentum", "ema_overwrite_frequency"):
            tutorial.pop(key, None)
    changed = {}
    for key, default in tutorial.items():
        value = mine.get(key)
        if key in ("name", "learning_rate", "weight_decay") or value == default:
            continue
        if isinstance(value, float) and isinstance(default, float) and np.isclose(value, default, rtol=1e-5):
            continue
        changed[key] = default if defaults else value
    return changed


def error_in_a_graph(work, labels, logits):
    """The error ``work(labels, logits)`` raises when traced into a graph, as fit() and evaluate() run it, or None.

    Keras runs the loss and the metrics inside a ``tf.function``: there the
    labels and outputs are symbolic tensors, which numpy can't turn into arrays.
    """
    import tensorflow as tf

    try:
        tf.function(work)(tf.constant(labels), tf.constant(logits))
    except Exception as error:  # the caller says what it means
        return error
    return None


def only_in_a_graph(what, error):
    """The message for a loss or metric that works on arrays but not inside fit() and evaluate()."""
    return _(
        "Your {what} works when it is called on arrays, but not inside fit() and evaluate(): Keras "
        "runs it in a compiled graph (tf.function), where the labels and outputs are symbolic tensors "
        "with no numbers in them yet, and it stopped with {kind} ({said!r}). numpy functions "
        "(np.argmax, np.mean, .numpy()) can't work there: write it with keras.ops (keras.ops.argmax, "
        "keras.ops.mean), or use Keras' own, as the guide does."
    ).format(what=what, kind=type(error).__name__, said=said(error))


def loss_value(loss, labels, logits):
    """The loss on (labels, logits) as a Python float, or None if it can't take these labels."""
    try:
        value = float(np.mean(np.asarray(loss(labels, logits))))
    except Exception:  # a loss made for other labels; the caller says what that means
        return None
    return value if np.isfinite(value) else None


@pytest.mark.points(1)
def test_returns_the_same_model_it_was_given(impl, reference):
    for _call in range(2):  # two new models, one after the other, as lessons 05 and 10 would
        model, returned = compiled(impl, reference)
        assert returned is not None, _(
            "compile_model() returned None. model.compile(...) changes the model and returns "
            "nothing, so compile first and then `return model`."
        )
        if returned is not model and returned in _as_given:
            raise AssertionError(_(
                "compile_model() was given a new model but returned the model of an earlier call "
                "instead of the one it was given: it keeps the first model it compiled (e.g. in a "
                "variable at the top of the file) and returns that one every time. Compile the "
                "model you are given and return it: every call gets its own model."
            ))
        assert returned is model, _(
            "compile_model() returned a different model object ({type}) from the "
            "one it was given. Compile the model you are given and return that same model, so "
            "its layers (and later its trained weights) are the ones you built."
        ).format(type=type(returned).__name__)
        left = _left_changed.get(model)
        if left:
            changes = ", ".join(_("{name} {before} → {after}").format(name=name, before=before, after=after)
                                for name, (before, after) in left.items())
            mixed = "mixed" in left.get("dtype policy", ("", ""))[1]
            raise AssertionError((_(
                "compile_model() changed a setting of Keras for the whole program: {changes}. Every "
                "model built after it (in lesson 05, the capstone, a notebook) then computes in "
                "another number type than the tutorial's; mixed precision (mixed_float16) makes the "
                "outputs float16. Compiling sets how one model learns: leave Keras' global settings "
                "(set_global_policy, set_floatx) alone."
            ) if mixed else _(
                "compile_model() changed a setting of Keras for the whole program: {changes}. Every "
                "model built after it (in lesson 05, the capstone, a notebook) then computes in "
                "another number type than the tutorial's float32. Compiling sets how one model "
                "learns: leave Keras' global settings (set_floatx, set_global_policy) alone."
            )).format(changes=changes))
        changed = how_it_changed(model)
        assert changed is None, _(
            "compile_model() changed the model it was given: {how}. Compiling only sets how the "
            "model learns; leave the model as lesson 03 built it (its last layer gives logits, "
            "and the loss reads them with from_logits=True)."
        ).format(how=changed)


    compiled_before(impl, reference)


def compiled_before(impl, reference):
    """A model compiled earlier with other settings (SGD, mean squared error) must be compiled
    again: one compiled elsewhere, and one that compile_model() itself compiled right before
    (a compile_model() that remembers the models it has seen keeps the new settings)."""
    import keras

    model = reference(3).build_model()
    first = compile_it(impl, model)
    first = first if isinstance(first, keras.Model) else model
    if not getattr(first, "compiled", False):
        return  # it compiles no model at all: the tests of the optimizer, loss and metric say so
    model = reference(3).build_model()
    model.compile(optimizer=keras.optimizers.SGD(), loss=keras.losses.MeanSquaredError())
    recompiled_again(impl, model)
    # Asked only of a compile_model() whose first compile was the tutorial's (Adam, a loss object):
    # a wrong first compile is the optimizer or loss test's, once.
    if isinstance(getattr(first, "optimizer", None), keras.optimizers.Adam) and isinstance(
        getattr(first, "loss", None), keras.losses.Loss
    ):
        first.compile(optimizer=keras.optimizers.SGD(), loss=keras.losses.MeanSquaredError())
        recompiled_again(impl, first)


def recompiled_again(impl, model):
    """compile_model(model), for a model compiled with SGD and mean squared error, compiles it again."""
    import keras

    returned = compile_it(impl, model)
    kept = [what for what, kept in ((_("the optimizer SGD"), isinstance(getattr(model, "optimizer", None),
                                                                         keras.optimizers.SGD)),
                                    (_("the loss mean squared error"), isinstance(getattr(model, "loss", None),
                                                                                  keras.losses.MeanSquaredError)))
            if kept]
    # Both kept: it was not compiled again.  One kept is a compile with the tutorial's other
    # setting wrong (optimizer='sgd'), which the optimizer or loss test judges, once.
    assert returned is not model or len(kept) < 2, _(
        "compile_model() was given a model compiled before with other settings (the optimizer SGD "
        "and the loss mean squared error) and gave it back still with {kept}. compile_model() must "
        "compile every model it is given, whatever was set before (e.g. a model compiled for "
        "another experiment): don't return early when model.compiled is True or when you have seen "
        "the model before; call model.compile(...) every time."
    ).format(kept=_(" and ").join(kept))


@pytest.mark.points(2)
def test_optimizer_is_adam_with_its_default_learning_rate(impl, reference):
    import keras

    model = the_model(*compiled(impl, reference))
    optimizer = getattr(model, "optimizer", None)
    assert isinstance(optimizer, keras.optimizers.Adam), _(
        "The optimizer should be Adam (optimizer='adam', as the tutorial); yours is {type}."
    ).format(type=type(optimizer).__name__)
    rate = float(np.asarray(optimizer.learning_rate))
    assert np.isclose(rate, 0.001, rtol=1e-5), _(
        "Adam's learning rate should be its default, 0.001 (optimizer='adam'); yours is {rate:g}."
    ).format(rate=rate)
    later = rate_after(optimizer, 10_000)
    assert np.isclose(later, 0.001, rtol=1e-5), _(
        "Adam's learning rate should stay 0.001 at every step, as the tutorial's does (optimizer='adam'); "
        "yours starts at {rate:g} but after 10,000 training steps (about 5 epochs of the 60,000 "
        "images in batches of 32) it is {later:g}. A learning-rate schedule changes the rate as "
        "training goes, so the model learns differently. Give Adam no schedule: optimizer='adam'."
    ).format(rate=rate, later=later)
    decay = float(getattr(optimizer, "weight_decay", None) or 0)  # Adam's default is None: no decay
    assert decay == 0, _(
        "The optimizer should be the tutorial's Adam, without weight decay (optimizer='adam'); "
        "yours is {type} with weight_decay={decay:g}. Weight decay also shrinks every weight a "
        "little at each step, so the model trains differently (AdamW is Adam with weight decay)."
    ).format(type=type(optimizer).__name__, decay=decay)
    changed = settings_changed(optimizer)
    assert not changed, _(
        "The optimizer should be the tutorial's Adam with its default settings (optimizer='adam'); "
        "yours sets {changed} (Adam's defaults: {defaults}). Each of these changes how the weights "
        "move at every step, so the model trains differently: leave them out."
    ).format(changed=", ".join(f"{key}={value!r}" for key, value in changed.items()),
             defaults=", ".join(f"{key}={value!r}" for key, value in settings_changed(optimizer, True).items()))


@pytest.mark.points(1)
def test_each_model_gets_its_own_optimizer(impl, reference):
    import keras

    first = the_model(*compiled(impl, reference))
    second = the_model(*compiled(impl, reference))
    if first is second:
        return  # one model returned for both: test_returns_the_same_model_it_was_given says so
    images, labels = small_batch()
    try:
        for model in (first, second):  # one training step each, as lesson 05 would take
            # The reference loss and metric: this test judges only the optimizer.
            model.compile(
                optimizer=model.optimizer,
                loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                metrics=["accuracy"],
                run_eagerly=True,  # one step: quicker run as it is than traced into a graph
            )
            model.train_on_batch(images, labels)
    except ValueError as error:
        raise AssertionError(_(
            "Two models compiled by compile_model() were trained one after the other, and the "
            "second one failed with ValueError ({error!r}). That means both share one "
            "optimizer object, made once (e.g. at the top of the file) and given to every model; "
            "an optimizer belongs to the weights of the first model it trained. Make a new "
            "optimizer inside compile_model() each time: optimizer='adam' does that for you."
        ).format(error=said(error))) from None
    assert first.optimizer is not second.optimizer, _(
        "Two models compiled by compile_model() share the same optimizer object. Make a new "
        "optimizer inside compile_model() each time (optimizer='adam' does that for you)."
    )


@pytest.mark.points(2)
def test_loss_is_sparse_categorical_crossentropy(impl, reference):
    import keras

    model = the_model(*compiled(impl, reference))
    loss = loss_function(model)
    images, labels = small_batch()
    logits = logits_of(model, images)
    value = loss_value(loss, labels, logits)
    # Either reading of the outputs is fine here; the next test judges from_logits.
    as_probabilities = keras.losses.SparseCategoricalCrossentropy(from_logits=False)
    accepted = [cross_entropy_of_logits(logits, labels), loss_value(as_probabilities, labels, logits)]
    name = getattr(loss, "name", None) or getattr(loss, "__name__", None) or type(loss).__name__
    count = len(labels)
    summed = [v for v in accepted if v is not None and value is not None and np.isclose(value, count * v, rtol=1e-4)]
    if summed and not any(np.isclose(value, v, rtol=1e-4) for v in accepted if v is not None):
        raise AssertionError(_(
            "On {count} images your loss gives {value:.4f}: {count} times the mean cross-entropy, "
            "{mean:.4f}. It adds up the losses of the images in a batch instead of averaging them "
            "(reduction='sum'), so it grows with the batch size. Leave reduction= out: "
            "keras.losses.SparseCategoricalCrossentropy(from_logits=True) averages."
        ).format(count=count, value=value, mean=summed[0]))
    right = value is not None and any(np.isclose(value, v, rtol=1e-4) for v in accepted if v is not None)
    tutorial = keras.losses.SparseCategoricalCrossentropy(from_logits=getattr(loss, "from_logits", True))
    theirs = tutorial.get_config()
    mine = loss.get_config() if type(loss) is type(tutorial) else theirs
    changed = {key: mine.get(key) for key in theirs if key != "name" and mine.get(key) != theirs[key]}
    if not right and changed:  # the right loss, with a setting that changes its value
        raise AssertionError(_(
            "Your loss is the sparse categorical cross-entropy, but with {changed} (the tutorial's "
            "has {defaults}): on 64 images it gives {value}, the cross-entropy is {mean:.4f}. Leave "
            "that setting out: keras.losses.SparseCategoricalCrossentropy(from_logits=True)."
        ).format(changed=", ".join(f"{key}={value!r}" for key, value in changed.items()),
                 defaults=", ".join(f"{key}={theirs[key]!r}" for key in changed),
                 value=_("an error") if value is None else f"{value:.4f}", mean=accepted[0]))
    if not right and callable(getattr(loss, "keys", None)):
        raise AssertionError(_(
            "The loss should be one loss object; yours is a dict keyed by output names ({keys}). "
            "A dict of losses is for a model with several named outputs; this model has one "
            "output, and Keras can't use your dict as its loss. Pass the loss itself: "
            "loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), and the metrics "
            "as a list: metrics=['accuracy']."
        ).format(keys=", ".join(repr(key) for key in loss.keys())))
    assert right, _(
        "The loss should be the sparse categorical cross-entropy: the labels are class numbers "
        "0–9, not one-hot rows of 10. Yours is {name}, which {what}. "
        "Use keras.losses.SparseCategoricalCrossentropy(from_logits=True)."
    ).format(name=name, what=_("cannot take class numbers as labels") if value is None
             else _("gives {value:.4f} on 64 images").format(value=value))
    try:  # the loss fit and evaluate report, with whatever else compile set around the loss
        reported = float(np.asarray(model.compute_loss(x=images, y=labels, y_pred=logits)))
    except Exception:  # e.g. metrics passed as compile's third argument: test_reports_accuracy says so
        reported = value
    else:
        error = error_in_a_graph(lambda y, y_pred: model.compute_loss(x=images, y=y, y_pred=y_pred), labels, logits)
        if error is not None:
            raise AssertionError(only_in_a_graph(_("loss"), error))
    assert np.isclose(reported, value, rtol=1e-4), _(
        "Your loss object gives {value:.4f} on 64 images, but the loss the model reports (the one "
        "fit and evaluate show, and the one training makes smaller) is {reported:.4f}, {ratio:.3g} "
        "times as much. Something in your compile call scales the loss: loss_weights= multiplies it. "
        "Leave loss_weights out."
    ).format(value=value, reported=reported, ratio=reported / value)


def why_probabilities(loss):
    """Why ``loss`` read the outputs as probabilities, in the student's terms."""
    if isinstance(loss, str):
        return _("(The string '{name}' means from_logits=False.)").format(name=loss)
    return _("(Keras' cross-entropy losses, classes and functions alike, read probabilities unless "
             "they are given from_logits=True.)")


@pytest.mark.points(2)
def test_loss_reads_the_outputs_as_logits(impl, reference):
    import keras

    model = the_model(*compiled(impl, reference))
    if isinstance(getattr(model, "loss", None), type):
        return  # the class without brackets: test_loss_is_sparse_categorical_crossentropy says so
    loss = loss_function(model)
    images, labels = small_batch()
    logits = logits_of(model, images)
    expected = cross_entropy_of_logits(logits, labels)
    # Class numbers or one-hot rows: the previous test judges which kind of labels it takes.
    values = [loss_value(loss, labels, logits), loss_value(loss, np.eye(10)[labels], logits)]
    values = [value for value in values if value is not None]
    # A loss summed over the batch instead of averaged: the previous test says so.
    right = [expected, len(labels) * expected]
    read_as_probabilities = loss_value(keras.losses.SparseCategoricalCrossentropy(), labels, logits)
    readings = right + [read_as_probabilities, len(labels) * read_as_probabilities]
    if not any(np.isclose(value, r, rtol=1e-4) for value in values for r in readings):
        return  # neither reading of the outputs: test_loss_is_sparse_categorical_crossentropy says why
    yours = ", ".join(f"{v:.4f}" for v in values) or _("an error")
    if not any(np.isclose(value, r, rtol=1e-4) for value in values for r in right) and how_it_changed(model):
        raise AssertionError(_(
            "compile_model() also changed the model it was given (the first test says how). The "
            "loss is judged on the outputs of lesson 03's model, which are logits: on 64 images "
            "their cross-entropy is {expected:.4f}; your loss gives {yours}. Keep the model as "
            "lesson 03 built it and tell the loss its outputs are logits: "
            "keras.losses.SparseCategoricalCrossentropy(from_logits=True). {why}"
        ).format(expected=expected, yours=yours, why=why_probabilities(model.loss)))
    assert any(np.isclose(value, r, rtol=1e-4) for value in values for r in right), _(
        "On 64 images the cross-entropy of the model's outputs read as logits is {expected:.4f}; "
        "your loss gives {yours}. The last layer "
        "gives logits, not probabilities, so the loss needs from_logits=True: "
        "keras.losses.SparseCategoricalCrossentropy(from_logits=True). {why}"
    ).format(expected=expected, yours=yours, why=why_probabilities(model.loss))


@pytest.mark.points(2)
def test_reports_accuracy(impl, reference):
    model = the_model(*compiled(impl, reference))
    images, labels = small_batch()
    logits = logits_of(model, images)
    expected = float(np.mean(np.argmax(logits, axis=1) == labels))
    try:  # the metrics alone, as fit and evaluate update them, without the loss
        model.reset_metrics()  # on these 64 images only, whatever the model computed before
        results = dict(model.compute_metrics(images, labels, logits))
    except Exception as error:
        raise AssertionError(_(
            "The model's metric could not be computed for a class number per label and ten "
            "scores per image: Keras raised {kind} ({said!r}). "
            "keras.metrics.Accuracy() (and keras.metrics.get('accuracy'), the same comparison) "
            "compares each output with its label for exact equality, which doesn't fit a model "
            "that gives ten scores, and a metric of your own gets labels of shape (64,) and "
            "scores of shape (64, 10). Use the string: metrics=['accuracy'], which compile turns "
            "into the accuracy for class-number labels."
        ).format(kind=type(error).__name__, said=said(error))) from None
    error = error_in_a_graph(
        lambda y, y_pred: [metric.update_state(y, y_pred) for metric in model.metrics if metric.name != "loss"],
        labels, logits,
    )
    if error is not None:
        raise AssertionError(only_in_a_graph(_("metric"), error))
    results.pop("loss", None)
    hint = ""
    try:
        loss_weights = (model.get_compile_config() or {}).get("loss_weights")
    except Exception:  # a loss Keras can't describe; the loss tests judge it
        loss_weights = None
    if loss_weights is not None:
        hint = " " + _(
            "Your compile call set loss_weights={loss_weights!r}: compile's third positional "
            "argument is loss_weights, not metrics, so write the name: metrics=['accuracy']."
        ).format(loss_weights=loss_weights)
    assert results, _(
        "The model should report its accuracy while it trains and evaluates "
        "(metrics=['accuracy']); it reports no metric."
    ) + hint
    names = [name for name in results if "acc" in name]
    assert names, _(
        "The model should report its accuracy (metrics=['accuracy']); it reports {names}."
    ).format(names=sorted(results))
    name = "accuracy" if "accuracy" in results else names[0]
    accuracy = float(results[name])
    assert np.isclose(accuracy, expected, atol=1e-6), _(
        "On 64 images the model's metric '{name}' says {accuracy:.4f}, but the share of images "
        "whose highest score is the right class is {expected:.4f}. The metric should be that "
        "share: metrics=['accuracy']. Naming another metric 'accuracy' doesn't make it that share: "
        "it still computes what its class computes (keras.metrics.Accuracy() and "
        "keras.metrics.get('accuracy') compare outputs and labels for exact equality, "
        "CategoricalAccuracy wants one-hot labels, a top-k accuracy counts the k highest scores). "
        "The accuracy for class-number labels is the string 'accuracy' inside compile, or "
        "keras.metrics.SparseCategoricalAccuracy(name='accuracy')."
    ).format(name=name, accuracy=accuracy, expected=expected)
    assert name == "accuracy", _(
        "The model reports its accuracy under the name '{name}', not 'accuracy', so the History "
        "of lesson 05 has no history.history['accuracy'] (a KeyError there). Write "
        "metrics=['accuracy'] (a metric object needs name='accuracy')."
    ).format(name=name)
    extra = sorted(set(results) - {"accuracy"})
    assert not extra, _(
        "The model should report the loss and its accuracy only (metrics=['accuracy']); it also "
        "reports {extra}. model.evaluate then returns {count} numbers, and the tutorial's "
        "`test_loss, test_acc = model.evaluate(...)` of lesson 06 stops with an error. Leave the "
        "other metrics out."
    ).format(extra=", ".join(extra), count=len(results) + 1)
