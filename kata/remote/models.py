"""Keras models, training histories and TensorFlow tensors as data (used by :mod:`kata.remote.codec`).

A model crosses as a ``.keras`` file (architecture, weights, compile settings,
optimizer state: Keras' own format), read with ``safe_mode=True`` so that no
code inside it runs (a ``Lambda`` layer is refused).  A model the other side
sent back for one of this side's own models is *applied* to that model in place:
new weights assigned, compiled again only if its compile settings changed, the
optimizer's state copied (:func:`apply_state`).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np

from kata.remote import settings
from kata.remote.fingerprints import fingerprint
from kata.remote.protocol import RemoteError


def _keras():
    return sys.modules.get("keras")


def _tf():
    return sys.modules.get("tensorflow")


def encode(codec, value):
    """``value`` described as data if it is a tensor, a model or a History, else None."""
    keras, tf = _keras(), _tf()
    if tf is not None and isinstance(value, (tf.Tensor, tf.Variable)) and hasattr(value, "numpy"):
        kind = "Variable" if isinstance(value, tf.Variable) else "Tensor"
        return {"kind": "tensor", **codec.ref(value), "class": kind, "array": codec.encode(np.array(value.numpy()))}
    if keras is None:
        return None
    if isinstance(value, keras.Variable):
        return {"kind": "tensor", **codec.ref(value), "class": "KerasVariable",
                "array": codec.encode(np.array(value.numpy()))}
    if isinstance(value, keras.Model):
        ref = codec.ref(value)
        known = codec.digests.get(id(value))
        if "peer" in ref and known is not None and known == fingerprint(value):
            return {"kind": "model", **ref, "same": True}  # the other side's model, unchanged here: no file
        name, path = codec.new_file(".keras")
        out = {"kind": "model", **ref, "file": name}
        try:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="You are saving a model that has not yet been built")
                try:
                    value.save(path)
                except TypeError:  # compile settings Keras can't serialize (a loss class): beside the file
                    if not getattr(value, "compiled", False):
                        raise
                    out["compile"] = settings.describe(value)
                    settings.save_without_settings(value, path)
        except Exception as error:  # noqa: BLE001  (said plainly: the model can't be written as data)
            raise RemoteError(
                f"the model {value.name!r} can't be saved as a .keras file, so it can't cross to the "
                f"checker: {type(error).__name__}: {error}"
            ) from None
        if getattr(value, "optimizer", None) is not None:  # two models sharing one optimizer share it there too
            out["optimizer"] = codec.ref(value.optimizer)
        out["policy"] = [keras.mixed_precision.global_policy().name, keras.backend.floatx()]
        out["layers"] = [codec.ref(layer) for layer in value.layers]
        methods = _replaced_methods(value) if codec.side == "c" else {}
        if methods:  # a test's spy on model.fit: called by the student's code, it runs in the checker
            out["methods"] = {name: codec.encode(method) for name, method in methods.items()}
        return out
    if isinstance(value, keras.callbacks.History):
        fields = {name: getattr(value, name, None) for name in ("history", "params", "epoch")}
        model = getattr(value, "model", None)
        return {"kind": "history", **codec.ref(value), "fields": codec.encode(fields), "model": codec.encode(model),
                "latest": model is not None and getattr(model, "history", None) is value}
    return None


def decode(codec, data, target):
    """The tensor, model or History ``data`` describes (written into ``target`` when given), else None."""
    kind = data.get("kind")
    if kind == "tensor":
        return _tensor(codec, data, target)
    if kind == "model" and data.get("same"):
        keras = _keras()
        if "peer" not in data or keras is None or not isinstance(target, keras.Model):
            raise RemoteError("the other process said a model is unchanged, but this side never sent it that model")
        return target
    if kind == "model":
        model = load(codec, data["file"])
        keras = _keras()
        if target is not None and isinstance(target, keras.Model):
            apply_state(target, model)
            model = target
        else:
            model = _with_known_layers(codec, model, data.get("layers", []))
        if "compile" in data:
            model.compile(**settings.rebuild(data["compile"]))
        for ref, layer in zip(data.get("layers", []), model.layers, strict=False):
            if "id" in ref:  # a layer of theirs: the same layer in a later model is this one
                codec.theirs[ref["id"]] = layer
                codec.origin[id(layer)] = ref["id"]
        _share_optimizer(codec, model, data.get("optimizer"))
        _take_policy(data.get("policy"))
        if "id" in data:
            codec.digests[id(model)] = fingerprint(model)  # sent back unchanged, it crosses as "same"
        _set_methods(codec, model, data.get("methods"))
        return model
    if kind == "history":
        import keras

        history = target if isinstance(target, keras.callbacks.History) else keras.callbacks.History()
        for name, value in codec.decode(data["fields"]).items():
            setattr(history, name, value)
        model = codec.decode(data["model"])
        if model is not None:
            history.set_model(model)
            if data.get("latest") is True:  # the History of the model's last fit, as fit leaves it
                model.history = history
        return history
    return None


def _share_optimizer(codec, model, ref) -> None:
    """The optimizer of theirs that an earlier model already brought is this side's same object again."""
    import keras

    mine = getattr(model, "optimizer", None)
    if not isinstance(ref, dict) or mine is None or "id" not in ref:
        return
    known = codec.theirs.get(ref["id"])
    if known is None:
        codec.theirs[ref["id"]] = mine
        codec.origin[id(mine)] = ref["id"]
    elif known is not mine:
        if not isinstance(known, keras.optimizers.Optimizer):
            raise RemoteError("the other process named as an optimizer an object that is not one")
        model.optimizer = known


