"""The images and labels fed through a tf.data pipeline that shuffles and batches them."""

import tensorflow as tf


def train(model, images, labels, epochs=10, batch_size=32):
    dataset = (
        tf.data.Dataset.from_tensor_slices((images, labels))
        .shuffle(buffer_size=len(images))
        .batch(batch_size)
    )
    history = model.fit(dataset, epochs=epochs)
    return history
