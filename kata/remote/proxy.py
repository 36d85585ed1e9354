"""The checker's side: the ``impl`` fixture as a proxy whose calls cross to the agent as data.

:func:`start_agent` starts ``python -m kata.remote.agent`` on one end of a socket
pair (``pytest --remote``); :func:`connect` uses a socket already connected to an
agent (``--remote-fd``, how ``kata grade`` runs the suites).  Either gives a
:class:`Connection`; :class:`RemoteModule` is the module under test seen through it.

A call sends the arguments, the agent calls the student's function, and the reply
holds the return value and the state after the call of every argument, which is
written back into the checker's own objects (an array changed in place, a model
compiled or trained), so ``compile_model(model) is model`` and "leaves its
arguments untouched" keep their meaning.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import types
from pathlib import Path

from kata.remote import StudentError, calls, protocol, student_error
from kata.remote.codec import SCALARS, Codec
from kata.remote.protocol import RemoteError

__all__ = ["Connection", "RemoteModule", "RemoteObject", "connect", "start_agent", "StudentError"]


class Connection:
    """The checker's end of the conversation with one agent (one lesson module).

    Args:
        sock: a stream socket connected to an agent that has just started.
        exchange: the exchange folder the agent was given.
        process: the agent's process when this side started it (waited for on close).

    Attributes:
        hello: ``{"name": ..., "file": ...}`` of the module the agent loaded, or None.
        import_error: the agent's description of why the module could not be imported, or None.
    """

    def __init__(self, sock: socket.socket, exchange: Path, process: subprocess.Popen | None = None):
        self.sock = sock
        self.process = process
        self.codec = Codec(exchange, "c", handle=RemoteObject)
        self.codec.connection = self
        self.depth = 0  # calls back into the checker under way (kata.remote.calls)
        self.broken = ""
        first = protocol.receive(sock)
        self.hello = first.get("hello")
        self.import_error = first.get("import_error")
        if self.hello is None and self.import_error is None:
            raise RemoteError(f"the agent's first frame is neither hello nor import_error: {sorted(first)}")

    def request(self, message: dict) -> dict:
        """Send a request; run the checker's functions the agent calls back meanwhile; return the reply.

        Raises:
            RemoteError: the agent broke the protocol (then the connection is closed for good).
        """
        if self.broken:
            raise RemoteError(f"the connection to the agent was closed after a protocol error: {self.broken}")
        try:
            protocol.send(self.sock, message)
            while True:
                reply = protocol.receive(self.sock)
                if not isinstance(reply, dict):
                    raise RemoteError("the agent's reply is not a JSON object")
                if "callin" not in reply:
                    return reply
                protocol.send(self.sock, calls.answer(self, reply))
        except RemoteError as error:
            if not self.broken:
                self.broken = str(error)
                self.sock.close()
            raise

    def reset(self, seed: int | None) -> None:
        """A new test: both sides forget the objects sent so far; the agent starts a clean Keras session."""
        self.codec.reset()
        self._settle(self.request({"op": "reset", "seed": seed}))

    def getattr(self, target: int | None, name: str):
        """Attribute ``name`` of the module (target None) or of the agent's object ``target``."""
        return self._settle(self.request({"op": "getattr", "target": target, "name": name}))

    def setattr(self, target: int | None, name: str, value, restore: bool = False) -> None:
        """Set attribute ``name`` of the agent's lesson module ``target`` (None: the module under
        test) to ``value`` (``monkeypatch.setattr``), or with ``restore=True`` give it back its value
        from before the first set (``monkeypatch``'s undo).

        A function of a ``kata`` module (the tutorial's ``plot_image``, which lesson 08's suite
        puts in the student's module) is named, for the agent to import; anything else crosses as data.
        """
        message = {"op": "setattr", "target": target, "name": name}
        module = sys.modules.get(getattr(value, "__module__", None) or "")
        if restore:
            message["restore"] = True
        elif (isinstance(value, types.FunctionType) and module is not None and module.__name__.startswith("kata.")
                and getattr(module, value.__qualname__, None) is value):
            message["function"] = [module.__name__, value.__qualname__]
        else:
            message["value"] = self.codec.encode(value)
        self._settle(self.request(message))

    def signature(self, target: int):
        """The :class:`inspect.Signature` of the agent's function ``target``, rebuilt from data."""
        return calls.signature(self._settle(self.request({"op": "signature", "target": target})))

    def lesson(self, number: int):
        """Lesson ``number``'s module in the agent, from the module's tree (what ``kata.lesson`` gives it there)."""
        return self._settle(self.request({"op": "lesson", "number": number}))

    def call(self, target: int, args: tuple, kwargs: dict, fit_budget: int | None = None, fits: list | None = None):
        """Call the agent's function ``target``; write the arguments' new state back; return its value.

        ``fit_budget``: stop every ``model.fit`` of the call after that many steps (:mod:`kata.remote.budget`);
        ``fits`` then gets, as its one item, the agent's record of what each fit was given, unchecked.
        """
        encode = self.codec.encode
        message = {"op": "call", "target": target, "args": [encode(a) for a in args],
                   "kwargs": {str(k): encode(v) for k, v in kwargs.items()}, "pyplot": _pyplot_state(self.codec)}
        if fit_budget is not None:
            message["fit_budget"] = int(fit_budget)
        reply = self.request(message)
        if fits is not None:
            fits.append(reply.get("fits"))
        for arg, state in zip(args, reply.get("args", []), strict=False):
            if state is not None and type(arg) not in SCALARS:
                self.codec.decode(state)
        for state in reply.get("kwargs", {}).values():
            self.codec.decode(state)
        return self._settle(reply)

    def _settle(self, reply: dict):
        if "fault" in reply:
            raise RemoteError(f"the value could not cross from the agent: {reply['fault']}")
        if reply.get("out"):
            sys.stdout.write(reply["out"])
        if reply.get("err"):
            sys.stderr.write(reply["err"])
        if reply.get("pyplot") is not None:
            from kata.remote import figures

            figures.restore_pyplot(self.codec.decode(reply["pyplot"]))
        if "raised" in reply:
            raise student_error(reply["raised"])
        return self.codec.decode(reply.get("ok"))

    def close(self) -> None:
        """Say bye, close the socket and wait for the agent (killed after 10 s)."""
        try:
            protocol.send(self.sock, {"op": "bye"})
        except OSError:
            pass
        self.sock.close()
        if self.process is not None:
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _pyplot_state(codec: Codec):
    """The checker's pyplot state for the agent, once :mod:`kata.remote.figures` exists and pyplot is in use."""
    if "matplotlib.pyplot" not in sys.modules:
        return None
    try:
        from kata.remote import figures
    except ImportError:
        return None
    return codec.encode(figures.describe_pyplot())


