"""Small file helpers: write atomically, JSON in and out.

An interrupted command must never leave half a file behind, so every file the
tooling writes goes to a temporary name in the same folder first and is then
renamed over the target (a rename within a folder is atomic).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
from pathlib import Path


def _default_mode(path: Path) -> int:
    """The mode an ordinary write would leave: the old file's, or 0o666 less the umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path: str | os.PathLike, data: str | bytes, *, mode: int | None = None) -> Path:
    """Write ``data`` to ``path`` so a reader sees the old file or the new one, never half.

    Args:
        path: the file to write; its folder is created when missing.
        data: text (written as UTF-8) or bytes.
        mode: permission bits for the new file (default: the old file's, or
            what an ordinary write would give a new one).

    Returns:
        The path written.

    Example:
        >>> write_atomic(tmp / "notes.txt", "hello\\n")  # doctest: +SKIP
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(temporary, _default_mode(path) if mode is None else mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def copy_atomic(source: str | os.PathLike, target: str | os.PathLike, *, mode: int | None = None) -> Path:
    """Copy ``source`` over ``target`` atomically (see :func:`write_atomic`).

    Args:
        source: the file to copy.
        target: where it goes; its folder is created when missing.
        mode: permission bits for the copy (default as :func:`write_atomic`).

    Returns:
        The target path.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    os.close(fd)
    try:
        shutil.copyfile(source, temporary)
        os.chmod(temporary, _default_mode(target) if mode is None else mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def write_json(path: str | os.PathLike, data, *, indent: int | None = 2) -> Path:
    """Write ``data`` as JSON (UTF-8, a newline at the end), atomically.

    Args:
        path: the file to write.
        data: anything :func:`json.dumps` accepts.
        indent: JSON indentation; ``None`` for one line.

    Returns:
        The path written.

    Example:
        >>> write_json(tmp / "hints.json", {"03": 1})  # doctest: +SKIP
    """
    return write_atomic(path, json.dumps(data, indent=indent, ensure_ascii=False) + "\n")


def read_json(path: str | os.PathLike, default=None):
    """The JSON value in ``path``, or ``default`` when the file is missing or not JSON.

    Args:
        path: the file to read.
        default: what to return when it can't be read; ``None`` raises instead.

    Returns:
        The parsed value.

    Raises:
        OSError, ValueError: when the file can't be read and no default was given.
    """
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        if default is None:
            raise
        return default
