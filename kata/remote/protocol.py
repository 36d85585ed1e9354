"""Frames between the checker and the agent: a 4-byte length, then UTF-8 JSON.

Nothing on the wire is ever unpickled or executed: a frame is JSON, and the
values it names (big arrays, Keras models) are files in the exchange folder
that the checker reads with loaders that refuse code (:mod:`kata.remote.codec`).

Example:
    >>> import socket
    >>> a, b = socket.socketpair()
    >>> send(a, {"op": "bye"}); receive(b)
    {'op': 'bye'}
"""

from __future__ import annotations

import json
import socket
import struct

MAX_FRAME = 64 * 1024 * 1024
"""The largest frame either side accepts, in bytes (big arrays travel as files)."""

_LENGTH = struct.Struct(">I")


class RemoteError(RuntimeError):
    """The other process broke the protocol: a frame too big, not JSON, a file it may not name."""


class RemoteClosed(RemoteError):
    """The other process closed the connection (it exited or crashed)."""


def send(sock: socket.socket, obj) -> None:
    """Send ``obj`` (made of JSON types) as one frame.

    Args:
        sock: a connected stream socket.
        obj: dicts, lists, strings, numbers, booleans and None.

    Raises:
        RemoteError: the frame would be larger than :data:`MAX_FRAME`.
    """
    data = json.dumps(obj, separators=(",", ":")).encode("utf-8")
    if len(data) > MAX_FRAME:
        raise RemoteError(f"a frame of {len(data):,} bytes is over the limit of {MAX_FRAME:,}")
    sock.sendall(_LENGTH.pack(len(data)) + data)


def _exactly(sock: socket.socket, size: int) -> bytes:
    chunks, missing = [], size
    while missing:
        chunk = sock.recv(min(missing, 1 << 20))
        if not chunk:
            raise RemoteClosed("the other process closed the connection")
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def receive(sock: socket.socket):
    """Receive one frame and return what it holds.

    Raises:
        RemoteClosed: the connection was closed before a whole frame came.
        RemoteError: the frame is over :data:`MAX_FRAME` or is not JSON.
    """
    (size,) = _LENGTH.unpack(_exactly(sock, _LENGTH.size))
    if size > MAX_FRAME:
        raise RemoteError(f"a frame of {size:,} bytes is over the limit of {MAX_FRAME:,}")
    try:
        return json.loads(_exactly(sock, size).decode("utf-8"))
    except ValueError as error:
        raise RemoteError(f"a frame that is not UTF-8 JSON: {error}") from None
