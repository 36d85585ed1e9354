"""Training-step throughput of the tutorial's model: configurations, limit, rows, chart.

``kata bench`` runs the benchmarks in ``tests/benchmarks/`` (pytest-benchmark
underneath, so every run is saved in ``.benchmarks/`` and comparable) and
prints one row per configuration:

* **samples/s** — training images per second, steady state (the median round);
* **× default** — how many times the tutorial's own ``model.fit`` at batch 32;
* **% of limit** — against the compute limit of this machine: the best
  GFLOP/s of a large fp32 matmul (numpy or TensorFlow), divided by the
  FLOPs one training sample costs.

The FLOPs per sample follow the *6× rule*: a forward pass costs 2 FLOPs per
weight (a multiply and an add), the backward pass twice that, so
6 × 101,632 weights (784×128 + 128×10; biases are noise).  It overcounts
slightly: the first layer needs no gradient for its input, so its backward
pass is half as long.  So "% of limit" is a little pessimistic, never flattering.

The configurations (``recipe`` names, each at batch 32, 128 and 512):

``fit``           the tutorial: ``compile(optimizer="adam", ...)``, ``model.fit``
``fit-jit``       ``compile(..., jit_compile=True)``: XLA fuses each step
``fit-spe``       ``compile(..., steps_per_execution=64)``: 64 steps per call
``fit-jit-spe``   both
``fit-jit-spe-data`` both, and ``fit`` fed a ``tf.data`` pipeline (shuffled every
                  epoch as ``fit`` does, batched, prefetched) instead of arrays:
                  the best Keras does without a hand-written loop
``tf-step``       a hand-written ``tf.function(jit_compile=True)`` train step,
                  called from Python once per pre-batched tensor
``tf-loop``       the same step looped inside one compiled call (a whole epoch
                  in one ``tf.function(jit_compile=True)``: no Python per step)
``lesson05``      lesson 05's ``train()``, the student's (``--impl``) and the reference's
``lesson11``      lesson 11's fast recipe, the student's and the reference's
``torch``         PyTorch eager with fused Adam (when PyTorch is installed)
``jax-step``      JAX, a jitted step per batch (when JAX is installed)
``jax-scan``      JAX, ``lax.scan`` over all the steps of an epoch in one call

TensorFlow, PyTorch and JAX are imported only when a benchmark runs.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kata.impl import ROOT

WEIGHTS = 784 * 128 + 128 * 10  # 101,632 multiply-adds per image, forward
FLOPS_PER_SAMPLE = 6 * WEIGHTS  # forward (2×) + backward (4×): the 6× rule
BATCH_SIZES = (32, 128, 512)
QUICK_BATCH_SIZES = (32, 512)
STEPS_PER_EXECUTION = 64
TARGET_ACCURACY = 0.88
LEARNING_RATE = 0.001  # Keras' Adam default, as the tutorial uses it

STORAGE = ROOT / ".benchmarks"
DEFAULT_CHART = STORAGE / "throughput.png"

KERAS_RECIPES = ("fit", "fit-jit", "fit-spe", "fit-jit-spe", "fit-jit-spe-data")
TF_RECIPES = ("tf-step", "tf-loop")
LESSON_RECIPES = ("lesson05", "lesson11")
PEER_RECIPES = ("torch", "jax-step", "jax-scan")

TITLES = {
    "fit": "model.fit (tutorial)",
    "fit-jit": "fit, jit_compile",
    "fit-spe": f"fit, steps_per_execution={STEPS_PER_EXECUTION}",
    "fit-jit-spe": f"fit, jit + spe={STEPS_PER_EXECUTION}",
    "fit-jit-spe-data": f"fit, jit + spe={STEPS_PER_EXECUTION}, tf.data",
    "tf-step": "tf.function step (XLA)",
    "tf-loop": "in-graph loop (XLA)",
    "lesson05": "lesson 05 train()",
    "lesson11": "lesson 11 fast recipe",
    "torch": "PyTorch eager, fused Adam",
    "jax-step": "JAX jit step",
    "jax-scan": "JAX lax.scan",
}


# --- what runs -------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """How much each benchmark trains: images per timed round, rounds, epochs allowed."""

    samples_per_round: int
    rounds: int
    warmup_rounds: int
    batch_sizes: tuple[int, ...]
    max_epochs: int  # time to accuracy gives up after this many epochs


FULL = Plan(samples_per_round=60_000, rounds=3, warmup_rounds=1, batch_sizes=BATCH_SIZES, max_epochs=20)
QUICK = Plan(samples_per_round=15_360, rounds=2, warmup_rounds=1, batch_sizes=QUICK_BATCH_SIZES, max_epochs=12)


def plan(quick: bool) -> Plan:
    return QUICK if quick else FULL


@dataclass(frozen=True)
class Config:
    """One throughput benchmark: a recipe at a batch size (and, for lessons, a tree)."""

    recipe: str
    batch_size: int
    tree: str = ""  # for lesson rows: "solutions", or the --impl tree

    @property
    def family(self) -> str:
        if self.recipe in KERAS_RECIPES:
            return "keras"
        if self.recipe in TF_RECIPES:
            return "tensorflow"
        if self.recipe in LESSON_RECIPES:
            return "lesson"
        return self.recipe.split("-")[0]

    @property
    def name(self) -> str:
        title = TITLES[self.recipe]
        if self.recipe in LESSON_RECIPES:
            title += " (reference)" if self.tree == "solutions" else f" ({self.tree or 'yours'})"
        return title

    @property
    def id(self) -> str:
        suffix = ""
        if self.recipe in LESSON_RECIPES:
            suffix = "-reference" if self.tree == "solutions" else "-impl"
        return f"{self.recipe}{suffix}" + (f"-b{self.batch_size}" if self.batch_size else "")


def configurations(quick: bool = False, impl: str = "lessons") -> list[Config]:
    """Every throughput configuration of a run, in the order they are reported."""
    sizes = plan(quick).batch_sizes
    configs = [Config(r, b) for r in KERAS_RECIPES + TF_RECIPES for b in sizes]
    impl_name = "yours" if impl in ("lessons", "", None) else str(impl)
    for recipe in LESSON_RECIPES:
        batch = 32 if recipe == "lesson05" else 0  # 0: the batch size the lesson chooses
        if impl_name != "solutions":
            configs.append(Config(recipe, batch, tree=impl_name))
        configs.append(Config(recipe, batch, tree="solutions"))
    configs += [Config(r, b) for r in PEER_RECIPES for b in sizes]
    return configs


TIME_TO_ACCURACY = ("fit", "tf-loop")  # the tutorial's default and the fastest recipe, batch 32


# --- the data ------------------------------------------------------------------------


@dataclass
class Data:
    """Fashion-MNIST scaled to [0, 1] as float32, the labels as int32."""

    train_images: object
    train_labels: object
    test_images: object
    test_labels: object


def load(n_train: int | None = None) -> Data:
    import numpy as np

    from kata import data

    (train_images, train_labels), (test_images, test_labels) = data.cached_load_data()
    n_train = n_train or len(train_images)
    return Data(
        train_images=(train_images[:n_train] / np.float32(255.0)).astype("float32"),
        train_labels=train_labels[:n_train].astype("int32"),
        test_images=(test_images / np.float32(255.0)).astype("float32"),
        test_labels=test_labels.astype("int32"),
    )


# --- the recipes: each returns run(), which trains once over the data and returns the images it used


def build_model():
    """The tutorial's model, from the reference lesson 03."""
    from kata.impl import load_module

    return load_module("solutions", 3).build_model()


