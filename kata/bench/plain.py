"""The in-graph XLA loop in plain TensorFlow: the program JAX's ``lax.scan`` compiles, no more.

The tutorial's model, loss and Adam written with ``tf.Variable``,
``tf.GradientTape`` and ``tf.nn``: no Keras layer, loss or optimizer runs in
the step, so XLA compiles the arithmetic and none of Keras' bookkeeping (its
int64 step counter, casts, the loss' reduction bookkeeping).  The weights are
the Keras model's own variables, initialized as Keras initializes them, so the
model can be tested afterwards like every other recipe's.
"""

from __future__ import annotations

from kata.bench.base import LEARNING_RATE, Data, Run, pre_batched_run, tutorial_model
from kata.bench.fused import BETA_1, BETA_2, EPSILON


def adam_step(weights):
    """One training step: the tutorial's forward pass, its loss, and Keras' Adam, in plain TensorFlow.

    The update is Keras' Adam line by line (``m += (g − m)(1 − β₁)``,
    ``v += (g² − v)(1 − β₂)``, ``w −= m·α / (√v + ε)`` with
    ``α = lr·√(1 − β₂ᵗ) / (1 − β₁ᵗ)``); the loss is the mean sparse softmax
    cross-entropy of the logits, as ``SparseCategoricalCrossentropy(from_logits=True)``.

    Args:
        weights: the model's ``[kernel_1, bias_1, kernel_2, bias_2]`` as ``tf.Variable``.

    Returns:
        ``train_step(images, labels)``, returning the loss.

    Example:
        >>> model = tutorial_model()  # doctest: +SKIP
        >>> step = adam_step([w.value for w in model.trainable_variables])  # doctest: +SKIP
        >>> step(images, labels)  # a float32 scalar; the model's weights have moved  # doctest: +SKIP
    """
    import tensorflow as tf

    kernel_1, bias_1, kernel_2, bias_2 = weights
    moments = [tf.Variable(tf.zeros_like(w)) for w in weights]
    velocities = [tf.Variable(tf.zeros_like(w)) for w in weights]
    step_count = tf.Variable(0.0)

    def train_step(images, labels):
        with tf.GradientTape() as tape:
            flat = tf.reshape(images, (-1, 784))
            hidden = tf.nn.relu(tf.matmul(flat, kernel_1) + bias_1)
            logits = tf.matmul(hidden, kernel_2) + bias_2
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
        gradients = tape.gradient(loss, weights)
        step_count.assign_add(1.0)
        alpha = LEARNING_RATE * tf.sqrt(1.0 - tf.pow(BETA_2, step_count)) / (1.0 - tf.pow(BETA_1, step_count))
        for w, m, v, g in zip(weights, moments, velocities, gradients, strict=True):
            m.assign_add((g - m) * (1.0 - BETA_1))
            v.assign_add((tf.square(g) - v) * (1.0 - BETA_2))
            w.assign_sub(m * alpha / (tf.sqrt(v) + EPSILON))
        return loss

    return train_step


def tf_loop_plain(data: Data, batch_size: int) -> Run:
    """A whole epoch in one ``tf.function(jit_compile=True)``: :func:`adam_step` in a ``tf.range`` loop.

    The same loop as the ``tf-loop`` recipe (pre-batched tensors, the same
    order every epoch), around the plain TensorFlow step.

    Args:
        data: the images to train on.
        batch_size: images per step.

    Returns:
        The ready :class:`~kata.bench.base.Run` (its ``model`` holds the trained weights).
    """
    model = tutorial_model()
    train_step = adam_step([w.value for w in model.trainable_variables])
    return pre_batched_run(model, train_step, data, batch_size, jit_compile=True)
