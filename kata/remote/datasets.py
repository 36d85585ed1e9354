"""A ``tf.data.Dataset`` as data (used by :mod:`kata.remote.codec`).

A data set is a program (shuffles, maps over Python functions, generators): it
can't cross, and the checker must not run the agent's.  What crosses is what a
suite looks at:

- the kinds of its steps, last first (``["_PrefetchDataset", "_MapDataset", ...]``,
  the type names along ``_input_dataset``), and its element spec;
- :data:`EPOCHS` passes over it, run in the agent, as arrays: for each element
  component one flat array per pass and the shape of each element (so the last,
  smaller batch stays as it was).

The checker rebuilds a real ``tf.data.Dataset`` (:class:`Replay`) that gives the
first recorded pass on its first iteration, the second on the second, and so on
in turn: ``model.fit`` can train on it, and a test sees whether two epochs differ.
Its type's name is the agent's last step, and its ``_input_dataset`` a chain of
stand-ins named as the agent's steps, so a suite that reads the pipeline's kinds
reads the student's.

Example:
    >>> data = encode(codec, tf.data.Dataset.range(10).batch(4))  # doctest: +SKIP
    >>> [len(batch) for batch in decode(codec, data, None)]  # doctest: +SKIP
    [4, 4, 2]
"""

from __future__ import annotations

import itertools
import math
import sys

import numpy as np

from kata.remote.protocol import RemoteError

EPOCHS = 2
"""How many passes over a data set are recorded in the agent."""
MAX_ELEMENTS = 100_000
MAX_BYTES = 2 * 1024**3
MAX_STEPS = 64
MAX_LEAVES = 16
_DTYPES = {"bool", "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64",
           "float16", "float32", "float64"}


def _tf():
    return sys.modules.get("tensorflow")


# --- the agent's side: describe and record -------------------------------------------


def encode(codec, value):
    """``value`` described as data if it is a ``tf.data.Dataset``, else None.

    Raises:
        RemoteError: its elements are not plain tensors, or it is too big to record
            (:data:`MAX_ELEMENTS` per pass, :data:`MAX_BYTES` in all: an endless data set).
    """
    tf = _tf()
    if tf is None or not isinstance(value, tf.data.Dataset):
        return None
    ref = codec.ref(value)
    if "peer" in ref:  # the other side's data set, going back: it is theirs already
        return {"kind": "dataset", **ref}
    specs = tf.nest.flatten(value.element_spec)
    if not specs or len(specs) > MAX_LEAVES or not all(isinstance(s, tf.TensorSpec) for s in specs):
        raise RemoteError("a data set whose elements are not a few plain tensors can't cross")
    counter = itertools.count()
    template = tf.nest.map_structure(lambda _: next(counter), value.element_spec)
    spec = [[None if d is None else int(d) for d in s.shape.as_list()] if s.shape.rank is not None else None
            for s in specs]
    passes, total = [], 0
    for _ in range(EPOCHS):
        leaves, shapes = [[] for _ in specs], []
        for count, element in enumerate(value):
            if count >= MAX_ELEMENTS:
                raise RemoteError(f"a data set of more than {MAX_ELEMENTS:,} elements per pass can't cross")
            arrays = [np.asarray(t) for t in tf.nest.flatten(element)]
            total += sum(a.nbytes for a in arrays)
            if total > MAX_BYTES:
                raise RemoteError(f"a data set of more than {MAX_BYTES:,} bytes in {EPOCHS} passes can't cross")
            shapes.append([list(a.shape) for a in arrays])
            for leaf, array in zip(leaves, arrays, strict=True):
                leaf.append(array.reshape(-1))
        flat = [np.concatenate(leaf) if leaf else np.zeros(0, dtype=s.dtype.as_numpy_dtype)
                for leaf, s in zip(leaves, specs, strict=True)]
        passes.append({"shapes": shapes, "leaves": flat})
    return {"kind": "dataset", **ref, "steps": pipeline_steps(value), "template": codec.encode(template),
            "spec": [[s.dtype.name, shape] for s, shape in zip(specs, spec, strict=True)],
            "passes": codec.encode(passes)}


