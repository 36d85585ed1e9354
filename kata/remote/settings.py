"""Compile settings as checked data, for a model whose settings a ``.keras`` file can't hold.

A model compiled with a Keras class where Keras wants an object (the loss class
itself, without brackets: ``loss=keras.losses.SparseCategoricalCrossentropy``)
compiles, but Keras can't serialize its compile settings, so the model can't be
saved as ``.keras``.  Such a model crosses as a ``.keras`` file *without* its
compile settings (:func:`save_without_settings`), and the settings travel beside
it as plain data (:func:`describe`): each value as Keras serializes it, and a
class as its public name (``{"keras_class": "losses", "name": "..."}``).

The reader (:func:`rebuild`) accepts exactly the keys of ``model.compile``, and
as a class only a public class of ``keras.losses`` or ``keras.metrics`` that is
a loss or a metric; Keras objects are rebuilt with ``safe_mode=True``.  The
checker then compiles its model with these settings, so a test sees the same
``model.loss`` (the class) as in the student's process.

Example:
    >>> settings = describe(model)  # doctest: +SKIP
    >>> model.compile(**rebuild(settings))  # doctest: +SKIP
"""

from __future__ import annotations

import re

from kata.remote.protocol import RemoteError

KEYS = frozenset({"optimizer", "loss", "loss_weights", "metrics", "weighted_metrics", "run_eagerly",
                  "steps_per_execution", "jit_compile", "auto_scale_loss"})
"""The arguments of ``model.compile`` a description may hold."""
MAX_ITEMS = 64
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,99}$")


def _namespaces():
    import keras

    return {"losses": (keras.losses, keras.losses.Loss), "metrics": (keras.metrics, keras.metrics.Metric)}


def _describe_value(value, depth: int = 0):
    from keras.src.saving import serialization_lib

    if depth > 4:
        raise RemoteError("compile settings nested too deeply to describe")
    if isinstance(value, type):
        for space, (module, base) in _namespaces().items():
            if getattr(module, value.__name__, None) is value and issubclass(value, base):
                return {"keras_class": space, "name": value.__name__}
        raise RemoteError(f"the class {value.__qualname__} given to compile is not a Keras loss or metric")
    if isinstance(value, (list, tuple)):
        return [_describe_value(v, depth + 1) for v in value]
    if isinstance(value, dict) and not {"class_name", "config"} <= set(value):
        return {"dict": [[str(k), _describe_value(v, depth + 1)] for k, v in value.items()]}
    return {"keras": serialization_lib.serialize_keras_object(value)}


def describe(model) -> dict:
    """The arguments ``model`` was compiled with, as JSON-able data (see the module's docstring).

    Raises:
        RemoteError: a setting is neither something Keras serializes nor a public loss or metric class.
    """
    config = getattr(getattr(model, "_compile_config", None), "config", None)
    if not isinstance(config, dict):
        raise RemoteError("the model's compile settings can't be read")
    return {str(key): _describe_value(value) for key, value in config.items()}


def save_without_settings(model, path) -> None:
    """Save ``model`` as ``.keras`` as if it were not compiled (its weights and architecture only)."""
    model.compiled = False
    try:
        model.save(path)
    finally:
        model.compiled = True


def _rebuild_value(data, depth: int = 0):
    from keras.src.saving import serialization_lib

    if depth > 4:
        raise RemoteError("compile settings nested too deeply")
    if isinstance(data, list):
        if len(data) > MAX_ITEMS:
            raise RemoteError(f"compile settings with more than {MAX_ITEMS} items")
        return [_rebuild_value(v, depth + 1) for v in data]
    if not isinstance(data, dict) or len(data) not in (1, 2):
        raise RemoteError("a compile setting of an unknown form")
    if set(data) == {"keras_class", "name"}:
        space, name = data["keras_class"], data["name"]
        spaces = _namespaces()
        if space not in spaces or not isinstance(name, str) or not _NAME.match(name):
            raise RemoteError(f"a compile setting names the class {space!r}.{name!r}, which is not allowed")
        module, base = spaces[space]
        value = getattr(module, name, None)
        if not (isinstance(value, type) and issubclass(value, base)):
            raise RemoteError(f"keras.{space}.{name} is not a class of Keras {space}")
        return value
    if set(data) == {"dict"} and isinstance(data["dict"], list) and len(data["dict"]) <= MAX_ITEMS:
        if not all(isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) for p in data["dict"]):
            raise RemoteError("a compile setting's dictionary is not a list of [name, value] pairs")
        return {key: _rebuild_value(value, depth + 1) for key, value in data["dict"]}
    if set(data) == {"keras"}:
        value = data["keras"]
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        try:
            return serialization_lib.deserialize_keras_object(value, safe_mode=True)
        except Exception as error:  # noqa: BLE001  (any failure is told as one refusal)
            raise RemoteError(f"a compile setting Keras can't rebuild safely: {type(error).__name__}: {error}") from None
    raise RemoteError("a compile setting of an unknown form")


def rebuild(data) -> dict:
    """The keyword arguments for ``model.compile`` that :func:`describe` described.

    Raises:
        RemoteError: a key that is not one of compile's (:data:`KEYS`), a value of
            an unknown form, or a class that is not a public Keras loss or metric.
    """
    if not isinstance(data, dict) or not set(data) <= KEYS:
        raise RemoteError(f"compile settings with keys other than model.compile's: {sorted(set(data) - KEYS)}"
                          if isinstance(data, dict) else "compile settings that are not a dictionary")
    return {key: _rebuild_value(value) for key, value in data.items()}
