"""Weights trained by the reference solutions, kept on disk between runs of a suite.

A suite that needs a *trained* model (lesson 06 evaluates one) trains it with
the reference lessons on a slice of the data.  That takes about a second,
every run, and never depends on the student's code; ``kata watch`` runs the
suite on every save.  :func:`reference_weights` trains once and keeps the
weights in the checkout's ``.kata/cache/``, under a key made of everything
they come from: the reference modules' code, the file that trains (the
suite), the recipe (seed, slice, epochs, the data itself) and the versions of
Python, numpy, TensorFlow and Keras.  Change any of them and the key changes.

Only weights made by the reference are kept.  When the modules come from
anywhere else (a student copy has no ``solutions/``, so its "reference" is the
student's own earlier lessons), the weights are trained every time and
nothing is written.  A file that can't be read, or was written under another
key, is ignored and made again; a cache that can't be written (a read-only
checkout, the grader's sandbox) just means training every time.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import platform
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType

import numpy as np

from kata import impl as impl_module

CACHE_FOLDER = Path(".kata") / "cache"
"""Where the weights live, relative to the checkout's root (git-ignored with ``.kata/``)."""


def cache_folder() -> Path:
    """The checkout's ``.kata/cache/`` (the checkout pytest runs in)."""
    return impl_module.NAMED_TREES["solutions"].parent / CACHE_FOLDER


def is_reference(module: ModuleType, solutions: Path | None = None) -> bool:
    """Does ``module`` come from the reference solutions (``solutions/NN/...``)?"""
    solutions = Path(solutions if solutions is not None else impl_module.NAMED_TREES["solutions"]).resolve()
    file = getattr(module, "__file__", None)
    return file is not None and solutions in Path(file).resolve().parents


def _feed(digest, value) -> None:
    """Add ``value`` (text, numbers, arrays, paths and lists/dicts of them) to ``digest``."""
    if isinstance(value, np.ndarray):
        digest.update(f"array{value.dtype.str}{value.shape}".encode())
        digest.update(np.ascontiguousarray(value).tobytes())
    elif isinstance(value, dict):
        for name in sorted(value):
            digest.update(f"<{name}>".encode())
            _feed(digest, value[name])
    elif isinstance(value, (list, tuple)):
        digest.update(f"[{len(value)}]".encode())
        for item in value:
            _feed(digest, item)
    elif isinstance(value, Path):
        digest.update(b"file")
        digest.update(value.read_bytes())
    else:
        digest.update(repr(value).encode())
    digest.update(b";")


def cache_key(name: str, references: Iterable[ModuleType], recipe: dict, train: Callable) -> str:
    """The key of a set of weights: a hash of all they come from (see the module's docstring)."""
    import keras
    import tensorflow as tf

    digest = hashlib.sha256()
    _feed(digest, {
        "name": name,
        "references": [Path(module.__file__) for module in references],
        "trainer": Path(inspect.getfile(train if inspect.isfunction(train) else type(train))),
        "recipe": recipe,
        "versions": [platform.python_version(), np.__version__, tf.__version__, keras.__version__],
    })  # fmt: skip
    return digest.hexdigest()[:32]


def reference_weights(
    name: str,
    references: Iterable[ModuleType],
    recipe: dict,
    train: Callable[[], list[np.ndarray]],
    *,
    folder: Path | None = None,
) -> list[np.ndarray]:
    """The weights ``train()`` gives, from the disk cache when it ran before on the same inputs.

    Args:
        name: what the weights are, for the file name (e.g. ``"06-trained"``).
        references: every module ``train`` uses (the ``reference(n)`` it calls).
        recipe: everything else the weights depend on: the seed, the sizes,
            the epochs, the data (arrays are hashed by content).
        train: trains and returns ``model.get_weights()``; it must set its own
            random seed, so that its result depends only on ``recipe``.
        folder: where to keep them (default: :func:`cache_folder`).

    Returns:
        The list of weight arrays.

    Example:
        >>> weights = reference_weights(  # doctest: +SKIP
        ...     "06-trained", [reference(n) for n in (2, 3, 4, 5)],
        ...     {"seed": seed, "images": 1000, "epochs": 2}, train)
        >>> model.set_weights(weights)  # doctest: +SKIP
    """
    references = list(references)
    if not all(is_reference(module) for module in references):
        return train()  # the student's own code: never kept
    key = cache_key(name, references, recipe, train)
    path = Path(folder if folder is not None else cache_folder()) / f"{name}-{key}.npz"
    weights = _read(path, key)
    if weights is None:
        weights = train()
        _write(path, key, weights)
    return weights


def _read(path: Path, key: str) -> list[np.ndarray] | None:
    try:
        with np.load(path, allow_pickle=False) as saved:
            if str(saved["key"]) != key:
                return None
            return [saved[f"w{i}"] for i in range(int(saved["count"]))]
    except Exception:  # noqa: BLE001 - missing, truncated or foreign: made again
        return None


def _write(path: Path, key: str, weights: list[np.ndarray]) -> None:
    arrays = {f"w{i}": np.asarray(w) for i, w in enumerate(weights)}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".writing-", suffix=".npz")
        try:
            with os.fdopen(fd, "wb") as file:
                np.savez(file, key=np.array(key), count=np.array(len(weights)), **arrays)
            os.replace(temporary, path)  # whole or not at all, even with two runs at once
        finally:
            Path(temporary).unlink(missing_ok=True)
    except OSError:
        pass  # a read-only checkout: trained again next time
