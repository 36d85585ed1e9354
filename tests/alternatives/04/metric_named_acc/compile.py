"""Keras 2's metrics=['acc']: Keras 3 computes the same accuracy, reported as 'acc'."""

import keras


def compile_model(model):
    model.compile(
        optimizer="adam",
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["acc"],
    )
    return model
