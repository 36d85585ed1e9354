"""What the graded suites (``lessons/NN/test_*.py``) share: failing with a message, telling an
error in words, drawing weights and images of the suite's own, a classifier's numbers per image
(lesson 06), Keras' global dtype policy kept across the student's call (lessons 05 and 11).

A lesson's suite may be more than one file (lesson 09: ``test_save.py`` and
``test_export.py``); pytest imports each file on its own (``--import-mode=importlib``), so
what two files need lives here, one home for each helper.

Example::

    from kata.suitekit import drawn_weights, explain, fail, some_images

    model.set_weights(drawn_weights(model, seed=90))
    loaded = explain(lambda: impl.load_model(path), "load_model(path)", "Load it with keras.models.load_model(path).")
    if loaded is model:
        fail("load_model() gave back the model it was given.")
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from kata.i18n import _


def fail(message: str) -> None:
    """Fail the test with ``message`` alone (an AssertionError, not a traceback).

    Args:
        message: what was expected, what came back and the likely cause, in a beginner's words.

    Raises:
        AssertionError: always.
    """
    raise AssertionError(message) from None


def explain(call: Callable[[], Any], what: str, advice: str | Callable[[Exception], str]) -> Any:
    """Run ``call()``; if it raises, fail with a beginner's message instead of a traceback.

    ``NotImplementedError`` (an untouched stub) goes through as it is: the kata plugin tells it
    as "not started yet".

    Args:
        call: the student's function with its arguments, e.g. ``lambda: impl.load_model(path)``.
        what: the call as the student would write it, e.g. ``"load_model('saved.keras')"``.
        advice: what to do about it, one sentence; or a function that gives it for the error
            raised, when the advice depends on the error.

    Returns:
        What ``call()`` returned.

    Raises:
        AssertionError: "``what`` failed with ValueError ('…'). ``advice``", the error's first
            line cut at 160 characters.
    """
    try:
        return call()
    except NotImplementedError:
        raise
    except Exception as error:
        if callable(advice):
            advice = advice(error)
        raise AssertionError(_("{what} failed with {kind} ({said!r}). {advice}").format(
            what=what, kind=type(error).__name__, said=said(error), advice=advice
        )) from error


def said(error: BaseException) -> str:
    """The line of ``error``'s message that says what went wrong, cut at 160 characters.

    That is its first line, but for an error raised inside a ``tf.function`` (fit's and
    evaluate's graph): its message starts with "in user code:" and the frames, and what
    the code raised comes last, after the error's kind, which is left out.

    Example:
        >>> said(ValueError("shapes (3,) and (4,) don't fit\nmore"))
        "shapes (3,) and (4,) don't fit"
    """
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()] or [""]
    text = lines[0]
    if text.startswith("in user code"):
        text = lines[-1].removeprefix(f"{type(error).__name__}: ")
    return text if len(text) <= 160 else text[:160] + "…"


def outcome(call: Callable[[], Any]) -> tuple[str, Any]:
    """What a call did: ``('ok', its result)`` or ``('raised', the exception's type name)``.

    ``NotImplementedError`` (an untouched stub) goes through as it is.
    """
    try:
        return "ok", call()
    except NotImplementedError:
        raise
    except Exception as error:
        return "raised", type(error).__name__


def files_in(folder: Path) -> list[str]:
    """The files anywhere in ``folder``, as POSIX paths relative to it, sorted.

    Example:
        ``files_in(tmp_path)`` gives ``['.keras/my_model.hdf5', 'my_model.keras']``.
    """
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def type_name(value: Any) -> str:
    """The type of ``value`` as a message names it: ``str``, ``pathlib.PosixPath``."""
    kind = type(value)
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"


def some_images(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``count`` images of 28×28 pixels in [0, 1] and labels for them, random.

    For tests that need the shapes, not clothes: they stay fast without loading the data.

    Returns:
        ``(images, labels)``: float32 of shape ``(count, 28, 28)``, int64 of shape ``(count,)``.
    """
    rng = np.random.default_rng(seed)
    return rng.random((count, 28, 28), dtype="float32"), rng.integers(0, 10, size=count)


def drawn_weights(model: Any, seed: int) -> list[np.ndarray]:
    """Weights for ``model`` of the suite's own drawing (normal, mean 0, scale 0.05).

    A model built anew, with the same Keras seed, in this process or in another one, never has
    them: a model that has them is the one the suite gave.

    Args:
        model: a built Keras model.
        seed: the drawing's seed; each use in a suite has its own.

    Returns:
        One array per weight of ``model``, of its shape and dtype, for ``model.set_weights``.
    """
    rng = np.random.default_rng(seed)
    return [rng.normal(0.0, 0.05, w.shape).astype(w.dtype) for w in model.get_weights()]


@contextmanager
def global_policy_kept() -> Iterator[list[str]]:
    """Run a block (the student's call) and put Keras' global dtype policy back as it was after it.

    ``keras.mixed_precision.set_global_policy`` in the student's code changes every model built
    afterwards, the suite's too; the policy crosses back from ``kata grade``'s agent with a model.

    Yields:
        A list holding the policy's name before the block; after the block, also the name the
        block left (the same name when the block left the policy alone).

    Example:
        >>> with global_policy_kept() as policies:  # doctest: +SKIP
        ...     impl.compile_for_speed(model)
        >>> before, after = policies  # doctest: +SKIP
    """
    import keras

    policies = [keras.mixed_precision.global_policy().name]
    try:
        yield policies
    finally:
        policies.append(keras.mixed_precision.global_policy().name)
        keras.mixed_precision.set_global_policy(policies[0])


def per_image(model: Any, images: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(right, cross_entropy): per image, whether its highest score is its label, and its loss."""
    logits = np.asarray(model(images), dtype="float64")
    biggest = logits.max(axis=1, keepdims=True)
    log_sum_exp = biggest[:, 0] + np.log(np.exp(logits - biggest).sum(axis=1))
    own_logit = logits[np.arange(len(labels)), labels]
    return np.argmax(logits, axis=1) == labels, log_sum_exp - own_logit


def part_of_the_images(loss: float, accuracy: float, right: np.ndarray, cross_entropy: np.ndarray,
                       tolerance: float) -> int:
    """k if (loss, accuracy) are those of k < all of the images only: the first or last k, or
    every 2nd, 3rd or 4th image (``images[::2]``, ``images[1::3]``...); else 0.

    ``right`` and ``cross_entropy`` are :func:`per_image`'s, for all the images; a part matches
    within a tenth of ``tolerance``, all the images within ``tolerance``.
    """
    n = len(right)
    for a, c in ((right, cross_entropy), (right[::-1], cross_entropy[::-1])):
        counts = np.arange(1, n)
        off_accuracy = np.abs(np.cumsum(a)[:-1] / counts - accuracy)
        off_loss = np.abs(np.cumsum(c)[:-1] / counts - loss)
        close = (off_accuracy <= tolerance / 10) & (off_loss <= tolerance / 10)
        if close.any():
            return int(counts[np.argmin(np.where(close, off_accuracy + off_loss, np.inf))])
    if abs(right.mean() - accuracy) <= tolerance and abs(cross_entropy.mean() - loss) <= tolerance:
        return 0  # the numbers of all the images
    for step in range(2, 5):
        for start in range(step):
            if (abs(right[start::step].mean() - accuracy) <= tolerance / 10
                    and abs(cross_entropy[start::step].mean() - loss) <= tolerance / 10):
                return len(right[start::step])
    return 0


def mean_of_means(model: Any, images: np.ndarray, labels: np.ndarray, loss: float, accuracy: float,
                  tolerance: float) -> tuple[int, int] | None:
    """(b, images in the last batch) if (loss, accuracy) are the mean of the per-batch means of
    ``model`` on batches of b images in the order given, the last one smaller (so it weighs as much
    as a full one), and not the mean over the images; else None. Each within ``tolerance``.
    """
    right, cross_entropy = per_image(model, images, labels)
    n = len(right)
    for size in range(2, n):
        if n % size == 0:
            continue  # batches of one size: their mean of means is the mean
        starts = np.arange(0, n, size)
        counts = np.diff(np.append(starts, n))
        mean_accuracy = np.mean(np.add.reduceat(right.astype("float64"), starts) / counts)
        mean_loss = np.mean(np.add.reduceat(cross_entropy, starts) / counts)
        if abs(mean_accuracy - accuracy) <= tolerance and abs(mean_loss - loss) <= tolerance:
            return size, n % size
    return None
