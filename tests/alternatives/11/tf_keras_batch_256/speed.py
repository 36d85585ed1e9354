"""Through tf.keras: batches of 256, the data cached before shuffling, 32 steps per call."""

import tensorflow as tf

BATCH_SIZE = 256
STEPS_PER_EXECUTION = 32


def learning_rate(batch_size):
    return 0.001 * (batch_size / 32) ** 0.5


def make_dataset(images, labels, batch_size=BATCH_SIZE):
    return (
        tf.data.Dataset.from_tensor_slices((images, labels))
        .cache()
        .shuffle(buffer_size=len(images), reshuffle_each_iteration=True)
        .batch(batch_size)
        .prefetch(buffer_size=tf.data.experimental.AUTOTUNE)
    )


def compile_for_speed(model, batch_size=BATCH_SIZE):
    model.compile(
        optimizer=tf.keras.optimizers.Adam(learning_rate(batch_size)),
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
        steps_per_execution=STEPS_PER_EXECUTION,
        jit_compile=True,
    )
    return model


def fast_train(model, images, labels, epochs=10):
    model = compile_for_speed(model)
    return model.fit(make_dataset(images, labels), epochs=epochs, verbose=2)
