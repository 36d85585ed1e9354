"""The recipes of issue 17: fewer, bigger operations per step, with the same model, data, Adam and loss.

* :func:`batch_dataset`: a ``tf.data`` pipeline that shuffles the *indices*
  and gathers whole batches (one ``tf.gather`` per batch), instead of
  shuffling and batching 60,000 single images every epoch.
* :func:`keras_fit_batches`: the tutorial's ``compile`` + ``fit`` with XLA and
  64 steps per call, fed by :func:`batch_dataset`: Keras only, no hand-written loop.
* :func:`fused_adam_step` and :func:`tf_loop_graph`: a whole epoch in one
  ``tf.function`` *without* XLA (TensorFlow's graph executor and its oneDNN
  kernels), with Adam as TensorFlow's fused ``ResourceApplyAdam`` kernel, one
  operation per weight instead of a dozen.
"""

from __future__ import annotations

from kata.bench.base import (
    LEARNING_RATE,
    STEPS_PER_EXECUTION,
    Data,
    Run,
    pre_batched_run,
    tutorial_loss,
    tutorial_model,
)

BETA_1, BETA_2, EPSILON = 0.9, 0.999, 1e-7  # Keras' Adam defaults, as the tutorial's "adam"


def batch_dataset(images, labels, batch_size: int, seed: int | None = None):
    """A ``tf.data`` pipeline of whole batches, reshuffled every epoch, gathered from tensors in memory.

    The same batches as ``Dataset.from_tensor_slices(...).shuffle(n).batch(b)``
    (every image once per epoch, in a new random order each epoch), but the
    pipeline handles one small index vector per batch instead of every image
    on its own: ``range(n) → shuffle → batch → gather``.

    Args:
        images: the training images, shape ``(n, 28, 28)``.
        labels: their labels, shape ``(n,)``.
        batch_size: images per batch.
        seed: the shuffling's seed (``None``: a new one each run).

    Returns:
        A ``tf.data.Dataset`` of ``(images, labels)`` batches.

    Example:
        >>> ds = batch_dataset(data.train_images, data.train_labels, 32)  # doctest: +SKIP
        >>> model.fit(ds, epochs=10)  # doctest: +SKIP
    """
    import tensorflow as tf

    images, labels = tf.constant(images), tf.constant(labels)
    n = int(images.shape[0])
    return (
        tf.data.Dataset.range(n)
        .shuffle(n, seed=seed, reshuffle_each_iteration=True)
        .batch(batch_size)
        .map(lambda index: (tf.gather(images, index), tf.gather(labels, index)))
        .prefetch(tf.data.AUTOTUNE)
    )


def keras_fit_batches(data: Data, batch_size: int) -> Run:
    """``compile(jit_compile=True, steps_per_execution=64)`` and ``fit`` on :func:`batch_dataset`.

    Args:
        data: the images to train on.
        batch_size: images per step.

    Returns:
        The ready :class:`~kata.bench.base.Run`.
    """
    model = tutorial_model()
    model.compile(optimizer="adam", loss=tutorial_loss(), metrics=["accuracy"],
                  jit_compile=True, steps_per_execution=STEPS_PER_EXECUTION)
    dataset = batch_dataset(data.train_images, data.train_labels, batch_size)

    def run():
        model.fit(dataset, epochs=1, verbose=0)
        return len(data.train_images)

    return Run(run, model=model)


def fused_adam_step(model):
    """A train step whose Adam update is TensorFlow's fused ``ResourceApplyAdam``: one kernel per weight.

    The update is Keras' Adam exactly (``lr·√(1−β₂ᵗ)/(1−β₁ᵗ)·m/(√v+ε)``,
    ε = 1e-7), written by TensorFlow as a single operation per variable
    instead of the dozen small ones Keras' ``update_step`` builds.

    Args:
        model: the Keras model to train.

    Returns:
        ``train_step(images, labels)``, returning the loss.
    """
    import tensorflow as tf

    loss_fn = tutorial_loss()
    weights = model.trainable_variables
    handles = [w.value.handle for w in weights]
    moments = [tf.Variable(tf.zeros(w.shape)) for w in weights]
    velocities = [tf.Variable(tf.zeros(w.shape)) for w in weights]
    step_count = tf.Variable(0.0)

    def train_step(images, labels):
        with tf.GradientTape() as tape:
            loss = loss_fn(labels, model(images, training=True))
        gradients = tape.gradient(loss, weights)
        step_count.assign_add(1.0)
        beta_1_power, beta_2_power = tf.pow(BETA_1, step_count), tf.pow(BETA_2, step_count)
        for handle, m, v, g in zip(handles, moments, velocities, gradients, strict=True):
            tf.raw_ops.ResourceApplyAdam(
                var=handle, m=m.handle, v=v.handle, beta1_power=beta_1_power, beta2_power=beta_2_power,
                lr=LEARNING_RATE, beta1=BETA_1, beta2=BETA_2, epsilon=EPSILON, grad=g,
            )
        return loss

    return train_step


def tf_loop_graph(data: Data, batch_size: int) -> Run:
    """A whole epoch in one ``tf.function`` without XLA: oneDNN kernels and the fused Adam.

    Args:
        data: the images to train on.
        batch_size: images per step.

    Returns:
        The ready :class:`~kata.bench.base.Run`.
    """
    model = tutorial_model()
    train_step = fused_adam_step(model)
    return pre_batched_run(model, train_step, data, batch_size, jit_compile=False)