def pipeline_steps(dataset) -> list[str]:
    """The kinds of the steps of a ``tf.data`` pipeline, last first.

    Lesson 11's suite reads a pipeline with it, and the agent records a data set's
    steps with it, so both read the same thing.

    Args:
        dataset: a ``tf.data.Dataset`` (or the checker's replay of one).

    Returns:
        The type names along ``_input_dataset``, at most :data:`MAX_STEPS`.

    Example:
        >>> pipeline_steps(tf.data.Dataset.range(4).batch(2).prefetch(1))  # doctest: +SKIP
        ['_PrefetchDataset', '_BatchDataset', '_RangeDataset']
    """
    names = []
    while dataset is not None and len(names) < MAX_STEPS:
        names.append(type(dataset).__name__)
        dataset = getattr(dataset, "_input_dataset", None)
    return names


# --- the checker's side: rebuild ---------------------------------------------------


class Step:
    """A step of the agent's pipeline, as the checker knows it: its kind (the class's name) and the step before."""

    _input_dataset = None

    def __repr__(self) -> str:
        return f"<step {type(self).__name__} of a data set in the agent>"


def _named(base: type, name: str, cache: dict = {}) -> type:  # noqa: B006  (one class per name, kept)
    if (base, name) not in cache:
        cache[base, name] = type(name, (base,), {"__module__": "kata.remote.student"})
    return cache[base, name]


def decode(codec, data, target):
    """The :class:`Replay` of the data set ``data`` describes (see the module's docstring), else None.

    Raises:
        RemoteError: the description is malformed: unknown keys, names that are not
            identifiers, dtypes that are not plain numbers, shapes that don't add up.
    """
    if data.get("kind") != "dataset":
        return None
    if "peer" in data:
        tf = _tf()
        if set(data) != {"kind", "peer"} or tf is None or not isinstance(target, tf.data.Dataset):
            raise RemoteError("the other process named as a data set of this side's an object that is not one")
        return target
    if set(data) - {"kind", "id", "steps", "template", "spec", "passes"}:
        raise RemoteError(f"a data set described with unknown keys: {sorted(data)}")
    steps = data.get("steps")
    if not (isinstance(steps, list) and 1 <= len(steps) <= MAX_STEPS
            and all(isinstance(s, str) and len(s) <= 100 and s.isidentifier() for s in steps)):
        raise RemoteError("a data set whose steps are not a short list of class names")
    spec = data.get("spec")
    if not (isinstance(spec, list) and 1 <= len(spec) <= MAX_LEAVES and all(_spec_ok(s) for s in spec)):
        raise RemoteError("a data set whose element spec is not a few plain tensors")
    template = codec.decode(data.get("template"))
    leaves = _leaf_indexes(template)
    if sorted(leaves) != list(range(len(spec))):
        raise RemoteError("a data set whose element structure does not name each of its tensors once")
    passes = codec.decode(data.get("passes"))
    if not (isinstance(passes, list) and 1 <= len(passes) <= EPOCHS):
        raise RemoteError("a data set with no recorded pass over it")
    recorded = [_elements(one, spec) for one in passes]
    return replay(recorded, template, spec, steps)


def _spec_ok(item) -> bool:
    if not (isinstance(item, list) and len(item) == 2 and item[0] in _DTYPES):
        return False
    shape = item[1]
    return shape is None or (isinstance(shape, list) and len(shape) <= 8
                             and all(d is None or (type(d) is int and d >= 0) for d in shape))


def _leaf_indexes(template) -> list[int]:
    if type(template) is int:
        return [template]
    if isinstance(template, (tuple, list)):
        return [i for item in template for i in _leaf_indexes(item)]
    if isinstance(template, dict) and all(isinstance(k, str) for k in template):
        return [i for item in template.values() for i in _leaf_indexes(item)]
    raise RemoteError("a data set's element structure holds something other than tuples, lists and dicts")


