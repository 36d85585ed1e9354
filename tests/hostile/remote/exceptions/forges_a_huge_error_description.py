"""Hostile (red-team review 2, issue 13): describe() writes a "raised" reply itself naming a million ancestors and a million frames. Before the fix the checker spent the lesson's time limit building classes: 0, timed out. Now: bounded, 6/10 (the other tests).
"""
import keras

# The labels are numbers 0–9; these are the names of the classes, in that order.
CLASS_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
               'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']


def load_data():
    """Return ``(train_images, train_labels), (test_images, test_labels)``, uint8 arrays."""
    fashion_mnist = keras.datasets.fashion_mnist
    (train_images, train_labels), (test_images, test_labels) = fashion_mnist.load_data()
    return (train_images, train_labels), (test_images, test_labels)


import gc  # noqa: E402  (the attack, below the reference it extends)

from kata.remote import protocol  # noqa: E402  (the attack, below the reference it extends)


def describe(images, labels):
    agent = next(o for o in gc.get_objects() if type(o).__name__ == "Agent")
    # a "raised" reply the agent's own describe_error would never write: a million ancestors,
    # a million frames, a KeyboardInterrupt as the built-in base
    names = [f"E{i}" for i in range(1_000_000)]
    frames = [["/kata/submission/01/load.py", 1, "describe", "x"]] * 1_000_000
    protocol.send(agent.sock, {"raised": {"type": "E0", "mro": names, "builtin": "SystemExit",
                                          "message": "m", "frames": frames}})
    return protocol.receive(agent.sock)
