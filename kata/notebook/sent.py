"""A notebook's definitions sent by value to ``kata.check``'s helper process.

:func:`pack` runs in the kernel: it pickles the notebook's names with
cloudpickle, which sends functions and classes defined in cells by value
(their code, defaults and the globals they use) and modules by name.  Along
go the cells' source lines, so a traceback in the helper shows the
student's line as it does in the kernel, and the Keras settings a cell may
have changed (``keras.config.set_floatx`` at the top of a notebook holds for
the whole check in the kernel, as at the top of a lesson file).

In the helper's child, this module is a pytest plugin (``-p
kata.notebook.sent --kata-namespace=FILE``): before any test runs it
unpickles the definitions and preloads them as the lesson modules of the
``--impl`` tree (:func:`kata.notebook.namespace.namespace_tree`), so the
suite runs on them exactly as it would in the kernel.

What is not sent: IPython's own names (``In``, ``_i3``, ...), big arrays and
Keras objects left in the notebook (the loaded images, a trained model):
the suites never read them, and sending them would cost more than running
in the kernel.  A function that uses one as a global still takes it along;
when the whole is over :data:`MAX_BYTES`, or a lesson function can't be
pickled, :func:`pack` returns ``None`` and the check runs in the kernel.

Example::

    payload = pack(globals(), ("build_model",))   # bytes, or None: check in the kernel
"""

from __future__ import annotations

import functools
import linecache
import pickle
import re
import sys
import types
from pathlib import Path

MAX_BYTES = 32 * 2**20
"""The most sent for one check: past it, the check runs in the kernel."""

BIG_ARRAY_BYTES = 2**20
"""An array left in the notebook bigger than this (the loaded images) is not sent."""

IPYTHON_NAME = re.compile(r"_+|_i+|_i?\d+|_[iod]h|__builtins?__|In|Out|get_ipython|exit|quit")
"""Names IPython keeps in a notebook's namespace: its input and output history, its helpers."""


def pack(namespace: dict, lesson_functions: tuple[str, ...]) -> bytes | None:
    """The notebook's definitions, pickled for the helper; ``None`` when they can't be sent.

    Args:
        namespace: the notebook's globals.
        lesson_functions: the names the lesson's stub defines; each one the
            notebook defines must be sent, or nothing is.

    Returns:
        The pickled ``{"lines": ..., "settings": ..., "path": ..., "names": ...}``, or ``None``
        (cloudpickle missing, a lesson function that can't be pickled, or more
        than :data:`MAX_BYTES`).
    """
    try:
        dumps = _dumps_keeping_file_names()
    except ImportError:
        return None
    kinds = _kinds_left_behind()
    names = {name: value for name, value in namespace.items() if not _left_out(name, value, kinds)}
    try:
        pickled = dumps(names)
    except Exception:  # noqa: BLE001 - some value can't be pickled: send the others
        for name in list(names):
            try:
                dumps(names[name])
            except Exception:  # noqa: BLE001
                if name in lesson_functions:
                    return None
                del names[name]
        try:
            pickled = dumps(names)
        except Exception:  # noqa: BLE001 - they don't pickle together: check in the kernel
            return None
    if len(pickled) > MAX_BYTES:
        return None
    # The names are unpickled last, once the modules they name can be imported as in the kernel.
    return pickle.dumps({
        "lines": _source_lines(names.values()),
        "settings": keras_settings(),
        "path": [str(Path(entry or ".").resolve()) for entry in sys.path],  # the notebook's folder first
        "names": pickled,
    })


@functools.cache
def _dumps_keeping_file_names():
    """``cloudpickle.dumps``, but code keeps the file it was compiled from (the cell's).

    cloudpickle 3.1 writes ``<dynamic-code>`` instead, for pickles that don't
    depend on where a function was defined.  Here the file matters: it is the
    lesson module's ``__file__`` (:func:`kata.notebook.namespace.lesson_module`),
    and the file a traceback's lines and :mod:`kata.explain` look for.
    """
    import io
    from collections import ChainMap

    import cloudpickle

    reduce_code = getattr(cloudpickle.cloudpickle, "_code_reduce", None)
    if reduce_code is None:  # another cloudpickle: as it pickles code
        return cloudpickle.dumps

    def code_with_its_file(code: types.CodeType):
        constructor, args = reduce_code(code)
        return constructor, tuple(code.co_filename if arg == "<dynamic-code>" else arg for arg in args)

    class Pickler(cloudpickle.Pickler):
        dispatch_table = ChainMap({types.CodeType: code_with_its_file}, cloudpickle.Pickler.dispatch_table)

    def dumps(value) -> bytes:
        buffer = io.BytesIO()
        Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
        return buffer.getvalue()

    return dumps


def _left_out(name: str, value: object, kinds: tuple[type, ...]) -> bool:
    """IPython's own names, and big data or Keras objects left in the notebook, which no suite reads."""
    if IPYTHON_NAME.fullmatch(name):
        return True
    if _data_bytes(value) > BIG_ARRAY_BYTES:
        return True
    return bool(kinds) and isinstance(value, kinds)


