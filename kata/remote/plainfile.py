"""Open a file the other process wrote, only if it is a plain file of bounded size.

One home for the check both readers make (the codec's exchange folder, the model
files a lesson 09 suite loads): no link followed, no pipe or device opened (a
read could block or never end), no file bigger than the reader accepts.

Example:
    >>> with open_plain(Path("/tmp/exchange/a3.npy"), 1 << 30) as handle:  # doctest: +SKIP
    ...     array = np.load(handle, allow_pickle=False)
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class NotPlain(ValueError):
    """The path is a link, a folder, a pipe, a device, or bigger than allowed."""


def open_plain(path: Path, max_bytes: int):
    """Open ``path`` for reading in binary, if it is a plain file of at most ``max_bytes``.

    Args:
        path: the file.
        max_bytes: the largest size accepted.

    Returns:
        The open file.

    Raises:
        OSError: it can't be opened (a link is refused here: ``O_NOFOLLOW``).
        NotPlain: it is not a plain file, or it is too big.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
        os.close(fd)
        raise NotPlain(f"{path} is not a plain file of at most {max_bytes:,} bytes")
    return os.fdopen(fd, "rb")
