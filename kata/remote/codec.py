"""Values as data: what crosses between the checker and the agent, and back.

One :class:`Codec` on each side turns values into JSON-able descriptions
(:meth:`Codec.encode`) and back (:meth:`Codec.decode`).  Big arrays and Keras
models travel as files in the exchange folder both processes see; the reader
opens them with loaders that run no code (``np.load(..., allow_pickle=False)``,
``keras.saving.load_model(..., safe_mode=True)``).

**Identity.**  Every non-scalar a side sends carries that side's id for it
(``"id"``); the receiver keeps one object per id, so the same object sent twice
arrives as the same object (``a is b`` keeps its meaning).  An object a side
received and sends back carries the *receiver's* id instead (``"peer"``): the
receiver writes the new state into its own object in place and returns that
object.  This is how an argument the student's function changed comes back into
the checker's own array or model.

Kinds: None, bool, int, float, str, bytes; list, tuple, dict (any encodable
keys); numpy arrays and scalars (dtype kept); TensorFlow tensors and
variables; ``pathlib`` paths; Keras models and ``History``
(:mod:`kata.remote.models`); ``tf.data`` data sets (:mod:`kata.remote.datasets`); matplotlib figures (:mod:`kata.remote.figures`);
anything else becomes a *handle*, an id the other side can ask about.

Example:
    >>> codec = Codec(Path("/tmp/exchange"), "c")  # doctest: +SKIP
    >>> codec.decode(codec.encode({"shape": (28, 28)}))  # doctest: +SKIP
    {'shape': (28, 28)}
"""

from __future__ import annotations

import base64
import os
import pathlib
import re
from pathlib import Path

import numpy as np

from kata.remote.fingerprints import digest
from kata.remote.plainfile import NotPlain, open_plain
from kata.remote.protocol import RemoteError

INLINE_BYTES = 64 * 1024
"""Arrays up to this size travel inside the frame; bigger ones as ``.npy`` files."""
PART_BYTES = 256 * 1024**2
"""Arrays bigger than a part (see :func:`part_bytes`) go as several 1-D ``.npy`` files."""
MAX_FILE = 2 * 1024**3
"""The largest file the reader accepts from the exchange folder."""
MAX_DEPTH = 64
_FILE_NAME = re.compile(r"^[ac][0-9]+\.(npy|keras)$")
_PATHS = {cls.__name__: cls for cls in (pathlib.Path, pathlib.PosixPath, pathlib.WindowsPath,
                                        pathlib.PurePath, pathlib.PurePosixPath, pathlib.PureWindowsPath)}
SCALARS = (type(None), bool, int, float, str)


