"""A time guard for a training call, in whichever process trains.

A suite that calls a student's ``train()`` asks for a few dozen training steps;
a mistake (epochs and batch size swapped, the whole data set instead of the
slice given) can ask for thousands.  :func:`call_within_budget` calls the
function with every ``model.fit`` made during the call stopped after
``max_steps`` training steps in all, so such a run ends in seconds.  In-process
the guard is set here; through the wire (``--remote``) the agent sets it around
the call (the request's ``fit_budget``).

The guard only saves time: no verdict depends on its stopping a run.  What a test
judges is data that crosses (the History, the optimizer's step count, the weights),
and a run the guard stopped shows there (fewer epochs in the History than asked for).
It also writes down what each ``fit`` was given (:mod:`kata.remote.fitlog`), which
a suite may use to find a mistake.

Example:
    >>> history = call_within_budget(impl.train, 800, model, images, labels, epochs=2)  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib


@contextlib.contextmanager
def fit_budget(max_steps: int, fits: list | None = None):
    """While inside, every ``keras.Model.fit`` stops once ``max_steps`` training steps ran in all.

    Args:
        max_steps: training steps (batches) allowed across every fit call made inside.
        fits: a list that gets, for every fit call, what it was given
            (:func:`kata.remote.fitlog.describe_fit`), before it runs.
    """
    import keras

    from kata.remote.fitlog import describe_fit

    steps = [0]

    class StopAfter(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            steps[0] += 1
            if steps[0] >= max_steps:
                self.model.stop_training = True

    original = keras.Model.fit

    def fit(self, *args, **kwargs):
        if fits is not None:
            fits.append(describe_fit(original, self, args, kwargs))
        kwargs["callbacks"] = [*(kwargs.get("callbacks") or []), StopAfter()]
        return original(self, *args, **kwargs)

    keras.Model.fit = fit
    try:
        yield
    finally:
        keras.Model.fit = original


def call_within_budget(function, max_steps: int, *args, fits: list | None = None, **kwargs):
    """``function(*args, **kwargs)`` with every ``model.fit`` it makes stopped after ``max_steps`` steps in all.

    Args:
        function: the function under test, here or (a :class:`kata.remote.proxy.RemoteObject`) in an agent.
        max_steps: training steps allowed in all.
        fits: a list that gets what each fit call was given (:mod:`kata.remote.fitlog`),
            also when ``function`` raises; through the wire, as the agent's reply says it
            (:func:`kata.remote.fitlog.well_formed`: nothing when the reply's record is malformed).

    Returns:
        What ``function`` returned.
    """
    from kata.remote.fitlog import well_formed
    from kata.remote.proxy import RemoteObject

    if isinstance(function, RemoteObject):
        told = []
        try:
            return function._kata_connection.call(function._kata_ident, args, kwargs, fit_budget=max_steps, fits=told)
        finally:
            if fits is not None:
                fits.extend(well_formed(told[0] if told else None) or [])
    with fit_budget(max_steps, fits):
        return function(*args, **kwargs)