def tutorial_loss():
    import keras

    return keras.losses.SparseCategoricalCrossentropy(from_logits=True)


def compiled_model(jit_compile: bool = False, steps_per_execution: int = 1):
    """The tutorial's model and ``compile``, with XLA and/or several steps per call."""
    model = build_model()
    model.compile(
        optimizer="adam",
        loss=tutorial_loss(),
        metrics=["accuracy"],
        jit_compile=jit_compile,
        steps_per_execution=steps_per_execution,
    )
    return model


def keras_fit(data: Data, batch_size: int, jit_compile: bool = False, steps_per_execution: int = 1):
    """The tutorial's ``compile`` + ``fit``, with XLA and/or several steps per call."""
    model = compiled_model(jit_compile, steps_per_execution)

    def run():
        model.fit(data.train_images, data.train_labels, batch_size=batch_size, epochs=1, verbose=0)
        return len(data.train_images)

    run.model = model
    return run


def keras_fit_dataset(data: Data, batch_size: int):
    """``fit`` with XLA and many steps per call, fed by ``tf.data`` instead of NumPy arrays.

    The pipeline shuffles every sample every epoch, as ``fit`` does with arrays,
    so the comparison is fair; what it saves is ``fit``'s own per-epoch array
    handling and the host-to-graph copy of each batch.
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

    run.model = model
    return run


def make_train_step(model, optimizer):
    """One Adam step on one batch, as a plain function (traced by the callers)."""
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


def batched(data: Data, batch_size: int):
    """The training images as whole batches: shapes (steps, batch, 28, 28) and (steps, batch)."""
    steps = len(data.train_images) // batch_size
    n = steps * batch_size
    images = data.train_images[:n].reshape(steps, batch_size, 28, 28)
    labels = data.train_labels[:n].reshape(steps, batch_size)
    return images, labels


def tf_step(data: Data, batch_size: int):
    """A hand-written ``tf.function(jit_compile=True)`` step, called once per batch from Python."""
    import keras
    import tensorflow as tf

    model = build_model()
    optimizer = keras.optimizers.Adam(learning_rate=LEARNING_RATE)
    optimizer.build(model.trainable_variables)
    step = tf.function(make_train_step(model, optimizer), jit_compile=True)
    images, labels = batched(data, batch_size)
    batches = [(tf.constant(x), tf.constant(y)) for x, y in zip(images, labels, strict=True)]

    def run():
        for x, y in batches:
            loss = step(x, y)
        float(loss)  # the loss of the last step: every step has finished
        return len(batches) * batch_size

    run.model = model
    return run


def tf_loop(data: Data, batch_size: int, shuffle: bool = False, seed: int = 0):
    """The same step, looped over a whole epoch inside ONE compiled call.

    ``for i in tf.range(steps)`` inside ``tf.function(jit_compile=True)``
    becomes a ``tf.while_loop`` that XLA compiles together with the step:
    Python runs once per epoch instead of once per batch.  The images are
    pre-batched tensors; with ``shuffle=True`` (time to accuracy) they are
    shuffled and batched again before every epoch, as ``fit`` shuffles.
    """
    import keras
    import tensorflow as tf

    model = build_model()
    optimizer = keras.optimizers.Adam(learning_rate=LEARNING_RATE)
    optimizer.build(model.trainable_variables)
    train_step = make_train_step(model, optimizer)
    steps = len(data.train_images) // batch_size
    all_images = tf.constant(data.train_images)
    all_labels = tf.constant(data.train_labels)
    generator = tf.random.Generator.from_seed(seed)

    @tf.function(jit_compile=True)
    def rebatch(order):
        images = tf.reshape(tf.gather(all_images, order), (steps, batch_size, 28, 28))
        return images, tf.reshape(tf.gather(all_labels, order), (steps, batch_size))

    @tf.function(jit_compile=True)
    def train_epoch(images, labels):
        loss = tf.constant(0.0)
        for i in tf.range(steps):
            loss = train_step(images[i], labels[i])
        return loss

    images, labels = rebatch(tf.range(steps * batch_size))

    def run():
        nonlocal images, labels
        if shuffle:
            order = tf.argsort(generator.uniform([len(data.train_images)]))[: steps * batch_size]
            images, labels = rebatch(order)
        float(train_epoch(images, labels))
        return steps * batch_size

    run.model = model
    return run


def lesson05(data: Data, batch_size: int, tree: str):
    """Lesson 05's ``train()`` from ``tree``, one epoch per round (``NotImplementedError`` on a stub)."""
    from kata.impl import load_module

    train = load_module(tree, 5).train
    model = build_model()
    model.compile(optimizer="adam", loss=tutorial_loss(), metrics=["accuracy"])

    def run():
        train(model, data.train_images, data.train_labels, epochs=1, batch_size=batch_size)
        return len(data.train_images)

    run()  # a stub raises here, before any timing
    run.model = model
    return run


