"""How a forked child ends: as a fresh Python process would, never back in its parent's code.

The grader's preloader, its checker's agent, ``kata watch``'s warm process and the
parity tests' zygote each fork children that run some work and must then exit
without returning into the loop they were forked from.

Example:
    >>> if os.fork() == 0:  # doctest: +SKIP
    ...     exit_after(lambda: serve(sock))
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import NoReturn


def exit_after(work: Callable[[], int | None]) -> NoReturn:
    """Run ``work`` in a forked child, then exit with its code, as a fresh process would.

    ``work`` returning ``None`` exits 0; ``SystemExit`` exits with its code; any other
    exception prints its traceback (to the child's stderr) and exits 1.  Standard
    output and error are flushed; ``os._exit`` skips the parent's ``atexit`` and
    ``finally`` blocks, which are not the child's to run.

    Args:
        work: what the child does.
    """
    code = 1
    try:
        code = work() or 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:  # noqa: BLE001 - like an uncaught exception in a fresh process
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code & 0xFF)
