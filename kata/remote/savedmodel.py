"""A TensorFlow SavedModel the student's code wrote, checked as data before the checker loads it.

A SavedModel is a program: ``tf.saved_model.load`` defines its functions, and calling its
``serving_default`` signature runs their ops, which may read or write files (``ReadFile``,
``WriteFile``, ``SaveV2``), run Python (``PyFunc``) or anything else TensorFlow can do. So
:func:`load_saved_model` loads one only after it has checked, with the SavedModel parsed
as a protobuf (nothing run):

- the folder holds only what an export writes (``saved_model.pb``, ``fingerprint.pb``,
  ``variables/variables.*``, an empty ``assets/``), plain files and folders, no links;
- one MetaGraph with an object graph (a TF1 SavedModel would run its init op on load);
- the objects are variables, functions and TensorFlow's plain containers: no resources
  (their initializers run on load), assets, or objects revived by registered Python classes;
- every op of every function the checker could call (the object graph's concrete
  functions and everything they call) is in :data:`SERVING_OPS`, the ops a model of
  Flatten, Dense and softmax layers needs; the functions that only save or restore the
  variables may also use :data:`SAVER_OPS`; every op outside the functions is in
  :data:`GRAPH_OPS`.

The checked folder is a private copy (the agent can still write the original), and after
loading, the ``serving_default`` function actually loaded is checked again, in memory,
before it is handed back to be called.

Example:
    >>> serving = load_saved_model(tmp_path / "serving").signatures["serving_default"]  # doctest: +SKIP
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

SERVING_OPS = frozenset({
    # plumbing of a traced function
    "Const", "Identity", "IdentityN", "NoOp", "Placeholder", "PartitionedCall", "StatefulPartitionedCall",
    "ReadVariableOp",
    # Flatten, Dense, activations, softmax
    "Shape", "StridedSlice", "Pack", "Reshape", "Cast", "ExpandDims", "Squeeze", "ConcatV2", "Fill", "Prod",
    "MatMul", "BatchMatMulV2", "BiasAdd", "Add", "AddV2", "Sub", "Mul", "RealDiv", "Maximum", "Minimum",
    "Relu", "Sigmoid", "Tanh", "Softmax", "LogSoftmax", "Exp", "Log", "Max", "Sum", "Mean",
})
"""Ops a function the checker may call can use: what a model of Flatten, Dense and softmax needs."""

SAVER_OPS = SERVING_OPS | {
    "SaveV2", "RestoreV2", "MergeV2Checkpoints", "ShardedFilename", "StringJoin", "StaticRegexFullMatch",
    "Select", "DisableCopyOnRead", "AssignVariableOp",
}
"""Ops also allowed in functions nothing the checker calls reaches (the export's save and restore
functions, which ``tf.saved_model.load`` doesn't run: it restores the variables itself)."""

GRAPH_OPS = frozenset({"Const", "NoOp", "Placeholder", "VarHandleOp", "ReadVariableOp", "VarIsInitializedOp",
                       "AssignVariableOp", "StatefulPartitionedCall", "PartitionedCall"})
"""Ops allowed in the MetaGraph's own graph (outside functions; not run by a TF2 load)."""

USER_OBJECTS = frozenset({"_generic_user_object", "trackable_list_wrapper", "trackable_dict_wrapper",
                          "trackable_tuple_wrapper", "signature_map"})
OBJECT_KINDS = frozenset({"user_object", "variable", "function", "bare_concrete_function"})
MAX_BYTES = 64 * 1024 * 1024
"""The largest ``saved_model.pb`` read (the tutorial's model exports about 20 KB)."""


class SavedModelRefused(ValueError):
    """A SavedModel that could do more than a Flatten/Dense/softmax model: it is not loaded."""


def _layout(folder: Path) -> None:
    """Only the files an export writes, as plain files and folders."""
    allowed_dirs = {"variables", "assets"}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_symlink():
            raise SavedModelRefused(f"{relative} is a symbolic link")
        if path.is_dir():
            if relative not in allowed_dirs:
                raise SavedModelRefused(f"the folder {relative}/ is not part of a SavedModel of a plain model")
        elif not path.is_file():
            raise SavedModelRefused(f"{relative} is not a plain file")
        elif not (relative in ("saved_model.pb", "fingerprint.pb") or relative.startswith("variables/variables.")):
            raise SavedModelRefused(f"the file {relative} is not part of a SavedModel of a plain model")
    if not (folder / "saved_model.pb").is_file():
        raise SavedModelRefused("there is no saved_model.pb")
    if (folder / "saved_model.pb").stat().st_size > MAX_BYTES:
        raise SavedModelRefused(f"saved_model.pb is larger than {MAX_BYTES:,} bytes")


def _calls(node, functions: dict) -> set[str]:
    """The library functions a node calls: by its op's name, or in a function-valued attribute."""
    called = {node.op} if node.op in functions else set()
    for value in node.attr.values():
        if value.HasField("func"):
            called.add(value.func.name)
        called.update(f.name for f in value.list.func)
    return called


def _reached(roots: set[str], functions: dict) -> set[str]:
    seen, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        if name not in functions:
            raise SavedModelRefused(f"the function {name} is called but not defined")
        seen.add(name)
        for node in functions[name].node_def:
            todo.extend(_calls(node, functions))
    return seen


def _check_functions(functions: dict, callable_roots: set[str]) -> None:
    callable_names = _reached(callable_roots, functions)
    for name, function in functions.items():
        allowed = SERVING_OPS if name in callable_names else SAVER_OPS
        for node in function.node_def:
            if node.op not in allowed and node.op not in functions:
                raise SavedModelRefused(f"the function {name} uses the op {node.op}, which a Flatten/Dense/"
                                        "softmax model doesn't need")
            if node.op in functions and name in callable_names and node.op not in callable_names:
                raise SavedModelRefused(f"the function {name} calls {node.op} out of reach")


def check_saved_model_proto(data: bytes) -> None:
    """Refuse a ``saved_model.pb`` that could do more than serve a Flatten/Dense/softmax model.

    Args:
        data: the bytes of ``saved_model.pb``.

    Raises:
        SavedModelRefused: what it holds that a plain model's export doesn't.
    """
    from google.protobuf.message import DecodeError
    from tensorflow.core.protobuf import saved_model_pb2

    proto = saved_model_pb2.SavedModel()
    try:
        proto.ParseFromString(data)
    except DecodeError as error:
        raise SavedModelRefused(f"saved_model.pb is not a SavedModel protobuf: {error}") from None
    if len(proto.meta_graphs) != 1 or not proto.meta_graphs[0].HasField("object_graph_def"):
        raise SavedModelRefused("a SavedModel of TensorFlow 2 has one MetaGraph with an object graph; "
                                "this one doesn't (a TensorFlow 1 SavedModel runs its init op when loaded)")
    (meta,) = proto.meta_graphs
    if meta.asset_file_def:
        raise SavedModelRefused("the SavedModel has asset files")
    objects = meta.object_graph_def
    for number, node in enumerate(objects.nodes):
        kind = node.WhichOneof("kind")
        if kind not in OBJECT_KINDS:
            raise SavedModelRefused(f"object {number} is a {kind}, not a variable, function or plain container")
        if node.registered_name or node.registered_saver:
            raise SavedModelRefused(f"object {number} is revived by the registered Python class "
                                    f"{node.registered_name or node.registered_saver}")
        if kind == "user_object" and node.user_object.identifier not in USER_OBJECTS:
            raise SavedModelRefused(f"object {number} is a {node.user_object.identifier}, not a plain container")
    functions = {f.signature.name: f for f in meta.graph_def.library.function}
    roots = set(objects.concrete_functions)
    for node in objects.nodes:
        if node.WhichOneof("kind") == "function":
            roots.update(node.function.concrete_functions)
        elif node.WhichOneof("kind") == "bare_concrete_function":
            roots.add(node.bare_concrete_function.concrete_function_name)
    _check_functions(functions, roots)
    for node in meta.graph_def.node:
        if node.op not in GRAPH_OPS:
            raise SavedModelRefused(f"the graph runs the op {node.op}, which a Flatten/Dense/softmax model doesn't need")
        _reached(_calls(node, functions), functions)


def check_loaded_function(function) -> None:
    """Refuse a loaded concrete function whose graph (and every function it calls) has an op outside
    :data:`SERVING_OPS`: what :func:`load_saved_model` hands back to be called is what was checked."""
    graph = function.graph.as_graph_def()
    functions = {f.signature.name: f for f in graph.library.function}
    for node in graph.node:
        if node.op not in SERVING_OPS and node.op not in functions:
            raise SavedModelRefused(f"the loaded function runs the op {node.op}")
    for name, library_function in functions.items():
        for node in library_function.node_def:
            if node.op not in SERVING_OPS and node.op not in functions:
                raise SavedModelRefused(f"the loaded function {name} runs the op {node.op}")


def load_saved_model(directory):
    """``tf.saved_model.load(directory)``, for a SavedModel written by code the checker doesn't trust.

    Args:
        directory: the SavedModel's folder (str or path).

    Returns:
        What ``tf.saved_model.load`` returns, loaded from a checked private copy; its
        ``serving_default`` signature (if any) was checked again once loaded.

    Raises:
        SavedModelRefused: the folder holds more than a plain model's export (see the module).
    """
    import tensorflow as tf

    source = Path(directory)
    if source.is_symlink() or not source.is_dir():
        raise SavedModelRefused(f"{source} is not a folder")
    private = Path(tempfile.mkdtemp(prefix="kata-savedmodel-")) / "model"
    try:
        shutil.copytree(source, private, symlinks=True)
        _layout(private)
        check_saved_model_proto((private / "saved_model.pb").read_bytes())
        loaded = tf.saved_model.load(str(private))
        serving = loaded.signatures.get("serving_default")
        if serving is not None:
            check_loaded_function(serving)
        return loaded
    finally:
        shutil.rmtree(private.parent, ignore_errors=True)