def _elements(one, spec) -> list[list[np.ndarray]]:
    """One recorded pass: a list of elements, each the list of its tensors' arrays."""
    if not (isinstance(one, dict) and set(one) == {"shapes", "leaves"} and isinstance(one["shapes"], list)
            and isinstance(one["leaves"], list) and len(one["leaves"]) == len(spec)
            and len(one["shapes"]) <= MAX_ELEMENTS):
        raise RemoteError("a recorded pass over a data set that is not {shapes, leaves}")
    offsets = [0] * len(spec)
    elements = []
    for shapes in one["shapes"]:
        if not (isinstance(shapes, list) and len(shapes) == len(spec)):
            raise RemoteError("a data set element with another number of tensors than its spec")
        element = []
        for index, (shape, flat, (dtype, declared)) in enumerate(zip(shapes, one["leaves"], spec, strict=True)):
            if not (isinstance(flat, np.ndarray) and flat.ndim == 1 and flat.dtype == np.dtype(dtype)):
                raise RemoteError(f"a data set's tensors of dtype {dtype} came as something else")
            if not (isinstance(shape, list) and len(shape) <= 8 and all(type(d) is int and d >= 0 for d in shape)):
                raise RemoteError("a data set element of an impossible shape")
            if declared is not None and (len(shape) != len(declared)
                                         or any(d is not None and d != s for d, s in zip(declared, shape, strict=True))):
                raise RemoteError(f"a data set element of shape {shape} where its element spec says {declared}")
            size = math.prod(shape)
            if offsets[index] + size > flat.size:
                raise RemoteError("a data set's elements hold more values than were sent")
            element.append(flat[offsets[index]:offsets[index] + size].reshape(shape))
            offsets[index] += size
        elements.append(element)
    if offsets != [flat.size for flat in one["leaves"]]:
        raise RemoteError("a data set's elements hold fewer values than were sent")
    return elements


def _structure(template, arrays):
    if type(template) is int:
        return arrays[template]
    if isinstance(template, tuple):
        return tuple(_structure(item, arrays) for item in template)
    if isinstance(template, list):
        return [_structure(item, arrays) for item in template]
    return {key: _structure(item, arrays) for key, item in template.items()}


_classes: dict[str, type] = {}


def _replay_class() -> type:
    """The class of the checker's replays: a real ``tf.data.Dataset`` over another one's tensors."""
    if "replay" not in _classes:
        from tensorflow.python.data.ops import dataset_ops

        class Replay(dataset_ops.DatasetV2):
            """The agent's data set, replayed from its recorded passes (named as its last step)."""

            def __init__(self, source):
                self._source = source
                super().__init__(source._variant_tensor)

            def _inputs(self):
                return [self._source]

            @property
            def element_spec(self):
                return self._source.element_spec

        _classes["replay"] = Replay
    return _classes["replay"]


def replay(recorded: list, template, spec: list, steps: list[str]):
    """A real ``tf.data.Dataset`` giving ``recorded[0]`` on its first pass, ``recorded[1]`` on the next, in turn."""
    import tensorflow as tf

    shapes = []
    for index, (dtype, declared) in enumerate(spec):
        seen = {tuple(element[index].shape) for elements in recorded for element in elements}
        ranks = {len(s) for s in seen}
        if declared is not None and (len(ranks) > 1 or (ranks and ranks != {len(declared)})):
            raise RemoteError("a data set's elements don't have the rank of its element spec")
        rank = ranks.pop() if ranks else (len(declared) if declared is not None else None)
        shape = None if rank is None else [
            dims.pop() if len(dims := {s[d] for s in seen}) == 1 else None for d in range(rank)
        ]
        shapes.append(tf.TensorSpec(shape, tf.as_dtype(dtype)))
    signature = _structure(template, shapes)
    turn = itertools.count()

    def one_pass():
        for element in recorded[next(turn) % len(recorded)]:
            yield _structure(template, element)

    inner = tf.data.Dataset.from_generator(one_pass, output_signature=signature)
    if len({len(elements) for elements in recorded}) == 1:
        inner = inner.apply(tf.data.experimental.assert_cardinality(len(recorded[0])))

    dataset = _named(_replay_class(), steps[0])(inner)
    before = None
    for name in reversed(steps[1:]):
        step = _named(Step, name)()
        step._input_dataset = before
        before = step
    dataset._input_dataset = before
    return dataset