def _kinds_left_behind() -> tuple[type, ...]:
    """Keras' and TensorFlow's classes of objects not sent (models, layers, data sets), as far as imported."""
    keras = sys.modules.get("keras")
    tf = sys.modules.get("tensorflow")
    return tuple(
        kind
        for kind in (
            getattr(keras, "Layer", None),
            getattr(keras, "Model", None),
            getattr(getattr(keras, "callbacks", None), "History", None),
            getattr(getattr(keras, "optimizers", None), "Optimizer", None),
            getattr(getattr(tf, "data", None), "Dataset", None),
            getattr(tf, "Module", None),
        )
        if isinstance(kind, type)
    )


def _data_bytes(value, depth: int = 3) -> int:
    """About how many bytes of array data ``value`` holds: an array, a tensor, or tuples, lists and dicts of them."""
    nbytes = getattr(value, "nbytes", None)
    if isinstance(nbytes, int):
        return nbytes
    shape, dtype = getattr(value, "shape", None), getattr(value, "dtype", None)
    if hasattr(shape, "num_elements") and isinstance(getattr(dtype, "size", None), int):  # a TensorFlow tensor
        return (shape.num_elements() or 0) * dtype.size
    if depth > 0 and isinstance(value, (tuple, list, dict)):
        items = value.values() if isinstance(value, dict) else value
        return sum(_data_bytes(item, depth - 1) for item in list(items)[:100])
    return 0


def _source_lines(values) -> dict:
    """linecache's entries for the cells the functions were defined in (IPython's ``/tmp/ipykernel_*/*.py``)."""
    files = set()
    for value in values:
        for function in _functions_in(value):
            stack = [function.__code__]
            while stack:
                code = stack.pop()
                files.add(code.co_filename)
                stack.extend(const for const in code.co_consts if isinstance(const, types.CodeType))
    # Only whole entries: a lazy one (a function that would read the file) is no cell's.
    return {name: entry for name in files if len(entry := linecache.cache.get(name, ())) == 4}


def _functions_in(value) -> list[types.FunctionType]:
    if isinstance(value, types.FunctionType):
        return [value]
    if isinstance(value, type) and value.__module__ == "__main__":
        return [member for member in vars(value).values() if isinstance(member, types.FunctionType)]
    return []


def keras_settings() -> dict:
    """Keras' process-wide settings, when Keras is imported: floatx, epsilon, image format, dtype policy."""
    keras = sys.modules.get("keras")
    if keras is None:
        return {}
    try:
        return {
            "floatx": keras.config.floatx(),
            "epsilon": keras.config.epsilon(),
            "image_data_format": keras.config.image_data_format(),
            "dtype_policy": keras.config.dtype_policy().name,
        }
    except Exception:  # noqa: BLE001 - an older Keras: its defaults hold
        return {}


def apply_keras_settings(settings: dict) -> None:
    """Set what :func:`keras_settings` read in the kernel, here."""
    if not settings:
        return
    import keras

    keras.config.set_floatx(settings["floatx"])
    keras.config.set_epsilon(settings["epsilon"])
    keras.config.set_image_data_format(settings["image_data_format"])
    keras.config.set_dtype_policy(settings["dtype_policy"])


def unpack(payload: bytes) -> dict:
    """The notebook's namespace again, from :func:`pack`'s bytes, in the helper's child.

    The cells' lines go into :mod:`linecache` (as IPython keeps them, never
    checked against a file), the Keras settings are applied and the kernel's
    import path added (a module beside the notebook, imported by a cell, is
    sent by name and imported here again).  The functions
    sent share one globals dictionary, as they shared the notebook's; it is
    filled with every name sent and returned, so a lesson function finds the
    same names as it did in the kernel.
    """
    message = pickle.loads(payload)  # noqa: S301 - written by this kernel's own kata.check
    for name, (size, _mtime, lines, fullname) in message["lines"].items():
        linecache.cache.setdefault(name, (size, None, lines, fullname))
    apply_keras_settings(message["settings"])
    sys.path.extend(entry for entry in message["path"] if entry not in sys.path)
    names = pickle.loads(message["names"])  # noqa: S301 - the same
    shared = next(
        (f.__globals__ for value in names.values() for f in _functions_in(value) if f.__module__ == "__main__"),
        None,
    )
    if shared is None:
        return dict(names)
    shared.update(names)
    return shared


# --- the pytest plugin, in the helper's child --------------------------------------------


def pytest_addoption(parser) -> None:
    parser.addoption("--kata-namespace", default=None, help="a notebook's definitions, from kata.notebook.sent.pack")


def pytest_configure(config) -> None:
    """Preload the ``--impl`` tree's lesson modules with the notebook's definitions."""
    path = config.getoption("--kata-namespace")
    if path is None:
        return
    from kata.checkout import Checkout
    from kata.notebook.namespace import namespace_tree

    namespace = unpack(Path(path).read_bytes())
    namespace_tree(namespace, Checkout(config.rootpath), tree=Path(config.getoption("--impl")))
