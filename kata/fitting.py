"""What lesson 05's suite reads from a call of the student's ``train()``, in a beginner's words.

``lessons/05/test_fit.py`` calls ``train()`` with :func:`kata.remote.budget.call_within_budget`,
which also writes down what each ``model.fit`` was given (:mod:`kata.remote.fitlog`). The
functions here turn a run (the suite's namespace: ``fits``, ``images``, ``labels`` as the call
left them, ``given``: copies taken before it, ``count``) into what went wrong, or None.

Example::

    kind, problem = data_problem(run)
    assert problem is None, problem
"""

from __future__ import annotations

import inspect
from collections import Counter

import numpy as np

from kata.i18n import _
from kata.remote.fitlog import rows_of


def data_problem(run):
    """What the last ``fit`` of ``run`` trained on that is not the images and labels as the call left
    them: ``(kind, words)``, ``kind`` "count" (images left out or added) or "values" (images or labels
    changed); ``(None, None)`` when nothing is wrong or nothing is known (a generator, say).

    Read from the record of what each fit was given (:mod:`kata.remote.fitlog`): it can
    show a mistake, never that there is none.
    """
    split = max((record.get("validation_split") or 0 for record in run.fits), default=0)
    if split > 0:
        return "count", _(
            "fit was told validation_split={split}: it keeps that part of the images aside and "
            "never trains on them. Leave validation_split out: train on every image."
        ).format(split=split)
    known = [record["rows"] for record in run.fits if record.get("rows") is not None]
    given_rows = rows_of(run.images, run.labels)
    if not known or given_rows is None:
        return None, None
    given, seen = Counter(given_rows), Counter(known[-1])
    missing, extra = given - seen, seen - given
    counts = {
        "count": run.count,
        "seen": sum(seen.values()),
        "left": sum(missing.values()),
        "again": sum(extra.values()),
    }
    if not missing and not extra:
        return None, None
    if all(row in given for row in extra):
        return "count", (
            _(
                "fit was given {seen:,} images for your {count:,} ({again:,} given again). "
                "A .repeat() in a tf.data pipeline, or images added to fill the last batch, make an "
                "epoch go over some images again: give fit each image once (fit repeats the epochs "
                "itself, and the last batch may be smaller)."
            )
            if not missing
            else _(
                "fit was given {seen:,} of your {count:,} images ({left:,} left out). Give "
                "fit all the images and all the labels (no slicing such as images[:-1])."
            )
        ).format(**counts)
    return "values", _(
        "{again:,} of the {seen:,} images (each with its label) fit trained on are not among the "
        "{count:,} you were given: their pixels were changed (normalized again, standardized, flipped, "
        "cast to another type such as float16) or their labels paired with other images. Pass the "
        "images and labels to fit as they are."
    ).format(**counts)


def order_problem(impl, epochs, batch_size):
    """How ``def train`` takes ``train(model, images, labels, epochs, batch_size)`` (the numbers by
    position) if not as the stub's ``train(model, images, labels, epochs=10, batch_size=32)`` does,
    in words; else None."""
    try:
        signature = inspect.signature(impl.train)
    except (TypeError, ValueError):
        return None
    asked = {"epochs": epochs, "batch_size": batch_size}
    try:
        by_name = signature.bind("model", "images", "labels", **asked).arguments
    except TypeError:
        return None  # by name it fails too: the run itself says so
    try:
        by_position = signature.bind("model", "images", "labels", epochs, batch_size).arguments
    except TypeError:
        return _(
            "train(model, images, labels, {epochs}, {batch_size}), with the numbers by position, "
            "raises TypeError: your def takes epochs and batch_size only by name. Keep the stub's "
            "def train(model, images, labels, epochs=10, batch_size=32)."
        ).format(epochs=epochs, batch_size=batch_size)
    if dict(by_position) != dict(by_name):
        got = ", ".join(f"{name}={value}" for name, value in list(by_position.items())[3:])
        return _(
            "train(model, images, labels, {epochs}, {batch_size}), with the numbers by position, "
            "gives your def {got}: its arguments are in another order than the stub's. Keep "
            "def train(model, images, labels, epochs=10, batch_size=32)."
        ).format(epochs=epochs, batch_size=batch_size, got=got)
    return None


def batches_of(run):
    """The sizes of the first batches of the tf.data data set the run's last fit was given, or None."""
    return run.fits[-1].get("batches") if run.fits else None


def changed_in_place(run):
    """How train() changed the caller's arrays in ``run``, in words; None if it left them as they were."""
    images, labels = run.given
    if np.shape(run.images) != images.shape:
        return _(
            "train() changed the shape of the images it was given, in place: the caller's array went from "
            "{before} to {now} (images.shape = ... or images.resize(...) do that). Leave the caller's array "
            "as it is: train on the images as they are."
        ).format(before=images.shape, now=np.shape(run.images))
    if not np.array_equal(run.images, images):
        rearranged = np.array_equal(np.sort(run.images, axis=None), np.sort(images, axis=None))
        return (
            _(
                "train() rearranged the images it was given in place: the caller's array holds the same "
                "pixels in another order. fit already shuffles the images every epoch; if you shuffle "
                "yourself, shuffle copies (images[order] with order = np.random.permutation(len(images)) "
                "makes one) and leave the caller's arrays as they were."
            )
            if rearranged
            else _(
                "train() changed the images it was given (the caller's array now holds other values, "
                "mean pixel {now:.4f} instead of {before:.4f}). They are "
                "already normalized; don't divide or modify them in place (images /= 255): train on them "
                "as they are."
            ).format(now=np.mean(run.images), before=np.mean(images))
        )
    if not np.array_equal(run.labels, labels):
        return _(
            "train() changed the labels it was given (the caller's array now holds other values). "
            "Leave the caller's arrays alone: pass them to fit as they are."
        )
    return None
