"""Attack: run(images) sends a call-in frame naming the array the checker sent it, as if it were a function.

The id is real (the checker sent that array), but the checker only runs what it sent as a function.
"""

import gc

from kata.remote import protocol


def run(images):
    agent = next(o for o in gc.get_objects() if type(o).__name__ == "Agent")
    protocol.send(agent.sock, {"callin": agent.codec.origin[id(images)], "args": [], "kwargs": {}})
    return protocol.receive(agent.sock)
