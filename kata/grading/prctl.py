"""Linux's ``prctl``: the process controls the preloader, the lesson runs and the grader set.

``PR_SET_DUMPABLE`` 0 makes a process untraceable and closes its ``/proc/<pid>`` to other
processes of its uid (the preloader, and a lesson run's checker); ``PR_SET_CHILD_SUBREAPER``
makes the grader adopt its sandboxes' orphans.
"""

from __future__ import annotations

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