def lesson11(data: Data, tree: str):
    """Lesson 11's recipe from ``tree``: its ``compile_for_speed`` once, then its data set, one epoch per round."""
    from kata.impl import load_module

    speed = load_module(tree, 11)
    model = speed.compile_for_speed(build_model())
    batch_size = int(speed.BATCH_SIZE)

    def run():
        model.fit(speed.make_dataset(data.train_images, data.train_labels), epochs=1, verbose=0)
        return len(data.train_images)

    run.model = model
    run.batch_size = batch_size
    return run


def torch_eager(data: Data, batch_size: int):
    """PyTorch: the same layers and Adam (fused), an eager loop over pre-batched tensors."""
    import torch

    torch.manual_seed(0)
    # One thread: with two, PyTorch's spinning worker threads collapsed (about 10× slower)
    # whenever other processes shared the two cores; see docs/benchmarks.md.
    torch.set_num_threads(1)
    model = torch.nn.Sequential(
        torch.nn.Flatten(),
        torch.nn.Linear(784, 128),
        torch.nn.ReLU(),
        torch.nn.Linear(128, 10),
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE, fused=True)
    loss_fn = torch.nn.CrossEntropyLoss()
    images, labels = batched(data, batch_size)
    images = torch.from_numpy(images)
    labels = torch.from_numpy(labels.astype("int64"))

    def run():
        for x, y in zip(images, labels, strict=True):
            optimizer.zero_grad(set_to_none=True)
            loss_fn(model(x), y).backward()
            optimizer.step()
        return len(images) * batch_size

    return run


