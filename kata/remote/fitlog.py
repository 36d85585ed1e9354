"""What each ``model.fit`` of a call was given, as data (used by :mod:`kata.remote.budget`).

A suite that calls a student's ``train()`` judges what the call left behind (the
History, the optimizer's steps, the weights); what ``fit`` trained *on* leaves no trace
there when the steps come out right (one image left out, images changed on a copy, a
tiny ``validation_split``).  So the guard that stops long runs also writes down, for
every ``fit`` call, before it runs:

- ``rows``: one short digest per training example, of the image's pixels (as float32)
  with its label (as an integer): what ``fit`` was given, in any order.  From NumPy
  arrays, tensors or lists; from a finite ``tf.data.Dataset``, one pass over it
  (batches unrolled); ``None`` for what can't be read without running it twice (a
  Python generator, a ``PyDataset``, an endless data set);
- ``batches``: the sizes of the first batches of a ``tf.data.Dataset`` (else None);
- ``validation_split``, ``initial_epoch`` and ``steps_per_epoch`` as given to ``fit``.

Through ``kata grade`` the record is written in the student's process, so a suite
uses it only to find a mistake (another data than the one given), never to grant a
point: a record that is missing or forged can only hide a mistake, which without it
would pass as well.

Example:
    >>> fits = []
    >>> with fit_budget(100, fits):  # doctest: +SKIP
    ...     model.fit(images, labels, epochs=2, batch_size=50)
    >>> Counter(fits[0]["rows"]) == Counter(rows_of(images, labels))  # doctest: +SKIP
    True
"""

from __future__ import annotations

import hashlib
import sys

import numpy as np

MAX_ROWS = 50_000
"""The most examples a record lists (more: ``rows`` is None)."""
MAX_BATCHES = 8
"""How many batch sizes of a data set a record keeps."""


def rows_of(images, labels) -> list[str] | None:
    """One digest per (image, label) pair: the image's pixels as float32, its label as an integer.

    Args:
        images: images, one per row of the first axis (any float or integer dtype, any shape after it).
        labels: one class number per image (any shape with one number per image: ``(n,)`` or ``(n, 1)``).

    Returns:
        A list of hex digests, in the images' order; None when the two don't pair up (not one label per image,
        labels that are not whole numbers) or there are more than :data:`MAX_ROWS`.
    """
    try:
        images, labels = np.asarray(images), np.asarray(labels)
    except Exception:  # noqa: BLE001  (what can't become an array can't be described)
        return None
    if images.ndim < 1 or len(images) > MAX_ROWS or labels.size != len(images) or len(images) == 0:
        return None
    labels = labels.reshape(len(images))
    if labels.dtype.kind == "f" and not np.all(np.isfinite(labels) & (labels == np.round(labels))):
        return None
    if labels.dtype.kind not in "iuf" or images.dtype.kind not in "iufb":
        return None
    pixels = np.ascontiguousarray(images.reshape(len(images), -1), dtype=np.float32)
    classes = labels.astype(np.int64)
    return [hashlib.blake2b(row.tobytes() + int(label).to_bytes(8, "little", signed=True), digest_size=8).hexdigest()
            for row, label in zip(pixels, classes, strict=True)]


def _dataset_rows(data, steps):
    """``(rows, batch sizes)`` of one pass over a finite ``tf.data.Dataset`` of ``(images, labels[, weights])``."""
    tf = sys.modules.get("tensorflow")
    cardinality = int(data.cardinality())
    if cardinality == tf.data.INFINITE_CARDINALITY:
        if not steps:
            return None, None
        data = data.take(steps)
    images, labels, sizes = [], [], []
    count = 0
    for element in data:
        if not isinstance(element, tuple | list) or len(element) < 2:
            return None, None
        x, y = np.asarray(element[0]), np.asarray(element[1])
        if x.ndim == 2:  # unbatched: one image per element
            x, y = x[None], np.reshape(y, (1, -1))
        count += len(x)
        if count > MAX_ROWS:
            return None, None
        images.append(x)
        labels.append(np.reshape(y, (len(x), -1)))
        if len(sizes) < MAX_BATCHES:
            sizes.append(len(x))
    if not images:
        return [], sizes
    return rows_of(np.concatenate(images), np.concatenate(labels)), sizes


def describe_fit(fit, model, args: tuple, kwargs: dict) -> dict:
    """What one ``fit(model, *args, **kwargs)`` call was given, as plain data (see the module's doc).

    Args:
        fit: ``keras.Model.fit`` itself, whose signature names the arguments.
        model: the model fit was called on.
        args, kwargs: the call's other arguments.

    Never raises: what can't be read is ``None``.
    """
    import inspect

    record = {"rows": None, "batches": None, "validation_split": None, "initial_epoch": None,
              "steps_per_epoch": None}
    try:
        given = inspect.signature(fit).bind(model, *args, **kwargs).arguments
    except TypeError:  # fit itself raises it, with its own words
        return record
    for name in ("validation_split", "initial_epoch", "steps_per_epoch"):
        value = given.get(name)
        if isinstance(value, int | float | np.number) and not isinstance(value, bool):
            record[name] = float(value) if name == "validation_split" else int(value)
    x, y = given.get("x"), given.get("y")
    try:
        tf = sys.modules.get("tensorflow")
        if tf is not None and isinstance(x, tf.data.Dataset):
            record["rows"], record["batches"] = _dataset_rows(x, record["steps_per_epoch"])
        elif y is not None and hasattr(x, "__len__"):
            record["rows"] = rows_of(x, y)
    except Exception:  # noqa: BLE001  (a data set that fails to run fails in fit itself, with its own error)
        record["rows"] = record["batches"] = None
    return record


def well_formed(fits) -> list[dict] | None:
    """``fits`` as the checker may read it (it may come from the student's process): a list of records, else None."""
    if not isinstance(fits, list) or len(fits) > 1000:
        return None
    checked = []
    for record in fits:
        if not isinstance(record, dict):
            return None
        rows = record.get("rows")
        if rows is not None and not (isinstance(rows, list) and all(isinstance(r, str) for r in rows)):
            return None
        batches = record.get("batches")
        if batches is not None and not (isinstance(batches, list) and all(type(b) is int for b in batches)):
            return None
        numbers = {name: record.get(name) for name in ("validation_split", "initial_epoch", "steps_per_epoch")}
        if any(v is not None and (isinstance(v, bool) or not isinstance(v, int | float)) for v in numbers.values()):
            return None
        checked.append({"rows": rows, "batches": batches, **numbers})
    return checked