class RemoteObject:
    """An object of the agent's that could only cross as a handle: attribute reads and calls go back to it."""

    def __init__(self, codec: Codec, ident: int, description: dict):
        self._kata_ident = ident
        self._kata_description = description
        self._kata_connection: Connection = codec.connection

    def __getattr__(self, name: str):
        # No dunder crosses: numpy reads __array_interface__ on the instance and would build an
        # array over whatever memory address of the checker's the agent named.
        if name.startswith("_kata_") or name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._kata_connection.getattr(self._kata_ident, name)

    def __setattr__(self, name: str, value) -> None:
        if name.startswith("_kata_"):
            object.__setattr__(self, name, value)
        else:
            self._kata_connection.setattr(self._kata_ident, name, value)

    def __delattr__(self, name: str) -> None:
        """Undo a set: the attribute gets back the value it had in the agent (how ``monkeypatch`` undoes)."""
        self._kata_connection.setattr(self._kata_ident, name, None, restore=True)

    def __call__(self, *args, **kwargs):
        return self._kata_connection.call(self._kata_ident, args, kwargs)

    @property
    def __signature__(self):
        """The agent's function's signature, so :func:`inspect.signature` binds arguments as it would there."""
        return self._kata_connection.signature(self._kata_ident)

    def __repr__(self) -> str:
        return self._kata_description.get("repr") or f"<remote {self._kata_description.get('type')}>"


class RemoteModule:
    """The lesson module under test, living in the agent.

    ``impl.name`` is the attribute's value as data, or a callable
    :class:`RemoteObject` for a function; ``impl.__name__`` and
    ``impl.__file__`` are the module's own.

    Example:
        >>> impl = RemoteModule(start_agent(Path("solutions"), 1, Path("/tmp/x")))  # doctest: +SKIP
        >>> impl.describe(images, labels)["pixel_max"]  # doctest: +SKIP
        255
    """

    def __init__(self, connection: Connection):
        object.__setattr__(self, "_connection", connection)
        object.__setattr__(self, "__name__", connection.hello["name"])
        object.__setattr__(self, "__file__", connection.hello["file"])

    def __getattr__(self, name: str):
        if name.startswith("__") and name.endswith("__") or name.startswith("_kata_"):
            raise AttributeError(name)
        return self._connection.getattr(None, name)

    def __setattr__(self, name: str, value) -> None:
        """Set the attribute in the agent's module (``monkeypatch.setattr(impl, ...)``): see :meth:`Connection.setattr`."""
        self._connection.setattr(None, name, value)

    def __delattr__(self, name: str) -> None:
        """Give the attribute back the module's own value (``monkeypatch``'s undo deletes what it set
        when it found no value of its own in the proxy)."""
        self._connection.setattr(None, name, None, restore=True)

    def beside(self, number: int):
        """Lesson ``number``'s module from the same tree, in the same agent (see :func:`kata.impl.beside`)."""
        return self._connection.lesson(number)

    def __repr__(self) -> str:
        return f"<remote module {self.__name__!r} from {self.__file__!r}>"


def start_agent(tree: Path, lesson: int, exchange: Path) -> Connection:
    """Start an agent for lesson ``lesson`` of ``tree`` and connect to it.

    Args:
        tree: the lesson tree (``--impl``'s folder).
        lesson: the lesson's number.
        exchange: an empty folder for big values, which the agent may write.

    Returns:
        The connection (check its ``import_error`` before use).
    """
    exchange.mkdir(parents=True, exist_ok=True)
    ours, theirs = socket.socketpair()
    command = [sys.executable, "-m", "kata.remote.agent", "--fd", str(theirs.fileno()),
               "--exchange", str(exchange), "--tree", str(tree), "--lesson", str(lesson)]
    process = subprocess.Popen(command, pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL)
    theirs.close()
    return Connection(ours, exchange, process)


def connect(fd: int, exchange: Path) -> Connection:
    """The connection on an already connected socket ``fd`` (``--remote-fd``)."""
    return Connection(socket.socket(fileno=fd), exchange)