def jax_recipe(data: Data, batch_size: int, scan: bool):
    """JAX: the same model and Adam written out; a jitted step per batch, or ``lax.scan`` over them all."""
    import jax
    import jax.numpy as jnp
    import numpy as np

    def glorot(key, fan_in, fan_out):
        limit = math.sqrt(6.0 / (fan_in + fan_out))
        return jax.random.uniform(key, (fan_in, fan_out), jnp.float32, -limit, limit)

    k1, k2 = jax.random.split(jax.random.PRNGKey(0))
    params = {
        "w1": glorot(k1, 784, 128), "b1": jnp.zeros(128),
        "w2": glorot(k2, 128, 10), "b2": jnp.zeros(10),
    }
    zeros = jax.tree_util.tree_map(jnp.zeros_like, params)
    state = (params, zeros, zeros, jnp.zeros((), jnp.int32))

    def loss_fn(params, x, y):
        hidden = jax.nn.relu(x.reshape(x.shape[0], -1) @ params["w1"] + params["b1"])
        logits = hidden @ params["w2"] + params["b2"]
        picked = jnp.take_along_axis(logits, y[:, None], axis=1)[:, 0]
        return jnp.mean(jax.nn.logsumexp(logits, axis=1) - picked)

    def step(state, batch):
        params, m, v, t = state
        grads = jax.grad(loss_fn)(params, *batch)
        t = t + 1
        b1, b2, eps = 0.9, 0.999, 1e-7
        m = jax.tree_util.tree_map(lambda m, g: b1 * m + (1 - b1) * g, m, grads)
        v = jax.tree_util.tree_map(lambda v, g: b2 * v + (1 - b2) * g * g, v, grads)
        lr = LEARNING_RATE * jnp.sqrt(1 - b2**t) / (1 - b1**t)
        params = jax.tree_util.tree_map(lambda p, m, v: p - lr * m / (jnp.sqrt(v) + eps), params, m, v)
        return (params, m, v, t), None

    images, labels = batched(data, batch_size)
    images, labels = jnp.asarray(images), jnp.asarray(labels)
    holder = {"state": state}
    if scan:
        epoch = jax.jit(lambda state, xs, ys: jax.lax.scan(step, state, (xs, ys))[0])

        def run():
            holder["state"] = jax.block_until_ready(epoch(holder["state"], images, labels))
            return int(np.prod(labels.shape))
    else:
        one = jax.jit(lambda state, x, y: step(state, (x, y))[0])
        batches = list(zip(images, labels, strict=True))

        def run():
            state = holder["state"]
            for x, y in batches:
                state = one(state, x, y)
            holder["state"] = jax.block_until_ready(state)
            return len(batches) * batch_size

    return run


def prepare(config: Config, data: Data) -> Callable[[], int]:
    """The ``run()`` of one configuration, built and ready to time."""
    recipe, batch = config.recipe, config.batch_size
    if recipe == "fit":
        return keras_fit(data, batch)
    if recipe == "fit-jit":
        return keras_fit(data, batch, jit_compile=True)
    if recipe == "fit-spe":
        return keras_fit(data, batch, steps_per_execution=STEPS_PER_EXECUTION)
    if recipe == "fit-jit-spe":
        return keras_fit(data, batch, jit_compile=True, steps_per_execution=STEPS_PER_EXECUTION)
    if recipe == "fit-jit-spe-data":
        return keras_fit_dataset(data, batch)
    if recipe == "tf-step":
        return tf_step(data, batch)
    if recipe == "tf-loop":
        return tf_loop(data, batch)
    tree = "solutions" if config.tree == "solutions" else (os.environ.get("KATA_IMPL") or "lessons")
    if recipe == "lesson05":
        return lesson05(data, batch, tree)
    if recipe == "lesson11":
        return lesson11(data, tree)
    if recipe == "torch":
        return torch_eager(data, batch)
    if recipe in ("jax-step", "jax-scan"):
        return jax_recipe(data, batch, scan=recipe == "jax-scan")
    raise ValueError(f"unknown recipe {recipe!r}")


def peer_module(config: Config) -> str | None:
    """The framework a peer configuration needs (``torch``, ``jax``), or None."""
    return {"torch": "torch", "jax": "jax"}.get(config.family)


# --- the machine's limit -------------------------------------------------------------------


MATMUL_SIZE = 2048


