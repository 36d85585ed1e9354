"""A recipe on one thread: built and trained in a child process whose TensorFlow has one thread.

TensorFlow's thread settings (``tf.config.threading``) hold for a whole
process and can't change once TensorFlow has started, and every other row of
a ``kata bench`` run shares the process.  So :func:`one_thread` starts a
child process (``spawn``: a fresh interpreter), sets one intra-op and one
inter-op thread there before anything else, builds the recipe there, and
trains one epoch each time the parent's :class:`~kata.bench.base.Run` is
called.  The parent times the whole call, the round trip through the pipe
included (one small message each way per epoch).  Like every ``spawn``
child, it imports the parent's main script again: a script that builds such
a recipe must keep its own work under ``if __name__ == "__main__":``
(``kata bench``, pytest and the kata command do).

Why one thread: at these matrix sizes two threads split each small matmul and
wait for each other, and on a 2-vCPU machine whose vCPUs share a core the
second thread adds little arithmetic (see docs/benchmarks.md).
"""

from __future__ import annotations

import multiprocessing
import weakref
from collections.abc import Callable

from kata.bench.base import Data, Run


def _child(connection, build: Callable[[Data, int], Run], data: Data, batch_size: int) -> None:
    """The child's loop: one thread, ``build`` the run, then answer ``run`` and ``weights`` until ``stop``."""
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    run = build(data, batch_size)
    connection.send("ready")
    while True:
        command = connection.recv()
        if command == "run":
            connection.send(run())
        elif command == "weights":
            connection.send(run.model.get_weights())
        else:
            return


class _Model:
    """The child's model, seen from the parent: calling it copies the child's weights into a local model."""

    def __init__(self, connection):
        from kata.bench.base import tutorial_model

        self.connection = connection
        self.local = tutorial_model()

    def get_weights(self):
        self.connection.send("weights")
        return self.connection.recv()

    def __call__(self, images, training: bool = False):
        self.local.set_weights(self.get_weights())
        return self.local(images, training=training)


def _stop(process, connection) -> None:
    try:
        connection.send("stop")
    except (BrokenPipeError, OSError):
        pass
    process.join(timeout=10)
    if process.is_alive():
        process.terminate()


def one_thread(build: Callable[[Data, int], Run], data: Data, batch_size: int) -> Run:
    """A recipe built and trained in a child process with one TensorFlow thread.

    Args:
        build: the recipe's builder, ``build(data, batch_size)`` → a run with a model; a
            module-level function, as the child imports it by name.
        data: the images to train on (sent to the child once).
        batch_size: images per step.

    Returns:
        The ready :class:`~kata.bench.base.Run`; calling it trains one epoch in
        the child; its ``model`` answers ``model(images)`` with the child's weights.

    Example:
        >>> run = one_thread(plain.tf_loop_plain, load(15_360), 32)  # doctest: +SKIP
        >>> run()  # one epoch in the child  # doctest: +SKIP
        15360
    """
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(target=_child, args=(child, build, data, batch_size), daemon=True)
    process.start()
    child.close()
    try:
        ready = parent.recv()
    except EOFError:
        ready = None
    if ready != "ready":
        process.join(timeout=10)
        raise RuntimeError(
            f"the one-thread child process could not build {build.__name__!r} (exit code {process.exitcode})")

    def run():
        parent.send("run")
        return parent.recv()

    result = Run(run, model=_Model(parent))
    weakref.finalize(result, _stop, process, parent)
    return result
