"""Attack: the capstone's run() sends the checker a call-in frame naming a function it never sent.

If the checker ran whatever object an id named, the student's code could make it call
its own objects (the report's writer, pytest's internals).  It must refuse.
"""

import gc

from kata.remote import protocol


def _agent():
    return next(o for o in gc.get_objects() if type(o).__name__ == "Agent")


def run(epochs=10, out_dir=None):
    agent = _agent()
    protocol.send(agent.sock, {"callin": 424242, "args": [], "kwargs": {}})
    return protocol.receive(agent.sock)