def matmul(library: str, n: int = MATMUL_SIZE) -> Callable[[], float]:
    """One fp32 n×n matmul in numpy or TensorFlow, ready to time; returns its FLOPs (2n³)."""
    import numpy as np

    rng = np.random.default_rng(0)
    a = rng.random((n, n), dtype="float32")
    b = rng.random((n, n), dtype="float32")
    if library == "numpy":

        def run():
            a @ b
            return 2.0 * n**3

        return run
    import tensorflow as tf

    ta, tb = tf.constant(a), tf.constant(b)
    product = tf.function(tf.linalg.matmul)

    def run():
        product(ta, tb).numpy()
        return 2.0 * n**3

    return run


# --- time to accuracy ---------------------------------------------------------------------


def test_accuracy(model, data: Data) -> float:
    import numpy as np

    logits = np.asarray(model(data.test_images, training=False))
    return float(np.mean(np.argmax(logits, axis=1) == data.test_labels))


def time_to_accuracy(recipe: str, data: Data, target: float = TARGET_ACCURACY, max_epochs: int = 20, batch_size: int = 32) -> dict:
    """Train epoch by epoch until test accuracy reaches ``target``; time training only.

    Returns seconds of training (testing excluded), epochs, the accuracy
    after each epoch, and whether ``target`` was reached.
    """
    if recipe == "fit":
        run = keras_fit(data, batch_size)
    elif recipe == "tf-loop":
        run = tf_loop(data, batch_size, shuffle=True)
    else:
        raise ValueError(f"no time-to-accuracy recipe {recipe!r}")
    seconds, accuracies, samples = 0.0, [], 0
    for _ in range(max_epochs):
        start = time.perf_counter()
        samples += run()
        seconds += time.perf_counter() - start
        accuracies.append(test_accuracy(run.model, data))
        if accuracies[-1] >= target:
            break
    return {
        "seconds": seconds,
        "epochs": len(accuracies),
        "accuracies": accuracies,
        "test_accuracy": accuracies[-1],
        "reached": accuracies[-1] >= target,
        "samples": samples,
    }


# --- rows: from pytest-benchmark's records to what we report -----------------------------------


@dataclass
class Row:
    name: str
    kind: str  # "throughput", "time_to_accuracy" or "roofline"
    recipe: str
    family: str
    batch_size: int | None
    samples_per_s: float | None
    x_default: float | None = None
    pct_roofline: float | None = None
    samples_per_s_best: float | None = None
    seconds_per_round: float | None = None
    rounds: int | None = None
    id: str = ""
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        data = {k: v for k, v in self.__dict__.items() if k != "extra"}
        data.update(self.extra)
        return data


def rows_from_benchmarks(benchmarks: list[dict]) -> list[Row]:
    """Rows from pytest-benchmark records (``{"extra_info": ..., "stats": ...}``, as it saves them).

    Each record's ``extra_info`` says what it measured (``kind``, ``recipe``,
    ``batch_size``, ``samples_per_round`` or, for the roofline,
    ``flops_per_round``); ``stats`` has the seconds per round.  The limit
    comes from the best roofline record, "× default" from the ``fit`` record
    at batch 32.  A record without what a column needs leaves it ``None``.
    """
    limit = None
    gflops = [
        b["extra_info"]["flops_per_round"] / b["stats"]["min"] / 1e9
        for b in benchmarks
        if b.get("extra_info", {}).get("kind") == "roofline" and b["stats"].get("min")
    ]
    if gflops:
        limit = max(gflops) * 1e9 / FLOPS_PER_SAMPLE
    rows = []
    for record in benchmarks:
        info, stats = record.get("extra_info", {}), record.get("stats", {})
        kind = info.get("kind")
        if kind == "throughput":
            median = stats.get("median")
            samples = info["samples_per_round"]
            rows.append(
                Row(
                    name=info["name"], kind=kind, recipe=info["recipe"], family=info.get("family", ""),
                    batch_size=info["batch_size"], id=info.get("id", ""),
                    samples_per_s=samples / median if median else None,
                    samples_per_s_best=samples / stats["min"] if stats.get("min") else None,
                    seconds_per_round=median, rounds=stats.get("rounds"),
                )
            )
        elif kind == "time_to_accuracy":
            seconds = info["seconds"]
            rows.append(
                Row(
                    name=info["name"], kind=kind, recipe=info["recipe"], family=info.get("family", ""),
                    batch_size=info["batch_size"], id=info.get("id", ""),
                    samples_per_s=info["samples"] / seconds if seconds else None,
                    extra={
                        "seconds_to_target": seconds if info["reached"] else None,
                        "seconds_trained": seconds,
                        "target_accuracy": info.get("target", TARGET_ACCURACY),
                        "epochs": info["epochs"],
                        "test_accuracy": info["test_accuracy"],
                        "reached": info["reached"],
                    },
                )
            )
        elif kind == "roofline":
            best = stats.get("min")
            g = info["flops_per_round"] / best / 1e9 if best else None
            rows.append(
                Row(
                    name=info["name"], kind=kind, recipe=info["recipe"], family=info.get("family", ""),
                    batch_size=None, id=info.get("id", ""),
                    samples_per_s=g * 1e9 / FLOPS_PER_SAMPLE if g else None,
                    extra={"gflops": g, "matmul_size": info.get("matmul_size")},
                )
            )
    default = next(
        (r.samples_per_s for r in rows if r.kind == "throughput" and r.recipe == "fit" and r.batch_size == 32),
        None,
    )
    default_tta = next(
        (r.extra["seconds_to_target"] for r in rows if r.kind == "time_to_accuracy" and r.recipe == "fit"),
        None,
    )
    for row in rows:
        if row.samples_per_s is not None:
            if default and row.kind != "roofline":
                row.x_default = row.samples_per_s / default
            if limit:
                row.pct_roofline = 100.0 * row.samples_per_s / limit
        if row.kind == "time_to_accuracy":
            mine = row.extra["seconds_to_target"]
            row.extra["fraction_of_default_time"] = mine / default_tta if mine and default_tta else None
    return rows


