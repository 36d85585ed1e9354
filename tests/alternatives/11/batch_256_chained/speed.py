"""Batches of 256 with 16 steps per call, one chained expression, the shuffle seeded-free with reshuffle_each_iteration=True.
"""

import keras
import tensorflow as tf

BATCH_SIZE = 256
STEPS_PER_EXECUTION = 16


def learning_rate(batch_size):
    return 0.001 * (batch_size / 32) ** 0.5


def make_dataset(images, labels, batch_size=BATCH_SIZE):
    return (
        tf.data.Dataset.from_tensor_slices((images, labels))
        .shuffle(buffer_size=images.shape[0], reshuffle_each_iteration=True)
        .batch(batch_size, drop_remainder=False)
        .prefetch(buffer_size=tf.data.AUTOTUNE)
    )


def compile_for_speed(model, batch_size=BATCH_SIZE):
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate(batch_size)),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
        jit_compile=True,
        steps_per_execution=STEPS_PER_EXECUTION,
    )
    return model


def fast_train(model, images, labels, epochs=10):
    compile_for_speed(model)
    return model.fit(make_dataset(images, labels), epochs=epochs)
