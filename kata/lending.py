"""Work the tests of one graded suite share: models lent to every test, answers remembered.

Keras prepares ``model.evaluate`` (and ``predict``, ``fit``) once per model, and that takes
longer than running them on a few hundred images; a suite that checks on every save in ``kata
watch`` can't pay it in every test. So a suite lends one model to every test that asks for it
(:class:`Lender`), and remembers what the student's function answered for a model and data it
left exactly as they were (:class:`Answers`). Nothing a test judges is ever taken on trust: a
model a test changed is made anew for the next one, and a call that changed anything, or raised,
is made again by every test that asks.

Example (lesson 06's suite)::

    lender, answers = Lender(), Answers()

    @pytest.fixture
    def untrained_model(reference, kata_seed, first_images):
        return lender.lend(("untrained", kata_seed), lambda: fresh_model(reference), first_images[0])

    result = answers.ask(lambda: impl.evaluate(model, images, labels), model, images, labels)
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import numpy as np

PROBE = 16
"""Images whose outputs show that a model lent to a test came back unchanged."""


def settings_of(model: Any) -> tuple:
    """How a model is compiled and built: its loss, optimizer (and the optimizer's settings, its
    learning rate among them), step count, run_eagerly, trainable, layers."""
    optimizer = model.optimizer
    return (model.loss, optimizer, optimizer.get_config(), int(optimizer.iterations), model.run_eagerly,
            model.trainable, list(model.layers))


def changed_settings(config: dict, config_then: dict) -> str:
    """The settings that differ between two ``get_config()`` readings, as ``name: then → now``
    (``learning_rate: 0.001 → 0``)."""

    def shown(value: Any) -> str:
        return f"{value:.6g}" if isinstance(value, float) else repr(value)

    names = sorted(set(config) | set(config_then))
    return "; ".join(
        f"{name}: {shown(config_then.get(name))} → {shown(config.get(name))}"
        for name in names if config.get(name) != config_then.get(name)
    )


def same_arrays(arrays: list, arrays_then: list) -> bool:
    """Whether two lists of arrays are equal, element for element."""
    return len(arrays) == len(arrays_then) and all(
        np.array_equal(a, b) for a, b in zip(arrays, arrays_then, strict=True)
    )


def as_it_is(model: Any, *arrays: np.ndarray) -> tuple:
    """What a call could change and a test looks at: the model's settings, its weights and its
    optimizer's state, and copies of the data ``arrays``.

    The model's outputs are left out (they cost a call of the model): a change that shows only
    there is found by :meth:`Lender.lend` at the next test's start.
    """
    optimizer = [np.array(variable.numpy()) for variable in model.optimizer.variables]
    return settings_of(model), model.get_weights() + optimizer, [array.copy() for array in arrays]


def still(now: tuple, then: tuple) -> bool:
    """Whether two :func:`as_it_is` readings are the same."""
    (settings, weights, arrays), (settings_then, weights_then, arrays_then) = now, then
    return (
        settings == settings_then
        and same_arrays(weights, weights_then)
        and same_arrays(arrays, arrays_then)
    )


class Lender:
    """Models made once and lent to every test that asks, made anew when a test changed one."""

    def __init__(self) -> None:
        self._lent: dict[Hashable, tuple[Any, tuple]] = {}  # key → (the model, how it was)

    @staticmethod
    def _state(model: Any, images: np.ndarray) -> tuple:
        return settings_of(model), model.get_weights(), np.asarray(model(images[:PROBE]))

    def lend(self, key: Hashable, make: Callable[[], Any], images: np.ndarray) -> Any:
        """The model ``make()`` gives, made once per ``key``.

        Args:
            key: which model, e.g. ``("trained", seed)``.
            make: makes the model, as the test needs it.
            images: images the model takes; its outputs on the first few show whether a test
                changed it.

        Returns:
            The model lent before under ``key`` if it is exactly as it was made (its settings,
            weights and outputs), else a new one from ``make()``.
        """
        if key in self._lent:
            model, (settings, weights, outputs) = self._lent[key]
            now_settings, now_weights, now_outputs = self._state(model, images)
            if (now_settings == settings and same_arrays(now_weights, weights)
                    and np.allclose(now_outputs, outputs, rtol=0, atol=1e-6)):
                return model
        model = make()
        self._lent[key] = model, self._state(model, images)
        return model


class Answers:
    """The calls of a student's function that changed nothing, remembered for one suite run."""

    def __init__(self) -> None:
        self._kept: list[tuple[Any, tuple, Any]] = []  # (model, how it was, result)

    def clear(self) -> None:
        """Forget every answer: a new run asks anew (a notebook's next check)."""
        self._kept.clear()

    def ask(self, call: Callable[[], Any], model: Any, *arrays: np.ndarray) -> Any:
        """``call()``, or its answer from earlier in the run for the same model and data.

        Args:
            call: the student's function on ``model`` and ``arrays``.
            model: the model the call is given.
            arrays: the data the call is given.

        Returns:
            What ``call()`` returned. A call that left the model, its optimizer and the data as
            they were is kept, and a later call on the same model and equal data reads it; a
            call that changed any of them, or raised, is made again by every test that asks.
        """
        now = as_it_is(model, *arrays)
        for kept_model, then, result in self._kept:
            if kept_model is model and still(now, then):
                return result
        result = call()
        if still(as_it_is(model, *arrays), now):
            self._kept.append((model, now, result))
        return result
