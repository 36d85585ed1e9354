"""Converts the arrays to tensors and passes any further keyword arguments on to fit."""

import tensorflow as tf


def train(model, images, labels, epochs=10, batch_size=32, **fit_kwargs):
    x = tf.convert_to_tensor(images, dtype=tf.float32)
    y = tf.convert_to_tensor(labels, dtype=tf.int64)
    history = model.fit(x, y, epochs=epochs, batch_size=batch_size, **fit_kwargs)
    return history
