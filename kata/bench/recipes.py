"""The recipes: each builds a :class:`~kata.bench.base.Run` that trains once over the data.

:data:`RECIPES` is the registry, by name; a :class:`Recipe` says what it is
(title, family, the optional framework it needs) and how to build it.  To add
a configuration, write a builder and register it with :func:`register`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from kata.bench import fused, peers, plain, threads
from kata.bench.base import (
    LEARNING_RATE,
    STEPS_PER_EXECUTION,
    Data,
    Run,
    batched,
    epoch_loop,
    tutorial_loss,
    tutorial_model,
)


@dataclass(frozen=True)
class Recipe:
    """One way of training the tutorial's model, timed by the benchmarks.

    Args:
        name: its id in configuration ids and ``--json`` rows (``"fit-jit"``).
        title: a few words for the table.
        family: ``keras``, ``tensorflow``, ``lesson``, ``torch`` or ``jax`` (the chart's colours).
        build: ``build(data, batch_size, tree)`` returns the ready :class:`Run`.
        needs: the optional framework it imports (``"torch"``, ``"jax"``), if any.
        lesson: it measures a lesson's code (a row for the student's tree and one for the reference).
        lesson_batch_size: the batch size of a lesson row (0: the lesson chooses).
    """

    name: str
    title: str
    family: str
    build: Callable[[Data, int, str], Run]
    needs: str | None = None
    lesson: bool = False
    lesson_batch_size: int = 0


RECIPES: dict[str, Recipe] = {}
"""Every recipe by name, in the order the table shows them."""


def register(recipe: Recipe) -> Recipe:
    """Add ``recipe`` to :data:`RECIPES` (its name must be new)."""
    if recipe.name in RECIPES:
        raise ValueError(f"a recipe named {recipe.name!r} is registered already")
    RECIPES[recipe.name] = recipe
    return recipe


# --- Keras: the tutorial's compile + fit, and what its options buy ------------------------


def compiled_model(jit_compile: bool = False, steps_per_execution: int = 1):
    """The tutorial's model and ``compile``, with XLA and/or several steps per call.

    Args:
        jit_compile: compile each step with XLA.
        steps_per_execution: steps per call into the compiled graph.

    Returns:
        A compiled, untrained Keras model.
    """
    model = tutorial_model()
    model.compile(
        optimizer="adam",
        loss=tutorial_loss(),
        metrics=["accuracy"],
        jit_compile=jit_compile,
        steps_per_execution=steps_per_execution,
    )
    return model


def keras_fit(data: Data, batch_size: int, jit_compile: bool = False, steps_per_execution: int = 1) -> Run:
    """The tutorial's ``compile`` + ``fit``, with XLA and/or several steps per call.

    Args:
        data: the images to train on.
        batch_size: images per step.
        jit_compile: compile each step with XLA.
        steps_per_execution: steps per call into the compiled graph.

    Returns:
        The ready :class:`~kata.bench.base.Run` (its ``model`` is the trained model).

    Example:
        >>> run = keras_fit(load(15_360), 32, jit_compile=True)  # doctest: +SKIP
        >>> run()  # one epoch; returns the images used  # doctest: +SKIP
        15360
    """
    model = compiled_model(jit_compile, steps_per_execution)

    def run():
        model.fit(data.train_images, data.train_labels, batch_size=batch_size, epochs=1, verbose=0)
        return len(data.train_images)

    return Run(run, model=model)


def keras_fit_dataset(data: Data, batch_size: int) -> Run:
    """``fit`` with XLA and many steps per call, fed by ``tf.data`` instead of NumPy arrays.

    The pipeline shuffles every sample every epoch, as ``fit`` does with arrays,
    so the comparison is fair; what it saves is ``fit``'s own per-epoch array
    handling and the host-to-graph copy of each batch.

    Args:
        data: the images to train on.
        batch_size: images per step.

    Returns:
        The ready :class:`~kata.bench.base.Run`.
    """
    import tensorflow as tf

    model = compiled_model(jit_compile=True, steps_per_execution=STEPS_PER_EXECUTION)
    dataset = (
        tf.data.Dataset.from_tensor_slices((data.train_images, data.train_labels))
        .shuffle(len(data.train_images))
        .batch(batch_size)
        .prefetch(tf.data.AUTOTUNE)
    )

    def run():
        model.fit(dataset, epochs=1, verbose=0)
        return len(data.train_images)

    return Run(run, model=model)


# --- TensorFlow: hand-written steps ---------------------------------------------------------


def make_train_step(model, optimizer):
    """One Adam step on one batch, as a plain function (traced by the callers).

    Args:
        model: the Keras model to train.
        optimizer: a built Keras optimizer.

    Returns:
        ``train_step(images, labels)``, returning the loss.
    """
    import tensorflow as tf

    loss_fn = tutorial_loss()

    def train_step(images, labels):
        with tf.GradientTape() as tape:
            logits = model(images, training=True)
            loss = loss_fn(labels, logits)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables, strict=True))
        return loss

    return train_step


def _adam(model):
    import keras

    optimizer = keras.optimizers.Adam(learning_rate=LEARNING_RATE)
    optimizer.build(model.trainable_variables)
    return optimizer


def tf_step(data: Data, batch_size: int) -> Run:
    """A hand-written ``tf.function(jit_compile=True)`` step, called once per batch from Python.

    Args:
        data: the images to train on.
        batch_size: images per step.

    Returns:
        The ready :class:`~kata.bench.base.Run`.
    """
    import tensorflow as tf

    model = tutorial_model()
    step = tf.function(make_train_step(model, _adam(model)), jit_compile=True)
    images, labels = batched(data, batch_size)
    batches = [(tf.constant(x), tf.constant(y)) for x, y in zip(images, labels, strict=True)]

    def run():
        for x, y in batches:
            loss = step(x, y)
        float(loss)  # the loss of the last step: every step has finished
        return len(batches) * batch_size

    return Run(run, model=model)


def tf_loop(data: Data, batch_size: int, shuffle: bool = False, seed: int = 0) -> Run:
    """The same step, looped over a whole epoch inside ONE compiled call.

    ``for i in tf.range(steps)`` inside ``tf.function(jit_compile=True)``
    becomes a ``tf.while_loop`` that XLA compiles together with the step:
    Python runs once per epoch instead of once per batch.  The images are
    pre-batched tensors; with ``shuffle=True`` (time to accuracy) they are
    shuffled and batched again before every epoch, as ``fit`` shuffles.

    Args:
        data: the images to train on.
        batch_size: images per step.
        shuffle: shuffle and batch again before every epoch.
        seed: the shuffling's seed.

    Returns:
        The ready :class:`~kata.bench.base.Run`.
    """
    import tensorflow as tf

    model = tutorial_model()
    train_step = make_train_step(model, _adam(model))
    steps = len(data.train_images) // batch_size
    all_images = tf.constant(data.train_images)
    all_labels = tf.constant(data.train_labels)
    generator = tf.random.Generator.from_seed(seed)

    @tf.function(jit_compile=True)
    def rebatch(order):
        images = tf.reshape(tf.gather(all_images, order), (steps, batch_size, 28, 28))
        return images, tf.reshape(tf.gather(all_labels, order), (steps, batch_size))

    train_epoch = epoch_loop(train_step, steps, jit_compile=True)

    images, labels = rebatch(tf.range(steps * batch_size))

    def run():
        nonlocal images, labels
        if shuffle:
            order = tf.argsort(generator.uniform([len(data.train_images)]))[: steps * batch_size]
            images, labels = rebatch(order)
        float(train_epoch(images, labels))
        return steps * batch_size

    return Run(run, model=model)


# --- the student's lessons beside the reference's ----------------------------------------


def lesson05(data: Data, batch_size: int, tree: str) -> Run:
    """Lesson 05's ``train()`` from ``tree``, one epoch per round (``NotImplementedError`` on a stub).

    Args:
        data: the images to train on.
        batch_size: the batch size passed to ``train()``.
        tree: the tree lesson 05 comes from (``"lessons"``, ``"solutions"``, a path).

    Returns:
        The ready :class:`~kata.bench.base.Run`, already run once.

    Raises:
        NotImplementedError: lesson 05 is still the stub.
    """
    from kata.impl import load_module

    train = load_module(tree, 5).train
    model = tutorial_model()
    model.compile(optimizer="adam", loss=tutorial_loss(), metrics=["accuracy"])

    def run():
        train(model, data.train_images, data.train_labels, epochs=1, batch_size=batch_size)
        return len(data.train_images)

    run()  # a stub raises here, before any timing
    return Run(run, model=model)


def lesson11(data: Data, tree: str) -> Run:
    """Lesson 11's recipe from ``tree``: its ``compile_for_speed`` once, then its data set, one epoch per round.

    Args:
        data: the images to train on.
        tree: the tree lesson 11 comes from.

    Returns:
        The ready :class:`~kata.bench.base.Run`; its ``batch_size`` is the lesson's ``BATCH_SIZE``.
    """
    from kata.impl import load_module

    speed = load_module(tree, 11)
    model = speed.compile_for_speed(tutorial_model())

    def run():
        model.fit(speed.make_dataset(data.train_images, data.train_labels), epochs=1, verbose=0)
        return len(data.train_images)

    return Run(run, model=model, batch_size=int(speed.BATCH_SIZE))


# --- the registry ---------------------------------------------------------------------------

_SPE = STEPS_PER_EXECUTION
for _recipe in [
    Recipe("fit", "model.fit (tutorial)", "keras", lambda d, b, t: keras_fit(d, b)),
    Recipe("fit-jit", "fit, jit_compile", "keras", lambda d, b, t: keras_fit(d, b, jit_compile=True)),
    Recipe("fit-spe", f"fit, steps_per_execution={_SPE}", "keras",
           lambda d, b, t: keras_fit(d, b, steps_per_execution=_SPE)),
    Recipe("fit-jit-spe", f"fit, jit + spe={_SPE}", "keras",
           lambda d, b, t: keras_fit(d, b, jit_compile=True, steps_per_execution=_SPE)),
    Recipe("fit-jit-spe-data", f"fit, jit + spe={_SPE}, tf.data", "keras", lambda d, b, t: keras_fit_dataset(d, b)),
    Recipe("fit-jit-spe-batches", f"fit, jit + spe={_SPE}, batched tf.data", "keras",
           lambda d, b, t: fused.keras_fit_batches(d, b)),
    Recipe("tf-step", "tf.function step (XLA)", "tensorflow", lambda d, b, t: tf_step(d, b)),
    Recipe("tf-loop", "in-graph loop (XLA)", "tensorflow", lambda d, b, t: tf_loop(d, b)),
    Recipe("tf-loop-graph", "in-graph loop (oneDNN, fused Adam)", "tensorflow", lambda d, b, t: fused.tf_loop_graph(d, b)),
    Recipe("tf-loop-plain", "in-graph loop (XLA), plain TF", "tensorflow", lambda d, b, t: plain.tf_loop_plain(d, b)),
    Recipe("tf-loop-plain-1t", "in-graph loop (XLA), plain TF, 1 thread", "tensorflow",
           lambda d, b, t: threads.one_thread(plain.tf_loop_plain, d, b)),
    Recipe("tf-loop-graph-1t", "in-graph loop (oneDNN, fused Adam), 1 thread", "tensorflow",
           lambda d, b, t: threads.one_thread(fused.tf_loop_graph, d, b)),
    Recipe("lesson05", "lesson 05 train()", "lesson", lesson05, lesson=True, lesson_batch_size=32),
    Recipe("lesson11", "lesson 11 fast recipe", "lesson", lambda d, b, t: lesson11(d, t), lesson=True),
    Recipe("torch", "PyTorch eager, fused Adam", "torch", lambda d, b, t: peers.torch_eager(d, b), needs="torch"),
    Recipe("jax-step", "JAX jit step", "jax", lambda d, b, t: peers.jax_recipe(d, b, scan=False), needs="jax"),
    Recipe("jax-scan", "JAX lax.scan", "jax", lambda d, b, t: peers.jax_recipe(d, b, scan=True), needs="jax"),
]:
    register(_recipe)

TITLES = {name: recipe.title for name, recipe in RECIPES.items()}


def prepare(config, data: Data) -> Run:
    """The :class:`Run` of one configuration (a :class:`kata.bench.plan.Config`), built and ready to time.

    Args:
        config: the recipe, batch size and tree.
        data: the images to train on.

    Returns:
        The ready :class:`Run`.

    Raises:
        ValueError: the recipe is not registered.
    """
    recipe = RECIPES.get(config.recipe)
    if recipe is None:
        raise ValueError(f"unknown recipe {config.recipe!r}; the recipes are {', '.join(RECIPES)}")
    tree = "solutions" if config.tree == "solutions" else (os.environ.get("KATA_IMPL") or "lessons")
    return recipe.build(data, config.batch_size, tree)


def peer_module(config) -> str | None:
    """The framework a configuration needs (``torch``, ``jax``), or ``None``."""
    return RECIPES[config.recipe].needs
