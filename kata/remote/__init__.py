"""The verdict from a process where no student code ran.

With ``pytest lessons/NN --remote`` (or ``--remote-fd=N``, how ``kata grade``
runs it) the graded suite runs in a *checker* process that never imports the
lesson module; the module runs in an *agent* process
(:mod:`kata.remote.agent`), and the ``impl`` fixture is a proxy
(:class:`kata.remote.proxy.RemoteModule`) whose calls cross as data
(:mod:`kata.remote.protocol`, :mod:`kata.remote.codec`).  See
``docs/design/grading.md``.

An exception raised by the student's code arrives as a :class:`StudentError`
of the same class name, a subclass of the same built-in exception
(``ValueError``, ``NotImplementedError``, ...), carrying the student's frames
(``remote_traceback``) so that :mod:`kata.explain` tells it as it tells a local one.
"""

from __future__ import annotations

import builtins
import traceback

from kata.remote.protocol import RemoteClosed, RemoteError

__all__ = ["RemoteClosed", "RemoteError", "StudentError", "student_error"]


class StudentError(Exception):
    """An exception the student's code raised in the agent, as the checker sees it.

    Attributes:
        type_name: the exception's class name in the agent (``"ValueError"``).
        message: ``str()`` of the exception there.
        remote_traceback: its frames in the agent, as :class:`traceback.FrameSummary`.
        remote_ref: the agent's id for the exception (:mod:`kata.remote.calls`), or None.
    """

    type_name = "Exception"
    message = ""
    remote_traceback: list[traceback.FrameSummary] = []
    remote_ref: int | None = None

    def __str__(self) -> str:
        return self.message


_classes: dict[tuple[str, ...], type] = {}
MAX_NAMES = 64
"""The most class names of an error's ancestry the checker rebuilds (the agent's own describer sends
the whole ``__mro__``; a forged description may name a million)."""
MAX_FRAMES = 200
MAX_MESSAGE = 64 * 1024


def _error_class(names: list[str], builtin: str) -> type:
    """A class named as the agent's, with its ancestors' names, under StudentError and the built-in base."""
    base = getattr(builtins, builtin, Exception)
    if not (isinstance(base, type) and issubclass(base, BaseException)):
        base = Exception
    chain = []
    for name in names:
        if getattr(builtins, name, None) is base:
            break
        chain.append(name)
    key = (*chain, base.__name__)
    if key not in _classes:
        bases = (StudentError,) if base is Exception else (StudentError, base)
        cls = _classes.setdefault((base.__name__,), type(base.__name__, bases, {"__module__": "kata.remote.student"}))
        for depth, name in enumerate(reversed(chain)):
            sub = (*chain[len(chain) - depth - 1:], base.__name__)
            if sub not in _classes:
                _classes[sub] = type(name, (cls,), {"__module__": "kata.remote.student"})
            cls = _classes[sub]
        _classes[key] = cls
    return _classes[key]


def student_error(described: dict) -> StudentError:
    """The checker-side exception for an error the agent described (:func:`kata.remote.agent.describe_error`)."""
    names = [name for name in list(described.get("mro", [described["type"]]))[:MAX_NAMES]
             if isinstance(name, str) and name.isidentifier()]
    cls = _error_class(names, str(described.get("builtin", "Exception")))
    message = str(described["message"])[:MAX_MESSAGE]
    try:
        error = cls(message)
    except Exception:  # noqa: BLE001  (a built-in base whose constructor wants other arguments)
        error = cls.__new__(cls)
    error.remote_ref = described.get("ref")  # the agent's own exception, raised again if it goes back there
    error.type_name = names[0] if names else cls.__name__
    error.message = message
    frames = list(described["frames"])
    if len(frames) > MAX_FRAMES:
        frames = frames[:MAX_FRAMES // 2] + frames[-MAX_FRAMES // 2:]
    error.remote_traceback = [
        traceback.FrameSummary(str(file), int(line), str(function), line=str(source)[:MAX_MESSAGE])
        for file, line, function, source in frames
    ]
    return error
