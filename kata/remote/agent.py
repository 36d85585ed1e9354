"""The agent: the process where the student's code runs, answering the checker's requests.

It loads one lesson module from one tree exactly as ``--impl=<tree>`` does
(:func:`kata.impl.load_module`), then answers requests until ``bye`` or until the
checker closes the socket.  Requests (JSON frames, :mod:`kata.remote.protocol`):

``{"op": "getattr", "target": id | None, "name": str}``
    an attribute of the module (target None) or of an object sent as a handle.
``{"op": "call", "target": id, "args": [...], "kwargs": {...}}``
    call a function; the reply carries the return value *and* the state after the
    call of every argument, so the checker can write it back into its own objects.
    An optional ``"fit_budget": N`` stops every ``model.fit`` of the call after N
    steps in all (a time guard, :mod:`kata.remote.budget`); the reply's ``"fits"``
    then says what each fit was given (:mod:`kata.remote.fitlog`).
``{"op": "setattr", "target": id | None, "name": str, "value": ... | "function": [module, name] | "restore": true}``
    set an attribute of a lesson module (``monkeypatch.setattr`` in the checker; a
    function of a ``kata`` module is named, for the agent to import), or give it back
    the value it had before (``monkeypatch``'s undo).
``{"op": "signature", "target": id}``
    a function's parameters as data (:func:`kata.remote.calls.describe_signature`).
``{"op": "lesson", "number": int}``
    lesson ``number``'s module from the tree of the module under test, as ``kata.lesson`` gives it.
``{"op": "reset", "seed": int}``
    a new test: a clean Keras session, the seed, no open figures, no remembered objects.
``{"op": "bye"}``
    stop.

Every reply is ``{"ok": value, ...}``, ``{"raised": error, ...}`` (the student's
code raised: type, message and frames) or ``{"fault": text}`` (a value that
can't cross).  A function of the checker's that crossed runs in the checker when
called (:mod:`kata.remote.calls`).  Run as ``python -m kata.remote.agent --fd N --exchange DIR --tree
DIR --lesson N`` (what the plugin's ``--remote`` starts).
"""

from __future__ import annotations

import argparse
import builtins
import contextlib
import io
import os
import socket
import sys
import traceback
from pathlib import Path

from kata.remote import calls, protocol
from kata.remote.codec import SCALARS, Codec

MAX_OUTPUT = 64 * 1024
MAX_MESSAGE = 64 * 1024
"""The most of an exception's message that crosses (the checker shows far less)."""
MAX_FRAMES = 200
"""The most frames of an exception that cross: the first and the last half of them."""
_OWN = str(Path(__file__).resolve().parent)


def _kata_function(named: list) -> object:
    """The function ``[module, qualname]`` of a ``kata`` module, which the checker asked to set."""
    import importlib

    module, name = named
    if not (isinstance(module, str) and module.startswith("kata.") and isinstance(name, str)):
        raise protocol.RemoteError(f"the checker named a function {named!r} outside the kata package")
    return getattr(importlib.import_module(module), name)