def part_bytes() -> int:
    """The size of the parts big arrays are written in: half this process's file size limit
    (``RLIMIT_FSIZE``, which ``kata grade`` sets to its output limit), at most 256 MiB."""
    import resource

    limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    return PART_BYTES if limit == resource.RLIM_INFINITY else max(4096, min(PART_BYTES, limit // 2))


def open_exchange_file(exchange: Path, name: str):
    """Open file ``name`` of the exchange folder for reading, refusing anything but a plain file there.

    Raises:
        RemoteError: the name is not one the codec writes, the file is a link, a
            folder, a device, or bigger than :data:`MAX_FILE`.
    """
    if not isinstance(name, str) or not _FILE_NAME.match(name):
        raise RemoteError(f"the other process named the exchange file {name!r}, which is not one the codec writes")
    try:
        return open_plain(exchange / name, MAX_FILE)
    except OSError as error:
        raise RemoteError(f"exchange file {name} can't be opened: {error}") from None
    except NotPlain:
        raise RemoteError(f"exchange file {name} is not a plain file of at most {MAX_FILE:,} bytes") from None


def _locked(array: np.ndarray) -> bool:
    """Whether a read-only array is read-only for good: numpy refuses to make it writable
    (a view of bytes, of a file, of another read-only array), as ``setflags(write=True)`` finds."""
    if array.flags.writeable:
        return False
    try:
        array.flags.writeable = True
    except ValueError:
        return True
    array.flags.writeable = False
    return False


class Codec:
    """One side's encoder and decoder, with its identity table.

    Args:
        exchange: the folder both processes read and write big values in.
        side: ``"c"`` (checker) or ``"a"`` (agent): the prefix of the files this side writes.
        handle: ``handle(codec, id, description)`` makes the stand-in for an
            object the other side could only send as a handle (the checker's
            :class:`kata.remote.proxy.RemoteObject`); None refuses handles.
    """

    def __init__(self, exchange: Path, side: str, handle=None):
        self.exchange = Path(exchange)
        self.side = side
        self.handle = handle
        self.reset()

    def reset(self) -> None:
        """Forget every object either side sent (between tests)."""
        self.own: dict[int, object] = {}  # my id → my object, kept alive while the peer may name it
        self.theirs: dict[int, object] = {}  # their id → my object standing for it
        self.origin: dict[int, int] = {}  # id(my object) → their id, for objects they sent
        self.digests: dict[int, str] = {}  # id(my array) → its digest when it arrived
        self.callbacks: set[int] = set()  # ids of my functions sent as handles: the other side may call them
        self._count = getattr(self, "_count", 0)

    # --- files ---------------------------------------------------------------------

    def new_file(self, suffix: str) -> tuple[str, Path]:
        """A fresh file name of this side in the exchange folder (``"a12.npy"``) and its path."""
        self._count += 1
        name = f"{self.side}{self._count}{suffix}"
        return name, self.exchange / name

    def open_file(self, name: str):
        """Open a file the other side wrote (see :func:`open_exchange_file`)."""
        return open_exchange_file(self.exchange, name)

    # --- encoding ------------------------------------------------------------------

    def ref(self, value) -> dict:
        """``{"peer": id}`` for an object the other side sent, else ``{"id": id}`` (kept alive)."""
        theirs = self.origin.get(id(value))
        if theirs is not None and self.theirs.get(theirs) is value:
            return {"peer": theirs}
        self.own[id(value)] = value
        return {"id": id(value)}

    def encode(self, value, depth: int = 0):
        """``value`` as JSON-able data (see the module's docstring for the kinds)."""
        if depth > MAX_DEPTH:
            raise RemoteError(f"a value nested more than {MAX_DEPTH} levels deep (a list that holds itself?)")
        kind = type(value)
        if kind in SCALARS:
            return value
        if kind is bytes:
            return {"kind": "bytes", "data": base64.b64encode(value).decode()}
        if isinstance(value, np.generic) and value.dtype != object:
            return {"kind": "npscalar", "dtype": value.dtype.str, "data": base64.b64encode(value.tobytes()).decode()}
        if isinstance(value, np.ndarray):
            return self.encode_array(value, depth)
        if isinstance(value, (list, tuple)):
            name = "tuple" if isinstance(value, tuple) else "list"
            return {"kind": name, **self.ref(value), "items": [self.encode(v, depth + 1) for v in value]}
        if isinstance(value, dict):
            items = [[self.encode(k, depth + 1), self.encode(v, depth + 1)] for k, v in value.items()]
            return {"kind": "dict", **self.ref(value), "items": items}
        if isinstance(value, pathlib.PurePath):
            return {"kind": "path", "class": type(value).__name__, "value": str(value)}
        from kata.remote import models

        special = models.encode(self, value)
        if special is None:
            from kata.remote import datasets

            special = datasets.encode(self, value)
        if special is None:
            special = _encode_figure(self, value)
        if special is not None:
            return special
        ref = self.ref(value)
        if "id" in ref and callable(value):
            self.callbacks.add(ref["id"])
        return {"kind": "handle", **ref, "type": _type_name(value), "callable": callable(value),
                "repr": _safe_repr(value)}

    def encode_array(self, value: np.ndarray, depth: int) -> dict:
        value = np.asarray(value)
        ref = self.ref(value)
        if value.dtype == object:
            items = [self.encode(v, depth + 1) for v in value.reshape(-1).tolist()]
            return {"kind": "objects", **ref, "shape": list(value.shape), "items": items}
        known = self.digests.get(id(value))
        if "peer" in ref and known is not None and known == digest(value):
            return {"kind": "ndarray", **ref, "same": True}
        out = {"kind": "ndarray", **ref, "readonly": not value.flags.writeable, "locked": _locked(value)}
        if value.nbytes <= INLINE_BYTES:
            out.update(dtype=value.dtype.str, shape=list(value.shape),
                       data=base64.b64encode(np.ascontiguousarray(value).tobytes()).decode())
        elif value.nbytes <= (part := part_bytes()):
            name, path = self.new_file(".npy")
            np.save(path, value, allow_pickle=False)
            out["file"] = name
        else:  # in parts, each within the process's file size limit (kata grade sets one)
            flat = np.ascontiguousarray(value).reshape(-1)
            step = max(1, part // max(1, value.itemsize))
            out.update(dtype=value.dtype.str, shape=list(value.shape), parts=[])
            for start in range(0, flat.size, step):
                name, path = self.new_file(".npy")
                np.save(path, flat[start:start + step], allow_pickle=False)
                out["parts"].append(name)
        return out

    # --- decoding ------------------------------------------------------------------

    def decode(self, data):
        """The object ``data`` describes, on this side (see the module's docstring)."""
        if not isinstance(data, dict):
            if isinstance(data, SCALARS):
                return data
            raise RemoteError(f"a value description of an unknown form: {type(data).__name__}")
        kind = data.get("kind")
        if "peer" in data:
            if data["peer"] not in self.own:
                raise RemoteError(f"the other process named an object {data['peer']} this side never sent")
            target = self.own[data["peer"]]
        else:
            target = self.theirs.get(data.get("id"))
        builder = getattr(self, f"_build_{kind}", None)
        if builder is None:
            from kata.remote import datasets, models

            value = models.decode(self, data, target)
            if value is None:
                value = datasets.decode(self, data, target)
            if value is None:
                value = _decode_figure(self, data, target)
        else:
            value = builder(data, target)
        if "id" in data:
            self.theirs[data["id"]] = value
            self.origin[id(value)] = data["id"]
        return value

    def _build_bytes(self, data, target):
        return base64.b64decode(data["data"])

    def _build_npscalar(self, data, target):
        return np.frombuffer(base64.b64decode(data["data"]), dtype=_dtype(data["dtype"]))[0]

    def _build_list(self, data, target):
        items = [self.decode(v) for v in data["items"]]
        if isinstance(target, list):
            target[:] = items
            return target
        return items

    def _build_tuple(self, data, target):
        items = tuple(self.decode(v) for v in data["items"])
        if isinstance(target, tuple) and len(target) == len(items) and all(a is b for a, b in zip(target, items, strict=True)):
            return target
        return items

    def _build_dict(self, data, target):
        items = {self.decode(k): self.decode(v) for k, v in data["items"]}
        if isinstance(target, dict):
            target.clear()
            target.update(items)
            return target
        return items

    def _build_path(self, data, target):
        cls = _PATHS.get(data["class"])
        if cls is None:
            raise RemoteError(f"a path of an unknown class {data['class']!r}")
        return cls(data["value"])

    def _join_parts(self, data) -> np.ndarray:
        """An array sent in parts: 1-D ``.npy`` files of one dtype, joined and shaped as declared."""
        dtype, shape, names = _dtype(data["dtype"]), data["shape"], data["parts"]
        if not (isinstance(names, list) and isinstance(shape, list) and all(isinstance(n, int) and n >= 0 for n in shape)):
            raise RemoteError("an array in parts needs a list of parts and a shape of sizes")
        if len(names) > MAX_FILE // 4096 or int(np.prod(shape, dtype=np.int64)) * dtype.itemsize > MAX_FILE:
            raise RemoteError(f"an array in parts may be at most {MAX_FILE:,} bytes")
        pieces = []
        for name in names:
            if not isinstance(name, str):
                raise RemoteError("a part of an array is named by a string")
            with self.open_file(name) as handle:
                try:
                    piece = np.load(handle, allow_pickle=False)
                except ValueError as error:
                    raise RemoteError(f"exchange file {name} is not a plain numpy array: {error}") from None
            os.unlink(self.exchange / name)
            if piece.ndim != 1 or piece.dtype != dtype:
                raise RemoteError(f"exchange file {name} is not a 1-D part of dtype {dtype}")
            pieces.append(piece)
        joined = np.concatenate(pieces) if pieces else np.empty(0, dtype)
        if joined.size != int(np.prod(shape, dtype=np.int64)):
            raise RemoteError(f"the parts hold {joined.size} values, not the {shape} declared")
        return joined.reshape(shape)

    def _build_objects(self, data, target):
        array = np.empty(len(data["items"]), dtype=object)
        for index, item in enumerate(data["items"]):
            array[index] = self.decode(item)
        return array.reshape(data["shape"])

    def _build_ndarray(self, data, target):
        if data.get("same"):
            if not isinstance(target, np.ndarray):
                raise RemoteError("the other process said an array is unchanged, but this side has no such array")
            return target
        if "file" in data:
            with self.open_file(data["file"]) as handle:
                try:
                    array = np.load(handle, allow_pickle=False)
                except ValueError as error:
                    raise RemoteError(f"exchange file {data['file']} is not a plain numpy array: {error}") from None
            os.unlink(self.exchange / data["file"])
        elif "parts" in data:
            array = self._join_parts(data)
        else:
            array = np.frombuffer(base64.b64decode(data["data"]), dtype=_dtype(data["dtype"]))
            array = array.reshape(data["shape"]).copy()
        if (isinstance(target, np.ndarray) and target.shape != array.shape and target.size == array.size
                and target.dtype == array.dtype and target.flags.writeable):
            try:  # reshaped in place (images.shape = (-1,)): the sender's array takes the new shape
                target.shape = array.shape
            except AttributeError:  # numpy can't reshape this array without copying it
                pass
        if isinstance(target, np.ndarray) and target.shape == array.shape and target.dtype == array.dtype:
            if not np.array_equal(target, array, equal_nan=array.dtype.kind in "fc"):
                if target.flags.writeable:
                    target[...] = array
                else:  # a read-only array can't change: keep what came
                    return self._settle(array, data)
            return self._settle(target, data)
        return self._settle(array, data)

    def _settle(self, array: np.ndarray, data) -> np.ndarray:
        if data.get("readonly") and array.flags.writeable and "peer" not in data:
            array.flags.writeable = False
            if data.get("locked"):  # read-only for good, as the sender's: a view of a read-only array that owns its data
                owner = array if array.flags.owndata else array.copy()
                owner.flags.writeable = False
                array = owner.view()
                array.flags.writeable = False
        self.digests[id(array)] = digest(array)
        return array

    def _build_handle(self, data, target):
        if target is not None:
            return target
        if self.handle is None:
            raise RemoteError(f"the other process sent a {data.get('type')} this side can't take as data")
        return self.handle(self, data["id"], data)


def _dtype(text: str) -> np.dtype:
    dtype = np.dtype(text)
    if dtype.hasobject:
        raise RemoteError(f"an array of dtype {text!r}, which holds Python objects, is refused")
    return dtype


def _type_name(value) -> str:
    kind = type(value)
    return kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


def _safe_repr(value) -> str:
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001  (a student's __repr__ may fail; the type is enough)
        text = f"<{_type_name(value)}>"
    return text if len(text) <= 200 else text[:199] + "…"


def _encode_figure(codec: Codec, value):
    if type(value).__module__.split(".")[0] != "matplotlib":
        return None
    from matplotlib.figure import Figure

    if not isinstance(value, Figure):
        return None
    try:
        from kata.remote import figures
    except ImportError:
        raise NotImplementedError("figures") from None
    return {"kind": "figure", **codec.ref(value), "figure": codec.encode(figures.describe_figure(value))}


def _decode_figure(codec: Codec, data, target):
    if data.get("kind") != "figure":
        raise RemoteError(f"a value of an unknown kind {data.get('kind')!r}")
    try:
        from kata.remote import figures
    except ImportError:
        raise NotImplementedError("figures") from None
    return figures.rebuild_figure(codec.decode(data["figure"]), into=target)