def limit_samples_per_s(rows: list[Row]) -> float | None:
    values = [r.samples_per_s for r in rows if r.kind == "roofline" and r.samples_per_s]
    return max(values) if values else None


def write_json(rows: list[Row], path: str | os.PathLike) -> Path:
    """``--json FILE``: the rows as a JSON list, one object per row."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([row.as_dict() for row in rows], indent=2) + "\n", encoding="utf-8")
    return path


def read_json(path: str | os.PathLike) -> list[dict]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


# --- the goals of issue 5: measured and reported, never asserted ------------------------------


def goals(rows: list[Row]) -> list[tuple[str, str, bool | None]]:
    """(goal, what this run measured, met?) for the benchmark goals; None when not measured."""
    through = [r for r in rows if r.kind == "throughput" and r.samples_per_s]

    def best(pred):
        found = [r for r in through if pred(r)]
        return max(found, key=lambda r: r.samples_per_s) if found else None

    results = []
    tf32 = best(lambda r: r.family in ("keras", "tensorflow") and r.batch_size == 32)
    if tf32 and tf32.x_default:
        results.append(("fastest TensorFlow recipe at batch 32 ≥ 6× default", f"{tf32.name}: {tf32.x_default:.1f}×", tf32.x_default >= 6))
    keras32 = best(lambda r: r.family == "keras" and r.batch_size == 32)
    if keras32 and keras32.x_default:
        results.append(("best Keras-only recipe at batch 32 ≥ 3× default", f"{keras32.name}: {keras32.x_default:.1f}×", keras32.x_default >= 3))
    tf512 = best(lambda r: r.family in ("keras", "tensorflow") and r.batch_size == 512)
    if tf512 and tf512.pct_roofline:
        results.append(("fastest TensorFlow recipe at batch 512 ≥ 80 % of limit", f"{tf512.name}: {tf512.pct_roofline:.0f} %", tf512.pct_roofline >= 80))
    tta = [r for r in rows if r.kind == "time_to_accuracy"]
    fast = [r for r in tta if r.recipe != "fit" and r.extra.get("fraction_of_default_time")]
    if fast:
        r = min(fast, key=lambda r: r.extra["fraction_of_default_time"])
        frac = r.extra["fraction_of_default_time"]
        results.append((f"time to {TARGET_ACCURACY} ≤ 1/4 of default's", f"{r.name}: {frac:.2f} of default", frac <= 0.25))
    return results


# --- output: table, chart, comparison -----------------------------------------------------------


def _fmt(value, spec: str) -> str:
    return "–" if value is None else format(value, spec)


def table(rows: list[Row], title: str = "Training throughput, tutorial model, Fashion-MNIST"):
    """A rich table of the rows."""
    from rich.table import Table

    out = Table(title=title)
    for column, justify in [("configuration", "left"), ("batch", "right"), ("samples/s", "right"),
                            ("× default", "right"), ("% of limit", "right"), ("note", "left")]:
        out.add_column(column, justify=justify)
    for row in rows:
        note = ""
        if row.kind == "roofline":
            note = f"{row.extra['gflops']:.0f} GFLOP/s → limit" if row.extra.get("gflops") else ""
        elif row.kind == "time_to_accuracy":
            e = row.extra
            target = e.get("target_accuracy", TARGET_ACCURACY)
            if e["reached"]:
                note = f"{e['seconds_to_target']:.1f} s to {target} ({e['epochs']} epochs)"
                if e.get("fraction_of_default_time"):
                    note += f", {e['fraction_of_default_time']:.2f} of default's time"
            else:
                note = f"not {target} after {e['epochs']} epochs ({e['test_accuracy']:.3f})"
        out.add_row(row.name, _fmt(row.batch_size, "d"), _fmt(row.samples_per_s, ",.0f"),
                    _fmt(row.x_default, ".2f"), _fmt(row.pct_roofline, ".1f"), note)
    return out


def markdown(rows: list[Row]) -> str:
    """The rows as a Markdown table (for docs/benchmarks.md)."""
    lines = ["| configuration | batch | samples/s | × default | % of limit | note |", "| --- | ---: | ---: | ---: | ---: | --- |"]
    for row in rows:
        note = ""
        if row.kind == "roofline" and row.extra.get("gflops"):
            note = f"{row.extra['gflops']:.0f} GFLOP/s"
        elif row.kind == "time_to_accuracy":
            e = row.extra
            note = (f"{e['seconds_to_target']:.1f} s of training to {e.get('target_accuracy', TARGET_ACCURACY)} "
                    f"({e['epochs']} epochs, test accuracy {e['test_accuracy']:.3f})" if e["reached"]
                    else f"not reached in {e['epochs']} epochs ({e['test_accuracy']:.3f})")
        lines.append(f"| {row.name} | {_fmt(row.batch_size, 'd')} | {_fmt(row.samples_per_s, ',.0f')} | "
                     f"{_fmt(row.x_default, '.2f')} | {_fmt(row.pct_roofline, '.1f')} | {note} |")
    return "\n".join(lines) + "\n"


def goals_table(rows: list[Row]):
    from rich.table import Table

    out = Table(title="Goals (issue 5), this run")
    out.add_column("goal")
    out.add_column("measured")
    out.add_column("met")
    for goal, measured, met in goals(rows):
        out.add_row(goal, measured, "yes" if met else "no")
    return out


def chart(rows: list[Row], path: str | os.PathLike, title: str = "") -> Path:
    """A PNG bar chart of samples/s per configuration, with the limit as a line."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    through = [r for r in rows if r.kind == "throughput" and r.samples_per_s]
    limit = limit_samples_per_s(rows)
    colours = {"keras": "tab:orange", "tensorflow": "tab:red", "lesson": "tab:green", "torch": "tab:purple", "jax": "tab:blue"}
    fig, ax = plt.subplots(figsize=(9, 0.32 * len(through) + 1.6), layout="constrained")
    labels = [f"{r.name} · b{r.batch_size}" for r in through]
    values = [r.samples_per_s for r in through]
    y = list(range(len(through)))[::-1]
    ax.barh(y, values, color=[colours.get(r.family, "tab:gray") for r in through])
    ax.set_yticks(y, labels, fontsize=8)
    for yi, row in zip(y, through, strict=True):
        text = f" {row.samples_per_s:,.0f}" + (f" ({row.x_default:.1f}×)" if row.x_default else "")
        ax.text(row.samples_per_s, yi, text, va="center", fontsize=7)
    if limit:
        ax.axvline(limit, color="black", linestyle="--", linewidth=1)
        ax.text(limit, len(through) - 0.4, f" limit {limit:,.0f}", fontsize=8, va="bottom")
    from matplotlib.patches import Patch

    shown = dict.fromkeys(r.family for r in through)
    ax.legend(handles=[Patch(color=colours.get(f, "tab:gray"), label=f) for f in shown], loc="center right", fontsize=8)
    ax.set_xlabel("training samples per second (higher is better)")
    ax.set_title(title or "Tutorial model on Fashion-MNIST: training throughput", fontsize=10)
    ax.set_xlim(0, max(values + ([limit] if limit else [])) * 1.25 if values else 1)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def saved_runs(storage: Path = STORAGE) -> list[Path]:
    """pytest-benchmark's saved runs in ``storage``, oldest first (every machine's folder)."""
    runs = [p for p in Path(storage).glob("*/[0-9][0-9][0-9][0-9]_*.json")]
    return sorted(runs, key=lambda p: (p.stat().st_mtime, p.name))


