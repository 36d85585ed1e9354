"""Explicit objects: Adam(learning_rate=0.001) and SparseCategoricalAccuracy named 'accuracy'."""

import keras


def compile_model(model):
    optimizer = keras.optimizers.Adam(learning_rate=0.001)
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    accuracy = keras.metrics.SparseCategoricalAccuracy(name="accuracy")
    model.compile(optimizer=optimizer, loss=loss, metrics=[accuracy])
    return model
