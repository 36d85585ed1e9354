"""Lesson 05 · train the model — graded suite (10 points).

Training is the slow part, so most tests share one call of your ``train()``:
2,000 training images, ``epochs=2``, ``batch_size=50``.  Each test then looks
at one thing about that run.
"""

import math
from types import SimpleNamespace

import numpy as np
import pytest

N_IMAGES = 2000
EPOCHS = 2
BATCH_SIZE = 50
CHANCE = 0.1  # ten classes: guessing gets one image in ten right

_runs = {}  # one training run per (tree, seed), shared by the tests of this file


def fresh_model(reference):
    """The tutorial's model, built and compiled by the reference lessons 03 and 04."""
    return reference(4).compile_model(reference(3).build_model())


def accuracy_of(model, images, labels):
    """The share of images whose highest score is their own label, computed with numpy."""
    scores = model.predict(images, verbose=0)
    return float(np.mean(np.argmax(scores, axis=1) == labels))


def train_once(impl, reference, fashion_mnist):
    (train_images, train_labels), _ = fashion_mnist
    images = reference(2).normalize(train_images[:N_IMAGES])
    labels = train_labels[:N_IMAGES].copy()
    model = fresh_model(reference)
    weights_before = [w.copy() for w in model.get_weights()]
    history = impl.train(model, images, labels, epochs=EPOCHS, batch_size=BATCH_SIZE)
    return SimpleNamespace(
        model=model,
        history=history,
        weights_before=weights_before,
        weights_after=[w.copy() for w in model.get_weights()],
        accuracy=accuracy_of(model, images, labels),
    )


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


def history_of(run):
    import keras

    history = run.history
    assert isinstance(history, keras.callbacks.History), (
        "train() should return the History that model.fit(...) gives back "
        f"(history = model.fit(...); return history); it returned {type(history).__name__}."
    )
    return history


@pytest.mark.points(2)
def test_returns_the_history_from_fit(shared_run):
    run = shared_run()
    history = history_of(run)
    assert history.model is run.model, (
        "The History train() returned belongs to another model, not the one you were given. "
        "Call fit on the model passed to train(): history = model.fit(...)."
    )


@pytest.mark.points(2)
def test_history_has_loss_and_accuracy_for_each_epoch(shared_run):
    run = shared_run()
    history = history_of(run).history
    for key in ("loss", "accuracy"):
        assert key in history, (
            f"history.history should have a '{key}' entry; it has {sorted(history)}. "
            "Is the model compiled with metrics=['accuracy'] (lesson 04)?"
        )
        assert len(history[key]) == EPOCHS, (
            f"train(..., epochs={EPOCHS}) should train for {EPOCHS} epochs, one '{key}' value each; "
            f"the History has {len(history[key])}. Pass epochs=epochs to model.fit."
        )


@pytest.mark.points(2)
def test_loss_goes_down_and_accuracy_beats_chance(shared_run):
    run = shared_run()
    losses = history_of(run).history.get("loss", [])
    assert len(losses) >= 2 and losses[-1] < losses[0], (
        f"Training should lower the loss from the first epoch to the last; the losses were {losses}."
    )
    assert run.accuracy > CHANCE + 0.4, (
        f"After {EPOCHS} epochs on {N_IMAGES} images the model should get well over half of them "
        f"right (guessing gets {CHANCE:.0%}); it gets {run.accuracy:.1%} right. The accuracy is "
        "measured on the images and labels you were given: train on them together, each image "
        "with its own label."
    )


@pytest.mark.points(2)
def test_trains_the_model_it_was_given(shared_run):
    run = shared_run()
    changed = [
        not np.allclose(before, after)
        for before, after in zip(run.weights_before, run.weights_after, strict=True)
    ]
    assert all(changed), (
        "The weights of the model passed to train() did not change: train() should train "
        "that model (model.fit(...)), not a new one. Weights changed per layer: "
        f"{changed}."
    )


@pytest.mark.points(1)
def test_uses_batch_size_and_every_image(shared_run):
    run = shared_run()
    steps = history_of(run).params.get("steps")
    expected = math.ceil(N_IMAGES / BATCH_SIZE)
    hint = ""
    if steps == math.ceil(N_IMAGES / 32):
        hint = " That is the default batch size of 32: pass batch_size=batch_size to model.fit."
    elif steps is not None and steps < expected:
        hint = " So not every image was used: train on all the images you were given."
    assert steps == expected, (
        f"With {N_IMAGES} images and batch_size={BATCH_SIZE}, each epoch should take "
        f"{expected} steps ({N_IMAGES} / {BATCH_SIZE}, rounded up); yours took {steps}.{hint}"
    )


@pytest.mark.points(1)
def test_defaults_are_10_epochs_of_batches_of_32(impl, reference, fashion_mnist):
    (train_images, train_labels), _ = fashion_mnist
    images = reference(2).normalize(train_images[:64])
    history = impl.train(fresh_model(reference), images, train_labels[:64].copy())
    history = history_of(SimpleNamespace(history=history))
    epochs = len(history.history.get("loss", []))
    steps = history.params.get("steps")
    assert (epochs, steps) == (10, 2), (
        "Called without epochs or batch_size, train() should use the tutorial's defaults, "
        "epochs=10 and batch_size=32 (64 images → 2 steps per epoch); yours trained "
        f"{epochs} epochs of {steps} steps each. Keep the defaults in "
        "def train(..., epochs=10, batch_size=32), pass them on to model.fit, and train on all "
        "the images."
    )
