"""Linux's ``prctl``: the process controls the preloader, the lesson runs and the grader set.

``PR_SET_DUMPABLE`` 0 makes a process untraceable and closes its ``/proc/<pid>`` to other
processes of its uid (the preloader, and a lesson run's checker); ``PR_SET_CHILD_SUBREAPER``
makes the grader adopt its sandboxes' orphans.  :func:`not_dumpable` keeps the grader itself
untraceable while it grades: it holds every run's key, and an unsandboxed lesson run (``--sandbox
none``) has its uid.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

PR_GET_DUMPABLE = 3
PR_SET_DUMPABLE = 4
PR_SET_CHILD_SUBREAPER = 36


def prctl(option: int, value: int) -> bool:
    """``prctl(option, value)`` through libc; ``False`` where it isn't available.

    Args:
        option: a ``PR_*`` constant of this module.
        value: its argument.

    Returns:
        Whether the call succeeded.

    Example:
        >>> prctl(PR_SET_DUMPABLE, 1)  # doctest: +SKIP
        True
    """
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


@contextlib.contextmanager
def not_dumpable() -> Iterator[bool]:
    """While inside, this process is not dumpable; afterwards it is as it was.

    A process of the same uid can then neither trace it nor open its ``/proc/<pid>/mem`` or
    ``/proc/<pid>/fd`` (without ``CAP_SYS_PTRACE``, which root has).  Children it starts with
    ``exec`` are dumpable again, as the kernel makes every new program.

    Yields:
        Whether the process is now not dumpable (``False`` where ``prctl`` isn't available).

    Example:
        >>> with not_dumpable():  # doctest: +SKIP
        ...     grade_every_submission()
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        before = libc.prctl(PR_GET_DUMPABLE, 0, 0, 0, 0)
    except (OSError, AttributeError):
        yield False
        return
    done = before >= 0 and libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0
    try:
        yield done
    finally:
        if done and before != 0:
            libc.prctl(PR_SET_DUMPABLE, before, 0, 0, 0)