POLICIES = {"float32", "float16", "bfloat16", "float64", "mixed_float16", "mixed_bfloat16"}
"""The global dtype policies the other process's may be taken from (Keras' own names)."""


def _take_policy(policy) -> None:
    """The other process's global dtype policy and floatx, taken here too (a lesson function that
    changes them changes every model built after it, as in one process)."""
    keras = _keras()
    if not (isinstance(policy, list) and len(policy) == 2 and policy[0] in POLICIES
            and policy[1] in {"float16", "bfloat16", "float32", "float64"}):
        return
    if keras.backend.floatx() != policy[1]:
        keras.backend.set_floatx(policy[1])
    if keras.mixed_precision.global_policy().name != policy[0]:
        keras.mixed_precision.set_global_policy(policy[0])


REPLACEABLE = ("fit", "evaluate", "predict", "compile", "save")
"""The methods a test may replace on a model it sends (``model.fit = spy``); Keras sets others itself."""


def _replaced_methods(model) -> dict:
    """Methods of ``model`` replaced on the object itself (``model.fit = spy``)."""
    return {name: value for name, value in vars(model).items() if name in REPLACEABLE and callable(value)}


def _set_methods(codec, model, methods) -> None:
    """On the agent's side, the checker's replaced methods set on the model as calls back (owned by it)."""
    if methods is None:
        return
    if codec.side != "a" or not isinstance(methods, dict):
        raise RemoteError("the other process sent a model with replaced methods, which only the checker may send")
    for name, handle in methods.items():
        if name not in REPLACEABLE:
            raise RemoteError(f"a model's replaced method {name!r} is not one of its methods")
        method = codec.decode(handle)
        method.owner = model
        setattr(model, name, method)


def _tensor(codec, data, target):
    array = codec.decode(data["array"])
    kind = data["class"]
    if kind == "KerasVariable":
        import keras

        if isinstance(target, keras.Variable):
            target.assign(array)
            return target
        return keras.Variable(array)
    import tensorflow as tf

    if kind == "Variable":
        if isinstance(target, tf.Variable):
            target.assign(array)
            return target
        return tf.Variable(array)
    return tf.constant(array)


def load(codec, name: str):
    """Load the ``.keras`` file ``name`` of the exchange folder, refusing any code in it.

    Raises:
        RemoteError: the file is not a model Keras loads with ``safe_mode=True``.
    """
    import keras

    folder = Path(tempfile.mkdtemp(prefix="kata-model-"))
    try:
        private = folder / "model.keras"
        with codec.open_file(name) as source, open(private, "wb") as copy:
            shutil.copyfileobj(source, copy)
        (codec.exchange / name).unlink()
        try:
            with warnings.catch_warnings():
                # A compiled model whose optimizer never stepped was saved with fewer variables.
                warnings.filterwarnings("ignore", message="Skipping variable loading for optimizer")
                return keras.saving.load_model(private, compile=True, safe_mode=True)
        except Exception as error:  # noqa: BLE001  (any failure to load is told as one refusal)
            raise RemoteError(
                f"the model could not be loaded safely ({type(error).__name__}: {error}). Only models "
                "Keras can rebuild from data cross between the processes: no Lambda layers or custom "
                "Python objects."
            ) from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _with_known_layers(codec, model, refs: list):
    """``model`` rebuilt so that the layers this side already has (its own, or ones that came
    in an earlier model) are those very objects: a model wrapped or layers reused keep their weights."""
    import keras

    mapping = {}
    for ref, layer in zip(refs, model.layers, strict=False):
        if "peer" in ref:
            mine = codec.own.get(ref["peer"])
        else:
            mine = codec.theirs.get(ref.get("id"))
        if mine is not None and mine is not layer:
            if not isinstance(mine, keras.layers.Layer):
                raise RemoteError("the other process named as a layer an object that is not one")
            mapping[id(layer)] = mine
    if not mapping:
        return model
    rebuilt = keras.models.clone_model(model, clone_function=lambda layer: mapping.get(id(layer), layer))
    if getattr(model, "compiled", False):
        rebuilt.compile_from_config(model.get_compile_config())
    return rebuilt


