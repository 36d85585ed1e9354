"""Fingerprints of what crosses: an array's bytes, a model's whole state.

The codec remembers the fingerprint of what it received; a value sent back with
the same fingerprint crosses as ``"same"`` (no file), and the receiver keeps its own.

Example:
    >>> digest(np.zeros(3)) == digest(np.zeros(3))
    True
"""

from __future__ import annotations

import hashlib

import numpy as np


def digest(array: np.ndarray) -> str:
    """A short fingerprint of an array's dtype, shape and bytes."""
    data = np.ascontiguousarray(array)
    hashed = hashlib.blake2b(f"{data.dtype.str}{data.shape}".encode(), digest_size=16)
    hashed.update(data.view(np.uint8).reshape(-1) if data.size else b"")
    return hashed.hexdigest()


def fingerprint(model) -> str | None:
    """A digest of what crossing a model carries: its architecture, weights, compile settings and optimizer state.

    None when Keras can't describe its compile settings (a loss *class*, see
    :mod:`kata.remote.settings`): such a model always crosses whole.
    """
    import json

    try:
        settings = model.get_compile_config() if getattr(model, "compiled", False) else None
    except TypeError:
        return None
    parts = [json.dumps([model.get_config(), settings, model.trainable, [layer.trainable for layer in model.layers]],
                        default=repr, sort_keys=True)]
    optimizer = getattr(model, "optimizer", None)
    variables = list(model.weights) + (list(optimizer.variables) if optimizer is not None else [])
    parts += [digest(np.asarray(v.numpy() if hasattr(v, "numpy") else v)) for v in variables]
    return digest(np.frombuffer("\n".join(parts).encode(), dtype=np.uint8))
