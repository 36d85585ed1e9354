"""Attack: run(callback) calls the checker's callback, and answers every request the callback
makes with one more call-in instead of a reply: calls nested without end in the checker.

The agent's own limit (kata.remote.calls.MAX_NESTING) is walked past by writing frames
directly; the checker must stop at its own limit.
"""

import gc

from kata.remote import protocol


def run(callback):
    agent = next(o for o in gc.get_objects() if type(o).__name__ == "Agent")
    ident = agent.codec.origin[id(callback)]
    protocol.send(agent.sock, {"callin": ident, "args": [], "kwargs": {}})
    while True:
        protocol.receive(agent.sock)  # the callback's request to the agent: answered with another call-in
        protocol.send(agent.sock, {"callin": ident, "args": [], "kwargs": {}})


def ping():
    return "pong"
