"""The per-image pipeline: from_tensor_slices((images, labels)).shuffle(N).batch(b), as the tf.data guide writes it.
"""

import math

import keras
import tensorflow as tf

BATCH_SIZE = 128
STEPS_PER_EXECUTION = 64
TUTORIAL_BATCH_SIZE = 32
TUTORIAL_LEARNING_RATE = 0.001  # Adam's default, as the tutorial uses it


def learning_rate(batch_size):
    """The tutorial's learning rate scaled for a batch: × √(batch_size / 32), Adam's square-root rule."""
    return TUTORIAL_LEARNING_RATE * math.sqrt(batch_size / TUTORIAL_BATCH_SIZE)


def make_dataset(images, labels, batch_size=BATCH_SIZE):
    dataset = tf.data.Dataset.from_tensor_slices((images, labels))
    dataset = dataset.shuffle(len(images))
    dataset = dataset.batch(batch_size)
    return dataset.prefetch(tf.data.AUTOTUNE)


def compile_for_speed(model, batch_size=BATCH_SIZE):
    """Compile the tutorial's model as lesson 04 does, plus XLA and many steps per call."""
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate(batch_size)),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
        jit_compile=True,
        steps_per_execution=STEPS_PER_EXECUTION,
    )
    return model


def fast_train(model, images, labels, epochs=10):
    """Train ``model`` (built, not compiled) on normalized images, fast; return the ``History``."""
    compile_for_speed(model)
    history = model.fit(make_dataset(images, labels), epochs=epochs)
    return history