def rows_from_saved_run(path: Path) -> list[Row]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return rows_from_benchmarks(data.get("benchmarks", []))


def comparison(rows: list[Row], earlier: list[tuple[str, list[Row]]]):
    """A rich table: samples/s now beside earlier saved runs (same configuration id)."""
    from rich.table import Table

    out = Table(title="samples/s, this run against earlier saved runs")
    out.add_column("configuration")
    out.add_column("batch", justify="right")
    out.add_column("now", justify="right")
    for label, _ in earlier:
        out.add_column(label, justify="right")
    for row in rows:
        if row.kind != "throughput":
            continue
        cells = []
        for _, old_rows in earlier:
            old = next((o for o in old_rows if o.id == row.id and o.kind == "throughput"), None)
            if old and old.samples_per_s and row.samples_per_s:
                cells.append(f"{old.samples_per_s:,.0f} ({row.samples_per_s / old.samples_per_s:.2f}×)")
            else:
                cells.append("–")
        out.add_row(row.name, _fmt(row.batch_size, "d"), _fmt(row.samples_per_s, ",.0f"), *cells)
    return out


# --- kata bench -----------------------------------------------------------------------------------


class ProgressPlugin:
    """A pytest plugin showing one rich progress line while the benchmarks run."""

    def __init__(self, progress):
        self.progress = progress
        self.task = None
        self.skipped: list[str] = []  # why a benchmark did not run ("... not written yet")
        self.failed: list[str] = []

    def pytest_runtest_logreport(self, report):
        if report.skipped and isinstance(report.longrepr, tuple):
            self.skipped.append(f"{report.nodeid.split('::')[-1]}: {report.longrepr[2].removeprefix('Skipped: ')}")
        elif report.failed:
            self.failed.append(f"{report.nodeid.split('::')[-1]}: {report.longreprtext.strip().splitlines()[-1]}")

    def pytest_collection_modifyitems(self, session, config, items):
        self.task = self.progress.add_task("benchmarks", total=len(items))

    def pytest_runtest_logstart(self, nodeid, location):
        if self.task is not None:
            self.progress.update(self.task, description=nodeid.split("::")[-1])

    def pytest_runtest_logfinish(self, nodeid, location):
        if self.task is not None:
            self.progress.advance(self.task)


