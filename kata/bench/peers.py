"""The same model and Adam in PyTorch and JAX, when they are installed (``pip install -e '.[bench-peers]'``)."""

from __future__ import annotations

import math

from kata.bench.base import LEARNING_RATE, Data, Run, batched


def torch_eager(data: Data, batch_size: int):
    """PyTorch: the same layers and Adam (fused), an eager loop over pre-batched tensors.

    Args:
        data: the images to train on.
        batch_size: images per step.

    Returns:
        The ready :class:`~kata.bench.base.Run`.
    """
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

    return Run(run)


def jax_recipe(data: Data, batch_size: int, scan: bool):
    """JAX: the same model and Adam written out; a jitted step per batch, or ``lax.scan`` over them all.

    Args:
        data: the images to train on.
        batch_size: images per step.
        scan: one ``lax.scan`` call per epoch instead of one jitted call per batch.

    Returns:
        The ready :class:`~kata.bench.base.Run`.
    """
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

    return Run(run)
