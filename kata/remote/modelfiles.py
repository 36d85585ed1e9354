"""A model file the student's code wrote (``.keras`` or legacy ``.h5``), loaded without running code from it.

Lesson 09's suite reads the files ``save_model`` wrote; with ``kata grade`` the student's code
runs in another process (the agent) that shares the folder, and whatever it wrote is untrusted.
:func:`load_model_file` is ``keras.models.load_model`` for such a file:

- it loads a private copy, so the checks and the load see the same bytes (the agent can still
  write the original);
- a ``.keras`` file is loaded with ``safe_mode=True``: Keras refuses a ``Lambda`` layer
  (Python bytecode) and, since 3.9, imports only its own modules named in a config;
- a ``.h5`` file is first read as data with h5py: its model and training configs (JSON) may
  name only Keras' own layers, initializers, losses, metrics and optimizers, never a
  ``Lambda`` or a layer that wraps foreign code; then Keras loads it, with ``safe_mode=True``.

Example:
    >>> model = load_model_file(tmp_path / "fashion.h5")  # doctest: +SKIP
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from kata.remote.plainfile import NotPlain, open_plain

NAMESPACES = ("layers", "initializers", "losses", "metrics", "optimizers", "dtype_policies", "regularizers",
              "constraints")
"""The Keras namespaces whose classes a model config may name (besides the model classes)."""
MAX_BYTES = 2 * 1024**3
"""The largest model file read (the tutorial's model is about 1.2 MB)."""
MODELS = frozenset({"Sequential", "Functional", "Model"})
FOREIGN = frozenset({"Lambda", "TFSMLayer", "JaxLayer", "FlaxLayer", "TorchModuleWrapper"})
"""Keras layers that wrap code from outside the file's data: never loaded from a student's file."""


class ModelFileRefused(ValueError):
    """A model file that names code or classes a plain Keras model doesn't: it is not loaded."""


def _keras_classes() -> frozenset[str]:
    import keras

    names = set(MODELS)
    for namespace in NAMESPACES:
        module = getattr(keras, namespace)
        names.update(name for name in dir(module)
                     if isinstance(getattr(module, name), type) and getattr(module, name).__module__.startswith("keras"))
    return frozenset(names - FOREIGN)


def check_config(config, where: str = "model_config") -> None:
    """Refuse a model's JSON config (from an ``.h5`` file) that names anything but Keras' own classes.

    Args:
        config: the parsed JSON.
        where: what it is, for the message.

    Raises:
        ModelFileRefused: a class that isn't Keras' own, a ``Lambda``, a module outside Keras.
    """
    allowed = _keras_classes()
    todo = [config]
    while todo:
        value = todo.pop()
        if isinstance(value, list):
            todo.extend(value)
        elif isinstance(value, dict):
            name = value.get("class_name")
            if name is not None and name not in allowed:
                raise ModelFileRefused(f"the {where} names the class {name!r}, which is not one of Keras' own "
                                       "(a Lambda layer or a custom object runs code of its own)")
            module = value.get("module")
            if module is not None and not (isinstance(module, str) and (module == "keras" or module.startswith("keras."))):
                raise ModelFileRefused(f"the {where} names the module {module!r}, which is not Keras'")
            todo.extend(value.values())


def _check_h5(path: Path) -> None:
    import h5py

    try:
        with h5py.File(path, "r") as data:
            configs = {name: data.attrs.get(name) for name in ("model_config", "training_config")}
    except OSError as error:
        raise ModelFileRefused(f"not an HDF5 file: {error}") from None
    if configs["model_config"] is None:
        raise ModelFileRefused("the .h5 file holds no model_config (weights only?)")
    for name, text in configs.items():
        if text is None:
            continue
        if isinstance(text, bytes):
            text = text.decode("utf-8", errors="replace")
        if not isinstance(text, str):
            raise ModelFileRefused(f"the .h5 file's {name} is not JSON text")
        try:
            config = json.loads(text)
        except ValueError as error:
            raise ModelFileRefused(f"the .h5 file's {name} is not JSON: {error}") from None
        check_config(config, name)


def _open_plain(path: Path):
    """Open a plain file of at most :data:`MAX_BYTES` (not a link, a pipe or a device)."""
    try:
        return open_plain(path, MAX_BYTES)
    except OSError as error:
        raise ModelFileRefused(f"{path.name} can't be opened as a plain file: {error.strerror}") from None
    except NotPlain:
        raise ModelFileRefused(f"{path.name} is not a plain file of at most {MAX_BYTES:,} bytes") from None


def load_model_file(path):
    """``keras.models.load_model(path)`` for a ``.keras`` or ``.h5`` file untrusted code wrote.

    Args:
        path: the file (str or path); its suffix chooses the format, as for Keras.

    Returns:
        The model, compiled as it was saved.

    Raises:
        ModelFileRefused: an ``.h5`` file whose configs name anything but Keras' own classes.
        ValueError: Keras refused it (in safe mode, a ``Lambda`` layer; an unknown format).
    """
    import keras

    source = Path(path)
    folder = Path(tempfile.mkdtemp(prefix="kata-modelfile-"))
    try:
        private = folder / f"model{source.suffix}"
        with _open_plain(source) as given, open(private, "wb") as copy:
            shutil.copyfileobj(given, copy)
        if source.suffix in (".h5", ".hdf5"):
            _check_h5(private)
        return keras.models.load_model(private, safe_mode=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