def describe_error(error: BaseException) -> dict:
    """An exception as data: its type's name and ancestry, message, and frames (not the agent's own)."""
    frames = [
        [frame.filename, frame.lineno or 0, frame.name, (frame.line or "").strip()[:MAX_OUTPUT]]
        for frame in traceback.extract_tb(error.__traceback__)
        if not frame.filename.startswith(_OWN)
    ]
    if len(frames) > MAX_FRAMES:  # unbounded recursion: where it began and where it stopped
        frames = frames[:MAX_FRAMES // 2] + frames[-MAX_FRAMES // 2:]
    try:
        message = str(error)[:MAX_MESSAGE]
    except Exception:  # noqa: BLE001  (a student's exception whose __str__ fails)
        message = f"<{type(error).__name__}>"
    described = {"type": type(error).__name__, "mro": [cls.__name__ for cls in type(error).__mro__],
                 "builtin": _builtin_base(error), "message": message, "frames": frames}
    if isinstance(error, SyntaxError):
        described["lineno"] = error.lineno
    return described


def _builtin_base(error: BaseException) -> str:
    for cls in type(error).__mro__:
        if getattr(builtins, cls.__name__, None) is cls:
            return cls.__name__
    return "Exception"


class Agent:
    """Answers one checker's requests about one lesson module."""

    def __init__(self, sock: socket.socket, exchange: Path, module):
        self.sock = sock
        self.module = module
        self.codec = Codec(exchange, "a", handle=lambda codec, ident, description: calls.Callback(self, ident, description))
        self.depth = 0  # calls back into the checker under way
        self.lessons = {id(module): module}  # the modules the checker may set attributes of
        self.raised: dict[int, BaseException] = {}  # errors of the student's code the checker was told of
        self.replaced: dict[tuple[int, str], object] = {}  # (module, name) → its value before the checker set it

    def target(self, ident):
        if ident is None:
            return self.module
        if ident not in self.codec.own:
            raise protocol.RemoteError(f"the checker named an object {ident} the agent no longer has")
        return self.codec.own[ident]

    def answer(self, request: dict) -> dict | None:
        op = request.get("op")
        if op == "reset":
            self.reset(request.get("seed"))
            return {"ok": None}
        if op == "getattr":
            return self.run(lambda: getattr(self.target(request.get("target")), request["name"]), [], {}, pyplot=False)
        if op == "call":
            function = self.target(request.get("target"))
            args = [self.codec.decode(a) for a in request.get("args", [])]
            kwargs = {k: self.codec.decode(v) for k, v in request.get("kwargs", {}).items()}
            self.restore_pyplot(request.get("pyplot"))
            budget = request.get("fit_budget")
            if type(budget) is int and budget > 0:  # a time guard only (kata.remote.budget)
                from kata.remote.budget import fit_budget

                fits = []  # what each fit was given (kata.remote.fitlog)
                reply = self.run(lambda: _within(fit_budget(budget, fits), function, args, kwargs), args, kwargs)
                reply["fits"] = fits
                return reply
            return self.run(lambda: function(*args, **kwargs), args, kwargs)
        if op == "setattr":
            return self.run(lambda: self.set_attribute(request), [], {}, pyplot=False)
        if op == "signature":
            return self.run(lambda: calls.describe_signature(self.target(request.get("target"))), [], {})
        if op == "lesson":
            return self.run(lambda: self.lesson(request.get("number")), [], {})
        if op == "bye":
            return None
        return {"fault": f"unknown request {op!r}"}

    def run(self, work, args, kwargs, pyplot: bool = True) -> dict:
        """Do ``work`` (a call, as a rule); the reply with its value, or what it raised, and, when
        ``pyplot``, pyplot's state after it (an attribute read leaves the checker's pyplot alone:
        the agent's is only brought up to date by the next call)."""
        out, err = io.StringIO(), io.StringIO()
        reply = {}
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                reply["ok"] = work()
        except BaseException as error:  # noqa: BLE001  (every error of the student's code goes back as data,
            # SystemExit and KeyboardInterrupt too: the checker raises them where the test called, as in one process)
            reply = {"raised": {**describe_error(error), "ref": id(error)}}
            self.raised[id(error)] = error
        try:
            if "ok" in reply:
                reply["ok"] = self.codec.encode(reply["ok"])
            reply["args"] = [None if type(a) in SCALARS else self.codec.encode(a) for a in args]
            reply["kwargs"] = {k: self.codec.encode(v) for k, v in kwargs.items() if type(v) not in SCALARS}
            reply["pyplot"] = self.describe_pyplot() if pyplot else None
        except NotImplementedError as missing:
            return {"fault": f"values of this kind can't cross yet: {missing}"}
        except Exception as error:  # noqa: BLE001  (a value that can't be sent is told, not crashed on)
            return {"fault": f"{type(error).__name__}: {error}"}
        reply["out"], reply["err"] = out.getvalue()[-MAX_OUTPUT:], err.getvalue()[-MAX_OUTPUT:]
        return reply

    def lesson(self, number):
        """Lesson ``number``'s module from the tree of the module under test, as ``kata.lesson`` finds it."""
        from kata import impl

        if type(number) is not int or number not in impl.LESSONS:
            raise protocol.RemoteError(f"the checker asked for lesson {number!r}, which is not a lesson")
        module = impl.load_module(impl.tree_of(self.module.__file__), number)
        self.lessons[id(module)] = module
        return module

    def set_attribute(self, request: dict) -> None:
        module, name = self.target(request.get("target")), request.get("name")
        if self.lessons.get(id(module)) is not module or not isinstance(name, str) or not name.isidentifier():
            raise protocol.RemoteError("the checker may set only attributes of lesson modules")
        if request.get("restore"):  # monkeypatch's undo; a second undo finds nothing left to do
            if (id(module), name) in self.replaced:
                setattr(module, name, self.replaced.pop((id(module), name)))
            return
        if "function" in request:
            value = _kata_function(request["function"])
        else:
            value = self.codec.decode(request.get("value"))
        self.replaced.setdefault((id(module), name), getattr(module, name, None))
        setattr(module, name, value)

    def checker_error(self, described) -> BaseException:
        """The exception a checker function raised, for the student's code that called it."""
        if isinstance(described, dict) and type(described.get("ref")) is int and described["ref"] in self.raised:
            return self.raised[described["ref"]]  # the student's own error, coming back through a spy
        if not isinstance(described, dict):
            described = {}
        return calls.CheckerError(f"{described.get('type', 'Error')}: {described.get('message', '')}")

    def reset(self, seed) -> None:
        self.codec.reset()
        self.raised.clear()
        if "keras" in sys.modules:
            import keras

            keras.backend.clear_session(free_memory=False)
        if seed is not None:
            import keras

            keras.utils.set_random_seed(seed)
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")

    def restore_pyplot(self, description) -> None:
        if description is None:
            return
        from kata.remote import figures

        figures.restore_pyplot(self.codec.decode(description))

    def describe_pyplot(self):
        if "matplotlib.pyplot" not in sys.modules:
            return None
        try:
            from kata.remote import figures
        except ImportError:
            return None
        return self.codec.encode(figures.describe_pyplot())

    def loop(self) -> None:
        while True:
            try:
                request = protocol.receive(self.sock)
            except protocol.RemoteClosed:
                return
            reply = self.answer(request)
            if reply is None:
                return
            try:
                protocol.send(self.sock, reply)
            except protocol.RemoteError as error:  # too big to cross (a huge string): that value, not the agent
                protocol.send(self.sock, {"fault": str(error)})


def _within(guard, function, args, kwargs):
    with guard:
        return function(*args, **kwargs)


def serve(sock: socket.socket, exchange: Path, tree: Path, lesson: int) -> None:
    """Load lesson ``lesson`` of ``tree`` and answer the checker on ``sock`` until it says bye.

    The first frame sent is ``{"hello": {"name": ..., "file": ...}}``, or
    ``{"import_error": error}`` when the module can't be imported (the agent then
    waits for ``bye``, answering nothing else).

    Args:
        sock: the agent's end of a connected stream socket.
        exchange: the folder both processes see, for big values.
        tree: the tree to load the lesson from (``--impl``'s folder).
        lesson: the lesson's number.
    """
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from kata import impl

    try:
        module = impl.load_module(tree, lesson)
    except impl.ImplError as error:
        protocol.send(sock, {"import_error": {"type": "ImplError", "message": str(error), "plain": True}})
        return _wait_for_bye(sock)
    except Exception as error:  # noqa: BLE001  (the checker words the message, as the plugin does)
        protocol.send(sock, {"import_error": describe_error(error)})
        return _wait_for_bye(sock)
    protocol.send(sock, {"hello": {"name": module.__name__, "file": module.__file__}})
    Agent(sock, exchange, module).loop()


def _wait_for_bye(sock: socket.socket) -> None:
    with contextlib.suppress(protocol.RemoteError):
        while protocol.receive(sock).get("op") != "bye":
            protocol.send(sock, {"fault": "the lesson module could not be imported"})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m kata.remote.agent", description=__doc__.splitlines()[0])
    parser.add_argument("--fd", type=int, required=True, help="the connected socket's file descriptor")
    parser.add_argument("--exchange", type=Path, required=True, help="the exchange folder")
    parser.add_argument("--tree", type=Path, required=True, help="the lesson tree (NN/<topic>.py)")
    parser.add_argument("--lesson", type=int, required=True, help="the lesson's number")
    options = parser.parse_args(argv)
    sock = socket.socket(fileno=options.fd)
    try:
        serve(sock, options.exchange, options.tree, options.lesson)
    finally:
        sock.close()


if __name__ == "__main__":
    main()
