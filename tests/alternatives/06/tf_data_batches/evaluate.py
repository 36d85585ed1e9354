"""model.evaluate on a tf.data.Dataset of batches of 64."""

import tensorflow as tf


def evaluate(model, images, labels):
    dataset = tf.data.Dataset.from_tensor_slices((images, labels)).batch(64)
    test_loss, test_acc = model.evaluate(dataset, verbose=0)
    return float(test_loss), float(test_acc)
