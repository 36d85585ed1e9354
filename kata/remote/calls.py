"""Calls back: a checker function the student's code calls, run in the checker, on data.

A callable of the checker's that crosses to the agent (a spy set with
``monkeypatch.setattr`` on a lesson module, a function passed as an argument)
arrives there as a :class:`Callback`.  When the student's code calls it, the
agent sends a *call-in* frame instead of a reply::

    {"callin": id, "args": [...], "kwargs": {...}}

and the checker (:func:`answer`, from :meth:`kata.remote.proxy.Connection.request`)
decodes the arguments, runs its own function on them, and answers::

    {"returned": value, "args": [...], "kwargs": {...}}   or   {"raised": error}

While the checker's function runs it may call the agent again (a spy calls the
student's original function): those requests are nested on the same socket, and
the agent answers them while it waits (:meth:`Callback.__call__`).  So a spy's
records are made in the checker, from data it decoded itself; the student's
functions still run only in the agent.

The checker refuses a call-in that names an object it never sent as a function,
or that nests deeper than :data:`MAX_NESTING`: the connection is then broken and
the test fails with :class:`kata.remote.protocol.RemoteError`.

Example:
    >>> calls = []
    >>> monkeypatch.setattr(kata_impl.beside(impl, 3), "build_model", lambda: calls.append(1))  # doctest: +SKIP
"""

from __future__ import annotations

import inspect

from kata.remote import protocol
from kata.remote.codec import SCALARS
from kata.remote.protocol import RemoteError

MAX_NESTING = 32
"""The deepest calls back and forth may nest (a spy calling the student's function calling a spy ...)."""
MAX_PARAMETERS = 256

_KIND = type(inspect.Parameter.POSITIONAL_ONLY)  # inspect's enum of parameter kinds, 0 … 4


# --- the checker's side ---------------------------------------------------------------


def answer(connection, frame: dict) -> dict:
    """Run the checker's function a call-in frame names, on its decoded arguments; the frame to send back.

    Raises:
        RemoteError: the frame names an object the checker never sent as a
            function, is malformed, or nests deeper than :data:`MAX_NESTING`.
    """
    codec = connection.codec
    depth = getattr(connection, "depth", 0)
    if depth >= MAX_NESTING:
        raise RemoteError(f"the agent's calls back into the checker nest more than {MAX_NESTING} deep: refused")
    ident = frame.get("callin")
    if type(ident) is not int or ident not in codec.callbacks:
        raise RemoteError(f"the agent called back an object {ident!r} that the checker never sent it as a function")
    args, kwargs = frame.get("args", []), frame.get("kwargs", {})
    if not isinstance(args, list) or not isinstance(kwargs, dict) or set(frame) - {"callin", "args", "kwargs", "owner"}:
        raise RemoteError("a call-in frame that is not {callin, args: [...], kwargs: {...}}")
    function = codec.own[ident]
    owner = codec.decode(frame["owner"]) if "owner" in frame else None  # model.fit's model, as it is now
    args = [codec.decode(a) for a in args]
    kwargs = {str(k): codec.decode(v) for k, v in kwargs.items()}
    connection.depth = depth + 1
    try:
        value = function(*args, **kwargs)
    except RemoteError:
        raise
    except Exception as error:  # noqa: BLE001  (goes back to the student's code, which called it)
        return {"raised": _describe(error)}
    finally:
        connection.depth = depth
    encode = codec.encode
    answer = {"returned": encode(value), "args": [None if type(a) in SCALARS else encode(a) for a in args],
              "kwargs": {k: encode(v) for k, v in kwargs.items() if type(v) not in SCALARS}}
    if owner is not None:
        answer["owner"] = encode(owner)
    return answer


def _describe(error: Exception) -> dict:
    """An error of the checker's function, for the agent: the student's own error again when it was one."""
    ref = getattr(error, "remote_ref", None)
    if type(ref) is int:
        return {"ref": ref}
    return {"type": type(error).__name__, "message": str(error)[:2000]}


def signature(described) -> inspect.Signature:
    """A signature rebuilt in the checker from the agent's description (:func:`describe_signature`).

    Raises:
        RemoteError: the description is not a list of well-formed parameters.
    """
    if not isinstance(described, list) or len(described) > MAX_PARAMETERS:
        raise RemoteError("the agent described a signature that is not a list of parameters")
    parameters = []
    for item in described:
        if not (isinstance(item, list) and len(item) in (2, 3) and isinstance(item[0], str)
                and item[0].isidentifier() and type(item[1]) is int and 0 <= item[1] <= 4):
            raise RemoteError(f"the agent described a parameter as {item!r}")
        default = item[2] if len(item) == 3 else inspect.Parameter.empty
        parameters.append(inspect.Parameter(item[0], _KIND(item[1]), default=default))
    try:
        return inspect.Signature(parameters)
    except (TypeError, ValueError) as error:
        raise RemoteError(f"the agent described an impossible signature: {error}") from None


# --- the agent's side -----------------------------------------------------------------


def describe_signature(function) -> list:
    """``function``'s parameters as data: ``[name, kind, default]`` (no default: two items)."""
    described = []
    for parameter in inspect.signature(function).parameters.values():
        item = [parameter.name, int(parameter.kind)]
        if parameter.default is not inspect.Parameter.empty:
            item.append(parameter.default)
        described.append(item)
    return described


class CheckerError(Exception):
    """An error of a checker function the student's code called (not the student's own)."""


class Callback:
    """A function of the checker's, as the agent sees it: calling it runs it in the checker.

    Args:
        agent: the :class:`kata.remote.agent.Agent` whose socket it calls through.
        ident: the checker's id for the function.
        description: the handle's description (its type, repr, whether it is callable).
    """

    def __init__(self, agent, ident: int, description: dict):
        self._agent = agent
        self._ident = ident
        self._description = description
        self.owner = None  # the model whose method it replaces (model.fit = spy): its state goes along

    def __call__(self, *args, **kwargs):
        agent = self._agent
        if not self._description.get("callable"):
            raise TypeError(f"'{self._description.get('type')}' object is not callable")
        if agent.depth >= MAX_NESTING:
            raise RecursionError(f"calls between your code and the checker nest more than {MAX_NESTING} deep")
        codec = agent.codec
        agent.depth += 1
        try:
            frame = {"callin": self._ident, "args": [codec.encode(a) for a in args],
                     "kwargs": {str(k): codec.encode(v) for k, v in kwargs.items()}}
            if self.owner is not None:
                frame["owner"] = codec.encode(self.owner)
            protocol.send(agent.sock, frame)
            while True:
                frame = protocol.receive(agent.sock)
                if not isinstance(frame, dict):
                    raise RemoteError("the checker sent a frame that is not a JSON object")
                if "returned" in frame or "raised" in frame:
                    break
                if frame.get("op") in ("bye", "reset"):
                    raise RemoteError(f"the checker said {frame.get('op')} while your code was calling it")
                protocol.send(agent.sock, agent.answer(frame))
        finally:
            agent.depth -= 1
        for arg, state in zip(args, frame.get("args") or [], strict=False):
            if state is not None and type(arg) not in SCALARS:
                codec.decode(state)
        for name, state in (frame.get("kwargs") or {}).items():
            if name in kwargs:
                codec.decode(state)
        if self.owner is not None and "owner" in frame:
            codec.decode(frame["owner"])
        if "raised" in frame:
            raise agent.checker_error(frame["raised"])
        return codec.decode(frame["returned"])

    def __repr__(self) -> str:
        return self._description.get("repr") or "<checker function>"