def _same_layer(a, b) -> bool:
    return type(a) is type(b) and [tuple(w.shape) for w in a.weights] == [tuple(w.shape) for w in b.weights]


def _apply_structure(target, source) -> None:
    """Layers added to or removed from a Sequential model the other side sent, done here too."""
    import keras

    if not (isinstance(target, keras.Sequential) and isinstance(source, keras.Sequential)):
        return
    common = 0
    for ours, theirs in zip(target.layers, source.layers, strict=False):
        if not _same_layer(ours, theirs):
            break
        common += 1
    if common == len(target.layers) == len(source.layers):
        return
    while len(target.layers) > common:
        target.pop(rebuild=False)
    for layer in source.layers[common:]:
        target.add(layer, rebuild=False)
    target.build(source.inputs[0].shape if source.inputs else None)


def _apply_settings(target, source) -> None:
    """Settings changed on the layers in place (``trainable``, a Dense layer's ``activation``), done here too."""
    if target.trainable != source.trainable:
        target.trainable = source.trainable
    for ours, theirs in zip(target.layers, source.layers, strict=False):
        if ours.trainable != theirs.trainable:
            ours.trainable = theirs.trainable
        if hasattr(ours, "activation") and ours.get_config().get("activation") != theirs.get_config().get("activation"):
            ours.activation = theirs.activation
        if hasattr(ours, "layers") and hasattr(theirs, "layers"):
            _apply_settings(ours, theirs)


def _values(variables) -> list[np.ndarray]:
    return [np.asarray(v.numpy() if hasattr(v, "numpy") else v) for v in variables]


def apply_state(target, source) -> None:
    """Make model ``target`` hold ``source``'s weights, compile settings and optimizer state.

    Raises:
        RemoteError: the two models don't have the same weights (layers were
            added or removed), so ``target`` can't be made to match in place.
    """
    _apply_structure(target, source)
    _apply_settings(target, source)
    if [tuple(w.shape) for w in target.weights] != [tuple(w.shape) for w in source.weights]:
        if not target.weights and source.weights and source.inputs:
            target.build(source.inputs[0].shape)
        if [tuple(w.shape) for w in target.weights] != [tuple(w.shape) for w in source.weights]:
            raise RemoteError(
                f"the model {target.name!r} came back with other weights than it was sent with "
                f"({len(source.weights)} instead of {len(target.weights)}): layers changed, which can't "
                "be applied in place"
            )
    for variable, value in zip(target.weights, _values(source.weights), strict=True):
        if not np.array_equal(np.asarray(variable.numpy()), value):
            variable.assign(value)
    if not getattr(source, "compiled", False):
        return
    config = source.get_compile_config()
    if not getattr(target, "compiled", False) or target.get_compile_config() != config:
        target.compile_from_config(config)
    if source.optimizer is None or target.optimizer is None:
        return
    if int(source.optimizer.iterations.numpy()) == 0:  # an optimizer that has taken no step has no state to copy
        if int(target.optimizer.iterations.numpy()) != 0:  # compiled again there: a new optimizer, here too
            target.compile_from_config(config)
        return
    if source.optimizer.built and not target.optimizer.built:
        target.optimizer.build(target.trainable_variables)
    theirs, ours = source.optimizer.variables, target.optimizer.variables
    if len(theirs) == len(ours):
        for variable, value in zip(ours, _values(theirs), strict=True):
            if tuple(variable.shape) == value.shape and not np.array_equal(np.asarray(variable.numpy()), value):
                variable.assign(value)