def pytest_args(args, json_path: Path) -> list[str]:
    """The pytest command line ``kata bench`` runs (the same suite as ``tox -e bench``)."""
    argv = [
        str(ROOT / "tests" / "benchmarks"),
        f"--rootdir={ROOT}",
        "-c", str(ROOT / "pyproject.toml"),
        "--benchmark-only",
        "--benchmark-autosave",
        f"--benchmark-storage=file://{STORAGE}",
        "--benchmark-quiet",
        "-p", "no:cacheprovider",
        "-p", "no:terminal",
        f"--impl={getattr(args, 'impl', None) or 'lessons'}",
        f"--bench-json={json_path}",
        f"--bench-chart={getattr(args, 'chart', None) or DEFAULT_CHART}",
    ]
    if getattr(args, "quick", False):
        argv.append("--bench-quick")
    return argv


def main(args) -> int:
    """``kata bench [--quick] [--json FILE] [--compare] [--impl TREE]``."""
    import tempfile

    import pytest
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console()
    if not console.is_terminal:
        console = Console(width=140)
    earlier = saved_runs() if args.compare else []
    with tempfile.TemporaryDirectory() as tmp:
        json_path = Path(args.json) if args.json else Path(tmp) / "rows.json"
        progress = Progress(
            TextColumn("[bold]kata bench[/]"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(), TextColumn("{task.description}"), console=console, transient=True,
        )
        plugin = ProgressPlugin(progress)
        with progress:
            code = pytest.main(pytest_args(args, json_path), plugins=[plugin])
        for line in plugin.skipped:
            console.print(f"[yellow]skipped[/] {escape(line)}", highlight=False)
        for line in plugin.failed:
            console.print(f"[red]failed[/] {escape(line)}", highlight=False)
        if not json_path.exists():
            console.print(f"[red]The benchmarks wrote no results (pytest exit code {int(code)}).[/]")
            return int(code) or 1
        rows = rows_from_dicts(read_json(json_path))
    console.print(table(rows))
    console.print(goals_table(rows))
    if args.compare:
        if earlier:
            chosen = earlier[-3:]
            console.print(comparison(rows, [(p.name[:4] + " " + _when(p), rows_from_saved_run(p)) for p in chosen]))
        else:
            console.print("No earlier run saved in .benchmarks/ yet: this one is the first to compare against.")
    console.print(f"Chart: {getattr(args, 'chart', None) or DEFAULT_CHART} · saved run: {STORAGE}/ (pytest-benchmark)"
                  + (f" · rows: {args.json}" if args.json else ""))
    return 0 if int(code) in (0, 5) else int(code)


def _when(path: Path) -> str:
    parts = path.stem.split("_")
    return parts[2] + " " + parts[3][:4] if len(parts) > 3 else path.stem


def rows_from_dicts(dicts: list[dict]) -> list[Row]:
    """Rows back from ``--json``'s list (the inverse of :meth:`Row.as_dict`)."""
    names = set(Row.__dataclass_fields__) - {"extra"}
    return [Row(**{k: v for k, v in d.items() if k in names}, extra={k: v for k, v in d.items() if k not in names}) for d in dicts]
