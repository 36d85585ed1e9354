"""What the graded suites (``lessons/NN/test_*.py``) share: failing with a message, telling an
error in words, drawing weights and images of the suite's own.

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

from collections.abc import Callable
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
        said = (str(error).strip().splitlines() or [""])[0]
        said = said if len(said) <= 160 else said[:160] + "…"
        if callable(advice):
            advice = advice(error)
        raise AssertionError(_("{what} failed with {kind} ({said!r}). {advice}").format(
            what=what, kind=type(error).__name__, said=said, advice=advice
        )) from error


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
