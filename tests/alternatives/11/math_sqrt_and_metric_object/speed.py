"""math.sqrt, a SparseCategoricalAccuracy metric object, fit with keyword x=, the returned model of compile_for_speed.
"""

import math

import keras
import tensorflow as tf

BATCH_SIZE = 128
STEPS_PER_EXECUTION = 64


def learning_rate(batch_size):
    return 0.001 * math.sqrt(batch_size / 32)


def make_dataset(images, labels, batch_size=BATCH_SIZE):
    dataset = tf.data.Dataset.from_tensor_slices((images, labels))
    dataset = dataset.shuffle(len(images))
    dataset = dataset.batch(batch_size)
    return dataset.prefetch(tf.data.AUTOTUNE)


def compile_for_speed(model, batch_size=BATCH_SIZE):
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate(batch_size)),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")],
        jit_compile=True,
        steps_per_execution=STEPS_PER_EXECUTION,
    )
    return model


def fast_train(model, images, labels, epochs=10):
    model = compile_for_speed(model, batch_size=BATCH_SIZE)
    history = model.fit(x=make_dataset(images, labels, batch_size=BATCH_SIZE), epochs=epochs, verbose=0)
    return history
