"""Attack: normalize() returns an object whose ``__array_interface__`` names memory of the checker.

The object can't cross as data, so the checker gets a handle and asks the agent for its
attributes.  numpy looks ``__array_interface__`` up on the instance, so ``np.asarray(result)`` in
the checker used to build an array over the address the agent named: here an object array
holding a pointer to ``os.system`` (under ``kata grade`` the agent is forked from the checker, so
the address is the same there); any other address reads the checker's memory, or crashes it.
Now no attribute with a dunder name crosses: ``np.asarray`` holds the handle itself.
"""

import os
import struct


class Pixels:
    """Not data: it crosses as a handle."""

    @property
    def __array_interface__(self):
        pointer = struct.pack("<q", id(os.system))
        return {"version": 3, "shape": (1,), "typestr": "|O", "data": pointer}


def normalize(images):
    return Pixels()
